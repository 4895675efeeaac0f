//! Recorded traffic for `scan`: request bodies, response bodies and streams, HAR captures.
//!
//! Operators have what a browser, a proxy log or `curl` saved: a JSON request body, an SSE or
//! NDJSON response stream, a HAR file. Each becomes a [`Recording`] (a request, and the upstream
//! answer when there is one) that replay drives through the engine. What a bare file is, and
//! which API it speaks, is inferred from its content unless the user says so; a response without
//! its request gets a neutral synthetic request (no model, no text) so that only the response is
//! judged.

use llm_warden_engine::replay::Message;
use serde_json::Value;

/// What a bare file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Request,
    Response,
    Har,
}

/// How a response body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Sse,
    Ndjson,
    Json,
    Text,
}

impl BodyFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            BodyFormat::Sse => "text/event-stream",
            BodyFormat::Ndjson => "application/x-ndjson",
            BodyFormat::Json => "application/json",
            BodyFormat::Text => "text/plain",
        }
    }
}

/// One exchange to replay.
#[derive(Debug, Clone)]
pub struct Recording {
    /// File name, plus the HAR entry index when there is one.
    pub label: String,
    pub request: Message,
    /// The upstream's answer; None when only a request was recorded.
    pub response: Option<Message>,
    /// True when the request was made up because only a response was recorded.
    pub synthetic_request: bool,
}

/// What the user said about a bare file on the command line.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub kind: Option<FileKind>,
    pub path: Option<String>,
    pub content_type: Option<String>,
}

/// Infers how a body is framed: SSE starts with a field line, NDJSON is several lines of JSON
/// objects (or one with `done`), JSON parses, anything else is text.
pub fn sniff_format(body: &str) -> BodyFormat {
    let t = body.trim_start();
    if ["data:", "event:", "id:", "retry:", ":"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return BodyFormat::Sse;
    }
    let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
    let all_objects = !lines.is_empty()
        && lines
            .iter()
            .all(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| v.is_object()));
    if all_objects && (lines.len() > 1 || t.contains("\"done\"")) {
        return BodyFormat::Ndjson;
    }
    if serde_json::from_str::<Value>(t).is_ok() {
        return BodyFormat::Json;
    }
    BodyFormat::Text
}

/// The path MCP clients post to by default (the MCP SDKs' `streamable_http_path`); the config's
/// `mcp.routes` must mark it for the engine to read the exchange as MCP.
pub const MCP_PATH: &str = "/mcp";

/// The messages of a JSON-RPC document (one message or a batch), if it is one.
fn jsonrpc_messages(doc: &Value) -> Option<Vec<&Value>> {
    let items: Vec<&Value> = match doc {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let all = !items.is_empty() && items.iter().all(|m| m.get("jsonrpc").is_some());
    all.then_some(items)
}

/// Whether a JSON document is a model's answer rather than a request to one.
fn looks_like_response(doc: &Value) -> bool {
    if let Some(messages) = jsonrpc_messages(doc) {
        // Client-to-server messages carry a method; the server answers with results and errors.
        return messages.iter().all(|m| m.get("method").is_none());
    }
    let has = |k: &str| doc.get(k).is_some();
    let object = doc.get("object").and_then(Value::as_str).unwrap_or("");
    let kind = doc.get("type").and_then(Value::as_str).unwrap_or("");
    has("choices")
        || has("done")
        || object.starts_with("chat.completion")
        || object == "response"
        || object == "list"
        || (kind == "message" && doc.get("role").and_then(Value::as_str) == Some("assistant"))
        || (has("models") && !has("messages"))
}

/// Which API path a recorded response came from, judged from its content.
pub fn infer_response_path(body: &str, format: BodyFormat) -> &'static str {
    let anthropic = body.contains("message_start") || body.contains("content_block_");
    let responses = body.contains("\"response.") || body.contains("\"object\":\"response\"");
    if matches!(format, BodyFormat::Sse | BodyFormat::Json) && body.contains("\"jsonrpc\"") {
        return MCP_PATH;
    }
    match format {
        BodyFormat::Sse if anthropic => "/v1/messages",
        BodyFormat::Sse if responses => "/v1/responses",
        BodyFormat::Sse => "/v1/chat/completions",
        BodyFormat::Ndjson if body.contains("\"message\"") => "/api/chat",
        BodyFormat::Ndjson => "/api/generate",
        BodyFormat::Json | BodyFormat::Text => {
            let doc: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let object = doc.get("object").and_then(Value::as_str).unwrap_or("");
            if doc.get("choices").is_some() {
                "/v1/chat/completions"
            } else if object == "response" || doc.get("output").is_some() {
                "/v1/responses"
            } else if doc.get("type").and_then(Value::as_str) == Some("message") {
                "/v1/messages"
            } else if doc.get("message").is_some() {
                "/api/chat"
            } else if doc.get("response").is_some() {
                "/api/generate"
            } else if doc.get("models").is_some() {
                "/api/tags"
            } else if object == "list" {
                "/v1/models"
            } else {
                "/"
            }
        }
    }
}

