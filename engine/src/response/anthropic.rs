//! Anthropic Messages streams (`event:` + `data:` SSE).
//!
//! Blocks are numbered by `index`: `content_block_start` opens a `text`, `thinking` or `tool_use`
//! block, `content_block_delta` carries `text_delta` / `thinking_delta` / `input_json_delta`,
//! `content_block_stop` closes it. Text lanes are flushed before the stop event. A stripped tool
//! block disappears entirely and later blocks are renumbered; a held tool block is re-emitted as
//! start + one delta + stop once its input is complete and allowed.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{index_of, CallFate, Ctx, StreamProcessor};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, write_event, SseFramer};
use crate::secrets::StreamRedactor;

#[derive(Default)]
struct Block {
    /// `text`, `thinking`, `tool_use`, ...
    kind: String,
    new_index: Option<u64>,
    fate: Option<CallFate>,
    name: String,
    start: Option<Value>,
    held_json: String,
    lane: StreamRedactor,
}

#[derive(Default)]
pub struct AnthropicStream {
    framer: SseFramer,
    blocks: BTreeMap<u64, Block>,
    next_index: u64,
    tools_emitted: usize,
    stripped: bool,
    max_frame: usize,
}

fn ev(name: &str, v: &Value) -> Vec<u8> {
    write_event(Some(name), &v.to_string())
}

impl AnthropicStream {
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            ..Self::default()
        }
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, raw: Vec<u8>, out: &mut Vec<u8>) {
        let parsed = parse_event(&raw);
        let Some(data) = parsed.data else {
            out.extend(raw);
            return;
        };
        let Ok(mut v) = serde_json::from_str::<Value>(&data) else {
            match ctx.redact_whole(&data, "sse.data") {
                Some(r) => out.extend(write_event(parsed.event.as_deref(), &r)),
                None => out.extend(raw),
            }
            return;
        };
        let kind = v
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = parsed.event.clone().unwrap_or_else(|| kind.clone());
        let i = index_of(&v, "index");
        let loc = format!("content[{i}]");
        let changed = match kind.as_str() {
            "content_block_start" => {
                let block = v.get("content_block").cloned().unwrap_or(Value::Null);
                let btype = block.get("type").and_then(Value::as_str).unwrap_or("");
                let mut b = Block {
                    kind: btype.to_string(),
                    ..Block::default()
                };
                let mut keep = true;
                if btype.ends_with("tool_use") {
                    let tname = block.get("name").and_then(Value::as_str).unwrap_or("");
                    b.name = tname.to_string();
                    let fate = ctx.call_named(tname, &loc);
                    b.fate = Some(fate);
                    match fate {
                        CallFate::Allow { hold: true } => {
                            b.start = Some(v.clone());
                            keep = false;
                        }
                        CallFate::Allow { hold: false } => self.tools_emitted += 1,
                        CallFate::Strip => {
                            self.stripped = true;
                            keep = false;
                        }
                        CallFate::Block => keep = false,
                    }
                }
                let mut changed = false;
                if keep {
                    b.new_index = Some(self.next_index);
                    self.next_index += 1;
                    if b.new_index != Some(i) {
                        set(&mut v, "index", json!(b.new_index));
                        changed = true;
                    }
                    if let Some(cb) = v.get_mut("content_block") {
                        changed |= ctx.redact_value(cb, &loc);
                    }
                }
                self.blocks.insert(i, b);
                if !keep {
                    return;
                }
                changed
            }
            "content_block_delta" => {
                let Some(b) = self.blocks.get_mut(&i) else {
                    out.extend(raw);
                    return;
                };
                match b.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        if let Some(p) = v.pointer("/delta/partial_json").and_then(Value::as_str) {
                            b.held_json.push_str(p);
                        }
                        return;
                    }
                    _ => {}
                }
                let mut changed = false;
                if let Some(new) = b.new_index.filter(|n| *n != i) {
                    set(&mut v, "index", json!(new));
                    changed = true;
                }
                for field in ["text", "thinking", "partial_json"] {
                    if let Some(Value::String(piece)) = v.pointer_mut(&format!("/delta/{field}")) {
                        if piece.is_empty() {
                            continue;
                        }
                        let released = ctx.push_text(&mut b.lane, piece, &loc);
                        if released != *piece {
                            *piece = released;
                            changed = true;
                        }
                    }
                }
                changed
            }
            "content_block_stop" => {
                let Some(mut b) = self.blocks.remove(&i) else {
                    out.extend(raw);
                    return;
                };
                match b.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        match ctx.call_arguments(&b.name, &b.held_json, &loc) {
                            CallFate::Allow { .. } => {
                                let idx = self.next_index;
                                self.next_index += 1;
                                self.tools_emitted += 1;
                                let input = ctx
                                    .redact_whole(&b.held_json, &loc)
                                    .unwrap_or(std::mem::take(&mut b.held_json));
                                if let Some(mut start) = b.start.take() {
                                    set(&mut start, "index", json!(idx));
                                    out.extend(ev("content_block_start", &start));
                                }
                                out.extend(ev(
                                    "content_block_delta",
                                    &json!({"type": "content_block_delta", "index": idx,
                                            "delta": {"type": "input_json_delta", "partial_json": input}}),
                                ));
                                set(&mut v, "index", json!(idx));
                                out.extend(ev(&name, &v));
                            }
                            CallFate::Strip => self.stripped = true,
                            CallFate::Block => {}
                        }
                        return;
                    }
                    _ => {}
                }
                let idx = b.new_index.unwrap_or(i);
                let rest = ctx.finish_text(&mut b.lane, &loc);
                if !rest.is_empty() {
                    let delta = block_delta(&b.kind, rest);
                    out.extend(ev(
                        "content_block_delta",
                        &json!({"type": "content_block_delta", "index": idx, "delta": delta}),
                    ));
                }
                if idx != i {
                    set(&mut v, "index", json!(idx));
                    true
                } else {
                    false
                }
            }
            "message_delta" => {
                let none_left = self.stripped && self.tools_emitted == 0;
                match v.pointer_mut("/delta/stop_reason") {
                    Some(reason) if none_left && reason.as_str() == Some("tool_use") => {
                        *reason = Value::String("end_turn".into());
                        true
                    }
                    _ => false,
                }
            }
            "message_start" => match v.get_mut("message") {
                Some(m) => ctx.redact_value(m, "message"),
                None => false,
            },
            _ => false,
        };
        if ctx.terminate.is_some() {
            return;
        }
        if changed {
            out.extend(ev(&name, &v));
        } else {
            out.extend(raw);
        }
    }
}

