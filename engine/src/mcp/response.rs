//! The server's side of an MCP exchange: what may reach the client (and its model).
//!
//! Every message is handled whole: a JSON answer is held (bounded by
//! `limits.max_response_body_bytes`), an SSE answer is framed into events (each bounded by
//! `limits.max_frame_bytes`) and each event's JSON-RPC message(s) decided on their own. An event
//! the engine does not change is passed as the exact bytes that came.

use serde_json::Value;

use super::{jsonrpc, Env, McpPolicy, Pending, PoisonedToolAction};
use crate::api::errors::Refusal;
use crate::audit::{fingerprint, AuditEvent, Category, Outcome, Phase};
use crate::config::OnLimit;
use crate::exchange::Action;
use crate::framing::sse::{parse_event, SseFramer};
use crate::injection::InjectionReport;
use crate::quote::quoted;
use crate::response::text::TextStream;
use crate::response::{visit_strings, Ctx, StreamProcessor};
use crate::text::{ScanText, TextKind};
use crate::tools::ToolDecision;

/// How the answer's body is read.
#[derive(Default)]
pub enum McpResponse {
    /// Nothing to read (no body, or the engine stopped looking after a limit it may pass).
    #[default]
    Pass,
    /// `application/json`: held whole.
    Json(Vec<u8>),
    /// `text/event-stream`: one JSON-RPC message (or batch) per event.
    Sse(SseFramer),
    /// Anything else (an error page, plain text): redacted as text.
    Text(TextStream),
    /// A message was blocked and the stream cut: nothing more goes to the client.
    Terminated,
}

/// What became of one message.
enum Fate {
    Kept { changed: bool },
    Blocked(Refusal),
}

impl McpResponse {
    pub(super) fn for_content_type(content_type: &str, end_of_stream: bool) -> Self {
        let ct = content_type.trim().to_ascii_lowercase();
        if end_of_stream {
            Self::Pass
        } else if ct.starts_with("text/event-stream") {
            Self::Sse(SseFramer::default())
        } else if ct.contains("json") {
            Self::Json(Vec::new())
        } else {
            Self::Text(TextStream::default())
        }
    }

    pub(super) fn push(
        &mut self,
        env: &mut Env<'_>,
        pending: &[Pending],
        chunk: &[u8],
        eos: bool,
    ) -> Action {
        let mcp = env.mcp;
        let limits = env.limits;
        let mut ctx = Ctx::new(env.policy, env.enforce, &mut *env.audit);
        match self {
            Self::Pass => Action::Continue,
            Self::Terminated => Action::Replace(Vec::new()),
            Self::Text(t) => {
                let mut out = Vec::with_capacity(chunk.len());
                let res = t.push(&mut ctx, chunk, &mut out);
                if res.is_err() {
                    *self = Self::Terminated;
                } else if eos {
                    t.finish(&mut ctx, &mut out);
                }
                if out == chunk {
                    Action::Continue
                } else {
                    Action::Replace(out)
                }
            }
            Self::Json(buf) => {
                let max = limits.max_response_body_bytes;
                if buf.len().saturating_add(chunk.len()) > max {
                    let held = std::mem::take(buf);
                    return over_limit(self, &mut ctx, limits.on_limit, pending, held, chunk);
                }
                buf.extend_from_slice(chunk);
                if !eos {
                    return Action::Pause;
                }
                let body = std::mem::take(buf);
                *self = Self::Pass;
                match answer_json(&mut ctx, mcp, pending, &body) {
                    Some(bytes) => Action::Replace(bytes),
                    None => Action::Continue,
                }
            }
            Self::Sse(framer) => {
                let events = match framer.push(chunk, limits.max_frame_bytes) {
                    Ok(events) => events,
                    Err(_) => {
                        let held = framer.take_pending();
                        return over_limit(self, &mut ctx, limits.on_limit, pending, held, &[]);
                    }
                };
                let mut out = Vec::with_capacity(chunk.len() + 64);
                let mut cut = false;
                for raw in events {
                    cut = answer_event(&mut ctx, mcp, pending, &raw, &mut out);
                    if cut {
                        break;
                    }
                }
                if !cut && eos {
                    let tail = framer.take_pending();
                    if !tail.is_empty() {
                        cut = answer_event(&mut ctx, mcp, pending, &tail, &mut out);
                    }
                }
                if cut {
                    *self = Self::Terminated;
                }
                if out == chunk {
                    Action::Continue
                } else {
                    Action::Replace(out)
                }
            }
        }
    }
}

