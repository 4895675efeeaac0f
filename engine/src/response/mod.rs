//! Response processing: redaction and tool-call governance on what the model says.
//!
//! Streams are handled per the streaming contract (ARCHITECTURE.md, "Invariants"): frame
//! incrementally, decode each frame's text deltas into a per-choice / per-block text lane,
//! release text through a [`StreamRedactor`] (which holds back only what could still become a
//! secret), and re-emit well-formed frames with every other field intact. A frame that needs no
//! change is re-emitted as the exact bytes that arrived. Tool calls are decided as soon as the
//! name is known; calls with argument rules are held whole until their arguments are complete.

pub mod anthropic;
pub mod escapes;
pub mod events;
pub mod json;
pub mod ollama;
pub mod openai_chat;
pub mod openai_responses;
pub mod passthrough;
pub mod paths;
pub mod text;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde_json::Value;

use crate::api::errors::Refusal;
use crate::audit::{AuditEvent, Category, Outcome, Phase};
use crate::config::Policy;
use crate::secrets::{Release, SecretMatch, StreamRedactor};
use crate::tools::{ToolCallAction, ToolDecision};

/// What happens to one tool call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFate {
    /// Allowed; `hold` when argument rules require the whole call to be held until complete.
    Allow { hold: bool },
    /// Removed from the answer; the message ends cleanly without it.
    Strip,
    /// The answer is cut with the protocol's error.
    Block,
}

/// Shared state for one response: the policy, the audit sink, and the terminal refusal once a
/// block has been decided.
pub struct Ctx<'p> {
    pub policy: &'p Policy,
    pub enforce: bool,
    pub audit: &'p mut Vec<AuditEvent>,
    pub terminate: Option<Refusal>,
    /// Allowed tool calls so far (for `max_calls`).
    pub calls_allowed: usize,
    /// Bound on what one stream holds back (`limits.max_held_bytes`).
    pub max_held: usize,
}

impl<'p> Ctx<'p> {
    pub fn new(policy: &'p Policy, enforce: bool, audit: &'p mut Vec<AuditEvent>) -> Self {
        Self {
            policy,
            enforce,
            audit,
            terminate: None,
            calls_allowed: 0,
            max_held: usize::MAX,
        }
    }

    /// Fails closed when a stream holds more than `limits.max_held_bytes` (text held back,
    /// calls held for their argument rules, frames waiting): the stream ends with the protocol's
    /// error rather than release what was not decided. Counted and logged like any block. (Held
    /// calls are stripped first where `strips_held_calls` says so: `response::events`.)
    pub fn check_held(&mut self, held: usize) {
        if held <= self.max_held || self.terminate.is_some() {
            return;
        }
        self.audit.push(AuditEvent::decision(
            "limits.max_held_bytes",
            Category::Limit,
            Phase::ResponseBody,
            Outcome::Blocked,
            "stream",
        ));
        self.terminate = Some(Refusal::new(
            502,
            "stream_held_too_large",
            format!(
                "the response held back more than the limit of {} bytes",
                self.max_held
            ),
        ));
    }

    /// Whether calls held for their argument rules are stripped when the stream's held bytes pass
    /// `limits.max_held_bytes`: they are when the tool policy strips refused calls (`on_call:
    /// strip`, enforcing); otherwise the bound ends the stream (see `check_held`).
    pub fn strips_held_calls(&self) -> bool {
        let tools = &self.policy.tools;
        self.enforce && !tools.monitor() && tools.on_call() == ToolCallAction::Strip
    }

    /// A call held for its argument rules stripped at the held-bytes bound: counted and logged as
    /// a stripped tool call under the limit's rule.
    pub fn held_call_stripped(&mut self, location: &str) {
        self.tool_event("limits.max_held_bytes", Outcome::Stripped, location);
    }

    pub(crate) fn redacting(&self) -> bool {
        self.policy.secrets.response
    }