/// Which API path a recorded request body was sent to, judged from its content.
pub fn infer_request_path(doc: &Value) -> &'static str {
    let has = |k: &str| doc.get(k).is_some();
    if jsonrpc_messages(doc).is_some() {
        MCP_PATH
    } else if has("input") || has("instructions") {
        "/v1/responses"
    } else if has("prompt") {
        "/api/generate"
    } else if has("max_tokens") && has("messages") && !has("stream_options") {
        // Anthropic requires max_tokens; OpenAI chat clients rarely send it with `system` apart.
        if has("system") || !doc.to_string().contains("\"role\":\"system\"") {
            "/v1/messages"
        } else {
            "/v1/chat/completions"
        }
    } else {
        "/v1/chat/completions"
    }
}

/// A JSON POST as a client would send it.
pub fn post(path: &str, method: &str, headers: &[(String, String)], body: Vec<u8>) -> Message {
    let mut all = vec![
        (":method".to_string(), method.to_string()),
        (":path".to_string(), path.to_string()),
    ];
    let has = |n: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
    if !has(":authority") && !has("host") {
        all.push((":authority".into(), "llm.local".into()));
    }
    if !has("content-type") && !body.is_empty() {
        all.push(("content-type".into(), "application/json".into()));
    }
    all.extend(
        headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length"))
            .cloned(),
    );
    if !body.is_empty() {
        all.push(("content-length".into(), body.len().to_string()));
    }
    Message { headers: all, body }
}

/// An upstream answer.
pub fn answer(status: u16, headers: &[(String, String)], body: Vec<u8>) -> Message {
    let mut all = vec![(":status".to_string(), status.to_string())];
    let has_type = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    if !has_type && !body.is_empty() {
        let format = sniff_format(&String::from_utf8_lossy(&body));
        all.push(("content-type".into(), format.content_type().into()));
    }
    all.extend(headers.iter().cloned());
    Message { headers: all, body }
}

/// The neutral request a lone response is replayed behind: the right path, no model and no text,
/// so no request-side rule can fire.
fn synthetic_request(path: &str, format: BodyFormat) -> Message {
    let stream = matches!(format, BodyFormat::Sse | BodyFormat::Ndjson);
    let body = format!("{{\"stream\":{stream}}}").into_bytes();
    post(path, "POST", &[], body)
}

/// Reads one file into the recordings it holds.
pub fn read(label: &str, text: &str, hints: &Hints) -> Result<Vec<Recording>, String> {
    let json: Option<Value> = serde_json::from_str(text).ok();
    let kind = hints.kind.unwrap_or_else(|| match &json {
        Some(doc) if doc.get("log").and_then(|l| l.get("entries")).is_some() => FileKind::Har,
        Some(doc) if !looks_like_response(doc) => FileKind::Request,
        _ => FileKind::Response,
    });
    match kind {
        FileKind::Har => {
            let doc = json.ok_or_else(|| format!("{label}: not a JSON HAR file"))?;
            har(label, &doc)
        }
        FileKind::Request => {
            let path = hints.path.clone().unwrap_or_else(|| {
                json.as_ref()
                    .map(infer_request_path)
                    .unwrap_or("/v1/chat/completions")
                    .to_string()
            });
            Ok(vec![Recording {
                label: label.to_string(),
                request: post(&path, "POST", &[], text.as_bytes().to_vec()),
                response: None,
                synthetic_request: false,
            }])
        }
        FileKind::Response => {
            let format = match hints.content_type.as_deref() {
                Some(ct) if ct.contains("event-stream") => BodyFormat::Sse,
                Some(ct) if ct.contains("ndjson") => BodyFormat::Ndjson,
                Some(ct) if ct.contains("json") => BodyFormat::Json,
                Some(_) => BodyFormat::Text,
                None => sniff_format(text),
            };
            let path = hints
                .path
                .clone()
                .unwrap_or_else(|| infer_response_path(text, format).to_string());
            let content_type = hints
                .content_type
                .clone()
                .unwrap_or_else(|| format.content_type().to_string());
            Ok(vec![Recording {
                label: label.to_string(),
                request: synthetic_request(&path, format),
                response: Some(answer(
                    200,
                    &[("content-type".into(), content_type)],
                    text.as_bytes().to_vec(),
                )),
                synthetic_request: true,
            }])
        }
    }
}

