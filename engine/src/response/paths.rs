//! Strings at every path of a streamed event, each a text stream with the hold-back contract.
//!
//! Clients reassemble a streamed answer by concatenating each field across events (a choice's
//! `delta.refusal`, `delta.audio.transcript`, the text part of a `delta.content` array, a
//! Responses `*.delta` event of any kind, an Anthropic delta's fields). The dialects know the
//! fields they must edit exactly (text, tool calls); every other string of a streamed event is
//! pushed here, into a [`Lane`] keyed by its scope (the choice, item or block it belongs to, as
//! the dialect names it) and its path inside the event, with an array position replaced by the
//! element's `index` where it has one. So a secret spread over events at a path no dialect names
//! is held back and redacted like text, not passed.
//!
//! What a lane still holds when its scope ends is released in a frame shaped like the last event
//! that carried the path: that event pruned to the path (identifier and enum fields kept, other
//! branches dropped), with the held text at the path.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::{Ctx, FrameQueue, Lane, TextEdits, ID_KEYS};

/// One path's stream: its lane, and the pruned shape of the last event that carried it.
struct PathLane {
    lane: Lane,
    location: String,
    event: Option<String>,
    skeleton: Value,
    /// Pointer of the string inside `skeleton`.
    leaf: String,
}

/// The lanes of unknown string paths of one streamed answer.
#[derive(Default)]
pub struct PathLanes {
    lanes: BTreeMap<String, PathLane>,
}

/// Keys whose values end a choice, block or stream: not copied into a frame that only carries
/// held text.
const ENDING_KEYS: &[&str] = &["finish_reason", "stop_reason", "done_reason"];

