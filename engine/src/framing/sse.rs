//! Server-Sent Events framing (WHATWG HTML, "Server-sent events": event stream interpretation).
//!
//! An event ends at a blank line; lines end with LF, CRLF or CR. The framer returns each complete
//! event's raw bytes (terminator included) and parses its fields on demand. A CR at the very end
//! of a chunk is ambiguous (it may be the first half of CRLF), so it waits for the next byte.

use std::ops::Range;

use super::FrameTooLarge;

/// Splits a byte stream into raw SSE events.
#[derive(Debug, Default)]
pub struct SseFramer {
    buf: Vec<u8>,
    /// Bytes at the start of `buf` handed out as events by the last push (dropped by the next).
    consumed: usize,
    /// Start of the line being read, relative to `buf`.
    line_start: usize,
    /// How far the current line has been searched for its terminator, so each byte is looked at
    /// once however the stream is chunked.
    scan: usize,
}

/// One event's fields. `data` joins multiple `data:` lines with `\n`, as the spec says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: Option<String>,
}

impl SseFramer {
    /// Feeds bytes; returns the complete raw events now available.
    pub fn push(&mut self, chunk: &[u8], max_frame: usize) -> Result<Vec<Vec<u8>>, FrameTooLarge> {
        let mut ranges = Vec::new();
        self.push_ranges(chunk, max_frame, &mut ranges)?;
        Ok(ranges.into_iter().map(|r| self.frame(r).to_vec()).collect())
    }

    /// Feeds bytes; appends to `out` where the complete events now available lie in
    /// [`SseFramer::frame`] (valid until the next push: no copy per event).
    pub fn push_ranges(
        &mut self,
        chunk: &[u8],
        max_frame: usize,
        out: &mut Vec<Range<usize>>,
    ) -> Result<(), FrameTooLarge> {
        if self.consumed > 0 {
            self.buf.drain(..self.consumed);
            self.line_start -= self.consumed;
            self.scan -= self.consumed;
            self.consumed = 0;
        }
        self.buf.extend_from_slice(chunk);
        let mut event_start = 0usize;
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
            let term_end = if is_cr && self.buf.get(q + 1) == Some(&b'\n') {
                q + 2
            } else {
                q + 1
            };
            if q == self.line_start {
                // A blank line: the event is complete.
                out.push(event_start..term_end);
                event_start = term_end;
            }
            self.line_start = term_end;
            self.scan = term_end;
        }
        self.consumed = event_start;
        if self.buf.len() - event_start > max_frame {
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
        self.line_start = 0;
        self.scan = 0;
        rest
    }
}

/// Parses one raw event into its fields. Comment lines (`:`) and unknown fields are ignored.
pub fn parse_event(raw: &[u8]) -> SseEvent {
    // The stream's byte-order mark is skipped by the spec's decoder; one before any event is
    // skipped here, so the event it precedes is read as the client reads the first one.
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let text = String::from_utf8_lossy(raw);
    let mut ev = SseEvent::default();
    for line in text.split(['\n', '\r']) {
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.split_once(':') {
            Some((n, v)) => (n, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match name {
            "event" => ev.event = Some(value.to_string()),
            "data" => match &mut ev.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => ev.data = Some(value.to_string()),
            },
            _ => {}
        }
    }
    ev
}

/// Serialises an event with LF line endings.
pub fn write_event(event: Option<&str>, data: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 32);
    if let Some(e) = event {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(e.as_bytes());
        out.push(b'\n');
    }
    for line in data.split('\n') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_all(stream: &[u8], split: usize) -> Vec<Vec<u8>> {
        let mut f = SseFramer::default();
        let mut out = Vec::new();
        let (a, b) = stream.split_at(split);
        out.extend(f.push(a, 1 << 20).unwrap());
        out.extend(f.push(b, 1 << 20).unwrap());
        out
    }

    #[test]
    fn every_split_gives_the_same_events() {
        let cases: &[(&str, &[u8], usize)] = &[
            ("lf", b"data: a\n\ndata: b\n\n", 2),
            ("crlf", b"data: a\r\n\r\ndata: b\r\n\r\n", 2),
            ("cr", b"data: a\r\rdata: b\r\rx", 2),
            (
                "event lines",
                b"event: x\ndata: {}\n\nevent: y\ndata: {}\n\n",
                2,
            ),
            ("comment", b": ping\n\ndata: z\n\n", 2),
            ("partial tail", b"data: a\n\ndata: b", 1),
        ];
        for (name, stream, n) in cases {
            for split in 0..=stream.len() {
                let evs = frame_all(stream, split);
                assert_eq!(evs.len(), *n, "{name} split {split}: {evs:?}");
                let joined: Vec<u8> = evs.concat();
                assert!(stream.starts_with(&joined), "{name} split {split}");
            }
        }
    }

    #[test]
    fn parses_fields() {
        let ev = parse_event(b"event: content_block_delta\ndata: {\"a\":1}\n\n");
        assert_eq!(ev.event.as_deref(), Some("content_block_delta"));
        assert_eq!(ev.data.as_deref(), Some("{\"a\":1}"));
        let ev = parse_event(b"data: one\ndata: two\n\n");
        assert_eq!(ev.data.as_deref(), Some("one\ntwo"));
        let ev = parse_event(b"data:[DONE]\n\n");
        assert_eq!(ev.data.as_deref(), Some("[DONE]"));
        let ev = parse_event(b"\xEF\xBB\xBFdata: {}\r\n\r\n");
        assert_eq!(ev.data.as_deref(), Some("{}"));
    }

    #[test]
    fn bounded() {
        let mut f = SseFramer::default();
        assert!(f.push(&[b'x'; 100], 50).is_err());
    }
}