/// Headers a HAR records that describe the wire, not the content it saved (HAR bodies are
/// decoded), or that replay sets itself.
const WIRE_HEADERS: &[&str] = &[
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

fn har_headers(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|h| {
                    let name = h.get("name")?.as_str()?.to_ascii_lowercase();
                    let value = h.get("value")?.as_str()?.to_string();
                    (!name.starts_with(':') && !WIRE_HEADERS.contains(&name.as_str()))
                        .then_some((name, value))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Splits a URL into authority and path (with query).
fn split_url(url: &str) -> (String, String) {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find('/') {
        Some(i) => (
            rest.get(..i).unwrap_or("").to_string(),
            rest.get(i..).unwrap_or("/").to_string(),
        ),
        None => (rest.to_string(), "/".to_string()),
    }
}

fn har(label: &str, doc: &Value) -> Result<Vec<Recording>, String> {
    let entries = doc
        .get("log")
        .and_then(|l| l.get("entries"))
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{label}: HAR file without log.entries"))?;
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let req = e.get("request");
        let method = req
            .and_then(|r| r.get("method"))
            .and_then(Value::as_str)
            .unwrap_or("GET");
        let url = req
            .and_then(|r| r.get("url"))
            .and_then(Value::as_str)
            .unwrap_or("/");
        let (authority, path) = split_url(url);
        let mut headers = har_headers(req.and_then(|r| r.get("headers")));
        headers.retain(|(k, _)| k != "host");
        headers.insert(0, (":authority".into(), authority));
        let body = req
            .and_then(|r| r.get("postData"))
            .and_then(|p| p.get("text"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .as_bytes()
            .to_vec();
        let request = post(&path, method, &headers, body);
        let resp = e.get("response");
        let status = resp
            .and_then(|r| r.get("status"))
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| *s > 0);
        let response = match status {
            Some(status) => {
                let content = resp.and_then(|r| r.get("content"));
                let text = content
                    .and_then(|c| c.get("text"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let base64 = content
                    .and_then(|c| c.get("encoding"))
                    .and_then(Value::as_str)
                    == Some("base64");
                let body = if base64 {
                    decode_base64(text).ok_or_else(|| {
                        format!("{label}: entries[{i}].response.content.text is not valid base64")
                    })?
                } else {
                    text.as_bytes().to_vec()
                };
                Some(answer(
                    status,
                    &har_headers(resp.and_then(|r| r.get("headers"))),
                    body,
                ))
            }
            None => None,
        };
        out.push(Recording {
            label: format!("{label}#entries[{i}]"),
            request,
            response,
            synthetic_request: false,
        });
    }
    Ok(out)
}

/// Standard base64 (HAR `content.encoding: base64`), padding optional.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_and_paths() {
        let rows: &[(&str, BodyFormat, &str)] = &[
            (
                "data: {\"choices\":[]}\n\n",
                BodyFormat::Sse,
                "/v1/chat/completions",
            ),
            (
                "event: message_start\ndata: {}\n\n",
                BodyFormat::Sse,
                "/v1/messages",
            ),
            (
                "event: response.created\ndata: {\"type\":\"response.created\"}\n\n",
                BodyFormat::Sse,
                "/v1/responses",
            ),
            (
                "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"done\":true}\n",
                BodyFormat::Ndjson,
                "/api/chat",
            ),
            (
                "{\"response\":\"a\",\"done\":true}\n",
                BodyFormat::Ndjson,
                "/api/generate",
            ),
            (
                "{\"choices\":[{\"message\":{}}]}",
                BodyFormat::Json,
                "/v1/chat/completions",
            ),
            (
                "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}",
                BodyFormat::Json,
                "/v1/messages",
            ),
            ("hello", BodyFormat::Text, "/"),
            (
                "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n",
                BodyFormat::Sse,
                MCP_PATH,
            ),
            (
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}",
                BodyFormat::Json,
                MCP_PATH,
            ),
        ];
        for (body, format, path) in rows {
            assert_eq!(sniff_format(body), *format, "{body}");
            assert_eq!(infer_response_path(body, *format), *path, "{body}");
        }
    }

    #[test]
    fn infers_request_paths() {
        let rows: &[(&str, &str)] = &[
            (
                r#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
                "/v1/chat/completions",
            ),
            (
                r#"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#,
                "/v1/messages",
            ),
            (r#"{"model":"m","input":"hi"}"#, "/v1/responses"),
            (r#"{"model":"m","prompt":"hi"}"#, "/api/generate"),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
                MCP_PATH,
            ),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]"#,
                MCP_PATH,
            ),
        ];
        for (body, path) in rows {
            let doc: Value = serde_json::from_str(body).unwrap();
            assert_eq!(infer_request_path(&doc), *path, "{body}");
        }
    }

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8").unwrap(), b"hello");
        assert!(decode_base64("a$").is_none());
    }

    #[test]
    fn har_entries_become_recordings() {
        let har = r#"{"log":{"entries":[{"request":{"method":"POST","url":"http://h:1/v1/chat/completions","headers":[{"name":"Host","value":"h:1"},{"name":"Content-Length","value":"3"}],"postData":{"mimeType":"application/json","text":"{}"}},"response":{"status":200,"headers":[{"name":"Content-Encoding","value":"gzip"},{"name":"Content-Type","value":"application/json"}],"content":{"mimeType":"application/json","text":"{\"choices\":[]}"}}}]}}"#;
        let recs = read("x.har", har, &Hints::default()).unwrap();
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(r.request.header(":path"), Some("/v1/chat/completions"));
        assert_eq!(r.request.header(":authority"), Some("h:1"));
        assert_eq!(r.request.header("content-length"), Some("2"));
        let resp = r.response.as_ref().unwrap();
        assert_eq!(resp.header("content-encoding"), None);
        assert_eq!(resp.body, b"{\"choices\":[]}");
    }
}
