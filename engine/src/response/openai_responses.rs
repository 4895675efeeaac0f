//! OpenAI Responses API streams (typed SSE events: `response.output_text.delta`,
//! `response.function_call_arguments.delta`, `response.output_item.added` / `.done`,
//! `response.completed`, ...).
//!
//! Text deltas go through a lane per (output_index, content_index) and the lane is flushed before
//! `response.output_text.done`, whose full `text` is redacted as a whole (equal, by the redactor's
//! contract, to the concatenation of what was released). Events that carry whole objects
//! (`output_item.done`, `content_part.done`, `response.completed`) are redacted string by string
//! and cleaned of stripped function calls. Output indexes are renumbered around stripped items.
//!
//! Tool calls: `function_call` items, `custom_tool_call` items (free-form `input`, streamed by
//! `response.custom_tool_call_input.delta` / `.done`) and `mcp_call` items (arguments streamed by
//! `response.mcp_call_arguments.delta` / `.done`) are decided by name when added. A call held
//! for its argument rules is decided when its arguments are complete (`…arguments.done` /
//! `…input.done`, else its `output_item.done`, else the end of the response) on every copy of
//! its arguments the client may keep: the deltas joined, and the whole copy carried by the added
//! item, the done event or the done item (servers that parse calls after generation send the
//! arguments whole, with no delta).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde_json::{json, Value};

use super::events::EventDialect;
use super::passthrough::{sse_data_body, EventShape};
use super::paths::PathLanes;
use super::{frame_forms, index_of, CallFate, Ctx, FrameQueue, Lane, TextEdits};
use crate::api::Dialect;
use crate::framing::sse::{parse_event, write_event};
use crate::tools::calls::executed_call;

#[derive(Default)]
struct Item {
    /// A call the client executes (function, custom, built-in), decided by the policy.
    called: bool,
    fate: Option<CallFate>,
    name: String,
    /// A `custom_tool_call` item (`input` instead of `arguments`).
    custom: bool,
    /// An `mcp_call` item (arguments streamed by `response.mcp_call_arguments.*`).
    mcp: bool,
    /// The item's id (to remove a stripped call from whole-response copies).
    id: Option<String>,
    /// The arguments (or input) carried whole by the added item.
    added_args: String,
    /// A held call once allowed: the (redacted) arguments that were checked and emitted, written
    /// over every later whole copy (done item, completed response) so the client keeps them.
    checked: Option<String>,
    new_index: Option<u64>,
    added: Option<Value>,
    held_args: String,
    args_lane: Lane,
    text_lanes: BTreeMap<u64, Lane>,
}

#[derive(Default)]
pub struct OpenAiResponses {
    items: BTreeMap<u64, Item>,
    stripped_ids: BTreeSet<String>,
    next_index: u64,
    /// Strings of `*.delta` events of kinds not named above (reasoning text, audio transcript,
    /// code, ...), scoped `output[i]|{kind}|{content}|{summary}`.
    paths: PathLanes,
    /// The shape of the last event, when it only carried output text (`passthrough`), and its
    /// lane's (output_index, content_index).
    shape: Option<(EventShape, (u64, u64))>,
}

/// Keys of a text delta the fast path's shape cuts out: the full path keeps no state from them
/// and passes them as they came (a counter that grows every event, a random padding).
/// `item_id`, `output_index` and `content_index` stay literal: the lane is keyed by the indexes,
/// and an item's id changes with its item anyway.
const TEXT_DELTA_CUTS: &[&str] = &["sequence_number", "obfuscation"];

/// The (output_index, content_index) whose text is all a `response.output_text.delta` carries
/// (its ids, indexes, counter, padding and an empty `logprobs` aside), if it is one: such an
/// event can teach the fast path its shape.
fn text_only(v: &Value) -> Option<(u64, u64)> {
    let map = v.as_object()?;
    let (mut oi, mut ci, mut text) = (None, None, false);
    for (k, x) in map {
        match (k.as_str(), x) {
            ("type", Value::String(t)) if t == "response.output_text.delta" => {}
            ("output_index", Value::Number(n)) => oi = n.as_u64(),
            ("content_index", Value::Number(n)) => ci = n.as_u64(),
            ("delta", Value::String(_)) => text = true,
            ("item_id" | "obfuscation", Value::String(_))
            | ("sequence_number", Value::Number(_)) => {}
            ("logprobs", Value::Array(a)) if a.is_empty() => {}
            _ => return None,
        }
    }
    text.then_some((oi?, ci?))
}

