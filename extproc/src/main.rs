//! `llm-warden-extproc`: the llm-warden engine served as an Envoy external processor.
//!
//! For gateways that cannot load the wasm filter (kgateway's `GatewayExtension` offers ext_proc,
//! not wasm) and any Envoy built without a wasm runtime. Same engine, same JSON configuration file
//! as the filter; one engine exchange per ext_proc stream (one per HTTP request).
//!
//! ```text
//! llm-warden-extproc --config policy.json --listen 0.0.0.0:9002 --health-listen 0.0.0.0:9003
//! ```
//!
//! Prints `LISTENING <port>` (and `HEALTH <port>`) on stdout once it accepts connections, so that
//! port 0 can be used in tests. A configuration that does not compile stops it at startup with the
//! JSON path of the problem, like Envoy refusing the filter. SIGTERM/SIGINT: the health endpoint
//! turns 503, no new connections are accepted, open streams get `--drain-seconds` to finish.
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use envoy_types::pb::envoy::service::ext_proc::v3::external_processor_server::ExternalProcessorServer;
use llm_warden_engine::Policies;
use llm_warden_extproc::{health, service};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_stream::StreamExt;

const USAGE: &str = "usage: llm-warden-extproc --config FILE [--listen ADDR:PORT] \
[--health-listen ADDR:PORT] [--drain-seconds N]";

struct Args {
    config: String,
    listen: SocketAddr,
    health: Option<SocketAddr>,
    drain: Duration,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut config = None;
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 9002));
    let mut health = None;
    let mut drain = Duration::from_secs(20);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--config" => config = Some(value()?),
            "--listen" => listen = value()?.parse().map_err(|e| format!("--listen: {e}"))?,
            "--health-listen" => {
                health = Some(
                    value()?
                        .parse()
                        .map_err(|e| format!("--health-listen: {e}"))?,
                )
            }
            "--drain-seconds" => {
                let secs: u64 = value()?
                    .parse()
                    .map_err(|e| format!("--drain-seconds: {e}"))?;
                drain = Duration::from_secs(secs);
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let config = config.ok_or_else(|| format!("--config is required\n{USAGE}"))?;
    Ok(Args {
        config,
        listen,
        health,
        drain,
    })
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("llm-warden-extproc: critical: panic: {info}");
    }));
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("llm-warden-extproc: {msg}");
            return ExitCode::from(2);
        }
    };
    let raw = match std::fs::read(&args.config) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("llm-warden-extproc: cannot read {}: {e}", args.config);
            return ExitCode::from(2);
        }
    };
    let policies = match Policies::from_json(&raw) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("llm-warden-extproc: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("llm-warden-extproc: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args, policies)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("llm-warden-extproc: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args, policies: Arc<Policies>) -> Result<(), String> {
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let serving = Arc::new(AtomicBool::new(true));
    let health_port = match args.health {
        Some(addr) => {
            let l = TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let p = l.local_addr().map_err(|e| e.to_string())?.port();
            tokio::spawn(health::serve(l, Arc::clone(&serving)));
            Some(p)
        }
        None => None,
    };

    // A BUFFERED request body arrives as one gRPC message: let it be as large as the engine would
    // inspect (beyond that the engine refuses or passes it, per `limits.on_limit`), plus headroom.
    let max_message = policies
        .limits
        .max_request_body_bytes
        .saturating_add(1 << 20);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = service::SessionWorkers::start(threads, &policies)
        .map_err(|e| format!("cannot start session workers: {e}"))?;
    let svc = ExternalProcessorServer::new(service::Processor::new(workers))
        .max_decoding_message_size(max_message)
        .max_encoding_message_size(max_message);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    {
        let serving = Arc::clone(&serving);
        tokio::spawn(async move {
            wait_for_stop_signal().await;
            serving.store(false, Ordering::Relaxed);
            eprintln!("llm-warden-extproc: stopping, draining open streams");
            let _ = stop_tx.send(true);
        });
    }
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };

    println!("LISTENING {port}");
    if let Some(p) = health_port {
        println!("HEALTH {p}");
    }
    eprintln!("llm-warden-extproc: configuration loaded; serving ext_proc on port {port}");

    // One service, so no router (tonic's `router` feature pulls in axum): the generated server
    // answers UNIMPLEMENTED for any other method by itself.
    let server = tonic::transport::Server::builder().serve_with_incoming_shutdown(
        svc,
        // Every ext_proc answer is a small write the client waits for: without TCP_NODELAY,
        // Nagle's algorithm held them (tens of ms on time to first token).
        TcpListenerStream::new(listener).map(|conn| {
            conn.inspect(|s| {
                let _ = s.set_nodelay(true);
            })
        }),
        stopped(stop_rx.clone()),
    );
    let drain = args.drain;
    let deadline = async move {
        stopped(stop_rx).await;
        tokio::time::sleep(drain).await;
    };
    tokio::select! {
        r = server => r.map_err(|e| format!("server error: {e}")),
        () = deadline => {
            eprintln!("llm-warden-extproc: drain deadline reached, closing remaining streams");
            Ok(())
        }
    }
}

async fn wait_for_stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
