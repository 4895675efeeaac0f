//! The record of what the upstream saw (`GET /__mock/requests`), so that end-to-end tests can
//! check what the filter let through: stripped tools, rewritten model, redacted secrets.
//! Bounded: the oldest entries go first, so a benchmark cannot grow it without limit.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::http::Request;

const MAX_ENTRIES: usize = 2000;

#[derive(Default)]
pub struct Journal {
    inner: Mutex<(u64, VecDeque<Value>)>,
}

impl Journal {
    pub fn record(&self, req: &Request) {
        let mut headers = Map::new();
        for (k, v) in &req.headers {
            let k = k.to_ascii_lowercase();
            let joined = match headers.get(&k).and_then(Value::as_str) {
                Some(prev) => format!("{prev}, {v}"),
                None => v.clone(),
            };
            headers.insert(k, Value::String(joined));
        }
        let Ok(mut g) = self.inner.lock() else {
            return;
        };
        let seq = g.0;
        g.0 += 1;
        let entry = json!({
            "seq": seq,
            "method": req.method,
            "path": req.path,
            "headers": headers,
            "body": String::from_utf8_lossy(&req.body),
        });
        if g.1.len() >= MAX_ENTRIES {
            g.1.pop_front();
        }
        g.1.push_back(entry);
    }

    pub fn list(&self) -> Value {
        match self.inner.lock() {
            Ok(g) => Value::Array(g.1.iter().cloned().collect()),
            Err(_) => Value::Array(Vec::new()),
        }
    }

    pub fn clear(&self) -> usize {
        match self.inner.lock() {
            Ok(mut g) => {
                let n = g.1.len();
                g.1.clear();
                n
            }
            Err(_) => 0,
        }
    }
}
