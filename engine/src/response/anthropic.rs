//! Anthropic Messages streams (`event:` + `data:` SSE).
//!
//! Blocks are numbered by `index`: `content_block_start` opens a `text`, `thinking` or `tool_use`
//! block, `content_block_delta` carries `text_delta` / `thinking_delta` / `input_json_delta`,
//! `content_block_stop` closes it. Text lanes are flushed before the stop event. A stripped tool
//! block disappears entirely and later blocks are renumbered; a held tool block is re-emitted as
//! start + one delta + stop once its input is complete and allowed. Its input is checked in
//! every form the client may keep: the `input_json_delta` pieces joined, and the `input` the
//! start event carries (servers that parse calls after generation send it whole, with no delta).

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::{json, Value};

use super::events::EventDialect;
use super::passthrough::{sse_data_body, EventShape};
use super::paths::PathLanes;
use super::{frame_forms, index_of, CallFate, Ctx, FrameQueue, Lane, TextEdits};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, write_event};

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
pub struct Anthropic {
    blocks: BTreeMap<u64, Block>,
    next_index: u64,
    tools_emitted: usize,
    stripped: bool,
    /// Strings of deltas at paths not named above (citations, ...), scoped `content[index]`.
    paths: PathLanes,
    /// The shape of the last event, when it only carried a block's text (`passthrough`), and
    /// the block's index.
    shape: Option<(EventShape, u64)>,
}

/// The block whose `text_delta` is all a `content_block_delta` carries (`type`, `index` and
/// `delta` with `type` and `text`, nothing else), if it is one: such an event can teach the
/// fast path its shape.
fn text_only(v: &Value) -> Option<u64> {
    let map = v.as_object()?;
    let delta = map.get("delta")?.as_object()?;
    let only = map.len() == 3 && delta.len() == 2;
    let kinds = map.get("type")?.as_str()? == "content_block_delta"
        && delta.get("type")?.as_str()? == "text_delta";
    delta.get("text")?.as_str()?;
    let i = map.get("index")?.as_u64()?;
    (only && kinds).then_some(i)
}

fn ev_or_delta(name: Option<&str>, v: &Value) -> Vec<u8> {
    ev(name.unwrap_or("content_block_delta"), v)
}

/// The field that carries a text or thinking block's text.
fn text_field(kind: &str) -> Option<&'static str> {
    match kind {
        "text" => Some("text"),
        "thinking" => Some("thinking"),
        _ => None,
    }
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

impl Anthropic {
    /// A block's text as it starts (in `content_block_start`, or in `message_start`'s content):
    /// the beginning of the block's lane, which its deltas continue. The rest of the block is
    /// scanned whole. Returns whether the block changed beyond its lane text.
    fn start_block_text(
        ctx: &mut Ctx<'_>,
        queue: &mut FrameQueue,
        block: &mut Block,
        cb: &mut Value,
        (ptr, loc): (&str, &str),
        edits: &mut TextEdits,
    ) -> bool {
        let field = text_field(&block.kind);
        let text = field.and_then(|f| cb.as_object_mut()?.remove(f));
        let changed = ctx.redact_value(cb, loc);
        if let (Some(f), Some(mut text)) = (field, text) {
            if let Value::String(piece) = &mut text {
                if !piece.is_empty() {
                    let released = ctx.push_text(&mut block.lane, piece, loc, &mut queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push((format!("{ptr}/{f}"), original));
                    }
                }
            }
            if let Some(m) = cb.as_object_mut() {
                m.insert(f.to_string(), text);
            }
        }
        changed
    }

