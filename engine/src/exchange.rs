//! One HTTP exchange through the engine: the sans-IO state machine the adapters drive.
//!
//! The adapter feeds request headers, request body chunks, response headers and response body
//! chunks (trailers count as end of body) and applies the [`Verdict`] it gets back. Request bodies
//! are held whole (bounded by `limits.max_request_body_bytes`) and decided at their end; request
//! headers are held with them so `content-length` can be corrected when the body changes. Streamed
//! responses pass chunk by chunk through a [`StreamProcessor`]; non-streamed JSON responses are
//! held whole (bounded) with their headers.

use std::sync::Arc;

use serde_json::Value;

use crate::api::errors::{error_body, Refusal};
use crate::api::{request, walk, ApiKind};
use crate::audit::{fingerprint, AuditEvent, Category, Outcome, Phase};
use crate::budget::{self, Meter};
use crate::config::{Mode, OnLimit, Policies, Policy, RequestKey};
use crate::framing::bytes;
use crate::framing::choice::{choose, Framing, SNIFF_LIMIT};
use crate::injection::{self, InjectionReport};
use crate::mcp::{self, McpExchange};
use crate::models::{EndpointDecision, ModelDecision, ModelNaming};
use crate::response::events::EventStream;
use crate::response::{self, Ctx, StreamProcessor};
use crate::secrets::{JoinedRedaction, TextsRedaction};
use crate::text::{ScanText, TextKind};
use crate::tools::{OfferedToolAction, ToolDecision};

/// A reply the filter sends itself instead of the upstream's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The stable code (`prompt_injection_detected`, ...), for metrics.
    pub code: &'static str,
}

/// What the host should do with the headers or body chunk it just delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Pass on unchanged.
    Continue,
    /// Hold (and, for bodies, keep buffering); the engine will decide at the end of the body.
    Pause,
    /// Replace the bytes the host holds for this body (the current chunk when streaming, the whole
    /// buffered body otherwise) with these, then continue.
    Replace(Vec<u8>),
    /// Answer locally; nothing more goes upstream or downstream.
    Reply(LocalReply),
    /// The inspection of the request body is not finished: hold the body as for `Pause`, let
    /// the host's event loop run, then call [`Exchange::resume`] for the verdict (which may be
    /// `Yield` again). A large request is inspected in slices of `limits.slice_work_units` so
    /// that one request does not hold a worker that cannot preempt it (the wasm host); where
    /// the slices end changes no decision, byte or audit event.
    Yield,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub action: Action,
    /// Headers to set (on the message whose headers are held, or were just delivered).
    pub set_headers: Vec<(String, String)>,
    pub remove_headers: Vec<String>,
}

impl Verdict {
    fn of(action: Action) -> Self {
        Self {
            action,
            set_headers: Vec::new(),
            remove_headers: Vec::new(),
        }
    }
    fn cont() -> Self {
        Self::of(Action::Continue)
    }
}

enum ResponseMode {
    /// Nothing to do on this response.
    Pass,
    /// Whole body held, then processed (JSON answers, listings).
    Buffered(Vec<u8>),
    Stream(Box<dyn StreamProcessor>),
    /// A block was sent mid-stream: everything after it is dropped.
    Terminated,
    /// The framing is not chosen yet: the first bytes (held) decide it (`framing::choice`).
    Sniff {
        content_type: String,
        seen: Vec<u8>,
    },
}

/// One request/response exchange.
pub struct Exchange {
    policies: Arc<Policies>,
    policy: usize,
    api: ApiKind,
    path: String,
    /// Body fields naming models on an administrative endpoint the policy allows (each must be
    /// admitted); empty otherwise.
    admin_model_fields: &'static [&'static str],
    req_body: Vec<u8>,
    req_inspect: bool,
    req_done: bool,
    /// Whether the request asked for a streamed answer (its client parses what it asked for).
    stream_requested: Option<bool>,
    replied: bool,
    response: ResponseMode,
    audit: Vec<AuditEvent>,
    /// The response's work budget (`crate::budget`), earned per byte received.
    response_meter: Option<Meter>,
    /// Set on the routes `mcp.routes` marks: the exchange is MCP JSON-RPC (see [`crate::mcp`]).
    mcp: Option<Box<McpExchange>>,
    /// The request body's inspection while it is under way across calls (see [`Action::Yield`]).
    inspection: Option<Box<Inspection>>,
}

/// A request body's inspection, carried between [`Exchange::resume`] calls: its work budget
/// and the stage it reached.
struct Inspection {
    meter: Meter,
    stage: Stage,
}

/// The stages of a request body's inspection, in order, held as data so that the inspection can
/// stop where a slice ends and go on in the next call (see `Exchange::advance`).
enum Stage {
    /// The body as it came: parsed, models admitted, offered tools governed, texts collected.
    Parse(Vec<u8>),
    /// Prompt injection judged over `texts`, a step of the scan at a time.
    Injection {
        body: Inspected,
        texts: Vec<ScanText>,
        scan: Box<injection::Scan>,
        changed: bool,
    },
    /// Secrets leaving for the upstream redacted: the texts collected next.
    Secrets { body: Inspected, changed: bool },
    /// Secrets leaving for the upstream redacted, a step of the redaction at a time.
    Redacting(Box<Redacting>),
    /// The changed document re-encoded.
    Encode(Value),
}

/// The secrets stage under way: the texts (and object keys) as they came, where they sit, and
/// their redaction (`secrets::TextsRedaction`). The document's texts are moved into `texts`
/// (its keys copied) and put back only when it is re-encoded.
struct Redacting {
    body: Inspected,
    changed: bool,
    texts: Vec<String>,
    redaction: TextsRedaction,
}

