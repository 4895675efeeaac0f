//! The fast path of a streamed event: most events of an answer carry one text delta in the same
//! envelope (`data: {"id":..,"choices":[{"index":0,"delta":{"content":"..."},..}]}`), and most
//! deltas cannot start or continue a secret. Such an event goes to the client as the bytes that
//! arrived, without building a JSON value.
//!
//! How an event is recognised: after the full path has handled an event whose only effect was to
//! push one text through its lane (the dialect says which events qualify), the dialect learns the
//! event's byte shape ([`EventShape::learn`]): its bytes with the text string cut out (and, where
//! the dialect keeps no state from them, identifier strings such as Ollama's `created_at`). A
//! later event matches when its bytes are that shape with a well-formed JSON string in each cut
//! ([`EventShape::text_of`]): it is then the same JSON document but for those strings, so the
//! full path would do to it exactly what it did to the one learned from, with the new text.
//! The dialect then asks the text's lane whether the text passes ([`super::Ctx::pass_text`]: the
//! secret detector's own prefilter); if anything could start or continue a match, or the event
//! does not match, the full path runs. The shape is learned from the last event the full path
//! handled and dropped by any other, so state the full path keeps from an event's envelope (a
//! template for synthetic chunks) is never older than the fast path assumes.
//!
//! A dialect may also learn the shape from a form of that event (OpenAI chat: its opener with the
//! delta of a text event, `openai_chat::with_text_delta`) and read the event that ends a text in
//! that envelope as bytes (the chat chunk with a finish reason, Ollama's `done` line): each such
//! form is one whose full path the dialect states, and `exchange_streams` checks both against
//! the full path at every cut.

use std::borrow::Cow;
use std::ops::Range;

use super::events::Passed;
use super::ID_KEYS;
use crate::framing::bytes::{line_end, same, string_stop};

/// One piece of a shape.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Bytes that must be there as they are.
    Literal(Range<usize>),
    /// The contents of an identifier string (no escape, no control character); the range is
    /// where the learned event's lie in the shape's bytes.
    Identifier(Range<usize>),
    /// A counter: a non-negative integer (one or more ASCII digits).
    Counter,
    /// The contents of the text string (any well-formed JSON string contents).
    Text,
}

/// The bytes of a text-only event with its variable strings cut out.
#[derive(Debug, Clone, Default)]
pub struct EventShape {
    bytes: Vec<u8>,
    segments: Vec<Segment>,
}

/// End of the string whose contents start at `i` (the index of its closing quote).
pub fn string_end(bytes: &[u8], i: usize) -> Option<usize> {
    string_span(bytes, i).map(|(end, _, _)| end)
}

/// [`string_end`], whether the contents hold an escape, and whether they are all ASCII.
fn string_span(bytes: &[u8], mut i: usize) -> Option<(usize, bool, bool)> {
    let mut escaped = false;
    let mut ascii = true;
    loop {
        let (stop, plain) = string_stop(bytes.get(i..)?);
        ascii &= plain;
        i += stop?;
        match bytes.get(i)? {
            b'"' => return Some((i, escaped, ascii)),
            b'\\' => {
                escaped = true;
                ascii &= bytes.get(i + 1).is_some_and(u8::is_ascii);
                i += 2;
            }
            _ => return None,
        }
    }
}