    /// `location` is written out only when there is a match to audit (most calls have none).
    fn record_secrets(&mut self, matches: &[SecretMatch], location: &dyn fmt::Display) {
        if matches.is_empty() {
            return;
        }
        let location = location.to_string();
        for m in matches {
            let outcome = m.action.outcome(self.enforce);
            self.audit
                .push(m.audit(Phase::ResponseBody, outcome, location.as_str()));
            if outcome == Outcome::Blocked && self.terminate.is_none() {
                self.terminate = Some(
                    Refusal::new(
                        403,
                        "sensitive_data_blocked",
                        "the response contained data that policy does not allow to be returned",
                    )
                    .with_rules(vec![m.rule_id.clone()]),
                );
            }
        }
    }

    /// Passes a piece of streamed text through its lane; returns what may be released now.
    /// Marks the hold window `diverged` when the released text is not the text that came in
    /// (a redaction), so the window's frames must be re-written rather than passed as they came.
    pub fn push_text(
        &mut self,
        lane: &mut Lane,
        piece: &str,
        location: &str,
        diverged: &mut bool,
    ) -> String {
        if !self.redacting() {
            return piece.to_string();
        }
        // A lane whose text is JSON is scanned as its client decodes it (see `escapes`).
        if lane.json.is_none() {
            lane.json = escapes::looks_like_json(piece);
        }
        let decoded;
        let subject = if lane.json == Some(true) {
            lane.carry.push_str(piece);
            let mut out = String::with_capacity(lane.carry.len());
            let used = escapes::unescape(&lane.carry, &mut out, false);
            lane.carry.drain(..used);
            decoded = out;
            decoded.as_str()
        } else {
            piece
        };
        let r = lane.redactor.push(&self.policy.secrets, subject);
        self.record_secrets(&r.matches, &location);
        if !self.enforce {
            // Monitor mode: the lane only detects; the text goes through as it came.
            return piece.to_string();
        }
        settle(lane, subject, Cow::Owned(r.text), diverged).into_owned()
    }

