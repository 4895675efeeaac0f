//! A minimal HTTP health endpoint (`GET /healthz`) on its own port, for Kubernetes probes and
//! tests: 200 `ok` while the server accepts streams, 503 `draining` once shutdown began.
//! Deliberately not a web framework: one request per connection, bounded read, no keep-alive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_REQUEST_HEAD: usize = 4096;

pub async fn serve(listener: TcpListener, serving: Arc<AtomicBool>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let serving = Arc::clone(&serving);
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(5), answer(stream, &serving)).await;
        });
    }
}

async fn answer(mut stream: TcpStream, serving: &AtomicBool) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(256);
    let mut buf = [0u8; 512];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_HEAD {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let is_health = line.starts_with(b"GET /healthz ") || line.starts_with(b"HEAD /healthz ");
    let (status, body) = match (is_health, serving.load(Ordering::Relaxed)) {
        (false, _) => ("404 Not Found", "not found\n"),
        (true, true) => ("200 OK", "ok\n"),
        (true, false) => ("503 Service Unavailable", "draining\n"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