fn next_significant(bytes: &[u8], from: usize) -> Option<u8> {
    bytes
        .get(from..)?
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

/// The JSON document of an SSE event that is one `data: ` line, after at most one `event: `
/// line (part of the shape's literal bytes: a later event matches only with the same name).
pub fn sse_data_body(raw: &[u8]) -> Option<Range<usize>> {
    let start = match raw.strip_prefix(b"event: ") {
        Some(rest) => 7 + rest.iter().position(|b| *b == b'\n')? + 1,
        None => 0,
    };
    let body = raw
        .get(start..)?
        .strip_prefix(b"data: ")?
        .strip_suffix(b"\n\n")?;
    one_line_object(body).then_some(start + 6..start + 6 + body.len())
}

/// The JSON document of an NDJSON line ending in LF.
pub fn ndjson_body(raw: &[u8]) -> Option<Range<usize>> {
    let body = raw.strip_suffix(b"\n")?;
    one_line_object(body).then_some(0..body.len())
}

#[inline(never)]
fn one_line_object(body: &[u8]) -> bool {
    body.first() == Some(&b'{') && line_end(body).is_none()
}

impl EventShape {
    /// Learns the shape of `raw`, whose JSON document is `raw[body]`: the value strings of keys
    /// in `text_keys` are the text (exactly one must be non-empty); the values of keys in `cut`
    /// are cut out (strings of [`ID_KEYS`] as identifiers, integers as counters): the caller
    /// names only keys the full path keeps no state from and passes through as they came. Any
    /// other non-empty string makes the event unfit (None), as does an `ID_KEYS` value the
    /// caller did not cut that is not a plain string. The caller has checked what the event
    /// means; this only finds where its strings are.
    pub fn learn(raw: &[u8], body: Range<usize>, text_keys: &[&str], cut: &[&str]) -> Option<Self> {
        let mut segments = Vec::new();
        let mut lit_start = 0;
        let mut texts = 0;
        let mut last_key: &[u8] = &[];
        let mut prev = 0u8;
        let mut i = body.start;
        while i < body.end {
            let b = *raw.get(i)?;
            let is_cut = |key: &[u8]| cut.iter().any(|k| k.as_bytes() == key);
            if b.is_ascii_digit() && prev == b':' && is_cut(last_key) {
                // A counter: digits up to the next delimiter, nothing else.
                let len = raw
                    .get(i..body.end)?
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if !matches!(raw.get(i + len), Some(b',' | b'}' | b']')) {
                    return None;
                }
                segments.push(Segment::Literal(lit_start..i));
                segments.push(Segment::Counter);
                lit_start = i + len;
                i += len;
                prev = b'0';
                continue;
            }
            if b != b'"' {
                if !b.is_ascii_whitespace() {
                    prev = b;
                }
                i += 1;
                continue;
            }
            let start = i + 1;
            let end = string_end(raw, start)?;
            if end >= body.end {
                return None;
            }
            let contents = raw.get(start..end)?;
            i = end + 1;
            if next_significant(raw, i) == Some(b':') {
                last_key = contents;
                prev = b'"';
                continue;
            }
            let of_key =
                |keys: &[&str]| prev == b':' && keys.iter().any(|k| k.as_bytes() == last_key);
            let cut = if of_key(text_keys) && !contents.is_empty() {
                texts += 1;
                Some(Segment::Text)
            } else if of_key(ID_KEYS) && of_key(cut) && !contents.contains(&b'\\') {
                Some(Segment::Identifier(start..end))
            } else if contents.is_empty() || of_key(ID_KEYS) {
                None
            } else {
                return None;
            };
            if let Some(seg) = cut {
                segments.push(Segment::Literal(lit_start..start));
                segments.push(seg);
                lit_start = end;
            }
            prev = b'"';
        }
        if texts != 1 || std::str::from_utf8(raw).is_err() {
            return None;
        }
        segments.push(Segment::Literal(lit_start..raw.len()));
        Some(Self {
            bytes: raw.to_vec(),
            segments,
        })
    }

    /// The bytes before and after the text when they are all the shape holds besides it (no
    /// identifier or counter cut): what a dialect derives the forms of its other events from.
    pub fn around_text(&self) -> Option<(&[u8], &[u8])> {
        let [Segment::Literal(a), Segment::Text, Segment::Literal(b)] = self.segments.as_slice()
        else {
            return None;
        };
        Some((self.bytes.get(a.clone())?, self.bytes.get(b.clone())?))
    }

    /// The text of `raw` when it has this shape: where its text string's contents lie, and
    /// their decoded form.
    pub fn text_of<'r>(&self, raw: &'r [u8]) -> Option<(Range<usize>, Cow<'r, str>)> {
        let mut pos = 0;
        let mut text = None;
        for seg in &self.segments {
            match seg {
                Segment::Literal(r) => {
                    let want = self.bytes.get(r.clone())?;
                    if !same(raw.get(pos..pos + want.len())?, want) {
                        return None;
                    }
                    pos += want.len();
                }
                Segment::Identifier(learned) => {
                    // Most events repeat the learned event's identifier (the model, the role):
                    // those bytes up to a quote are that string, known well-formed.
                    let want = self.bytes.get(learned.clone())?;
                    let end = pos + want.len();
                    if raw.get(end) == Some(&b'"') && same(raw.get(pos..end)?, want) {
                        pos = end;
                        continue;
                    }
                    let (end, escaped, ascii) = string_span(raw, pos)?;
                    if escaped {
                        return None;
                    }
                    if !ascii {
                        std::str::from_utf8(raw.get(pos..end)?).ok()?;
                    }
                    pos = end;
                }
                Segment::Counter => {
                    let tail = raw.get(pos..)?;
                    let len = tail.iter().take_while(|c| c.is_ascii_digit()).count();
                    // One or more digits, no leading zero: what the full path's parser reads.
                    if len == 0 || (len > 1 && tail.first() == Some(&b'0')) {
                        return None;
                    }
                    pos += len;
                }
                Segment::Text => {
                    let (end, escaped, _) = string_span(raw, pos)?;
                    text = Some((pos..end, escaped));
                    pos = end;
                }
            }
        }
        if pos != raw.len() {
            return None;
        }
        let (r, escaped) = text?;
        let contents = raw.get(r.clone())?;
        let text = if escaped {
            // With its quotes, the string as the full path's parser reads it.
            let literal = raw.get(r.start.checked_sub(1)?..r.end + 1)?;
            Cow::Owned(serde_json::from_slice::<String>(literal).ok()?)
        } else {
            Cow::Borrowed(std::str::from_utf8(contents).ok()?)
        };
        Some((r, text))
    }
}