    /// The fast path's form of [`Ctx::push_text`]: when the piece provably finds no match in
    /// its lane (`StreamRedactor::pass`), it is taken and what the lane releases is returned
    /// (the held text and the piece, but for a tail that could start a keyword); otherwise the
    /// lane is left as it was and None sends the caller to the full path. A lane whose text is
    /// JSON passes only pieces without an escape (it is scanned decoded).
    pub fn pass_text<'t>(
        &mut self,
        lane: &mut Lane,
        piece: &'t str,
        diverged: &mut bool,
    ) -> Option<Cow<'t, str>> {
        if !self.redacting() || piece.is_empty() {
            return Some(Cow::Borrowed(piece));
        }
        let json = lane.json.or_else(|| escapes::looks_like_json(piece));
        if (json == Some(true) && piece.contains('\\')) || !lane.carry.is_empty() {
            return None;
        }
        let released = match lane.redactor.pass(&self.policy.secrets, piece)? {
            Release::Piece => Cow::Borrowed(piece),
            Release::Text(t) => Cow::Owned(t),
        };
        lane.json = json;
        if !self.enforce {
            return Some(Cow::Borrowed(piece));
        }
        Some(settle(lane, piece, released, diverged))
    }

    /// [`Ctx::pass_text`] for text the lane must release whole (the fast path's batch: the
    /// texts of several events of one lane joined): when the lane holds nothing, the text is
    /// taken only if it holds no trigger and ends in no keyword's start
    /// (`StreamRedactor::pass_whole`), and true; the lane is then as the pieces one by one
    /// would have left it. Otherwise false, and the lane is as it was.
    pub fn pass_whole(&mut self, lane: &mut Lane, text: &str) -> bool {
        if !self.redacting() || text.is_empty() {
            return true;
        }
        if !lane.pending.is_empty() || !lane.carry.is_empty() {
            return false;
        }
        let json = lane.json.or_else(|| escapes::looks_like_json(text));
        if json == Some(true) && text.contains('\\') {
            return false;
        }
        if !lane.redactor.pass_whole(&self.policy.secrets, text) {
            return false;
        }
        lane.json = json;
        if self.enforce {
            lane.enforced = true;
        }
        true
    }

    /// End of a lane: releases everything it still holds (for the re-written form of the window;
    /// when the window stays clean, the frames as they came already carry this text).
    /// `location` is written out only when there is a secret to audit.
    pub fn finish_text(
        &mut self,
        lane: &mut Lane,
        location: &dyn fmt::Display,
        diverged: &mut bool,
    ) -> String {
        if !self.redacting() {
            return String::new();
        }
        // An escape cut short by the end of the lane is text as it stands.
        let mut released = String::new();
        if !lane.carry.is_empty() {
            let carry = std::mem::take(&mut lane.carry);
            let mut tail = String::new();
            escapes::unescape(&carry, &mut tail, true);
            let r = lane.redactor.push(&self.policy.secrets, &tail);
            self.record_secrets(&r.matches, location);
            lane.pending.push_str(&tail);
            released = r.text;
        }
        let r = lane.redactor.finish(&self.policy.secrets);
        self.record_secrets(&r.matches, location);
        if !self.enforce {
            return String::new();
        }
        released.push_str(&r.text);
        if released != lane.pending {
            *diverged = true;
        }
        lane.pending.clear();
        released
    }

    /// Redacts a whole text at once (non-streamed bodies, `done` events carrying the full text).
    /// A text its client reads as JSON is scanned decoded (see `escapes`); when that finds a
    /// secret, the decoded form, redacted, replaces the text.
    pub fn redact_whole(&mut self, text: &str, location: &str) -> Option<String> {
        self.redact_text(text, Some(location))
    }

    /// `redact_whole`, audited at `location`, or quietly for a copy of text already audited.
    fn redact_text(&mut self, text: &str, location: Option<&str>) -> Option<String> {
        if !self.redacting() {
            return None;
        }
        let decoded = escapes::decoded(text);
        let subject = decoded.as_deref().unwrap_or(text);
        let r = self.policy.secrets.redact(subject);
        if r.matches.is_empty() {
            return None;
        }
        if let Some(location) = location {
            self.record_secrets(&r.matches, &location);
        }
        if self.enforce && r.text != subject {
            Some(r.text)
        } else {
            None
        }
    }

    /// Redacts every string and every object key in a JSON value (identifier and enum values
    /// excepted); true if anything changed. A value that changed loses its logprobs: their
    /// tokens and bytes spell the text that was redacted.
    pub fn redact_value(&mut self, v: &mut Value, location: &str) -> bool {
        self.redact_tree(v, Some(location))
    }

    /// `redact_value` for a whole copy of text already audited through a lane.
    pub fn redact_value_quiet(&mut self, v: &mut Value) -> bool {
        self.redact_tree(v, None)
    }

    fn redact_tree(&mut self, v: &mut Value, location: Option<&str>) -> bool {
        if !self.redacting() {
            return false;
        }
        let changed = self.redact_node(v, location);
        if changed {
            drop_logprobs(v);
        }
        changed
    }

    fn redact_node(&mut self, v: &mut Value, location: Option<&str>) -> bool {
        match v {
            Value::String(s) => match self.redact_text(s, location) {
                Some(new) => {
                    *s = new;
                    true
                }
                None => false,
            },
            Value::Array(items) => {
                let mut changed = false;
                for item in items {
                    changed |= self.redact_node(item, location);
                }
                changed
            }
            Value::Object(map) => {
                let mut changed = false;
                let renamed: Vec<(String, String)> = map
                    .keys()
                    .filter(|k| !KNOWN_KEYS.contains(&k.as_str()))
                    .filter_map(|k| Some((k.clone(), self.redact_text(k, location)?)))
                    .collect();
                for (old, new) in renamed {
                    if let Some(child) = map.remove(&old) {
                        map.insert(new, child);
                        changed = true;
                    }
                }
                for (k, child) in map.iter_mut() {
                    if !ID_KEYS.contains(&k.as_str()) {
                        changed |= self.redact_node(child, location);
                    }
                }
                changed
            }
            _ => false,
        }
    }

    fn tool_event(&mut self, rule_id: &str, outcome: Outcome, location: &str) {
        self.audit.push(AuditEvent::decision(
            rule_id,
            Category::Tool,
            Phase::ResponseBody,
            outcome,
            location,
        ));
    }

    fn deny_call(&mut self, rule_id: &str, reason: &str, location: &str) -> CallFate {
        let tools = &self.policy.tools;
        if !self.enforce || tools.monitor() {
            self.tool_event(rule_id, Outcome::Monitored, location);
            return CallFate::Allow { hold: false };
        }
        match tools.on_call() {
            ToolCallAction::Strip => {
                self.tool_event(rule_id, Outcome::Stripped, location);
                CallFate::Strip
            }
            ToolCallAction::Block => {
                self.tool_event(rule_id, Outcome::Blocked, location);
                if self.terminate.is_none() {
                    self.terminate = Some(
                        Refusal::new(403, "tool_not_allowed", reason.to_string())
                            .with_rules(vec![rule_id.to_string()]),
                    );
                }
                CallFate::Block
            }
        }
    }

    /// Decides a tool call as soon as its name is known.
    pub fn call_named(&mut self, name: &str, location: &str) -> CallFate {
        let tools = &self.policy.tools;
        match tools.check_name(name) {
            ToolDecision::Deny { rule_id, reason } => self.deny_call(&rule_id, &reason, location),
            ToolDecision::Allow => {
                if let ToolDecision::Deny { rule_id, reason } =
                    tools.check_call_count(self.calls_allowed + 1)
                {
                    return self.deny_call(&rule_id, &reason, location);
                }
                self.calls_allowed += 1;
                CallFate::Allow {
                    hold: tools.has_argument_rules(name),
                }
            }
        }
    }

    /// A call that was decided under one name and completes under another: refused, since the
    /// client runs the name it completes with.
    pub fn call_renamed(&mut self, name: &str, location: &str) -> CallFate {
        let reason = format!(
            "tool call {} changed its name after it was decided",
            crate::quote::quoted(name)
        );
        self.deny_call("tools.name", &reason, location)
    }

    /// Decides a held call on its complete arguments.
    pub fn call_arguments(&mut self, name: &str, arguments: &str, location: &str) -> CallFate {
        match self.policy.tools.check_arguments(name, arguments) {
            ToolDecision::Allow => CallFate::Allow { hold: false },
            ToolDecision::Deny { rule_id, reason } => self.deny_call(&rule_id, &reason, location),
        }
    }

    /// Decides a held custom tool call (OpenAI `custom` tools) on its complete free-form input.
    /// The input is not JSON arguments: it is checked as one string at the root of the
    /// arguments, so rules with the pointer `""` constrain the whole input text, and rules that
    /// point inside an object find nothing there (absent: refused only when `required`).
    pub fn call_input(&mut self, name: &str, input: &str, location: &str) -> CallFate {
        let value = Value::String(input.to_string());
        match self.policy.tools.check_arguments_value(name, &value) {
            ToolDecision::Allow => CallFate::Allow { hold: false },
            ToolDecision::Deny { rule_id, reason } => self.deny_call(&rule_id, &reason, location),
        }
    }

    /// Decides a held call on every form of its arguments the client may read (deltas joined,
    /// the copy in an opening item, the copy in a closing one): each non-empty form must pass, so
    /// the arguments checked are the ones the client runs, whichever copy it keeps. With no
    /// non-empty form, the call is decided on empty arguments.
    pub fn call_argument_forms(
        &mut self,
        name: &str,
        custom: bool,
        forms: &[&str],
        location: &str,
    ) -> CallFate {
        let mut checked = Vec::with_capacity(forms.len());
        for form in forms.iter().copied() {
            if form.trim().is_empty() || checked.contains(&form) {
                continue;
            }
            checked.push(form);
            let fate = if custom {
                self.call_input(name, form, location)
            } else {
                self.call_arguments(name, form, location)
            };
            if fate != (CallFate::Allow { hold: false }) {
                return fate;
            }
        }
        if checked.is_empty() {
            if custom {
                return self.call_input(name, "", location);
            }
            return self.call_arguments(name, "", location);
        }
        CallFate::Allow { hold: false }
    }
}

