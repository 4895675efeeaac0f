//! Fuzz targets: one function per parser or state machine of the engine, each taking arbitrary
//! bytes and panicking only when an invariant breaks.
//!
//! The same functions run in two harnesses:
//! - libFuzzer (`fuzz/fuzz_targets/*.rs`, built by `scripts/fuzz.sh` with coverage
//!   instrumentation on the nightly toolchain) for long, coverage-guided runs;
//! - `engine/tests/fuzz_seeded.rs`, which includes this file and feeds every target a bounded,
//!   seeded stream of pseudo-random inputs on the pinned stable toolchain, so `cargo test` runs
//!   them too.
//!
//! Random bytes rarely spell `AKIA...` or `data: {...}`, so the targets read their input as a
//! recipe ([`Recipe`]): a few bytes choose an API shape, split sizes and a policy, and the rest
//! becomes text built from a dictionary of the tokens the engine reacts to (secret prefixes,
//! armour lines, injection phrases, invisible characters, encodings). libFuzzer's mutations of
//! the recipe then reach the interesting states quickly; a plain raw-bytes mode keeps arbitrary
//! input covered as well.
//!
//! Invariants asserted (beyond "no panic"):
//! - framers: every chunking yields the same frames as one push, and frames + pending bytes
//!   reassemble the input exactly; an SSE event survives a parse/write/parse round trip;
//! - stream redactor: for any split, the released text equals `redact(whole)` (the documented
//!   exception: a hold longer than `max_holdback_bytes`, which only masks more);
//! - exchange: every end of body is decided (never left paused, which would stall the proxy), a
//!   local reply is a 4xx/5xx, a changed JSON request is still JSON, and a secret planted in a
//!   streamed or plain answer never reaches the client in any chunking;
//! - tool calls: a call the policy strips never reaches the client.

use std::sync::{Arc, OnceLock};

use llm_warden_engine::exchange::{Action, Exchange, Verdict};
use llm_warden_engine::framing::ndjson::NdjsonFramer;
use llm_warden_engine::framing::sse::{self, SseFramer};
use llm_warden_engine::injection::{decode, normalize};
use llm_warden_engine::secrets::{StreamRedactor, HOLDBACK_EXCEEDED};
use llm_warden_engine::text::{ScanText, TextKind};
use llm_warden_engine::Policies;

// ---- reading a recipe out of fuzz bytes ----------------------------------------------------

/// Reads structure out of fuzz bytes; once the bytes run dry every read returns zero.
pub struct Recipe<'a> {
    data: &'a [u8],
}

impl<'a> Recipe<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    /// True about once in `n` reads.
    pub fn one_in(&mut self, n: u8) -> bool {
        self.byte().is_multiple_of(n.max(1))
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        let v = usize::from(self.byte()) << 8 | usize::from(self.byte());
        v % n.max(1)
    }

    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.data.len());
        let (a, b) = self.data.split_at(n);
        self.data = b;
        a
    }

    pub fn rest(&mut self) -> &'a [u8] {
        self.take(self.data.len())
    }

    /// Chunk sizes (1..=max each) for cutting a body, cycled when the body is longer.
    pub fn sizes(&mut self, max: u8) -> Vec<usize> {
        let n = usize::from(self.byte() % 6);
        (0..n)
            .map(|_| usize::from(self.byte() % max.max(1)) + 1)
            .collect()
    }

    /// Text built from the token dictionary (bytes < 0xC0) and raw Latin-1 characters.
    pub fn text(&mut self, max_tokens: usize) -> String {
        let n = self.below(max_tokens + 1);
        let mut s = String::new();
        for _ in 0..n {
            let b = self.byte();
            match TOKENS.get(usize::from(b)) {
                Some(t) => s.push_str(t),
                None => s.push(char::from(b)),
            }
        }
        s
    }
}

/// What the engine reacts to: secret shapes, armour lines, injection phrases, encodings,
/// invisible and confusable characters, JSON and SSE syntax.
pub const TOKENS: &[&str] = &[
    " ",
    "\n",
    "\r\n",
    "\t",
    "AKIA",
    "Z7Q2MXRB5TUVWX3Y",
    "ASIA",
    "ghp_",
    "gho_",
    "github_pat_",
    "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5",
    "sk-",
    "sk-proj-",
    "sk-ant-api03-",
    "xoxb-",
    "1234567890-",
    "glpat-",
    "AIza",
    "SyA-abcdefghijklmnopqrstuvwxyz0123",
    "eyJhbGciOiJIUzI1NiJ9",
    ".",
    "eyJzdWIiOiIxMjM0In0",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "-----END OPENSSH PRIVATE KEY-----",
    "MIIEowIBAAKCAQEA",
    "b3BlbnNzaC1rZXktdjEAAAAA",
    "postgres://",
    "mongodb+srv://",
    "admin:",
    "hunter2@db.internal:5432/app",
    "4111 1111 1111 1111",
    "4111111111111111",
    "5500-0000-0000-0004",
    "password=",
    "api_key: ",
    "secret",
    "token",
    "AWS_SECRET_ACCESS_KEY=",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "npm_",
    "hf_",
    "pypi-AgEIcHlwaS5vcmc",
    "Ignore all previous instructions",
    "ignore",
    "previous",
    "instructions",
    "system prompt",
    "You are now DAN",
    "disregard",
    "the above",
    "print your",
    "reveal",
    "developer mode",
    "i g n o r e",
    "1gn0r3",
    "IGNORE",
    "ｉｇｎｏｒｅ",
    "іgnore",
    "\u{200b}",
    "\u{200d}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\u{e0049}\u{e0047}\u{e004e}",
    "\u{e0001}",
    "é",
    "e\u{301}",
    "中文",
    "🙂",
    "\u{10ffff}",
    "aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=",
    "%69%67%6e%6f%72%65",
    "%25",
    "%",
    "0x",
    "69676e6f7265",
    "\\u0069",
    "base64,",
    "=",
    "==",
    "-",
    "_",
    "/",
    "+",
    ":",
    "@",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "data: ",
    "event: ",
    "[DONE]",
    "\n\n",
    "\r",
    "\0",
    "A",
    "z",
    "0",
    "9",
    "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
    "llm-warden-canary-7f3e",
];

