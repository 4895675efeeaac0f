//! OpenAI Responses API streams (typed SSE events: `response.output_text.delta`,
//! `response.function_call_arguments.delta`, `response.output_item.added` / `.done`,
//! `response.completed`, ...).
//!
//! Text deltas go through a lane per (output_index, content_index) and the lane is flushed before
//! `response.output_text.done`, whose full `text` is redacted as a whole (equal, by the redactor's
//! contract, to the concatenation of what was released). Events that carry whole objects
//! (`output_item.done`, `content_part.done`, `response.completed`) are redacted string by string
//! and cleaned of stripped function calls. Output indexes are renumbered around stripped items.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{frame_forms, index_of, CallFate, Ctx, FrameQueue, Lane, StreamProcessor, TextEdits};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, write_event, SseFramer};

#[derive(Default)]
struct Item {
    fate: Option<CallFate>,
    name: String,
    new_index: Option<u64>,
    added: Option<Value>,
    held_args: String,
    args_lane: Lane,
    text_lanes: BTreeMap<u64, Lane>,
}

#[derive(Default)]
pub struct OpenAiResponsesStream {
    framer: SseFramer,
    items: BTreeMap<u64, Item>,
    stripped_ids: BTreeSet<String>,
    next_index: u64,
    queue: FrameQueue,
    max_frame: usize,
}