/// A stream processor with the state that lasts for the whole answer rather than for one body
/// chunk: the exchange builds a new [`Ctx`] for every chunk, so the count of allowed tool calls
/// that `max_calls` checks lives here and is carried from chunk to chunk.
pub struct Answer {
    inner: Box<dyn StreamProcessor>,
    calls_allowed: usize,
}

impl Answer {
    pub fn wrap(inner: Box<dyn StreamProcessor>) -> Box<dyn StreamProcessor> {
        Box::new(Self {
            inner,
            calls_allowed: 0,
        })
    }
}

impl StreamProcessor for Answer {
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        ctx.calls_allowed = ctx.calls_allowed.max(self.calls_allowed);
        let r = self.inner.push(ctx, chunk, out);
        self.calls_allowed = ctx.calls_allowed;
        r
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        ctx.calls_allowed = ctx.calls_allowed.max(self.calls_allowed);
        self.inner.finish(ctx, out);
        self.calls_allowed = ctx.calls_allowed;
    }

    fn push_same(
        &mut self,
        ctx: &mut Ctx<'_>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<bool, Refusal> {
        ctx.calls_allowed = ctx.calls_allowed.max(self.calls_allowed);
        let r = self.inner.push_same(ctx, chunk, out);
        self.calls_allowed = ctx.calls_allowed;
        r
    }
}