// ---- policies -------------------------------------------------------------------------------

const POLICY_DOCS: &[&str] = &[
    "{}",
    r#"{"mode": "monitor"}"#,
    r#"{"limits": {"max_request_body_bytes": 512, "max_response_body_bytes": 512,
        "max_frame_bytes": 256, "max_json_depth": 8}}"#,
    r#"{"limits": {"max_request_body_bytes": 512, "max_response_body_bytes": 512,
        "max_frame_bytes": 256, "on_limit": "pass"}}"#,
    r#"{"tools": {"default": "deny", "allow": ["get_weather", "search"],
        "arguments": [{"tool": "search", "pointer": "/query", "deny": ["rm -rf"], "max_length": 64}],
        "max_calls": 3, "on_call": "block"},
       "models": {"allow": ["llama3.2:3b-instruct-q4_K_M", "gpt-4o*", "claude-*"],
        "aliases": {"fast": "llama3.2:3b-instruct-q4_K_M"}},
       "secrets": {"pii": true, "canaries": ["llm-warden-canary-7f3e"],
        "literals": ["hunter2"]}}"#,
    r#"{"tools": {"default": "deny", "allow": ["get_weather", "search"], "on_call": "strip",
        "on_offered": "reject"},
       "secrets": {"rules": [{"id": "custom.ticket", "regex": "TICKET-[0-9]{6}",
        "keywords": ["TICKET-"]}], "replacement": "***"}}"#,
];

/// The compiled policies the targets drive (compiled once per process).
pub fn policies() -> &'static [Arc<Policies>] {
    static P: OnceLock<Vec<Arc<Policies>>> = OnceLock::new();
    P.get_or_init(|| {
        POLICY_DOCS
            .iter()
            .map(|d| match Policies::from_json(d.as_bytes()) {
                Ok(p) => Arc::new(p),
                Err(e) => panic!("fuzz policy does not compile: {e}: {d}"),
            })
            .collect()
    })
}

/// Policies in enforce mode whose default secret rules redact (the AWS key below is masked).
const REDACTING: &[usize] = &[0, 2, 4, 5];

/// A key every redacting policy masks when it stands alone between spaces.
pub const PLANTED_SECRET: &str = "AKIAZ7Q2MXRB5TUVWX3Y";

// ---- driving an exchange the way the proxy does -----------------------------------------------

/// Cuts `body` into chunks of `sizes` (cycled); one chunk when `sizes` is empty.
pub fn cut<'b>(body: &'b [u8], sizes: &[usize]) -> Vec<&'b [u8]> {
    if sizes.is_empty() {
        return if body.is_empty() {
            Vec::new()
        } else {
            vec![body]
        };
    }
    let mut out = Vec::new();
    let mut rest = body;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes
            .get(i % sizes.len())
            .copied()
            .unwrap_or(1)
            .clamp(1, rest.len());
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
        i += 1;
    }
    out
}

/// One message as the host sees it.
pub struct Side<'b> {
    pub headers: Vec<(String, String)>,
    pub body: &'b [u8],
    pub sizes: Vec<usize>,
    /// End the body with trailers (HTTP/2) instead of `end_of_stream` on the last chunk.
    pub trailers: bool,
}

/// What each end of the exchange saw.
#[derive(Debug, Default)]
pub struct Seen {
    pub reply_status: Option<u16>,
    /// Set when a reply replaced a response whose headers had already gone.
    pub cut_after_headers: bool,
    pub upstream_body: Option<Vec<u8>>,
    pub client_body: Vec<u8>,
}

/// Applies one body verdict to what the host holds and forwards; returns the reply status.
fn apply(v: Verdict, held: &mut Vec<u8>, sent: &mut Vec<u8>) -> Option<u16> {
    match v.action {
        Action::Pause | Action::Yield => None,
        Action::Continue => {
            sent.append(held);
            None
        }
        Action::Replace(b) => {
            held.clear();
            sent.extend(b);
            None
        }
        Action::Reply(r) => {
            held.clear();
            Some(r.status)
        }
    }
}

/// Feeds one body, chunk by chunk; asserts its end is decided. Returns a reply status if any.
fn feed(
    ex: &mut Exchange,
    side: &Side<'_>,
    request: bool,
    held: &mut Vec<u8>,
    sent: &mut Vec<u8>,
) -> Option<u16> {
    let chunks = cut(side.body, &side.sizes);
    let n = chunks.len();
    let mut last_paused = false;
    for (i, c) in chunks.into_iter().enumerate() {
        held.extend_from_slice(c);
        let end = i + 1 == n && !side.trailers;
        let v = if request {
            let v = ex.on_request_body(c, end);
            ex.until_decided(v)
        } else {
            ex.on_response_body(c, end)
        };
        last_paused = v.action == Action::Pause;
        if let Some(s) = apply(v, held, sent) {
            return Some(s);
        }
    }
    if side.trailers {
        let v = if request {
            let v = ex.on_request_trailers();
            ex.until_decided(v)
        } else {
            ex.on_response_trailers()
        };
        last_paused = v.action == Action::Pause;
        if let Some(s) = apply(v, held, sent) {
            return Some(s);
        }
    }
    assert!(
        !last_paused,
        "the end of a {} body was left paused: the proxy would stall",
        if request { "request" } else { "response" }
    );
    None
}

