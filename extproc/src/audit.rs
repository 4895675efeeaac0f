//! Audit output: one JSON line per decision on stderr, `llm-warden audit {...}`, the same fields
//! the wasm filter logs (rule, category, phase, action, location, match_hash, policy) plus the
//! request's `x-request-id`. Never the matched text.

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
        lines.push_str(&with_request_id(&e, &request_id));
        lines.push('\n');
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

fn with_request_id(event_json: &str, request_id: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(event_json) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.insert("request_id".into(), request_id.into());
            format!("llm-warden audit {}", serde_json::Value::Object(m))
        }
        _ => format!("llm-warden audit {event_json}"),
    }
}