/// The end of every dialect's fast path: the event's text through its lane
/// ([`super::Ctx::pass_text`]). The event goes as it came when the lane released exactly its
/// text, with what the lane released in its re-written form otherwise (built only if the window
/// diverges: [`rewrite`]), and to the full path when the text could start or continue a match.
pub fn through_lane(
    ctx: &mut super::Ctx<'_>,
    lane: &mut super::Lane,
    diverged: &mut bool,
    at: Range<usize>,
    text: &str,
) -> Passed {
    match ctx.pass_text(lane, text, diverged) {
        None => Passed::No,
        Some(released) if released == text => Passed::AsCame {
            holds: lane.holding(),
        },
        Some(released) => Passed::Rewritten {
            at,
            text: released.into_owned(),
        },
    }
}

/// Appends `raw` with the contents of the string at `at` (from [`EventShape::text_of`])
/// replaced by `text`, escaped: the re-written form of an event whose lane released other text
/// than it carried.
pub fn rewrite(out: &mut Vec<u8>, raw: &[u8], at: Range<usize>, text: &str) {
    out.extend_from_slice(raw.get(..at.start).unwrap_or_default());
    let quote = out.len();
    // serde_json's escaping, quotes and all; the quotes are dropped.
    if serde_json::to_writer(&mut *out, text).is_ok() && out.len() >= quote + 2 {
        out.remove(quote);
        out.pop();
    } else {
        out.truncate(quote);
    }
    out.extend_from_slice(raw.get(at.end..).unwrap_or_default());
}

