//! The decoding a client does before it uses a string that is JSON (tool-call arguments, an
//! answer in JSON mode, any field whose text is a JSON document): JSON escapes that stand for
//! ordinary characters (`\u0041`, `\/`, a surrogate pair) are read as those characters, so a
//! secret spelled with escapes is the secret once the client parses it.
//!
//! [`unescape`] rewrites such escapes to their characters and keeps every other escape as it
//! came (`\"`, `\\`, `\n`, and `\u` escapes of a quote, a backslash or a control character), so
//! the normalised text is the same JSON document as the original, only spelled without the
//! optional escapes: it can be scanned, redacted and sent in place of the original. Outside a
//! string literal these sequences are not valid JSON, so rewriting them there changes nothing a
//! parser accepts.
//!
//! Streams arrive in pieces and an escape may be cut anywhere: [`unescape`] stops before an
//! incomplete escape at the end of its input and says how far it read, so the caller carries the
//! rest into the next piece.

/// Whether a text is read by its client as JSON: its first non-blank character opens an object
/// or an array. `None` while only blanks have been seen.
pub fn looks_like_json(text: &str) -> Option<bool> {
    text.trim_start()
        .chars()
        .next()
        .map(|c| c == '{' || c == '[')
}

fn hex4(s: &str) -> Option<u32> {
    let h = s.get(..4)?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

/// Appends `input` to `out` with optional escapes decoded; returns how many bytes of `input`
/// were consumed (all of it unless it ends inside an escape, or `at_end` is set).
pub fn unescape(input: &str, out: &mut String, at_end: bool) -> usize {
    let mut i = 0;
    while let Some(off) = input.get(i..).and_then(|r| r.find('\\')) {
        let pos = i + off;
        out.push_str(input.get(i..pos).unwrap_or(""));
        let rest = input.get(pos + 1..).unwrap_or("");
        let Some(next) = rest.chars().next() else {
            if at_end {
                out.push('\\');
                return input.len();
            }
            return pos;
        };
        match next {
            '/' => {
                out.push('/');
                i = pos + 2;
            }
            'u' => {
                let digits = rest.get(1..).unwrap_or("");
                let Some(code) = hex4(digits) else {
                    let incomplete = digits.len() < 4
                        && digits.bytes().all(|b| b.is_ascii_hexdigit())
                        && !at_end;
                    if incomplete {
                        return pos;
                    }
                    out.push_str("\\u");
                    i = pos + 2;
                    continue;
                };
                let after = pos + 6;
                if (0xD800..0xDC00).contains(&code) {
                    let tail = input.get(after..).unwrap_or("");
                    let low = tail
                        .strip_prefix("\\u")
                        .and_then(hex4)
                        .filter(|l| (0xDC00..0xE000).contains(l));
                    if let Some(lo) = low {
                        let c = 0x10000 + ((code - 0xD800) << 10) + (lo - 0xDC00);
                        if let Some(ch) = char::from_u32(c) {
                            out.push(ch);
                            i = after + 6;
                            continue;
                        }
                    }
                    let could_follow = tail.len() < 6
                        && tail.bytes().enumerate().all(|(j, b)| match j {
                            0 => b == b'\\',
                            1 => b == b'u',
                            _ => b.is_ascii_hexdigit(),
                        });
                    if could_follow && !at_end {
                        return pos;
                    }
                    out.push_str(input.get(pos..after).unwrap_or(""));
                    i = after;
                    continue;
                }
                match char::from_u32(code) {
                    Some(c) if c != '"' && c != '\\' && c >= ' ' => out.push(c),
                    _ => out.push_str(input.get(pos..after).unwrap_or("")),
                }
                i = after;
            }
            other => {
                let end = pos + 1 + other.len_utf8();
                out.push_str(input.get(pos..end).unwrap_or(""));
                i = end;
            }
        }
    }
    out.push_str(input.get(i..).unwrap_or(""));
    input.len()
}

/// The decoded view of a whole string a client reads as JSON, when it differs from the string.
pub fn decoded(text: &str) -> Option<String> {
    if looks_like_json(text) != Some(true) || !text.contains('\\') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    unescape(text, &mut out, true);
    (out != text).then_some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn rows() {
        let rows: &[(&str, &str)] = &[
            (r#"{"a":"\u0041KIA"}"#, r#"{"a":"AKIA"}"#),
            (r#"{"u":"postgres:\/\/x"}"#, r#"{"u":"postgres://x"}"#),
            (
                r#"{"q":"\"\\\n\u0022\u005c\u0001"}"#,
                r#"{"q":"\"\\\n\u0022\u005c\u0001"}"#,
            ),
            (r#"{"e":"\ud83d\ude00"}"#, "{\"e\":\"\u{1F600}\"}"),
            (r#"{"lone":"\ud83dx"}"#, r#"{"lone":"\ud83dx"}"#),
            (r#"{"b":"\\u0041"}"#, r#"{"b":"\\u0041"}"#),
            (r#"{"bad":"\uZZ"}"#, r#"{"bad":"\uZZ"}"#),
        ];
        for (input, want) in rows {
            let mut out = String::new();
            assert_eq!(unescape(input, &mut out, true), input.len());
            assert_eq!(&out, want, "{input}");
            // Every split, carried as a stream does.
            for cut in 0..=input.len() {
                if !input.is_char_boundary(cut) {
                    continue;
                }
                let mut out = String::new();
                let mut carry = String::new();
                for piece in [&input[..cut], &input[cut..]] {
                    carry.push_str(piece);
                    let used = unescape(&carry, &mut out, false);
                    carry.drain(..used);
                }
                unescape(&carry, &mut out, true);
                assert_eq!(&out, want, "{input} cut {cut}");
            }
        }
    }
}
