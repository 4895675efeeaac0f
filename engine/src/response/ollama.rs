//! Ollama native streams (`application/x-ndjson`): one JSON object a line, text in
//! `message.content` (`/api/chat`) or `response` (`/api/generate`), reasoning in `thinking`, tool
//! calls whole in `message.tool_calls`, last line `"done": true`.
//!
//! Lanes are flushed into the `done` line. A blocked stream ends with an `{"error": ...}` line,
//! which the `ollama` client raises as a `ResponseError`.

use serde_json::Value;
use std::borrow::Cow;
use std::ops::Range;

use super::events::EventDialect;
use super::passthrough::{ndjson_body, EventShape};
use super::paths::PathLanes;
use super::{frame_forms, CallFate, Ctx, FrameQueue, Lane, TextEdits};
use crate::api::Dialect;

/// JSON pointers of the text fields, each with its own lane.
const TEXT_POINTERS: [&str; 4] = [
    "/message/content",
    "/response",
    "/message/thinking",
    "/thinking",
];

#[derive(Default)]
pub struct Ollama {
    lanes: [Lane; 4],
    /// Strings of a line at paths not named above, one lane each (see `paths`).
    paths: PathLanes,
    /// The shape of the last line, when it only carried text (`passthrough`), and its lane.
    shape: Option<(EventShape, usize)>,
}

/// The lane of the one text a line carries when that is all the full path acts on in it (every
/// other field an identifier, a number, null or `"done": false`), if it is such a line: it can
/// teach the fast path its shape.
fn text_only(v: &Value) -> Option<usize> {
    let mut lane = None;
    for (key, val) in v.as_object()? {
        match (key.as_str(), val) {
            ("response", Value::String(_)) if lane.is_none() => lane = Some(1),
            ("message", Value::Object(m)) => {
                for (mk, mv) in m {
                    match (mk.as_str(), mv) {
                        ("content", Value::String(_)) if lane.is_none() => lane = Some(0),
                        ("role", Value::String(_)) | (_, Value::Null) => {}
                        _ => return None,
                    }
                }
            }
            ("done", Value::Bool(true)) => return None,
            (_, Value::Null | Value::Bool(_) | Value::Number(_)) => {}
            (k, Value::String(_)) if super::ID_KEYS.contains(&k) => {}
            _ => return None,
        }
    }
    lane
}

/// Released held text `rest` in its own line before the `done` line `v`, in the field of its
/// lane (`ptr`), with `v`'s model and created_at.
fn carrier(v: &Value, ptr: &str, rest: String) -> Vec<u8> {
    let mut carrier = serde_json::json!({"done": false});
    for (k, val) in v.as_object().into_iter().flatten() {
        if k == "model" || k == "created_at" {
            if let Some(m) = carrier.as_object_mut() {
                m.insert(k.clone(), val.clone());
            }
        }
    }
    set_pointer(&mut carrier, ptr, rest);
    line(&carrier)
}

