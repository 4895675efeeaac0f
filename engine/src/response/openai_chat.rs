//! OpenAI Chat Completions streams (`chat.completion.chunk` SSE events, ending `data: [DONE]`).
//!
//! Text: `choices[i].delta.content` (and `reasoning_content` / `reasoning` from servers that send
//! reasoning) per choice. Tool calls: `choices[i].delta.tool_calls[j]` with `index`, the name in the
//! first fragment and `function.arguments` in fragments. Stripped calls disappear and the remaining
//! ones are renumbered so SDK accumulators (which index by `index`) see no gap.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{index_of, CallFate, Ctx, StreamProcessor};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, SseFramer};
use crate::secrets::StreamRedactor;

const TEXT_FIELDS: [&str; 3] = ["content", "reasoning_content", "reasoning"];

#[derive(Default)]
struct Call {
    name: String,
    id: Option<String>,
    fate: Option<CallFate>,
    new_index: Option<u64>,
    /// Argument text of a held call.
    held_args: String,
    args_lane: StreamRedactor,
}

#[derive(Default)]
struct Choice {
    lanes: [StreamRedactor; 3],
    calls: BTreeMap<u64, Call>,
    next_index: u64,
    stripped: bool,
    finished: bool,
}

#[derive(Default)]
pub struct OpenAiChatStream {
    framer: SseFramer,
    choices: BTreeMap<u64, Choice>,
    /// The last chunk seen, as a template for synthetic chunks (id, model, created).
    template: Option<Value>,
    max_frame: usize,
    done: bool,
}

