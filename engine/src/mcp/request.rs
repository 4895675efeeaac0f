//! The client's side of an MCP exchange: what may reach the server.

use serde_json::{Map, Value};

use super::{jsonrpc, Env, McpExchange, Pending};
use crate::api::errors::Refusal;
use crate::api::{request as api_request, walk};
use crate::audit::{AuditEvent, Category, Outcome, Phase};
use crate::exchange::{Action, LocalReply};
use crate::quote::quoted;
use crate::tools::ToolDecision;

/// Methods whose `Mcp-Name` header mirrors a body parameter, and that parameter.
const NAME_BEARING: &[(&str, &str)] = &[
    ("tools/call", "name"),
    ("prompts/get", "name"),
    ("resources/read", "uri"),
];

pub(super) fn inspect(ex: &mut McpExchange, env: &mut Env<'_>, body: &[u8]) -> Action {
    let phase = Phase::RequestBody;
    let mut doc = match api_request::parse(body) {
        Ok(v) => v,
        Err(e) => {
            let msg = match e {
                api_request::BodyError::DuplicateKey(key) => {
                    format!("request body has an ambiguous key: {key} appears twice in one object")
                }
                api_request::BodyError::TooDeep => "request body is nested too deeply".into(),
                api_request::BodyError::NotJson => "request body is not valid JSON".into(),
            };
            let r = Refusal::new(400, "invalid_request_body", msg);
            return refuse(env, None, r, Category::Input, phase, "body")
                .unwrap_or(Action::Continue);
        }
    };
    if walk::depth(&doc) > env.limits.max_json_depth {
        let r = Refusal::new(
            400,
            "invalid_request_body",
            format!(
                "request body is nested deeper than {} levels",
                env.limits.max_json_depth
            ),
        );
        if let Some(a) = refuse(env, None, r, Category::Input, phase, "body") {
            return a;
        }
    }
    let well_formed = match &doc {
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
        v => v.is_object(),
    };
    if !well_formed {
        let r = Refusal::new(
            400,
            "invalid_jsonrpc_message",
            "the body is neither a JSON-RPC message nor a non-empty batch of them",
        );
        if let Some(a) = refuse(env, None, r, Category::Input, phase, "body") {
            return a;
        }
        return Action::Continue;
    }
    ex.pending = jsonrpc::messages(&doc)
        .into_iter()
        .filter_map(|m| {
            Some(Pending {
                id: jsonrpc::request_id(m)?.clone(),
                method: jsonrpc::method(m)?.to_string(),
            })
        })
        .collect();

    if let Some(reason) = header_mismatch(ex, &doc) {
        let r = Refusal::new(400, "mcp_header_mismatch", reason);
        if let Some(a) = refuse(env, Some(&doc), r, Category::Input, phase, "headers") {
            return a;
        }
    }
    if let Some(a) = govern_calls(env, &doc) {
        return a;
    }
    match redact_arguments(env, &mut doc) {
        Err(a) => a,
        Ok(false) => Action::Continue,
        Ok(true) => match serde_json::to_vec(&doc) {
            Ok(bytes) => Action::Replace(bytes),
            Err(_) => {
                let r = Refusal::new(500, "internal_error", "could not re-encode the request");
                reply(Some(&doc), &r)
            }
        },
    }
}

/// A body-less request: `Mcp-Method` / `Mcp-Name` with nothing to mirror are a mismatch.
pub(super) fn without_body(ex: &mut McpExchange, env: &mut Env<'_>) -> Action {
    if ex.method_headers.is_empty() && ex.name_headers.is_empty() {
        return Action::Continue;
    }
    let r = Refusal::new(
        400,
        "mcp_header_mismatch",
        "Mcp-Method or Mcp-Name on a request without a JSON-RPC body",
    );
    refuse(
        env,
        None,
        r,
        Category::Input,
        Phase::RequestHeaders,
        "headers",
    )
    .unwrap_or(Action::Continue)
}

/// `Mcp-Method` and `Mcp-Name` (2026 revision) mirror the one message of a POST; they must agree
/// with it, including by being absent when the body has nothing to mirror.
fn header_mismatch(ex: &McpExchange, doc: &Value) -> Option<String> {
    if ex.method_headers.is_empty() && ex.name_headers.is_empty() {
        return None;
    }
    if ex.method_headers.len() > 1 || ex.name_headers.len() > 1 {
        return Some("Mcp-Method or Mcp-Name is repeated".into());
    }
    if doc.is_array() {
        return Some("Mcp-Method or Mcp-Name on a batch, which they cannot mirror".into());
    }
    let method = jsonrpc::method(doc);
    if let Some(h) = ex.method_headers.first() {
        if method != Some(h.as_str()) {
            return Some("the Mcp-Method header does not match the body's method".into());
        }
    }
    let key = method.and_then(|m| NAME_BEARING.iter().find(|(n, _)| *n == m).map(|(_, k)| *k));
    let body_name = key.and_then(|k| doc.get("params")?.get(k));
    let header_name = ex.name_headers.first().map(|h| decode_header_value(h));
    let agree = match (body_name, header_name) {
        (None | Some(Value::Null), None) => true,
        // The SDKs mirror a name only when the method bears one; a header without it is a lie.
        (Some(Value::String(b)), Some(Some(h))) => *b == h,
        _ => false,
    };
    if !agree {
        return Some(format!(
            "the Mcp-Name header does not match the body's {}",
            key.unwrap_or("name")
        ));
    }
    None
}

