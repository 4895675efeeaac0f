//! proxy-wasm adapter: runs the llm-warden engine inside Envoy.
//!
//! This is the only code that imports `proxy_wasm`. It translates host callbacks into engine calls
//! and applies the engine's verdicts; it decides nothing itself. The root context compiles the
//! configuration once per VM (a bad config makes `on_configure` return false, so Envoy refuses it,
//! and the log names the JSON path of the problem). Each HTTP context owns one engine `Exchange`.
//!
//! Host facts this relies on (ARCHITECTURE.md, "Adapters in detail"): body callbacks report the
//! total buffered size, so only the unseen tail is read; trailers end a body; a panic traps the VM,
//! hence the panic hook and no unwrap on the data path.
//!
//! A large request is inspected in slices (the engine's `Action::Yield`): V8 cannot preempt a
//! callback, so one long inspection would hold the worker and every stream on it. The body
//! callback that yields pauses the stream and puts its context in [`PENDING`]; the root context
//! ticks (1 ms, only while something is pending) and, per tick, resumes the next pending
//! inspection (more, up to 4 ms, while no other stream is on the worker) as that stream
//! (`set_effective_context`), applies its verdict with the same code as a body callback and,
//! when the request may go on, `resume_http_request`. Envoy defers a
//! local reply and a resumed stream until the VM call returns (its `addAfterVmCallAction`), so
//! no hostcall re-enters this module; the stream's state is still only borrowed with
//! `try_borrow_mut`, and a refused borrow resets the stream rather than trapping the VM.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Duration;

use llm_warden_engine::audit::{AuditEvent, Category, Outcome};
use llm_warden_engine::body_buffer::{HostBody, Unseen};
use llm_warden_engine::exchange::{Action as EngineAction, Exchange, LocalReply, Verdict};
use llm_warden_engine::Policies;
use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, BufferType, ContextType, LogLevel, MapType, MetricType};

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Info);
    std::panic::set_hook(Box::new(|info| {
        let _ = hostcalls::log(LogLevel::Critical, &format!("llm-warden panic: {info}"));
    }));
    proxy_wasm::set_root_context(|id| -> Box<dyn RootContext> {
        Box::new(Root { id, policies: None, metrics: Rc::new(Metrics::default()) })
    });
}}

/// Counters defined through the host (Envoy stats; prefixed `wasmcustom.` by Envoy).
#[derive(Default)]
struct Metrics {
    ids: RefCell<HashMap<String, u32>>,
}

impl Metrics {
    fn inc(&self, name: &str) {
        let id = {
            let mut ids = self.ids.borrow_mut();
            match ids.get(name) {
                Some(id) => Some(*id),
                None => match hostcalls::define_metric(MetricType::Counter, name) {
                    Ok(id) => {
                        ids.insert(name.to_string(), id);
                        Some(id)
                    }
                    Err(_) => None,
                },
            }
        };
        if let Some(id) = id {
            let _ = hostcalls::increment_metric(id, 1);
        }
    }

    fn record(&self, e: &AuditEvent) {
        let total = match (e.category, e.outcome) {
            (_, Outcome::Redacted) => Some("llm_warden_redactions_total"),
            (Category::Tool, Outcome::Blocked | Outcome::Stripped) => {
                Some("llm_warden_tool_calls_blocked_total")
            }
            (_, Outcome::Monitored) => Some("llm_warden_monitored_total"),
            (_, Outcome::Rewritten) => Some("llm_warden_models_rewritten_total"),
            _ => None,
        };
        if let Some(t) = total {
            self.inc(t);
        }
        // Per rule and action, e.g. `llm_warden_rule.pi.override.ignore_previous.block`.
        self.inc(&format!(
            "llm_warden_rule.{}.{}",
            e.rule_id,
            e.outcome.as_str()
        ));
    }
}

/// How often the root context resumes pending inspections (while any is pending).
const TICK: Duration = Duration::from_millis(1);
/// Slices of inspection run per tick while the worker has other streams: one, so they run
/// between slices.
const SLICES_PER_TICK: usize = 1;
/// While every stream on the worker is a pending inspection, nothing else waits for the loop:
/// slices follow one another within a tick until this much wall time has passed (read from the
/// host between slices), so fewer 1 ms ticks are spent idle. A stream that arrives meanwhile
/// waits for at most this plus one slice; from the next tick on it is counted and slices are
/// single again.
const ALONE_TICK: Duration = Duration::from_millis(4);
/// At most this many slices in one such tick.
const SLICES_PER_TICK_ALONE: usize = 16;

