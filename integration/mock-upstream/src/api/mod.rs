//! The LLM API shapes the mock speaks, one module per API family, and the routing table.
//!
//! Each handler turns (request JSON, script) into an [`Answer`]: a whole body, or a stream of
//! already-serialized events (SSE or NDJSON) that the writer sends with the script's pacing.
//! The `tail` of a stream is its terminating events (finish chunk, `[DONE]`, `message_stop`,
//! `"done": true`), which `x-mock-never-end` withholds.

pub mod anthropic;
pub mod ollama;
pub mod openai;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::http::Request;
use crate::script::Script;

pub const JSON: &str = "application/json";
pub const SSE: &str = "text/event-stream; charset=utf-8";
pub const NDJSON: &str = "application/x-ndjson";

#[derive(Debug)]
pub enum Answer {
    Full {
        status: u16,
        content_type: Option<&'static str>,
        body: Vec<u8>,
    },
    Stream {
        status: u16,
        content_type: &'static str,
        events: Vec<Vec<u8>>,
        tail: Vec<Vec<u8>>,
    },
}

impl Answer {
    pub fn json(status: u16, v: &Value) -> Answer {
        Answer::Full {
            status,
            content_type: Some(JSON),
            body: v.to_string().into_bytes(),
        }
    }

    pub fn empty(status: u16) -> Answer {
        Answer::Full {
            status,
            content_type: None,
            body: Vec::new(),
        }
    }
}

/// Which API family a path belongs to: decides the error shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    OpenAi,
    Anthropic,
    Ollama,
}

pub fn family(path: &str) -> Family {
    if path.starts_with("/v1/messages") {
        Family::Anthropic
    } else if path.starts_with("/v1/") {
        Family::OpenAi
    } else {
        Family::Ollama
    }
}

/// An error body in the API's own shape.
pub fn error(family: Family, status: u16, message: &str) -> Answer {
    let body = match family {
        Family::OpenAi => json!({"error": {
            "message": message,
            "type": if status >= 500 { "server_error" } else { "invalid_request_error" },
            "param": null,
            "code": "mock_error",
        }}),
        Family::Anthropic => json!({"type": "error", "error": {
            "type": if status >= 500 { "api_error" } else { "invalid_request_error" },
            "message": message,
        }}),
        Family::Ollama => json!({"error": message}),
    };
    Answer::json(status, &body)
}

/// Per-request facts the shapes need: the model to echo, a unique id suffix, timestamps.
pub struct Ctx<'a> {
    pub body: &'a Value,
    pub script: &'a Script,
    pub model: String,
    pub id: u64,
    pub now: u64,
    /// Rough input token count (bytes / 4), for usage fields.
    pub input_tokens: u64,
}

/// The clock and id under `x-mock-deterministic`, so two answers can be compared byte for byte.
const FIXED_NOW: u64 = 1_700_000_000;

