//! OpenAI Chat Completions streams (`chat.completion.chunk` SSE events, ending `data: [DONE]`),
//! and the legacy Completions stream (`text_completion` events with `choices[i].text`), which
//! Ollama and vLLM serve too.
//!
//! Text: `choices[i].delta.content` (and `reasoning_content` / `reasoning` from servers that send
//! reasoning) per choice. Tool calls: `choices[i].delta.tool_calls[j]` with `index`, the name in the
//! first fragment and `function.arguments` in fragments. Stripped calls disappear and the remaining
//! ones are renumbered so SDK accumulators (which index by `index`) see no gap.
//!
//! A call held for its argument rules is complete as soon as a fragment of another call arrives
//! (OpenAI streams calls one after another) or its choice finishes: it is decided then and, if
//! allowed, emitted whole at that point, so calls reach the client in the upstream's order. A
//! fragment of a held call that arrives after it was decided (an upstream interleaving calls) is
//! dropped: the client sees exactly the arguments that were checked.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{frame_forms, CallFate, Ctx, FrameQueue, Lane, StreamProcessor, TextEdits};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, write_event, SseFramer};

const TEXT_FIELDS: [&str; 3] = ["content", "reasoning_content", "reasoning"];

#[derive(Default)]
struct Call {
    name: String,
    id: Option<String>,
    fate: Option<CallFate>,
    new_index: Option<u64>,
    /// Argument text of a held call.
    held_args: String,
    args_lane: Lane,
    /// A held call that was decided on its arguments: later fragments are dropped.
    sealed: bool,
}

#[derive(Default)]
struct Choice {
    lanes: [Lane; 3],
    /// Legacy Completions text (`choices[i].text`).
    completion: Lane,
    calls: BTreeMap<u64, Call>,
    next_index: u64,
    stripped: bool,
    finished: bool,
}

impl Choice {
    fn holding(&self) -> bool {
        // A call held for its argument rules is not in the window: its frames are dropped and
        // it is re-emitted whole once complete (see `release_held`).
        self.lanes.iter().any(Lane::holding)
            || self.completion.holding()
            || self.calls.values().any(|c| c.args_lane.holding())
    }
}

#[derive(Default)]
pub struct OpenAiChatStream {
    framer: SseFramer,
    choices: BTreeMap<u64, Choice>,
    /// The last chunk seen, as a template for synthetic chunks (id, model, created).
    template: Option<Value>,
    queue: FrameQueue,
    max_frame: usize,
    done: bool,
}

fn sse_data(v: &Value) -> Vec<u8> {
    write_event(None, &v.to_string())
}

/// A chunk carrying one choice, built on `template` (the last chunk seen: id, model, created).
fn synthetic_choice(template: Option<&Value>, choice: Value) -> Vec<u8> {
    let mut chunk = template
        .cloned()
        .unwrap_or_else(|| json!({"object": "chat.completion.chunk"}));
    if let Some(map) = chunk.as_object_mut() {
        map.remove("usage");
        map.insert("choices".into(), json!([choice]));
    }
    sse_data(&chunk)
}

fn synthetic_delta(template: Option<&Value>, choice: u64, delta: Value) -> Vec<u8> {
    synthetic_choice(
        template,
        json!({"index": choice, "delta": delta, "finish_reason": null}),
    )
}

