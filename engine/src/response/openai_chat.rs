//! OpenAI Chat Completions streams (`chat.completion.chunk` SSE events, ending `data: [DONE]`),
//! and the legacy Completions stream (`text_completion` events with `choices[i].text`), which
//! Ollama and vLLM serve too.
//!
//! Text: `choices[i].delta.content` (and `reasoning_content` / `reasoning` from servers that send
//! reasoning) per choice. Tool calls: `choices[i].delta.tool_calls[j]` with `index`, the name in the
//! first fragment and `function.arguments` in fragments. Stripped calls disappear and the remaining
//! ones are renumbered so SDK accumulators (which index by `index`) see no gap.
//!
//! A tool name may itself arrive in fragments (SDKs concatenate every string of a delta, the name
//! included), so a call is decided on its whole name: the name is complete when the call's first
//! arguments fragment arrives, a fragment of another call arrives, or the choice finishes. Until
//! then the call's fragments are held out of the stream; once decided, an allowed call is
//! re-emitted as one fragment carrying the whole name (the upstream's own frame when it was a
//! single one and needs no renumbering), and a name fragment arriving after the decision is
//! dropped, so the client assembles exactly the name that was checked. Custom tool calls
//! (`type: custom`, `custom.name` / `custom.input`) and the legacy single call
//! (`delta.function_call`) are governed the same way.
//!
//! A call held for its argument rules is complete as soon as a fragment of another call arrives
//! (OpenAI streams calls one after another) or its choice finishes: it is decided then and, if
//! allowed, emitted whole at that point, so calls reach the client in the upstream's order. A
//! fragment of a held call that arrives after it was decided (an upstream interleaving calls) is
//! dropped: the client sees exactly the arguments that were checked.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::{json, Value};

use super::events::EventDialect;
use super::passthrough::{sse_data_body, string_end, EventShape};
use super::paths::PathLanes;
use super::{frame_forms, CallFate, Ctx, FrameQueue, Lane, TextEdits};
use crate::api::Dialect;
use crate::framing::bytes::{find_all, same};
use crate::framing::sse::{parse_event, write_event};

const TEXT_FIELDS: [&str; 3] = ["content", "reasoning_content", "reasoning"];

/// The key of the legacy single call (`delta.function_call`) among a choice's calls.
const LEGACY: u64 = u64::MAX;

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
    /// A custom tool call: `custom.name` / `custom.input`.
    custom: bool,
    /// The legacy `delta.function_call`: `name` / `arguments` at its top level.
    legacy: bool,
    /// While the name is pending: the call's first fragment, re-emitted once decided.
    first: Option<Value>,
    /// The upstream frame that carried only the first fragment, re-emitted as it came when the
    /// call is allowed as it was.
    origin: Option<Vec<u8>>,
    /// Fragments seen while the name was pending.
    pending_fragments: usize,
}

impl Call {
    fn pending(&self) -> bool {
        self.fate.is_none() && self.first.is_some()
    }
    /// Held for its argument rules and not yet decided on them.
    fn held(&self) -> bool {
        self.fate == Some(CallFate::Allow { hold: true }) && !self.sealed
    }

    fn name_ptr(&self) -> &'static str {
        match (self.legacy, self.custom) {
            (true, _) => "/name",
            (false, true) => "/custom/name",
            (false, false) => "/function/name",
        }
    }

    fn args_ptr(&self) -> &'static str {
        match (self.legacy, self.custom) {
            (true, _) => "/arguments",
            (false, true) => "/custom/input",
            (false, false) => "/function/arguments",
        }
    }

    /// The key of the other kind of call, removed from this call's fragments so a client never
    /// assembles a name that was not checked.
    fn other_kind(&self) -> Option<&'static str> {
        match (self.legacy, self.custom) {
            (true, _) => None,
            (false, true) => Some("function"),
            (false, false) => Some("custom"),
        }
    }

    /// A whole fragment of this call at client index `idx`.
    fn fragment(&self, idx: u64, arguments: String) -> Value {
        if self.legacy {
            return json!({"name": self.name, "arguments": arguments});
        }
        let mut tc = if self.custom {
            json!({"index": idx, "type": "custom", "custom": {"name": self.name, "input": arguments}})
        } else {
            json!({"index": idx, "type": "function", "function": {"name": self.name, "arguments": arguments}})
        };
        if let (Some(id), Some(map)) = (&self.id, tc.as_object_mut()) {
            map.insert("id".into(), Value::String(id.clone()));
        }
        tc
    }

    /// The delta that carries one fragment of this call.
    fn delta(&self, fragment: Value) -> Value {
        if self.legacy {
            json!({"function_call": fragment})
        } else {
            json!({"tool_calls": [fragment]})
        }
    }
}