/// What the inspection reads: the parsed document, or a body that is not JSON, read as text.
enum Inspected {
    Json(Value),
    Text(String),
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Whether a `content-encoding` value means the body is transformed.
fn is_encoded(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        !v.is_empty() && !v.eq_ignore_ascii_case("identity")
    })
}

impl Exchange {
    pub fn new(policies: Arc<Policies>) -> Self {
        Self {
            policies,
            policy: 0,
            api: ApiKind::Unknown,
            path: String::new(),
            admin_model_fields: &[],
            req_body: Vec::new(),
            req_inspect: true,
            req_done: false,
            stream_requested: None,
            replied: false,
            response: ResponseMode::Pass,
            audit: Vec::new(),
            response_meter: None,
            mcp: None,
            inspection: None,
        }
    }

    fn policy(&self) -> &Policy {
        self.policies.policy(self.policy)
    }

    pub fn policy_name(&self) -> &str {
        &self.policy().name
    }

    pub fn api(&self) -> ApiKind {
        self.api
    }

    fn enforce(&self) -> bool {
        self.policy().mode == Mode::Enforce
    }

    /// Audit events produced so far (the adapter logs and counts them, then they are gone).
    pub fn take_audit(&mut self) -> Vec<AuditEvent> {
        std::mem::take(&mut self.audit)
    }

    fn event(
        &mut self,
        rule_id: &str,
        category: Category,
        phase: Phase,
        outcome: Outcome,
        location: &str,
    ) {
        self.audit.push(AuditEvent::decision(
            rule_id, category, phase, outcome, location,
        ));
    }

    /// Builds the local reply for a refusal (in monitor mode the caller does not get here).
    fn reply(&mut self, r: &Refusal) -> Verdict {
        self.replied = true;
        let body = if self.mcp.is_some() {
            // On an MCP route the client reads JSON-RPC: the refusal (a limit, an encoding) is an
            // error with a null id, which the SDKs pair with the pending request.
            mcp::jsonrpc::refusal_body(None, r).to_string().into_bytes()
        } else {
            error_body(self.api.dialect(), r).into_bytes()
        };
        let mut headers = vec![
            ("content-type".to_string(), "application/json".to_string()),
            ("x-llm-warden-code".to_string(), r.code.to_string()),
        ];
        if !r.rules.is_empty() {
            headers.push(("x-llm-warden-rules".to_string(), r.rules.join(",")));
        }
        Verdict::of(Action::Reply(LocalReply {
            status: r.status,
            headers,
            body,
            code: r.code,
        }))
    }

    /// A refusal that monitor mode turns into a logged pass. Returns the verdict to apply, or
    /// None when traffic goes on.
    fn refuse(
        &mut self,
        r: Refusal,
        category: Category,
        phase: Phase,
        location: &str,
    ) -> Option<Verdict> {
        let enforce = self.enforce();
        self.audit
            .extend(r.audit_events(category, phase, enforce, location));
        enforce.then(|| self.reply(&r))
    }

    // ---- request ------------------------------------------------------------------------------

    /// Request headers (`:method`, `:path`, `:authority` included as pseudo-headers).
    pub fn on_request_headers(
        &mut self,
        headers: &[(String, String)],
        end_of_stream: bool,
    ) -> Verdict {
        self.path = header(headers, ":path").unwrap_or("/").to_string();
        let authority = header(headers, ":authority")
            .or_else(|| header(headers, "host"))
            .unwrap_or("");
        let key = RequestKey {
            path: &self.path,
            authority,
            headers,
        };
        self.policy = self.policies.select(&key);
        if self.policies.mcp.matches(&key) {
            self.mcp = Some(Box::new(McpExchange::new(headers)));
        }
        self.api = ApiKind::from_path(&self.path);
        let plain_path = self.path.split('?').next().unwrap_or("").to_string();

        match self.policy().models.endpoint(&self.path) {
            EndpointDecision::Deny { rule_id, message } => {
                let r = Refusal::new(403, "model_change_not_allowed", message)
                    .with_rules(vec![rule_id]);
                if let Some(v) = self.refuse(r, Category::Model, Phase::RequestHeaders, &plain_path)
                {
                    return v;
                }
            }
            EndpointDecision::Allowed { model_fields } => self.admin_model_fields = model_fields,
            EndpointDecision::NotAdmin => {}
        }
        if let Some(v) = self.admit_path_model() {
            return v;
        }

        if is_encoded(header(headers, "content-encoding")) && !end_of_stream {
            let r = Refusal::new(
                415,
                "unsupported_content_encoding",
                "compressed request bodies cannot be inspected; send them uncompressed",
            );
            if let Some(v) = self.refuse(
                r,
                Category::Input,
                Phase::RequestHeaders,
                "content-encoding",
            ) {
                return v;
            }
            self.req_inspect = false;
        }

        // Upstream compression would hide the response from inspection: ask for identity.
        let mut verdict = Verdict::cont();
        verdict
            .set_headers
            .push(("accept-encoding".into(), "identity".into()));
        if end_of_stream {
            self.req_done = true;
            if self.mcp.is_some() {
                return self.with_mcp(verdict, |m, env| m.on_request_without_body(env));
            }
            return verdict;
        }
        let limits = &self.policies.limits;
        let declared =
            header(headers, "content-length").and_then(|v| v.trim().parse::<usize>().ok());
        if declared.is_some_and(|n| n > limits.max_request_body_bytes) {
            if let Some(v) = self.over_limit() {
                return v;
            }
            return verdict;
        }
        if self.req_inspect {
            // Envoy turns a paused headers callback into "stop all iteration": the body would
            // never reach the filter. So headers go on now, and since the body may change length,
            // its length goes with them: the upstream gets a chunked body.
            verdict.remove_headers.push("content-length".into());
        }
        verdict
    }