/// Calls `f` on every string of `v` except identifier and enum values (`ID_KEYS`).
pub fn visit_strings(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => {
            for item in items {
                visit_strings(item, f);
            }
        }
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if !ID_KEYS.contains(&k.as_str()) {
                    visit_strings(child, f);
                }
            }
        }
        _ => {}
    }
}

/// Keys whose values are identifiers or enums in responses: never redacted.
pub(crate) const ID_KEYS: &[&str] = &[
    "id",
    "object",
    "model",
    "type",
    "role",
    "finish_reason",
    "stop_reason",
    "call_id",
    "item_id",
    "tool_call_id",
    "created_at",
    "system_fingerprint",
    "done_reason",
    "service_tier",
    "obfuscation",
    "encrypted_content",
    "signature",
];

/// Keys of the API shapes themselves: not scanned as text (a key is scanned because a model can
/// write one, in tool input or structured output; these are the envelope's own).
const KNOWN_KEYS: &[&str] = &[
    "id",
    "object",
    "model",
    "type",
    "role",
    "index",
    "delta",
    "choices",
    "content",
    "text",
    "message",
    "finish_reason",
    "logprobs",
    "usage",
    "created",
    "tool_calls",
    "function",
    "arguments",
    "name",
    "output_index",
    "content_index",
    "item_id",
    "sequence_number",
    "item",
    "part",
    "response",
    "output",
    "status",
    "input",
    "partial_json",
    "thinking",
    "signature",
    "stop_reason",
    "stop_sequence",
    "done",
    "done_reason",
    "created_at",
    "refusal",
    "annotations",
    "reasoning_content",
    "reasoning",
    "summary",
    "call_id",
    "error",
    "code",
    "param",
];

/// Replaces every `logprobs` in a value with an empty one of its kind (an empty list, else
/// null): a redacted text's tokens and their bytes would spell what was redacted. True if any
/// was there. Chosen over redacting tokens one by one because a token may hold part of a secret
/// and part of the text beside it, and clients sum and index logprobs by token.
pub fn drop_logprobs(v: &mut Value) -> bool {
    match v {
        Value::Array(items) => items.iter_mut().fold(false, |c, i| drop_logprobs(i) | c),
        Value::Object(map) => {
            let mut dropped = false;
            for (k, child) in map.iter_mut() {
                if k == "logprobs" || k == "top_logprobs" {
                    let empty = match child {
                        Value::Array(a) if a.is_empty() => continue,
                        Value::Null => continue,
                        Value::Array(_) => Value::Array(Vec::new()),
                        _ => Value::Null,
                    };
                    *child = empty;
                    dropped = true;
                } else {
                    dropped |= drop_logprobs(child);
                }
            }
            dropped
        }
        _ => false,
    }
}

/// Whether a value carries logprobs that [`drop_logprobs`] would remove.
fn has_logprobs(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().any(has_logprobs),
        Value::Object(map) => map.iter().any(|(k, child)| {
            if k == "logprobs" || k == "top_logprobs" {
                !matches!(child, Value::Null) && child.as_array().is_none_or(|a| !a.is_empty())
            } else {
                has_logprobs(child)
            }
        }),
        _ => false,
    }
}

