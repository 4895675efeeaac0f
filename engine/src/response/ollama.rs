//! Ollama native streams (`application/x-ndjson`): one JSON object a line, text in
//! `message.content` (`/api/chat`) or `response` (`/api/generate`), reasoning in `thinking`, tool
//! calls whole in `message.tool_calls`, last line `"done": true`.
//!
//! Lanes are flushed into the `done` line. A blocked stream ends with an `{"error": ...}` line,
//! which the `ollama` client raises as a `ResponseError`.

use serde_json::Value;

use super::{CallFate, Ctx, StreamProcessor};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::ndjson::NdjsonFramer;
use crate::secrets::StreamRedactor;

/// JSON pointers of the text fields, each with its own lane.
const TEXT_POINTERS: [&str; 4] = [
    "/message/content",
    "/response",
    "/message/thinking",
    "/thinking",
];

#[derive(Default)]
pub struct OllamaStream {
    framer: NdjsonFramer,
    lanes: [StreamRedactor; 4],
    max_frame: usize,
}

impl OllamaStream {
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame,
            ..Self::default()
        }
    }

    fn on_line(&mut self, ctx: &mut Ctx<'_>, raw: Vec<u8>, out: &mut Vec<u8>) {
        let text = String::from_utf8_lossy(&raw);
        if text.trim().is_empty() {
            out.extend(raw);
            return;
        }
        let Ok(mut v) = serde_json::from_str::<Value>(&text) else {
            match ctx.redact_whole(&text, "ndjson.line") {
                Some(r) => out.extend(r.into_bytes()),
                None => out.extend(raw),
            }
            return;
        };
        let done = v.get("done").and_then(Value::as_bool) == Some(true);
        let mut changed = false;
        for (ptr, lane) in TEXT_POINTERS.iter().zip(self.lanes.iter_mut()) {
            let loc = ptr.trim_start_matches('/').replace('/', ".");
            let mut released = match v.pointer(ptr) {
                Some(Value::String(piece)) if !piece.is_empty() => {
                    let piece = piece.clone();
                    let r = ctx.push_text(lane, &piece, &loc);
                    changed |= r != piece;
                    r
                }
                Some(Value::String(_)) => String::new(),
                _ if done => String::new(),
                _ => continue,
            };
            if done {
                let rest = ctx.finish_text(lane, &loc);
                if !rest.is_empty() {
                    released.push_str(&rest);
                    changed = true;
                }
            }
            if let Some(slot) = v.pointer_mut(ptr) {
                *slot = Value::String(released);
            }
        }
        if let Some(Value::Array(calls)) = v.pointer_mut("/message/tool_calls") {
            let before = calls.len();
            let mut keep = Vec::with_capacity(before);
            for (j, mut call) in std::mem::take(calls).into_iter().enumerate() {
                let loc = format!("message.tool_calls[{j}]");
                let name = call
                    .pointer("/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let mut fate = ctx.call_named(&name, &loc);
                if let CallFate::Allow { hold: true } = fate {
                    let args = call
                        .pointer("/function/arguments")
                        .map(Value::to_string)
                        .unwrap_or_default();
                    fate = ctx.call_arguments(&name, &args, &loc);
                }
                match fate {
                    CallFate::Allow { .. } => {
                        if let Some(a) = call.pointer_mut("/function/arguments") {
                            changed |= ctx.redact_value(a, &loc);
                        }
                        keep.push(call);
                    }
                    CallFate::Strip => {}
                    CallFate::Block => return,
                }
            }
            changed |= keep.len() != before;
            *calls = keep;
        }
        if ctx.terminate.is_some() {
            return;
        }
        if changed {
            let mut line = v.to_string().into_bytes();
            line.push(b'\n');
            out.extend(line);
        } else {
            out.extend(raw);
        }
    }
}

impl StreamProcessor for OllamaStream {
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        let lines = self.framer.push(chunk, self.max_frame).map_err(|_| {
            Refusal::new(
                502,
                "stream_frame_too_large",
                "an upstream stream line exceeded the frame limit",
            )
        })?;
        for raw in lines {
            self.on_line(ctx, raw, out);
            if let Some(r) = ctx.terminate.clone() {
                out.extend(stream_error(Dialect::Ollama, &r, true));
                return Err(r);
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        let rest = self.framer.take_pending();
        if !rest.is_empty() {
            self.on_line(ctx, rest, out);
        }
        // A stream that ended without its `done` line: release what the lanes hold as one more
        // line, so the text is complete (and redacted) for the client.
        let mut tail = String::new();
        for (ptr, lane) in TEXT_POINTERS.iter().zip(self.lanes.iter_mut()) {
            tail.push_str(&ctx.finish_text(lane, ptr));
        }
        if !tail.is_empty() {
            let mut line = serde_json::json!({"message": {"role": "assistant", "content": tail}, "done": false})
                .to_string()
                .into_bytes();
            line.push(b'\n');
            out.extend(line);
        }
        if let Some(r) = ctx.terminate.clone() {
            out.extend(stream_error(Dialect::Ollama, &r, true));
        }
    }
}