    /// The request body is larger than the limit: refuse, or (if configured) pass it uninspected.
    fn over_limit(&mut self) -> Option<Verdict> {
        let max = self.policies.limits.max_request_body_bytes;
        let on_limit = self.policies.limits.on_limit;
        self.req_inspect = false;
        self.req_body = Vec::new();
        match on_limit {
            OnLimit::Block => {
                let r = Refusal::new(
                    413,
                    "request_too_large",
                    format!("request body exceeds the inspection limit of {max} bytes"),
                );
                self.refuse(r, Category::Limit, Phase::RequestBody, "body")
            }
            OnLimit::Pass => {
                self.event(
                    "limits.max_request_body_bytes",
                    Category::Limit,
                    Phase::RequestBody,
                    Outcome::Allowed,
                    "body",
                );
                None
            }
        }
    }

    /// A request body chunk (only the bytes not seen before).
    pub fn on_request_body(&mut self, chunk: &[u8], end_of_stream: bool) -> Verdict {
        if self.replied || !self.req_inspect || self.req_done {
            return Verdict::cont();
        }
        if self.req_body.len().saturating_add(chunk.len())
            > self.policies.limits.max_request_body_bytes
        {
            return self.over_limit().unwrap_or_else(Verdict::cont);
        }
        self.req_body.extend_from_slice(chunk);
        if !end_of_stream {
            return Verdict::of(Action::Pause);
        }
        self.req_done = true;
        self.inspect_request()
    }

    /// Request trailers: the body is complete (on HTTP/2 with trailers, end of stream never comes
    /// with the data).
    pub fn on_request_trailers(&mut self) -> Verdict {
        self.on_request_body(&[], true)
    }

    fn inspect_request(&mut self) -> Verdict {
        let body = std::mem::take(&mut self.req_body);
        // The work budget: proportional to the body, within [4 KiB, max_inspected_text_bytes]
        // (media do not buy more inspection work than the text limit allows).
        let limits = &self.policies.limits;
        let sized = body.len().clamp(
            BUDGET_FLOOR_BYTES,
            limits.max_inspected_text_bytes.max(BUDGET_FLOOR_BYTES),
        );
        let meter = Meter::new(
            limits
                .work_units_per_byte
                .saturating_mul(u64::try_from(sized).unwrap_or(u64::MAX)),
        );
        self.inspection = Some(Box::new(Inspection {
            meter,
            stage: Stage::Parse(body),
        }));
        self.run_slice(self.policies.limits.slice_work_units)
    }

    /// Goes on with a request body's inspection after [`Action::Yield`]: the verdict, or `Yield`
    /// again when the next slice of work units is spent too. Nothing to resume: `Continue`.
    pub fn resume(&mut self) -> Verdict {
        self.run_slice(self.policies.limits.resume_work_units)
    }

    /// A slice of the request body's inspection, of `slice` work units (see [`Self::resume`]).
    fn run_slice(&mut self, slice: u64) -> Verdict {
        let Some(mut inspection) = self.inspection.take() else {
            return Verdict::cont();
        };
        let mut meter = inspection.meter;
        let decided = meter.run(|| self.advance(&mut inspection.stage, slice));
        if meter.exhausted() {
            return self.over_budget(Phase::RequestBody);
        }
        match decided {
            Some(v) => v,
            None => {
                inspection.meter = meter;
                self.inspection = Some(inspection);
                Verdict::of(Action::Yield)
            }
        }
    }

    /// Resumes until the verdict is not [`Action::Yield`]: for callers with no event loop to
    /// return to between slices (replay, the CLI, tests, the ext_proc server).
    pub fn until_decided(&mut self, mut v: Verdict) -> Verdict {
        while v.action == Action::Yield {
            v = self.resume();
        }
        v
    }

    /// Runs the inspection's stages from `stage` on until one decides (Some) or this call's
    /// slice of work units is spent (None: `stage` holds where to go on). Within the meter's
    /// `run`, so `budget::slice_clock` counts this call's units. Once the budget is exhausted the
    /// inspection runs to its end in this call (the detectors stop at once), as it would have
    /// unsliced.
    fn advance(&mut self, stage: &mut Stage, slice: u64) -> Option<Verdict> {
        let slice_spent = || !budget::exhausted() && budget::slice_clock() >= slice;
        loop {
            let current = std::mem::replace(stage, Stage::Parse(Vec::new()));
            let next = match current {
                Stage::Parse(body) => {
                    // Parsing is not charged, but counted: a large body's parse ends its slice,
                    // and the injection scan starts in the next one.
                    budget::count(body.len().saturating_mul(PARSE_UNITS));
                    self.begin_request_body(&body)
                }
                Stage::Injection {
                    body,
                    texts,
                    mut scan,
                    changed,
                } => {
                    let policies = Arc::clone(&self.policies);
                    let detector = &policies.policy(self.policy).injection;
                    loop {
                        if let Some(report) = scan.step(detector, &texts) {
                            break self
                                .judge_report(&texts, &report)
                                .map(|()| Stage::Secrets { body, changed });
                        }
                        if slice_spent() {
                            break Ok(Stage::Injection {
                                body,
                                texts,
                                scan,
                                changed,
                            });
                        }
                    }
                }
                Stage::Secrets { body, changed } => self.collect_request_secrets(body, changed),
                Stage::Redacting(mut r) => {
                    let policies = Arc::clone(&self.policies);
                    let scanner = policies.policy(self.policy).secrets.for_requests();
                    loop {
                        let before = budget::slice_clock();
                        let done = r.redaction.step(scanner, &r.texts);
                        let spent = budget::slice_clock().saturating_sub(before);
                        budget::count_units(spent.saturating_mul(SECRETS_CLOCK_WEIGHT - 1));
                        if let Some(done) = done {
                            break self.redact_request_secrets(*r, done);
                        }
                        if slice_spent() {
                            break Ok(Stage::Redacting(r));
                        }
                    }
                }
                Stage::Encode(doc) => Err(match serde_json::to_vec(&doc) {
                    Ok(bytes) => Verdict::of(Action::Replace(bytes)),
                    Err(_) => self.reply(&Refusal::new(
                        500,
                        "internal_error",
                        "could not re-encode the request",
                    )),
                }),
            };
            match next {
                Err(decided) => return Some(decided),
                Ok(next) => *stage = next,
            }
            if slice_spent() {
                return None;
            }
        }
    }