/// What a lane's text `subject` came to once its redactor released `released` (enforcing): the
/// lane's pending input loses what was released as it came; a release that is not the input as
/// it came marks the window `diverged`.
fn settle<'t>(
    lane: &mut Lane,
    subject: &str,
    released: Cow<'t, str>,
    diverged: &mut bool,
) -> Cow<'t, str> {
    lane.enforced = true;
    if lane.pending.is_empty() && released == subject {
        return released;
    }
    lane.pending.push_str(subject);
    if !*diverged && lane.pending.starts_with(released.as_ref()) {
        lane.pending.drain(..released.len());
    } else {
        *diverged = true;
        lane.pending.clear();
    }
    released
}

/// One text stream (a choice's content, a content block, a call's arguments): the redactor, and
/// the input it has not yet released as it came.
#[derive(Default)]
pub struct Lane {
    redactor: StreamRedactor,
    pending: String,
    enforced: bool,
    /// Whether the lane's text is JSON (decided on its first non-blank character).
    json: Option<bool>,
    /// The start of an escape cut by the end of the last piece (JSON lanes).
    carry: String,
}

impl Lane {
    /// True while the lane holds text back.
    pub fn holding(&self) -> bool {
        !self.pending.is_empty()
            || !self.carry.is_empty()
            || (self.enforced && self.redactor.held() > 0)
    }

    /// Bytes the lane holds.
    pub fn held_bytes(&self) -> usize {
        self.pending.len() + self.carry.len()
    }
}

/// The frames of the current hold window, each in two forms: `clean` (as it came, with only
/// structural edits such as a stripped tool call) and `full` (with the released, redacted text).
/// While any lane holds text back, frames wait here; when no lane holds, the window is flushed:
/// the clean forms if nothing was redacted (so benign streams pass byte for byte), the full forms
/// otherwise (so the reassembled text is exactly the redaction of the whole).
///
/// A frame that came as it is in the chunk being handled is kept as where it lies in the
/// framer's buffer ([`FrameQueue::push_frame`]), its full form as the text its lane released:
/// nothing is copied or re-written unless the window diverges, and a clean window of such frames
/// is the chunk's own bytes ([`FrameQueue::as_came`]). Before the framer's buffer moves on (the
/// next chunk), [`FrameQueue::own`] copies what still waits.
#[derive(Default)]
pub struct FrameQueue {
    entries: Vec<Entry>,
    pub diverged: bool,
    bytes: usize,
}

/// One frame of the hold window.
struct Entry {
    clean: Clean,
    full: Full,
}

/// The clean form of a frame.
enum Clean {
    Bytes(Vec<u8>),
    /// Bytes of the framer's buffer (the chunk being handled).
    Frame(Range<usize>),
}

/// The full form of a frame.
enum Full {
    /// The clean form.
    Clean,
    Bytes(Vec<u8>),
    /// The clean form with the contents of the string at `.0` (relative to the frame) replaced
    /// by `.1`, escaped ([`passthrough::rewrite`]).
    Text(Range<usize>, String),
}

impl FrameQueue {
    pub fn push(&mut self, clean: Vec<u8>, full: Vec<u8>) {
        self.bytes += clean.len() + full.len();
        self.entries.push(Entry {
            clean: Clean::Bytes(clean),
            full: Full::Bytes(full),
        });
    }

    /// A frame that is the same in both forms.
    pub fn push_both(&mut self, bytes: Vec<u8>) {
        self.bytes += 2 * bytes.len();
        self.entries.push(Entry {
            clean: Clean::Bytes(bytes),
            full: Full::Clean,
        });
    }

    /// A frame that exists only in the re-written form (released held text).
    pub fn push_full(&mut self, bytes: Vec<u8>) {
        self.push(Vec::new(), bytes);
    }

