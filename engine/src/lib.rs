//! llm-warden engine: a sans-IO policy engine for LLM traffic.
//!
//! The engine never touches a host. An adapter (the proxy-wasm filter, the ext_proc server, the
//! CLI) feeds it the headers and body chunks of one HTTP exchange and applies what it answers:
//! continue, hold, replace the current chunk, send a local reply, edit headers. Everything it
//! decides is therefore testable natively, without Envoy.
//!
//! Four risks, one module each: [`injection`] (prompt injection in request texts), [`secrets`]
//! (redaction, exact across stream chunks), [`tools`] (tool offers and calls), [`models`]
//! (approved, pinned models). [`mcp`] applies the same policy to MCP (Model Context Protocol)
//! traffic on the routes the configuration marks as MCP.

pub mod audit;
pub mod body_buffer;
pub mod budget;
pub mod config;
pub mod error;
pub mod exchange;
pub mod glob;
pub mod injection;
pub mod json;
pub mod mcp;
pub mod models;
pub mod quote;
pub mod secrets;
pub mod text;
pub mod tools;

pub use config::Policies;
pub use error::ConfigError;
pub mod api;
pub mod framing;
pub mod replay;
pub mod response;