impl OpenAiChatStream {
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            ..Self::default()
        }
    }

    fn synthetic(&self, choice: u64, delta: Value) -> Vec<u8> {
        let mut chunk = self
            .template
            .clone()
            .unwrap_or_else(|| json!({"object": "chat.completion.chunk"}));
        if let Some(map) = chunk.as_object_mut() {
            map.remove("usage");
            map.insert(
                "choices".into(),
                json!([{"index": choice, "delta": delta, "finish_reason": null}]),
            );
        }
        sse_data(&chunk)
    }

    /// Releases what a choice still holds (text lanes, held calls, argument lanes) as synthetic
    /// chunks, before the chunk that finishes it.
    fn flush_choice(&mut self, ctx: &mut Ctx<'_>, k: u64, out: &mut Vec<u8>) {
        let Some(mut choice) = self.choices.remove(&k) else {
            return;
        };
        if !choice.finished {
            choice.finished = true;
            let mut delta = serde_json::Map::new();
            for (field, lane) in TEXT_FIELDS.iter().zip(choice.lanes.iter_mut()) {
                let rest = ctx.finish_text(lane, &format!("choices[{k}].delta.{field}"));
                if !rest.is_empty() {
                    delta.insert((*field).into(), Value::String(rest));
                }
            }
            if !delta.is_empty() {
                out.extend(self.synthetic(k, Value::Object(delta)));
            }
            let mut next = choice.next_index;
            for (j, call) in choice.calls.iter_mut() {
                let loc = format!("choices[{k}].delta.tool_calls[{j}]");
                match call.fate {
                    Some(CallFate::Allow { hold: true }) => {
                        match ctx.call_arguments(&call.name, &call.held_args, &loc) {
                            CallFate::Allow { .. } => {
                                let args = match ctx.redact_whole(&call.held_args, &loc) {
                                    Some(r) => r,
                                    None => std::mem::take(&mut call.held_args),
                                };
                                let mut tc = json!({
                                    "index": next,
                                    "type": "function",
                                    "function": {"name": call.name, "arguments": args},
                                });
                                if let (Some(id), Some(map)) = (&call.id, tc.as_object_mut()) {
                                    map.insert("id".into(), Value::String(id.clone()));
                                }
                                next += 1;
                                out.extend(self.synthetic(k, json!({"tool_calls": [tc]})));
                            }
                            CallFate::Strip => choice.stripped = true,
                            CallFate::Block => return,
                        }
                    }
                    Some(CallFate::Allow { hold: false }) => {
                        let rest = ctx.finish_text(&mut call.args_lane, &loc);
                        if !rest.is_empty() {
                            let idx = call.new_index.unwrap_or(*j);
                            out.extend(self.synthetic(
                                k,
                                json!({"tool_calls": [{"index": idx, "function": {"arguments": rest}}]}),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            choice.next_index = next;
        }
        self.choices.insert(k, choice);
    }

    fn flush_all(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        let keys: Vec<u64> = self.choices.keys().copied().collect();
        for k in keys {
            self.flush_choice(ctx, k, out);
        }
    }

    /// Processes one `chat.completion.chunk`; returns true if it was changed.
    fn process_chunk(&mut self, ctx: &mut Ctx<'_>, chunk: &mut Value, out: &mut Vec<u8>) -> bool {
        let mut changed = false;
        let Some(choices) = chunk.get_mut("choices").and_then(Value::as_array_mut) else {
            return changed;
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
                        let released =
                            ctx.push_text(lane, piece, &format!("choices[{k}].delta.{field}"));
                        if released != *piece {
                            *piece = released;
                            changed = true;
                        }
                    }
                }
                if let Some(Value::Array(calls)) = delta.get_mut("tool_calls") {
                    let before = calls.len();
                    let mut keep = Vec::with_capacity(before);
                    for (pos, tc) in std::mem::take(calls).into_iter().enumerate() {
                        let (kept, edited) = Self::process_call(ctx, state, k, pos, tc);
                        changed |= edited;
                        if let Some(tc) = kept {
                            keep.push(tc);
                        }
                    }
                    changed |= keep.len() != before;
                    if keep.is_empty() {
                        delta.remove("tool_calls");
                    } else {
                        *calls = keep;
                    }
                }
            }
            if ctx.terminate.is_some() {
                return changed;
            }
            if c.get("finish_reason").is_some_and(|f| !f.is_null()) {
                finishing.push(k);
            }
        }
        for k in finishing {
            let mut pre = Vec::new();
            self.flush_choice(ctx, k, &mut pre);
            if ctx.terminate.is_some() {
                return changed;
            }
            out.extend(pre);
            let Some(state) = self.choices.get(&k) else {
                continue;
            };
            let none_left = state.next_index == 0;
            if state.stripped && none_left {
                if let Some(c) = chunk
                    .get_mut("choices")
                    .and_then(Value::as_array_mut)
                    .and_then(|cs| cs.iter_mut().find(|c| index_of(c, "index") == k))
                {
                    if c.get("finish_reason").and_then(Value::as_str) == Some("tool_calls") {
                        if let Some(m) = c.as_object_mut() {
                            m.insert("finish_reason".into(), Value::String("stop".into()));
                        }
                        changed = true;
                    }
                }
            }
        }
        changed
    }

    /// One tool-call fragment: returns the fragment to keep (if any) and whether it was edited.
    fn process_call(
        ctx: &mut Ctx<'_>,
        state: &mut Choice,
        k: u64,
        pos: usize,
        mut tc: Value,
    ) -> (Option<Value>, bool) {
        let j = tc
            .get("index")
            .and_then(Value::as_u64)
            .unwrap_or(pos as u64);
        let loc = format!("choices[{k}].delta.tool_calls[{j}]");
        let call = state.calls.entry(j).or_default();
        if call.fate.is_none() {
            let Some(name) = tc.pointer("/function/name").and_then(Value::as_str) else {
                // Arguments before a name: hold nothing back, there is nothing to decide yet.
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
                let mut edited = false;
                let idx = call.new_index.unwrap_or(j);
                if idx != j {
                    if let Some(m) = tc.as_object_mut() {
                        m.insert("index".into(), json!(idx));
                    }
                    edited = true;
                }
                if let Some(Value::String(args)) = tc.pointer_mut("/function/arguments") {
                    if !args.is_empty() {
                        let released = ctx.push_text(&mut call.args_lane, args, &loc);
                        if released != *args {
                            *args = released;
                            edited = true;
                        }
                    }
                }
                (Some(tc), edited)
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

    fn on_event(&mut self, ctx: &mut Ctx<'_>, raw: Vec<u8>, out: &mut Vec<u8>) {
        let ev = parse_event(&raw);
        let Some(data) = ev.data else {
            out.extend(raw);
            return;
        };
        if data.trim() == "[DONE]" {
            self.flush_all(ctx, out);
            if ctx.terminate.is_none() {
                self.done = true;
                out.extend(raw);
            }
            return;
        }
        let Ok(mut chunk) = serde_json::from_str::<Value>(&data) else {
            // Not JSON: redact it as text, keep the framing.
            match ctx.redact_whole(&data, "sse.data") {
                Some(r) => out.extend(crate::framing::sse::write_event(ev.event.as_deref(), &r)),
                None => out.extend(raw),
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
        let mut pre = Vec::new();
        let changed = self.process_chunk(ctx, &mut chunk, &mut pre);
        if ctx.terminate.is_some() {
            return;
        }
        out.extend(pre);
        if changed {
            out.extend(crate::framing::sse::write_event(
                ev.event.as_deref(),
                &chunk.to_string(),
            ));
        } else {
            out.extend(raw);
        }
    }
}

fn sse_data(v: &Value) -> Vec<u8> {
    crate::framing::sse::write_event(None, &v.to_string())
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
            self.on_event(ctx, raw, out);
            if let Some(r) = ctx.terminate.clone() {
                out.extend(stream_error(Dialect::OpenAi, &r, false));
                return Err(r);
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
            self.on_event(ctx, raw, out);
        }
        if !self.done {
            self.flush_all(ctx, out);
        }
        if let Some(r) = ctx.terminate.clone() {
            out.extend(stream_error(Dialect::OpenAi, &r, false));
        }
    }
}