/// A body or an event beyond its bound: refused with a JSON-RPC error for the pending request,
/// or (when the limit may pass) let through uninspected from here on.
fn over_limit(
    state: &mut McpResponse,
    ctx: &mut Ctx<'_>,
    on_limit: OnLimit,
    pending: &[Pending],
    held: Vec<u8>,
    chunk: &[u8],
) -> Action {
    let outcome = match on_limit {
        OnLimit::Block => Outcome::Blocked,
        OnLimit::Pass => Outcome::Allowed,
    };
    ctx.audit.push(AuditEvent::decision(
        "limits",
        Category::Limit,
        Phase::ResponseBody,
        outcome,
        "body",
    ));
    if on_limit == OnLimit::Pass {
        *state = McpResponse::Pass;
        let mut out = held;
        out.extend_from_slice(chunk);
        return Action::Replace(out);
    }
    *state = McpResponse::Terminated;
    let r = Refusal::new(
        502,
        "response_too_large",
        "the MCP server's answer exceeds the inspection limit",
    );
    let null = Value::Null;
    let id = pending.first().map_or(&null, |p| &p.id);
    let body = jsonrpc::error(id, &r).to_string();
    Action::Replace(body.into_bytes())
}

/// A whole JSON answer; Some(new body) when it changed.
fn answer_json(
    ctx: &mut Ctx<'_>,
    mcp: &McpPolicy,
    pending: &[Pending],
    body: &[u8],
) -> Option<Vec<u8>> {
    let Ok(mut doc) = serde_json::from_slice::<Value>(body) else {
        // Labelled JSON but not JSON: redacted as text.
        let text = String::from_utf8_lossy(body).into_owned();
        return ctx.redact_whole(&text, "body").map(String::into_bytes);
    };
    if answer_doc(ctx, mcp, pending, &mut doc) {
        serde_json::to_vec(&doc).ok()
    } else {
        None
    }
}

/// Decides every message of a document (one message or a batch), replacing blocked ones by their
/// JSON-RPC error. Returns whether the document changed.
fn answer_doc(ctx: &mut Ctx<'_>, mcp: &McpPolicy, pending: &[Pending], doc: &mut Value) -> bool {
    let mut changed = false;
    let mut replaced: Vec<(usize, Option<Value>)> = Vec::new();
    for (i, msg) in jsonrpc::messages_mut(doc).into_iter().enumerate() {
        match message(ctx, mcp, pending, msg) {
            Fate::Kept { changed: c } => changed |= c,
            Fate::Blocked(r) => replaced.push((i, blocked_replacement(msg, pending, &r))),
        }
    }
    if replaced.is_empty() {
        return changed;
    }
    match doc {
        Value::Array(items) => {
            for (i, with) in replaced.iter().rev() {
                match with {
                    Some(v) => {
                        if let Some(slot) = items.get_mut(*i) {
                            *slot = v.clone();
                        }
                    }
                    None if *i < items.len() => {
                        items.remove(*i);
                    }
                    None => {}
                }
            }
        }
        one => {
            let null = Value::Null;
            let id = pending.first().map_or(&null, |p| &p.id);
            *one = replaced
                .into_iter()
                .next()
                .and_then(|(_, v)| v)
                .unwrap_or_else(|| jsonrpc::error(id, &blocked_default()));
        }
    }
    true
}

fn blocked_default() -> Refusal {
    Refusal::new(
        403,
        "prompt_injection_detected",
        "the MCP server's message was blocked",
    )
}

/// What a blocked message becomes: the error for its request (a response), or for the client's
/// pending request of this POST (a server-to-client request or notification, whose own id means
/// nothing to the client as a response); None when there is no request to fail.
fn blocked_replacement(msg: &Value, pending: &[Pending], r: &Refusal) -> Option<Value> {
    if msg.get("method").is_some() {
        return pending.first().map(|p| jsonrpc::error(&p.id, r));
    }
    let null = Value::Null;
    Some(jsonrpc::error(msg.get("id").unwrap_or(&null), r))
}