impl OpenAiResponsesStream {
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            ..Self::default()
        }
    }

    fn holding(&self) -> bool {
        self.items
            .values()
            .any(|it| it.args_lane.holding() || it.text_lanes.values().any(Lane::holding))
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, raw: Vec<u8>) {
        let mut edits = TextEdits::new();
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
        let name = parsed.event.clone();
        let oi = index_of(&v, "output_index");
        let loc = format!("output[{oi}]");
        // `changed`: structural edits; `text_changed`: whole-object copies of text redacted (the
        // redacted copy is safe in both forms, so it counts as structural for the clean form).
        let mut changed = false;
        let mut text_changed = false;
        match kind.as_str() {
            "response.output_item.added" => {
                let item = v.get("item").cloned().unwrap_or(Value::Null);
                let mut it = Item::default();
                let mut keep = true;
                if item.get("type").and_then(Value::as_str) == Some("function_call") {
                    let fname = item.get("name").and_then(Value::as_str).unwrap_or("");
                    it.name = fname.to_string();
                    let fate = ctx.call_named(fname, &loc);
                    it.fate = Some(fate);
                    match fate {
                        CallFate::Allow { hold: true } => {
                            it.added = Some(v.clone());
                            keep = false;
                        }
                        CallFate::Strip => {
                            if let Some(id) = item.get("id").and_then(Value::as_str) {
                                self.stripped_ids.insert(id.to_string());
                            }
                            keep = false;
                        }
                        CallFate::Block => keep = false,
                        CallFate::Allow { hold: false } => {}
                    }
                }
                if keep {
                    it.new_index = Some(self.next_index);
                    self.next_index += 1;
                }
                let new_index = it.new_index;
                self.items.insert(oi, it);
                if !keep {
                    return;
                }
                changed |= renumber(&mut v, oi, new_index);
            }
            "response.output_text.delta"
            | "response.reasoning_summary_text.delta"
            | "response.refusal.delta" => {
                let ci = index_of(&v, "content_index");
                let it = implicit_item(&mut self.items, &mut self.next_index, oi);
                changed |= renumber(&mut v, oi, it.new_index);
                let lane = it.text_lanes.entry(ci).or_default();
                if let Some(Value::String(piece)) = v.get_mut("delta") {
                    let cloc = format!("{loc}.content[{ci}]");
                    let released = ctx.push_text(lane, piece, &cloc, &mut self.queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push(("/delta".into(), original));
                    }
                }
            }
            "response.output_text.done"
            | "response.reasoning_summary_text.done"
            | "response.refusal.done" => {
                let ci = index_of(&v, "content_index");
                let cloc = format!("{loc}.content[{ci}]");
                if let Some(it) = self.items.get_mut(&oi) {
                    changed |= renumber(&mut v, oi, it.new_index);
                    if let Some(mut lane) = it.text_lanes.remove(&ci) {
                        let rest = ctx.finish_text(&mut lane, &cloc, &mut self.queue.diverged);
                        if !rest.is_empty() {
                            let delta_type = kind.replace(".done", ".delta");
                            let mut d = json!({"type": delta_type, "output_index": it.new_index.unwrap_or(oi),
                                               "content_index": ci, "delta": rest});
                            if let (Some(id), Some(m)) = (v.get("item_id"), d.as_object_mut()) {
                                m.insert("item_id".into(), id.clone());
                            }
                            self.queue
                                .push_full(write_event(Some(&delta_type), &d.to_string()));
                        }
                    }
                }
                for field in ["text", "refusal"] {
                    if let Some(Value::String(full)) = v.get_mut(field) {
                        // Lanes were already audited; redact the full copy without re-counting.
                        let r = ctx.policy.secrets.redact(full);
                        if ctx.enforce && ctx.policy.secrets.response && r.text != *full {
                            // A whole copy of the text: redacted in both forms, never restored.
                            *full = r.text;
                            text_changed = true;
                        }
                    }
                }
            }
            "response.function_call_arguments.delta" => {
                let it = implicit_item(&mut self.items, &mut self.next_index, oi);
                match it.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        if let Some(d) = v.get("delta").and_then(Value::as_str) {
                            it.held_args.push_str(d);
                        }
                        return;
                    }
                    _ => {}
                }
                changed |= renumber(&mut v, oi, it.new_index);
                if let Some(Value::String(piece)) = v.get_mut("delta") {
                    let released =
                        ctx.push_text(&mut it.args_lane, piece, &loc, &mut self.queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push(("/delta".into(), original));
                    }
                }
            }
            "response.function_call_arguments.done" => {
                let it = implicit_item(&mut self.items, &mut self.next_index, oi);
                match it.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        let args = v
                            .get("arguments")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .unwrap_or_else(|| it.held_args.clone());
                        match ctx.call_arguments(&it.name, &args, &loc) {
                            CallFate::Allow { .. } => {
                                let idx = self.next_index;
                                self.next_index += 1;
                                it.new_index = Some(idx);
                                it.fate = Some(CallFate::Allow { hold: false });
                                let redacted = ctx.redact_whole(&args, &loc).unwrap_or(args);
                                if let Some(mut added) = it.added.take() {
                                    renumber(&mut added, oi, Some(idx));
                                    self.queue.push_both(write_event(
                                        Some("response.output_item.added"),
                                        &added.to_string(),
                                    ));
                                }
                                let mut d = json!({"type": "response.function_call_arguments.delta",
                                                   "output_index": idx, "delta": redacted});
                                if let (Some(id), Some(m)) = (v.get("item_id"), d.as_object_mut()) {
                                    m.insert("item_id".into(), id.clone());
                                }
                                self.queue.push_both(write_event(
                                    Some("response.function_call_arguments.delta"),
                                    &d.to_string(),
                                ));
                                if let Some(m) = v.as_object_mut() {
                                    m.insert("arguments".into(), Value::String(redacted));
                                }
                                renumber(&mut v, oi, Some(idx));
                                changed = true;
                            }
                            CallFate::Strip => {
                                it.fate = Some(CallFate::Strip);
                                if let Some(id) = v.get("item_id").and_then(Value::as_str) {
                                    self.stripped_ids.insert(id.to_string());
                                }
                                return;
                            }
                            CallFate::Block => return,
                        }
                    }
                    _ => {
                        let rest =
                            ctx.finish_text(&mut it.args_lane, &loc, &mut self.queue.diverged);
                        if !rest.is_empty() {
                            let mut d = json!({"type": "response.function_call_arguments.delta",
                                               "output_index": it.new_index.unwrap_or(oi), "delta": rest});
                            if let (Some(id), Some(m)) = (v.get("item_id"), d.as_object_mut()) {
                                m.insert("item_id".into(), id.clone());
                            }
                            self.queue.push_full(write_event(
                                Some("response.function_call_arguments.delta"),
                                &d.to_string(),
                            ));
                        }
                        changed |= renumber(&mut v, oi, it.new_index);
                        if let Some(a) = v.get_mut("arguments") {
                            text_changed |= redact_quiet(ctx, a);
                        }
                    }
                }
            }
            "response.output_item.done"
            | "response.content_part.added"
            | "response.content_part.done" => {
                if let Some(it) = self.items.get(&oi) {
                    if matches!(it.fate, Some(CallFate::Strip | CallFate::Block)) {
                        return;
                    }
                    changed |= renumber(&mut v, oi, it.new_index);
                }
                for key in ["item", "part"] {
                    if let Some(x) = v.get_mut(key) {
                        text_changed |= redact_quiet(ctx, x);
                    }
                }
            }
            "response.completed"
            | "response.incomplete"
            | "response.failed"
            | "response.created"
            | "response.in_progress" => {
                if let Some(Value::Array(output)) = v.pointer_mut("/response/output") {
                    let before = output.len();
                    output.retain(|item| {
                        !item
                            .get("id")
                            .and_then(Value::as_str)
                            .is_some_and(|id| self.stripped_ids.contains(id))
                    });
                    changed |= output.len() != before;
                }
                if let Some(r) = v.get_mut("response") {
                    text_changed |= redact_quiet(ctx, r);
                }
            }
            _ => {
                if let Some(it) = self.items.get(&oi) {
                    if matches!(it.fate, Some(CallFate::Strip | CallFate::Block)) {
                        return;
                    }
                    changed |= renumber(&mut v, oi, it.new_index);
                }
                // Event types this version does not know: scanned whole.
                text_changed |= ctx.redact_value(&mut v, &kind);
            }
        }
        if ctx.terminate.is_some() {
            return;
        }
        let (clean, full) = frame_forms(&raw, &v, &edits, changed || text_changed, &|v| {
            write_event(name.as_deref(), &v.to_string())
        });
        self.queue.push(clean, full);
    }
}