fn sse(event: Option<&str>, v: &Value) -> Vec<u8> {
    write_event(event, &v.to_string())
}

/// The scope of a delta event's strings: its item, kind, and content / summary part.
fn delta_scope(oi: u64, kind: &str, v: &Value) -> String {
    format!(
        "output[{oi}]|{kind}|{}|{}",
        index_of(v, "content_index"),
        index_of(v, "summary_index")
    )
}

impl OpenAiResponses {
    /// Decides the held call at `oi` on every copy of its arguments (the deltas joined, the added
    /// item's, and `whole` from the event that completes it). Allowed, its added event and one
    /// delta with the (redacted) arguments are queued, and the new index and the redacted
    /// arguments are returned for the completing event; stripped or blocked, `None` (a stripped
    /// call's id is remembered, a block is left in `ctx.terminate`).
    fn decide_held(
        &mut self,
        ctx: &mut Ctx<'_>,
        queue: &mut FrameQueue,
        oi: u64,
        whole: Option<&str>,
    ) -> Option<(u64, String)> {
        let it = self.items.get_mut(&oi)?;
        let loc = format!("output[{oi}]");
        let forms = [
            it.held_args.as_str(),
            whole.unwrap_or(""),
            it.added_args.as_str(),
        ];
        match ctx.call_argument_forms(&it.name, it.custom, &forms, &loc) {
            CallFate::Allow { .. } => {
                let args = forms
                    .iter()
                    .find(|f| !f.trim().is_empty())
                    .map(|f| (*f).to_string())
                    .unwrap_or_default();
                let idx = self.next_index;
                self.next_index += 1;
                it.new_index = Some(idx);
                it.fate = Some(CallFate::Allow { hold: false });
                it.held_args.clear();
                let redacted = ctx.redact_whole(&args, &loc).unwrap_or(args);
                let item_id = it.id.clone();
                if let Some(mut added) = it.added.take() {
                    renumber(&mut added, oi, Some(idx));
                    if let Some(a) = added.get_mut("item") {
                        // The arguments follow as one delta (SDKs append deltas to the item's).
                        if let Some(m) = a.as_object_mut() {
                            m.insert(args_field(it.custom).into(), Value::String(String::new()));
                        }
                        redact_quiet(ctx, a);
                    }
                    queue.push_both(write_event(
                        Some("response.output_item.added"),
                        &added.to_string(),
                    ));
                }
                if !redacted.is_empty() {
                    let delta_type = args_delta_event(it.custom, it.mcp);
                    let mut d = json!({"type": delta_type, "output_index": idx, "delta": redacted});
                    if let (Some(id), Some(m)) = (item_id, d.as_object_mut()) {
                        m.insert("item_id".into(), Value::String(id));
                    }
                    queue.push_both(write_event(Some(delta_type), &d.to_string()));
                }
                it.checked = Some(redacted.clone());
                Some((idx, redacted))
            }
            CallFate::Strip => {
                it.fate = Some(CallFate::Strip);
                if let Some(id) = &it.id {
                    self.stripped_ids.insert(id.clone());
                }
                None
            }
            CallFate::Block => {
                it.fate = Some(CallFate::Block);
                None
            }
        }
    }

    /// The key (original output index) of the item an entry of a whole response copy is: the
    /// item with its id, else the one at its position.
    fn item_key(&self, entry: Option<&Value>, position: u64) -> u64 {
        let id = entry.and_then(|e| e.get("id")).and_then(Value::as_str);
        id.and_then(|id| {
            self.items
                .iter()
                .find(|(_, it)| it.id.as_deref() == Some(id))
                .map(|(oi, _)| *oi)
        })
        .unwrap_or(position)
    }