/// The length of `text` escaped as [`rewrite`] writes it.
pub fn escaped_len(text: &str) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut n = Count(0);
    match serde_json::to_writer(&mut n, text) {
        Ok(()) => n.0.saturating_sub(2),
        Err(_) => text.len(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sse(body: &str) -> Vec<u8> {
        format!("data: {body}\n\n").into_bytes()
    }

    fn learn_sse(body: &str, ids: bool) -> Option<EventShape> {
        let raw = sse(body);
        EventShape::learn(
            &raw,
            6..raw.len() - 2,
            &["content"],
            if ids { ID_KEYS } else { &[] },
        )
    }

    const CHUNK: &str = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"The "},"finish_reason":null}]}"#;

    /// (name, event, text the shape learned from `CHUNK` reads in it, None: no match)
    const MATCHES: &[(&str, &str, Option<&str>)] = &[
        ("same envelope", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"comm"},"finish_reason":null}]}"#, Some("comm")),
        ("escapes decoded", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a\n\"\u0041\ud83d\ude00"},"finish_reason":null}]}"#, Some("a\n\"A\u{1F600}")),
        ("escaped backslash before the quote", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a\\"},"finish_reason":null}]}"#, Some("a\\")),
        ("another field smuggled through the text", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a","refusal":"b"},"finish_reason":null}]}"#, None),
        ("finish reason set", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}"#, None),
        ("another id", r#"{"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}"#, None),
        ("lone surrogate", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"\ud83d"},"finish_reason":null}]}"#, None),
        ("bad escape", r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"\q"},"finish_reason":null}]}"#, None),
        ("control character", "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\tb\"},\"finish_reason\":null}]}", None),
    ];

    #[test]
    fn a_shape_matches_only_its_envelope() {
        let shape = learn_sse(CHUNK, false).unwrap();
        for (name, body, want) in MATCHES {
            let raw = sse(body);
            let got = shape.text_of(&raw);
            assert_eq!(got.as_ref().map(|(_, t)| t.as_ref()), *want, "{name}");
            if let Some((at, t)) = got {
                // Re-written with its own text, the event reads the same.
                let mut again = Vec::new();
                rewrite(&mut again, &raw, at.clone(), &t);
                assert_eq!(
                    escaped_len(&t),
                    again.len() + at.len() - raw.len(),
                    "{name}"
                );
                let read = shape.text_of(&again).map(|(_, t2)| t2.into_owned());
                assert_eq!(read.as_deref(), Some(t.as_ref()), "{name}");
            }
        }
        assert!(shape.text_of(b"data: {}\n\n").is_none());
        assert!(shape
            .text_of(&format!("data:{CHUNK}\n\n").into_bytes())
            .is_none());
    }

    #[test]
    fn identifiers_are_cut_only_when_asked() {
        let line = |at: &str, text: &str| {
            format!(r#"{{"model":"m","created_at":"{at}","message":{{"role":"assistant","content":"{text}"}},"done":false}}"#)
                .into_bytes()
        };
        let raw = line("2024-01-01T00:00:00Z", "Hi");
        let keys = ["content", "response"];
        let shape = EventShape::learn(&raw, 0..raw.len(), &keys, ID_KEYS).unwrap();
        let later = line("2024-01-01T00:00:01Z", "yo");
        let got = shape.text_of(&later);
        assert_eq!(got.map(|(_, t)| t.into_owned()).as_deref(), Some("yo"));
        assert!(shape.text_of(&line("2024\\u0030", "yo")).is_none());
        // The learned identifier, one it starts or that starts it, other strings: read as the
        // full path's parser reads them (an escape or a control character: the full path).
        for (at, fits) in [
            ("2024-01-01T00:00:00Z", true),
            ("2024-01-01T00:00:00Z1", true),
            ("2024-01-01T00:00:00", true),
            ("", true),
            ("2024-01-01T00:00:00Zé", true),
            (r"2024-01-01T00:00:00\u005a", false),
            (r"2024-01-01T00:00:00Z\\", false),
            ("2024-01-01T00:00:00Z\t", false),
        ] {
            let got = shape.text_of(&line(at, "yo")).map(|(_, t)| t.into_owned());
            assert_eq!(got.as_deref(), fits.then_some("yo"), "{at}");
        }
        let fixed = EventShape::learn(&raw, 0..raw.len(), &keys, &[]).unwrap();
        assert!(fixed.text_of(&line("2024-01-01T00:00:01Z", "yo")).is_none());
    }

    #[test]
    fn counters_and_event_names() {
        let ev = |seq: &str, pad: &str, text: &str| {
            format!("event: response.output_text.delta\ndata: {{\"type\":\"response.output_text.delta\",\"sequence_number\":{seq},\"item_id\":\"m\",\"output_index\":0,\"content_index\":0,\"delta\":\"{text}\",\"obfuscation\":\"{pad}\"}}\n\n")
                .into_bytes()
        };
        let raw = ev("7", "ab", "Hi");
        let body = sse_data_body(&raw).unwrap();
        let cuts = ["sequence_number", "obfuscation"];
        let shape = EventShape::learn(&raw, body.clone(), &["delta"], &cuts).unwrap();
        let read = |raw: Vec<u8>| shape.text_of(&raw).map(|(_, t)| t.into_owned());
        assert_eq!(read(ev("12", "xyz", "yo")).as_deref(), Some("yo"));
        assert_eq!(read(ev("0", "", "yo")).as_deref(), Some("yo"));
        // Not a counter the full path's parser reads as this one: the full path.
        for seq in ["", "-1", "1.5", "1e3", "01", "\"1\""] {
            assert!(read(ev(seq, "ab", "yo")).is_none(), "{seq}");
        }
        assert!(read(ev("8", "a\\u0041", "yo")).is_none());
        // Another event name, or none: the full path.
        let other = String::from_utf8(ev("8", "ab", "yo")).unwrap();
        assert!(read(other.replacen("output_text", "refusal", 1).into_bytes()).is_none());
        assert!(read(
            other
                .replacen("event: response.output_text.delta\n", "", 1)
                .into_bytes()
        )
        .is_none());
        // Uncut, the counter and the padding are literal.
        let fixed = EventShape::learn(&raw, body, &["delta"], &[]).unwrap();
        assert!(fixed.text_of(&ev("8", "ab", "yo")).is_none());
        assert!(fixed.text_of(&ev("7", "ab", "yo")).is_some());
        // A counter that is not an integer makes the event unfit.
        let raw = ev("1.5", "ab", "Hi");
        assert!(EventShape::learn(&raw, sse_data_body(&raw).unwrap(), &["delta"], &cuts).is_none());
    }

    #[test]
    fn unfit_events_have_no_shape() {
        for body in [
            // No text, or an empty one.
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
            // Another string the client reads.
            r#"{"choices":[{"index":0,"delta":{"content":"a","refusal":"b"}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"a"}}],"tags":["x"]}"#,
            // Two texts.
            r#"{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}"#,
        ] {
            assert!(learn_sse(body, false).is_none(), "{body}");
        }
    }

    #[test]
    fn a_document_is_one_line() {
        let doc = r#"{"choices":[{"index":0,"delta":{"content":"a"}}],"model":"m-1"}"#;
        assert_eq!(
            sse_data_body(format!("data: {doc}\n\n").as_bytes()),
            Some(6..6 + doc.len())
        );
        assert_eq!(
            ndjson_body(format!("{doc}\n").as_bytes()),
            Some(0..doc.len())
        );
        // A line end anywhere in the document (a word's first, middle or last byte), or no object.
        for at in [1, 7, 8, 15, 16, 40, doc.len() - 1] {
            for end in ["\n", "\r"] {
                let cut = format!("{}{end}{}", &doc[..at], &doc[at..]);
                assert_eq!(
                    sse_data_body(format!("data: {cut}\n\n").as_bytes()),
                    None,
                    "{cut}"
                );
                assert_eq!(ndjson_body(format!("{cut}\n").as_bytes()), None, "{cut}");
            }
        }
        assert_eq!(ndjson_body(b"[1]\n"), None);
    }
}
