//! The `envoy.service.ext_proc.v3.ExternalProcessor` gRPC service: one [`Session`] per `Process`
//! stream, answered message by message in order.
//!
//! Fail-closed rules of the protocol this module keeps: a stream that Envoy sees end cleanly
//! (gRPC status OK) before the exchange is complete makes Envoy continue *without* the processor,
//! so anything unexpected (an empty message, an adapter panic, no worker left) ends the stream with
//! an error status instead; with `failure_mode_allow: false` Envoy then fails the HTTP request.
//!
//! Threads: the engine's `Exchange` is deliberately not `Send` (it is built for the wasm VM's single
//! thread), so a session never moves between threads. tonic accepts streams on the multi-threaded
//! runtime and hands each one to a [`SessionWorkers`] thread (one per core, round robin), which runs
//! its sessions as local tasks on its own single-threaded runtime.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use envoy_types::pb::envoy::service::ext_proc::v3::external_processor_server::ExternalProcessor;
use envoy_types::pb::envoy::service::ext_proc::v3::{
    processing_request, ProcessingRequest, ProcessingResponse,
};
use llm_warden_engine::Policies;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use crate::audit;
use crate::session::Session;

type Answers = mpsc::Sender<Result<ProcessingResponse, Status>>;

/// One accepted `Process` stream on its way to a worker.
struct Job {
    inbound: Streaming<ProcessingRequest>,
    answers: Answers,
}

/// Threads that own the sessions (see the module docs).
pub struct SessionWorkers {
    queues: Vec<mpsc::UnboundedSender<Job>>,
    next: AtomicUsize,
}

impl SessionWorkers {
    /// Starts `threads` workers (at least one) serving `policies`.
    pub fn start(threads: usize, policies: &Arc<Policies>) -> std::io::Result<Self> {
        let mut queues = Vec::new();
        for i in 0..threads.max(1) {
            let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
            let policies = Arc::clone(policies);
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            std::thread::Builder::new()
                .name(format!("llm-warden-session-{i}"))
                .spawn(move || {
                    let local = tokio::task::LocalSet::new();
                    local.block_on(&runtime, async move {
                        while let Some(job) = rx.recv().await {
                            tokio::task::spawn_local(run_session(Arc::clone(&policies), job));
                        }
                    });
                })?;
            queues.push(tx);
        }
        Ok(Self {
            queues,
            next: AtomicUsize::new(0),
        })
    }

    fn dispatch(&self, job: Job) -> Result<(), Status> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let queue = self
            .queues
            .get(n % self.queues.len().max(1))
            .ok_or_else(|| Status::unavailable("llm-warden: no session worker"))?;
        queue
            .send(job)
            .map_err(|_| Status::unavailable("llm-warden: session worker stopped"))
    }
}

async fn run_session(policies: Arc<Policies>, job: Job) {
    let Job {
        mut inbound,
        answers,
    } = job;
    let mut session = Session::new(policies);
    loop {
        let message = match inbound.message().await {
            Ok(Some(m)) => m,
            // Envoy closed its side (exchange over) or the connection broke.
            Ok(None) | Err(_) => break,
        };
        let answer = match message.request {
            // A panic must not end the stream cleanly (that would let the request through
            // unchecked); under `panic = "abort"` it ends the process, which Envoy also treats as
            // a failure.
            Some(r) => answer_message(&mut session, r).await,
            None => Err(Status::invalid_argument(
                "ProcessingRequest without a request",
            )),
        };
        audit::log_session(&mut session);
        let failed = answer.is_err();
        if answers.send(answer).await.is_err() || failed {
            break;
        }
    }
}

/// Answers one message. A large request body is inspected in slices: between them this session
/// yields to the others on its worker thread, as the wasm filter returns to Envoy's event loop.
async fn answer_message(
    session: &mut Session,
    request: processing_request::Request,
) -> Result<ProcessingResponse, Status> {
    let failed = |_| Status::internal("llm-warden: adapter failure");
    let mut answer = catch_unwind(AssertUnwindSafe(|| session.begin(request))).map_err(failed)?;
    loop {
        if let Some(a) = answer {
            return Ok(a);
        }
        tokio::task::yield_now().await;
        answer = catch_unwind(AssertUnwindSafe(|| session.resume())).map_err(failed)?;
    }
}

pub struct Processor {
    workers: SessionWorkers,
}

impl Processor {
    pub fn new(workers: SessionWorkers) -> Self {
        Self { workers }
    }
}

// Envoy waits for each answer before it sends the next message (outside FULL_DUPLEX_STREAMED), so
// one slot is enough; a second covers an error status queued behind an answer.
const ANSWERS_IN_FLIGHT: usize = 2;

#[tonic::async_trait]
impl ExternalProcessor for Processor {
    type ProcessStream = ReceiverStream<Result<ProcessingResponse, Status>>;

    async fn process(
        &self,
        request: Request<Streaming<ProcessingRequest>>,
    ) -> Result<Response<Self::ProcessStream>, Status> {
        let (answers, rx) = mpsc::channel(ANSWERS_IN_FLIGHT);
        self.workers.dispatch(Job {
            inbound: request.into_inner(),
            answers,
        })?;
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}