thread_local! {
    /// Request streams whose inspection yielded, the next to resume first. A stream that ended
    /// meanwhile (a reset client) left the queue in `on_done`, and its state went with it.
    static PENDING: RefCell<VecDeque<(u32, Weak<RefCell<Stream>>)>> =
        const { RefCell::new(VecDeque::new()) };
    /// Whether the root's tick is on.
    static TICKING: Cell<bool> = const { Cell::new(false) };
    /// HTTP contexts alive on this worker (created and not yet dropped).
    static LIVE: Cell<usize> = const { Cell::new(0) };
}

/// Queues a stream whose inspection yielded, and makes sure the root ticks.
fn pend(id: u32, stream: Weak<RefCell<Stream>>) {
    PENDING.with(|p| p.borrow_mut().push_back((id, stream)));
    if !TICKING.with(Cell::get) {
        // From an HTTP context this sets its root context's period (the host's rule).
        if hostcalls::set_tick_period(TICK).is_ok() {
            TICKING.with(|t| t.set(true));
        } else {
            log::error!("llm-warden: could not start the tick that resumes inspections");
        }
    }
}

/// What became of a resumed inspection.
enum Resumed {
    /// It yielded again: back in the queue.
    Again,
    /// Decided, and the request goes on (as it came or rewritten).
    Proceed,
    /// Decided, and the stream stays stopped (a local reply, a reset).
    Stopped,
}

struct Root {
    id: u32,
    policies: Option<Arc<Policies>>,
    metrics: Rc<Metrics>,
}

impl Context for Root {}

impl Root {
    /// Resumes the next pending inspection, as its stream; false when none is left.
    fn resume_next(&self) -> bool {
        let Some((id, weak)) = PENDING.with(|p| p.borrow_mut().pop_front()) else {
            return false;
        };
        let Some(stream) = weak.upgrade() else {
            return true;
        };
        if hostcalls::set_effective_context(id).is_err() {
            // The host has no such stream any more.
            return true;
        }
        let resumed = match stream.try_borrow_mut() {
            Ok(mut s) => s.resume_request(),
            Err(_) => {
                log::error!("llm-warden: a pending stream was busy; resetting it");
                let _ = hostcalls::reset_http_request();
                Resumed::Stopped
            }
        };
        // No borrow is held across the hostcalls below.
        match resumed {
            Resumed::Again => pend(id, weak),
            Resumed::Proceed => {
                if hostcalls::resume_http_request().is_err() {
                    log::error!("llm-warden: could not resume the request after inspection");
                }
            }
            Resumed::Stopped => {}
        }
        true
    }
}