/// Decides a held call `j` of choice `k` on its complete arguments: allowed, it is queued whole
/// at the next client index; stripped, it disappears; blocked, `ctx.terminate` is set. Either
/// way the call is sealed.
#[allow(clippy::too_many_arguments)]
fn release_held(
    ctx: &mut Ctx<'_>,
    template: Option<&Value>,
    queue: &mut FrameQueue,
    k: u64,
    j: u64,
    call: &mut Call,
    next_index: &mut u64,
    stripped: &mut bool,
) {
    call.sealed = true;
    let loc = format!("choices[{k}].delta.tool_calls[{j}]");
    match ctx.call_arguments(&call.name, &call.held_args, &loc) {
        CallFate::Allow { .. } => {
            let args = ctx
                .redact_whole(&call.held_args, &loc)
                .unwrap_or_else(|| std::mem::take(&mut call.held_args));
            let idx = *next_index;
            *next_index += 1;
            let mut tc = json!({
                "index": idx,
                "type": "function",
                "function": {"name": call.name, "arguments": args},
            });
            if let (Some(id), Some(map)) = (&call.id, tc.as_object_mut()) {
                map.insert("id".into(), Value::String(id.clone()));
            }
            call.new_index = Some(idx);
            call.fate = Some(CallFate::Allow { hold: false });
            queue.push_both(synthetic_delta(template, k, json!({"tool_calls": [tc]})));
        }
        CallFate::Strip => {
            call.fate = Some(CallFate::Strip);
            *stripped = true;
        }
        CallFate::Block => call.fate = Some(CallFate::Block),
    }
    call.held_args.clear();
}

