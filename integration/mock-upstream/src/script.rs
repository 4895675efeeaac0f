//! What a test asks of the mock, read from `x-mock-*` request headers, so that the official SDKs
//! can drive it through their extra/default headers.

use base64::Engine as _;
use serde_json::Value;

use crate::http::Request;

/// The assistant text answered when no `x-mock-reply-b64` is given.
pub const DEFAULT_REPLY: &str = "The quick brown fox jumps over the lazy dog.";

#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub name: String,
    /// Always a JSON object (Anthropic `input` and Ollama `arguments` must be objects).
    pub arguments: Value,
}

impl ToolCall {
    /// The arguments as the compact JSON text that OpenAI shapes carry.
    pub fn arguments_text(&self) -> String {
        self.arguments.to_string()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub reply: String,
    pub tools: Vec<ToolCall>,
    /// Characters of text (or of tool-argument JSON) per stream event; at least 1.
    pub piece_chars: usize,
    /// Split the serialized stream into network writes of this many bytes.
    pub chunk_bytes: Option<usize>,
    /// Whole stream events per network write (one HTTP chunk); at least 1. A number at least
    /// the event count sends the whole stream in one write.
    pub events_per_write: usize,
    pub delay_ms: u64,
    pub status: Option<u16>,
    pub never_end: bool,
    pub reset_after: Option<usize>,
    pub content_encoding: Option<String>,
    /// Fixed clock and ids (`x-mock-deterministic`), for byte-for-byte comparisons.
    pub deterministic: bool,
    /// Trailers sent after a stream's last chunk (`x-mock-trailers: name=value; name2=value2`).
    pub trailers: Vec<(String, String)>,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            reply: DEFAULT_REPLY.to_string(),
            tools: Vec::new(),
            piece_chars: 4,
            chunk_bytes: None,
            events_per_write: 1,
            delay_ms: 0,
            status: None,
            never_end: false,
            reset_after: None,
            content_encoding: None,
            deterministic: false,
            trailers: Vec::new(),
        }
    }
}

fn b64(value: &str, header: &str) -> Result<Vec<u8>, String> {
    let v = value.trim();
    base64::engine::general_purpose::STANDARD
        .decode(v)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(v))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(v))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v))
        .map_err(|e| format!("{header}: not base64 ({e})"))
}

fn number<T: std::str::FromStr>(req: &Request, header: &str) -> Result<Option<T>, String> {
    match req.header(header) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{header}: not a number: {v:?}")),
    }
}

fn truthy(v: &str) -> bool {
    !matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false" | "no" | "off"
    )
}

impl Script {
    /// Reads the script from the request headers; a malformed header is an error message
    /// (answered as a 400), never a panic.
    pub fn from_request(req: &Request) -> Result<Script, String> {
        let mut s = Script::default();
        if let Some(v) = req.header("x-mock-reply-b64") {
            let bytes = b64(v, "x-mock-reply-b64")?;
            s.reply = String::from_utf8(bytes)
                .map_err(|_| "x-mock-reply-b64: not UTF-8 text".to_string())?;
        }
        if let Some(v) = req.header("x-mock-tools-b64") {
            let bytes = b64(v, "x-mock-tools-b64")?;
            s.tools = parse_tools(&bytes)?;
        }
        if let Some(n) = number::<usize>(req, "x-mock-piece-chars")? {
            s.piece_chars = n.max(1);
        }
        s.chunk_bytes = number::<usize>(req, "x-mock-chunk-bytes")?.filter(|n| *n > 0);
        if let Some(n) = number::<usize>(req, "x-mock-events-per-write")? {
            s.events_per_write = n.max(1);
        }
        s.delay_ms = number::<u64>(req, "x-mock-delay-ms")?
            .unwrap_or(0)
            .min(60_000);
        s.status = number::<u16>(req, "x-mock-status")?;
        if let Some(st) = s.status {
            if !(200..=599).contains(&st) {
                return Err(format!("x-mock-status: {st} is not a final HTTP status"));
            }
        }
        s.never_end = req.header("x-mock-never-end").is_some_and(truthy);
        s.deterministic = req.header("x-mock-deterministic").is_some_and(truthy);
        if let Some(v) = req.header("x-mock-trailers") {
            s.trailers = parse_trailers(v)?;
        }
        s.reset_after = number::<usize>(req, "x-mock-reset-after")?;
        s.content_encoding = req
            .header("x-mock-content-encoding")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        Ok(s)
    }