    /// A whole copy of item `oi` (its `output_item.done`, its entry in the response): a call
    /// seen here first is decided now, and a call decided before must still have the name it
    /// was decided on. Returns false when the copy must not reach the client (stripped; a block
    /// is left in `ctx.terminate`).
    fn govern_completed_item(
        &mut self,
        ctx: &mut Ctx<'_>,
        oi: u64,
        entry: Option<&Value>,
        loc: &str,
    ) -> bool {
        let Some(call) = entry.and_then(executed_call) else {
            return true;
        };
        let known = self.items.get(&oi).filter(|it| it.called);
        let fate = match known {
            Some(it) if matches!(it.fate, Some(CallFate::Strip | CallFate::Block)) => {
                return false;
            }
            Some(it) if it.name == call.name => return true,
            Some(_) => ctx.call_renamed(&call.name, loc),
            None => {
                let fate = ctx.call_named(&call.name, loc);
                if fate == (CallFate::Allow { hold: true }) {
                    ctx.call_argument_forms(&call.name, call.free_form, &[&call.arguments], loc)
                } else {
                    fate
                }
            }
        };
        let it = implicit_item(&mut self.items, &mut self.next_index, oi);
        it.called = true;
        if it.name.is_empty() {
            it.name = call.name;
        }
        it.custom = call.free_form;
        if it.id.is_none() {
            it.id = entry
                .and_then(|e| e.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        match fate {
            CallFate::Allow { .. } => {
                it.fate = Some(CallFate::Allow { hold: false });
                true
            }
            refused => {
                it.fate = Some(refused);
                if let Some(id) = &it.id {
                    self.stripped_ids.insert(id.clone());
                }
                false
            }
        }
    }

    fn event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        // The fast path's shape is the last event's (see `passthrough`).
        self.shape = None;
        let mut edits = TextEdits::new();
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
                if let Some(call) = executed_call(&item) {
                    let item_type = item.get("type").and_then(Value::as_str);
                    let streamed_args = matches!(
                        item_type,
                        Some("function_call" | "custom_tool_call" | "mcp_call")
                    );
                    it.mcp = item_type == Some("mcp_call");
                    it.called = true;
                    it.name = call.name;
                    it.custom = call.free_form;
                    it.id = item.get("id").and_then(Value::as_str).map(str::to_string);
                    it.added_args = call.arguments;
                    let mut fate = ctx.call_named(&it.name, &loc);
                    if fate == (CallFate::Allow { hold: true }) && !streamed_args {
                        // A built-in call carries its arguments whole: decided on them now.
                        fate =
                            ctx.call_argument_forms(&it.name, it.custom, &[&it.added_args], &loc);
                    }
                    it.fate = Some(fate);
                    match fate {
                        CallFate::Allow { hold: true } => {
                            it.added = Some(v.clone());
                            keep = false;
                        }
                        CallFate::Strip => {
                            if let Some(id) = &it.id {
                                self.stripped_ids.insert(id.clone());
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
                if let Some(x) = v.get_mut("item") {
                    text_changed |= ctx.redact_value(x, &loc);
                }
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
                    let released = ctx.push_text(lane, piece, &cloc, &mut queue.diverged);
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
                        let rest = ctx.finish_text(&mut lane, &cloc, &mut queue.diverged);
                        if !rest.is_empty() {
                            let delta_type = kind.replace(".done", ".delta");
                            let mut d = json!({"type": delta_type, "output_index": it.new_index.unwrap_or(oi),
                                               "content_index": ci, "delta": rest});
                            if let (Some(id), Some(m)) = (v.get("item_id"), d.as_object_mut()) {
                                m.insert("item_id".into(), id.clone());
                            }
                            queue.push_full(write_event(Some(&delta_type), &d.to_string()));
                        }
                    }
                }
                for field in ["text", "refusal"] {
                    if let Some(full) = v.get_mut(field) {
                        // Lanes were already audited; redact the full copy without re-counting.
                        // A whole copy of the text: redacted in both forms, never restored.
                        text_changed |= redact_quiet(ctx, full);
                    }
                }
            }
            "response.function_call_arguments.delta"
            | "response.custom_tool_call_input.delta"
            | "response.mcp_call_arguments.delta" => {
                let it = implicit_item(&mut self.items, &mut self.next_index, oi);
                match it.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        if let Some(d) = v.get("delta").and_then(Value::as_str) {
                            it.held_args.push_str(d);
                        }
                        return;
                    }
                    // A held call already decided and emitted whole: a late fragment is
                    // dropped, so the client runs the arguments that were checked.
                    _ if it.checked.is_some() => return,
                    _ => {}
                }
                changed |= renumber(&mut v, oi, it.new_index);
                if let Some(Value::String(piece)) = v.get_mut("delta") {
                    let released =
                        ctx.push_text(&mut it.args_lane, piece, &loc, &mut queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push(("/delta".into(), original));
                    }
                }
            }
            "response.function_call_arguments.done"
            | "response.custom_tool_call_input.done"
            | "response.mcp_call_arguments.done" => {
                let it = implicit_item(&mut self.items, &mut self.next_index, oi);
                let field = args_field(it.custom);
                match it.fate {
                    Some(CallFate::Strip | CallFate::Block) => return,
                    Some(CallFate::Allow { hold: true }) => {
                        let whole = v.get(field).and_then(Value::as_str).map(str::to_string);
                        let Some((idx, redacted)) =
                            self.decide_held(ctx, queue, oi, whole.as_deref())
                        else {
                            return;
                        };
                        if let Some(m) = v.as_object_mut() {
                            m.insert(field.into(), Value::String(redacted));
                        }
                        renumber(&mut v, oi, Some(idx));
                        changed = true;
                    }
                    _ => {
                        let rest = ctx.finish_text(&mut it.args_lane, &loc, &mut queue.diverged);
                        if !rest.is_empty() {
                            let delta_type = args_delta_event(it.custom, it.mcp);
                            let mut d = json!({"type": delta_type,
                                               "output_index": it.new_index.unwrap_or(oi), "delta": rest});
                            if let (Some(id), Some(m)) = (v.get("item_id"), d.as_object_mut()) {
                                m.insert("item_id".into(), id.clone());
                            }
                            queue.push_full(write_event(Some(delta_type), &d.to_string()));
                        }
                        changed |= renumber(&mut v, oi, it.new_index);
                        if let Some(checked) = &it.checked {
                            changed |= overwrite(Some(&mut v), field, checked);
                        }
                        if let Some(a) = v.get_mut(field) {
                            text_changed |= redact_quiet(ctx, a);
                        }
                    }
                }
            }
            "response.output_item.done"
            | "response.content_part.added"
            | "response.content_part.done" => {
                if kind == "response.output_item.done" {
                    self.paths
                        .finish(ctx, &mut *queue, &format_args!("output[{oi}]|"), &sse);
                    if !self.govern_completed_item(ctx, oi, v.get("item"), &loc) {
                        return;
                    }
                }
                let held = self
                    .items
                    .get(&oi)
                    .is_some_and(|it| it.fate == Some(CallFate::Allow { hold: true }));
                if held && kind == "response.output_item.done" {
                    // Arguments complete with no `…arguments.done` (they came whole in the item).
                    let custom = self.items.get(&oi).is_some_and(|it| it.custom);
                    let field = args_field(custom);
                    let whole = v
                        .pointer(&format!("/item/{field}"))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    if self.decide_held(ctx, queue, oi, whole.as_deref()).is_none() {
                        return;
                    }
                } else if held {
                    // A part of a held call: it waits with the call (never reaches the client
                    // before the call is decided).
                    return;
                }
                if let Some(it) = self.items.get(&oi) {
                    if matches!(it.fate, Some(CallFate::Strip | CallFate::Block)) {
                        return;
                    }
                    changed |= renumber(&mut v, oi, it.new_index);
                    if let Some(checked) = &it.checked {
                        changed |= overwrite(v.get_mut("item"), args_field(it.custom), checked);
                    }
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
                if kind != "response.created" && kind != "response.in_progress" {
                    self.paths.finish(ctx, &mut *queue, &"", &sse);
                }
                // Calls still held (their arguments never completed in their own events) are
                // decided on what this copy of the response says about them.
                let open: Vec<u64> = self
                    .items
                    .iter()
                    .filter(|(_, it)| it.fate == Some(CallFate::Allow { hold: true }))
                    .map(|(oi, _)| *oi)
                    .collect();
                for held in open {
                    let whole = self.items.get(&held).and_then(|it| {
                        let id = it.id.as_deref()?;
                        v.pointer("/response/output")?
                            .as_array()?
                            .iter()
                            .find(|o| o.get("id").and_then(Value::as_str) == Some(id))?
                            .get(args_field(it.custom))?
                            .as_str()
                            .map(str::to_string)
                    });
                    self.decide_held(ctx, queue, held, whole.as_deref());
                    if ctx.terminate.is_some() {
                        return;
                    }
                }
                let entries = v
                    .pointer("/response/output")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let mut refused = Vec::new();
                for p in 0..entries {
                    let entry = v.pointer(&format!("/response/output/{p}"));
                    let oi = self.item_key(entry, p as u64);
                    let loc = format!("response.output[{p}]");
                    if !self.govern_completed_item(ctx, oi, entry, &loc) {
                        if ctx.terminate.is_some() {
                            return;
                        }
                        refused.push(p);
                    }
                }
                if let Some(Value::Array(output)) = v.pointer_mut("/response/output") {
                    for p in refused.into_iter().rev() {
                        if p < output.len() {
                            output.remove(p);
                            changed = true;
                        }
                    }
                    for o in output.iter_mut() {
                        let id = o.get("id").and_then(Value::as_str).map(str::to_string);
                        if let Some(it) = self
                            .items
                            .values()
                            .find(|it| it.checked.is_some() && it.id.is_some() && it.id == id)
                        {
                            let checked = it.checked.as_deref().unwrap_or("");
                            changed |= overwrite(Some(o), args_field(it.custom), checked);
                        }
                    }
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
                    // A refused call's events go with it; a held call's (an MCP call's progress)
                    // never reach the client before the call is decided and added.
                    if matches!(
                        it.fate,
                        Some(CallFate::Strip | CallFate::Block | CallFate::Allow { hold: true })
                    ) {
                        return;
                    }
                    changed |= renumber(&mut v, oi, it.new_index);
                }
                if kind.ends_with(".delta") {
                    // A stream of its own kind: each string is a lane (see `paths`).
                    let scope = delta_scope(oi, &kind, &v);
                    self.paths.push(
                        ctx,
                        (&mut *queue, &mut edits),
                        name.as_deref(),
                        &scope,
                        &mut v,
                        "",
                        &|rel| rel == "/logprobs",
                    );
                } else {
                    if let Some(stem) = kind.strip_suffix(".done") {
                        // Its deltas are complete: what their lanes hold goes before it.
                        let scope = delta_scope(oi, &format!("{stem}.delta"), &v);
                        self.paths
                            .finish(ctx, &mut *queue, &format_args!("{scope}|"), &sse);
                    }
                    // Event types this version does not know: scanned whole.
                    text_changed |= ctx.redact_value(&mut v, &kind);
                }
            }
        }
        if ctx.terminate.is_some() {
            return;
        }
        if text_changed {
            super::drop_logprobs(&mut v);
        }
        let (clean, full) = frame_forms(&raw, &v, &edits, changed || text_changed, &|v| {
            write_event(name.as_deref(), &v.to_string())
        });
        queue.push(clean, full);
        if !changed && !text_changed && kind == "response.output_text.delta" {
            self.shape = text_only(&v).filter(|(o, _)| *o == oi).and_then(|key| {
                let body = sse_data_body(&raw)?;
                Some((
                    EventShape::learn(&raw, body, &["delta"], TEXT_DELTA_CUTS)?,
                    key,
                ))
            });
        }
    }
}