fn set_key(v: &mut Value, key: &str, new: Value) {
    if let Some(map) = v.as_object_mut() {
        map.insert(key.to_string(), new);
    }
}

/// Removes `ptr` (one or two levels deep) from a fragment; true if it was there.
fn remove_ptr(v: &mut Value, ptr: &str) -> bool {
    let (parent, key) = match ptr.rsplit_once('/') {
        Some((parent, key)) => (parent, key),
        None => return false,
    };
    let target = if parent.is_empty() {
        Some(v)
    } else {
        super::pointer_mut(v, parent)
    };
    target
        .and_then(Value::as_object_mut)
        .is_some_and(|m| m.remove(key).is_some())
}

/// How a choice's calls were numbered and what became of them.
#[derive(Default)]
struct Tally {
    /// Next client index for an allowed tool call.
    next_index: u64,
    stripped: bool,
    /// The legacy single call was allowed.
    legacy_kept: bool,
}

impl Tally {
    /// Numbers an allowed call (the legacy call has no index).
    fn allow(&mut self, call: &mut Call) -> u64 {
        if call.legacy {
            self.legacy_kept = true;
            return 0;
        }
        let idx = self.next_index;
        self.next_index += 1;
        call.new_index = Some(idx);
        idx
    }
}

#[derive(Default)]
struct Choice {
    lanes: [Lane; 3],
    /// Legacy Completions text (`choices[i].text`).
    completion: Lane,
    calls: BTreeMap<u64, Call>,
    tally: Tally,
    finished: bool,
}

impl Choice {
    fn holding(&self) -> bool {
        // A call held for its argument rules (or for the rest of its name) is not in the
        // window: its frames are dropped and it is re-emitted once decided (see
        // `release_held` and `decide_pending`).
        self.lanes.iter().any(Lane::holding)
            || self.completion.holding()
            || self.calls.values().any(|c| c.args_lane.holding())
    }
}

#[derive(Default)]
pub struct OpenAiChat {
    choices: BTreeMap<u64, Choice>,
    /// The last chunk seen, as a template for synthetic chunks (id, model, created).
    template: Option<Value>,
    /// Strings at paths not named above (`delta.refusal`, `delta.audio.transcript`, content
    /// parts, ...), scoped `choices[k]` or `chunk`.
    paths: PathLanes,
    done: bool,
    /// The shape of the last event, when it only carried text of a choice (`passthrough`).
    shape: Option<(EventShape, u64)>,
}

/// The choice whose `delta.content` is all an event carries that the full path acts on (every
/// other field an identifier, a number or null), if it is one: such an event can teach the fast
/// path its shape.
fn text_only(chunk: &Value) -> Option<u64> {
    let mut k = None;
    for (key, v) in chunk.as_object()? {
        match (key.as_str(), v) {
            ("choices", Value::Array(cs)) => {
                let [c] = cs.as_slice() else {
                    return None;
                };
                let mut index = 0;
                let mut text = false;
                for (ck, cv) in c.as_object()? {
                    match (ck.as_str(), cv) {
                        ("index", Value::Number(n)) => index = n.as_u64()?,
                        ("delta", Value::Object(d)) => {
                            for (dk, dv) in d {
                                match (dk.as_str(), dv) {
                                    ("content", Value::String(_)) => text = true,
                                    ("role", Value::String(_)) | (_, Value::Null) => {}
                                    _ => return None,
                                }
                            }
                        }
                        (_, Value::Null) => {}
                        _ => return None,
                    }
                }
                k = text.then_some(index);
            }
            (_, Value::Null | Value::Bool(_) | Value::Number(_)) => {}
            (key, Value::String(_)) if super::ID_KEYS.contains(&key) => {}
            _ => return None,
        }
    }
    k
}