/// A header value, or the UTF-8 text of its `=?base64?...?=` form (how MCP clients send names
/// that are not visible ASCII). `None` when that form does not decode.
fn decode_header_value(value: &str) -> Option<String> {
    let Some(payload) = value
        .strip_prefix("=?base64?")
        .and_then(|v| v.strip_suffix("?="))
    else {
        return Some(value.to_string());
    };
    let bytes = crate::injection::decode::decode_base64(payload.as_bytes())?;
    String::from_utf8(bytes).ok()
}

/// `tools/call` messages: the tool name, the call count and the arguments against `tools`.
fn govern_calls(env: &mut Env<'_>, doc: &Value) -> Option<Action> {
    let tools = &env.policy.tools;
    let mut calls = 0usize;
    let mut refused: Option<(String, String)> = None;
    let mut events = Vec::new();
    for msg in jsonrpc::messages(doc) {
        if jsonrpc::method(msg) != Some("tools/call") {
            continue;
        }
        calls += 1;
        let params = msg.get("params");
        let name = params
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let empty = Value::Object(Map::new());
        let arguments = params
            .and_then(|p| p.get("arguments"))
            .filter(|a| !a.is_null())
            .unwrap_or(&empty);
        let decision = match tools.check_name(name) {
            ToolDecision::Allow => match tools.check_call_count(calls) {
                ToolDecision::Allow => tools.check_arguments_value(name, arguments),
                deny => deny,
            },
            deny => deny,
        };
        if let ToolDecision::Deny { rule_id, reason } = decision {
            events.push((rule_id.clone(), format!("tools/call[{}]", quoted(name))));
            refused.get_or_insert((rule_id, reason));
        }
    }
    let (rule, reason) = refused?;
    let monitor = !env.enforce || tools.monitor();
    let outcome = if monitor {
        Outcome::Monitored
    } else {
        Outcome::Blocked
    };
    for (rule_id, location) in events {
        env.audit
            .push(event(rule_id, Category::Tool, outcome, location));
    }
    if monitor {
        return None;
    }
    let r = Refusal::new(403, "tool_not_allowed", reason).with_rules(vec![rule]);
    Some(reply(Some(doc), &r))
}

/// Redacts secrets in what the client sends for a tool or back to the server: `params.arguments`
/// (`tools/call`, `prompts/get`) and `result` (answers to the server's requests, such as
/// `sampling/createMessage`). Returns whether the body changed.
fn redact_arguments(env: &mut Env<'_>, doc: &mut Value) -> Result<bool, Action> {
    if !env.policy.secrets.request {
        return Ok(false);
    }
    let scanner = env.policy.secrets.for_requests();
    let enforce = env.enforce;
    let mut changed = false;
    let mut block: Option<String> = None;
    let mut events = Vec::new();
    for msg in jsonrpc::messages_mut(doc) {
        let Some(map) = msg.as_object_mut() else {
            continue;
        };
        let mut targets: Vec<(&str, &mut Value)> = Vec::new();
        for (key, v) in map.iter_mut() {
            match key.as_str() {
                "result" => targets.push(("result", v)),
                "params" => {
                    if let Some(a) = v.get_mut("arguments") {
                        targets.push(("params.arguments", a));
                    }
                }
                _ => {}
            }
        }
        for (location, v) in targets {
            crate::response::visit_strings(v, &mut |s| {
                let r = scanner.redact(s);
                for m in &r.matches {
                    events.push(m.judge_in_request(enforce, location, &mut block));
                }
                if enforce && !r.matches.is_empty() && r.text != *s {
                    *s = r.text;
                    changed = true;
                }
            });
        }
    }
    env.audit.extend(events);
    if let Some(rule) = block {
        return Err(reply(Some(doc), &Refusal::secret_in_request(rule)));
    }
    Ok(changed)
}

fn event(rule_id: String, category: Category, outcome: Outcome, location: String) -> AuditEvent {
    AuditEvent::decision(rule_id, category, Phase::RequestBody, outcome, location)
}

/// Records a refusal; in enforce mode returns the reply, in monitor mode None (traffic goes on).
fn refuse(
    env: &mut Env<'_>,
    doc: Option<&Value>,
    r: Refusal,
    category: Category,
    phase: Phase,
    location: &str,
) -> Option<Action> {
    env.audit
        .extend(r.audit_events(category, phase, env.enforce, location));
    env.enforce.then(|| reply(doc, &r))
}

/// The local reply for a refused POST: the JSON-RPC error(s) at the refusal's HTTP status (the
/// SDKs read a JSON-RPC error from a 4xx `application/json` body).
pub(super) fn reply(doc: Option<&Value>, r: &Refusal) -> Action {
    let body = jsonrpc::refusal_body(doc, r).to_string().into_bytes();
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("x-llm-warden-code".to_string(), r.code.to_string()),
    ];
    if !r.rules.is_empty() {
        headers.push(("x-llm-warden-rules".to_string(), r.rules.join(",")));
    }
    Action::Reply(LocalReply {
        status: r.status,
        headers,
        body,
        code: r.code,
    })
}
