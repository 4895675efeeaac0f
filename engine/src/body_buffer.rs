//! What a proxy does with a body under the engine's verdicts: one model for every adapter.
//!
//! The engine answers each body chunk with an [`Action`]; the host applies it to the bytes it
//! holds for that body:
//!
//! - `Pause` keeps what arrived: the chunk joins the held bytes, nothing goes on.
//! - `Continue` flushes: the held bytes, then this chunk, go on.
//! - `Replace` supersedes: its bytes go on instead of the held bytes and this chunk.
//! - `Reply` ends the body: the held bytes are dropped. Before the headers went on, the reply is
//!   the whole answer; after, its body takes the place of what was held (the status is gone).
//!
//! Envoy's wasm host keeps the held bytes itself, and the filter only counts what it has shown the
//! engine ([`HostBody`]); an ext_proc server and [`crate::replay`] keep them ([`BodyBuffer`]). The
//! engine bounds what it pauses (`limits.max_request_body_bytes`, `max_response_body_bytes`),
//! which bounds both.

use crate::exchange::{Action, LocalReply};

/// What goes on after a chunk, as [`BodyBuffer::apply`] resolves an [`Action`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// Nothing yet: the chunk is held.
    Held,
    /// The chunk, unchanged (nothing was held).
    Chunk,
    /// These bytes, in place of the held bytes and the chunk (possibly empty).
    Bytes(Vec<u8>),
    /// The engine answered: the held bytes are dropped.
    Reply(LocalReply),
}

/// The bytes of one body an adapter holds for the engine (those the engine paused on).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyBuffer {
    held: Vec<u8>,
}

impl BodyBuffer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies the engine's action for `chunk`, which just arrived.
    pub fn apply(&mut self, chunk: &[u8], action: Action) -> Release {
        match action {
            // A yield holds the body like a pause; the resumed verdict decides it.
            Action::Pause | Action::Yield => {
                self.held.extend_from_slice(chunk);
                Release::Held
            }
            Action::Continue if self.held.is_empty() => Release::Chunk,
            Action::Continue => {
                let mut out = std::mem::take(&mut self.held);
                out.extend_from_slice(chunk);
                Release::Bytes(out)
            }
            Action::Replace(bytes) => {
                self.held.clear();
                Release::Bytes(bytes)
            }
            Action::Reply(r) => {
                self.held.clear();
                Release::Reply(r)
            }
        }
    }

    /// Bytes held now.
    pub fn held_len(&self) -> usize {
        self.held.len()
    }

    /// Takes the held bytes (a body that ends while paused).
    pub fn take_held(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.held)
    }
}

/// One body as a host that buffers it presents it (Envoy's wasm host): each callback reports the
/// total size the host holds, and the filter hands the engine only the bytes it has not seen.
/// After `Pause` the host keeps everything (all of it seen); after anything else what it held
/// went on or was replaced, and counting starts again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostBody {
    /// Bytes of the host's buffer already handed to the engine.
    seen: usize,
    /// The body ended (end of stream or trailers): later callbacks are not the engine's.
    finished: bool,
}

/// The part of the host's buffer to hand to the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unseen {
    pub start: usize,
    pub len: usize,
}

impl HostBody {
    pub fn new() -> Self {
        Self::default()
    }

    /// A body callback with the host's buffered `size`: the unseen bytes, or None when the body
    /// already ended.
    pub fn on_body(&mut self, size: usize, end_of_stream: bool) -> Option<Unseen> {
        if self.finished {
            return None;
        }
        self.finished = end_of_stream;
        Some(Unseen {
            start: self.seen,
            len: size.saturating_sub(self.seen),
        })
    }

    /// Trailers end the body: the size the host holds (everything seen), or None when the body
    /// already ended.
    pub fn on_trailers(&mut self) -> Option<usize> {
        if self.finished {
            return None;
        }
        self.finished = true;
        Some(self.seen)
    }

    /// Bytes of the host's buffer the engine has seen (all it holds while paused).
    pub fn held(&self) -> usize {
        self.seen
    }