    /// `message_start`: the message may already carry content blocks (text the deltas go on
    /// with, tool calls the client runs). Each is what its `content_block_start` would be.
    fn message_start(
        &mut self,
        ctx: &mut Ctx<'_>,
        queue: &mut FrameQueue,
        v: &mut Value,
        edits: &mut TextEdits,
    ) -> bool {
        let Some(message) = v.get_mut("message") else {
            return false;
        };
        let content = message.as_object_mut().and_then(|m| m.remove("content"));
        let mut structural = ctx.redact_value(message, "message");
        let Some(Value::Array(blocks)) = content else {
            if let (Some(c), Some(m)) = (content, message.as_object_mut()) {
                m.insert("content".into(), c);
            }
            return structural;
        };
        let mut kept = Vec::with_capacity(blocks.len());
        for (i, mut cb) in blocks.into_iter().enumerate() {
            let i = i as u64;
            let loc = format!("message.content[{i}]");
            let btype = cb
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let mut b = Block {
                kind: btype.clone(),
                ..Block::default()
            };
            if btype.ends_with("tool_use") {
                let tname = cb
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let mut fate = ctx.call_named(&tname, &loc);
                if fate == (CallFate::Allow { hold: true }) {
                    let input = cb.get("input").map(Value::to_string).unwrap_or_default();
                    fate = ctx.call_argument_forms(&tname, false, &[&input], &loc);
                }
                b.name = tname;
                match fate {
                    CallFate::Allow { .. } => {
                        b.fate = Some(CallFate::Allow { hold: false });
                        self.tools_emitted += 1;
                    }
                    CallFate::Strip => {
                        b.fate = Some(CallFate::Strip);
                        self.stripped = true;
                        structural = true;
                        self.blocks.insert(i, b);
                        continue;
                    }
                    CallFate::Block => return structural,
                }
            }
            b.new_index = Some(self.next_index);
            let ptr = format!("/message/content/{}", kept.len());
            self.next_index += 1;
            structural |= Self::start_block_text(ctx, queue, &mut b, &mut cb, (&ptr, &loc), edits);
            self.blocks.insert(i, b);
            kept.push(cb);
        }
        if let Some(m) = v.get_mut("message").and_then(Value::as_object_mut) {
            m.insert("content".into(), Value::Array(kept));
        }
        structural
    }

    fn event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        // The fast path's shape is the last event's (see `passthrough`).
        self.shape = None;
        let parsed = parse_event(&raw);
        let Some(data) = parsed.data else {
            super::opaque_event(ctx, queue, raw);
            return;
        };
        let Ok(mut v) = serde_json::from_str::<Value>(&data) else {
            super::opaque_event(ctx, queue, raw);
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
                    if let Some(mut cb) = v.get_mut("content_block").map(std::mem::take) {
                        structural |= Self::start_block_text(
                            ctx,
                            queue,
                            &mut b,
                            &mut cb,
                            ("/content_block", &loc),
                            &mut edits,
                        );
                        set(&mut v, "content_block", cb);
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
                        let kind = match super::pointer(&v, "/delta/type").and_then(Value::as_str) {
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
                        if let Some(p) =
                            super::pointer(&v, "/delta/partial_json").and_then(Value::as_str)
                        {
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
                    if let Some(Value::String(piece)) = super::pointer_mut(&mut v, &ptr) {
                        if piece.is_empty() {
                            continue;
                        }
                        let released = ctx.push_text(&mut b.lane, piece, &loc, &mut queue.diverged);
                        if released != *piece {
                            let original = std::mem::replace(piece, released);
                            edits.push((ptr, original));
                        }
                    }
                }
                // Every other string of the delta is a stream of its own (see `paths`).
                let lane_took = |rel: &str| {
                    matches!(
                        rel,
                        "/delta/text" | "/delta/thinking" | "/delta/partial_json"
                    )
                };
                self.paths.push(
                    ctx,
                    (&mut *queue, &mut edits),
                    Some(&name),
                    &format!("content[{i}]"),
                    &mut v,
                    "",
                    &lane_took,
                );
                structural
            }
            "content_block_stop" => {
                let Some(mut b) = self.blocks.remove(&i) else {
                    queue.push_both(raw);
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
                                    queue.push_both(ev("content_block_start", &start));
                                }
                                if !input.is_empty() {
                                    queue.push_both(ev(
                                        "content_block_delta",
                                        &json!({"type": "content_block_delta", "index": idx,
                                                "delta": {"type": "input_json_delta", "partial_json": input}}),
                                    ));
                                }
                                set(&mut v, "index", json!(idx));
                                queue.push_both(ev(&name, &v));
                            }
                            CallFate::Strip => self.stripped = true,
                            CallFate::Block => {}
                        }
                        return;
                    }
                    _ => {}
                }
                let idx = b.new_index.unwrap_or(i);
                self.paths.finish(
                    ctx,
                    &mut *queue,
                    &format_args!("content[{i}]|"),
                    &ev_or_delta,
                );
                let rest = ctx.finish_text(&mut b.lane, &loc, &mut queue.diverged);
                if !rest.is_empty() {
                    queue.push_full(ev(
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
                match super::pointer_mut(&mut v, "/delta/stop_reason") {
                    Some(reason) if none_left && reason.as_str() == Some("tool_use") => {
                        *reason = Value::String("end_turn".into());
                        true
                    }
                    _ => false,
                }
            }
            "message_start" => {
                let structural = self.message_start(ctx, queue, &mut v, &mut edits);
                if ctx.terminate.is_some() {
                    return;
                }
                structural
            }
            "message_stop" | "ping" => false,
            // Errors and event types this version does not know: scanned whole.
            _ => ctx.redact_value(&mut v, &kind),
        };
        if ctx.terminate.is_some() {
            return;
        }
        let (clean, full) = frame_forms(&raw, &v, &edits, structural, &|v| ev(&name, v));
        queue.push(clean, full);
        if !structural && kind == "content_block_delta" {
            self.shape = text_only(&v).filter(|k| *k == i).and_then(|k| {
                let body = sse_data_body(&raw)?;
                Some((EventShape::learn(&raw, body, &["text"], &[])?, k))
            });
        }
    }
}

