//! Non-streamed JSON responses: buffered whole (bounded), then redacted and cleaned of disallowed
//! tool calls in each API's shape, and model listings filtered to approved models.

use serde_json::Value;

use super::{CallFate, Ctx};
use crate::api::ApiKind;
use crate::models::ModelNaming;
use crate::tools::calls::{executed_call, ExecutedCall};

/// Where one API puts its tool calls in a complete response.
fn tool_call_arrays(api: ApiKind, v: &mut Value) -> Vec<(&mut Vec<Value>, &'static str)> {
    let mut out = Vec::new();
    match api {
        ApiKind::OpenAiChat => {
            if let Some(Value::Array(choices)) = v.get_mut("choices") {
                for c in choices {
                    if let Some(Value::Array(calls)) = c.pointer_mut("/message/tool_calls") {
                        out.push((calls, "choices.message.tool_calls"));
                    }
                }
            }
        }
        ApiKind::OllamaChat => {
            if let Some(Value::Array(calls)) = v.pointer_mut("/message/tool_calls") {
                out.push((calls, "message.tool_calls"));
            }
        }
        ApiKind::OpenAiResponses => {
            if let Some(Value::Array(items)) = v.get_mut("output") {
                out.push((items, "output"));
            }
        }
        ApiKind::AnthropicMessages => {
            if let Some(Value::Array(blocks)) = v.get_mut("content") {
                out.push((blocks, "content"));
            }
        }
        _ => {}
    }
    out
}

/// Decides one call found in a complete response.
fn decide(ctx: &mut Ctx<'_>, call: &ExecutedCall, location: &str) -> CallFate {
    let fate = ctx.call_named(&call.name, location);
    if let CallFate::Allow { hold: true } = fate {
        return ctx.call_argument_forms(&call.name, call.free_form, &[&call.arguments], location);
    }
    fate
}

/// The legacy single call of OpenAI Chat (`choices[].message.function_call`, answering a
/// request's `functions`): governed by name and arguments like `tool_calls`. A stripped call is
/// removed and the choice ends as a plain answer. Returns (changed, stripped, kept).
fn legacy_calls(ctx: &mut Ctx<'_>, v: &mut Value) -> (bool, usize, usize) {
    let (mut changed, mut stripped, mut kept) = (false, 0, 0);
    let Some(Value::Array(choices)) = v.get_mut("choices") else {
        return (changed, stripped, kept);
    };
    for (k, c) in choices.iter_mut().enumerate() {
        let Some(message) = c.get_mut("message").and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(found) = message.get("function_call").and_then(|f| {
            let name = f.get("name")?.as_str()?.to_string();
            let arguments = match f.get("arguments") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            Some(ExecutedCall {
                name,
                arguments,
                free_form: false,
            })
        }) else {
            continue;
        };
        let loc = format!("choices[{k}].message.function_call");
        match decide(ctx, &found, &loc) {
            CallFate::Allow { .. } => kept += 1,
            CallFate::Strip => {
                message.remove("function_call");
                stripped += 1;
                changed = true;
                if let Some(f) = c.get_mut("finish_reason") {
                    if f.as_str() == Some("function_call") {
                        *f = Value::String("stop".into());
                    }
                }
            }
            CallFate::Block => return (changed, stripped, kept),
        }
    }
    (changed, stripped, kept)
}

/// Applies tool policy and redaction to a complete response; true if it changed. A block is left
/// in `ctx.terminate`.
pub fn process(ctx: &mut Ctx<'_>, api: ApiKind, v: &mut Value) -> bool {
    let mut changed = false;
    let mut stripped = 0usize;
    let mut kept_calls = 0usize;
    for (arr, loc) in tool_call_arrays(api, v) {
        let before = arr.len();
        let mut keep = Vec::with_capacity(before);
        for (j, entry) in std::mem::take(arr).into_iter().enumerate() {
            let Some(found) = executed_call(&entry) else {
                keep.push(entry);
                continue;
            };
            let l = format!("{loc}[{j}]");
            match decide(ctx, &found, &l) {
                CallFate::Allow { .. } => {
                    kept_calls += 1;
                    keep.push(entry);
                }
                CallFate::Strip => stripped += 1,
                CallFate::Block => return changed,
            }
        }
        changed |= keep.len() != before;
        *arr = keep;
    }
    if api == ApiKind::OpenAiChat && ctx.terminate.is_none() {
        let (legacy_changed, legacy_stripped, legacy_kept) = legacy_calls(ctx, v);
        changed |= legacy_changed;
        stripped += legacy_stripped;
        kept_calls += legacy_kept;
    }
    if stripped > 0 && kept_calls == 0 {
        fix_finish(api, v);
    }
    if ctx.terminate.is_some() {
        return changed;
    }
    changed |= ctx.redact_value(v, "body");
    changed
}

/// All tool calls were stripped: the message ends as a plain answer.
fn fix_finish(api: ApiKind, v: &mut Value) {
    match api {
        ApiKind::OpenAiChat => {
            if let Some(Value::Array(choices)) = v.get_mut("choices") {
                for c in choices {
                    if let Some(m) = c.get_mut("message").and_then(Value::as_object_mut) {
                        if m.get("tool_calls")
                            .and_then(Value::as_array)
                            .is_some_and(Vec::is_empty)
                        {
                            m.remove("tool_calls");
                        }
                    }
                    if let Some(f) = c.get_mut("finish_reason") {
                        if f.as_str() == Some("tool_calls") {
                            *f = Value::String("stop".into());
                        }
                    }
                }
            }
        }
        ApiKind::AnthropicMessages => {
            if let Some(r) = v.get_mut("stop_reason") {
                if r.as_str() == Some("tool_use") {
                    *r = Value::String("end_turn".into());
                }
            }
        }
        _ => {}
    }
}

/// Filters `/v1/models` (`data[].id`) and Ollama `/api/tags` (`models[].name`/`model`) to the
/// models the policy lists; true if anything was removed.
pub fn filter_listing(ctx: &Ctx<'_>, api: ApiKind, v: &mut Value) -> bool {
    // `/v1/models` is an OpenAI-shaped path that Ollama serves too: read each id the way a chat
    // request naming it is read, so a listing shows exactly the models a request would admit.
    let (key, naming) = match api {
        ApiKind::OpenAiModels => ("data", ModelNaming::Compatible),
        ApiKind::OllamaTags => ("models", ModelNaming::Ollama),
        _ => return false,
    };
    let Some(Value::Array(items)) = v.get_mut(key) else {
        return false;
    };
    let before = items.len();
    items.retain(|m| {
        let name = m
            .get("id")
            .or_else(|| m.get("name"))
            .or_else(|| m.get("model"))
            .and_then(Value::as_str)
            .unwrap_or("");
        ctx.policy.models.listed(name, naming)
    });
    items.len() != before
}