/// `raw` (a chunk `text_only` accepts, its JSON at `body`) with its delta replaced by
/// `{"content":"x"}`: the form of the text events that follow an event without text (the
/// stream's opener, `{"role":"assistant","content":""}`) in its envelope, from which their shape
/// is learned. Such an event is `text_only` too, and the full path would do with it what it did
/// with `raw` but for the text (its envelope, hence the template, and its choice's other fields
/// are `raw`'s). None unless `"delta":` occurs once, its object holding no object or array.
fn with_text_delta(raw: &[u8], body: Range<usize>) -> Option<Vec<u8>> {
    let json = raw.get(body.clone())?;
    let mut keys = find_all(json, b"\"delta\":");
    let open = keys.next()? + 8;
    if keys.next().is_some() || json.get(open) != Some(&b'{') {
        return None;
    }
    let mut i = open + 1;
    let close = loop {
        match json.get(i)? {
            b'"' => i = string_end(json, i + 1)? + 1,
            b'}' => break i,
            b'{' | b'[' => return None,
            _ => i += 1,
        }
    };
    let mut form = raw.get(..body.start + open)?.to_vec();
    form.extend_from_slice(br#"{"content":"x"}"#);
    form.extend_from_slice(raw.get(body.start + close + 1..)?);
    Some(form)
}

/// What follows `lit` in `raw`, when `raw` starts with it.
fn after<'r>(raw: &'r [u8], lit: &[u8]) -> Option<&'r [u8]> {
    let (head, rest) = raw.split_at_checked(lit.len())?;
    same(head, lit).then_some(rest)
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

fn call_location(k: u64, j: u64) -> String {
    if j == LEGACY {
        format!("choices[{k}].delta.function_call")
    } else {
        format!("choices[{k}].delta.tool_calls[{j}]")
    }
}

/// Decides a call whose name is complete (its first arguments fragment arrived, another call
/// started, or the choice finished). Allowed without argument rules, its first fragment is
/// queued now with the whole name (the upstream's own frame when nothing about it changed);
/// held for argument rules, it waits for its arguments; stripped, it disappears; blocked,
/// `ctx.terminate` is set.
fn decide_pending(
    ctx: &mut Ctx<'_>,
    (template, queue): (Option<&Value>, &mut FrameQueue),
    k: u64,
    j: u64,
    call: &mut Call,
    tally: &mut Tally,
) {
    let Some(mut first) = call.first.take() else {
        return;
    };
    let origin = call.origin.take();
    let fate = ctx.call_named(&call.name, &call_location(k, j));
    call.fate = Some(fate);
    match fate {
        CallFate::Allow { hold: false } => {
            let idx = tally.allow(call);
            if let Some(raw) =
                origin.filter(|_| call.pending_fragments == 1 && (call.legacy || idx == j))
            {
                queue.push_both(raw);
                return;
            }
            let name_ptr = call.name_ptr();
            if let Some(slot) = super::pointer_mut(&mut first, name_ptr) {
                *slot = Value::String(call.name.clone());
            } else if let Some(m) = first.as_object_mut() {
                // The name came in later fragments only: build the whole fragment.
                let whole = call.fragment(idx, String::new());
                for (key, value) in whole.as_object().into_iter().flatten() {
                    if !m.contains_key(key) || key == "function" || key == "custom" {
                        m.insert(key.clone(), value.clone());
                    }
                }
            }
            if !call.legacy {
                set_key(&mut first, "index", json!(idx));
                if let Some(id) = &call.id {
                    set_key(&mut first, "id", Value::String(id.clone()));
                }
            }
            queue.push_both(synthetic_delta(template, k, call.delta(first)));
        }
        CallFate::Strip => tally.stripped = true,
        CallFate::Allow { hold: true } | CallFate::Block => {}
    }
}

/// Decides a held call `j` of choice `k` on its complete arguments: allowed, it is queued whole
/// at the next client index; stripped, it disappears; blocked, `ctx.terminate` is set. Either
/// way the call is sealed.
fn release_held(
    ctx: &mut Ctx<'_>,
    (template, queue): (Option<&Value>, &mut FrameQueue),
    k: u64,
    j: u64,
    call: &mut Call,
    tally: &mut Tally,
) {
    call.sealed = true;
    let loc = call_location(k, j);
    match ctx.call_argument_forms(&call.name, call.custom, &[&call.held_args], &loc) {
        CallFate::Allow { .. } => {
            let args = ctx
                .redact_whole(&call.held_args, &loc)
                .unwrap_or_else(|| std::mem::take(&mut call.held_args));
            let idx = tally.allow(call);
            call.fate = Some(CallFate::Allow { hold: false });
            let delta = call.delta(call.fragment(idx, args));
            queue.push_both(synthetic_delta(template, k, delta));
        }
        CallFate::Strip => {
            call.fate = Some(CallFate::Strip);
            tally.stripped = true;
        }
        CallFate::Block => call.fate = Some(CallFate::Block),
    }
    call.held_args.clear();
}