impl RootContext for Root {
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        let raw = self.get_plugin_configuration().unwrap_or_default();
        match Policies::from_json(&raw) {
            Ok(p) => {
                self.policies = Some(Arc::new(p));
                log::info!("llm-warden: configuration loaded");
                true
            }
            Err(e) => {
                log::error!("llm-warden: invalid configuration: {e}");
                false
            }
        }
    }

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        let policies = self.policies.clone()?;
        LIVE.with(|n| n.set(n.get().saturating_add(1)));
        Some(Box::new(Http {
            id: context_id,
            stream: Rc::new(RefCell::new(Stream {
                exchange: Exchange::new(policies),
                metrics: Rc::clone(&self.metrics),
                request_body: HostBody::new(),
                response_body: HostBody::new(),
                request_id: String::new(),
                resuming: false,
            })),
        }))
    }

    fn on_tick(&mut self) {
        let alone = LIVE.with(Cell::get) <= PENDING.with(|p| p.borrow().len());
        let started = if alone {
            hostcalls::get_current_time().ok()
        } else {
            None
        };
        let mut slices = 0;
        while self.resume_next() {
            slices += 1;
            let more = alone
                && slices < SLICES_PER_TICK_ALONE
                && started.is_some_and(|t| {
                    hostcalls::get_current_time()
                        .ok()
                        .and_then(|now| now.duration_since(t).ok())
                        .is_some_and(|d| d < ALONE_TICK)
                });
            if slices >= SLICES_PER_TICK && !more {
                break;
            }
        }
        let _ = hostcalls::set_effective_context(self.id);
        if PENDING.with(|p| p.borrow().is_empty()) && TICKING.with(Cell::get) {
            // Idle workers are not woken.
            if hostcalls::set_tick_period(Duration::ZERO).is_ok() {
                TICKING.with(|t| t.set(false));
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

/// One HTTP context as the host sees it; its state is shared with the root's queue of pending
/// inspections ([`PENDING`]).
struct Http {
    id: u32,
    stream: Rc<RefCell<Stream>>,
}

/// One stream's adapter state.
struct Stream {
    exchange: Exchange,
    metrics: Rc<Metrics>,
    /// What the engine has seen of the bodies the host buffers.
    request_body: HostBody,
    response_body: HostBody,
    request_id: String,
    /// The request's inspection yielded and is not decided yet (the stream is paused).
    resuming: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

impl Stream {
    /// Goes on with the request's inspection (from the root's tick, as this stream).
    fn resume_request(&mut self) -> Resumed {
        let v = self.exchange.resume();
        let size = self.request_body.held();
        let yielded = v.action == EngineAction::Yield;
        let action = self.body_verdict(Side::Request, v, size);
        if yielded {
            Resumed::Again
        } else if action == Action::Continue {
            Resumed::Proceed
        } else {
            Resumed::Stopped
        }
    }

    fn flush_audit(&mut self) {
        let events = self.exchange.take_audit();
        if events.is_empty() {
            return;
        }
        let policy = self.exchange.policy_name().to_string();
        for e in events {
            self.metrics.record(&e);
            log::info!(
                "llm-warden audit {} request_id={}",
                e.to_json(&policy),
                self.request_id
            );
        }
    }

    fn send_reply(&mut self, r: &LocalReply) {
        self.metrics.inc("llm_warden_requests_blocked_total");
        self.metrics.inc(&format!("llm_warden_blocked.{}", r.code));
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if hostcalls::send_http_response(u32::from(r.status), headers, Some(&r.body)).is_err() {
            log::error!("llm-warden: could not send the local reply; resetting the stream");
            let _ = hostcalls::reset_http_request();
        }
    }

    // The SDK's convenience methods (`set_http_request_header`, `set_http_response_body`, ...)
    // panic when the host refuses a call; the hostcalls return the error instead, and a refused
    // edit must not trap the VM.
    fn apply_headers(&mut self, side: Side, v: &Verdict) {
        let map = match side {
            Side::Request => MapType::HttpRequestHeaders,
            Side::Response => MapType::HttpResponseHeaders,
        };
        for (k, val) in &v.set_headers {
            if hostcalls::set_map_value(map, k, Some(val)).is_err() {
                log::warn!("llm-warden: could not set header {k}");
            }
        }
        for k in &v.remove_headers {
            if hostcalls::set_map_value(map, k, None).is_err() {
                log::warn!("llm-warden: could not remove header {k}");
            }
        }
    }

    fn read_body(side: Side, unseen: Unseen) -> Vec<u8> {
        let buf = match side {
            Side::Request => BufferType::HttpRequestBody,
            Side::Response => BufferType::HttpResponseBody,
        };
        if unseen.len == 0 {
            return Vec::new();
        }
        hostcalls::get_buffer(buf, unseen.start, unseen.len)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    fn headers_verdict(&mut self, side: Side, v: Verdict) -> Action {
        self.apply_headers(side, &v);
        let action = match &v.action {
            EngineAction::Reply(r) => {
                self.send_reply(r);
                Action::Pause
            }
            EngineAction::Pause | EngineAction::Yield => Action::Pause,
            EngineAction::Continue | EngineAction::Replace(_) => Action::Continue,
        };
        self.flush_audit();
        action
    }

    /// Applies a body verdict. `size` is the host's current buffered size.
    fn body_verdict(&mut self, side: Side, v: Verdict, size: usize) -> Action {
        self.apply_headers(side, &v);
        self.resuming = v.action == EngineAction::Yield;
        let action = match v.action {
            EngineAction::Continue => Action::Continue,
            EngineAction::Pause | EngineAction::Yield => Action::Pause,
            EngineAction::Replace(bytes) => {
                let buf = match side {
                    Side::Request => BufferType::HttpRequestBody,
                    Side::Response => BufferType::HttpResponseBody,
                };
                if hostcalls::set_buffer(buf, 0, size, &bytes).is_err() {
                    // The body cannot be rewritten: never let the original through instead.
                    log::error!("llm-warden: could not replace the body; resetting the stream");
                    let _ = hostcalls::reset_http_request();
                    return Action::Pause;
                }
                Action::Continue
            }
            EngineAction::Reply(r) if side == Side::Response => {
                // Response headers have already gone (Envoy cannot hold them while the filter
                // reads the body), so the status cannot change: the error document in the API's
                // shape replaces the body instead.
                self.metrics.inc("llm_warden_responses_blocked_total");
                self.metrics.inc(&format!("llm_warden_blocked.{}", r.code));
                if hostcalls::set_buffer(BufferType::HttpResponseBody, 0, size, &r.body).is_err() {
                    let _ = hostcalls::reset_http_request();
                    return Action::Pause;
                }
                Action::Continue
            }
            EngineAction::Reply(r) => {
                self.send_reply(&r);
                Action::Pause
            }
        };
        // What the host holds now is either flushed (continue) or kept and already seen (pause).
        let paused = action == Action::Pause;
        match side {
            Side::Request => self.request_body.applied(paused, size),
            Side::Response => self.response_body.applied(paused, size),
        }
        self.flush_audit();
        action
    }
}

impl Http {
    /// Runs `f` on the stream's state. The host does not re-enter a context from a hostcall
    /// (see the module docs), so the borrow is free; if it ever is not, the stream is reset
    /// rather than let through or the VM trapped.
    fn with_stream(&self, f: impl FnOnce(&mut Stream) -> Action) -> Action {
        match self.stream.try_borrow_mut() {
            Ok(mut s) => f(&mut s),
            Err(_) => {
                log::error!("llm-warden: re-entered a busy stream; resetting it");
                let _ = hostcalls::reset_http_request();
                Action::Pause
            }
        }
    }

    /// After a request body verdict: a yielded inspection waits for the root's tick.
    fn after_request_body(&self, action: Action) -> Action {
        if self.stream.try_borrow().is_ok_and(|s| s.resuming) {
            pend(self.id, Rc::downgrade(&self.stream));
        }
        action
    }
}

impl Drop for Http {
    fn drop(&mut self) {
        LIVE.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

impl Context for Http {
    fn on_done(&mut self) -> bool {
        // A stream that ends while its inspection is pending (a reset client) is not resumed:
        // it leaves the queue here, and its state goes with this context (the queue holds it
        // weakly).
        let id = self.id;
        PENDING.with(|p| p.borrow_mut().retain(|(pending, _)| *pending != id));
        true
    }
}

impl HttpContext for Http {
    fn on_http_request_headers(&mut self, num_headers: usize, end_of_stream: bool) -> Action {
        self.with_stream(|s| s.on_request_headers(num_headers, end_of_stream))
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        let action = self.with_stream(|s| s.on_request_body(body_size, end_of_stream));
        self.after_request_body(action)
    }

    fn on_http_request_trailers(&mut self, num_trailers: usize) -> Action {
        let action = self.with_stream(|s| s.on_request_trailers(num_trailers));
        self.after_request_body(action)
    }

    fn on_http_response_headers(&mut self, num_headers: usize, end_of_stream: bool) -> Action {
        self.with_stream(|s| s.on_response_headers(num_headers, end_of_stream))
    }

    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        self.with_stream(|s| s.on_response_body(body_size, end_of_stream))
    }

    fn on_http_response_trailers(&mut self, num_trailers: usize) -> Action {
        self.with_stream(|s| s.on_response_trailers(num_trailers))
    }
}

/// The host callbacks, on the stream's state.
impl Stream {
    fn on_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let headers = hostcalls::get_map(MapType::HttpRequestHeaders).unwrap_or_default();
        self.request_id = headers
            .iter()
            .find(|(k, _)| k == "x-request-id")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let v = self.exchange.on_request_headers(&headers, end_of_stream);
        self.headers_verdict(Side::Request, v)
    }

    fn on_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if self.exchange.replied() {
            return Action::Continue;
        }
        let Some(unseen) = self.request_body.on_body(body_size, end_of_stream) else {
            return Action::Continue;
        };
        let chunk = Self::read_body(Side::Request, unseen);
        let v = self.exchange.on_request_body(&chunk, end_of_stream);
        self.body_verdict(Side::Request, v, body_size)
    }

    fn on_request_trailers(&mut self, _num_trailers: usize) -> Action {
        if self.exchange.replied() {
            return Action::Continue;
        }
        // The whole body is buffered at this point (the engine paused every chunk).
        let Some(size) = self.request_body.on_trailers() else {
            return Action::Continue;
        };
        let v = self.exchange.on_request_trailers();
        match self.body_verdict(Side::Request, v, size) {
            Action::Pause if self.exchange.replied() || self.resuming => Action::Pause,
            _ => Action::Continue,
        }
    }

    fn on_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let headers = hostcalls::get_map(MapType::HttpResponseHeaders).unwrap_or_default();
        let v = self.exchange.on_response_headers(&headers, end_of_stream);
        self.headers_verdict(Side::Response, v)
    }

    fn on_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if self.exchange.replied() {
            return Action::Continue;
        }
        let Some(unseen) = self.response_body.on_body(body_size, end_of_stream) else {
            return Action::Continue;
        };
        let chunk = Self::read_body(Side::Response, unseen);
        let v = self.exchange.on_response_body(&chunk, end_of_stream);
        self.body_verdict(Side::Response, v, body_size)
    }

    fn on_response_trailers(&mut self, _num_trailers: usize) -> Action {
        if self.exchange.replied() {
            return Action::Continue;
        }
        let Some(size) = self.response_body.on_trailers() else {
            return Action::Continue;
        };
        let v = self.exchange.on_response_trailers();
        match self.body_verdict(Side::Response, v, size) {
            Action::Pause if self.exchange.replied() => Action::Pause,
            _ => Action::Continue,
        }
    }
}
