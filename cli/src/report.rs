//! What the filter did to one exchange, as `scan` prints it and `test` checks it.
//!
//! Replay tells what the upstream and the client saw; a [`ScanReport`] condenses that into the
//! questions a policy author asks: was it blocked, changed, or let through untouched, with which
//! status and code, by which rules, and what did each side receive. The verdict is computed from
//! observable effects, the same ones the end-to-end tests observe behind a real Envoy.

use std::sync::Arc;

use llm_warden_engine::audit::{AuditEvent, Outcome};
use llm_warden_engine::config::RequestKey;
use llm_warden_engine::replay::{replay, Message, Split};
use llm_warden_engine::Policies;
use serde_json::{json, Value};

use crate::recording::Recording;

/// The filter's effect on one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Neither the request nor the response changed.
    Pass,
    /// The upstream request or the client response differs from what was sent.
    Modified,
    /// The filter answered itself, or cut the response.
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Modified => "modified",
            Verdict::Block => "block",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScanReport {
    pub label: String,
    pub method: String,
    pub path: String,
    /// The named policy the request selected (`default` for the top level).
    pub policy: String,
    pub synthetic_request: bool,
    pub verdict: Verdict,
    /// The status the client received.
    pub status: u16,
    /// The stable code of a block (`prompt_injection_detected`, ...).
    pub code: Option<String>,
    pub events: Vec<AuditEvent>,
    /// The request body the upstream received; None when the filter answered first.
    pub upstream_body: Option<Vec<u8>>,
    pub upstream_modified: bool,
    pub client_body: Vec<u8>,
    pub client_modified: bool,
}

impl ScanReport {
    /// Rule ids in the order they fired, each once.
    pub fn rules(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.events {
            if !out.contains(&e.rule_id.as_str()) {
                out.push(&e.rule_id);
            }
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        json!({
            "file": self.label,
            "method": self.method,
            "path": self.path,
            "policy": self.policy,
            "synthetic_request": self.synthetic_request,
            "verdict": self.verdict.as_str(),
            "status": self.status,
            "code": self.code,
            "rules": self.rules(),
            "events": self.events.iter().map(|e| json!({
                "rule": e.rule_id,
                "category": e.category.as_str(),
                "phase": e.phase.as_str(),
                "action": e.outcome.as_str(),
                "location": e.location,
                "match_hash": e.match_hash,
            })).collect::<Vec<_>>(),
            "upstream_request": self.upstream_body.as_ref().map(|b| json!({
                "modified": self.upstream_modified,
                "body": text(b),
            })),
            "client_response": {
                "modified": self.client_modified,
                "status": self.status,
                "body": text(&self.client_body),
            },
        })
    }
}

/// Stable code in an error body the engine wrote: its messages end in `(code)`.
fn code_in_body(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let at = text.rfind("llm-warden: ")?;
    let tail = text.get(at..)?;
    let close = tail.find(")\"")?;
    let open = tail.get(..close)?.rfind('(')?;
    let code = tail.get(open + 1..close)?;
    code.bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'_')
        .then(|| code.to_string())
}

fn status_of(m: &Message) -> u16 {
    m.header(":status")
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(200)
}

/// Replays one recording and reports what the filter did.
pub fn scan(policies: &Arc<Policies>, rec: &Recording, split: &Split) -> ScanReport {
    let answer = rec.response.clone().unwrap_or_else(|| Message {
        headers: vec![(":status".into(), "200".into())],
        body: Vec::new(),
    });
    let sent_answer = answer.body.clone();
    let out = replay(
        Arc::clone(policies),
        &rec.request,
        &move |_| answer.clone(),
        split,
    );
    let method = rec.request.header(":method").unwrap_or("GET").to_string();
    let path = rec.request.header(":path").unwrap_or("/").to_string();
    let authority = rec
        .request
        .header(":authority")
        .or_else(|| rec.request.header("host"))
        .unwrap_or("");
    let policy = policies
        .policy(policies.select(&RequestKey {
            path: &path,
            authority,
            headers: &rec.request.headers,
        }))
        .name
        .clone();
    let cut = out
        .audit
        .iter()
        .any(|e| e.outcome == Outcome::Blocked && out.upstream_request.is_some());
    let upstream_modified = out
        .upstream_request
        .as_ref()
        .is_some_and(|u| u.body != rec.request.body);
    let client_modified = out.upstream_request.is_none() || out.client_response.body != sent_answer;
    let verdict = if out.reply.is_some() || cut {
        Verdict::Block
    } else if upstream_modified || client_modified {
        Verdict::Modified
    } else {
        Verdict::Pass
    };
    let code = match &out.reply {
        Some(r) => Some(r.code.to_string()),
        None if verdict == Verdict::Block => code_in_body(&out.client_response.body),
        None => None,
    };
    ScanReport {
        label: rec.label.clone(),
        method,
        path,
        policy,
        synthetic_request: rec.synthetic_request,
        verdict,
        status: status_of(&out.client_response),
        code,
        events: out.audit,
        upstream_body: out.upstream_request.map(|u| u.body),
        upstream_modified,
        client_body: out.client_response.body,
        client_modified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code_in_error_bodies() {
        let rows: &[(&str, Option<&str>)] = &[
            (
                r#"{"error":{"message":"llm-warden: no (tool_not_allowed)","code":"tool_not_allowed"}}"#,
                Some("tool_not_allowed"),
            ),
            (
                "data: {\"a\":1}\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"llm-warden: tool x (y) is denied (tool_not_allowed)\"}}\n\n",
                Some("tool_not_allowed"),
            ),
            (r#"{"error":"llm-warden: x (model_not_allowed)"}"#, Some("model_not_allowed")),
            ("no error here (nope)", None),
        ];
        for (body, want) in rows {
            assert_eq!(code_in_body(body.as_bytes()).as_deref(), *want, "{body}");
        }
    }
}