/// Drives one exchange as the proxy does: request headers, request body chunks (or trailers),
/// response headers, response body chunks (or trailers).
pub fn drive(policies: &Arc<Policies>, req: &Side<'_>, resp: &Side<'_>) -> Seen {
    let mut ex = Exchange::new(Arc::clone(policies));
    let mut seen = Seen::default();
    let v = ex.on_request_headers(&req.headers, req.body.is_empty() && !req.trailers);
    if let Action::Reply(r) = v.action {
        seen.reply_status = Some(r.status);
        return seen;
    }
    let (mut held, mut sent) = (Vec::new(), Vec::new());
    if !req.body.is_empty() || req.trailers {
        if let Some(s) = feed(&mut ex, req, true, &mut held, &mut sent) {
            seen.reply_status = Some(s);
            return seen;
        }
    }
    sent.append(&mut held);
    seen.upstream_body = Some(sent);

    let v = ex.on_response_headers(&resp.headers, resp.body.is_empty() && !resp.trailers);
    if let Action::Reply(r) = v.action {
        seen.reply_status = Some(r.status);
        return seen;
    }
    let (mut held, mut sent) = (Vec::new(), Vec::new());
    if !resp.body.is_empty() || resp.trailers {
        if let Some(s) = feed(&mut ex, resp, false, &mut held, &mut sent) {
            seen.reply_status = Some(s);
            seen.cut_after_headers = true;
        }
    }
    sent.append(&mut held);
    seen.client_body = sent;
    seen
}

fn request_headers(path: &str, content_type: &str) -> Vec<(String, String)> {
    vec![
        (":method".into(), "POST".into()),
        (":path".into(), path.into()),
        (":authority".into(), "llm.local".into()),
        ("content-type".into(), content_type.into()),
    ]
}

fn response_headers(content_type: &str) -> Vec<(String, String)> {
    vec![
        (":status".into(), "200".into()),
        ("content-type".into(), content_type.into()),
    ]
}

fn assert_reply_status(seen: &Seen) {
    if let Some(s) = seen.reply_status {
        assert!((400..600).contains(&s), "local reply with status {s}");
    }
}

// ---- target: configuration ----------------------------------------------------------------

/// `Policies::from_json` on arbitrary bytes, then on documents that carry the input as a pattern
/// in every section that compiles one (regexes, phrases, literals, globs, model names). A
/// compiled policy then inspects a request carrying the same text.
pub fn config(data: &[u8]) {
    let _ = Policies::from_json(data);
    let mut r = Recipe::new(data);
    let which = r.byte() % 8;
    let s = String::from_utf8_lossy(r.take(160)).into_owned();
    let q = serde_json::Value::String(s.clone()).to_string();
    let doc = match which {
        0 => format!(
            r#"{{"prompt_injection": {{"rules": [{{"id": "f", "regex": {q}, "keywords": ["a", {q}]}}]}}}}"#
        ),
        1 => format!(
            r#"{{"prompt_injection": {{"rules": [{{"id": "f", "phrases": [{q}]}}], "block_phrases": [{q}], "allow_phrases": [{q}]}}}}"#
        ),
        2 => format!(
            r#"{{"secrets": {{"rules": [{{"id": "f", "regex": {q}, "keywords": [{q}]}}]}}}}"#
        ),
        3 => format!(
            r#"{{"secrets": {{"literals": [{q}], "canaries": [{q}], "replacement": {q}}}}}"#
        ),
        4 => format!(
            r#"{{"tools": {{"allow": [{q}], "deny": [{q}], "arguments": [{{"tool": {q}, "pointer": {q}, "allow": [{q}], "url_hosts": [{q}]}}]}}}}"#
        ),
        5 => format!(
            r#"{{"models": {{"allow": [{q}], "deny": [{q}], "aliases": {{{q}: {q}}}, "require_pinned": true}}}}"#
        ),
        6 => format!(
            r#"{{"policies": {{"p": {{"mode": "monitor"}}}}, "routes": [{{"match": {{"path_prefix": {q}, "header": {{"name": {q}, "value": {q}}}}}, "policy": "p"}}]}}"#
        ),
        _ => s.clone(),
    };
    // The built-in rule packs compile once in `policies()`; here only the input's patterns
    // compile, so each run is cheap and the fuzzer spends its time on them.
    let doc = match serde_json::from_str::<serde_json::Value>(&doc) {
        Ok(serde_json::Value::Object(mut m)) => {
            let pi = m
                .entry("prompt_injection")
                .or_insert_with(|| serde_json::json!({}));
            if let Some(o) = pi.as_object_mut() {
                o.insert("builtin_rules".into(), serde_json::Value::Bool(false));
            }
            let se = m.entry("secrets").or_insert_with(|| serde_json::json!({}));
            if let Some(o) = se.as_object_mut() {
                o.insert("builtin".into(), serde_json::Value::Bool(false));
            }
            serde_json::Value::Object(m).to_string()
        }
        _ => doc,
    };
    let Ok(p) = Policies::from_json(doc.as_bytes()) else {
        return;
    };
    let p = Arc::new(p);
    let body = serde_json::json!({
        "model": s, "messages": [{"role": "user", "content": s}],
        "tools": [{"type": "function", "function": {"name": s, "parameters": {}}}],
    })
    .to_string();
    let seen = drive(
        &p,
        &Side {
            headers: request_headers("/v1/chat/completions", "application/json"),
            body: body.as_bytes(),
            sizes: Vec::new(),
            trailers: false,
        },
        &Side {
            headers: response_headers("text/plain"),
            body: s.as_bytes(),
            sizes: vec![3],
            trailers: false,
        },
    );
    assert_reply_status(&seen);
}

