//! Newline-delimited JSON framing (Ollama's streaming format, `application/x-ndjson`).
//!
//! One JSON value per line. Lines end as the clients split them (httpx's `iter_lines`, which the
//! `ollama` client uses, splits on LF, CRLF and a bare CR): the framer returns complete lines with
//! their terminator. A CR at the very end of a chunk may be the first half of CRLF, so it waits
//! for the next byte.

use super::FrameTooLarge;

#[derive(Debug, Default)]
pub struct NdjsonFramer {
    buf: Vec<u8>,
}

impl NdjsonFramer {
    pub fn push(&mut self, chunk: &[u8], max_frame: usize) -> Result<Vec<Vec<u8>>, FrameTooLarge> {
        let mut out = Vec::new();
        let mut rest = chunk;
        if self.buf.last() == Some(&b'\r') {
            // A CR held from the last chunk: the line ended there (with this LF if one follows).
            let mut line = std::mem::take(&mut self.buf);
            if let Some(tail) = rest.strip_prefix(b"\n") {
                line.push(b'\n');
                rest = tail;
            }
            out.push(line);
        }
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', rest) {
            let is_cr = rest.get(pos) == Some(&b'\r');
            if is_cr && pos + 1 == rest.len() {
                break;
            }
            let end = if is_cr && rest.get(pos + 1) == Some(&b'\n') {
                pos + 2
            } else {
                pos + 1
            };
            let (line, tail) = rest.split_at(end);
            let mut full = std::mem::take(&mut self.buf);
            full.extend_from_slice(line);
            out.push(full);
            rest = tail;
        }
        self.buf.extend_from_slice(rest);
        if self.buf.len() > max_frame {
            return Err(FrameTooLarge);
        }
        Ok(out)
    }

    pub fn take_pending(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
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
