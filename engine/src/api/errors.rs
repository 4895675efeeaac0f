//! Error bodies in each API's own shape, so client SDKs raise a clear exception.
//!
//! OpenAI: `{"error": {"message", "type", "param", "code"}}`; Anthropic: `{"type": "error",
//! "error": {"type", "message"}}` (the stable code goes in the message prefix and the
//! `x-llm-warden-code` header, since Anthropic's error object has no `code`); Ollama:
//! `{"error": "..."}`. The message never contains matched text.

use serde_json::json;

use super::Dialect;
use crate::audit::{AuditEvent, Category, Outcome, Phase};

/// A refusal: status, stable code, human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// Stable, machine-readable: `prompt_injection_detected`, `model_not_allowed`, ...
    pub code: &'static str,
    pub message: String,
    /// Rule ids for the correlation header (never the matched text).
    pub rules: Vec<String>,
}

impl Refusal {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            rules: Vec::new(),
        }
    }

    pub fn with_rules(mut self, rules: Vec<String>) -> Self {
        self.rules = rules;
        self
    }

    /// A request refused by a secret rule whose action is `block`, naming that rule.
    pub fn secret_in_request(rule: String) -> Self {
        Self::new(
            403,
            "sensitive_data_blocked",
            "the request contains data that policy does not allow to be sent",
        )
        .with_rules(vec![rule])
    }

    /// The audit events of this refusal: one per rule (its code when it names none), blocked
    /// when the policy enforces, monitored (and let through by the caller) when it does not.
    pub fn audit_events(
        &self,
        category: Category,
        phase: Phase,
        enforce: bool,
        location: &str,
    ) -> Vec<AuditEvent> {
        let outcome = if enforce {
            Outcome::Blocked
        } else {
            Outcome::Monitored
        };
        let event = |rule: &str| AuditEvent::decision(rule, category, phase, outcome, location);
        if self.rules.is_empty() {
            vec![event(self.code)]
        } else {
            self.rules.iter().map(|r| event(r)).collect()
        }
    }
}

fn openai_type(status: u16) -> &'static str {
    match status {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        415 | 400 | 422 => "invalid_request_error",
        _ => "invalid_request_error",
    }
}

fn anthropic_type(status: u16) -> &'static str {
    match status {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        _ => "invalid_request_error",
    }
}

/// The JSON body of a non-streamed error reply.
pub fn error_body(dialect: Dialect, r: &Refusal) -> String {
    let message = format!("llm-warden: {} ({})", r.message, r.code);
    match dialect {
        Dialect::OpenAi => json!({
            "error": {
                "message": message,
                "type": openai_type(r.status),
                "param": null,
                "code": r.code,
            }
        }),
        Dialect::Anthropic => json!({
            "type": "error",
            "error": { "type": anthropic_type(r.status), "message": message },
        }),
        Dialect::Ollama => json!({ "error": message }),
    }
    .to_string()
}

/// The terminal event of a stream that had to be cut after headers went out: an OpenAI SSE error
/// event without `[DONE]`, an Anthropic `event: error`, an Ollama `{"error": ...}` line.
pub fn stream_error(dialect: Dialect, r: &Refusal, ndjson: bool) -> Vec<u8> {
    let body = error_body(dialect, r);
    if ndjson {
        let mut v = body.into_bytes();
        v.push(b'\n');
        return v;
    }
    match dialect {
        Dialect::Anthropic => crate::framing::sse::write_event(Some("error"), &body),
        Dialect::OpenAi | Dialect::Ollama => crate::framing::sse::write_event(None, &body),
    }
}
