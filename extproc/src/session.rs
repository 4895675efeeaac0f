//! One ext_proc stream: translates Envoy's `ProcessingRequest` messages into engine calls and the
//! engine's verdicts into `ProcessingResponse` messages.
//!
//! Envoy opens one bidirectional `Process` stream per HTTP request and, outside
//! `FULL_DUPLEX_STREAMED` mode, expects exactly one response per message it sends, in order. This
//! module decides nothing about policy: it owns one engine [`Exchange`] and applies what it says.
//! It is synchronous and does no I/O, so the protocol mapping is unit-tested without a network.
//!
//! Protocol facts relied on (envoy.service.ext_proc.v3 and the filter's `ProcessingMode`, as
//! configured in `envoy/envoy-extproc.yaml`):
//!
//! - Request body mode `BUFFERED`: Envoy buffers the whole request body (bounded by its buffer
//!   limit, 413 beyond it) and sends it as one `request_body` message; the request headers are held
//!   until that body is answered, so the body answer may still mutate headers (`content-length`).
//!   The message may say `end_of_stream: false` when trailers follow; it is still the whole body.
//! - Response body mode `STREAMED`: each chunk is sent as it arrives and must be answered before
//!   the next one goes downstream. Response headers were released when their own answer was sent,
//!   so a block found in the body can no longer change the status: like the wasm filter, the
//!   error document in the API's shape replaces the body.
//! - Unlike a wasm filter, ext_proc could hold the response headers until a body decision: answer
//!   the response headers with `mode_override` switching `response_body_mode` to `BUFFERED` (the
//!   filter must set `allow_mode_override: true`), and a block found in a JSON answer could then
//!   carry its real 4xx status. Not used: the same answers as the wasm filter (one conformance
//!   suite for both, clients see one behaviour), no second per-deployment switch, and the
//!   adapter's own buffer (below) is needed for `Pause` anyway. Streams are never switched.
//! - A body chunk is rewritten with `CommonResponse.body_mutation`: `body` replaces the chunk's
//!   bytes, `clear_body` empties it. ext_proc has no "hold these bytes" answer, so when the engine
//!   says `Pause` the adapter keeps the chunk itself (answering with an empty chunk) and emits the
//!   held bytes later, exactly where the wasm host would have flushed its buffer. The engine bounds
//!   what it pauses (`limits.max_response_body_bytes`), which bounds this buffer.
//! - `immediate_response` answers locally with a status, headers and body; it is valid for request
//!   headers, the request body and response headers (before anything went downstream).
//! - Header mutations use `raw_value` (Envoy sends header values in `raw_value` since 1.26 and
//!   accepts either); `OVERWRITE_IF_EXISTS_OR_ADD` so a set replaces rather than appends.
//! - Closing the stream cleanly tells Envoy to continue without the processor, so errors must close
//!   it with a gRPC status (the service does), which with `failure_mode_allow: false` fails the
//!   HTTP request.

use std::sync::Arc;

use envoy_types::pb::envoy::config::core::v3::header_value_option::HeaderAppendAction;
use envoy_types::pb::envoy::config::core::v3::{HeaderMap, HeaderValue, HeaderValueOption};
use envoy_types::pb::envoy::r#type::v3::HttpStatus;
use envoy_types::pb::envoy::service::ext_proc::v3::{
    body_mutation, common_response, processing_request, processing_response, BodyMutation,
    BodyResponse, CommonResponse, HeaderMutation, HeadersResponse, HttpBody, HttpHeaders,
    ImmediateResponse, ProcessingResponse, TrailersResponse,
};
use llm_warden_engine::body_buffer::{BodyBuffer, Release};
use llm_warden_engine::exchange::{Action, Exchange, LocalReply, Verdict};
use llm_warden_engine::Policies;