/// Writes `text` at `field` of an item if it says something else; true if it did.
fn overwrite(item: Option<&mut Value>, field: &str, text: &str) -> bool {
    match item.and_then(Value::as_object_mut) {
        Some(m) if m.get(field).and_then(Value::as_str) != Some(text) => {
            m.insert(field.into(), Value::String(text.to_string()));
            true
        }
        _ => false,
    }
}

/// The field that carries a call's arguments.
fn args_field(custom: bool) -> &'static str {
    if custom {
        "input"
    } else {
        "arguments"
    }
}

/// The event that carries a fragment of a call's arguments.
fn args_delta_event(custom: bool, mcp: bool) -> &'static str {
    match (custom, mcp) {
        (true, _) => "response.custom_tool_call_input.delta",
        (false, true) => "response.mcp_call_arguments.delta",
        (false, false) => "response.function_call_arguments.delta",
    }
}

/// Redacts a whole object that repeats text already audited through the lanes.
fn redact_quiet(ctx: &mut Ctx<'_>, v: &mut Value) -> bool {
    if !ctx.enforce {
        return false;
    }
    ctx.redact_value_quiet(v)
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

impl EventDialect for OpenAiResponses {
    fn dialect(&self) -> Dialect {
        Dialect::OpenAi
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        self.event(ctx, queue, raw);
    }

    /// The fast path: an event of the last event's shape.
    fn fast_text<'r>(&self, raw: &'r [u8]) -> Option<(Range<usize>, Cow<'r, str>)> {
        self.shape.as_ref()?.0.text_of(raw)
    }

    /// Its text lane, while its item is not renumbered.
    fn fast_lane(&mut self) -> Option<&mut Lane> {
        let (_, (oi, ci)) = self.shape.as_ref()?;
        let (oi, ci) = (*oi, *ci);
        self.items
            .get_mut(&oi)
            .filter(|it| it.new_index.is_none_or(|n| n == oi))
            .and_then(|it| it.text_lanes.get_mut(&ci))
    }

    fn holding(&self) -> bool {
        self.paths.holding()
            || self
                .items
                .values()
                .any(|it| it.args_lane.holding() || it.text_lanes.values().any(Lane::holding))
    }

    /// Lanes and calls held for their argument rules.
    fn held_bytes(&self) -> usize {
        let items: usize = self
            .items
            .values()
            .map(|it| {
                it.held_args.len()
                    + it.args_lane.held_bytes()
                    + it.text_lanes.values().map(Lane::held_bytes).sum::<usize>()
            })
            .sum();
        items + self.paths.held_bytes()
    }

    fn holding_calls(&self) -> bool {
        self.items
            .values()
            .any(|it| it.fate == Some(CallFate::Allow { hold: true }))
    }

    fn strip_held_calls(&mut self, ctx: &mut Ctx<'_>) {
        for (oi, it) in self.items.iter_mut() {
            if it.fate == Some(CallFate::Allow { hold: true }) {
                ctx.held_call_stripped(&format!("output[{oi}]"));
                it.fate = Some(CallFate::Strip);
                it.held_args = String::new();
                it.added = None;
                if let Some(id) = &it.id {
                    self.stripped_ids.insert(id.clone());
                }
            }
        }
    }

    fn finish_open(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue) {
        self.paths.finish(ctx, queue, &"", &sse);
        for (oi, it) in self.items.iter_mut() {
            for (ci, lane) in it.text_lanes.iter_mut() {
                let loc = format!("output[{oi}].content[{ci}]");
                let rest = ctx.finish_text(lane, &loc, &mut queue.diverged);
                if !rest.is_empty() {
                    let d = json!({"type": "response.output_text.delta",
                                   "output_index": it.new_index.unwrap_or(*oi), "content_index": ci, "delta": rest});
                    queue.push_full(write_event(
                        Some("response.output_text.delta"),
                        &d.to_string(),
                    ));
                }
            }
        }
    }
}