    /// The work budget ran out: the request is refused (or, in monitor mode, logged and passed);
    /// what the detectors found before is not acted on, and nothing goes on half-inspected.
    fn over_budget(&mut self, phase: Phase) -> Verdict {
        // The secrets scanner's own fail-closed masks are this same event.
        self.audit
            .retain(|e| e.rule_id != crate::secrets::BUDGET_EXCEEDED);
        self.replied = false;
        let r = Refusal::new(
            413,
            "inspection_budget_exceeded",
            "the request needs more inspection work than the configured budget allows",
        )
        .with_rules(vec![crate::secrets::BUDGET_EXCEEDED.to_string()]);
        self.refuse(r, Category::Limit, phase, "body")
            .unwrap_or_else(Verdict::cont)
    }

    /// The first stage: the body parsed and checked, models admitted, offered tools governed,
    /// the texts to judge collected. Err is the verdict when the inspection ends here.
    fn begin_request_body(&mut self, body: &[u8]) -> Result<Stage, Verdict> {
        if self.mcp.is_some() {
            return Err(self.with_mcp(Verdict::cont(), |m, env| m.on_request_body(env, body)));
        }
        let phase = Phase::RequestBody;
        let max_depth = self.policies.limits.max_json_depth;
        let parsed: Option<Value> = match request::parse(body) {
            Ok(v) => Some(v),
            Err(request::BodyError::DuplicateKey(key)) => {
                // Valid JSON that upstreams may read differently from the engine (see
                // api::request): refused on every path, since the engine reads it as JSON.
                let r = Refusal::new(
                    400,
                    "invalid_request_body",
                    format!("request body has an ambiguous key: {key} appears twice in one object"),
                );
                if let Some(v) = self.refuse(r, Category::Input, phase, "body") {
                    return Err(v);
                }
                serde_json::from_slice::<Value>(body).ok()
            }
            Err(e) => {
                if self.api != ApiKind::Unknown && !body.trim_ascii().is_empty() {
                    let msg = if e == request::BodyError::TooDeep {
                        "request body is nested too deeply".to_string()
                    } else {
                        "request body is not valid JSON".to_string()
                    };
                    let r = Refusal::new(400, "invalid_request_body", msg);
                    if let Some(v) = self.refuse(r, Category::Input, phase, "body") {
                        return Err(v);
                    }
                }
                None
            }
        };
        let Some(mut doc) = parsed else {
            return self.begin_text_body(body);
        };
        self.stream_requested = Some(request::wants_stream(&doc, self.api.is_ollama()));
        if walk::depth(&doc) > max_depth {
            let r = Refusal::new(
                400,
                "invalid_request_body",
                format!("request body is nested deeper than {max_depth} levels"),
            );
            if let Some(v) = self.refuse(r, Category::Input, phase, "body") {
                return Err(v);
            }
        }
        if let Some(key) = request::ambiguous_key(&doc) {
            let r = Refusal::new(
                400,
                "invalid_request_body",
                format!(
                    "request body has an ambiguous key {key}: keys are case-sensitive, and an \
                     upstream that matches them case-insensitively could read it in place of a \
                     field this gateway checks"
                ),
            );
            if let Some(v) = self.refuse(r, Category::Input, phase, "body") {
                return Err(v);
            }
        }
        let mut changed = false;

        // The stages, in order: each refuses (Err) or goes on.
        changed |= self.admit_models(&mut doc)?;
        changed |= self.govern_offered_tools(&mut doc)?;
        let Some(texts) = self.injection_texts(&mut doc)? else {
            // Over the text limit with `limits.on_limit: pass`: the body goes on uninspected.
            return Err(Verdict::cont());
        };
        // Then judge_injection, redact_request_secrets and re-encoding (`advance`).
        Ok(Stage::Injection {
            body: Inspected::Json(doc),
            texts,
            scan: Box::default(),
            changed,
        })
    }

    /// Stage judge_injection, its start: every text the model will read, as it reads them (each
    /// in its position), within `limits.max_inspected_text_bytes`. Ok(None): over that limit
    /// with `on_limit: pass`, the rest of the inspection is skipped.
    fn injection_texts(&mut self, doc: &mut Value) -> Result<Option<Vec<ScanText>>, Verdict> {
        let phase = Phase::RequestBody;
        let api = self.api;
        let texts = walk::scan_texts(doc, api);
        // What is inspected is bounded apart from the body (whose media pass through).
        let inspected: usize = texts.iter().map(|t| t.text.len()).sum();
        let max_text = self.policies.limits.max_inspected_text_bytes;
        if inspected > max_text {
            return match self.policies.limits.on_limit {
                OnLimit::Block => {
                    let r = Refusal::new(
                        413,
                        "request_too_large",
                        format!(
                            "the request's text exceeds the inspection limit of {max_text} bytes"
                        ),
                    )
                    .with_rules(vec!["limits.max_inspected_text_bytes".to_string()]);
                    match self.refuse(r, Category::Limit, phase, "body") {
                        Some(v) => Err(v),
                        None => Ok(None),
                    }
                }
                OnLimit::Pass => {
                    self.event(
                        "limits.max_inspected_text_bytes",
                        Category::Limit,
                        phase,
                        Outcome::Allowed,
                        "body",
                    );
                    Ok(None)
                }
            };
        }
        Ok(Some(texts))
    }

