//! The buffer both framers read lines from: bytes fed and not yet handed out, each byte searched
//! for a line end once however the stream is chunked, lines ending with LF, CRLF or a bare CR.
//! A CR at the very end of what was fed may be the first half of CRLF, so it waits for the next
//! byte.

use std::ops::Range;

use super::FrameTooLarge;

#[derive(Debug, Default)]
pub struct LineBuf {
    buf: Vec<u8>,
    /// Bytes at the start of `buf` handed out as frames by the last push (dropped by the next).
    consumed: usize,
    /// How far the current line has been searched for its terminator.
    scan: usize,
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
    /// Drops what the last push handed out and appends `chunk`. Returns how many bytes were
    /// dropped from the front (offsets a framer keeps into the buffer move back by that much).
    pub fn feed(&mut self, chunk: &[u8]) -> usize {
        let dropped = self.consumed;
        if dropped > 0 {
            self.buf.drain(..dropped);
            self.scan -= dropped;
            self.consumed = 0;
        }
        self.buf.extend_from_slice(chunk);
        dropped
    }

    /// The next line end after the part already searched, or `None` until more bytes come.
    pub fn next_line_end(&mut self) -> Option<LineEnd> {
        let rest = self.buf.get(self.scan..).unwrap_or_default();
        // A line end right where the search starts (an SSE event's blank line) needs no search.
        let found = match rest.first() {
            Some(b'\n' | b'\r') => Some(0),
            _ => super::bytes::line_end(rest),
        };
        let Some(off) = found else {
            self.scan = self.buf.len();
            return None;
        };
        let at = self.scan + off;
        let is_cr = self.buf.get(at) == Some(&b'\r');
        if is_cr && at + 1 == self.buf.len() {
            self.scan = at;
            return None;
        }
        let end = if is_cr && self.buf.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        self.scan = end;
        Some(LineEnd { at, end })
    }

    /// Marks `buf[..handed_out]` as handed out; fails when what is left, a frame still open,
    /// is longer than `max_frame`.
    pub fn handed_out(&mut self, handed_out: usize, max_frame: usize) -> Result<(), FrameTooLarge> {
        self.consumed = handed_out;
        if self.buf.len().saturating_sub(handed_out) > max_frame {
            return Err(FrameTooLarge);
        }
        Ok(())
    }

    /// The bytes of a range from the last push.
    pub fn frame(&self, r: Range<usize>) -> &[u8] {
        self.buf.get(r).unwrap_or_default()
    }

    /// The whole buffer (the ranges of the last push index it).
    pub fn bytes(&self) -> &[u8] {
        &self.buf
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

    /// Copies of the frames at `ranges` (for callers that keep frames past the next push).
    pub fn copies(&self, ranges: Vec<Range<usize>>) -> Vec<Vec<u8>> {
        ranges.into_iter().map(|r| self.frame(r).to_vec()).collect()
    }
}