// ---- target: request shape extraction -------------------------------------------------------

const PATHS: &[&str] = &[
    "/v1/chat/completions",
    "/v1/responses",
    "/v1/completions",
    "/v1/messages",
    "/api/chat",
    "/api/generate",
    "/api/embed",
    "/v1/embeddings",
    "/v1/models",
    "/api/pull",
    "/api/create",
    "/something/else?x=1",
];

const REQUEST_TYPES: &[&str] = &[
    "application/json",
    "text/plain",
    "",
    "application/x-www-form-urlencoded",
];

/// A JSON request body built from the recipe, in one of the API shapes (or a mangled one).
fn request_body(r: &mut Recipe<'_>) -> Vec<u8> {
    let t = r.text(24);
    let u = r.text(8);
    let tool = ["get_weather", "search", "delete_files", "", "exec*"][r.below(5)];
    let model = [
        "llama3.2:3b-instruct-q4_K_M",
        "fast",
        "llama3.2",
        "gpt-4o",
        "evil/model:latest",
        "",
    ][r.below(6)];
    let v = match r.byte() % 9 {
        0 => serde_json::json!({"model": model, "messages": [
            {"role": "system", "content": u}, {"role": "user", "content": t}]}),
        1 => serde_json::json!({"model": model, "messages": [{"role": "user", "content": [
            {"type": "text", "text": t}, {"type": "image_url", "image_url": {"url": u}}]}],
            "tools": [{"type": "function", "function": {"name": tool, "parameters": {}}}],
            "tool_choice": {"type": "function", "function": {"name": tool}}}),
        2 => serde_json::json!({"model": model, "instructions": u, "input": [
            {"role": "user", "content": [{"type": "input_text", "text": t}]},
            {"type": "function_call_output", "call_id": "c", "output": u}],
            "tools": [{"type": "function", "name": tool}]}),
        3 => serde_json::json!({"model": model, "system": [{"type": "text", "text": u}],
            "messages": [{"role": "user", "content": [{"type": "tool_result",
            "tool_use_id": "t", "content": [{"type": "text", "text": t}]}]}],
            "tools": [{"name": tool, "input_schema": {}}]}),
        4 => serde_json::json!({"model": model, "prompt": t, "system": u, "template": u,
            "suffix": t, "stream": r.one_in(2)}),
        5 => serde_json::json!({"model": model, "messages": [{"role": "tool", "content": t}],
            "stream": true, "options": {"num_ctx": 4096}}),
        6 => serde_json::json!([t, u, {"k": [t]}]),
        7 => serde_json::json!({"model": 12, "messages": {"role": t}, "tools": "x", "input": 3}),
        _ => {
            // Deep nesting around the text.
            let depth = r.below(120);
            let mut s = "[".repeat(depth);
            s.push_str(&serde_json::Value::String(t).to_string());
            s.push_str(&"]".repeat(depth));
            return s.into_bytes();
        }
    };
    v.to_string().into_bytes()
}

/// Request shape extraction, model admission, tool offers, injection and secret scanning of the
/// request: arbitrary or recipe-built bodies on every API path, chunked or ended by trailers.
pub fn request(data: &[u8]) {
    let mut r = Recipe::new(data);
    let policy = r.below(POLICY_DOCS.len());
    let path = PATHS.get(r.below(PATHS.len())).copied().unwrap_or("/");
    let ctype = REQUEST_TYPES
        .get(r.below(REQUEST_TYPES.len()))
        .copied()
        .unwrap_or("");
    let trailers = r.one_in(4);
    let sizes = r.sizes(200);
    let structured = r.one_in(2);
    let body = if structured {
        request_body(&mut r)
    } else {
        r.rest().to_vec()
    };
    let p = policies()
        .get(policy)
        .cloned()
        .unwrap_or_else(|| Arc::clone(&policies()[0]));
    let mut headers = request_headers(path, ctype);
    if r.one_in(8) {
        headers.push(("content-length".into(), body.len().to_string()));
    }
    let seen = drive(
        &p,
        &Side {
            headers,
            body: &body,
            sizes,
            trailers,
        },
        &Side {
            headers: response_headers("application/json"),
            body: b"{\"ok\":true}",
            sizes: Vec::new(),
            trailers: false,
        },
    );
    assert_reply_status(&seen);
    // A request the engine rewrote is still JSON when it came as JSON.
    if let Some(up) = &seen.upstream_body {
        if up != &body && serde_json::from_slice::<serde_json::Value>(&body).is_ok() {
            assert!(
                serde_json::from_slice::<serde_json::Value>(up).is_ok(),
                "a rewritten JSON request is no longer JSON"
            );
        }
    }
}

// ---- target: SSE and NDJSON framers ---------------------------------------------------------

