//! Newline-delimited JSON framing (Ollama's streaming format, `application/x-ndjson`).
//!
//! One JSON value per line. Lines end as the clients split them (httpx's `iter_lines`, which the
//! `ollama` client uses, splits on LF, CRLF and a bare CR): the framer returns complete lines with
//! their terminator. A CR at the very end of a chunk may be the first half of CRLF, so it waits
//! for the next byte.

use std::ops::Range;

use super::lines::LineBuf;
use super::FrameTooLarge;

#[derive(Debug, Default)]
pub struct NdjsonFramer {
    lines: LineBuf,
}

impl NdjsonFramer {
    pub fn push(&mut self, chunk: &[u8], max_frame: usize) -> Result<Vec<Vec<u8>>, FrameTooLarge> {
        let mut ranges = Vec::new();
        self.push_ranges(chunk, max_frame, &mut ranges)?;
        Ok(self.lines.copies(ranges))
    }

    /// Feeds bytes; appends to `out` where the complete lines now available lie in
    /// [`NdjsonFramer::frame`] (valid until the next push: no copy per line).
    pub fn push_ranges(
        &mut self,
        chunk: &[u8],
        max_frame: usize,
        out: &mut Vec<Range<usize>>,
    ) -> Result<(), FrameTooLarge> {
        self.lines.feed(chunk);
        let mut start = 0usize;
        while let Some(line) = self.lines.next_line_end() {
            out.push(start..line.end);
            start = line.end;
        }
        self.lines.handed_out(start, max_frame)
    }

    /// The bytes of a range from the last push.
    pub fn frame(&self, r: Range<usize>) -> &[u8] {
        self.lines.frame(r)
    }

    /// The buffer the ranges of the last push index (valid until the next push).
    pub fn buffer(&self) -> &[u8] {
        self.lines.bytes()
    }

    /// Bytes fed and not yet handed out as frames (what `take_pending` would return).
    pub fn pending(&self) -> usize {
        self.lines.pending()
    }

    pub fn take_pending(&mut self) -> Vec<u8> {
        self.lines.take_pending()
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
