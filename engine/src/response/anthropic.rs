//! Anthropic Messages streams (`event:` + `data:` SSE).
//!
//! Blocks are numbered by `index`: `content_block_start` opens a `text`, `thinking` or `tool_use`
//! block, `content_block_delta` carries `text_delta` / `thinking_delta` / `input_json_delta`,
//! `content_block_stop` closes it. Text lanes are flushed before the stop event. A stripped tool
//! block disappears entirely and later blocks are renumbered; a held tool block is re-emitted as
//! start + one delta + stop once its input is complete and allowed. Its input is checked in
//! every form the client may keep: the `input_json_delta` pieces joined, and the `input` the
//! start event carries (servers that parse calls after generation send it whole, with no delta).

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{frame_forms, index_of, CallFate, Ctx, FrameQueue, Lane, StreamProcessor, TextEdits};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, write_event, SseFramer};

#[derive(Default)]
struct Block {
    /// `text`, `thinking`, `tool_use`, ...
    kind: String,
    new_index: Option<u64>,
    fate: Option<CallFate>,
    name: String,
    start: Option<Value>,
    /// The input carried whole by the start event (empty when it is `{}`).
    start_input: String,
    held_json: String,
    lane: Lane,
}

#[derive(Default)]
pub struct AnthropicStream {
    framer: SseFramer,
    blocks: BTreeMap<u64, Block>,
    next_index: u64,
    tools_emitted: usize,
    stripped: bool,
    queue: FrameQueue,
    max_frame: usize,
}