/// SSE and NDJSON framing at random chunk sizes: the same frames as one push, reassembly exact,
/// bounded buffers, and the SSE field parser round-trips.
pub fn framers(data: &[u8]) {
    let mut r = Recipe::new(data);
    let sizes = r.sizes(40);
    let small = usize::from(r.byte());
    let stream: Vec<u8> = if r.one_in(2) {
        r.text(64).into_bytes()
    } else {
        r.rest().to_vec()
    };
    let big = 1 << 20;

    // SSE.
    let mut whole = SseFramer::default();
    let Ok(expected) = whole.push(&stream, big) else {
        panic!("an SSE stream under the bound was refused");
    };
    let expected_pending = whole.take_pending();
    let mut f = SseFramer::default();
    let mut got = Vec::new();
    for c in cut(&stream, &sizes) {
        match f.push(c, big) {
            Ok(evs) => got.extend(evs),
            Err(_) => panic!("an SSE chunk under the bound was refused"),
        }
    }
    let pending = f.take_pending();
    assert_eq!(got, expected, "SSE events depend on the chunking");
    assert_eq!(
        pending, expected_pending,
        "SSE pending bytes depend on the chunking"
    );
    let mut joined = got.concat();
    joined.extend_from_slice(&pending);
    assert_eq!(
        joined, stream,
        "SSE events + pending do not reassemble the stream"
    );
    for ev in &got {
        let parsed = sse::parse_event(ev);
        if let Some(d) = &parsed.data {
            let again = sse::parse_event(&sse::write_event(parsed.event.as_deref(), d));
            assert_eq!(again, parsed, "SSE event does not survive write/parse");
        }
    }
    // A small bound is enforced, never exceeded silently.
    let mut f = SseFramer::default();
    for c in cut(&stream, &sizes) {
        if f.push(c, small).is_err() {
            break;
        }
    }

    // NDJSON.
    let mut whole = NdjsonFramer::default();
    let Ok(expected) = whole.push(&stream, big) else {
        panic!("an NDJSON stream under the bound was refused");
    };
    let expected_pending = whole.take_pending();
    let mut f = NdjsonFramer::default();
    let mut got = Vec::new();
    for c in cut(&stream, &sizes) {
        match f.push(c, big) {
            Ok(lines) => got.extend(lines),
            Err(_) => panic!("an NDJSON chunk under the bound was refused"),
        }
    }
    let pending = f.take_pending();
    assert_eq!(got, expected, "NDJSON lines depend on the chunking");
    assert_eq!(pending, expected_pending);
    // A line ends at LF, CRLF or a bare CR (as httpx splits), and holds no other line end.
    assert!(got.iter().all(|l| {
        let body = l
            .strip_suffix(b"\r\n")
            .or_else(|| l.strip_suffix(b"\n"))
            .or_else(|| l.strip_suffix(b"\r"));
        body.is_some_and(|b| !b.iter().any(|c| *c == b'\n' || *c == b'\r'))
    }));
    let mut joined = got.concat();
    joined.extend_from_slice(&pending);
    assert_eq!(
        joined, stream,
        "NDJSON lines + pending do not reassemble the stream"
    );
}

// ---- target: the streaming redactor ---------------------------------------------------------

/// Cuts `text` at char boundaries near the given sizes.
fn cut_text<'t>(text: &'t str, sizes: &[usize]) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut i = 0;
    while !rest.is_empty() {
        let want = if sizes.is_empty() {
            rest.len()
        } else {
            sizes.get(i % sizes.len()).copied().unwrap_or(1)
        };
        let mut n = want.clamp(1, rest.len());
        while !rest.is_char_boundary(n) {
            n += 1;
        }
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
        i += 1;
    }
    out
}

/// `StreamRedactor` at random split points equals `SecretScanner::redact` of the whole text.
pub fn stream_redactor(data: &[u8]) {
    let mut r = Recipe::new(data);
    let policy = [0usize, 4, 5][r.below(3)];
    let sizes = r.sizes(48);
    let text = if r.one_in(4) {
        String::from_utf8_lossy(r.rest()).into_owned()
    } else {
        r.text(200)
    };
    let Some(p) = policies().get(policy) else {
        return;
    };
    let scanner = &p.default_policy().secrets;
    let whole = scanner.redact(&text);
    let mut red = StreamRedactor::default();
    let mut out = String::new();
    let mut matches = Vec::new();
    for piece in cut_text(&text, &sizes) {
        let o = red.push(scanner, piece);
        out.push_str(&o.text);
        matches.extend(o.matches);
    }
    let o = red.finish(scanner);
    out.push_str(&o.text);
    matches.extend(o.matches);
    assert_eq!(red.held(), 0, "the redactor holds text after finish");
    if matches.iter().any(|m| m.rule_id == HOLDBACK_EXCEEDED) {
        return; // documented: only then may the stream mask more than redact(whole)
    }
    assert_eq!(
        out, whole.text,
        "streamed redaction differs from whole redaction (sizes {sizes:?})"
    );
    let ids = |v: &[llm_warden_engine::secrets::SecretMatch]| {
        v.iter()
            .map(|m| (m.rule_id.clone(), m.start, m.end))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&matches),
        ids(&whole.matches),
        "streamed matches differ"
    );
}

// ---- target: normalisation and decoding -----------------------------------------------------

