//! The event machinery every framed stream shares (OpenAI chat, Responses and Anthropic SSE,
//! Ollama NDJSON): frame the bytes, hand each event to its dialect, bound what is held, end a
//! refused stream with the dialect's error event, and release the hold window whenever no lane
//! holds text. A dialect says only what its events mean ([`EventDialect`]).

use super::{Ctx, FrameQueue, StreamProcessor};
use crate::api::errors::{stream_error, Refusal};
use crate::api::Dialect;
use crate::framing::ndjson::NdjsonFramer;
use crate::framing::sse::SseFramer;
use crate::framing::FrameTooLarge;

/// The framing of a stream's events.
enum Framing {
    Sse(SseFramer),
    Ndjson(NdjsonFramer),
}

impl Framing {
    fn frames(&mut self, chunk: &[u8], max_frame: usize) -> Result<Vec<Vec<u8>>, FrameTooLarge> {
        match self {
            Self::Sse(f) => f.push(chunk, max_frame),
            Self::Ndjson(f) => f.push(chunk, max_frame),
        }
    }

    /// At end of stream: an unterminated last frame, as if it were terminated.
    fn last(&mut self) -> Option<Vec<u8>> {
        let (mut raw, sse) = match self {
            Self::Sse(f) => (f.take_pending(), true),
            Self::Ndjson(f) => (f.take_pending(), false),
        };
        if raw.is_empty() {
            return None;
        }
        if sse {
            raw.extend_from_slice(b"\n\n");
        }
        Some(raw)
    }

    fn too_large(&self) -> Refusal {
        let what = match self {
            Self::Sse(_) => "an upstream stream event exceeded the frame limit",
            Self::Ndjson(_) => "an upstream stream line exceeded the frame limit",
        };
        Refusal::new(502, "stream_frame_too_large", what)
    }

    fn error_event(&self, dialect: Dialect, r: &Refusal) -> Vec<u8> {
        stream_error(dialect, r, matches!(self, Self::Ndjson(_)))
    }
}

/// What the fast path made of an event.
pub enum Passed {
    /// Not an event it knows to be safe: the full path handles it.
    No,
    /// Its lane released the text it carried: both forms are the bytes that came.
    AsCame,
    /// Its lane released other text (held text before it, or less than the piece): the
    /// re-written form carries what was released.
    Rewritten(Vec<u8>),
}

/// What one API's stream events mean: the machinery owns the framing and the hold window.
pub trait EventDialect {
    /// The shape of its error event.
    fn dialect(&self) -> Dialect;
    /// Processes one raw event; queues what the client may read in the window.
    fn on_event(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue, raw: Vec<u8>);
    /// True while a lane holds text back (the window waits).
    fn holding(&self) -> bool;
    /// Bytes held outside the window: text held back, calls held for their argument rules.
    fn held_bytes(&self) -> usize;
    /// End of stream: releases what lanes still hold (blocks, items, choices never closed).
    fn finish_open(&mut self, ctx: &mut Ctx<'_>, queue: &mut FrameQueue);
    /// The fast path (`response::passthrough`): an event that provably needs no change but the
    /// text its lane releases, handled without building its JSON; the dialect's state then
    /// stands as the full path would leave it. `Passed::No` sends the event to `on_event`.
    fn pass_event(&mut self, _ctx: &mut Ctx<'_>, _queue: &mut FrameQueue, _raw: &[u8]) -> Passed {
        Passed::No
    }
    /// True while a call is held for its argument rules (its frames wait outside the window).
    fn holding_calls(&self) -> bool {
        false
    }
    /// The held-bytes bound was passed under `on_call: strip`: every call held for its argument
    /// rules is removed from the answer, as a refused call is (`Ctx::held_call_stripped` for
    /// each).
    fn strip_held_calls(&mut self, _ctx: &mut Ctx<'_>) {}
}

/// A framed response stream of one dialect. One copy of this skeleton serves every dialect
/// (a trait object rather than a generic: the wasm carries it once).
pub struct EventStream {
    framing: Framing,
    queue: FrameQueue,
    max_frame: usize,
    dialect: Box<dyn EventDialect>,
}

impl EventStream {
    /// An SSE stream (OpenAI chat, Responses, Anthropic).
    pub fn sse(dialect: Box<dyn EventDialect>, max_frame: usize) -> Self {
        Self::new(Framing::Sse(SseFramer::default()), dialect, max_frame)
    }

    /// An NDJSON stream (Ollama).
    pub fn ndjson(dialect: Box<dyn EventDialect>, max_frame: usize) -> Self {
        Self::new(Framing::Ndjson(NdjsonFramer::default()), dialect, max_frame)
    }

    fn new(framing: Framing, dialect: Box<dyn EventDialect>, max_frame: usize) -> Self {
        Self {
            framing,
            queue: FrameQueue::default(),
            max_frame,
            dialect,
        }
    }

    /// `limits.max_held_bytes`: past it, calls held for their argument rules are stripped when
    /// the tool policy strips refused calls; whatever is still held past it ends the stream.
    /// Held calls count even when no text is held (their frames wait outside the window).
    fn bound_held(&mut self, ctx: &mut Ctx<'_>) {
        let calls = self.dialect.holding_calls();
        if !calls && !self.dialect.holding() {
            return;
        }
        if self.dialect.held_bytes() + self.queue.bytes() <= ctx.max_held {
            return;
        }
        if calls && ctx.strips_held_calls() {
            self.dialect.strip_held_calls(ctx);
            if !self.dialect.holding() {
                return;
            }
        }
        ctx.check_held(self.dialect.held_bytes() + self.queue.bytes());
    }

    fn error_event(&self, r: &Refusal) -> Vec<u8> {
        self.framing.error_event(self.dialect.dialect(), r)
    }
}

impl StreamProcessor for EventStream {
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        let events = match self.framing.frames(chunk, self.max_frame) {
            Ok(events) => events,
            Err(FrameTooLarge) => return Err(self.framing.too_large()),
        };
        for raw in events {
            let passed = if ctx.terminate.is_none() && !self.dialect.holding_calls() {
                self.dialect.pass_event(ctx, &mut self.queue, &raw)
            } else {
                Passed::No
            };
            match passed {
                Passed::No => self.dialect.on_event(ctx, &mut self.queue, raw),
                Passed::AsCame if self.queue.is_empty() && !self.dialect.holding() => {
                    out.extend_from_slice(&raw);
                    continue;
                }
                Passed::AsCame => self.queue.push_both(raw),
                Passed::Rewritten(full) => self.queue.push(raw, full),
            }
            self.bound_held(ctx);
            if let Some(r) = ctx.terminate.clone() {
                self.queue.diverged = true;
                self.queue.flush(out);
                out.extend(self.error_event(&r));
                return Err(r);
            }
            if !self.dialect.holding() {
                self.queue.flush(out);
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        if let Some(raw) = self.framing.last() {
            self.dialect.on_event(ctx, &mut self.queue, raw);
        }
        self.dialect.finish_open(ctx, &mut self.queue);
        self.queue.flush(out);
        if let Some(r) = ctx.terminate.clone() {
            out.extend(self.error_event(&r));
        }
    }
}