    /// Stage: secrets leaving for the upstream, its start: the texts (and object keys) as they
    /// came and where they sit, to be redacted each on its own and across the joins of
    /// consecutive texts (a secret split between messages, secrets::joins); a body read as text
    /// is one text.
    fn collect_request_secrets(
        &mut self,
        body: Inspected,
        changed: bool,
    ) -> Result<Stage, Verdict> {
        if !self.policy().secrets.request {
            return match body {
                Inspected::Json(doc) if changed => Ok(Stage::Encode(doc)),
                _ => Err(Verdict::cont()),
            };
        }
        let api = self.api;
        let mut texts: Vec<String> = Vec::new();
        let body = match body {
            Inspected::Json(mut doc) => {
                // The texts move out of the document (no copy), to be put back if it is
                // re-encoded (`redact_request_secrets`); a key stays, so it is copied.
                walk::visit_redactable(&mut doc, api, &mut |s, slot, _| {
                    texts.push(match slot {
                        walk::Slot::Text => std::mem::take(s),
                        walk::Slot::Key => s.clone(),
                    });
                });
                Inspected::Json(doc)
            }
            Inspected::Text(text) => {
                texts.push(text);
                Inspected::Text(String::new())
            }
        };
        Ok(Stage::Redacting(Box::new(Redacting {
            body,
            changed,
            texts,
            redaction: TextsRedaction::new(),
        })))
    }

    /// Stage: secrets leaving for the upstream, its end: the redaction audited and applied in
    /// place (or the request refused by a `block` rule). A changed document gets its texts back
    /// (redacted, or as they came) and is re-encoded next.
    fn redact_request_secrets(
        &mut self,
        redacting: Redacting,
        r: JoinedRedaction,
    ) -> Result<Stage, Verdict> {
        let Redacting {
            mut body,
            changed,
            texts,
            ..
        } = redacting;
        let enforce = self.enforce();
        let mut block: Option<String> = None;
        // Where each text sits, for the audit: found again only when something matched (the
        // same walk as `collect_request_secrets`, in the same order; the texts are still out).
        let mut locs: Vec<String> = Vec::new();
        if !r.matches.is_empty() {
            match &mut body {
                Inspected::Json(doc) => {
                    // The visitor changes nothing, so no key is renamed.
                    walk::visit_redactable(doc, self.api, &mut |_, _, loc| {
                        locs.push(loc.to_string());
                    });
                }
                Inspected::Text(_) => locs.push("body".to_string()),
            }
        }
        let at = |i: usize| locs.get(i).map_or("", String::as_str);
        for m in &r.matches {
            let location = if m.first == m.last {
                at(m.first).to_string()
            } else {
                format!("{}+{}", at(m.first), at(m.last))
            };
            let event = m.secret.judge_in_request(enforce, location, &mut block);
            self.audit.push(event);
        }
        if let Some(rule) = block {
            return Err(self.reply(&Refusal::secret_in_request(rule)));
        }
        let rewrite = enforce && r.texts != texts;
        match body {
            Inspected::Json(mut doc) => {
                if rewrite || changed {
                    let api = self.api;
                    let back = if rewrite { r.texts } else { texts };
                    let mut next = back.into_iter();
                    walk::visit_redactable(&mut doc, api, &mut |s, _, _| {
                        if let Some(t) = next.next() {
                            *s = t;
                        }
                    });
                    Ok(Stage::Encode(doc))
                } else {
                    Err(Verdict::cont())
                }
            }
            Inspected::Text(_) if rewrite => Err(Verdict::of(Action::Replace(
                r.texts.into_iter().next().unwrap_or_default().into_bytes(),
            ))),
            Inspected::Text(_) => Err(Verdict::cont()),
        }
    }

    /// Unknown, non-JSON bodies: scanned as text, never skipped (within the text limit).
    fn begin_text_body(&mut self, body: &[u8]) -> Result<Stage, Verdict> {
        let max_text = self.policies.limits.max_inspected_text_bytes;
        if body.len() > max_text {
            return Err(self.over_limit().unwrap_or_else(Verdict::cont));
        }
        let text = String::from_utf8_lossy(body).into_owned();
        Ok(Stage::Injection {
            texts: vec![ScanText::new(text.clone(), TextKind::Unparsed, "body")],
            body: Inspected::Text(text),
            scan: Box::default(),
            changed: false,
        })
    }

    /// Stage judge_injection, its end: the scan's findings audited, the request refused when
    /// they block.
    fn judge_report(
        &mut self,
        texts: &[ScanText],
        report: &InjectionReport,
    ) -> Result<(), Verdict> {
        if report.findings.is_empty() {
            return Ok(());
        }
        let blocking = report.block && self.enforce();
        let mut rules = Vec::new();
        for f in &report.findings {
            let location = texts
                .get(f.text_index)
                .map(|t| format!("{}@{}", t.location, f.start))
                .unwrap_or_default();
            let hash = texts
                .get(f.text_index)
                .and_then(|t| t.text.get(f.start..f.end))
                .map(|m| fingerprint(m.as_bytes()))
                .unwrap_or_default();
            let outcome = if blocking && !f.monitor_only {
                Outcome::Blocked
            } else {
                Outcome::Monitored
            };
            self.audit.push(AuditEvent {
                rule_id: f.rule_id.clone(),
                category: Category::PromptInjection,
                phase: Phase::RequestBody,
                outcome,
                location,
                match_hash: hash,
                score: Some(f.score),
            });
            if !rules.contains(&f.rule_id) {
                rules.push(f.rule_id.clone());
            }
        }
        if blocking {
            let r = Refusal::new(
                403,
                "prompt_injection_detected",
                "the request was blocked because it looks like a prompt-injection attempt",
            )
            .with_rules(rules);
            return Err(self.reply(&r));
        }
        Ok(())
    }

