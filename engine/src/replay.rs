//! Replays one recorded exchange through the engine the way a proxy would, with no proxy.
//!
//! This models the host semantics the adapters rely on (bodies as [`crate::body_buffer`] says, a
//! reply ends the exchange, response headers are gone before the body is decided) so that unit tests, the CLI's `scan` and `test` commands and the
//! conformance cases all see what a client and an upstream would see behind Envoy. Bodies are fed
//! cut as `split` says (response bodies; request bodies arrive whole, since they are held whole
//! anyway) to exercise stream boundaries.

use std::sync::Arc;

use crate::audit::AuditEvent;
use crate::body_buffer::{BodyBuffer, Release};
use crate::exchange::{Action, Exchange, LocalReply};
use crate::Policies;

/// One HTTP message: headers (pseudo-headers `:method`, `:path`, `:status` included) and body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Message {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn apply(&mut self, set: &[(String, String)], remove: &[String]) {
        for r in remove {
            self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(r));
        }
        for (k, v) in set {
            self.headers.retain(|(h, _)| !h.eq_ignore_ascii_case(k));
            self.headers.push((k.clone(), v.clone()));
        }
    }
}

/// What each side saw.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The request as the upstream received it; None when the filter answered first.
    pub upstream_request: Option<Message>,
    /// What the client received.
    pub client_response: Message,
    /// The reply the filter sent, if it answered or cut a response.
    pub reply: Option<LocalReply>,
    pub audit: Vec<AuditEvent>,
}

fn reply_message(r: &LocalReply) -> Message {
    let mut headers = vec![(":status".to_string(), r.status.to_string())];
    headers.extend(r.headers.iter().cloned());
    Message {
        headers,
        body: r.body.clone(),
    }
}

/// How bodies are cut into chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// Chunks of this many bytes.
    Every(usize),
    /// Cut at these byte offsets (out-of-range and unordered offsets are ignored).
    At(Vec<usize>),
}

fn chunks<'a>(body: &'a [u8], split: &Split) -> Vec<&'a [u8]> {
    if body.is_empty() {
        return Vec::new();
    }
    match split {
        Split::Every(n) => body.chunks((*n).max(1)).collect(),
        Split::At(cuts) => {
            let mut out = Vec::new();
            let mut start = 0;
            for &c in cuts {
                if c > start && c < body.len() {
                    out.extend(body.get(start..c));
                    start = c;
                }
            }
            out.extend(body.get(start..));
            out
        }
    }
}

/// Runs `request` through the engine; if it reaches the upstream, `respond` builds the
/// upstream's answer from the request the upstream saw.
pub fn replay(
    policies: Arc<Policies>,
    request: &Message,
    respond: &dyn Fn(&Message) -> Message,
    split: &Split,
) -> Outcome {
    let mut ex = Exchange::new(policies);
    let mut out = Outcome::default();
    let mut upstream = request.clone();
    let has_body = !request.body.is_empty();
    let v = ex.on_request_headers(&request.headers, !has_body);
    out.audit.extend(ex.take_audit());
    if let Action::Reply(r) = v.action {
        out.client_response = reply_message(&r);
        out.reply = Some(r);
        return out;
    }
    upstream.apply(&v.set_headers, &v.remove_headers);
    upstream.body.clear();
    let mut buffer = BodyBuffer::new();
    let pieces = chunks(&request.body, &Split::Every(usize::MAX));
    let n = pieces.len();
    for (i, piece) in pieces.into_iter().enumerate() {
        let v = ex.on_request_body(piece, i + 1 == n);
        let v = ex.until_decided(v);
        out.audit.extend(ex.take_audit());
        match buffer.apply(piece, v.action) {
            Release::Held => {}
            Release::Chunk => upstream.body.extend_from_slice(piece),
            Release::Bytes(b) => upstream.body.extend(b),
            Release::Reply(r) => {
                out.client_response = reply_message(&r);
                out.reply = Some(r);
                return out;
            }
        }
    }
    // A body still held at the end would stall in a real proxy; flush it so tests notice.
    upstream.body.extend(buffer.take_held());
    out.upstream_request = Some(upstream.clone());

    let answer = respond(&upstream);
    let mut client = answer.clone();
    let has_body = !answer.body.is_empty();
    let v = ex.on_response_headers(&answer.headers, !has_body);
    out.audit.extend(ex.take_audit());
    if let Action::Reply(r) = v.action {
        out.client_response = reply_message(&r);
        out.reply = Some(r);
        return out;
    }
    client.apply(&v.set_headers, &v.remove_headers);
    client.body.clear();
    let pieces = chunks(&answer.body, split);
    let n = pieces.len();
    for (i, piece) in pieces.into_iter().enumerate() {
        let v = ex.on_response_body(piece, i + 1 == n);
        out.audit.extend(ex.take_audit());
        match buffer.apply(piece, v.action) {
            Release::Held => {}
            Release::Chunk => client.body.extend_from_slice(piece),
            Release::Bytes(b) => client.body.extend(b),
            Release::Reply(r) => {
                // Headers are gone: the error document takes the place of what was held (see
                // the adapters).
                client.body.extend_from_slice(&r.body);
                out.reply = Some(r);
                break;
            }
        }
    }
    client.body.extend(buffer.take_held());
    out.client_response = client;
    out
}

/// Convenience: a JSON POST to `path`.
pub fn post(path: &str, body: &str) -> Message {
    Message {
        headers: vec![
            (":method".into(), "POST".into()),
            (":path".into(), path.into()),
            (":authority".into(), "llm.local".into()),
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), body.len().to_string()),
        ],
        body: body.as_bytes().to_vec(),
    }
}

/// Convenience: a 200 answer with a content type.
pub fn answer(content_type: &str, body: &[u8]) -> Message {
    Message {
        headers: vec![
            (":status".into(), "200".into()),
            ("content-type".into(), content_type.into()),
        ],
        body: body.to_vec(),
    }
}