/// Whether `raw` is a `done` line the full path would only end the lanes on and pass as it
/// came: one object, without whitespace or escapes, of `"done":true`, the empty text of its
/// endpoint (`"message":{"role":"assistant","content":""}` or `"response":""`), identifier
/// strings (`ID_KEYS`, printable ASCII) and integers. Anything else (another
/// field, a text, logprobs, calls) goes to the full path.
fn plain_done(raw: &[u8]) -> bool {
    // Printable ASCII but a quote or a backslash: a key or an identifier as it reads.
    let plain = |b: &[u8]| {
        b.iter()
            .take_while(|c| matches!(c, b' '..=b'~') && !matches!(c, b'"' | b'\\'))
            .count()
    };
    let Some(mut rest) = ndjson_body(raw)
        .and_then(|b| raw.get(b))
        .and_then(|j| j.strip_prefix(b"{"))
    else {
        return false;
    };
    // `done` and the text once each (a key twice reads as its last value: the full path);
    // another key twice is an identifier or a number, which the full path passes either way.
    let (mut done, mut text) = (false, false);
    loop {
        let Some(r) = rest.strip_prefix(b"\"") else {
            return false;
        };
        let (key, r) = r.split_at(plain(r));
        let Some(r) = r.strip_prefix(b"\":") else {
            return false;
        };
        let value = match key {
            b"done" if !done => {
                done = true;
                r.strip_prefix(b"true")
            }
            b"message" if !text => {
                text = true;
                r.strip_prefix(br#"{"role":"assistant","content":""}"#)
            }
            b"response" if !text => {
                text = true;
                r.strip_prefix(b"\"\"")
            }
            b"done" | b"message" | b"response" => None,
            _ if super::ID_KEYS.iter().any(|k| k.as_bytes() == key) => r
                .strip_prefix(b"\"")
                .and_then(|r| r.get(plain(r)..))
                .and_then(|r| r.strip_prefix(b"\"")),
            _ => {
                let digits = r.iter().take_while(|c| c.is_ascii_digit()).count();
                let lead = r.first() == Some(&b'0') && digits > 1;
                r.get(digits..).filter(|_| digits > 0 && !lead)
            }
        };
        match value.map(|r| r.split_first()) {
            Some(Some((b'}', []))) => return done && text,
            Some(Some((b',', r))) => rest = r,
            _ => return false,
        }
    }
}

fn line(v: &Value) -> Vec<u8> {
    let mut l = v.to_string().into_bytes();
    l.push(b'\n');
    l
}

impl Ollama {
    fn on_line(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        // The fast path's shape is the last line's (see `passthrough`).
        self.shape = None;
        if !self.holding() && plain_done(&raw) {
            // What the full path does with it, no JSON value built: the lanes end (holding
            // nothing, they release nothing: the carrier is for form's sake), then the paths.
            for (ptr, lane) in TEXT_POINTERS.iter().zip(self.lanes.iter_mut()) {
                let loc = ptr.trim_start_matches('/').replace('/', ".");
                let rest = ctx.finish_text(lane, &loc, &mut queue.diverged);
                if !rest.is_empty() {
                    let v = serde_json::from_slice(&raw).unwrap_or_default();
                    queue.push_full(carrier(&v, ptr, rest));
                }
            }
            if ctx.terminate.is_none() {
                self.paths.finish(ctx, &mut *queue, &"", &|_, v| line(v));
                queue.push_both(raw);
            }
            return;
        }
        let text = String::from_utf8_lossy(&raw);
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            queue.push_both(raw);
            return;
        }
        let Ok(mut v) = serde_json::from_str::<Value>(text) else {
            match ctx.redact_whole(text, "ndjson.line") {
                Some(r) => queue.push_both(r.into_bytes()),
                None => queue.push_both(raw),
            }
            return;
        };
        let done = v.get("done").and_then(Value::as_bool) == Some(true);
        let mut edits = TextEdits::new();
        let mut structural = false;
        for (ptr, lane) in TEXT_POINTERS.iter().zip(self.lanes.iter_mut()) {
            let loc = ptr.trim_start_matches('/').replace('/', ".");
            if let Some(Value::String(piece)) = super::pointer_mut(&mut v, ptr) {
                if !piece.is_empty() {
                    let released = ctx.push_text(lane, piece, &loc, &mut queue.diverged);
                    if released != *piece {
                        let original = std::mem::replace(piece, released);
                        edits.push(((*ptr).to_string(), original));
                    }
                }
            }
            if done {
                let rest = ctx.finish_text(lane, &loc, &mut queue.diverged);
                if !rest.is_empty() {
                    queue.push_full(carrier(&v, ptr, rest));
                }
            }
        }
        if let Some(Value::Array(calls)) = super::pointer_mut(&mut v, "/message/tool_calls") {
            let before = calls.len();
            let mut keep = Vec::with_capacity(before);
            for (j, mut call) in std::mem::take(calls).into_iter().enumerate() {
                let loc = format!("message.tool_calls[{j}]");
                let name = super::pointer(&call, "/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let mut fate = ctx.call_named(&name, &loc);
                if let CallFate::Allow { hold: true } = fate {
                    let args = super::pointer(&call, "/function/arguments")
                        .map(Value::to_string)
                        .unwrap_or_default();
                    fate = ctx.call_arguments(&name, &args, &loc);
                }
                match fate {
                    CallFate::Allow { .. } => {
                        if let Some(a) = super::pointer_mut(&mut call, "/function/arguments") {
                            structural |= ctx.redact_value(a, &loc);
                        }
                        keep.push(call);
                    }
                    CallFate::Strip => {}
                    CallFate::Block => return,
                }
            }
            structural |= keep.len() != before;
            *calls = keep;
        }
        if ctx.terminate.is_some() {
            return;
        }
        if !TEXT_POINTERS
            .iter()
            .any(|p| super::pointer(&v, p).is_some())
        {
            // Not a chat or generate line (an error, a progress line, an unknown shape): no
            // lanes to keep, but nothing passes unscanned.
            structural |= ctx.redact_value(&mut v, "ndjson.line");
        } else {
            let took: Vec<&str> = TEXT_POINTERS
                .iter()
                .copied()
                .filter(|p| super::pointer(&v, p).is_some_and(Value::is_string))
                .collect();
            let known = |rel: &str| {
                took.contains(&rel) || rel == "/message/tool_calls" || rel == "/logprobs"
            };
            self.paths.push(
                ctx,
                (&mut *queue, &mut edits),
                None,
                "line",
                &mut v,
                "",
                &known,
            );
            if done {
                self.paths.finish(ctx, &mut *queue, &"", &|_, v| line(v));
            }
        }
        let (clean, full) = frame_forms(&raw, &v, &edits, structural, &line);
        queue.push(clean, full);
        if !structural && !done {
            self.shape = text_only(&v).and_then(|lane| {
                let body = ndjson_body(&raw)?;
                Some((
                    EventShape::learn(&raw, body, &["content", "response"], super::ID_KEYS)?,
                    lane,
                ))
            });
        }
    }
}

/// Sets a string at a two-level pointer (`/message/content`, `/response`), creating objects.
fn set_pointer(v: &mut Value, ptr: &str, text: String) {
    let mut parts = ptr.trim_start_matches('/').split('/');
    let (Some(first), second) = (parts.next(), parts.next()) else {
        return;
    };
    let Some(map) = v.as_object_mut() else {
        return;
    };
    match second {
        None => {
            map.insert(first.to_string(), Value::String(text));
        }
        Some(second) => {
            let inner = map
                .entry(first.to_string())
                .or_insert_with(|| serde_json::json!({"role": "assistant"}));
            if let Some(m) = inner.as_object_mut() {
                m.insert(second.to_string(), Value::String(text));
            }
        }
    }
}

impl EventDialect for Ollama {
    fn dialect(&self) -> Dialect {
        Dialect::Ollama
    }

    fn on_event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>) {
        self.on_line(ctx, queue, raw);
    }

    /// The fast path: a line of the last line's shape.
    fn fast_text<'r>(&self, raw: &'r [u8]) -> Option<(Range<usize>, Cow<'r, str>)> {
        self.shape.as_ref()?.0.text_of(raw)
    }

    fn fast_lane(&mut self) -> Option<&mut Lane> {
        let (_, i) = self.shape.as_ref()?;
        self.lanes.get_mut(*i)
    }

    fn holding(&self) -> bool {
        self.lanes.iter().any(Lane::holding) || self.paths.holding()
    }

    fn held_bytes(&self) -> usize {
        self.lanes.iter().map(Lane::held_bytes).sum::<usize>() + self.paths.held_bytes()
    }

    fn finish_open(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue) {
        self.paths.finish(ctx, queue, &"", &|_, v| line(v));
        // A stream that ended without its `done` line: release what the lanes hold.
        for (ptr, lane) in TEXT_POINTERS.iter().zip(self.lanes.iter_mut()) {
            let rest = ctx.finish_text(lane, &ptr, &mut queue.diverged);
            if !rest.is_empty() {
                let mut carrier = serde_json::json!({"done": false});
                set_pointer(&mut carrier, ptr, rest);
                queue.push_full(line(&carrier));
            }
        }
    }
}
