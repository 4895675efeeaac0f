//! `mock-upstream`: a scriptable mock LLM upstream for llm-warden's end-to-end tests and benches.
//!
//! It speaks OpenAI Chat Completions and Responses, Anthropic Messages and Ollama's native API,
//! plain and streamed, echoing the request's `model`. Tests script it with `x-mock-*` request
//! headers (see `script.rs`) and read what it received at `GET /__mock/requests`
//! (`DELETE` clears). A test can also preload a literal answer (`POST /__mock/canned`, see
//! `canned.rs`) and select it with `x-mock-canned: <id>`. One thread per connection, HTTP/1.1
//! keep-alive, chunked streams.
//!
//! Usage: `mock-upstream [--host 127.0.0.1] [--port 11434]`; `--port 0` picks a free port.
//! It prints `LISTENING <port>` on stdout once it accepts connections.

mod api;
mod canned;
mod http;
mod journal;
mod script;
mod writer;

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::canned::{Canned, CannedStore};
use crate::http::{write_full, ReadError, Request};
use crate::journal::Journal;
use crate::script::Script;
use crate::writer::After;

/// Connections served at once; beyond it new ones are closed at once (bounded threads).
const MAX_CONNECTIONS: usize = 4096;
/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

struct Args {
    host: String,
    port: u16,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        host: "127.0.0.1".into(),
        port: 11434,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => {
                let v = it.next().ok_or("--port needs a value")?;
                args.port = v.parse().map_err(|_| format!("--port: bad value {v:?}"))?;
            }
            "--host" => args.host = it.next().ok_or("--host needs a value")?,
            "-h" | "--help" => {
                return Err(
                    "usage: mock-upstream [--host ADDR] [--port N]  (--port 0: any free port)"
                        .into(),
                )
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("mock-upstream: {e}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind((args.host.as_str(), args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "mock-upstream: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    println!("LISTENING {port}");
    let _ = std::io::stdout().flush();

    let journal = Arc::new(Journal::default());
    let canned = Arc::new(CannedStore::default());
    let live = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let Ok(stream) = conn else { continue };
        if live.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            drop(stream);
            continue;
        }
        live.fetch_add(1, Ordering::Relaxed);
        let journal = Arc::clone(&journal);
        let canned = Arc::clone(&canned);
        let live2 = Arc::clone(&live);
        let spawned = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                serve(stream, &journal, &canned);
                live2.fetch_sub(1, Ordering::Relaxed);
            });
        if spawned.is_err() {
            live.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

fn serve(mut stream: TcpStream, journal: &Journal, canned: &CannedStore) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(16 * 1024, read_half);
    loop {
        let req = match http::read_request(&mut reader, &mut stream) {
            Ok(r) => r,
            Err(ReadError::Closed) | Err(ReadError::Io) => return,
            Err(ReadError::Bad(status, msg)) => {
                let body = json!({"error": msg}).to_string();
                let _ = write_full(
                    &mut stream,
                    status,
                    &[("content-type".into(), api::JSON.into())],
                    body.as_bytes(),
                    false,
                );
                return;
            }
        };
        match handle(&mut stream, &req, journal, canned) {
            Ok(After::KeepAlive) if req.keep_alive => {}
            _ => return,
        }
    }
}

fn handle(
    stream: &mut TcpStream,
    req: &Request,
    journal: &Journal,
    canned: &CannedStore,
) -> std::io::Result<After> {
    let json_ct = [("content-type".to_string(), api::JSON.to_string())];
    if req.route() == "/__mock/requests" {
        let body = match req.method.as_str() {
            "GET" => journal.list(),
            "DELETE" => json!({"cleared": journal.clear()}),
            _ => json!({"error": "GET or DELETE"}),
        };
        write_full(
            stream,
            200,
            &json_ct,
            body.to_string().as_bytes(),
            req.keep_alive,
        )?;
        return Ok(After::KeepAlive);
    }
    if req.route() == "/__mock/health" {
        write_full(stream, 200, &json_ct, b"{\"ok\":true}", req.keep_alive)?;
        return Ok(After::KeepAlive);
    }
    if req.route() == "/__mock/canned" {
        let (status, body) = match req.method.as_str() {
            "POST" => match Canned::parse(&req.body).map(|c| canned.add(c)) {
                Ok(Some(id)) => (200, json!({ "id": id })),
                Ok(None) => (500, json!({"error": "canned store unavailable"})),
                Err(e) => (400, json!({ "error": format!("/__mock/canned: {e}") })),
            },
            "DELETE" => (200, json!({"cleared": canned.clear()})),
            _ => (405, json!({"error": "POST or DELETE"})),
        };
        write_full(
            stream,
            status,
            &json_ct,
            body.to_string().as_bytes(),
            req.keep_alive,
        )?;
        return Ok(After::KeepAlive);
    }
    journal.record(req);
    if let Some(id) = req.header("x-mock-canned") {
        let chunk_bytes = req
            .header("x-mock-chunk-bytes")
            .and_then(|v| v.trim().parse::<usize>().ok());
        match canned.get(id) {
            Some(c) => c.send(stream, chunk_bytes, req.keep_alive)?,
            None => {
                let msg = format!("x-mock-canned: no canned answer {:?}", id.trim());
                let body = json!({ "error": msg }).to_string();
                write_full(stream, 400, &json_ct, body.as_bytes(), req.keep_alive)?;
            }
        }
        return Ok(if req.keep_alive {
            After::KeepAlive
        } else {
            After::Close
        });
    }
    let (answer, script) = match Script::from_request(req) {
        Ok(s) => (api::answer(req, &s), s),
        Err(msg) => (
            api::error(api::family(req.route()), 400, &msg),
            Script::default(),
        ),
    };
    writer::send(stream, answer, &script, req.keep_alive)
}