/// The delta that carries released text for a block of this kind.
fn block_delta(kind: &str, text: String) -> Value {
    if kind.ends_with("tool_use") {
        json!({"type": "input_json_delta", "partial_json": text})
    } else if kind == "thinking" {
        json!({"type": "thinking_delta", "thinking": text})
    } else {
        json!({"type": "text_delta", "text": text})
    }
}

fn set(v: &mut Value, key: &str, new: Value) {
    if let Some(map) = v.as_object_mut() {
        map.insert(key.to_string(), new);
    }
}

impl StreamProcessor for AnthropicStream {
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        let events = self.framer.push(chunk, self.max_frame).map_err(|_| {
            Refusal::new(
                502,
                "stream_frame_too_large",
                "an upstream stream event exceeded the frame limit",
            )
        })?;
        for raw in events {
            self.on_event(ctx, raw, out);
            if let Some(r) = ctx.terminate.clone() {
                out.extend(stream_error(Dialect::Anthropic, &r, false));
                return Err(r);
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        let rest = self.framer.take_pending();
        if !rest.is_empty() {
            let mut raw = rest;
            raw.extend_from_slice(b"\n\n");
            self.on_event(ctx, raw, out);
        }
        // Blocks never stopped (upstream cut short): release what their lanes hold.
        let open: Vec<u64> = self.blocks.keys().copied().collect();
        for i in open {
            if let Some(mut b) = self.blocks.remove(&i) {
                if matches!(b.fate, None | Some(CallFate::Allow { hold: false })) {
                    let rest = ctx.finish_text(&mut b.lane, &format!("content[{i}]"));
                    if !rest.is_empty() {
                        out.extend(ev(
                            "content_block_delta",
                            &json!({"type": "content_block_delta", "index": b.new_index.unwrap_or(i),
                                    "delta": block_delta(&b.kind, rest)}),
                        ));
                    }
                }
            }
        }
        if let Some(r) = ctx.terminate.clone() {
            out.extend(stream_error(Dialect::Anthropic, &r, false));
        }
    }
}
