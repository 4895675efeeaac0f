//! The buffer both framers read lines from: bytes fed and not yet handed out, each byte searched
//! for a line end once however the stream is chunked, lines ending with LF, CRLF or a bare CR.
//! A CR at the very end of what was fed may be the first half of CRLF, so it waits for the next
//! byte.
//!
//! A chunk fed while nothing is pending is not copied: its lines are searched and handed out
//! where they lie in the chunk (the push's ranges index the chunk), and only its unterminated
//! tail is kept. A chunk fed after a pending tail is appended to it, and the ranges index the
//! buffer. Either way [`LineBuf::bytes`] is what the last push's ranges index.

use std::ops::Range;

use super::FrameTooLarge;

#[derive(Debug, Default)]
pub struct LineBuf {
    buf: Vec<u8>,
    /// Bytes at the start of `buf` handed out as frames by the last push (dropped by the next).
    consumed: usize,
    /// How far the current line has been searched for its terminator (in what the last push's
    /// ranges index, then, once handed out, in `buf`).
    scan: usize,
    /// The last push's lines lie in its chunk (nothing was pending when it came): its ranges
    /// index the chunk, and `buf` holds only the tail not handed out.
    in_chunk: bool,
}

/// A line end found by [`LineBuf::next_line_end`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineEnd {
    /// Where the terminator starts.
    pub at: usize,
    /// Just after the terminator (where the next line starts).
    pub end: usize,
}

impl LineBuf {
    /// Drops what the last push handed out and takes `chunk` (appended to what is pending, or
    /// read where it lies when nothing is). Returns how many bytes were dropped from the front
    /// (offsets a framer keeps into the buffer move back by that much).
    pub fn feed(&mut self, chunk: &[u8]) -> usize {
        let dropped = self.consumed;
        if dropped > 0 {
            self.buf.drain(..dropped);
            self.scan -= dropped;
            self.consumed = 0;
        }
        self.in_chunk = self.buf.is_empty();
        if !self.in_chunk {
            self.buf.extend_from_slice(chunk);
        }
        dropped
    }

    /// The bytes the last push's ranges index: `chunk` (that push's) or the buffer.
    pub fn bytes<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8] {
        if self.in_chunk {
            chunk
        } else {
            &self.buf
        }
    }

    /// The next line end after the part already searched, or `None` until more bytes come
    /// (`chunk`: the one just fed).
    pub fn next_line_end(&mut self, chunk: &[u8]) -> Option<LineEnd> {
        let bytes = if self.in_chunk { chunk } else { &self.buf };
        let rest = bytes.get(self.scan..).unwrap_or_default();
        // A line end right where the search starts (an SSE event's blank line) needs no search.
        let found = match rest.first() {
            Some(b'\n' | b'\r') => Some(0),
            _ => super::bytes::line_end(rest),
        };
        let Some(off) = found else {
            self.scan = bytes.len();
            return None;
        };
        let at = self.scan + off;
        let is_cr = bytes.get(at) == Some(&b'\r');
        if is_cr && at + 1 == bytes.len() {
            self.scan = at;
            return None;
        }
        let end = if is_cr && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        self.scan = end;
        Some(LineEnd { at, end })
    }

    /// Marks the first `handed_out` bytes of the last push (`chunk`) as handed out; the rest, a
    /// frame still open, is kept. Returns how far offsets a framer keeps into the buffer move
    /// back now (the kept tail of a chunk read in place starts the buffer).
    pub fn handed_out(&mut self, handed_out: usize, chunk: &[u8]) -> usize {
        if !self.in_chunk {
            self.consumed = handed_out;
            return 0;
        }
        self.buf
            .extend_from_slice(chunk.get(handed_out..).unwrap_or_default());
        self.scan -= handed_out;
        handed_out
    }

    /// Fails when what is kept, a frame still open, is longer than `max_frame`.
    pub fn bounded(&self, max_frame: usize) -> Result<(), FrameTooLarge> {
        if self.pending() > max_frame {
            return Err(FrameTooLarge);
        }
        Ok(())
    }

    /// Bytes fed and not yet handed out as frames (what `take_pending` would return).
    pub fn pending(&self) -> usize {
        self.buf.len().saturating_sub(self.consumed)
    }

    pub fn take_pending(&mut self) -> Vec<u8> {
        let mut rest = std::mem::take(&mut self.buf);
        rest.drain(..self.consumed.min(rest.len()));
        self.consumed = 0;
        self.scan = 0;
        rest
    }

    /// Copies of the frames of the last push (`chunk`) at `ranges` (for callers that keep
    /// frames past the next push).
    pub fn copies(&self, chunk: &[u8], ranges: Vec<Range<usize>>) -> Vec<Vec<u8>> {
        let bytes = self.bytes(chunk);
        ranges
            .into_iter()
            .map(|r| bytes.get(r).unwrap_or_default().to_vec())
            .collect()
    }
}
