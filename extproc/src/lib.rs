//! llm-warden as an Envoy external processor (`envoy.service.ext_proc.v3`): the library half of
//! the `llm-warden-extproc` binary, split out so the protocol mapping ([`session`]) is tested
//! without a network.
//!
//! - [`session`]: one ext_proc stream, Envoy messages in, engine verdicts out as ext_proc answers.
//! - [`service`]: the tonic `ExternalProcessor` service, one session per stream, fail-closed.
//! - [`audit`]: one JSON line per decision on stderr.
//! - [`health`]: `GET /healthz` on its own port.

pub mod audit;
pub mod health;
pub mod service;
pub mod session;