    /// Ollama-native paths speak Ollama names; every other path may be served by Ollama or by
    /// an OpenAI/Anthropic-style upstream, so its names are read both ways.
    fn naming(&self) -> ModelNaming {
        if self.api.is_ollama() {
            ModelNaming::Ollama
        } else {
            ModelNaming::Compatible
        }
    }

    /// `/v1/models/{id}` names its model in the path. An id the policy refuses is refused here
    /// like a request for it (403 `model_not_allowed` / `model_not_pinned`, the reason a chat
    /// request for the same name gets), so retrieval never reaches the upstream and reveals no
    /// more than the filtered listing. A 404 `model_not_found` would mimic an unknown model,
    /// but one answer per name, whatever the endpoint, is simpler to reason about and to audit.
    /// An approved id or an alias passes unchanged.
    fn admit_path_model(&mut self) -> Option<Verdict> {
        if self.api != ApiKind::OpenAiModel {
            return None;
        }
        let id = crate::api::model_in_path(&self.path)?;
        match self.policy().models.admit(&id, self.naming()) {
            ModelDecision::Deny {
                code,
                rule_id,
                message,
            } => {
                let r = Refusal::new(403, code, message).with_rules(vec![rule_id]);
                self.refuse(r, Category::Model, Phase::RequestHeaders, "path")
            }
            ModelDecision::Allow | ModelDecision::Rewrite(_) => None,
        }
    }