    /// The frame at `r` of the framer's buffer, as it came; its full form carries `text` (where
    /// its text string lies in the frame, what its lane released) when that is not the text it
    /// carried. Counted as the two forms [`FrameQueue::push`] would hold.
    pub fn push_frame(&mut self, r: Range<usize>, text: Option<(Range<usize>, String)>) {
        let len = r.len();
        self.bytes += len
            + match &text {
                None => len,
                Some((at, t)) => len - at.len().min(len) + passthrough::escaped_len(t),
            };
        let full = match text {
            None => Full::Clean,
            Some((at, t)) => Full::Text(at, t),
        };
        self.entries.push(Entry {
            clean: Clean::Frame(r),
            full,
        });
    }

    /// The last frame queued, built by a dialect from the raw frame at `r` of the framer's
    /// buffer: when both its forms are those bytes, it is kept as where they lie (no copy, and
    /// a clean window can be the chunk's own bytes).
    pub fn reclaim_frame(&mut self, r: Range<usize>, raw: &[u8]) {
        let Some(e) = self.entries.last_mut() else {
            return;
        };
        let Clean::Bytes(clean) = &e.clean else {
            return;
        };
        let same = clean.as_slice() == raw
            && match &e.full {
                Full::Clean => true,
                Full::Bytes(full) => full.as_slice() == raw,
                Full::Text(..) => false,
            };
        if same {
            *e = Entry {
                clean: Clean::Frame(r),
                full: Full::Clean,
            };
        }
    }

    /// Where the window lies in the framer's buffer when it goes as it came and is made only of
    /// frames kept there, back to back: its flush is then those bytes.
    pub fn as_came(&self) -> Option<Range<usize>> {
        if self.diverged {
            return None;
        }
        let mut span: Option<Range<usize>> = None;
        for e in &self.entries {
            match &e.clean {
                Clean::Bytes(b) if b.is_empty() => {}
                Clean::Bytes(_) => return None,
                Clean::Frame(r) => {
                    span = Some(match span {
                        None => r.clone(),
                        Some(s) if s.end == r.start => s.start..r.end,
                        Some(_) => return None,
                    });
                }
            }
        }
        span
    }

    /// Empties the window without writing it (its bytes went out another way: `as_came`).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.diverged = false;
        self.bytes = 0;
    }

    /// Writes the window to `out`; `buf` is the framer's buffer its kept frames lie in.
    pub fn flush(&mut self, out: &mut Vec<u8>, buf: &[u8]) {
        for e in self.entries.drain(..) {
            let clean = match &e.clean {
                Clean::Bytes(b) => b.as_slice(),
                Clean::Frame(r) => buf.get(r.clone()).unwrap_or_default(),
            };
            if !self.diverged {
                out.extend_from_slice(clean);
                continue;
            }
            match &e.full {
                Full::Clean => out.extend_from_slice(clean),
                Full::Bytes(full) => out.extend_from_slice(full),
                Full::Text(at, text) => passthrough::rewrite(out, clean, at.clone(), text),
            }
        }
        self.diverged = false;
        self.bytes = 0;
    }

    /// Copies the frames kept in the framer's buffer `buf` (before it moves on).
    pub fn own(&mut self, buf: &[u8]) {
        for e in &mut self.entries {
            if let Clean::Frame(r) = &e.clean {
                e.clean = Clean::Bytes(buf.get(r.clone()).unwrap_or_default().to_vec());
            }
        }
    }

    /// Bytes of the frames waiting in the window (both forms).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Frames waiting in the window.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Text edits made to a frame: (JSON pointer, original text), so the clean form can be rebuilt.
pub type TextEdits = Vec<(String, String)>;

/// Builds the clean and full forms of a parsed frame. `structural` says whether anything beyond
/// text was edited (then the clean form must be re-serialised with the original texts).
pub fn frame_forms(
    raw: &[u8],
    v: &Value,
    edits: &TextEdits,
    structural: bool,
    write: &dyn Fn(&Value) -> Vec<u8>,
) -> (Vec<u8>, Vec<u8>) {
    // The re-written form is the one sent when the window had a redaction: logprobs go (see
    // `drop_logprobs`).
    let full = if has_logprobs(v) {
        let mut f = v.clone();
        drop_logprobs(&mut f);
        write(&f)
    } else if structural || !edits.is_empty() {
        write(v)
    } else {
        raw.to_vec()
    };
    let clean = if !structural {
        raw.to_vec()
    } else if edits.is_empty() && !has_logprobs(v) {
        full.clone()
    } else {
        let mut c = v.clone();
        for (ptr, original) in edits {
            if let Some(slot) = pointer_mut(&mut c, ptr) {
                *slot = Value::String(original.clone());
            }
        }
        write(&c)
    };
    (clean, full)
}