    /// The reply text cut into pieces of `piece_chars` characters (never splitting a char).
    pub fn reply_pieces(&self) -> Vec<String> {
        split_chars(&self.reply, self.piece_chars)
    }
}

fn parse_trailers(v: &str) -> Result<Vec<(String, String)>, String> {
    v.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, val) = p
                .split_once('=')
                .ok_or_else(|| format!("x-mock-trailers: expected name=value, got {p:?}"))?;
            let k = k.trim();
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(format!("x-mock-trailers: bad name {k:?}"));
            }
            Ok((k.to_string(), val.trim().to_string()))
        })
        .collect()
}

fn parse_tools(bytes: &[u8]) -> Result<Vec<ToolCall>, String> {
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("x-mock-tools-b64: not JSON ({e})"))?;
    let Value::Array(items) = v else {
        return Err("x-mock-tools-b64: expected a JSON list".into());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("x-mock-tools-b64[{i}].name: missing string"))?
                .to_string();
            let arguments = match item.get("arguments") {
                None | Some(Value::Null) => Value::Object(Default::default()),
                Some(a @ Value::Object(_)) => a.clone(),
                // A string holding a JSON object is accepted too (the OpenAI wire form).
                Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                    Ok(a @ Value::Object(_)) => a,
                    _ => {
                        return Err(format!(
                            "x-mock-tools-b64[{i}].arguments: expected a JSON object"
                        ))
                    }
                },
                Some(_) => {
                    return Err(format!(
                        "x-mock-tools-b64[{i}].arguments: expected a JSON object"
                    ))
                }
            };
            Ok(ToolCall { name, arguments })
        })
        .collect()
}

/// Splits `text` into pieces of `n` characters (the last may be shorter); empty text gives none.
pub fn split_chars(text: &str, n: usize) -> Vec<String> {
    let n = n.max(1);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut count = 0;
    for c in text.chars() {
        cur.push(c);
        count += 1;
        if count == n {
            out.push(std::mem::take(&mut cur));
            count = 0;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(headers: &[(&str, &str)]) -> Request {
        Request {
            method: "POST".into(),
            path: "/v1/chat/completions".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
            keep_alive: true,
        }
    }

    #[test]
    fn split_chars_table() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("abcdefghij", 4, &["abcd", "efgh", "ij"]),
            ("abc", 1, &["a", "b", "c"]),
            ("", 4, &[]),
            ("héllo wörld", 3, &["hél", "lo ", "wör", "ld"]),
            ("ab", 0, &["a", "b"]),
        ];
        for (text, n, want) in cases {
            assert_eq!(split_chars(text, *n), *want, "{text:?} / {n}");
        }
    }

    #[test]
    fn headers_table() {
        // "aGVsbG8=" is "hello"; the tools list is [{"name":"f","arguments":{"a":1}}].
        let tools = base64::engine::general_purpose::STANDARD
            .encode(br#"[{"name":"f","arguments":{"a":1}}]"#);
        let s = Script::from_request(&req(&[
            ("X-Mock-Reply-B64", "aGVsbG8="),
            ("x-mock-tools-b64", &tools),
            ("x-mock-piece-chars", "1"),
            ("x-mock-chunk-bytes", "7"),
            ("x-mock-events-per-write", "300"),
            ("x-mock-never-end", "1"),
            ("x-mock-status", "429"),
        ]))
        .unwrap();
        assert_eq!(s.reply, "hello");
        assert_eq!(s.tools.len(), 1);
        assert_eq!(s.tools[0].arguments_text(), r#"{"a":1}"#);
        assert_eq!(s.piece_chars, 1);
        assert_eq!(s.chunk_bytes, Some(7));
        assert_eq!(s.events_per_write, 300);
        assert!(s.never_end);
        assert_eq!(s.status, Some(429));
    }

    #[test]
    fn bad_headers_are_errors() {
        let cases: &[(&str, &str)] = &[
            ("x-mock-reply-b64", "!!!"),
            ("x-mock-tools-b64", "bm90IGpzb24="),
            ("x-mock-tools-b64", "e30="),
            ("x-mock-piece-chars", "many"),
            ("x-mock-events-per-write", "all"),
            ("x-mock-status", "99"),
        ];
        for (k, v) in cases {
            assert!(Script::from_request(&req(&[(k, v)])).is_err(), "{k}: {v}");
        }
    }
}