fn escape_token(key: &str, out: &mut String) {
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A string found in an event: its pointer in the event and its lane key (relative path, array
/// positions replaced by element indexes).
struct Found {
    ptr: String,
    key: String,
}

fn collect(
    v: &Value,
    ptr: &mut String,
    key: &mut String,
    known: &dyn Fn(&str) -> bool,
    rel_from: usize,
    out: &mut Vec<Found>,
) {
    match v {
        Value::String(s) if !s.is_empty() => {
            out.push(Found {
                ptr: ptr.clone(),
                key: key.clone(),
            });
        }
        Value::Array(items) => {
            for (pos, item) in items.iter().enumerate() {
                let (p, k) = (ptr.len(), key.len());
                ptr.push('/');
                ptr.push_str(&pos.to_string());
                key.push('/');
                match item.get("index").and_then(Value::as_u64) {
                    Some(i) => {
                        key.push('#');
                        key.push_str(&i.to_string());
                    }
                    None => key.push_str(&pos.to_string()),
                }
                if !known(ptr.get(rel_from..).unwrap_or("")) {
                    collect(item, ptr, key, known, rel_from, out);
                }
                ptr.truncate(p);
                key.truncate(k);
            }
        }
        Value::Object(map) => {
            for (name, child) in map {
                if ID_KEYS.contains(&name.as_str())
                    || !(child.is_string() || child.is_array() || child.is_object())
                {
                    continue;
                }
                let (p, k) = (ptr.len(), key.len());
                ptr.push('/');
                escape_token(name, ptr);
                key.push('/');
                escape_token(name, key);
                if !known(ptr.get(rel_from..).unwrap_or("")) {
                    collect(child, ptr, key, known, rel_from, out);
                }
                ptr.truncate(p);
                key.truncate(k);
            }
        }
        _ => {}
    }
}

/// `root` pruned to the branch that leads to `ptr`: at each level the identifier and scalar
/// fields are kept (ending fields dropped, `done` set false), the branch is followed, everything
/// else is dropped. Returns the pruned value and the pointer of the leaf inside it.
fn prune(root: &Value, ptr: &str) -> (Value, String) {
    let tokens: Vec<String> = ptr.split('/').skip(1).map(unescape_token).collect();
    let mut leaf = String::new();
    let value = prune_at(root, &tokens, &mut leaf);
    (value, leaf)
}

fn prune_at(v: &Value, tokens: &[String], leaf: &mut String) -> Value {
    let Some((first, rest)) = tokens.split_first() else {
        return Value::String(String::new());
    };
    match v {
        Value::Array(items) => {
            let child = first
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .unwrap_or(&Value::Null);
            leaf.push_str("/0");
            Value::Array(vec![prune_at(child, rest, leaf)])
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, child) in map {
                if k == first || ENDING_KEYS.contains(&k.as_str()) {
                    continue;
                }
                match child {
                    Value::String(_) if ID_KEYS.contains(&k.as_str()) => {
                        out.insert(k.clone(), child.clone());
                    }
                    Value::Bool(_) if k == "done" => {
                        out.insert(k.clone(), Value::Bool(false));
                    }
                    Value::Number(_) | Value::Bool(_) => {
                        out.insert(k.clone(), child.clone());
                    }
                    _ => {}
                }
            }
            leaf.push('/');
            escape_token(first, leaf);
            let child = map.get(first.as_str()).unwrap_or(&Value::Null);
            out.insert(first.clone(), prune_at(child, rest, leaf));
            Value::Object(out)
        }
        _ => Value::String(String::new()),
    }
}

impl PathLanes {
    pub fn holding(&self) -> bool {
        self.lanes.values().any(|l| l.lane.holding())
    }

    pub fn held_bytes(&self) -> usize {
        self.lanes.values().map(|l| l.lane.held_bytes()).sum()
    }

    /// Pushes every string of `root` that `known` does not claim (given its pointer in `root`)
    /// through the lane of `scope` and its path; released text replaces each string, recorded in
    /// `edits` (at `edit_prefix` + its pointer) for the clean form. `event` is the SSE event
    /// name, if any; `root` is what a frame releasing held text is shaped like.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        ctx: &mut Ctx<'_>,
        (queue, edits): (&mut FrameQueue, &mut TextEdits),
        event: Option<&str>,
        scope: &str,
        root: &mut Value,
        edit_prefix: &str,
        known: &dyn Fn(&str) -> bool,
    ) {
        if !ctx.redacting() {
            return;
        }
        let mut found = Vec::new();
        let mut ptr = String::new();
        let mut key = String::new();
        collect(root, &mut ptr, &mut key, known, 0, &mut found);
        for f in found {
            let lane_key = format!("{scope}|{}", f.key);
            let entry = self.lanes.entry(lane_key).or_insert_with(|| PathLane {
                lane: Lane::default(),
                location: format!(
                    "{}{}",
                    scope.split('|').next().unwrap_or(scope),
                    f.key.replace('/', ".")
                ),
                event: None,
                skeleton: Value::Null,
                leaf: String::new(),
            });
            let Some(Value::String(piece)) = super::pointer_mut(root, &f.ptr) else {
                continue;
            };
            let released =
                ctx.push_text(&mut entry.lane, piece, &entry.location, &mut queue.diverged);
            if released != *piece {
                let original = std::mem::replace(piece, released);
                edits.push((format!("{edit_prefix}{}", f.ptr), original));
            }
            if entry.lane.holding() {
                let (skeleton, leaf) = prune(root, &f.ptr);
                entry.skeleton = skeleton;
                entry.leaf = leaf;
                entry.event = event.map(str::to_string);
            }
        }
    }

    /// Ends the lanes whose key starts with `prefix` (all of them for `""`): what they hold is
    /// queued, in the re-written form only, each in a frame shaped like the last event that
    /// carried its path.
    pub fn finish(
        &mut self,
        ctx: &mut Ctx<'_>,
        queue: &mut FrameQueue,
        prefix: &dyn fmt::Display,
        write: &dyn Fn(Option<&str>, &Value) -> Vec<u8>,
    ) {
        // The prefix is written out only when some path holds a lane (most never do).
        if self.lanes.is_empty() {
            return;
        }
        let prefix = prefix.to_string();
        let keys: Vec<String> = self
            .lanes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            let Some(mut pl) = self.lanes.remove(&k) else {
                continue;
            };
            let rest = ctx.finish_text(&mut pl.lane, &pl.location, &mut queue.diverged);
            if rest.is_empty() {
                continue;
            }
            if let Some(slot) = super::pointer_mut(&mut pl.skeleton, &pl.leaf) {
                *slot = Value::String(rest);
                queue.push_full(write(pl.event.as_deref(), &pl.skeleton));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn prune_keeps_identifiers_and_the_branch() {
        let v = json!({"id": "c1", "created": 1, "choices": [
            {"index": 0, "delta": {"content": "x"}},
            {"index": 1, "finish_reason": "stop", "delta": {"refusal": "ab", "content": "y"}}
        ], "usage": {"total_tokens": 3}});
        let (p, leaf) = prune(&v, "/choices/1/delta/refusal");
        assert_eq!(leaf, "/choices/0/delta/refusal");
        assert_eq!(
            p,
            json!({"id": "c1", "created": 1, "choices": [{"index": 1, "delta": {"refusal": ""}}]})
        );
    }
}
