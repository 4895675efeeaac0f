//! Response processing: redaction and tool-call governance on what the model says.
//!
//! Streams are handled per the streaming contract in DESIGN.md: frame incrementally, decode each
//! frame's text deltas into a per-choice / per-block text lane, release text through a
//! [`StreamRedactor`] (which holds back only what could still become a secret), and re-emit
//! well-formed frames with every other field intact. A frame that needs no change is re-emitted as
//! the exact bytes that arrived. Tool calls are decided as soon as the name is known; calls with
//! argument rules are held whole until their arguments are complete.

pub mod anthropic;
pub mod json;
pub mod ollama;
pub mod openai_chat;
pub mod openai_responses;
pub mod text;

use serde_json::Value;

use crate::api::errors::Refusal;
use crate::audit::{AuditEvent, Outcome, Phase};
use crate::config::Policy;
use crate::secrets::{SecretAction, SecretMatch, StreamRedactor};
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
}

impl<'p> Ctx<'p> {
    pub fn new(policy: &'p Policy, enforce: bool, audit: &'p mut Vec<AuditEvent>) -> Self {
        Self {
            policy,
            enforce,
            audit,
            terminate: None,
            calls_allowed: 0,
        }
    }

    fn redacting(&self) -> bool {
        self.policy.secrets.response
    }

    fn record_secrets(&mut self, matches: &[SecretMatch], location: &str) {
        for m in matches {
            let outcome = match m.action {
                SecretAction::Redact if self.enforce => Outcome::Redacted,
                SecretAction::Block if self.enforce => Outcome::Blocked,
                _ => Outcome::Monitored,
            };
            self.audit.push(AuditEvent {
                rule_id: m.rule_id.clone(),
                category: "secret",
                phase: Phase::ResponseBody,
                outcome,
                location: location.to_string(),
                match_hash: m.match_hash.clone(),
                score: None,
            });
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
        let r = lane.redactor.push(&self.policy.secrets, piece);
        self.record_secrets(&r.matches, location);
        if !self.enforce {
            // Monitor mode: the lane only detects; the text goes through as it came.
            return piece.to_string();
        }
        lane.enforced = true;
        lane.pending.push_str(piece);
        if !*diverged && lane.pending.starts_with(r.text.as_str()) {
            lane.pending.drain(..r.text.len());
        } else {
            *diverged = true;
            lane.pending.clear();
        }
        r.text
    }

    /// End of a lane: releases everything it still holds (for the re-written form of the window;
    /// when the window stays clean, the frames as they came already carry this text).
    pub fn finish_text(&mut self, lane: &mut Lane, location: &str, diverged: &mut bool) -> String {
        if !self.redacting() {
            return String::new();
        }
        let r = lane.redactor.finish(&self.policy.secrets);
        self.record_secrets(&r.matches, location);
        if !self.enforce {
            return String::new();
        }
        if r.text != lane.pending {
            *diverged = true;
        }
        lane.pending.clear();
        r.text
    }

    /// Redacts a whole text at once (non-streamed bodies, `done` events carrying the full text).
    pub fn redact_whole(&mut self, text: &str, location: &str) -> Option<String> {
        if !self.redacting() {
            return None;
        }
        let r = self.policy.secrets.redact(text);
        if r.matches.is_empty() {
            return None;
        }
        self.record_secrets(&r.matches, location);
        if self.enforce && r.text != text {
            Some(r.text)
        } else {
            None
        }
    }

    /// Redacts every string in a JSON value (ids and enums excepted); true if anything changed.
    pub fn redact_value(&mut self, v: &mut Value, location: &str) -> bool {
        if !self.redacting() {
            return false;
        }
        let mut changed = false;
        redact_strings(v, &mut |s| {
            if let Some(new) = self.redact_whole(s, location) {
                *s = new;
                changed = true;
            }
        });
        changed
    }

    fn tool_event(&mut self, rule_id: &str, outcome: Outcome, location: &str) {
        self.audit.push(AuditEvent {
            rule_id: rule_id.to_string(),
            category: "tool",
            phase: Phase::ResponseBody,
            outcome,
            location: location.to_string(),
            match_hash: String::new(),
            score: None,
        });
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
}

/// Keys whose values are identifiers or enums in responses: never redacted.
const ID_KEYS: &[&str] = &[
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
];

/// Calls `f` on every string of `v` except identifiers and enums.
pub fn redact_strings(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => {
            for item in items {
                redact_strings(item, f);
            }
        }
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if !ID_KEYS.contains(&k.as_str()) {
                    redact_strings(child, f);
                }
            }
        }
        _ => {}
    }
}

/// One text stream (a choice's content, a content block, a call's arguments): the redactor, and
/// the input it has not yet released as it came.
#[derive(Default)]
pub struct Lane {
    redactor: StreamRedactor,
    pending: String,
    enforced: bool,
}

impl Lane {
    /// True while the lane holds text back.
    pub fn holding(&self) -> bool {
        !self.pending.is_empty() || (self.enforced && self.redactor.held() > 0)
    }
}

/// The frames of the current hold window, each in two forms: `clean` (as it came, with only
/// structural edits such as a stripped tool call) and `full` (with the released, redacted text).
/// While any lane holds text back, frames wait here; when no lane holds, the window is flushed:
/// the clean forms if nothing was redacted (so benign streams pass byte for byte), the full forms
/// otherwise (so the reassembled text is exactly the redaction of the whole).
#[derive(Default)]
pub struct FrameQueue {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
    pub diverged: bool,
}

impl FrameQueue {
    pub fn push(&mut self, clean: Vec<u8>, full: Vec<u8>) {
        self.entries.push((clean, full));
    }

    /// A frame that is the same in both forms.
    pub fn push_both(&mut self, bytes: Vec<u8>) {
        self.entries.push((bytes.clone(), bytes));
    }

    /// A frame that exists only in the re-written form (released held text).
    pub fn push_full(&mut self, bytes: Vec<u8>) {
        self.entries.push((Vec::new(), bytes));
    }

    pub fn flush(&mut self, out: &mut Vec<u8>) {
        for (clean, full) in self.entries.drain(..) {
            out.extend(if self.diverged { full } else { clean });
        }
        self.diverged = false;
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
    let full = if structural || !edits.is_empty() {
        write(v)
    } else {
        raw.to_vec()
    };
    let clean = if !structural {
        raw.to_vec()
    } else if edits.is_empty() {
        full.clone()
    } else {
        let mut c = v.clone();
        for (ptr, original) in edits {
            if let Some(slot) = c.pointer_mut(ptr) {
                *slot = Value::String(original.clone());
            }
        }
        write(&c)
    };
    (clean, full)
}

/// A streamed response body processor: bytes in, bytes out.
pub trait StreamProcessor {
    /// Processes one network chunk; appends what may go to the client to `out`.
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal>;
    /// End of stream: appends everything still held.
    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>);
}

/// Reads an integer index field, defaulting to 0.
pub(crate) fn index_of(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}