impl OpenAiChatStream {
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            ..Self::default()
        }
    }

    fn holding(&self) -> bool {
        self.choices.values().any(Choice::holding)
    }

    fn synthetic(&self, choice: u64, delta: Value) -> Vec<u8> {
        synthetic_delta(self.template.as_ref(), choice, delta)
    }

    fn synthetic_choice(&self, choice: Value) -> Vec<u8> {
        synthetic_choice(self.template.as_ref(), choice)
    }

    /// Releases what a choice still holds (text lanes, held calls, argument lanes) as synthetic
    /// chunks queued before the chunk that finishes it.
    fn flush_choice(&mut self, ctx: &mut Ctx<'_>, k: u64) {
        let Some(mut choice) = self.choices.remove(&k) else {
            return;
        };
        if !choice.finished {
            choice.finished = true;
            let mut delta = serde_json::Map::new();
            for (field, lane) in TEXT_FIELDS.iter().zip(choice.lanes.iter_mut()) {
                let loc = format!("choices[{k}].delta.{field}");
                let rest = ctx.finish_text(lane, &loc, &mut self.queue.diverged);
                if !rest.is_empty() {
                    delta.insert((*field).into(), Value::String(rest));
                }
            }
            if !delta.is_empty() {
                let frame = self.synthetic(k, Value::Object(delta));
                self.queue.push_full(frame);
            }
            let loc = format!("choices[{k}].text");
            let rest = ctx.finish_text(&mut choice.completion, &loc, &mut self.queue.diverged);
            if !rest.is_empty() {
                let frame =
                    self.synthetic_choice(json!({"index": k, "text": rest, "finish_reason": null}));
                self.queue.push_full(frame);
            }
            let Choice {
                calls,
                next_index,
                stripped,
                ..
            } = &mut choice;
            for (j, call) in calls.iter_mut() {
                let loc = format!("choices[{k}].delta.tool_calls[{j}]");
                match call.fate {
                    Some(CallFate::Allow { hold: true }) => {
                        release_held(
                            ctx,
                            self.template.as_ref(),
                            &mut self.queue,
                            k,
                            *j,
                            call,
                            next_index,
                            stripped,
                        );
                        if ctx.terminate.is_some() {
                            return;
                        }
                    }
                    Some(CallFate::Allow { hold: false }) => {
                        let rest =
                            ctx.finish_text(&mut call.args_lane, &loc, &mut self.queue.diverged);
                        if !rest.is_empty() {
                            let idx = call.new_index.unwrap_or(*j);
                            let frame = self.synthetic(
                                k,
                                json!({"tool_calls": [{"index": idx, "function": {"arguments": rest}}]}),
                            );
                            self.queue.push_full(frame);
                        }
                    }
                    _ => {}
                }
            }
        }
        self.choices.insert(k, choice);
    }

    fn flush_all(&mut self, ctx: &mut Ctx<'_>) {
        let keys: Vec<u64> = self.choices.keys().copied().collect();
        for k in keys {
            self.flush_choice(ctx, k);
        }
    }

    /// Processes one `chat.completion.chunk` in place; returns whether anything beyond text was
    /// edited, and records text edits.
    fn process_chunk(
        &mut self,
        ctx: &mut Ctx<'_>,
        chunk: &mut Value,
        edits: &mut TextEdits,
    ) -> bool {
        let mut structural = false;
        let Some(choices) = chunk.get_mut("choices").and_then(Value::as_array_mut) else {
            return structural;
        };
        let mut finishing = Vec::new();
        for (pos, c) in choices.iter_mut().enumerate() {
            let k = c.get("index").and_then(Value::as_u64).unwrap_or(pos as u64);
            let state = self.choices.entry(k).or_default();
            if let Some(delta) = c.get_mut("delta").and_then(Value::as_object_mut) {
                for (field, lane) in TEXT_FIELDS.iter().zip(state.lanes.iter_mut()) {
                    if let Some(Value::String(piece)) = delta.get_mut(*field) {
                        if piece.is_empty() {
                            continue;
                        }
                        let loc = format!("choices[{k}].delta.{field}");
                        let released = ctx.push_text(lane, piece, &loc, &mut self.queue.diverged);
                        if released != *piece {
                            let original = std::mem::replace(piece, released);
                            edits.push((format!("/choices/{pos}/delta/{field}"), original));
                        }
                    }
                }
                if let Some(Value::Array(calls)) = delta.get_mut("tool_calls") {
                    let before = calls.len();
                    let mut keep = Vec::with_capacity(before);
                    for (p, tc) in std::mem::take(calls).into_iter().enumerate() {
                        let ptr = format!(
                            "/choices/{pos}/delta/tool_calls/{}/function/arguments",
                            keep.len()
                        );
                        let (kept, edited) = Self::process_call(
                            ctx,
                            state,
                            k,
                            p,
                            tc,
                            (self.template.as_ref(), &mut self.queue),
                            &ptr,
                            edits,
                        );
                        structural |= edited;
                        if let Some(tc) = kept {
                            keep.push(tc);
                        }
                    }
                    structural |= keep.len() != before;
                    if keep.is_empty() {
                        delta.remove("tool_calls");
                    } else {
                        *calls = keep;
                    }
                }
            }
            if let Some(Value::String(piece)) = c.get_mut("text") {
                if !piece.is_empty() {
                    let loc = format!("choices[{k}].text");
                    let released =
                        ctx.push_text(&mut state.completion, piece, &loc, &mut self.queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push((format!("/choices/{pos}/text"), original));
                    }
                }
            }
            if ctx.terminate.is_some() {
                return structural;
            }
            if c.get("finish_reason").is_some_and(|f| !f.is_null()) {
                finishing.push(k);
            }
        }
        for k in finishing {
            self.flush_choice(ctx, k);
            if ctx.terminate.is_some() {
                return structural;
            }
            let Some(state) = self.choices.get(&k) else {
                continue;
            };
            if state.stripped && state.next_index == 0 {
                if let Some(c) = chunk
                    .get_mut("choices")
                    .and_then(Value::as_array_mut)
                    .and_then(|cs| cs.iter_mut().find(|c| super::index_of(c, "index") == k))
                {
                    if c.get("finish_reason").and_then(Value::as_str) == Some("tool_calls") {
                        if let Some(m) = c.as_object_mut() {
                            m.insert("finish_reason".into(), Value::String("stop".into()));
                        }
                        structural = true;
                    }
                }
            }
        }
        structural
    }

    /// One tool-call fragment: returns the fragment to keep (if any) and whether it was
    /// structurally edited.
    #[allow(clippy::too_many_arguments)]
    fn process_call(
        ctx: &mut Ctx<'_>,
        state: &mut Choice,
        k: u64,
        pos: usize,
        mut tc: Value,
        (template, queue): (Option<&Value>, &mut FrameQueue),
        args_ptr: &str,
        edits: &mut TextEdits,
    ) -> (Option<Value>, bool) {
        let j = tc
            .get("index")
            .and_then(Value::as_u64)
            .unwrap_or(pos as u64);
        let loc = format!("choices[{k}].delta.tool_calls[{j}]");
        // A fragment of call `j` means every other held call is complete (calls stream one after
        // another): decide and emit them now, before this call is numbered, so order and indexes
        // are the upstream's.
        let Choice {
            calls,
            next_index,
            stripped,
            ..
        } = &mut *state;
        for (hj, held) in calls.iter_mut() {
            if *hj != j && held.fate == Some(CallFate::Allow { hold: true }) {
                release_held(ctx, template, queue, k, *hj, held, next_index, stripped);
                if ctx.terminate.is_some() {
                    return (None, true);
                }
            }
        }
        let call = state.calls.entry(j).or_default();
        if call.sealed {
            return (None, true);
        }
        if call.fate.is_none() {
            let Some(name) = tc.pointer("/function/name").and_then(Value::as_str) else {
                // Arguments before any name: nothing to decide yet.
                return (Some(tc), false);
            };
            call.name = name.to_string();
            call.id = tc.get("id").and_then(Value::as_str).map(str::to_string);
            let fate = ctx.call_named(name, &loc);
            call.fate = Some(fate);
            match fate {
                CallFate::Allow { hold: false } => {
                    call.new_index = Some(state.next_index);
                    state.next_index += 1;
                }
                CallFate::Strip => state.stripped = true,
                _ => {}
            }
        }
        match call.fate {
            Some(CallFate::Allow { hold: false }) => {
                let mut structural = false;
                let idx = call.new_index.unwrap_or(j);
                if idx != j {
                    if let Some(m) = tc.as_object_mut() {
                        m.insert("index".into(), json!(idx));
                    }
                    structural = true;
                }
                if let Some(Value::String(args)) = tc.pointer_mut("/function/arguments") {
                    if !args.is_empty() {
                        let released =
                            ctx.push_text(&mut call.args_lane, args, &loc, &mut queue.diverged);
                        if released != *args {
                            let original = std::mem::replace(args, released);
                            edits.push((args_ptr.to_string(), original));
                        }
                    }
                }
                (Some(tc), structural)
            }
            Some(CallFate::Allow { hold: true }) => {
                if let Some(args) = tc.pointer("/function/arguments").and_then(Value::as_str) {
                    call.held_args.push_str(args);
                }
                (None, true)
            }
            _ => (None, true),
        }
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, raw: Vec<u8>) {
        let ev = parse_event(&raw);
        let Some(data) = ev.data else {
            self.queue.push_both(raw);
            return;
        };
        if data.trim() == "[DONE]" {
            self.flush_all(ctx);
            if ctx.terminate.is_none() {
                self.done = true;
                self.queue.push_both(raw);
            }
            return;
        }
        let Ok(mut chunk) = serde_json::from_str::<Value>(&data) else {
            // Not JSON: redact it as text, keep the framing.
            match ctx.redact_whole(&data, "sse.data") {
                Some(r) => self.queue.push_both(write_event(ev.event.as_deref(), &r)),
                None => self.queue.push_both(raw),
            }
            return;
        };
        if chunk.get("choices").is_some() {
            let mut template = chunk.clone();
            if let Some(map) = template.as_object_mut() {
                map.remove("choices");
            }
            self.template = Some(template);
        }
        let mut edits = TextEdits::new();
        let structural = if chunk.get("choices").is_some() {
            self.process_chunk(ctx, &mut chunk, &mut edits)
        } else {
            // Not a completion chunk (an error, or an unknown shape): no lanes to keep, but
            // nothing passes unscanned.
            ctx.redact_value(&mut chunk, "sse.data")
        };
        if ctx.terminate.is_some() {
            return;
        }
        let name = ev.event;
        let (clean, full) = frame_forms(&raw, &chunk, &edits, structural, &|v| {
            write_event(name.as_deref(), &v.to_string())
        });
        self.queue.push(clean, full);
    }
}

impl StreamProcessor for OpenAiChatStream {
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
            // An unterminated last event: process it as if it were terminated.
            let mut raw = rest;
            raw.extend_from_slice(b"\n\n");
            self.on_event(ctx, raw);
        }
        if !self.done {
            self.flush_all(ctx);
        }
        self.queue.flush(out);
        if let Some(r) = ctx.terminate.clone() {
            out.extend(stream_error(Dialect::OpenAi, &r, false));
        }
    }
}
