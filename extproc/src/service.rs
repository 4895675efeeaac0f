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
//! runtime and hands each one to a [`SessionWorkers`] thread (one per core), which runs its sessions
//! as local tasks on its own single-threaded runtime. A new stream goes to the thread with the
//! fewest messages being answered at that moment, in practice large inspections, as a small
//! message is answered in one short call (round robin among equals): a thread slicing through a
//! 1 MiB body still serves its other streams between slices, but a new one is better served by a
//! thread that is not.

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

/// One worker thread as the dispatcher sees it.
struct Worker {
    queue: mpsc::UnboundedSender<Job>,
    /// Its sessions answering a message now (see [`answer_message`]): mostly large inspections,
    /// as a small message is answered in one short call.
    inspecting: Arc<AtomicUsize>,
}

/// Threads that own the sessions (see the module docs).
pub struct SessionWorkers {
    workers: Vec<Worker>,
    next: AtomicUsize,
}

impl SessionWorkers {
    /// Starts `threads` workers (at least one) serving `policies`.
    pub fn start(threads: usize, policies: &Arc<Policies>) -> std::io::Result<Self> {
        let mut workers = Vec::new();
        for i in 0..threads.max(1) {
            let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
            let policies = Arc::clone(policies);
            let inspecting = Arc::new(AtomicUsize::new(0));
            let busy = Arc::clone(&inspecting);
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            std::thread::Builder::new()
                .name(format!("llm-warden-session-{i}"))
                .spawn(move || {
                    let local = tokio::task::LocalSet::new();
                    local.block_on(&runtime, async move {
                        while let Some(job) = rx.recv().await {
                            let session =
                                run_session(Arc::clone(&policies), Arc::clone(&busy), job);
                            tokio::task::spawn_local(session);
                        }
                    });
                })?;
            workers.push(Worker {
                queue: tx,
                inspecting,
            });
        }
        Ok(Self {
            workers,
            next: AtomicUsize::new(0),
        })
    }

    /// From the round-robin position on, the first worker with the fewest inspections.
    fn pick(&self) -> Option<&Worker> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.workers.len().max(1);
        (0..count)
            .filter_map(|k| self.workers.get((n + k) % count))
            .min_by_key(|w| w.inspecting.load(Ordering::Relaxed))
    }

    fn dispatch(&self, job: Job) -> Result<(), Status> {
        let worker = self
            .pick()
            .ok_or_else(|| Status::unavailable("llm-warden: no session worker"))?;
        worker
            .queue
            .send(job)
            .map_err(|_| Status::unavailable("llm-warden: session worker stopped"))
    }
}

/// Counts a session as inspecting on its worker for as long as it lives.
struct Inspecting<'a>(&'a AtomicUsize);

impl<'a> Inspecting<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count)
    }
}

impl Drop for Inspecting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn run_session(policies: Arc<Policies>, inspecting: Arc<AtomicUsize>, job: Job) {
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
            Some(r) => answer_message(&mut session, &inspecting, r).await,
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
/// While it does (the first call too, which may be a long slice), the worker counts it as
/// inspecting, so new streams go elsewhere if they can.
async fn answer_message(
    session: &mut Session,
    inspecting: &AtomicUsize,
    request: processing_request::Request,
) -> Result<ProcessingResponse, Status> {
    let failed = |_| Status::internal("llm-warden: adapter failure");
    let _counted = Inspecting::start(inspecting);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn workers(inspecting: &[usize]) -> SessionWorkers {
        let workers = inspecting
            .iter()
            .map(|&n| Worker {
                queue: mpsc::unbounded_channel().0,
                inspecting: Arc::new(AtomicUsize::new(n)),
            })
            .collect();
        SessionWorkers {
            workers,
            next: AtomicUsize::new(0),
        }
    }

    fn picks(w: &SessionWorkers, times: usize) -> Vec<usize> {
        (0..times)
            .filter_map(|_| {
                let picked = w.pick()?;
                w.workers.iter().position(|x| std::ptr::eq(x, picked))
            })
            .collect()
    }

    #[test]
    fn new_streams_avoid_a_worker_that_is_inspecting() {
        // Idle workers take turns.
        assert_eq!(picks(&workers(&[0, 0, 0]), 4), [0, 1, 2, 0]);
        // A worker slicing through a large body gets no new stream while another is free.
        assert_eq!(picks(&workers(&[1, 0]), 4), [1, 1, 1, 1]);
        assert_eq!(picks(&workers(&[0, 2, 1]), 3), [0, 0, 0]);
        // All busy: the least busy; equals take turns.
        assert_eq!(picks(&workers(&[2, 1, 1]), 4), [1, 1, 2, 1]);
        // One worker: always it.
        assert_eq!(picks(&workers(&[3]), 2), [0, 0]);
    }

    #[test]
    fn a_session_counts_as_inspecting_while_it_slices() {
        let count = AtomicUsize::new(0);
        {
            let _a = Inspecting::start(&count);
            let _b = Inspecting::start(&count);
            assert_eq!(count.load(Ordering::Relaxed), 2);
        }
        assert_eq!(count.load(Ordering::Relaxed), 0);
    }
}
