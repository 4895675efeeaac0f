//! Canned answers: a literal response (status, headers, exact body bytes) that a test preloads
//! and then selects per request, so that recorded traffic and conformance cases
//! (`testdata/cases`) can be replayed through a real Envoy byte for byte.
//!
//! `POST /__mock/canned` with `{"status": 200, "headers": {...}, "body_b64": "...", "split": N}`
//! stores one and answers `{"id": "..."}`; a request with `x-mock-canned: <id>` gets it (and is
//! still recorded in the journal). Preloading keeps bodies of any size out of request headers.
//! Without `split` the body goes out whole with `content-length`; with it (or with the request's
//! `x-mock-chunk-bytes`, which wins) the body is sent chunked, `split` bytes per HTTP chunk, each
//! chunk flushed as its own network write. The mock frames the body itself, so `content-length`,
//! `transfer-encoding` and `connection` in the canned headers are ignored.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::sync::Mutex;

use base64::Engine as _;
use serde_json::Value;

use crate::http::{end_chunked, start_chunked, write_chunk, write_full};

/// Canned answers kept at once; the oldest is dropped beyond it.
const MAX_CANNED: usize = 1024;

/// Headers that describe the framing, which the mock writes itself.
const FRAMING_HEADERS: &[&str] = &["content-length", "transfer-encoding", "connection"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canned {
    pub status: u16,
    /// In the order given; names as given.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Bytes per HTTP chunk; None sends the body whole with `content-length`.
    pub split: Option<usize>,
}

impl Canned {
    /// Parses a preload document; errors name the field.
    pub fn parse(doc: &[u8]) -> Result<Canned, String> {
        let v: Value = serde_json::from_slice(doc).map_err(|e| format!("not JSON: {e}"))?;
        let Value::Object(map) = v else {
            return Err("expected a JSON object".into());
        };
        for k in map.keys() {
            if !["status", "headers", "body_b64", "split"].contains(&k.as_str()) {
                return Err(format!("{k}: unknown field"));
            }
        }
        let status = match map.get("status") {
            None => 200,
            Some(s) => s
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (200..=599).contains(s))
                .ok_or_else(|| format!("status: {s} is not a final HTTP status"))?,
        };
        let mut headers = Vec::new();
        match map.get("headers") {
            None | Some(Value::Null) => {}
            Some(Value::Object(h)) => {
                for (k, v) in h {
                    let Some(v) = v.as_str() else {
                        return Err(format!("headers.{k}: expected a string"));
                    };
                    let name_ok = !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
                    if !name_ok || v.contains(['\r', '\n']) {
                        return Err(format!("headers.{k}: not a valid header field"));
                    }
                    if !FRAMING_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                        headers.push((k.clone(), v.to_string()));
                    }
                }
            }
            Some(_) => return Err("headers: expected an object of strings".into()),
        }
        let body = match map.get("body_b64") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .map_err(|e| format!("body_b64: not base64 ({e})"))?,
            Some(_) => return Err("body_b64: expected a base64 string".into()),
        };
        let split = match map.get("split") {
            None | Some(Value::Null) => None,
            Some(s) => Some(
                s.as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("split: {s} is not a positive integer"))?,
            ),
        };
        Ok(Canned {
            status,
            headers,
            body,
            split,
        })
    }

    /// Writes the answer; `chunk_bytes` (the request's `x-mock-chunk-bytes`) overrides `split`.
    pub fn send<W: Write>(
        &self,
        w: &mut W,
        chunk_bytes: Option<usize>,
        keep_alive: bool,
    ) -> io::Result<()> {
        match chunk_bytes.or(self.split).filter(|n| *n > 0) {
            None => write_full(w, self.status, &self.headers, &self.body, keep_alive),
            Some(n) => {
                start_chunked(w, self.status, &self.headers, keep_alive)?;
                for piece in self.body.chunks(n) {
                    write_chunk(w, piece)?;
                }
                end_chunked(w, &[])
            }
        }
    }
}

/// The preloaded answers by id.
#[derive(Default)]
pub struct CannedStore {
    inner: Mutex<Store>,
}

#[derive(Default)]
struct Store {
    next: u64,
    by_id: HashMap<String, Canned>,
    order: VecDeque<String>,
}

impl CannedStore {
    /// Stores an answer and returns its id.
    pub fn add(&self, canned: Canned) -> Option<String> {
        let mut g = self.inner.lock().ok()?;
        g.next += 1;
        let id = format!("c{}", g.next);
        if g.order.len() >= MAX_CANNED {
            if let Some(old) = g.order.pop_front() {
                g.by_id.remove(&old);
            }
        }
        g.order.push_back(id.clone());
        g.by_id.insert(id.clone(), canned);
        Some(id)
    }

    pub fn get(&self, id: &str) -> Option<Canned> {
        self.inner.lock().ok()?.by_id.get(id.trim()).cloned()
    }

    pub fn clear(&self) -> usize {
        match self.inner.lock() {
            Ok(mut g) => {
                let n = g.by_id.len();
                g.by_id.clear();
                g.order.clear();
                n
            }
            Err(_) => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok: &[(&str, Canned)] = &[
            (
                r#"{}"#,
                Canned {
                    status: 200,
                    headers: vec![],
                    body: vec![],
                    split: None,
                },
            ),
            (
                r#"{"status":404,"headers":{"Content-Type":"text/plain","content-length":"9","x-b":"1"},"body_b64":"aGk=","split":3}"#,
                Canned {
                    status: 404,
                    headers: vec![
                        ("Content-Type".into(), "text/plain".into()),
                        ("x-b".into(), "1".into()),
                    ],
                    body: b"hi".to_vec(),
                    split: Some(3),
                },
            ),
        ];
        for (doc, want) in ok {
            assert_eq!(Canned::parse(doc.as_bytes()).unwrap(), *want, "{doc}");
        }
        let bad: &[(&str, &str)] = &[
            ("[]", "object"),
            (r#"{"status":99}"#, "status"),
            (r#"{"headers":{"a":1}}"#, "headers.a"),
            (r#"{"headers":{"a b":"1"}}"#, "headers.a b"),
            (r#"{"headers":{"a":"x\r\ny: z"}}"#, "headers.a"),
            (r#"{"body_b64":"!!"}"#, "body_b64"),
            (r#"{"split":0}"#, "split"),
            (r#"{"body":"x"}"#, "body: unknown field"),
        ];
        for (doc, want) in bad {
            let err = Canned::parse(doc.as_bytes()).unwrap_err();
            assert!(err.contains(want), "{doc}: {err}");
        }
    }

    #[test]
    fn sends_whole_or_chunked() {
        let c = Canned::parse(br#"{"headers":{"x-a":"1"},"body_b64":"aGVsbG8="}"#).unwrap();
        let mut out = Vec::new();
        c.send(&mut out, None, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nx-a: 1\r\ncontent-length: 5\r\n\r\n"));
        assert!(text.ends_with("\r\n\r\nhello"));
        let mut out = Vec::new();
        c.send(&mut out, Some(2), true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("transfer-encoding: chunked"));
        assert!(text.ends_with("\r\n\r\n2\r\nhe\r\n2\r\nll\r\n1\r\no\r\n0\r\n\r\n"));
    }

    #[test]
    fn store_keeps_a_bounded_number() {
        let s = CannedStore::default();
        let first = s.add(Canned::parse(b"{}").unwrap()).unwrap();
        for _ in 0..MAX_CANNED {
            s.add(Canned::parse(b"{}").unwrap()).unwrap();
        }
        assert!(s.get(&first).is_none());
        assert_eq!(s.clear(), MAX_CANNED);
    }
}
