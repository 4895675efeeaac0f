//! Sends an [`Answer`] the way the script asks: `x-mock-events-per-write` events to a network write
//! (one by default; the whole stream in one write with a large number), writes paced by
//! `x-mock-delay-ms`, the serialized bytes cut into `x-mock-chunk-bytes` network writes (each its
//! own flushed HTTP chunk, so SSE events and NDJSON lines split anywhere), gzip, a stream that never
//! ends, an abrupt reset.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::api::Answer;
use crate::http::{end_chunked, start_chunked, write_chunk, write_full};
use crate::script::Script;

/// How long a never-ending stream is held open at most, so threads cannot pile up forever.
const NEVER_END_LIMIT: Duration = Duration::from_secs(600);

/// What happens to the connection after the answer.
#[derive(Debug, PartialEq, Eq)]
pub enum After {
    KeepAlive,
    Close,
}

fn pieces(data: &[u8], chunk: Option<usize>) -> Vec<&[u8]> {
    match chunk {
        Some(n) if n > 0 => data.chunks(n).collect(),
        _ => vec![data],
    }
}

fn gzip_all(body: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(body)?;
    enc.finish()
}

fn abort(stream: &TcpStream) -> io::Result<After> {
    // Closing mid-body (no terminating chunk) is what an upstream crash looks like to Envoy.
    let _ = stream.shutdown(Shutdown::Both);
    Ok(After::Close)
}

/// Writes the bytes of one or more whole events (gzip-encoded when asked) as HTTP chunks: one
/// chunk, or `chunk_bytes`-sized ones, each its own network write.
fn emit(
    stream: &mut TcpStream,
    enc: Option<&mut GzEncoder<Vec<u8>>>,
    events: &[u8],
    chunk_bytes: Option<usize>,
) -> io::Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let bytes: Vec<u8> = match enc {
        Some(e) => {
            e.write_all(events)?;
            e.flush()?;
            std::mem::take(e.get_mut())
        }
        None => events.to_vec(),
    };
    for p in pieces(&bytes, chunk_bytes) {
        write_chunk(stream, p)?;
    }
    Ok(())
}

pub fn send(
    stream: &mut TcpStream,
    answer: Answer,
    script: &Script,
    keep_alive: bool,
) -> io::Result<After> {
    let gzip = script
        .content_encoding
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("gzip"));
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(enc) = &script.content_encoding {
        // Only gzip is applied; any other value labels the body as given (to test refusal
        // of bodies that cannot be inspected).
        headers.push(("content-encoding".into(), enc.clone()));
    }
    let after = if keep_alive {
        After::KeepAlive
    } else {
        After::Close
    };
    match answer {
        Answer::Full {
            status,
            content_type,
            body,
        } => {
            if let Some(ct) = content_type {
                headers.push(("content-type".into(), ct.into()));
            }
            let body = if gzip { gzip_all(&body)? } else { body };
            if script.chunk_bytes.is_none() {
                write_full(stream, status, &headers, &body, keep_alive)?;
            } else {
                // Same bytes, content-length framing, several flushed writes.
                headers.push(("content-length".into(), body.len().to_string()));
                let mut head = format!("HTTP/1.1 {status} {}\r\n", crate::http::reason(status));
                for (k, v) in &headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                if !keep_alive {
                    head.push_str("connection: close\r\n");
                }
                head.push_str("\r\n");
                stream.write_all(head.as_bytes())?;
                stream.flush()?;
                for p in pieces(&body, script.chunk_bytes) {
                    stream.write_all(p)?;
                    stream.flush()?;
                }
            }
            Ok(after)
        }
        Answer::Stream {
            status,
            content_type,
            events,
            tail,
        } => {
            headers.push(("content-type".into(), content_type.into()));
            headers.push(("cache-control".into(), "no-cache".into()));
            if !script.trailers.is_empty() {
                let names: Vec<&str> = script.trailers.iter().map(|(k, _)| k.as_str()).collect();
                headers.push(("trailer".into(), names.join(", ")));
            }
            start_chunked(stream, status, &headers, keep_alive)?;
            let mut all = events;
            if !script.never_end {
                all.extend(tail);
            }
            let mut enc = gzip.then(|| GzEncoder::new(Vec::new(), Compression::fast()));
            let per_write = script.events_per_write.max(1);
            let mut pending: Vec<u8> = Vec::new();
            for (i, ev) in all.iter().enumerate() {
                if script.reset_after == Some(i) {
                    emit(stream, enc.as_mut(), &pending, script.chunk_bytes)?;
                    return abort(stream);
                }
                if i > 0 && i % per_write == 0 && script.delay_ms > 0 {
                    std::thread::sleep(Duration::from_millis(script.delay_ms));
                }
                pending.extend_from_slice(ev);
                if (i + 1) % per_write == 0 {
                    emit(stream, enc.as_mut(), &pending, script.chunk_bytes)?;
                    pending.clear();
                }
            }
            emit(stream, enc.as_mut(), &pending, script.chunk_bytes)?;
            if script.reset_after.is_some_and(|n| n >= all.len()) {
                return abort(stream);
            }
            if script.never_end {
                // Hold the stream open until the peer goes away (or the safety limit).
                let start = Instant::now();
                stream.set_read_timeout(Some(Duration::from_secs(1)))?;
                let mut buf = [0u8; 512];
                while start.elapsed() < NEVER_END_LIMIT {
                    match stream.read(&mut buf) {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                            ) => {}
                        Err(_) => break,
                    }
                }
                return abort(stream);
            }
            if let Some(e) = enc {
                let rest = e.finish()?;
                for p in pieces(&rest, script.chunk_bytes) {
                    write_chunk(stream, p)?;
                }
            }
            end_chunked(stream, &script.trailers)?;
            Ok(after)
        }
    }
}