/// One SSE event; appends what goes to the client to `out`. Returns true when the stream must be
/// cut after it (a server-to-client message was blocked).
fn answer_event(
    ctx: &mut Ctx<'_>,
    mcp: &McpPolicy,
    pending: &[Pending],
    raw: &[u8],
    out: &mut Vec<u8>,
) -> bool {
    let ev = parse_event(raw);
    let Some(data) = ev.data.filter(|d| !d.trim().is_empty()) else {
        out.extend_from_slice(raw);
        return false;
    };
    let Ok(mut doc) = serde_json::from_str::<Value>(&data) else {
        match ctx.redact_whole(&data, "event") {
            Some(text) => out.extend(rewrite_event(raw, &text)),
            None => out.extend_from_slice(raw),
        }
        return false;
    };
    let server_message = doc.get("method").is_some();
    let mut cut = false;
    let changed = if doc.is_array() {
        answer_doc(ctx, mcp, pending, &mut doc)
    } else {
        match message(ctx, mcp, pending, &mut doc) {
            Fate::Kept { changed } => changed,
            Fate::Blocked(r) => {
                cut = server_message;
                match blocked_replacement(&doc, pending, &r) {
                    Some(v) => doc = v,
                    None => return true,
                }
                true
            }
        }
    };
    if changed {
        out.extend(rewrite_event(raw, &doc.to_string()));
    } else {
        out.extend_from_slice(raw);
    }
    cut
}

