//! A small HTTP/1.1 server side: request parsing (Content-Length and chunked bodies), keep-alive,
//! and the two ways the mock answers (a whole body with Content-Length, or a chunked stream).
//!
//! It follows RFC 9112 closely enough for Envoy, curl, wrk and the SDKs' httpx; it is not a
//! general-purpose server. Every read is bounded (header block, body size), and malformed input
//! yields an error value, never a panic.

use std::io::{self, BufRead, Read, Write};

/// Largest header block accepted (request line + headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names as received (case kept); look-ups are case-insensitive.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub keep_alive: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Path without the query string.
    pub fn route(&self) -> &str {
        self.path.split('?').next().unwrap_or("")
    }
}

#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection before a new request started: not an error.
    Closed,
    /// The connection failed or timed out.
    Io,
    /// Malformed or oversized request; answered with this status then the connection closes.
    Bad(u16, &'static str),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Io
    }
}

/// Reads one line ending in LF (CR stripped), bounded by `budget`.
fn read_line<R: BufRead>(r: &mut R, budget: &mut usize) -> Result<Option<String>, ReadError> {
    let mut buf = Vec::new();
    let n = r
        .by_ref()
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget || buf.last() != Some(&b'\n') {
        if buf.last() != Some(&b'\n') && n <= *budget {
            return Err(ReadError::Bad(400, "truncated request head"));
        }
        return Err(ReadError::Bad(431, "request head too large"));
    }
    *budget -= n;
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| ReadError::Bad(400, "request head is not UTF-8"))
}

/// Reads the next request off a keep-alive connection; answers `Expect: 100-continue` on `w`
/// before reading the body.
pub fn read_request<R: BufRead, W: Write>(r: &mut R, w: &mut W) -> Result<Request, ReadError> {
    let mut budget = MAX_HEAD_BYTES;
    // RFC 9112 2.2: ignore empty lines before the request line.
    let line = loop {
        match read_line(r, &mut budget)? {
            None => return Err(ReadError::Closed),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let mut parts = line.split(' ');
    let (method, path, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(p), Some(v), None) if !m.is_empty() && p.starts_with('/') => {
            (m.to_string(), p.to_string(), v.to_string())
        }
        _ => return Err(ReadError::Bad(400, "malformed request line")),
    };
    let http10 = match version.as_str() {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Bad(505, "only HTTP/1.x is served")),
    };
    let mut headers = Vec::new();
    loop {
        let Some(l) = read_line(r, &mut budget)? else {
            return Err(ReadError::Bad(400, "connection closed inside request head"));
        };
        if l.is_empty() {
            break;
        }
        let Some((k, v)) = l.split_once(':') else {
            return Err(ReadError::Bad(400, "malformed header line"));
        };
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut req = Request {
        method,
        path,
        headers,
        body: Vec::new(),
        keep_alive: !http10,
    };
    if let Some(c) = req.header("connection") {
        let c = c.to_ascii_lowercase();
        if c.split(',').any(|t| t.trim() == "close") {
            req.keep_alive = false;
        } else if c.split(',').any(|t| t.trim() == "keep-alive") {
            req.keep_alive = true;
        }
    }
    if req
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        w.flush()?;
    }
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    if chunked {
        req.body = read_chunked(r)?;
    } else if let Some(cl) = req.header("content-length") {
        let n: usize = cl
            .parse()
            .map_err(|_| ReadError::Bad(400, "bad content-length"))?;
        if n > MAX_BODY_BYTES {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        let mut body = vec![0u8; n];
        r.read_exact(&mut body)?;
        req.body = body;
    }
    Ok(req)
}

fn read_chunked<R: BufRead>(r: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let mut budget = 4096;
        let Some(size_line) = read_line(r, &mut budget)? else {
            return Err(ReadError::Bad(400, "connection closed inside chunked body"));
        };
        let size_hex = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| ReadError::Bad(400, "bad chunk size"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            let mut budget = MAX_HEAD_BYTES;
            loop {
                match read_line(r, &mut budget)? {
                    None => return Ok(body),
                    Some(l) if l.is_empty() => return Ok(body),
                    Some(_) => {}
                }
            }
        }
        if body.len().saturating_add(size) > MAX_BODY_BYTES {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        if let Some(dst) = body.get_mut(start..) {
            r.read_exact(dst)?;
        }
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf)?;
        if &crlf != b"\r\n" {
            return Err(ReadError::Bad(400, "chunk not followed by CRLF"));
        }
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        529 => "Overloaded",
        _ => "Status",
    }
}

