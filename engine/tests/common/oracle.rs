//! The leak oracle: reads what reached the client the way an SDK does, and says whether a secret
//! is anywhere in it.
//!
//! Framing as the client parses it (WHATWG SSE with LF / CRLF / CR line ends, a byte-order mark
//! and multi-line `data`; NDJSON split on LF, CRLF and CR as httpx does; one JSON document), then
//! every event's strings concatenated per path across events (array positions replaced by an
//! element's `index`, as SDK accumulators key choices, items and blocks), object keys, strings
//! that are JSON decoded (and their concatenations), and logprob `bytes` arrays decoded.
#![allow(dead_code, clippy::indexing_slicing, clippy::unwrap_used)]

use std::collections::BTreeMap;

use serde_json::Value;

/// The data of each SSE event, as the WHATWG parser dispatches them.
pub fn sse_events(body: &str) -> Vec<String> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut events = Vec::new();
    let mut data: Option<String> = None;
    let mut lines = Vec::new();
    let mut rest = body;
    while let Some(pos) = rest.find(['\r', '\n']) {
        lines.push(&rest[..pos]);
        let skip = if rest[pos..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[pos + skip..];
    }
    for line in lines {
        if line.is_empty() {
            if let Some(d) = data.take() {
                events.push(d);
            }
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.split_once(':') {
            Some((n, v)) => (n, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        if name == "data" {
            match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.to_string()),
            }
        }
    }
    events
}

/// The frames of a body as its client reads them.
pub fn frames(body: &str) -> Vec<String> {
    let head = body.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("data:") || head.starts_with("event:") || head.starts_with(':') {
        return sse_events(body);
    }
    if serde_json::from_str::<Value>(body).is_ok() {
        return vec![body.to_string()];
    }
    body.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn walk(
    v: &Value,
    path: &mut String,
    texts: &mut BTreeMap<String, String>,
    keys: &mut Vec<String>,
) {
    match v {
        Value::String(s) => texts.entry(path.clone()).or_default().push_str(s),
        Value::Array(items) => {
            if path.ends_with("/bytes") && items.iter().all(Value::is_u64) {
                let bytes: Vec<u8> = items
                    .iter()
                    .filter_map(Value::as_u64)
                    .map(|b| b as u8)
                    .collect();
                texts
                    .entry(path.clone())
                    .or_default()
                    .push_str(&String::from_utf8_lossy(&bytes));
                return;
            }
            for (pos, item) in items.iter().enumerate() {
                let n = path.len();
                match item.get("index").and_then(Value::as_u64) {
                    Some(i) => path.push_str(&format!("/#{i}")),
                    None => path.push_str(&format!("/{pos}")),
                }
                walk(item, path, texts, keys);
                path.truncate(n);
            }
        }
        Value::Object(map) => {
            for (k, child) in map {
                keys.push(k.clone());
                let n = path.len();
                path.push('/');
                path.push_str(k);
                walk(child, path, texts, keys);
                path.truncate(n);
            }
        }
        _ => {}
    }
}

/// Everything a client could read out of a body: per-path concatenations, keys, decoded JSON.
pub fn readings(body: &str) -> Vec<String> {
    let mut texts = BTreeMap::new();
    let mut keys = Vec::new();
    // Per event kind as well as across kinds: a Responses or Anthropic client keys by type.
    for frame in frames(body) {
        let Ok(v) = serde_json::from_str::<Value>(frame.trim()) else {
            texts
                .entry("<raw>".to_string())
                .or_insert_with(String::new)
                .push_str(&frame);
            continue;
        };
        if let Some(kind) = v.get("type").and_then(Value::as_str) {
            let mut path = format!("{kind}>");
            walk(&v, &mut path, &mut texts, &mut keys);
            // The Anthropic SDK builds each block from its start and its deltas.
            let index = v.get("index").and_then(Value::as_u64).unwrap_or(0);
            let block = |i: u64| format!("block{i}>");
            match kind {
                "content_block_start" => {
                    if let Some(b) = v.get("content_block") {
                        walk(b, &mut block(index), &mut texts, &mut keys);
                    }
                }
                "content_block_delta" => {
                    if let Some(d) = v.get("delta") {
                        walk(d, &mut block(index), &mut texts, &mut keys);
                    }
                }
                "message_start" => {
                    let blocks = v.pointer("/message/content").and_then(Value::as_array);
                    for (i, b) in blocks.into_iter().flatten().enumerate() {
                        walk(b, &mut block(i as u64), &mut texts, &mut keys);
                    }
                }
                _ => {}
            }
        }
        let mut path = String::new();
        walk(&v, &mut path, &mut texts, &mut keys);
    }
    let mut out: Vec<String> = texts.into_values().collect();
    out.extend(keys);
    let mut decoded = Vec::new();
    for s in &out {
        if let Ok(v) = serde_json::from_str::<Value>(s) {
            decoded.push(v.to_string());
            let mut t = BTreeMap::new();
            let mut k = Vec::new();
            walk(&v, &mut String::new(), &mut t, &mut k);
            decoded.extend(t.into_values());
            decoded.extend(k);
        }
    }
    out.extend(decoded);
    out.push(body.to_string());
    out
}

/// Where a secret is readable in a body, if anywhere.
pub fn leak(body: &str, secret: &str) -> Option<String> {
    readings(body).into_iter().find(|r| r.contains(secret))
}
