//! Server-Sent Events framing (WHATWG HTML, "Server-sent events": event stream interpretation).
//!
//! An event ends at a blank line; lines end with LF, CRLF or CR. The framer returns each complete
//! event's raw bytes (terminator included) and parses its fields on demand. A CR at the very end
//! of a chunk is ambiguous (it may be the first half of CRLF), so it waits for the next byte.

use std::ops::Range;

use super::bytes::line_end;
use super::lines::LineBuf;
use super::FrameTooLarge;

/// Splits a byte stream into raw SSE events.
#[derive(Debug, Default)]
pub struct SseFramer {
    lines: LineBuf,
    /// Start of the line being read, relative to the buffer.
    line_start: usize,
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
        Ok(self.lines.copies(chunk, ranges))
    }

    /// Feeds bytes; appends to `out` where the complete events now available lie in
    /// [`SseFramer::buffer`] (valid until the next push: no copy per event).
    pub fn push_ranges(
        &mut self,
        chunk: &[u8],
        max_frame: usize,
        out: &mut Vec<Range<usize>>,
    ) -> Result<(), FrameTooLarge> {
        self.line_start -= self.lines.feed(chunk);
        let mut event_start = 0usize;
        while let Some(line) = self.lines.next_line_end(chunk) {
            if line.at == self.line_start {
                // A blank line: the event is complete.
                out.push(event_start..line.end);
                event_start = line.end;
            }
            self.line_start = line.end;
        }
        self.line_start -= self.lines.handed_out(event_start, chunk);
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
        self.line_start = 0;
        self.lines.take_pending()
    }
}

/// Parses one raw event into its fields. Comment lines (`:`) and unknown fields are ignored.
pub fn parse_event(raw: &[u8]) -> SseEvent {
    // The stream's byte-order mark is skipped by the spec's decoder; one before any event is
    // skipped here, so the event it precedes is read as the client reads the first one.
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let text = String::from_utf8_lossy(raw);
    let mut ev = SseEvent::default();
    let mut rest: &str = &text;
    while !rest.is_empty() {
        // Lines found a word at a time (`bytes::line_end`), not a character at a time.
        let end = line_end(rest.as_bytes()).unwrap_or(rest.len());
        let line = rest.get(..end).unwrap_or_default();
        rest = rest.get(end + 1..).unwrap_or_default();
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
    fn three_chunks_give_the_same_events_at_every_pair_of_splits() {
        crate::framing::same_frames_in_three_chunks::<SseFramer>(
            b"data: a\n\ndata: bb\r\n\r\n: c\r\rdata: d\nevent: e\n\ndata: tail",
            4,
            b"data: tail",
        );
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
        // Every line end, a field without a colon, no terminator, bytes that are not UTF-8.
        let ev = parse_event(b"event: x\rdata: a\r\ndata:b\ndata\r: c\ndata:  d");
        assert_eq!(ev.event.as_deref(), Some("x"));
        assert_eq!(ev.data.as_deref(), Some("a\nb\n\n d"));
        let ev = parse_event(b"data: \xff\xfe\n\n");
        assert_eq!(ev.data.as_deref(), Some("\u{FFFD}\u{FFFD}"));
        assert_eq!(parse_event(b"\n\r\n"), SseEvent::default());
    }

    #[test]
    fn bounded() {
        let mut f = SseFramer::default();
        assert!(f.push(&[b'x'; 100], 50).is_err());
    }
}