/// A decision worth a log line and a counter, besides the engine's own audit events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A local reply with this stable code (`prompt_injection_detected`, ...).
    Blocked(&'static str),
    /// A block in the response body after the headers went out (status unchanged).
    ResponseTerminated(&'static str),
}

/// The adapter state for one HTTP exchange (one ext_proc stream).
pub struct Session {
    exchange: Exchange,
    request_id: String,
    /// Response bytes the engine asked to hold (`Pause`): already answered with an empty chunk,
    /// owed to the client when the engine next says `Continue`, or superseded by its `Replace`.
    held: BodyBuffer,
    /// A block was written into the response body: every later chunk is dropped.
    response_terminated: bool,
    /// The request body whose inspection yielded (`Action::Yield`): answered by [`Session::resume`].
    pending_body: Option<Vec<u8>>,
    notices: Vec<Notice>,
}

impl Session {
    pub fn new(policies: Arc<Policies>) -> Self {
        Self {
            exchange: Exchange::new(policies),
            request_id: String::new(),
            held: BodyBuffer::new(),
            response_terminated: false,
            pending_body: None,
            notices: Vec::new(),
        }
    }

    /// The `x-request-id` of the request (empty until request headers arrived).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    pub fn policy_name(&self) -> &str {
        self.exchange.policy_name()
    }

    /// Audit events produced so far, as the JSON the wasm filter logs.
    pub fn take_audit_json(&mut self) -> Vec<String> {
        let policy = self.exchange.policy_name().to_string();
        self.exchange
            .take_audit()
            .iter()
            .map(|e| e.to_json(&policy))
            .collect()
    }

    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Bytes currently held for the client (bounded by the engine's limits).
    pub fn held_len(&self) -> usize {
        self.held.held_len()
    }

    /// Answers one message from Envoy, the request body's inspection resumed to its end.
    pub fn handle(&mut self, request: processing_request::Request) -> ProcessingResponse {
        let mut answer = self.begin(request);
        loop {
            match answer {
                Some(a) => return a,
                None => answer = self.resume(),
            }
        }
    }

    /// Answers one message from Envoy, or None when the engine yielded in a large request
    /// body's inspection: the caller lets other sessions run, then calls [`Session::resume`].
    pub fn begin(&mut self, request: processing_request::Request) -> Option<ProcessingResponse> {
        use processing_request::Request as Rq;
        use processing_response::Response as Rs;
        let response = match request {
            Rq::RequestHeaders(h) => self.request_headers(&h),
            Rq::RequestBody(b) => {
                let v = self.exchange.on_request_body(&b.body, true);
                self.request_body(b.body, v)?
            }
            // Only sent when the trailer mode is SEND; the BUFFERED body was already decided.
            Rq::RequestTrailers(_) => Rs::RequestTrailers(TrailersResponse::default()),
            Rq::ResponseHeaders(h) => self.response_headers(&h),
            Rq::ResponseBody(b) => self.response_body(b),
            Rq::ResponseTrailers(_) => self.response_trailers(),
        };
        Some(ProcessingResponse {
            response: Some(response),
            ..Default::default()
        })
    }

    fn request_headers(&mut self, h: &HttpHeaders) -> processing_response::Response {
        let headers = header_pairs(h.headers.as_ref());
        self.request_id = headers
            .iter()
            .find(|(k, _)| k == "x-request-id")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let v = self.exchange.on_request_headers(&headers, h.end_of_stream);
        match v.action {
            Action::Reply(r) => self.immediate(&r),
            // Headers never pause or yield in the engine; a body's actions do not apply here.
            Action::Continue | Action::Pause | Action::Replace(_) | Action::Yield => {
                processing_response::Response::RequestHeaders(HeadersResponse {
                    response: Some(common(mutation(&v.set_headers, &v.remove_headers), None)),
                })
            }
        }
    }

    /// Goes on with the request body's inspection after a yield: the answer, or None when the
    /// engine yielded again.
    pub fn resume(&mut self) -> Option<ProcessingResponse> {
        let response = match self.pending_body.take() {
            Some(body) => {
                let v = self.exchange.resume();
                self.request_body(body, v)?
            }
            // Nothing yielded: a caller's mistake, answered closed rather than looping.
            None => self.immediate(&internal_error()),
        };
        Some(ProcessingResponse {
            response: Some(response),
            ..Default::default()
        })
    }

    /// The answer to the request body (BUFFERED: the whole body even when trailers follow) for
    /// the engine's verdict `v`; None when the engine yielded (the body is kept for `resume`).
    fn request_body(
        &mut self,
        original: Vec<u8>,
        v: Verdict,
    ) -> Option<processing_response::Response> {
        if v.action == Action::Yield {
            self.pending_body = Some(original);
            return None;
        }
        let Verdict {
            action,
            mut set_headers,
            remove_headers,
        } = v;
        let (body, replaced) = match action {
            Action::Reply(r) => return Some(self.immediate(&r)),
            Action::Replace(new) => (new, true),
            Action::Continue => (original, false),
            // The engine pauses only a body that is still arriving; this one is complete. Failing
            // closed is the only safe reading of a pause that would never be resolved.
            Action::Pause | Action::Yield => {
                let r = internal_error();
                return Some(self.immediate(&r));
            }
        };
        // The headers are still held (BUFFERED), so the upstream can get an exact length again
        // instead of the chunked body the engine's header verdict (content-length removed) implies.
        set_headers.push(("content-length".into(), body.len().to_string()));
        let body_mutation = replaced.then(|| replace_with(body));
        Some(processing_response::Response::RequestBody(BodyResponse {
            response: Some(common(
                mutation(&set_headers, &remove_headers),
                body_mutation,
            )),
        }))
    }

    fn response_headers(&mut self, h: &HttpHeaders) -> processing_response::Response {
        let headers = header_pairs(h.headers.as_ref());
        let v = self.exchange.on_response_headers(&headers, h.end_of_stream);
        match v.action {
            // Nothing has gone downstream yet: a real status is still possible.
            Action::Reply(r) => self.immediate(&r),
            Action::Continue | Action::Pause | Action::Replace(_) | Action::Yield => {
                processing_response::Response::ResponseHeaders(HeadersResponse {
                    response: Some(common(mutation(&v.set_headers, &v.remove_headers), None)),
                })
            }
        }
    }

    fn response_body(&mut self, b: HttpBody) -> processing_response::Response {
        let mutation = self.response_chunk(b.body, b.end_of_stream);
        processing_response::Response::ResponseBody(BodyResponse {
            response: Some(common(None, mutation)),
        })
    }

    /// Trailers end the body, but a `TrailersResponse` cannot carry body bytes: anything the
    /// engine still holds is dropped (never leaked). The shipped config does not ask for trailers.
    fn response_trailers(&mut self) -> processing_response::Response {
        if !self.response_terminated && !self.exchange.replied() {
            let _ = self.response_chunk(Vec::new(), true);
        }
        processing_response::Response::ResponseTrailers(TrailersResponse::default())
    }

    /// The mutation for one streamed response chunk (None: pass the chunk unchanged).
    fn response_chunk(&mut self, chunk: Vec<u8>, end_of_stream: bool) -> Option<BodyMutation> {
        if self.response_terminated {
            return Some(clear());
        }
        let v = self.exchange.on_response_body(&chunk, end_of_stream);
        // Where the wasm host would flush or replace its buffer, the held bytes go out in place
        // of this chunk.
        match self.held.apply(&chunk, v.action) {
            Release::Chunk => None,
            Release::Held => Some(clear()),
            Release::Bytes(out) => Some(replace_with(out)),
            Release::Reply(r) => {
                self.response_terminated = true;
                self.notices.push(Notice::ResponseTerminated(r.code));
                Some(replace_with(r.body))
            }
        }
    }

    fn immediate(&mut self, r: &LocalReply) -> processing_response::Response {
        self.notices.push(Notice::Blocked(r.code));
        let set: Vec<(String, String)> = r.headers.clone();
        processing_response::Response::ImmediateResponse(ImmediateResponse {
            // envoy.type.v3.StatusCode values are the HTTP status numbers.
            status: Some(HttpStatus {
                code: i32::from(r.status),
            }),
            headers: mutation(&set, &[]),
            body: r.body.clone(),
            grpc_status: None,
            details: format!("llm_warden_{}", r.code),
        })
    }
}

/// A fail-closed reply for a state the adapter cannot resolve.
fn internal_error() -> LocalReply {
    LocalReply {
        status: 500,
        headers: vec![("content-type".into(), "application/json".into())],
        body: br#"{"error":{"message":"llm-warden could not inspect this request","type":"server_error","code":"inspection_failed"}}"#.to_vec(),
        code: "inspection_failed",
    }
}

fn header_pairs(map: Option<&HeaderMap>) -> Vec<(String, String)> {
    map.map(|m| {
        m.headers
            .iter()
            .map(|h| {
                let value = if h.raw_value.is_empty() {
                    h.value.clone()
                } else {
                    String::from_utf8_lossy(&h.raw_value).into_owned()
                };
                (h.key.to_ascii_lowercase(), value)
            })
            .collect()
    })
    .unwrap_or_default()
}

fn mutation(set: &[(String, String)], remove: &[String]) -> Option<HeaderMutation> {
    if set.is_empty() && remove.is_empty() {
        return None;
    }
    Some(HeaderMutation {
        set_headers: set
            .iter()
            .map(|(k, v)| HeaderValueOption {
                header: Some(HeaderValue {
                    key: k.clone(),
                    value: String::new(),
                    raw_value: v.clone().into_bytes(),
                }),
                append_action: HeaderAppendAction::OverwriteIfExistsOrAdd as i32,
                ..Default::default()
            })
            .collect(),
        remove_headers: remove.to_vec(),
    })
}

fn common(
    header_mutation: Option<HeaderMutation>,
    body_mutation: Option<BodyMutation>,
) -> CommonResponse {
    CommonResponse {
        status: common_response::ResponseStatus::Continue as i32,
        header_mutation,
        body_mutation,
        ..Default::default()
    }
}

fn replace_with(bytes: Vec<u8>) -> BodyMutation {
    if bytes.is_empty() {
        return clear();
    }
    BodyMutation {
        mutation: Some(body_mutation::Mutation::Body(bytes)),
    }
}

fn clear() -> BodyMutation {
    BodyMutation {
        mutation: Some(body_mutation::Mutation::ClearBody(true)),
    }
}
