//! A minimal HTTP health endpoint (`GET /healthz`) on its own port, for Kubernetes probes and
//! tests: 200 `ok` while the server accepts streams, 503 `draining` once shutdown began.
//! Deliberately not a web framework: one request per connection, bounded read, no keep-alive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_REQUEST_HEAD: usize = 4096;

/// The wait after a failed `accept()`: doubles with each failure in a row, from
/// [`Backoff::FIRST`] to [`Backoff::MAX`]; a successful accept starts over.
#[derive(Debug, Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(5);
    const MAX: Duration = Duration::from_secs(1);

    fn next_delay(&mut self) -> Duration {
        let delay = Self::FIRST
            .saturating_mul(1u32.checked_shl(self.failures).unwrap_or(u32::MAX))
            .min(Self::MAX);
        self.failures = self.failures.saturating_add(1);
        delay
    }

    fn reset(&mut self) {
        self.failures = 0;
    }
}

pub async fn serve(listener: TcpListener, serving: Arc<AtomicBool>) {
    let mut backoff = Backoff::default();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff.reset();
                stream
            }
            // A failed accept (out of file descriptors, ...) usually fails again at once:
            // retrying in a tight loop would spin a core. Wait, longer each time in a row.
            Err(_) => {
                tokio::time::sleep(backoff.next_delay()).await;
                continue;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_accepts_back_off_up_to_a_bound_and_start_over_after_success() {
        let mut b = Backoff::default();
        let ms: Vec<u128> = (0..12).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(
            ms,
            [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000]
        );
        // However long the failures last, the wait stays bounded.
        for _ in 0..100 {
            assert_eq!(b.next_delay(), Backoff::MAX);
        }
        b.reset();
        assert_eq!(b.next_delay(), Backoff::FIRST);
    }
}