/// Injection normalisation (folding, offset maps), span decoding and the whole detector.
pub fn normalization(data: &[u8]) {
    let mut r = Recipe::new(data);
    let text = if r.one_in(3) {
        String::from_utf8_lossy(r.rest()).into_owned()
    } else {
        r.text(120)
    };
    let n = normalize::normalize(&text);
    let (s, e) = n.original_span(0, n.text.len());
    assert!(
        s <= e && e <= text.len(),
        "original span {s}..{e} outside 0..{}",
        text.len()
    );
    for pos in [0, n.text.len() / 2, n.text.len()] {
        let (s, e) = n.original_span(pos, n.text.len());
        assert!(s <= e && e <= text.len());
        let _ = n.in_spaced_run(pos);
    }
    let (folded, map, _) = normalize::fold_chars(&text);
    assert!(map.map_end(folded.len()) <= text.len());
    let _ = normalize::fold_tokens(&folded);
    let mut leet = folded;
    normalize::fold_leet(&mut leet);
    let _ = decode::decode_base64(text.as_bytes());
    for span in decode::encoded_spans(&text, 8, 16) {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "encoded span out of bounds"
        );
    }
    for p in policies().iter().take(2) {
        let texts = [
            ScanText::new(text.clone(), TextKind::User, "messages[0].content"),
            ScanText::new(text.clone(), TextKind::ToolResult, "messages[1].content"),
        ];
        let report = p.default_policy().injection.scan(&texts);
        for f in &report.findings {
            let t = texts
                .get(f.text_index)
                .map(|t| t.text.as_str())
                .unwrap_or("");
            assert!(
                f.start <= f.end && f.end <= t.len(),
                "finding {}..{} outside the text ({})",
                f.start,
                f.end,
                t.len()
            );
        }
    }
}

// ---- streamed answers built from a recipe -----------------------------------------------------

/// Response formats the engine distinguishes.
#[derive(Clone, Copy, Debug)]
enum Format {
    OpenAiChat,
    OpenAiResponses,
    Anthropic,
    OllamaNdjson,
    PlainJson,
    Text,
}

const FORMATS: &[Format] = &[
    Format::OpenAiChat,
    Format::OpenAiResponses,
    Format::Anthropic,
    Format::OllamaNdjson,
    Format::PlainJson,
    Format::Text,
];

impl Format {
    fn path(self) -> &'static str {
        match self {
            Format::OpenAiChat | Format::PlainJson | Format::Text => "/v1/chat/completions",
            Format::OpenAiResponses => "/v1/responses",
            Format::Anthropic => "/v1/messages",
            Format::OllamaNdjson => "/api/chat",
        }
    }
    fn content_type(self) -> &'static str {
        match self {
            Format::OllamaNdjson => "application/x-ndjson",
            Format::PlainJson => "application/json",
            Format::Text => "text/plain; charset=utf-8",
            _ => "text/event-stream",
        }
    }
}

/// A tool call in a streamed answer: name and argument fragments.
struct Call {
    name: &'static str,
    args: Vec<String>,
}

fn sse_data(v: &serde_json::Value) -> String {
    format!("data: {v}\n\n")
}

fn sse_named(event: &str, v: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {v}\n\n")
}