/// The event with its `data` replaced (one line, as compact JSON has no newline) and every other
/// field (`event`, `id`, `retry`) kept.
fn rewrite_event(raw: &[u8], data: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(raw.len() + data.len());
    let mut wrote = false;
    for line in text.split(['\n', '\r']).filter(|l| !l.is_empty()) {
        let field = line.split(':').next().unwrap_or("");
        if field == "data" {
            if !wrote {
                for part in data.split('\n') {
                    out.push_str("data: ");
                    out.push_str(part);
                    out.push('\n');
                }
                wrote = true;
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out.into_bytes()
}

/// Decides one JSON-RPC message from the server.
fn message(ctx: &mut Ctx<'_>, mcp: &McpPolicy, pending: &[Pending], msg: &mut Value) -> Fate {
    let Some(map) = msg.as_object_mut() else {
        return Fate::Kept { changed: false };
    };
    let answered = map
        .get("id")
        .and_then(|id| pending.iter().find(|p| p.id == *id))
        .map(|p| p.method.clone());
    let mut changed = false;
    if let Some(method) = map
        .get("method")
        .and_then(Value::as_str)
        .map(str::to_string)
    {
        // A server-to-client request or notification: untrusted text the client may show its
        // model (a sampling request's messages and system prompt).
        if let Some(params) = map.get_mut("params") {
            if let Some(r) = untrusted(ctx, params, &method) {
                return Fate::Blocked(r);
            }
            changed |= ctx.redact_value(params, &method);
        }
    }
    if let Some(result) = map.get_mut("result") {
        // Without the request (a GET stream, a replayed answer), a result listing tools is read
        // as a tools/list page: filtering it can only withhold more.
        let listing = result.get("tools").is_some_and(Value::is_array);
        let method = match answered.as_deref() {
            Some(m) => m,
            None if listing => "tools/list",
            None => "result",
        };
        match method {
            "tools/list" => match tool_list(ctx, mcp, result) {
                Ok(c) => changed |= c,
                Err(r) => return Fate::Blocked(r),
            },
            "initialize" | "prompts/list" | "resources/list" | "resources/templates/list" => {
                if let Some(r) = definitions(ctx, mcp, result, method) {
                    return Fate::Blocked(r);
                }
            }
            _ => {
                if let Some(r) = untrusted(ctx, result, method) {
                    return Fate::Blocked(r);
                }
            }
        }
        changed |= ctx.redact_value(result, method);
    }
    if let Some(error) = map.get_mut("error") {
        if let Some(r) = untrusted(ctx, error, "error") {
            return Fate::Blocked(r);
        }
        changed |= ctx.redact_value(error, "error");
    }
    match ctx.terminate.take() {
        Some(r) => Fate::Blocked(r),
        None => Fate::Kept { changed },
    }
}

/// The strings of a value (identifiers and enums excepted), as texts of one kind.
fn texts_of(v: &mut Value, kind: TextKind, location: &str) -> Vec<ScanText> {
    let mut texts = Vec::new();
    visit_strings(v, &mut |s| {
        if !s.trim().is_empty() {
            texts.push(ScanText::new(s.clone(), kind, location));
        }
    });
    texts
}

/// Results, errors and server requests: data for the model, judged at the tool-result level.
fn untrusted(ctx: &mut Ctx<'_>, v: &mut Value, location: &str) -> Option<Refusal> {
    let texts = texts_of(v, TextKind::ToolResult, location);
    let report = ctx.policy.injection.scan(&texts);
    let blocking = report.block && ctx.enforce;
    let outcome = if blocking {
        Outcome::Blocked
    } else {
        Outcome::Monitored
    };
    let rules = record(ctx, &texts, &report, outcome);
    blocking.then(|| {
        Refusal::new(
            403,
            "prompt_injection_detected",
            "the MCP server's answer was blocked because it looks like a prompt-injection attempt",
        )
        .with_rules(rules)
    })
}

/// Server instructions and prompt / resource listings: definitions, judged for poisoning.
fn definitions(
    ctx: &mut Ctx<'_>,
    mcp: &McpPolicy,
    v: &mut Value,
    location: &str,
) -> Option<Refusal> {
    let texts = texts_of(v, TextKind::ToolDefinition, location);
    let report = ctx.policy.injection.scan(&texts);
    let action = poison_action(ctx, mcp, &report);
    let outcome = match action {
        PoisonedToolAction::Monitor => Outcome::Monitored,
        _ => Outcome::Blocked,
    };
    let rules = record(ctx, &texts, &report, outcome);
    (outcome == Outcome::Blocked).then(|| poisoned(rules))
}

fn poisoned(rules: Vec<String>) -> Refusal {
    Refusal::new(
        403,
        "tool_definition_poisoned",
        "the MCP server's definitions were blocked because they look like a prompt-injection attempt",
    )
    .with_rules(rules)
}

/// The action a report calls for: the configured one when it blocks in enforce mode, else monitor.
fn poison_action(ctx: &Ctx<'_>, mcp: &McpPolicy, report: &InjectionReport) -> PoisonedToolAction {
    if report.block && ctx.enforce {
        mcp.on_poisoned_tool
    } else {
        PoisonedToolAction::Monitor
    }
}

/// A `tools/list` page: tools the policy refuses are removed; each remaining definition is
/// judged for poisoning. Returns whether the page changed.
fn tool_list(ctx: &mut Ctx<'_>, mcp: &McpPolicy, result: &mut Value) -> Result<bool, Refusal> {
    let Some(Value::Array(tools)) = result.get_mut("tools") else {
        return Ok(false);
    };
    let monitor = !ctx.enforce || ctx.policy.tools.monitor();
    let mut changed = false;
    let mut block: Option<Refusal> = None;
    tools.retain_mut(|tool| {
        let name = tool
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let location = format!("tools/list[{}]", quoted(&name));
        if let ToolDecision::Deny { rule_id, .. } = ctx.policy.tools.check_name(&name) {
            let outcome = if monitor {
                Outcome::Monitored
            } else {
                Outcome::Stripped
            };
            tool_event(ctx, rule_id, outcome, &location);
            if !monitor {
                changed = true;
                return false;
            }
        }
        let texts = texts_of(tool, TextKind::ToolDefinition, &location);
        let report = ctx.policy.injection.scan(&texts);
        if report.findings.is_empty() {
            return true;
        }
        match poison_action(ctx, mcp, &report) {
            PoisonedToolAction::Monitor => {
                record(ctx, &texts, &report, Outcome::Monitored);
                true
            }
            PoisonedToolAction::Strip => {
                record(ctx, &texts, &report, Outcome::Stripped);
                changed = true;
                false
            }
            PoisonedToolAction::Block => {
                let rules = record(ctx, &texts, &report, Outcome::Blocked);
                block.get_or_insert_with(|| poisoned(rules));
                true
            }
        }
    });
    match block {
        Some(r) => Err(r),
        None => Ok(changed),
    }
}

fn tool_event(ctx: &mut Ctx<'_>, rule_id: String, outcome: Outcome, location: &str) {
    ctx.audit.push(AuditEvent::decision(
        rule_id,
        Category::Tool,
        Phase::ResponseBody,
        outcome,
        location,
    ));
}

/// Audit events for an injection report (findings of monitor-only rules are monitored whatever
/// `outcome` says); returns the distinct rule ids.
fn record(
    ctx: &mut Ctx<'_>,
    texts: &[ScanText],
    report: &InjectionReport,
    outcome: Outcome,
) -> Vec<String> {
    let mut rules: Vec<String> = Vec::new();
    for f in &report.findings {
        let text = texts.get(f.text_index);
        ctx.audit.push(AuditEvent {
            rule_id: f.rule_id.clone(),
            category: Category::PromptInjection,
            phase: Phase::ResponseBody,
            outcome: if f.monitor_only {
                Outcome::Monitored
            } else {
                outcome
            },
            location: text
                .map(|t| format!("{}@{}", t.location, f.start))
                .unwrap_or_default(),
            match_hash: text
                .and_then(|t| t.text.get(f.start..f.end))
                .map(|m| fingerprint(m.as_bytes()))
                .unwrap_or_default(),
            score: Some(f.score),
        });
        if !rules.contains(&f.rule_id) {
            rules.push(f.rule_id.clone());
        }
    }
    rules
}
