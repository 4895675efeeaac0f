//! Non-streamed JSON responses: buffered whole (bounded), then redacted and cleaned of disallowed
//! tool calls in each API's shape, and model listings filtered to approved models.

use serde_json::Value;

use super::{CallFate, Ctx};
use crate::api::ApiKind;
use crate::models::ModelNaming;

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

/// The (name, arguments JSON text) of an entry if it is a tool call.
fn call_of(entry: &Value) -> Option<(String, String)> {
    if let Some(f) = entry.get("function") {
        let name = f.get("name")?.as_str()?.to_string();
        let args = match f.get("arguments") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        return Some((name, args));
    }
    match entry.get("type").and_then(Value::as_str) {
        Some("function_call") => Some((
            entry.get("name")?.as_str()?.to_string(),
            entry
                .get("arguments")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )),
        Some(t) if t.ends_with("tool_use") => Some((
            entry.get("name")?.as_str()?.to_string(),
            entry.get("input").map(Value::to_string).unwrap_or_default(),
        )),
        _ => None,
    }
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
            let Some((name, args)) = call_of(&entry) else {
                keep.push(entry);
                continue;
            };
            let l = format!("{loc}[{j}]");
            let mut fate = ctx.call_named(&name, &l);
            if let CallFate::Allow { hold: true } = fate {
                fate = ctx.call_arguments(&name, &args, &l);
            }
            match fate {
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
    let (key, naming) = match api {
        ApiKind::OpenAiModels => ("data", ModelNaming::Opaque),
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
        let naming = if naming == ModelNaming::Opaque && name.contains(':') {
            ModelNaming::Ollama
        } else {
            naming
        };
        ctx.policy.models.listed(name, naming)
    });
    items.len() != before
}
