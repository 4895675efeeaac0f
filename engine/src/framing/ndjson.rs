//! Newline-delimited JSON framing (Ollama's streaming format, `application/x-ndjson`).
//!
//! One JSON value per line. Lines end as the clients split them (httpx's `iter_lines`, which the
//! `ollama` client uses, splits on LF, CRLF and a bare CR): the framer returns complete lines with
//! their terminator. A CR at the very end of a chunk may be the first half of CRLF, so it waits
//! for the next byte.

use std::ops::Range;

use super::FrameTooLarge;

#[derive(Debug, Default)]
pub struct NdjsonFramer {
    buf: Vec<u8>,
    /// Bytes at the start of `buf` handed out as lines by the last push (dropped by the next).
    consumed: usize,
    /// How far the current line has been searched for its terminator.
    scan: usize,
}

impl NdjsonFramer {
    pub fn push(&mut self, chunk: &[u8], max_frame: usize) -> Result<Vec<Vec<u8>>, FrameTooLarge> {
        let mut ranges = Vec::new();
        self.push_ranges(chunk, max_frame, &mut ranges)?;
        Ok(ranges.into_iter().map(|r| self.frame(r).to_vec()).collect())
    }

    /// Feeds bytes; appends to `out` where the complete lines now available lie in
    /// [`NdjsonFramer::frame`] (valid until the next push: no copy per line).
    pub fn push_ranges(
        &mut self,
        chunk: &[u8],
        max_frame: usize,
        out: &mut Vec<Range<usize>>,
    ) -> Result<(), FrameTooLarge> {
        if self.consumed > 0 {
            self.buf.drain(..self.consumed);
            self.scan -= self.consumed;
            self.consumed = 0;
        }
        self.buf.extend_from_slice(chunk);
        let mut start = 0usize;
        loop {
            let rest = self.buf.get(self.scan..).unwrap_or_default();
            let Some(off) = memchr::memchr2(b'\n', b'\r', rest) else {
                self.scan = self.buf.len();
                break;
            };
            let q = self.scan + off;
            let is_cr = self.buf.get(q) == Some(&b'\r');
            if is_cr && q + 1 == self.buf.len() {
                // A CR at the end may be the first half of CRLF: decide with the next byte.
                self.scan = q;
                break;
            }
            let end = if is_cr && self.buf.get(q + 1) == Some(&b'\n') {
                q + 2
            } else {
                q + 1
            };
            out.push(start..end);
            start = end;
            self.scan = end;
        }
        self.consumed = start;
        if self.buf.len() - start > max_frame {
            return Err(FrameTooLarge);
        }
        Ok(())
    }

    /// The bytes of a range from the last push.
    pub fn frame(&self, r: Range<usize>) -> &[u8] {
        self.buf.get(r).unwrap_or_default()
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_split_gives_the_same_lines() {
        for stream in [
            &b"{\"a\":1}\n{\"b\":2}\r\n{\"done\":true}\n"[..],
            &b"{\"a\":1}\r{\"b\":2}\r\n{\"done\":true}\r"[..],
        ] {
            lines_at_every_split(stream);
        }
    }

    fn lines_at_every_split(stream: &[u8]) {
        for split in 0..=stream.len() {
            let mut f = NdjsonFramer::default();
            let (a, b) = stream.split_at(split);
            let mut lines = f.push(a, 1024).unwrap();
            lines.extend(f.push(b, 1024).unwrap());
            let rest = f.take_pending();
            if !rest.is_empty() {
                lines.push(rest);
            }
            assert_eq!(lines.len(), 3, "split {split}");
            assert_eq!(lines.concat(), stream.to_vec());
        }
    }
}