impl EventDialect for Anthropic {
    fn dialect(&self) -> Dialect {
        Dialect::Anthropic
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        self.event(ctx, queue, raw);
    }

    /// The fast path: an event of the last event's shape.
    fn fast_text<'r>(&self, raw: &'r [u8]) -> Option<(Range<usize>, Cow<'r, str>)> {
        self.shape.as_ref()?.0.text_of(raw)
    }

    /// Its block's lane, while the block is neither renumbered nor a call.
    fn fast_lane(&mut self) -> Option<&mut Lane> {
        let i = self.shape.as_ref()?.1;
        let b = self.blocks.get_mut(&i).filter(|b| {
            b.new_index == Some(i) && matches!(b.fate, None | Some(CallFate::Allow { hold: false }))
        })?;
        Some(&mut b.lane)
    }

    fn holding(&self) -> bool {
        self.blocks.values().any(|b| b.lane.holding()) || self.paths.holding()
    }

    /// Lanes and tool input held for argument rules.
    fn held_bytes(&self) -> usize {
        let blocks: usize = self
            .blocks
            .values()
            .map(|b| b.lane.held_bytes() + b.held_json.len())
            .sum();
        blocks + self.paths.held_bytes()
    }

    fn holding_calls(&self) -> bool {
        self.blocks
            .values()
            .any(|b| b.fate == Some(CallFate::Allow { hold: true }))
    }

    fn strip_held_calls(&mut self, ctx: &mut Ctx<'_>) {
        for (i, b) in self.blocks.iter_mut() {
            if b.fate == Some(CallFate::Allow { hold: true }) {
                ctx.held_call_stripped(&format!("content[{i}]"));
                b.fate = Some(CallFate::Strip);
                b.held_json = String::new();
                b.start = None;
                self.stripped = true;
            }
        }
    }

    fn finish_open(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue) {
        self.paths.finish(ctx, queue, &"", &ev_or_delta);
        // Blocks never stopped (upstream cut short): release what their lanes hold.
        let open: Vec<u64> = self.blocks.keys().copied().collect();
        for i in open {
            if let Some(mut b) = self.blocks.remove(&i) {
                if matches!(b.fate, None | Some(CallFate::Allow { hold: false })) {
                    let loc = format!("content[{i}]");
                    let rest = ctx.finish_text(&mut b.lane, &loc, &mut queue.diverged);
                    if !rest.is_empty() {
                        queue.push_full(ev(
                            "content_block_delta",
                            &json!({"type": "content_block_delta", "index": b.new_index.unwrap_or(i),
                                    "delta": block_delta(&b.kind, rest)}),
                        ));
                    }
                }
            }
        }
    }
}