/// Completes every call of a choice but `except`: pending names are decided, held calls are
/// decided on their arguments (calls stream one after another, so a fragment of another call,
/// or the end of the choice, means they are complete). Stops at a block.
fn complete_calls(
    ctx: &mut Ctx<'_>,
    (template, queue): (Option<&Value>, &mut FrameQueue),
    k: u64,
    except: Option<u64>,
    calls: &mut BTreeMap<u64, Call>,
    tally: &mut Tally,
) {
    for (hj, other) in calls.iter_mut() {
        if Some(*hj) == except {
            continue;
        }
        if other.pending() {
            decide_pending(ctx, (template, &mut *queue), k, *hj, other, tally);
        }
        if other.fate == Some(CallFate::Allow { hold: true }) && !other.sealed {
            release_held(ctx, (template, &mut *queue), k, *hj, other, tally);
        }
        if ctx.terminate.is_some() {
            return;
        }
    }
}

/// True when a re-written chunk carries nothing any more (every choice's delta emptied by the
/// removal of held or stripped call fragments): it is dropped rather than sent empty.
fn is_void(chunk: &Value) -> bool {
    if chunk.get("usage").is_some_and(|u| !u.is_null()) {
        return false;
    }
    let Some(choices) = chunk.get("choices").and_then(Value::as_array) else {
        return false;
    };
    choices.iter().all(|c| {
        let Some(m) = c.as_object() else {
            return false;
        };
        m.iter().all(|(key, value)| match key.as_str() {
            "index" => true,
            "delta" => value.as_object().is_some_and(serde_json::Map::is_empty),
            _ => value.is_null(),
        })
    })
}

impl OpenAiChat {
    fn synthetic(&self, choice: u64, delta: Value) -> Vec<u8> {
        synthetic_delta(self.template.as_ref(), choice, delta)
    }

    fn synthetic_choice(&self, choice: Value) -> Vec<u8> {
        synthetic_choice(self.template.as_ref(), choice)
    }

    /// Releases what a choice still holds (text lanes, pending and held calls, argument lanes)
    /// as synthetic chunks queued before the chunk that finishes it.
    fn flush_choice(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, k: u64) {
        let Some(mut choice) = self.choices.remove(&k) else {
            return;
        };
        if !choice.finished {
            choice.finished = true;
            let template = self.template.as_ref();
            self.paths
                .finish(ctx, &mut *queue, &format_args!("choices[{k}]|"), &|_, v| {
                    synthetic_choice(template, v.clone())
                });
            let mut delta = serde_json::Map::new();
            for (field, lane) in TEXT_FIELDS.iter().zip(choice.lanes.iter_mut()) {
                let loc = format_args!("choices[{k}].delta.{field}");
                let rest = ctx.finish_text(lane, &loc, &mut queue.diverged);
                if !rest.is_empty() {
                    delta.insert((*field).into(), Value::String(rest));
                }
            }
            if !delta.is_empty() {
                let frame = self.synthetic(k, Value::Object(delta));
                queue.push_full(frame);
            }
            let loc = format_args!("choices[{k}].text");
            let rest = ctx.finish_text(&mut choice.completion, &loc, &mut queue.diverged);
            if !rest.is_empty() {
                let frame =
                    self.synthetic_choice(json!({"index": k, "text": rest, "finish_reason": null}));
                queue.push_full(frame);
            }
            let Choice { calls, tally, .. } = &mut choice;
            complete_calls(
                ctx,
                (self.template.as_ref(), &mut *queue),
                k,
                None,
                calls,
                tally,
            );
            if ctx.terminate.is_some() {
                return;
            }
            for (j, call) in calls.iter_mut() {
                if call.fate != Some(CallFate::Allow { hold: false }) || call.sealed {
                    continue;
                }
                let loc = call_location(k, *j);
                let rest = ctx.finish_text(&mut call.args_lane, &loc, &mut queue.diverged);
                if !rest.is_empty() {
                    let mut fragment = json!({});
                    if let Some(slot) = fragment.as_object_mut() {
                        if !call.legacy {
                            slot.insert("index".into(), json!(call.new_index.unwrap_or(*j)));
                        }
                    }
                    let inner = if call.legacy {
                        Some(&mut fragment)
                    } else {
                        set_key(
                            &mut fragment,
                            if call.custom { "custom" } else { "function" },
                            json!({}),
                        );
                        fragment.get_mut(if call.custom { "custom" } else { "function" })
                    };
                    if let Some(inner) = inner {
                        set_key(
                            inner,
                            if call.custom { "input" } else { "arguments" },
                            Value::String(rest),
                        );
                    }
                    let frame = self.synthetic(k, call.delta(fragment));
                    queue.push_full(frame);
                }
            }
        }
        self.choices.insert(k, choice);
    }

