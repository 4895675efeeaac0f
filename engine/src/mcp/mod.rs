//! MCP (Model Context Protocol) traffic: the tools an agent reaches through MCP servers, governed
//! with the same policy language as the tools an LLM API offers.
//!
//! Why: in a mesh, agents call tools through MCP servers that run as pods, so excessive agency
//! flows through JSON-RPC rather than through an LLM API. This module recognises MCP exchanges on
//! the routes the configuration marks as MCP (MCP has no fixed path) and applies the policy of the
//! exchange to them. It follows the streamable HTTP transport of the MCP specification
//! (revisions 2025-06-18 and 2025-11-25, and the 2026 revision's `Mcp-Method` / `Mcp-Name`
//! headers): a POST carries one JSON-RPC message or a batch; the answer is `application/json` or a
//! `text/event-stream` whose events each carry whole JSON-RPC messages; a GET opens a stream of
//! server-initiated messages.
//!
//! Guarantees:
//! - `tools/call`: the tool name passes `tools` (exact names, globs, the caller's policy) and the
//!   arguments pass `tools.arguments`, or the POST never reaches the server: the client gets a
//!   JSON-RPC error with the request's `id` ([`jsonrpc`]), which the official SDKs raise. A batch
//!   holding one refused call is refused whole (every request in it gets the error).
//! - Secrets in call arguments (and in results a client sends back, such as a sampling answer)
//!   are redacted before they leave for the server, by the request-side secret rules.
//! - `Mcp-Method` and `Mcp-Name` must agree with the body; a mismatch is refused (the decision is
//!   never taken on a header alone, since a server or a router may read either).
//! - `tools/list` (every page): tools the policy refuses are removed, so the model is never
//!   offered them. Tool definitions are third-party text: each one's strings are scanned for
//!   poisoning at [`TextKind::ToolDefinition`], and a poisoned tool is stripped, the answer
//!   blocked, or the finding only recorded (`mcp.on_poisoned_tool`). `initialize` instructions are
//!   judged the same way.
//! - Results (`tools/call`, `resources/read`, `prompts/get`, anything else), error texts and
//!   server-to-client messages (`sampling/createMessage`, notifications) are untrusted data:
//!   scanned at [`TextKind::ToolResult`]; a blocked message is replaced by a JSON-RPC error for
//!   its request. Every string of every message is redacted for secrets, in JSON answers and in
//!   each SSE event (an event carries whole messages, so any network split gives the same result).
//! - Every SSE event is bounded by `limits.max_frame_bytes`, JSON answers by
//!   `limits.max_response_body_bytes`.
//!
//! [`TextKind::ToolDefinition`]: crate::text::TextKind::ToolDefinition
//! [`TextKind::ToolResult`]: crate::text::TextKind::ToolResult

pub mod jsonrpc;
mod request;
mod response;

use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::config::{LimitsConfig, Policy, RequestKey, RouteMatch};
use crate::error::{index, join, ConfigError};
use crate::exchange::Action;

pub use self::response::McpResponse;

/// What to do with a tool definition whose text looks poisoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PoisonedToolAction {
    /// Remove the tool from the list; the rest of the list goes through.
    #[default]
    Strip,
    /// Replace the whole answer with a JSON-RPC error.
    Block,
    /// Record the finding and let the tool through.
    Monitor,
}

/// The `mcp` section of the configuration (see `engine/schema/mcp.schema.json`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct McpConfig {
    /// Requests matching any of these (path prefix, authority, header; every given condition)
    /// are MCP exchanges. The policy that governs them is still chosen by `routes`.
    #[serde(default)]
    pub routes: Vec<RouteMatch>,
    #[serde(default)]
    pub on_poisoned_tool: PoisonedToolAction,
}

/// The compiled `mcp` section.
#[derive(Debug, Clone, Default)]
pub struct McpPolicy {
    routes: Vec<RouteMatch>,
    pub on_poisoned_tool: PoisonedToolAction,
}

impl McpPolicy {
    pub fn compile(cfg: &McpConfig, path: &str) -> Result<Self, ConfigError> {
        let base = join(path, "routes");
        for (i, r) in cfg.routes.iter().enumerate() {
            let at = index(&base, i);
            if r.path_prefix.is_none() && r.authority.is_none() && r.header.is_none() {
                return Err(ConfigError::new(
                    at,
                    "an MCP route needs a condition (path_prefix \"/\" marks every request)",
                ));
            }
            if r.header.as_ref().is_some_and(|h| h.name.is_empty()) {
                return Err(ConfigError::new(
                    join(&join(&at, "header"), "name"),
                    "empty header name",
                ));
            }
        }
        Ok(Self {
            routes: cfg.routes.clone(),
            on_poisoned_tool: cfg.on_poisoned_tool,
        })
    }

    /// Whether a request is an MCP exchange.
    pub fn matches(&self, key: &RequestKey<'_>) -> bool {
        self.routes.iter().any(|r| r.matches(key))
    }
}

/// What one decision needs from the exchange: the policy, the mode and the audit sink.
pub struct Env<'a> {
    pub policy: &'a Policy,
    pub mcp: &'a McpPolicy,
    pub limits: &'a LimitsConfig,
    pub enforce: bool,
    pub audit: &'a mut Vec<AuditEvent>,
}

/// A request of this exchange the answer will refer to by its `id`.
#[derive(Debug, Clone)]
struct Pending {
    id: serde_json::Value,
    method: String,
}

/// The MCP side of one HTTP exchange.
#[derive(Default)]
pub struct McpExchange {
    /// Every value of `Mcp-Method` and of `Mcp-Name` the request carried.
    method_headers: Vec<String>,
    name_headers: Vec<String>,
    pending: Vec<Pending>,
    response: McpResponse,
}

impl McpExchange {
    /// Starts an MCP exchange from its request headers.
    pub fn new(headers: &[(String, String)]) -> Self {
        let all = |name: &str| -> Vec<String> {
            headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .collect()
        };
        Self {
            method_headers: all("mcp-method"),
            name_headers: all("mcp-name"),
            ..Self::default()
        }
    }

    /// The whole request body: decides, and possibly rewrites, what goes to the server.
    pub fn on_request_body(&mut self, env: &mut Env<'_>, body: &[u8]) -> Action {
        request::inspect(self, env, body)
    }

    /// A request that ended with its headers (a GET stream, a DELETE): headers that name a
    /// method with no body to agree with are refused.
    pub fn on_request_without_body(&mut self, env: &mut Env<'_>) -> Action {
        request::without_body(self, env)
    }

    /// Response headers: picks how the body will be read.
    pub fn on_response_headers(&mut self, content_type: &str, end_of_stream: bool) {
        self.response = McpResponse::for_content_type(content_type, end_of_stream);
    }

    /// A response body chunk (only the new bytes).
    pub fn on_response_body(&mut self, env: &mut Env<'_>, chunk: &[u8], eos: bool) -> Action {
        let pending = std::mem::take(&mut self.pending);
        let action = self.response.push(env, &pending, chunk, eos);
        self.pending = pending;
        action
    }
}

#[cfg(test)]
mod tests;
