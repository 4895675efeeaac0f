//! Newline-delimited JSON framing (Ollama's streaming format, `application/x-ndjson`).
//!
//! One JSON value per line, LF-terminated (a CR before the LF is kept as part of the line and
//! tolerated by the JSON parser as whitespace). The framer returns complete lines with their LF.

use super::FrameTooLarge;

#[derive(Debug, Default)]
pub struct NdjsonFramer {
    buf: Vec<u8>,
}

impl NdjsonFramer {
    pub fn push(&mut self, chunk: &[u8], max_frame: usize) -> Result<Vec<Vec<u8>>, FrameTooLarge> {
        let mut out = Vec::new();
        let mut rest = chunk;
        while let Some(pos) = rest.iter().position(|b| *b == b'\n') {
            let (line, tail) = rest.split_at(pos + 1);
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
        let stream = b"{\"a\":1}\n{\"b\":2}\r\n{\"done\":true}\n";
        for split in 0..=stream.len() {
            let mut f = NdjsonFramer::default();
            let (a, b) = stream.split_at(split);
            let mut lines = f.push(a, 1024).unwrap();
            lines.extend(f.push(b, 1024).unwrap());
            assert_eq!(lines.len(), 3, "split {split}");
            assert_eq!(lines.concat(), stream.to_vec());
        }
    }
}