    /// Records what the host did with its buffer of `size` bytes: kept it (`paused`) or let it go.
    pub fn applied(&mut self, paused: bool, size: usize) {
        self.seen = if paused { size } else { 0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply() -> LocalReply {
        LocalReply {
            status: 403,
            headers: Vec::new(),
            body: b"no".to_vec(),
            code: "blocked",
        }
    }

    /// One row: the chunks and the engine's action for each; what goes on after each; what is
    /// left held at the end.
    struct Row {
        name: &'static str,
        steps: Vec<(&'static [u8], Action, Release)>,
        held_at_end: &'static [u8],
    }

    #[test]
    fn buffer_follows_the_host() {
        use Action::{Continue, Pause, Replace};
        let rows = vec![
            Row {
                name: "continue with nothing held passes the chunk",
                steps: vec![(b"ab", Continue, Release::Chunk)],
                held_at_end: b"",
            },
            Row {
                name: "pause keeps, continue flushes held then chunk",
                steps: vec![
                    (b"ab", Pause, Release::Held),
                    (b"cd", Pause, Release::Held),
                    (b"ef", Continue, Release::Bytes(b"abcdef".to_vec())),
                    (b"gh", Continue, Release::Chunk),
                ],
                held_at_end: b"",
            },
            Row {
                name: "replace supersedes held and chunk",
                steps: vec![
                    (b"ab", Pause, Release::Held),
                    (b"cd", Replace(b"X".to_vec()), Release::Bytes(b"X".to_vec())),
                    (b"ef", Continue, Release::Chunk),
                ],
                held_at_end: b"",
            },
            Row {
                name: "replace with nothing clears",
                steps: vec![(b"ab", Replace(Vec::new()), Release::Bytes(Vec::new()))],
                held_at_end: b"",
            },
            Row {
                name: "reply drops what is held",
                steps: vec![
                    (b"ab", Pause, Release::Held),
                    (b"cd", Action::Reply(reply()), Release::Reply(reply())),
                ],
                held_at_end: b"",
            },
            Row {
                name: "a body that ends paused is still held",
                steps: vec![(b"ab", Pause, Release::Held), (b"", Pause, Release::Held)],
                held_at_end: b"ab",
            },
        ];
        for row in rows {
            let mut buf = BodyBuffer::new();
            for (i, (chunk, action, want)) in row.steps.into_iter().enumerate() {
                assert_eq!(buf.apply(chunk, action), want, "{}: step {i}", row.name);
            }
            assert_eq!(buf.held_len(), row.held_at_end.len(), "{}", row.name);
            assert_eq!(buf.take_held(), row.held_at_end, "{}", row.name);
        }
    }

    #[test]
    fn host_body_hands_over_only_unseen_bytes() {
        let mut body = HostBody::new();
        // 10 bytes arrive, the engine pauses: the host keeps them.
        assert_eq!(body.on_body(10, false), Some(Unseen { start: 0, len: 10 }));
        body.applied(true, 10);
        // 5 more: only those are new.
        assert_eq!(body.on_body(15, false), Some(Unseen { start: 10, len: 5 }));
        // The engine continues: the host flushes its 15 bytes.
        body.applied(false, 15);
        assert_eq!(body.on_body(4, true), Some(Unseen { start: 0, len: 4 }));
        body.applied(false, 4);
        // The body ended: the host's later callbacks (e.g. for a reply) are not the engine's.
        assert_eq!(body.on_body(7, true), None);
        assert_eq!(body.on_trailers(), None);
    }

    #[test]
    fn host_body_trailers_end_a_paused_body() {
        let mut body = HostBody::new();
        assert_eq!(body.on_body(8, false), Some(Unseen { start: 0, len: 8 }));
        body.applied(true, 8);
        assert_eq!(body.on_trailers(), Some(8));
        assert_eq!(body.on_body(8, true), None);
        assert_eq!(body.on_trailers(), None);
    }

    #[test]
    fn host_body_never_reads_before_what_it_saw() {
        // A host reporting less than was seen (it should not) yields an empty read, not a panic.
        let mut body = HostBody::new();
        body.applied(true, 10);
        assert_eq!(body.on_body(4, false), Some(Unseen { start: 10, len: 0 }));
    }
}