/// Redacts a whole object that repeats text already audited through the lanes.
fn redact_quiet(ctx: &mut Ctx<'_>, v: &mut Value) -> bool {
    if !ctx.enforce || !ctx.policy.secrets.response {
        return false;
    }
    let scanner = &ctx.policy.secrets;
    let mut changed = false;
    super::redact_strings(v, &mut |s| {
        let r = scanner.redact(s);
        if r.text != *s {
            *s = r.text;
            changed = true;
        }
    });
    changed
}

/// The item at `oi`; a delta for an item that was never added (a malformed or hostile upstream)
/// gets one, numbered like an added item, so its text still goes through a redacting lane instead
/// of passing raw.
fn implicit_item<'a>(
    items: &'a mut BTreeMap<u64, Item>,
    next_index: &mut u64,
    oi: u64,
) -> &'a mut Item {
    items.entry(oi).or_insert_with(|| {
        let idx = *next_index;
        *next_index += 1;
        Item {
            new_index: Some(idx),
            ..Item::default()
        }
    })
}

fn renumber(v: &mut Value, old: u64, new: Option<u64>) -> bool {
    match (new, v.as_object_mut()) {
        (Some(n), Some(m)) if n != old && m.contains_key("output_index") => {
            m.insert("output_index".into(), json!(n));
            true
        }
        _ => false,
    }
}

impl StreamProcessor for OpenAiResponsesStream {
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
                out.extend(stream_error(Dialect::OpenAi, &r, false));
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
        for (oi, it) in self.items.iter_mut() {
            for (ci, lane) in it.text_lanes.iter_mut() {
                let loc = format!("output[{oi}].content[{ci}]");
                let rest = ctx.finish_text(lane, &loc, &mut self.queue.diverged);
                if !rest.is_empty() {
                    let d = json!({"type": "response.output_text.delta",
                                   "output_index": it.new_index.unwrap_or(*oi), "content_index": ci, "delta": rest});
                    self.queue.push_full(write_event(
                        Some("response.output_text.delta"),
                        &d.to_string(),
                    ));
                }
            }
        }
        self.queue.flush(out);
        if let Some(r) = ctx.terminate.clone() {
            out.extend(stream_error(Dialect::OpenAi, &r, false));
        }
    }
}