/// Builds an answer in `format` whose text is `pieces` (one event each) and with `calls`. With
/// `omit_starts`, the events that announce the text item / block are left out (a malformed or
/// hostile upstream): its deltas must still be redacted.
fn answer(format: Format, pieces: &[&str], calls: &[Call], omit_starts: bool) -> String {
    use serde_json::json;
    let mut s = String::new();
    let text: String = pieces.concat();
    match format {
        Format::OpenAiChat => {
            s.push_str(&sse_data(
                &json!({"id": "c", "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}),
            ));
            for p in pieces {
                s.push_str(&sse_data(
                    &json!({"id": "c", "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": {"content": p}}]}),
                ));
            }
            for (i, c) in calls.iter().enumerate() {
                s.push_str(&sse_data(
                    &json!({"id": "c", "choices": [{"index": 0, "delta": {
                    "tool_calls": [{"index": i, "id": format!("call_{i}"), "type": "function",
                    "function": {"name": c.name, "arguments": ""}}]}}]}),
                ));
                for a in &c.args {
                    s.push_str(&sse_data(
                        &json!({"id": "c", "choices": [{"index": 0, "delta": {
                        "tool_calls": [{"index": i, "function": {"arguments": a}}]}}]}),
                    ));
                }
            }
            s.push_str(&sse_data(
                &json!({"id": "c", "choices": [{"index": 0, "delta": {},
                "finish_reason": if calls.is_empty() { "stop" } else { "tool_calls" }}]}),
            ));
            s.push_str("data: [DONE]\n\n");
        }
        Format::OpenAiResponses => {
            s.push_str(&sse_named(
                "response.created",
                &json!({"type": "response.created",
                "response": {"id": "r", "status": "in_progress", "output": []}}),
            ));
            if !omit_starts {
                s.push_str(&sse_named(
                    "response.output_item.added",
                    &json!({"type": "response.output_item.added", "output_index": 0,
                        "item": {"type": "message", "id": "m", "role": "assistant", "content": []}}),
                ));
            }
            for p in pieces {
                s.push_str(&sse_named(
                    "response.output_text.delta",
                    &json!({
                    "type": "response.output_text.delta", "item_id": "m", "output_index": 0,
                    "content_index": 0, "delta": p}),
                ));
            }
            s.push_str(&sse_named(
                "response.output_text.done",
                &json!({
                "type": "response.output_text.done", "item_id": "m", "output_index": 0,
                "content_index": 0, "text": text}),
            ));
            for (i, c) in calls.iter().enumerate() {
                let id = format!("fc_{i}");
                s.push_str(&sse_named(
                    "response.output_item.added",
                    &json!({
                    "type": "response.output_item.added", "output_index": i + 1, "item": {
                    "type": "function_call", "id": id, "call_id": id, "name": c.name,
                    "arguments": ""}}),
                ));
                for a in &c.args {
                    s.push_str(&sse_named(
                        "response.function_call_arguments.delta",
                        &json!({
                        "type": "response.function_call_arguments.delta", "item_id": id,
                        "output_index": i + 1, "delta": a}),
                    ));
                }
                s.push_str(&sse_named(
                    "response.function_call_arguments.done",
                    &json!({
                    "type": "response.function_call_arguments.done", "item_id": id,
                    "output_index": i + 1, "arguments": c.args.concat()}),
                ));
            }
            s.push_str(&sse_named(
                "response.completed",
                &json!({"type": "response.completed",
                "response": {"id": "r", "status": "completed", "output": [{"type": "message",
                "content": [{"type": "output_text", "text": text}]}]}}),
            ));
        }
        Format::Anthropic => {
            s.push_str(&sse_named(
                "message_start",
                &json!({"type": "message_start",
                "message": {"id": "m", "type": "message", "role": "assistant", "content": []}}),
            ));
            if !omit_starts {
                s.push_str(&sse_named(
                    "content_block_start",
                    &json!({"type": "content_block_start",
                    "index": 0, "content_block": {"type": "text", "text": ""}}),
                ));
            }
            for p in pieces {
                s.push_str(&sse_named(
                    "content_block_delta",
                    &json!({
                    "type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}}),
                ));
            }
            s.push_str(&sse_named(
                "content_block_stop",
                &json!({"type": "content_block_stop", "index": 0}),
            ));
            for (i, c) in calls.iter().enumerate() {
                s.push_str(&sse_named(
                    "content_block_start",
                    &json!({"type": "content_block_start",
                    "index": i + 1, "content_block": {"type": "tool_use", "id": format!("tu_{i}"),
                    "name": c.name, "input": {}}}),
                ));
                for a in &c.args {
                    s.push_str(&sse_named(
                        "content_block_delta",
                        &json!({
                        "type": "content_block_delta", "index": i + 1,
                        "delta": {"type": "input_json_delta", "partial_json": a}}),
                    ));
                }
                s.push_str(&sse_named(
                    "content_block_stop",
                    &json!({"type": "content_block_stop", "index": i + 1}),
                ));
            }
            s.push_str(&sse_named(
                "message_delta",
                &json!({"type": "message_delta",
                "delta": {"stop_reason": "end_turn"}}),
            ));
            s.push_str(&sse_named("message_stop", &json!({"type": "message_stop"})));
        }
        Format::OllamaNdjson => {
            for p in pieces {
                s.push_str(
                    &json!({"model": "m", "message": {"role": "assistant", "content": p},
                    "done": false})
                    .to_string(),
                );
                s.push('\n');
            }
            if !calls.is_empty() {
                let tc: Vec<_> = calls
                    .iter()
                    .map(|c| {
                        let args: serde_json::Value =
                            serde_json::from_str(&c.args.concat()).unwrap_or(json!({}));
                        json!({"function": {"name": c.name, "arguments": args}})
                    })
                    .collect();
                s.push_str(
                    &json!({"model": "m", "message": {"role": "assistant", "content": "",
                    "tool_calls": tc}, "done": false})
                    .to_string(),
                );
                s.push('\n');
            }
            s.push_str(
                &json!({"model": "m", "message": {"role": "assistant", "content": ""},
                "done": true})
                .to_string(),
            );
            s.push('\n');
        }
        Format::PlainJson => {
            let tc: Vec<_> = calls
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    json!({"id": format!("call_{i}"),
                "type": "function", "function": {"name": c.name, "arguments": c.args.concat()}})
                })
                .collect();
            let mut msg = json!({"role": "assistant", "content": text});
            if !tc.is_empty() {
                msg["tool_calls"] = json!(tc);
            }
            s = json!({"id": "c", "object": "chat.completion",
                "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}]})
            .to_string();
        }
        Format::Text => s = text,
    }
    s
}

// ---- target: the whole exchange -------------------------------------------------------------

/// The whole `Exchange` with random chunking of both bodies, trailers or not, every response
/// format, recipe-built or arbitrary bodies. A secret planted between spaces never reaches the
/// client under a redacting policy, whatever the chunking.
pub fn exchange(data: &[u8]) {
    let mut r = Recipe::new(data);
    let policy = r.below(POLICY_DOCS.len());
    let format = FORMATS
        .get(r.below(FORMATS.len()))
        .copied()
        .unwrap_or(Format::Text);
    let req_sizes = r.sizes(64);
    let resp_sizes = r.sizes(64);
    let req_trailers = r.one_in(4);
    let resp_trailers = r.one_in(4);
    let raw_response = r.one_in(5);
    let plant = r.one_in(2);
    let omit_starts = r.one_in(3);
    let piece_sizes = r.sizes(12);
    let before = r.text(40);
    let after = r.text(40);
    let request_text = r.text(12);
    let text = if plant {
        format!("{before} {PLANTED_SECRET} {after}")
    } else {
        format!("{before}{after}")
    };
    let pieces = cut_text(&text, &piece_sizes);
    let body = if raw_response {
        r.rest().to_vec()
    } else {
        answer(format, &pieces, &[], omit_starts).into_bytes()
    };
    let req = serde_json::json!({"model": "llama3.2:3b-instruct-q4_K_M", "stream": true,
        "messages": [{"role": "user", "content": request_text}]})
    .to_string();
    let Some(p) = policies().get(policy) else {
        return;
    };
    let seen = drive(
        p,
        &Side {
            headers: request_headers(format.path(), "application/json"),
            body: req.as_bytes(),
            sizes: req_sizes,
            trailers: req_trailers,
        },
        &Side {
            headers: response_headers(format.content_type()),
            body: &body,
            sizes: resp_sizes,
            trailers: resp_trailers,
        },
    );
    assert_reply_status(&seen);
    if plant && !raw_response && REDACTING.contains(&policy) && seen.upstream_body.is_some() {
        assert!(
            !contains(&seen.client_body, PLANTED_SECRET.as_bytes()),
            "planted secret reached the client ({format:?}, policy {policy})"
        );
    }
}

// ---- target: tool-call accumulation -----------------------------------------------------------

const TOOL_NAMES: &[&str] = &["get_weather", "search", "exfiltrate_data", "exec_shell"];

/// Tool calls streamed in every format with arguments in random fragments, under a blocking and
/// a stripping tool policy. A stripped call's name never reaches the client; a blocked call ends
/// the stream with the protocol's error and nothing of the call before it.
pub fn tool_calls(data: &[u8]) {
    let mut r = Recipe::new(data);
    let strip = r.one_in(2);
    let format = FORMATS
        .get(r.below(FORMATS.len() - 1))
        .copied()
        .unwrap_or(Format::OpenAiChat);
    let resp_sizes = r.sizes(64);
    let trailers = r.one_in(4);
    let ncalls = usize::from(r.byte() % 4);
    let mut calls = Vec::new();
    for _ in 0..ncalls {
        let name = TOOL_NAMES
            .get(r.below(TOOL_NAMES.len()))
            .copied()
            .unwrap_or("search");
        let args = if r.one_in(3) {
            r.text(10)
        } else {
            serde_json::json!({"query": r.text(6), "city": r.text(3)}).to_string()
        };
        let sizes = r.sizes(16);
        let frags = cut_text(&args, &sizes)
            .into_iter()
            .map(str::to_string)
            .collect();
        calls.push(Call { name, args: frags });
    }
    let text = r.text(20);
    let pieces = cut_text(&text, &[7]);
    let body = answer(format, &pieces, &calls, false);
    let policy = if strip { 5 } else { 4 };
    let Some(p) = policies().get(policy) else {
        return;
    };
    let req = serde_json::json!({"model": "llama3.2:3b-instruct-q4_K_M", "stream": true,
        "messages": [{"role": "user", "content": "weather?"}]})
    .to_string();
    let seen = drive(
        p,
        &Side {
            headers: request_headers(format.path(), "application/json"),
            body: req.as_bytes(),
            sizes: Vec::new(),
            trailers: false,
        },
        &Side {
            headers: response_headers(format.content_type()),
            body: body.as_bytes(),
            sizes: resp_sizes,
            trailers,
        },
    );
    assert_reply_status(&seen);
    let denied = ["exfiltrate_data", "exec_shell"];
    if strip && seen.upstream_body.is_some() {
        for d in denied {
            assert!(
                !contains(&seen.client_body, format!("\"{d}\"").as_bytes()),
                "stripped tool {d} reached the client ({format:?})"
            );
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Every target by name, for the harnesses.
/// A fuzz target: arbitrary bytes in, a panic only when an invariant breaks.
pub type Target = fn(&[u8]);

pub const TARGETS: &[(&str, Target)] = &[
    ("config", config),
    ("request", request),
    ("framers", framers),
    ("stream_redactor", stream_redactor),
    ("normalization", normalization),
    ("tool_calls", tool_calls),
    ("exchange", exchange),
];

/// Slowness: the input, repeated to 64 KiB (a fuzzer finds a short unit; repetition is what makes
/// a super-linear path slow), as a chat request's text, a JSON answer and an SSE answer at
/// 8-character events, through the default policy. Every input must stay within the work
/// budget plus the bounded overshoot of one meter check (a pass over the text charged up front,
/// one window); the wall-clock objective is libFuzzer's own (`-timeout`, `-report_slow_units`,
/// see `scripts/fuzz.sh`), which finds work the meter does not count.
pub fn slowness(data: &[u8]) {
    use llm_warden_engine::budget;
    use llm_warden_engine::replay::{self, Split};
    if data.is_empty() {
        return;
    }
    let unit = String::from_utf8_lossy(data);
    let text = unit.repeat((64 << 10) / unit.len().max(1) + 1);
    let policies = &policies()[0];
    let per_byte = policies.limits.work_units_per_byte;
    let escaped = serde_json::Value::String(text.clone()).to_string();
    let req = replay::post(
        "/v1/chat/completions",
        &format!(r#"{{"model": "m", "messages": [{{"role": "user", "content": {escaped}}}]}}"#),
    );
    let answer = format!(
        r#"{{"id": "c", "object": "chat.completion", "model": "m", "choices": [{{"index": 0, "message": {{"role": "assistant", "content": {escaped}}}, "finish_reason": "stop"}}]}}"#
    );
    let mut sse = String::new();
    let chars: Vec<char> = text.chars().collect();
    for piece in chars.chunks(8) {
        let p = serde_json::Value::String(piece.iter().collect()).to_string();
        sse.push_str(&format!(
            "data: {{\"id\": \"c\", \"object\": \"chat.completion.chunk\", \"model\": \"m\", \"choices\": [{{\"index\": 0, \"delta\": {{\"content\": {p}}}, \"finish_reason\": null}}]}}\n\n"
        ));
    }
    for (content_type, body) in [("application/json", answer), ("text/event-stream", sse)] {
        let ans = replay::answer(content_type, body.as_bytes());
        let ((), units) = budget::measure(|| {
            drop(replay::replay(
                Arc::clone(policies),
                &req,
                &|_| ans.clone(),
                &Split::Every(4096),
            ))
        });
        let len = (req.body.len() + ans.body.len()) as u64;
        let bound = per_byte * (len + (8 << 10)) + 4 * len + (64 << 10);
        assert!(units <= bound, "work {units} over the budget bound {bound}");
    }
}
