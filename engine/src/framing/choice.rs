//! Which framing a response body is read with: the one its client will parse.
//!
//! A client reads an answer by what it asked for, not by the label on it: an SDK that asked for
//! a stream parses Server-Sent Events whatever the content-type says, `ollama` splits lines, a
//! non-streamed call parses one JSON document. So the framing is chosen from the body's first
//! bytes (a byte-order mark and blank space skipped, as the WHATWG SSE parser skips the mark),
//! the request's `stream` flag and the path, with the content-type as a hint when the bytes say
//! nothing.

/// How a response body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Sse,
    Ndjson,
    /// One JSON document, held whole.
    Json,
    /// Anything else: one text stream.
    Text,
}

/// Bytes looked at before a framing is chosen without them.
pub const SNIFF_LIMIT: usize = 64;

const SSE_FIELDS: [&[u8]; 5] = [b"data:", b"event:", b"id:", b"retry:", b":"];

/// The body with a leading byte-order mark and blank space skipped.
fn head(body: &[u8]) -> &[u8] {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    body.get(start..).unwrap_or_default()
}

/// The framing of a body that starts with `start`, or `None` while more bytes are needed
/// (`complete`: no more will come, or the sniff limit was reached).
/// `lines_expected`: the client reads one JSON value a line (an Ollama-native call that asked
/// for a stream).
pub fn choose(
    content_type: &str,
    lines_expected: bool,
    start: &[u8],
    complete: bool,
) -> Option<Framing> {
    let h = head(start);
    let by_label = || {
        if content_type.starts_with("text/event-stream") {
            Framing::Sse
        } else if content_type.contains("ndjson") {
            Framing::Ndjson
        } else if content_type.contains("json") {
            Framing::Json
        } else {
            Framing::Text
        }
    };
    let Some(first) = h.first() else {
        return complete.then(by_label);
    };
    if *first == b'{' || *first == b'[' {
        // JSON text: one document, or one a line for a client that reads lines. A document
        // that turns out to be several is read as lines then (see the exchange).
        return Some(if lines_expected || content_type.contains("ndjson") {
            Framing::Ndjson
        } else {
            Framing::Json
        });
    }
    if SSE_FIELDS.iter().any(|f| h.starts_with(f)) {
        return Some(Framing::Sse);
    }
    let could_be_field = SSE_FIELDS.iter().any(|f| f.starts_with(h));
    if could_be_field && !complete {
        return None;
    }
    Some(by_label())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, content-type, lines expected, first bytes, complete, framing)
    type Row = (
        &'static str,
        &'static str,
        bool,
        &'static [u8],
        bool,
        Option<Framing>,
    );

    #[test]
    fn rows() {
        let rows: &[Row] = &[
            (
                "sse labelled sse",
                "text/event-stream",
                true,
                b"data: {}",
                false,
                Some(Framing::Sse),
            ),
            (
                "sse labelled text",
                "text/plain",
                true,
                b"data: {}",
                false,
                Some(Framing::Sse),
            ),
            (
                "sse labelled json",
                "application/json",
                false,
                b"event: x\n",
                false,
                Some(Framing::Sse),
            ),
            (
                "sse after a bom",
                "text/plain",
                false,
                b"\xEF\xBB\xBFdata: {}",
                false,
                Some(Framing::Sse),
            ),
            (
                "sse comment first",
                "application/json",
                false,
                b": ping\n",
                false,
                Some(Framing::Sse),
            ),
            ("field cut short", "text/plain", false, b"da", false, None),
            (
                "field cut short at the end",
                "text/plain",
                false,
                b"da",
                true,
                Some(Framing::Text),
            ),
            (
                "ndjson labelled json",
                "application/json",
                true,
                b"{\"a\":1}\n",
                false,
                Some(Framing::Ndjson),
            ),
            (
                "json labelled text",
                "text/plain",
                false,
                b"{\"a\":1}",
                false,
                Some(Framing::Json),
            ),
            (
                "json, stream unknown",
                "text/plain",
                false,
                b"  {",
                false,
                Some(Framing::Json),
            ),
            (
                "ndjson label",
                "application/x-ndjson",
                false,
                b"{",
                false,
                Some(Framing::Ndjson),
            ),
            ("nothing yet", "text/event-stream", false, b"", false, None),
            (
                "empty body",
                "text/event-stream",
                false,
                b"",
                true,
                Some(Framing::Sse),
            ),
            (
                "plain text",
                "text/plain",
                false,
                b"hello",
                false,
                Some(Framing::Text),
            ),
            (
                "plain text labelled sse",
                "text/event-stream",
                false,
                b"hello",
                false,
                Some(Framing::Sse),
            ),
        ];
        for (name, ct, lines, start, complete, want) in rows {
            assert_eq!(choose(ct, *lines, start, *complete), *want, "{name}");
        }
    }
}