    fn flush_all(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue) {
        let keys: Vec<u64> = self.choices.keys().copied().collect();
        for k in keys {
            self.flush_choice(ctx, queue, k);
            if ctx.terminate.is_some() {
                return;
            }
        }
        let template = self.template.as_ref();
        self.paths.finish(ctx, &mut *queue, &"choices[", &|_, v| {
            synthetic_choice(template, v.clone())
        });
        self.paths
            .finish(ctx, &mut *queue, &"chunk|", &|_, v| sse_data(v));
    }

    /// Processes one `chat.completion.chunk` in place; returns whether anything beyond text was
    /// edited, and records text edits. `opened` receives the call whose first fragment was the
    /// only content of this chunk, if any.
    fn process_chunk(
        &mut self,
        ctx: &mut Ctx<'_>,
        queue: &mut FrameQueue,
        chunk: &mut Value,
        edits: &mut TextEdits,
        opened: &mut Option<(u64, u64)>,
    ) -> bool {
        let mut structural = false;
        let Some(choices) = chunk.get_mut("choices").and_then(Value::as_array_mut) else {
            return structural;
        };
        let single_choice = choices.len() == 1;
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
                        let released = ctx.push_text(lane, piece, &loc, &mut queue.diverged);
                        if released != *piece {
                            let original = std::mem::replace(piece, released);
                            edits.push((format!("/choices/{pos}/delta/{field}"), original));
                        }
                    }
                }
                let sole_call = single_choice
                    && !delta.contains_key("function_call")
                    && delta
                        .get("tool_calls")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.len() == 1);
                if let Some(Value::Array(calls)) = delta.get_mut("tool_calls") {
                    let before = calls.len();
                    let mut keep = Vec::with_capacity(before);
                    for (p, tc) in std::mem::take(calls).into_iter().enumerate() {
                        let j = tc.get("index").and_then(Value::as_u64).unwrap_or(p as u64);
                        let ptr = format!("/choices/{pos}/delta/tool_calls/{}", keep.len());
                        let (kept, edited, first) = Self::process_call(
                            ctx,
                            state,
                            (k, j),
                            tc,
                            (self.template.as_ref(), &mut *queue),
                            &ptr,
                            edits,
                        );
                        if first && sole_call {
                            *opened = Some((k, j));
                        }
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
                if ctx.terminate.is_none() {
                    if let Some(slot) = delta.get_mut("function_call").filter(|f| f.is_object()) {
                        let fc = std::mem::take(slot);
                        let ptr = format!("/choices/{pos}/delta/function_call");
                        let (kept, edited, _) = Self::process_call(
                            ctx,
                            state,
                            (k, LEGACY),
                            fc,
                            (self.template.as_ref(), &mut *queue),
                            &ptr,
                            edits,
                        );
                        structural |= edited;
                        match kept {
                            Some(fc) => *slot = fc,
                            None => {
                                delta.remove("function_call");
                                structural = true;
                            }
                        }
                    }
                }
            }
            if let Some(Value::String(piece)) = c.get_mut("text") {
                if !piece.is_empty() {
                    let loc = format!("choices[{k}].text");
                    let released =
                        ctx.push_text(&mut state.completion, piece, &loc, &mut queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push((format!("/choices/{pos}/text"), original));
                    }
                }
            }
            // Every other string of the choice is a stream of its own.
            // Looked up by key: `Value::pointer` allocates two strings per token.
            let delta = |key: &str| c.get("delta").and_then(|d| d.get(key));
            let lanes_took = [
                delta("content").is_some_and(Value::is_string),
                delta("reasoning_content").is_some_and(Value::is_string),
                delta("reasoning").is_some_and(Value::is_string),
                c.get("text").is_some_and(Value::is_string),
            ];
            let known = |rel: &str| match rel {
                "/delta/content" => lanes_took[0],
                "/delta/reasoning_content" => lanes_took[1],
                "/delta/reasoning" => lanes_took[2],
                "/text" => lanes_took[3],
                "/delta/tool_calls" | "/delta/function_call" | "/logprobs" => true,
                _ => false,
            };
            self.paths.push(
                ctx,
                (&mut *queue, edits),
                None,
                &format!("choices[{k}]"),
                c,
                &format!("/choices/{pos}"),
                &known,
            );
            if ctx.terminate.is_some() {
                return structural;
            }
            if c.get("finish_reason").is_some_and(|f| !f.is_null()) {
                finishing.push(k);
            }
        }
        for k in finishing {
            self.flush_choice(ctx, queue, k);
            if ctx.terminate.is_some() {
                return structural;
            }
            let Some(state) = self.choices.get(&k) else {
                continue;
            };
            let t = &state.tally;
            if t.stripped && t.next_index == 0 && !t.legacy_kept {
                if let Some(c) = chunk
                    .get_mut("choices")
                    .and_then(Value::as_array_mut)
                    .and_then(|cs| cs.iter_mut().find(|c| super::index_of(c, "index") == k))
                {
                    if matches!(
                        c.get("finish_reason").and_then(Value::as_str),
                        Some("tool_calls" | "function_call")
                    ) {
                        set_key(c, "finish_reason", Value::String("stop".into()));
                        structural = true;
                    }
                }
            }
        }
        structural
    }

    /// One call fragment (`tool_calls[j]`, or the legacy `function_call` as call [`LEGACY`]):
    /// returns the fragment to keep (if any), whether it was structurally edited, and whether it
    /// opened a call whose name is pending.
    fn process_call(
        ctx: &mut Ctx<'_>,
        state: &mut Choice,
        (k, j): (u64, u64),
        mut tc: Value,
        (template, queue): (Option<&Value>, &mut FrameQueue),
        ptr: &str,
        edits: &mut TextEdits,
    ) -> (Option<Value>, bool, bool) {
        let loc = call_location(k, j);
        // A fragment of call `j` means every other call is complete (calls stream one after
        // another): decide and emit them now, before this call is numbered, so order and indexes
        // are the upstream's.
        let Choice { calls, tally, .. } = &mut *state;
        complete_calls(ctx, (template, &mut *queue), k, Some(j), calls, tally);
        if ctx.terminate.is_some() {
            return (None, true, false);
        }
        let call = calls.entry(j).or_default();
        if call.sealed {
            return (None, true, false);
        }
        let mut structural = false;
        let mut opened = false;
        if call.fate.is_none() {
            if call.first.is_none() {
                call.legacy = j == LEGACY;
                call.custom = !call.legacy
                    && (tc.get("custom").is_some_and(Value::is_object)
                        || tc.get("type").and_then(Value::as_str) == Some("custom"));
            }
            if let Some(other) = call.other_kind() {
                structural |= remove_ptr(&mut tc, &format!("/{other}"));
            }
            if let Some(piece) = super::pointer(&tc, call.name_ptr()).and_then(Value::as_str) {
                call.name.push_str(piece);
            }
            if call.id.is_none() {
                call.id = tc.get("id").and_then(Value::as_str).map(str::to_string);
            }
            let has_args = super::pointer(&tc, call.args_ptr())
                .and_then(Value::as_str)
                .is_some_and(|a| !a.is_empty());
            if !has_args {
                // The name may go on in the next fragment: hold the fragment until it is known.
                call.pending_fragments += 1;
                if call.first.is_none() {
                    call.first = Some(tc);
                    opened = true;
                }
                return (None, true, opened);
            }
            if call.first.is_some() {
                // The first arguments fragment: the name is complete. Emit the call's opening
                // fragment (whole name), then this fragment without its name piece.
                decide_pending(ctx, (template, &mut *queue), k, j, call, tally);
                for key in [call.name_ptr(), "/id", "/type"] {
                    structural |= remove_ptr(&mut tc, key);
                }
            } else {
                // Name and arguments in one fragment: decide now.
                let fate = ctx.call_named(&call.name, &loc);
                call.fate = Some(fate);
                match fate {
                    CallFate::Allow { hold: false } => {
                        tally.allow(call);
                    }
                    CallFate::Strip => tally.stripped = true,
                    _ => {}
                }
            }
        } else {
            // The name was decided: later name pieces (and pieces of another kind of call) are
            // dropped, so the client assembles the name that was checked.
            structural |= remove_ptr(&mut tc, call.name_ptr());
            if let Some(other) = call.other_kind() {
                structural |= remove_ptr(&mut tc, &format!("/{other}"));
            }
        }
        match call.fate {
            Some(CallFate::Allow { hold: false }) => {
                let idx = call.new_index.unwrap_or(j);
                if !call.legacy && tc.get("index").and_then(Value::as_u64) != Some(idx) {
                    set_key(&mut tc, "index", json!(idx));
                    structural = true;
                }
                let args_ptr = call.args_ptr();
                if let Some(Value::String(args)) = super::pointer_mut(&mut tc, args_ptr) {
                    if !args.is_empty() {
                        let released =
                            ctx.push_text(&mut call.args_lane, args, &loc, &mut queue.diverged);
                        if released != *args {
                            let original = std::mem::replace(args, released);
                            edits.push((format!("{ptr}{args_ptr}"), original));
                        }
                    }
                }
                (Some(tc), structural, opened)
            }
            Some(CallFate::Allow { hold: true }) => {
                if let Some(args) = super::pointer(&tc, call.args_ptr()).and_then(Value::as_str) {
                    call.held_args.push_str(args);
                }
                (None, true, opened)
            }
            _ => (None, true, opened),
        }
    }

    /// The choice `raw` finishes when it is an event of the learned text shape with its delta
    /// emptied and a finish reason set (`{"content":".."}` to `{}`, `"finish_reason":null` to a
    /// name): the chunk that ends a choice in the envelope of its text. The full path would
    /// finish the choice and pass the event as it came (nothing else in it is text, and with no
    /// call in the choice its finish reason stays), so [`OpenAiChat::event`] does just that.
    fn finish_of(&self, raw: &[u8]) -> Option<u64> {
        const NULL: &[u8] = br#""finish_reason":null"#;
        let (shape, k) = self.shape.as_ref().filter(|_| !self.done)?;
        self.choices
            .get(k)
            .filter(|c| !c.finished && c.calls.is_empty())?;
        let (before, rest) = shape.around_text()?;
        let before = before.strip_suffix(br#"{"content":""#)?;
        let rest = rest.strip_prefix(br#""}"#)?;
        let at = find_all(rest, NULL).next()?;
        let (mid, tail) = (rest.get(..at + 16)?, rest.get(at + NULL.len()..)?);
        let reasons = |b: &[u8]| find_all(b, b"\"finish_reason\"").count();
        if reasons(before) + reasons(rest) != 1 {
            return None;
        }
        let reason = after(after(after(raw, before)?, b"{}")?, mid)?.strip_prefix(b"\"")?;
        let len = reason
            .iter()
            .take_while(|b| b.is_ascii_lowercase() || **b == b'_')
            .count();
        let end = after(reason.get(len..)?, b"\"")?;
        (len > 0 && same(end, tail)).then_some(*k)
    }

    fn event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        if let Some(k) = self.finish_of(&raw) {
            // What the full path does with it (the template is its envelope already).
            self.shape = None;
            self.flush_choice(ctx, queue, k);
            if ctx.terminate.is_none() {
                queue.push_both(raw);
            }
            return;
        }
        // The fast path's shape is the last event's (see `passthrough`).
        self.shape = None;
        let ev = parse_event(&raw);
        let Some(data) = ev.data else {
            super::opaque_event(ctx, queue, raw);
            return;
        };
        if data.trim() == "[DONE]" {
            self.flush_all(ctx, queue);
            if ctx.terminate.is_none() {
                self.done = true;
                queue.push_both(raw);
            }
            return;
        }
        let Ok(mut chunk) = serde_json::from_str::<Value>(&data) else {
            super::opaque_event(ctx, queue, raw);
            return;
        };
        if let Some(map) = chunk.as_object().filter(|m| m.contains_key("choices")) {
            // The envelope without its choices, which are not cloned only to be dropped (a
            // null in their place is removed as they were: the same key order).
            let mut template: serde_json::Map<String, Value> = map
                .iter()
                .map(|(k, v)| {
                    let v = if k == "choices" {
                        Value::Null
                    } else {
                        v.clone()
                    };
                    (k.clone(), v)
                })
                .collect();
            template.remove("choices");
            self.template = Some(Value::Object(template));
        }
        let mut edits = TextEdits::new();
        let mut opened = None;
        let structural = if chunk.get("choices").is_some() {
            let structural = self.process_chunk(ctx, queue, &mut chunk, &mut edits, &mut opened);
            if ctx.terminate.is_none() {
                self.paths.push(
                    ctx,
                    (&mut *queue, &mut edits),
                    None,
                    "chunk",
                    &mut chunk,
                    "",
                    &|rel| rel == "/choices" || rel == "/usage",
                );
            }
            structural
        } else {
            // Not a completion chunk (an error, or an unknown shape): no lanes to keep, but
            // nothing passes unscanned.
            ctx.redact_value(&mut chunk, "sse.data")
        };
        if ctx.terminate.is_some() {
            return;
        }
        if structural && is_void(&chunk) {
            // Only held call fragments were in it. The opening fragment of a pending call alone
            // in its frame: keep the frame, to re-emit it as it came if the call is allowed.
            if let Some((k, j)) = opened {
                if let Some(call) = self
                    .choices
                    .get_mut(&k)
                    .and_then(|c| c.calls.get_mut(&j))
                    .filter(|c| c.pending())
                {
                    call.origin = Some(raw);
                }
            }
            return;
        }
        let name = ev.event;
        let (clean, full) = frame_forms(&raw, &chunk, &edits, structural, &|v| {
            write_event(name.as_deref(), &v.to_string())
        });
        queue.push(clean, full);
        if !structural && name.is_none() {
            self.shape = text_only(&chunk).and_then(|k| {
                let body = sse_data_body(&raw)?;
                // With its content empty (the stream's opener) the event has no text to learn
                // from (`learn` wants one non-empty text): only its form can teach the shape.
                let empty = super::pointer(&chunk, "/choices/0/delta/content")
                    .and_then(Value::as_str)
                    .is_some_and(str::is_empty);
                let learned = if empty {
                    None
                } else {
                    EventShape::learn(&raw, body.clone(), &["content"], &[])
                };
                let shape = match learned {
                    Some(shape) => shape,
                    None => {
                        let form = with_text_delta(&raw, body)?;
                        EventShape::learn(&form, sse_data_body(&form)?, &["content"], &[])?
                    }
                };
                Some((shape, k))
            });
        }
    }
}

