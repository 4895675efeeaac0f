//! Test support shared by the workspace's tests, examples and benches; never a dependency of
//! what ships (a dev-dependency only, `publish = false`).
//!
//! - [`rng`]: a small seeded PRNG, so sampled split points and inputs are the same on every
//!   machine.
//! - [`streams`]: upstream answers in each API's shape, and the client's reassembly of what comes
//!   out, mirroring the official SDKs.
//! - [`fuzz_targets`]: the fuzz targets, run by libFuzzer from `fuzz/` and seeded in `cargo test`.
//! - [`injection_data`], [`injection_eval`]: the labelled injection data (shared corpora, pinned
//!   package data, the project's own rows) with its fixed held-out split, and the detection
//!   evaluation (`eval_injection`, `train_detector` and its regression test).
//! - [`secrets_eval`]: the secret rules' detection quality over the labelled corpora (the
//!   `eval_secrets` example and its regression test).
// Test support, not the data path: the workspace's no-panic lints do not apply.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod fuzz_targets;
pub mod injection_data;
pub mod injection_eval;
pub mod rng;
pub mod secrets_eval;
pub mod streams;