fn ev(name: &str, v: &Value) -> Vec<u8> {
    write_event(Some(name), &v.to_string())
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

impl AnthropicStream {
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            ..Self::default()
        }
    }

    fn holding(&self) -> bool {
        self.blocks.values().any(|b| b.lane.holding())
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, raw: Vec<u8>) {
        let parsed = parse_event(&raw);
        let Some(data) = parsed.data else {
            self.queue.push_both(raw);
            return;
        };
        let Ok(mut v) = serde_json::from_str::<Value>(&data) else {
            match ctx.redact_whole(&data, "sse.data") {
                Some(r) => self
                    .queue
                    .push_both(write_event(parsed.event.as_deref(), &r)),
                None => self.queue.push_both(raw),
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
        let mut edits = TextEdits::new();
        let structural = match kind.as_str() {
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
                    b.start_input = match block.get("input") {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::Object(m)) if m.is_empty() => String::new(),
                        Some(input) => input.to_string(),
                    };
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
                let mut structural = false;
                if keep {
                    b.new_index = Some(self.next_index);
                    self.next_index += 1;
                    if b.new_index != Some(i) {
                        set(&mut v, "index", json!(b.new_index));
                        structural = true;
                    }
                    if let Some(cb) = v.get_mut("content_block") {
                        structural |= ctx.redact_value(cb, &loc);
                    }
                }
                self.blocks.insert(i, b);
                if !keep {
                    return;
                }
                structural
            }
            "content_block_delta" => {
                // A delta for a block that never started (a malformed or hostile upstream) is
                // treated as a started block of the delta's kind, so its text still goes through
                // a redacting lane instead of passing raw.
                let b = match self.blocks.entry(i) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => {
                        let kind = match v.pointer("/delta/type").and_then(Value::as_str) {
                            Some("input_json_delta") => "tool_use",
                            Some("thinking_delta") => "thinking",
                            _ => "text",
                        };
                        let idx = self.next_index;
                        self.next_index += 1;
                        e.insert(Block {
                            kind: kind.to_string(),
                            new_index: Some(idx),
                            ..Block::default()
                        })
                    }
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
                let mut structural = false;
                if let Some(new) = b.new_index.filter(|n| *n != i) {
                    set(&mut v, "index", json!(new));
                    structural = true;
                }
                for field in ["text", "thinking", "partial_json"] {
                    let ptr = format!("/delta/{field}");
                    if let Some(Value::String(piece)) = v.pointer_mut(&ptr) {
                        if piece.is_empty() {
                            continue;
                        }
                        let released =
                            ctx.push_text(&mut b.lane, piece, &loc, &mut self.queue.diverged);
                        if released != *piece {
                            let original = std::mem::replace(piece, released);
                            edits.push((ptr, original));
                        }
                    }
                }
                structural
            }
            "content_block_stop" => {
                let Some(mut b) = self.blocks.remove(&i) else {
                    self.queue.push_both(raw);
                    return;
                };
                match b.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        let forms = [b.held_json.as_str(), b.start_input.as_str()];
                        match ctx.call_argument_forms(&b.name, false, &forms, &loc) {
                            CallFate::Allow { .. } => {
                                let idx = self.next_index;
                                self.next_index += 1;
                                self.tools_emitted += 1;
                                let whole = if b.held_json.trim().is_empty() {
                                    std::mem::take(&mut b.start_input)
                                } else {
                                    std::mem::take(&mut b.held_json)
                                };
                                let input = ctx.redact_whole(&whole, &loc).unwrap_or(whole);
                                if let Some(mut start) = b.start.take() {
                                    set(&mut start, "index", json!(idx));
                                    // The input follows as one delta, which SDKs parse in its
                                    // place.
                                    if let Some(cb) = start.get_mut("content_block") {
                                        set(cb, "input", json!({}));
                                        ctx.redact_value(cb, &loc);
                                    }
                                    self.queue.push_both(ev("content_block_start", &start));
                                }
                                if !input.is_empty() {
                                    self.queue.push_both(ev(
                                        "content_block_delta",
                                        &json!({"type": "content_block_delta", "index": idx,
                                                "delta": {"type": "input_json_delta", "partial_json": input}}),
                                    ));
                                }
                                set(&mut v, "index", json!(idx));
                                self.queue.push_both(ev(&name, &v));
                            }
                            CallFate::Strip => self.stripped = true,
                            CallFate::Block => {}
                        }
                        return;
                    }
                    _ => {}
                }
                let idx = b.new_index.unwrap_or(i);
                let rest = ctx.finish_text(&mut b.lane, &loc, &mut self.queue.diverged);
                if !rest.is_empty() {
                    self.queue.push_full(ev(
                        "content_block_delta",
                        &json!({"type": "content_block_delta", "index": idx,
                                "delta": block_delta(&b.kind, rest)}),
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
            "message_stop" | "ping" => false,
            // Errors and event types this version does not know: scanned whole.
            _ => ctx.redact_value(&mut v, &kind),
        };
        if ctx.terminate.is_some() {
            return;
        }
        let (clean, full) = frame_forms(&raw, &v, &edits, structural, &|v| ev(&name, v));
        self.queue.push(clean, full);
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
            self.on_event(ctx, raw);
            if let Some(r) = ctx.terminate.clone() {
                self.queue.diverged = true;
                self.queue.flush(out);
                out.extend(stream_error(Dialect::Anthropic, &r, false));
                return Err(r);
            }
            if !self.holding() {
                self.queue.flush(out);
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        let rest = self.framer.take_pending();
        if !rest.is_empty() {
            let mut raw = rest;
            raw.extend_from_slice(b"\n\n");
            self.on_event(ctx, raw);
        }
        // Blocks never stopped (upstream cut short): release what their lanes hold.
        let open: Vec<u64> = self.blocks.keys().copied().collect();
        for i in open {
            if let Some(mut b) = self.blocks.remove(&i) {
                if matches!(b.fate, None | Some(CallFate::Allow { hold: false })) {
                    let loc = format!("content[{i}]");
                    let rest = ctx.finish_text(&mut b.lane, &loc, &mut self.queue.diverged);
                    if !rest.is_empty() {
                        self.queue.push_full(ev(
                            "content_block_delta",
                            &json!({"type": "content_block_delta", "index": b.new_index.unwrap_or(i),
                                    "delta": block_delta(&b.kind, rest)}),
                        ));
                    }
                }
            }
        }
        self.queue.flush(out);
        if let Some(r) = ctx.terminate.clone() {
            out.extend(stream_error(Dialect::Anthropic, &r, false));
        }
    }
}