/// An SSE event the client reads no JSON from (a comment, a field it ignores, data that is not
/// JSON): scanned as text as it stands, so a lenient client reads nothing the filter did not.
/// A redaction replaces only the secret's span, so the framing stays as it came.
pub fn opaque_event(ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
    let text = String::from_utf8_lossy(&raw);
    match ctx.redact_whole(&text, "sse.event") {
        Some(r) => queue.push_both(r.into_bytes()),
        None => queue.push_both(raw),
    }
}

/// A streamed response body processor: bytes in, bytes out.
pub trait StreamProcessor {
    /// Processes one network chunk; appends what may go to the client to `out`.
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal>;
    /// End of stream: appends everything still held.
    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>);
    /// [`StreamProcessor::push`], but true (with nothing appended) when what the client gets of
    /// this chunk is the chunk as it came: the caller then leaves the host's bytes as they are
    /// (no copy, no comparison). False says nothing either way.
    fn push_same(
        &mut self,
        ctx: &mut Ctx<'_>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<bool, Refusal> {
        self.push(ctx, chunk, out).map(|()| false)
    }
}

/// `Value::pointer` without the two strings it allocates per token (a pointer with `~`, an
/// escape, is read by it): the dialects look up their fixed pointers on every full-path event.
pub(crate) fn pointer<'v>(v: &'v Value, ptr: &str) -> Option<&'v Value> {
    if ptr.contains('~') {
        return v.pointer(ptr);
    }
    if ptr.is_empty() {
        return Some(v);
    }
    ptr.strip_prefix('/')?
        .split('/')
        .try_fold(v, |v, t| match v {
            Value::Object(m) => m.get(t),
            Value::Array(a) => a.get(array_index(t)?),
            _ => None,
        })
}

/// [`pointer`] for `Value::pointer_mut`.
pub(crate) fn pointer_mut<'v>(v: &'v mut Value, ptr: &str) -> Option<&'v mut Value> {
    if ptr.contains('~') {
        return v.pointer_mut(ptr);
    }
    if ptr.is_empty() {
        return Some(v);
    }
    ptr.strip_prefix('/')?
        .split('/')
        .try_fold(v, |v, t| match v {
            Value::Object(m) => m.get_mut(t),
            Value::Array(a) => a.get_mut(array_index(t)?),
            _ => None,
        })
}

/// An array position as a JSON pointer token spells it (no sign, no leading zero).
fn array_index(t: &str) -> Option<usize> {
    if t.starts_with('+') || (t.starts_with('0') && t.len() != 1) {
        return None;
    }
    t.parse().ok()
}

/// Reads an integer index field, defaulting to 0.
pub(crate) fn index_of(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pointers_read_as_the_library_reads_them() {
        let mut v = serde_json::json!({"message": {"content": "a", "tool_calls": [{"f": 1}, 2]},
            "a/b": {"c~d": 3}, "": {"": 4}, "01": 5, "response": "r"});
        for ptr in [
            "",
            "/",
            "/message",
            "/message/content",
            "/message/content/x",
            "/response",
            "/message/tool_calls/0/f",
            "/message/tool_calls/1",
            "/message/tool_calls/01",
            "/message/tool_calls/+1",
            "/message/tool_calls/2",
            "/message/tool_calls/-1",
            "/a~1b/c~0d",
            "//",
            "/01",
            "message",
            "/message/",
            "/nothing/here",
        ] {
            let want = v.pointer(ptr).cloned();
            assert_eq!(pointer(&v, ptr).cloned(), want, "{ptr}");
            assert_eq!(pointer_mut(&mut v, ptr).map(|x| x.clone()), want, "{ptr}");
        }
    }
}