impl EventDialect for OpenAiChat {
    fn dialect(&self) -> Dialect {
        Dialect::OpenAi
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        self.event(ctx, queue, raw);
    }

    /// The fast path: an event of the last event's shape.
    fn fast_text<'r>(&self, raw: &'r [u8]) -> Option<(Range<usize>, Cow<'r, str>)> {
        let (shape, _) = self.shape.as_ref().filter(|_| !self.done)?;
        shape.text_of(raw)
    }

    /// Its choice's content lane, while the choice is open and no call of it is pending.
    fn fast_lane(&mut self) -> Option<&mut Lane> {
        let (_, k) = self.shape.as_ref().filter(|_| !self.done)?;
        let choice = self.choices.get_mut(k)?;
        if choice.finished || choice.calls.values().any(|c| c.pending() || c.held()) {
            return None;
        }
        let [content, ..] = &mut choice.lanes;
        Some(content)
    }

    fn holding(&self) -> bool {
        self.choices.values().any(Choice::holding) || self.paths.holding()
    }

    /// Lanes and calls held for their argument rules.
    fn held_bytes(&self) -> usize {
        let choices: usize = self
            .choices
            .values()
            .map(|c| {
                c.lanes.iter().map(Lane::held_bytes).sum::<usize>()
                    + c.completion.held_bytes()
                    + c.calls
                        .values()
                        .map(|call| call.held_args.len() + call.args_lane.held_bytes())
                        .sum::<usize>()
            })
            .sum();
        choices + self.paths.held_bytes()
    }

    fn holding_calls(&self) -> bool {
        self.choices
            .values()
            .flat_map(|c| c.calls.values())
            .any(Call::held)
    }

    fn strip_held_calls(&mut self, ctx: &mut Ctx<'_>) {
        for (k, choice) in self.choices.iter_mut() {
            for (j, call) in choice.calls.iter_mut() {
                if call.held() {
                    ctx.held_call_stripped(&call_location(*k, *j));
                    call.fate = Some(CallFate::Strip);
                    call.sealed = true;
                    call.held_args = String::new();
                    choice.tally.stripped = true;
                }
            }
        }
    }

    fn finish_open(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue) {
        if !self.done {
            self.flush_all(ctx, queue);
        }
    }
}
