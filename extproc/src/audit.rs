//! Audit output: one line per decision on stderr, `llm-warden audit {json} request_id=ID`, exactly
//! what the wasm filter logs through Envoy (rule, category, phase, action, location, match_hash,
//! policy; the request's `x-request-id` after the JSON), so the same log tooling and tests read
//! both. Never the matched text.

use std::io::Write;

use crate::session::{Notice, Session};

pub fn log_session(session: &mut Session) {
    let events = session.take_audit_json();
    let notices = session.take_notices();
    if events.is_empty() && notices.is_empty() {
        return;
    }
    let request_id = session.request_id().to_string();
    let policy = session.policy_name().to_string();
    let mut lines = String::new();
    for e in events {
        lines.push_str(&format!("llm-warden audit {e} request_id={request_id}\n"));
    }
    for n in notices {
        let (kind, code) = match n {
            Notice::Blocked(code) => ("blocked", code),
            Notice::ResponseTerminated(code) => ("response_terminated", code),
        };
        let line = serde_json::json!({
            "event": kind,
            "code": code,
            "policy": policy,
            "request_id": request_id,
        });
        lines.push_str(&format!("llm-warden reply {line}\n"));
    }
    // One write per batch keeps lines of concurrent streams whole.
    let _ = std::io::stderr().lock().write_all(lines.as_bytes());
}