    fn admit_models(&mut self, doc: &mut Value) -> Result<bool, Verdict> {
        let phase = Phase::RequestBody;
        let names: Vec<String> = if self.admin_model_fields.is_empty() {
            request::requested_models(doc, self.api)
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            // An administrative endpoint the policy allows: every model name it touches must
            // itself be admitted.
            self.admin_model_fields
                .iter()
                .filter_map(|k| doc.get(*k).and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        };
        if names.is_empty() && self.api.runs_named_model() {
            if let ModelDecision::Deny {
                code,
                rule_id,
                message,
            } = self.policy().models.admit_missing()
            {
                let r = Refusal::new(403, code, message).with_rules(vec![rule_id]);
                if let Some(v) = self.refuse(r, Category::Model, phase, "model") {
                    return Err(v);
                }
            }
        }
        let mut changed = false;
        for name in names {
            let naming = self.naming();
            match self.policy().models.admit(&name, naming) {
                ModelDecision::Allow => {}
                ModelDecision::Rewrite(to) => {
                    if self.enforce() {
                        request::set_model(doc, &to);
                        changed = true;
                        self.event(
                            "models.aliases",
                            Category::Model,
                            phase,
                            Outcome::Rewritten,
                            "model",
                        );
                    } else {
                        self.event(
                            "models.aliases",
                            Category::Model,
                            phase,
                            Outcome::Monitored,
                            "model",
                        );
                    }
                }
                ModelDecision::Deny {
                    code,
                    rule_id,
                    message,
                } => {
                    let r = Refusal::new(403, code, message).with_rules(vec![rule_id]);
                    if let Some(v) = self.refuse(r, Category::Model, phase, "model") {
                        return Err(v);
                    }
                }
            }
        }
        Ok(changed)
    }

    fn govern_offered_tools(&mut self, doc: &mut Value) -> Result<bool, Verdict> {
        let phase = Phase::RequestBody;
        let offered = request::offered_tools(doc);
        if offered.is_empty() && request::forced_tool(doc).is_none() {
            return Ok(false);
        }
        let tools = &self.policies.policy(self.policy).tools;
        let monitor = tools.monitor() || !self.enforce();
        let on_offered = tools.on_offered();
        let mut denied = Vec::new();
        for name in &offered {
            if let ToolDecision::Deny { rule_id, reason } = tools.check_name(name) {
                denied.push((name.clone(), rule_id, reason));
            }
        }
        let forced = request::forced_tool(doc);
        let forced_denied = forced
            .as_deref()
            .is_some_and(|f| matches!(tools.check_name(f), ToolDecision::Deny { .. }));
        if denied.is_empty() && !forced_denied {
            return Ok(false);
        }
        if monitor {
            for (name, rule, _) in &denied {
                self.event(
                    rule,
                    Category::Tool,
                    phase,
                    Outcome::Monitored,
                    &format!("tools[{name}]"),
                );
            }
            return Ok(false);
        }
        if forced_denied || on_offered == OfferedToolAction::Reject {
            let reason = match (&forced, forced_denied) {
                (Some(f), true) => format!("tool_choice forces tool {f}, which is not allowed"),
                _ => denied
                    .first()
                    .map(|(_, _, reason)| reason.clone())
                    .unwrap_or_else(|| "a requested tool is not allowed".into()),
            };
            let rules: Vec<String> = if denied.is_empty() {
                vec!["tools.tool_choice".into()]
            } else {
                denied.iter().map(|(_, r, _)| r.clone()).collect()
            };
            for rule in &rules {
                self.event(rule, Category::Tool, phase, Outcome::Blocked, "tools");
            }
            return Err(
                self.reply(&Refusal::new(403, "tool_not_allowed", reason).with_rules(rules))
            );
        }
        let denied_names: Vec<String> = denied.iter().map(|(n, _, _)| n.clone()).collect();
        let removed = request::strip_tools(doc, &|n| !denied_names.iter().any(|d| d == n));
        for (name, rule, _) in &denied {
            self.event(
                rule,
                Category::Tool,
                phase,
                Outcome::Stripped,
                &format!("tools[{name}]"),
            );
        }
        Ok(!removed.is_empty())
    }

    // ---- response -----------------------------------------------------------------------------

    /// Response headers (`:status` included).
    pub fn on_response_headers(
        &mut self,
        headers: &[(String, String)],
        end_of_stream: bool,
    ) -> Verdict {
        if self.replied {
            // Our own local reply passing back through the filter chain.
            return Verdict::cont();
        }
        let content_type = header(headers, "content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let listing = matches!(self.api, ApiKind::OpenAiModels | ApiKind::OllamaTags);
        if end_of_stream {
            self.response = ResponseMode::Pass;
            return Verdict::cont();
        }
        if is_encoded(header(headers, "content-encoding")) {
            let r = Refusal::new(
                502,
                "upstream_response_encoded",
                "the upstream answered with a compressed body, which cannot be inspected",
            );
            if let Some(v) = self.refuse(
                r,
                Category::Input,
                Phase::ResponseHeaders,
                "content-encoding",
            ) {
                return v;
            }
            self.response = ResponseMode::Pass;
            return Verdict::cont();
        }
        let mut verdict = Verdict::cont();
        if let Some(m) = self.mcp.as_mut() {
            m.on_response_headers(&content_type, end_of_stream);
            verdict.remove_headers.push("content-length".into());
            return verdict;
        }
        self.response = if listing {
            ResponseMode::Buffered(Vec::new())
        } else {
            ResponseMode::Sniff {
                content_type,
                seen: Vec::new(),
            }
        };
        // The body may change length, and Envoy cannot hold headers while the filter reads the
        // body (a paused headers callback stops the body callbacks too).
        verdict.remove_headers.push("content-length".into());
        verdict
    }

    /// A response body chunk (only the bytes not seen before).
    pub fn on_response_body(&mut self, chunk: &[u8], end_of_stream: bool) -> Verdict {
        // The response earns work as its bytes arrive (a long stream is not a slow one; a
        // super-linear path on it runs out), from a floor granted with the first chunk.
        let per_byte = self.policies.limits.work_units_per_byte;
        let mut meter = self
            .response_meter
            .unwrap_or_else(|| Meter::new(per_byte.saturating_mul(BUDGET_FLOOR_BYTES as u64)));
        meter.grant(per_byte.saturating_mul(u64::try_from(chunk.len()).unwrap_or(u64::MAX)));
        let v = meter.run(|| self.response_body(chunk, end_of_stream));
        self.response_meter = Some(meter);
        v
    }

    fn response_body(&mut self, chunk: &[u8], end_of_stream: bool) -> Verdict {
        if self.mcp.is_some() && !self.replied {
            return self.with_mcp(Verdict::cont(), |m, env| {
                m.on_response_body(env, chunk, end_of_stream)
            });
        }
        let policies = Arc::clone(&self.policies);
        let policy = policies.policy(self.policy);
        let enforce = self.enforce();
        let api = self.api;
        match &mut self.response {
            ResponseMode::Sniff { content_type, seen } => {
                // The first chunk usually decides alone: then it is read as it came (no copy).
                let held = !seen.is_empty();
                if held {
                    seen.extend_from_slice(chunk);
                }
                let bytes = if held { seen.as_slice() } else { chunk };
                let complete = end_of_stream || bytes.len() >= SNIFF_LIMIT;
                let lines = self.stream_requested == Some(true) && self.api.is_ollama();
                let Some(framing) = choose(content_type, lines, bytes, complete) else {
                    if !held {
                        seen.extend_from_slice(chunk);
                    }
                    return Verdict::of(Action::Pause);
                };
                // The host holds every byte seen so far: they are the first chunk of the chosen
                // framing.
                let seen = std::mem::take(seen);
                self.response = self.mode_for(framing);
                self.on_response_body(if held { &seen } else { chunk }, end_of_stream)
            }
            ResponseMode::Pass => Verdict::cont(),
            ResponseMode::Terminated => Verdict::of(Action::Replace(Vec::new())),
            ResponseMode::Stream(p) => {
                let mut out = Vec::new();
                let mut ctx = Ctx::new(policy, enforce, &mut self.audit);
                ctx.max_held = policies.limits.max_held_bytes;
                let Ok(same) = p.push_same(&mut ctx, chunk, &mut out) else {
                    self.response = ResponseMode::Terminated;
                    return Verdict::of(Action::Replace(out));
                };
                if same {
                    let mut tail = Vec::new();
                    if end_of_stream {
                        p.finish(&mut ctx, &mut tail);
                    }
                    if tail.is_empty() {
                        // The host's bytes go on as they are: no copy, no comparison.
                        return Verdict::cont();
                    }
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(&tail);
                } else if end_of_stream {
                    p.finish(&mut ctx, &mut out);
                }
                if bytes::same(&out, chunk) {
                    Verdict::cont()
                } else {
                    Verdict::of(Action::Replace(out))
                }
            }
            ResponseMode::Buffered(buf) => {
                let max = policies.limits.max_response_body_bytes;
                if buf.len().saturating_add(chunk.len()) > max {
                    self.response = ResponseMode::Pass;
                    let r = Refusal::new(
                        502,
                        "response_too_large",
                        format!(
                            "the upstream response exceeds the inspection limit of {max} bytes"
                        ),
                    );
                    return match policies.limits.on_limit {
                        OnLimit::Block => self
                            .refuse(r, Category::Limit, Phase::ResponseBody, "body")
                            .unwrap_or_else(Verdict::cont),
                        OnLimit::Pass => Verdict::cont(),
                    };
                }
                buf.extend_from_slice(chunk);
                if !end_of_stream {
                    return Verdict::of(Action::Pause);
                }
                let body = std::mem::take(buf);
                self.response = ResponseMode::Pass;
                let mut ctx = Ctx::new(policy, enforce, &mut self.audit);
                let Ok(mut v) = serde_json::from_slice::<Value>(&body) else {
                    // Not one JSON document: read as a stream (a JSON value a line, or events,
                    // as a client that splits lines would), else as text.
                    drop(ctx);
                    let framing = choose("", true, &body, true);
                    let framing = match framing {
                        Some(Framing::Json) | None => Framing::Text,
                        Some(f) => f,
                    };
                    self.response = self.mode_for(framing);
                    return self.on_response_body(&body, true);
                };
                let mut changed = if enforce {
                    response::json::filter_listing(&ctx, api, &mut v)
                } else {
                    false
                };
                changed |= response::json::process(&mut ctx, api, &mut v);
                if let Some(r) = ctx.terminate.take() {
                    return self.reply(&r);
                }
                if changed {
                    self.rewritten(serde_json::to_vec(&v))
                } else {
                    Verdict::cont()
                }
            }
        }
    }

    /// The response mode that reads a body of this framing.
    fn mode_for(&self, framing: Framing) -> ResponseMode {
        let max_frame = self.policies.limits.max_frame_bytes;
        let p: Box<dyn StreamProcessor> = match framing {
            Framing::Json => return ResponseMode::Buffered(Vec::new()),
            Framing::Sse => match self.api {
                ApiKind::AnthropicMessages => Box::new(EventStream::sse(
                    Box::<response::anthropic::Anthropic>::default(),
                    max_frame,
                )),
                ApiKind::OpenAiResponses => Box::new(EventStream::sse(
                    Box::<response::openai_responses::OpenAiResponses>::default(),
                    max_frame,
                )),
                _ => Box::new(EventStream::sse(
                    Box::<response::openai_chat::OpenAiChat>::default(),
                    max_frame,
                )),
            },
            Framing::Ndjson => Box::new(EventStream::ndjson(
                Box::<response::ollama::Ollama>::default(),
                max_frame,
            )),
            Framing::Text => Box::<response::text::TextStream>::default(),
        };
        ResponseMode::Stream(response::Answer::wrap(p))
    }

    /// The verdict on a held body that inspection changed (a redaction, a stripped call): its
    /// new bytes, or, if they could not be written, a refusal. The held original must not go out
    /// in place of its rewrite (in monitor mode nothing was changed, so it goes as it came).
    fn rewritten<E>(&mut self, bytes: Result<Vec<u8>, E>) -> Verdict {
        match bytes {
            Ok(bytes) => replace_whole(bytes),
            Err(_) => {
                let r = Refusal::new(
                    502,
                    "response_rewrite_failed",
                    "the response could not be rewritten after inspection",
                );
                self.refuse(r, Category::Limit, Phase::ResponseBody, "body")
                    .unwrap_or_else(Verdict::cont)
            }
        }
    }

    /// Response trailers: the body is complete.
    pub fn on_response_trailers(&mut self) -> Verdict {
        self.on_response_body(&[], true)
    }

    /// True once a local reply was sent (so the adapter can ignore its own reply's callbacks).
    pub fn replied(&self) -> bool {
        self.replied
    }
}

/// Smallest work budget, in bytes' worth: a short body still pays the detectors' fixed costs.
const BUDGET_FLOOR_BYTES: usize = 4 << 10;

/// Units a body byte's parse counts on the slice clock (`budget::count`): 1 MiB of body is a
/// slice of the default `limits.slice_work_units`, so its parse is a call of its own.
const PARSE_UNITS: usize = 4;

/// How many units of the slice clock a unit of the secrets stage stands for: its units (bytes
/// and regex attempts) take several times as long as the injection stage's (natively ~3 ns
/// against ~0.5, `examples/dos_timing` with `STEPS=1`), and the clock stands for time, so that
/// a slice of the default size is a few milliseconds in either.
const SECRETS_CLOCK_WEIGHT: u64 = 6;
impl Exchange {
    /// Runs an MCP step with the exchange's policy and audit sink; `base` carries the header
    /// edits already decided.
    fn with_mcp(
        &mut self,
        mut base: Verdict,
        f: impl FnOnce(&mut McpExchange, &mut mcp::Env<'_>) -> Action,
    ) -> Verdict {
        let policies = Arc::clone(&self.policies);
        let enforce = self.enforce();
        let Some(m) = self.mcp.as_mut() else {
            return base;
        };
        let mut env = mcp::Env {
            policy: policies.policy(self.policy),
            mcp: &policies.mcp,
            limits: &policies.limits,
            enforce,
            audit: &mut self.audit,
        };
        let action = f(m, &mut env);
        if matches!(action, Action::Reply(_)) {
            self.replied = true;
        }
        base.action = action;
        base
    }
}

fn replace_whole(bytes: Vec<u8>) -> Verdict {
    Verdict::of(Action::Replace(bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// REGRESSION: a held JSON response that was redacted but could not be re-encoded went out
    /// as it came (the verdict was Continue): it is refused instead.
    #[test]
    fn a_rewrite_that_fails_is_refused() {
        let policies = Arc::new(Policies::from_json(b"{}").unwrap());
        let mut ex = Exchange::new(policies);
        let v = ex.rewritten::<()>(Err(()));
        match v.action {
            Action::Reply(r) => {
                assert_eq!(r.status, 502);
                assert_eq!(r.code, "response_rewrite_failed");
            }
            other => panic!("{other:?}"),
        }
        let v = ex.rewritten::<()>(Ok(b"{}".to_vec()));
        assert_eq!(v.action, Action::Replace(b"{}".to_vec()));
    }
}