impl Ctx<'_> {
    /// Ollama's `created_at` (RFC 3339, nanoseconds).
    pub fn created_at(&self) -> String {
        if self.script.deterministic {
            rfc3339(FIXED_NOW, 0)
        } else {
            rfc3339_now()
        }
    }

    pub fn output_tokens(&self) -> u64 {
        (self.script.reply.len() as u64 / 4).max(1)
    }

    /// Whether to stream: `stream: true`, or, when `default` is true, anything but `false`.
    pub fn stream(&self, default: bool) -> bool {
        match self.body.get("stream") {
            Some(Value::Bool(b)) => *b,
            _ => default,
        }
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Sets `key` on a JSON object (no-op on other values, which the shapes never pass).
pub fn set(obj: &mut Value, key: &str, value: Value) {
    if let Some(map) = obj.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

/// One SSE event: optional `event:` line, one `data:` line, blank line.
pub fn sse(event: Option<&str>, data: &Value) -> Vec<u8> {
    let mut s = String::new();
    if let Some(e) = event {
        s.push_str("event: ");
        s.push_str(e);
        s.push('\n');
    }
    s.push_str("data: ");
    s.push_str(&data.to_string());
    s.push_str("\n\n");
    s.into_bytes()
}

/// One NDJSON line.
pub fn ndjson(v: &Value) -> Vec<u8> {
    let mut b = v.to_string().into_bytes();
    b.push(b'\n');
    b
}

/// Routes a request to its shape. `Err` is a 4xx message in the API's error shape.
pub fn answer(req: &Request, script: &Script) -> Answer {
    let route = req.route();
    let fam = family(route);
    let method = req.method.as_str();

    // Bodies are JSON where one is expected; an empty body reads as `{}` (GET routes).
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                if method == "POST" {
                    return error(fam, 400, &format!("request body is not JSON: {e}"));
                }
                json!({})
            }
        }
    };
    let model = body
        .get("model")
        .or_else(|| body.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("mock-model")
        .to_string();
    let ctx = Ctx {
        body: &body,
        script,
        model,
        id: if script.deterministic {
            1
        } else {
            NEXT_ID.fetch_add(1, Ordering::Relaxed)
        },
        now: if script.deterministic {
            FIXED_NOW
        } else {
            unix_now()
        },
        input_tokens: (req.body.len() as u64 / 4).max(1),
    };

    if let Some(st) = script.status.filter(|s| *s >= 400) {
        return error(fam, st, &format!("mock upstream answered {st} as scripted"));
    }

    let answer = match (method, route) {
        ("POST", "/v1/chat/completions") => openai::chat(&ctx),
        ("POST", "/v1/responses") => openai::responses(&ctx),
        ("POST", "/v1/completions") => openai::completions(&ctx),
        ("POST", "/v1/embeddings") => openai::embeddings(&ctx),
        ("GET", "/v1/models") => openai::models(&ctx),
        ("POST", "/v1/messages") => anthropic::messages(&ctx),
        ("POST", "/v1/messages/count_tokens") => anthropic::count_tokens(&ctx),
        ("POST", "/api/chat") => ollama::chat(&ctx),
        ("POST", "/api/generate") => ollama::generate(&ctx),
        ("POST", "/api/embed") => ollama::embed(&ctx),
        ("POST", "/api/embeddings") => ollama::embeddings(&ctx),
        ("GET", "/api/tags") => ollama::tags(&ctx),
        ("GET", "/api/ps") => ollama::ps(&ctx),
        ("POST", "/api/show") => ollama::show(&ctx),
        ("GET", "/api/version") => ollama::version(),
        ("POST", "/api/pull") | ("POST", "/api/push") | ("POST", "/api/create") => {
            ollama::progress(&ctx, route)
        }
        ("POST", "/api/copy") | ("DELETE", "/api/delete") => Answer::empty(200),
        ("HEAD", p) if p.starts_with("/api/blobs/") => Answer::empty(200),
        ("POST", p) if p.starts_with("/api/blobs/") => Answer::empty(201),
        ("GET", "/") | ("HEAD", "/") => Answer::Full {
            status: 200,
            content_type: Some("text/plain; charset=utf-8"),
            body: b"Ollama is running".to_vec(),
        },
        (m, p) if p.starts_with("/v1/models/") && m == "GET" => openai::model(&ctx, p),
        _ => {
            return error(
                fam,
                404,
                &format!("mock upstream has no route {method} {route}"),
            );
        }
    };
    // A non-error status override keeps the body.
    match (answer, script.status) {
        (
            Answer::Full {
                content_type, body, ..
            },
            Some(st),
        ) => Answer::Full {
            status: st,
            content_type,
            body,
        },
        (
            Answer::Stream {
                content_type,
                events,
                tail,
                ..
            },
            Some(st),
        ) => Answer::Stream {
            status: st,
            content_type,
            events,
            tail,
        },
        (a, None) => a,
    }
}

/// Lowercase hex of a cheap deterministic hash, to fill digest-looking fields.
pub fn fake_digest(seed: &str) -> String {
    // FNV-1a, widened to 64 hex chars by re-hashing with the round number.
    let mut out = String::with_capacity(64);
    for round in 0u64..4 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ round;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// RFC 3339 UTC timestamp with nanoseconds, as Ollama writes `created_at`.
pub fn rfc3339_now() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(d.as_secs(), d.subsec_nanos())
}

pub fn rfc3339(secs: u64, nanos: u32) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_table() {
        let cases: &[(u64, u32, &str)] = &[
            (0, 0, "1970-01-01T00:00:00.000000000Z"),
            (951_782_400, 5, "2000-02-29T00:00:00.000000005Z"),
            (1_735_689_599, 0, "2024-12-31T23:59:59.000000000Z"),
        ];
        for (s, n, want) in cases {
            assert_eq!(rfc3339(*s, *n), *want);
        }
    }

    #[test]
    fn families() {
        assert_eq!(family("/v1/messages"), Family::Anthropic);
        assert_eq!(family("/v1/chat/completions"), Family::OpenAi);
        assert_eq!(family("/api/chat"), Family::Ollama);
    }
}
