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
        Ok(self.lines.copies(chunk, ranges))
    }

    /// Feeds bytes; appends to `out` where the complete lines now available lie in
    /// [`NdjsonFramer::buffer`] (valid until the next push: no copy per line).
    pub fn push_ranges(
        &mut self,
        chunk: &[u8],
        max_frame: usize,
        out: &mut Vec<Range<usize>>,
    ) -> Result<(), FrameTooLarge> {
        self.lines.feed(chunk);
        let mut start = 0usize;
        while let Some(line) = self.lines.next_line_end(chunk) {
            out.push(start..line.end);
            start = line.end;
        }
        self.lines.handed_out(start, chunk);
        self.lines.bounded(max_frame)
    }

    /// The bytes the ranges of the last push (of `chunk`) index: that chunk when nothing was
    /// pending before it, else the framer's buffer (valid until the next push).
    pub fn buffer<'a>(&'a self, chunk: &'a [u8]) -> &'a [u8] {
        self.lines.bytes(chunk)
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

    #[test]
    fn three_chunks_give_the_same_lines_at_every_pair_of_splits() {
        crate::framing::same_frames_in_three_chunks::<NdjsonFramer>(
            b"{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}\r{\"d\":4}\n{\"tail\"",
            4,
            b"{\"tail\"",
        );
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
