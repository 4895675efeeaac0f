//! The event machinery every framed stream shares (OpenAI chat, Responses and Anthropic SSE,
//! Ollama NDJSON): frame the bytes, hand each event to its dialect, bound what is held, end a
//! refused stream with the dialect's error event, and release the hold window whenever no lane
//! holds text. A dialect says only what its events mean ([`EventDialect`]).

use std::borrow::Cow;
use std::ops::Range;

use super::passthrough::through_lane;
use super::{Ctx, FrameQueue, Lane, StreamProcessor};
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
    /// Feeds a chunk; `out` gets where its complete frames lie in [`Framing::frame`].
    fn frames(
        &mut self,
        chunk: &[u8],
        max_frame: usize,
        out: &mut Vec<Range<usize>>,
    ) -> Result<(), FrameTooLarge> {
        match self {
            Self::Sse(f) => f.push_ranges(chunk, max_frame, out),
            Self::Ndjson(f) => f.push_ranges(chunk, max_frame, out),
        }
    }

    /// The bytes of a frame of the last push (of `chunk`).
    fn frame<'a>(&'a self, chunk: &'a [u8], r: Range<usize>) -> &'a [u8] {
        self.buffer(chunk).get(r).unwrap_or_default()
    }

    /// What the frames of the last push (of `chunk`) lie in: the chunk itself when nothing was
    /// pending before it, else the framer's buffer.
    fn buffer<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8] {
        match self {
            Self::Sse(f) => f.buffer(chunk),
            Self::Ndjson(f) => f.buffer(chunk),
        }
    }

    /// Bytes fed and not yet handed out as frames.
    fn pending(&self) -> usize {
        match self {
            Self::Sse(f) => f.pending(),
            Self::Ndjson(f) => f.pending(),
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
    /// Its lane released the text it carried: both forms are the bytes that came. `holds`:
    /// whether its lane still holds text back (the only lane the event touched).
    AsCame { holds: bool },
    /// Its lane released other text (held text before it, or less than the piece): the
    /// re-written form carries `text` in place of the contents of the string at `at` (where
    /// the event's text lies in it).
    Rewritten { at: Range<usize>, text: String },
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
    /// The fast path (`response::passthrough`), part one: where the text of an event of the
    /// learned shape lies in it, and the text, read without building its JSON. None sends the
    /// event to `on_event`.
    fn fast_text<'r>(&self, _raw: &'r [u8]) -> Option<(Range<usize>, Cow<'r, str>)> {
        None
    }
    /// Part two: the lane the learned shape's texts go to, while the fast path may pass text
    /// through it (None sends the event to `on_event`). An event whose text the lane takes
    /// needs no change but that text's release: the dialect's state then stands as the full
    /// path would leave it. Only `on_event` and `strip_held_calls` change what these two answer.
    fn fast_lane(&mut self) -> Option<&mut Lane> {
        None
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

/// The fast path for one event: its text through its lane (`passthrough::through_lane`).
fn pass_event(
    dialect: &mut dyn EventDialect,
    diverged: &mut bool,
    ctx: &mut Ctx<'_>,
    raw: &[u8],
) -> Passed {
    let Some((at, text)) = dialect.fast_text(raw) else {
        return Passed::No;
    };
    let Some(lane) = dialect.fast_lane() else {
        return Passed::No;
    };
    through_lane(ctx, lane, diverged, at, &text)
}

/// A framed response stream of one dialect. One copy of this skeleton serves every dialect
/// (a trait object rather than a generic: the wasm carries it once).
pub struct EventStream {
    framing: Framing,
    /// Where the frames of the chunk being handled lie (kept to spare an allocation per chunk).
    frames: Vec<Range<usize>>,
    /// A batch's texts joined, and where each event's ends in them (kept likewise).
    batch: String,
    batch_ends: Vec<usize>,
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
            frames: Vec::new(),
            batch: String::new(),
            batch_ends: Vec::new(),
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

    /// Handles the frames of one chunk. Events that go out as they came while nothing waits go
    /// out as one run: one copy of consecutive frames rather than one per event. A hold window
    /// that closes clean, made of such frames, joins the run (its frames wait in the queue as
    /// where they lie: `FrameQueue::push_frame`). The last run is returned uncopied (it goes after
    /// everything in `out`); the run always precedes what waits in the queue.
    fn events(
        &mut self,
        ctx: &mut Ctx<'_>,
        chunk: &[u8],
        frames: &[Range<usize>],
        out: &mut Vec<u8>,
    ) -> Result<Option<Range<usize>>, Refusal> {
        // The run of frames passed as they came, not yet copied to `out`.
        let mut run: Option<Range<usize>> = None;
        // Whether the dialect held text after the last event, when known without asking it.
        let mut holding = None;
        // Whether a call is held for its argument rules: only the full path and the bound (which
        // strips held calls) change that, the fast path passes text alone; so it is asked again
        // only after them.
        let mut calls = self.dialect.holding_calls();
        let mut next = 0;
        // Frames before this one are not tried as a batch again (one failed over them): each
        // frame is tried at most once, so a failing batch costs no more than one more pass.
        let mut batch_from = 0;
        while let Some(r) = frames.get(next).cloned() {
            let rest = frames.get(next..).unwrap_or_default();
            next += 1;
            if next > batch_from
                && rest.len() > 1
                && ctx.terminate.is_none()
                && !calls
                && self.queue.is_empty()
            {
                let held = holding.unwrap_or_else(|| self.dialect.holding());
                holding = Some(held);
                let (n, tried) = if held {
                    (0, 0)
                } else {
                    self.batch(ctx, chunk, rest)
                };
                if let Some(last) = n.checked_sub(1).and_then(|i| rest.get(i)) {
                    // Events that went through their lane as one text: out as they came.
                    run = Some(self.joined(run, r.start..last.end, chunk, out));
                    next += n - 1;
                    continue;
                }
                batch_from = next - 1 + tried;
            }
            let raw = self.framing.frame(chunk, r.clone());
            let passed = if ctx.terminate.is_none() && !calls {
                pass_event(self.dialect.as_mut(), &mut self.queue.diverged, ctx, raw)
            } else {
                Passed::No
            };
            if let Passed::AsCame { holds } = passed {
                // Known: nothing was held before, and the event touched only its lane. Else
                // the dialect is asked (after the event, so its lane is counted too).
                let held = holding.unwrap_or_else(|| self.dialect.holding());
                if self.queue.is_empty() && !held && !holds {
                    // Nothing waits and nothing is held: the event goes out as it came.
                    holding = Some(false);
                    run = Some(self.joined(run, r, chunk, out));
                    continue;
                }
            }
            holding = None;
            let full_path = matches!(passed, Passed::No);
            match passed {
                Passed::No => {
                    self.dialect.on_event(ctx, &mut self.queue, raw.to_vec());
                    self.queue.reclaim_frame(r, raw);
                }
                Passed::AsCame { .. } => self.queue.push_frame(r, None),
                Passed::Rewritten { at, text } => self.queue.push_frame(r, Some((at, text))),
            }
            self.bound_held(ctx);
            if full_path || calls {
                calls = self.dialect.holding_calls();
            }
            if let Some(t) = ctx.terminate.clone() {
                self.queue.diverged = true;
                if let Some(run) = run.take() {
                    out.extend_from_slice(self.framing.frame(chunk, run));
                }
                self.queue.flush(out, self.framing.buffer(chunk));
                out.extend(self.error_event(&t));
                return Err(t);
            }
            if !self.dialect.holding() {
                match self.queue.as_came() {
                    Some(window) => {
                        self.queue.clear();
                        run = Some(self.joined(run, window, chunk, out));
                    }
                    None => {
                        if let Some(run) = run.take() {
                            out.extend_from_slice(self.framing.frame(chunk, run));
                        }
                        self.queue.flush(out, self.framing.buffer(chunk));
                    }
                }
                holding = Some(false);
            }
        }
        self.queue.own(self.framing.buffer(chunk));
        Ok(run)
    }

    /// The fast path for the events that start `frames`, while nothing is held or waits: the
    /// texts of the leading events of the learned shape go through their lane as one text
    /// ([`Ctx::pass_whole`]), which the lane releases whole exactly when the events one by one
    /// would have left it holding nothing (a keyword's start one of them held, the next
    /// released). How many events passed so (two or more), or 0: then the lane is as it was;
    /// and how many were tried. A keyword's start at the batch's end fails it; up to three
    /// shorter batches are tried.
    fn batch(
        &mut self,
        ctx: &mut Ctx<'_>,
        chunk: &[u8],
        frames: &[Range<usize>],
    ) -> (usize, usize) {
        let mut text = std::mem::take(&mut self.batch);
        let mut ends = std::mem::take(&mut self.batch_ends);
        text.clear();
        ends.clear();
        for r in frames {
            let Some((_, t)) = self.dialect.fast_text(self.framing.frame(chunk, r.clone())) else {
                break;
            };
            text.push_str(&t);
            ends.push(text.len());
        }
        let mut passed = 0;
        for n in (2..=ends.len()).rev().take(4) {
            let (Some(lane), Some(joined)) = (
                self.dialect.fast_lane(),
                ends.get(n - 1).and_then(|e| text.get(..*e)),
            ) else {
                break;
            };
            if ctx.pass_whole(lane, joined) {
                passed = n;
                break;
            }
        }
        let tried = ends.len();
        self.batch = text;
        self.batch_ends = ends;
        (passed, tried)
    }

    /// The run with the frames at `r` after it: joined when they follow it, else the run is
    /// copied to `out` and `r` starts the next.
    fn joined(
        &self,
        run: Option<Range<usize>>,
        r: Range<usize>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Range<usize> {
        match run {
            Some(run) if run.end == r.start => run.start..r.end,
            Some(run) => {
                out.extend_from_slice(self.framing.frame(chunk, run));
                r
            }
            None => r,
        }
    }
}

impl StreamProcessor for EventStream {
    fn push(&mut self, ctx: &mut Ctx<'_>, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), Refusal> {
        if self.push_same(ctx, chunk, out)? {
            out.extend_from_slice(chunk);
        }
        Ok(())
    }

    fn push_same(
        &mut self,
        ctx: &mut Ctx<'_>,
        chunk: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<bool, Refusal> {
        let fresh = self.framing.pending() == 0;
        let mut frames = std::mem::take(&mut self.frames);
        frames.clear();
        if self
            .framing
            .frames(chunk, self.max_frame, &mut frames)
            .is_err()
        {
            self.frames = frames;
            return Err(self.framing.too_large());
        }
        let r = self.events(ctx, chunk, &frames, out);
        self.frames = frames;
        let Some(run) = r? else {
            return Ok(false);
        };
        // With nothing before it in the framer, the frames lie in the chunk itself: a run over
        // all of it, with nothing else sent, is the chunk as it came.
        if fresh && out.is_empty() && run == (0..chunk.len()) {
            return Ok(true);
        }
        out.extend_from_slice(self.framing.frame(chunk, run));
        Ok(false)
    }

    fn finish(&mut self, ctx: &mut Ctx<'_>, out: &mut Vec<u8>) {
        if let Some(raw) = self.framing.last() {
            self.dialect.on_event(ctx, &mut self.queue, raw);
        }
        self.dialect.finish_open(ctx, &mut self.queue);
        self.queue.flush(out, &[]);
        if let Some(r) = ctx.terminate.clone() {
            out.extend(self.error_event(&r));
        }
    }
}
