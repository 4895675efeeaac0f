//! Verdicts of texts the detector has judged already: a text sent again costs a hash, not a scan.
//!
//! Why: every request of a conversation repeats the operator's system prompt, the tool
//! definitions (Open WebUI sends 36 of them, ~25 KB, with each chat request) and the history so
//! far; only the newest turn is new. The verdict of a text depends on nothing but the text, its
//! position kind and the compiled policy, and the memo lives in the compiled policy, so a new
//! configuration starts empty.
//!
//! Keys are two SipHash values of (position kind, text) under keys drawn once per compiled policy
//! from std's `RandomState` (the host's random source): 128 bits an attacker cannot steer, since
//! finding a malicious text that collides with a clean one would take the keys. Bounded: at most
//! [`ENTRIES`] texts, the oldest dropped first; texts under [`MIN_TEXT`] bytes are not kept (they
//! scan in microseconds); a scan the work budget cut short is not kept.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Mutex;

use super::InjectionFinding;

/// Most texts remembered per compiled policy.
pub const ENTRIES: usize = 4096;
/// Shortest text remembered, in bytes.
pub const MIN_TEXT: usize = 16;

/// What a scan of one text produced: the learned detector's probability and the findings.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    pub probability: f32,
    pub findings: Vec<InjectionFinding>,
}

pub(crate) type Key = (u64, u64);

pub(crate) struct Memo {
    keys: (RandomState, RandomState),
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    map: HashMap<Key, Verdict>,
    order: VecDeque<Key>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.inner.lock().map(|i| i.map.len()).unwrap_or(0);
        f.debug_struct("Memo").field("entries", &len).finish()
    }
}

impl Memo {
    pub fn new() -> Self {
        Self {
            keys: (RandomState::new(), RandomState::new()),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The memo's key for `text` at position kind `kind`; `None` for a text too short to keep.
    /// One key serves the lookup and, after a scan, the insertion: the text is hashed once.
    pub fn key(&self, kind: usize, text: &str) -> Option<Key> {
        if text.len() < MIN_TEXT {
            return None;
        }
        let one = |s: &RandomState| {
            let mut h = s.build_hasher();
            kind.hash(&mut h);
            text.hash(&mut h);
            h.finish()
        };
        Some((one(&self.keys.0), one(&self.keys.1)))
    }

    /// The verdict remembered under `key`, if any.
    pub fn get(&self, key: Key) -> Option<Verdict> {
        self.inner.lock().ok()?.map.get(&key).cloned()
    }

    /// Remembers the verdict of a complete scan under `key`.
    pub fn put(&self, key: Key, verdict: Verdict) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.map.insert(key, verdict).is_none() {
            inner.order.push_back(key);
        }
        while inner.order.len() > ENTRIES {
            if let Some(old) = inner.order.pop_front() {
                inner.map.remove(&old);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn verdict(p: f32) -> Verdict {
        Verdict {
            probability: p,
            findings: Vec::new(),
        }
    }

    #[test]
    fn remembers_by_kind_and_text_and_stays_bounded() {
        let m = Memo::new();
        let long = "x".repeat(MIN_TEXT);
        let put = |kind: usize, text: &str, p: f32| m.put(m.key(kind, text).unwrap(), verdict(p));
        let get = |kind: usize, text: &str| m.get(m.key(kind, text).unwrap());
        put(1, &long, 0.25);
        assert_eq!(get(1, &long).unwrap().probability, 0.25);
        assert!(
            get(2, &long).is_none(),
            "another position kind is another verdict"
        );
        assert!(get(1, &format!("{long}y")).is_none());
        assert!(m.key(1, "short").is_none(), "short texts are not kept");
        for i in 0..ENTRIES + 10 {
            put(3, &format!("{long}{i}"), 0.0);
        }
        assert!(m.inner.lock().unwrap().map.len() <= ENTRIES);
        assert!(get(1, &long).is_none(), "the oldest entry went first");
        assert!(get(3, &format!("{long}{}", ENTRIES + 9)).is_some());
    }
}