fn write_head<W: Write>(
    w: &mut W,
    status: u16,
    headers: &[(String, String)],
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        head.push_str(k);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    if !keep_alive {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())
}

/// Writes a whole response with `content-length`.
pub fn write_full<W: Write>(
    w: &mut W,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    keep_alive: bool,
) -> io::Result<()> {
    let mut all = headers.to_vec();
    all.push(("content-length".into(), body.len().to_string()));
    write_head(w, status, &all, keep_alive)?;
    w.write_all(body)?;
    w.flush()
}

/// Starts a chunked response; send pieces with [`write_chunk`] and end it with [`end_chunked`].
pub fn start_chunked<W: Write>(
    w: &mut W,
    status: u16,
    headers: &[(String, String)],
    keep_alive: bool,
) -> io::Result<()> {
    let mut all = headers.to_vec();
    all.push(("transfer-encoding".into(), "chunked".into()));
    write_head(w, status, &all, keep_alive)?;
    w.flush()
}

/// One HTTP chunk, flushed so that it leaves as its own network write.
pub fn write_chunk<W: Write>(w: &mut W, data: &[u8]) -> io::Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    w.write_all(&out)?;
    w.flush()
}

/// The last chunk, then the trailer fields (if any) and the final empty line.
pub fn end_chunked<W: Write>(w: &mut W, trailers: &[(String, String)]) -> io::Result<()> {
    let mut out = String::from("0\r\n");
    for (k, v) in trailers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    w.write_all(out.as_bytes())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn parse(raw: &[u8]) -> Result<Request, ReadError> {
        let mut r = BufReader::new(raw);
        let mut sink = Vec::new();
        read_request(&mut r, &mut sink)
    }

    #[test]
    fn parses_content_length_and_chunked_bodies() {
        let cases: &[(&str, &[u8], &[u8], bool)] = &[
            (
                "content-length",
                b"POST /v1/x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
                b"hello",
                true,
            ),
            (
                "chunked with extension and trailer",
                b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b\r\nhel\r\n2\r\nlo\r\n0\r\nX-T: 1\r\n\r\n",
                b"hello",
                true,
            ),
            (
                "http/1.0 closes",
                b"GET /api/tags HTTP/1.0\r\n\r\n",
                b"",
                false,
            ),
            (
                "connection close",
                b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
                b"",
                false,
            ),
        ];
        for (name, raw, body, keep) in cases {
            let req = parse(raw).unwrap();
            assert_eq!(req.body, *body, "{name}");
            assert_eq!(req.keep_alive, *keep, "{name}");
        }
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        let cases: &[(&str, &[u8])] = &[
            ("garbage line", b"hello\r\n\r\n"),
            ("bad version", b"GET / HTTP/2\r\n\r\n"),
            (
                "bad length",
                b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            ),
            (
                "huge length",
                b"POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n",
            ),
            (
                "bad chunk",
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            ),
            ("header without colon", b"GET / HTTP/1.1\r\nnocolon\r\n\r\n"),
            (
                "truncated body",
                b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
            ),
        ];
        for (name, raw) in cases {
            assert!(parse(raw).is_err(), "{name}");
        }
        assert!(matches!(parse(b""), Err(ReadError::Closed)));
    }
}
