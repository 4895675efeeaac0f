//! What a request asks for: the model, the tools it offers, the tool it forces; and the edits the
//! engine makes to it (strip tools, rewrite the model alias).
//!
//! Tool definitions differ per API: OpenAI Chat and Ollama `{"type": "function", "function":
//! {"name"}}`, OpenAI Responses and Anthropic `{"name"}` at the top of the entry, hosted tools only
//! a `type` (`web_search`, `code_interpreter`): a hosted tool is governed under its type name.
//!
//! The engine reads fields by their exact names, so a body it would read differently from the
//! upstream is refused before anything else ([`parse`], [`ambiguous_key`]):
//! - Ollama decodes requests with Go's `encoding/json`, which matches object keys to struct
//!   fields case-insensitively (with Unicode folding: `ſ` is `s`, `K` (Kelvin) is `k`) and
//!   lets the last match win, so `{"model": "approved", "Model": "other"}` runs `other`, and
//!   `"Tools"`, `"Role"`, `"Prompt"` are read as `tools`, `role`, `prompt`. In every object the
//!   engine interprets (the top level, messages and input items, content parts, tool
//!   definitions and calls, `tool_choice`), a key that folds to a field name the engine reads
//!   without being that name, or two keys that fold alike, make the request ambiguous. Objects
//!   the engine does not interpret (tool `parameters` schemas, call `arguments`, `metadata`,
//!   `options`, `format`, ...) may hold any keys.
//! - The same key twice in one object: serde_json, Go and Python all keep the last value of a
//!   scalar or array, but Go merges two objects given for one field (a map or struct is decoded
//!   into, not replaced), so the upstream could read keys the engine never saw. Duplicate keys
//!   are refused at any depth; no JSON encoder writes them.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::walk::SKIPPED_KEYS;
use super::ApiKind;
use crate::json::{duplicate_key, field, member, parse_strict};
use crate::quote::quoted;

/// The name an entry of `tools[]` (or legacy `functions[]`) declares.
pub fn tool_name(entry: &Value) -> Option<&str> {
    // Read field by field (not `Value::pointer`, which parses its path on every call): this
    // runs for every offered tool, several times per request.
    let name_in = |key: &str| member(entry, key).and_then(|v| member(v, "name"));
    name_in("function")
        .or_else(|| member(entry, "name"))
        .or_else(|| name_in("custom"))
        .or_else(|| member(entry, "type"))
        .and_then(Value::as_str)
}

/// Where a request offers tools: `tools`, legacy `functions`, and Anthropic's `mcp_servers` (the
/// MCP connector: each server entry hands the model every tool of that server, so it is governed
/// as an offered tool under its `name`).
const OFFERED: [&str; 3] = ["tools", "functions", "mcp_servers"];

/// Names of all offered tools.
pub fn offered_tools(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in OFFERED {
        if let Some(Value::Array(items)) = doc.get(key) {
            out.extend(items.iter().filter_map(tool_name).map(str::to_string));
        }
    }
    out
}

/// The tool a request forces with `tool_choice` (OpenAI Chat `{"type": "function", "function":
/// {"name"}}`, Responses `{"type": "function", "name"}`, Anthropic `{"type": "tool", "name"}`) or
/// legacy `function_call: {"name"}`.
pub fn forced_tool(doc: &Value) -> Option<String> {
    let choice = doc
        .get("tool_choice")
        .or_else(|| doc.get("function_call"))?;
    member(choice, "function")
        .and_then(|f| member(f, "name"))
        .or_else(|| member(choice, "name"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Removes offered tools for which `keep` is false; returns the removed names. When nothing is
/// left, `tools` is removed, and so is a `tool_choice` that would now refer to nothing.
pub fn strip_tools(doc: &mut Value, keep: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut removed = Vec::new();
    let Some(map) = doc.as_object_mut() else {
        return removed;
    };
    for key in OFFERED {
        let mut emptied = false;
        if let Some(Value::Array(items)) = map.get_mut(key) {
            items.retain(|t| match tool_name(t) {
                Some(n) if !keep(n) => {
                    removed.push(n.to_string());
                    false
                }
                _ => true,
            });
            emptied = items.is_empty();
        }
        if emptied && !removed.is_empty() {
            map.remove(key);
            if key != "mcp_servers" {
                drop_choice(map);
            }
        }
    }
    removed
}

fn drop_choice(map: &mut Map<String, Value>) {
    map.remove("tool_choice");
    map.remove("function_call");
    map.remove("parallel_tool_calls");
}

/// The requested model.
pub fn model(doc: &Value) -> Option<&str> {
    doc.get("model").and_then(Value::as_str)
}

/// Every model name a request asks the upstream to load: `model`, and on Ollama's other
/// endpoints (`/api/show`) also the deprecated `name`, which Ollama reads when `model` is empty.
pub fn requested_models(doc: &Value, api: ApiKind) -> Vec<&str> {
    let fields: &[&str] = if api == ApiKind::OllamaOther {
        &["model", "name"]
    } else {
        &["model"]
    };
    fields
        .iter()
        .filter_map(|k| doc.get(*k).and_then(Value::as_str))
        .collect()
}

/// Why a request body could not be read as one unambiguous JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    NotJson,
    TooDeep,
    /// An object has this key twice (the key, quoted and bounded).
    DuplicateKey(String),
}

/// Parses a request body as JSON, refusing an object that holds the same key twice.
pub fn parse(body: &[u8]) -> Result<Value, BodyError> {
    parse_strict(body).map_err(|e| body_error(&e))
}

fn body_error(e: &serde_json::Error) -> BodyError {
    if let Some(key) = duplicate_key(e) {
        return BodyError::DuplicateKey(key);
    }
    if e.to_string().contains("recursion limit") {
        BodyError::TooDeep
    } else {
        BodyError::NotJson
    }
}

/// Field names the engine reads in a request object (besides [`SKIPPED_KEYS`], which it reads
/// to skip): a case variant of one of these could be read by the upstream in its place.
const READ_FIELDS: &[&str] = &[
    "model",
    "name",
    "from",
    "source",
    "destination",
    "messages",
    "input",
    "system",
    "instructions",
    "prompt",
    "suffix",
    "template",
    "query",
    "tools",
    "functions",
    "tool_choice",
    "function_call",
    "parallel_tool_calls",
    "role",
    "content",
    "text",
    "thinking",
    "output",
    "tool_calls",
    "tool_name",
    "function",
    "custom",
    "arguments",
];

/// Children of the top-level object that hold objects the engine interprets.
const TOP_CHILDREN: &[&str] = &[
    "messages",
    "input",
    "system",
    "instructions",
    "tools",
    "functions",
    "tool_choice",
    "function_call",
];

/// Children of an interpreted object (message, item, part, tool, call) that hold more of them.
const ITEM_CHILDREN: &[&str] = &["content", "tool_calls", "function", "custom"];

/// A key as Go's `encoding/json` compares it: ASCII case folded, and the four non-ASCII
/// letters whose case mapping is ASCII (`ſ`, `K` Kelvin, `ı`, `İ`) folded to it; other letters
/// lowercased (they only matter for two keys that collide).
fn fold(key: &str) -> Cow<'_, str> {
    if folds_to_itself(key) {
        return Cow::Borrowed(key);
    }
    Cow::Owned(
        key.chars()
            .flat_map(|c| {
                let c = match c {
                    '\u{17f}' => 's',
                    '\u{212a}' => 'k',
                    '\u{131}' | '\u{130}' => 'i',
                    c => c,
                };
                c.to_lowercase()
            })
            .collect(),
    )
}

/// Most keys are already ASCII lower case, and fold to themselves.
fn folds_to_itself(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

fn is_read_field(folded: &str) -> bool {
    READ_FIELDS.contains(&folded) || SKIPPED_KEYS.contains(&folded)
}

/// The first ambiguous key in the objects the engine interprets (see the module docs), as
/// `location: "Key"`; `None` when every key is read the same by the engine and the upstream.
pub fn ambiguous_key(doc: &Value) -> Option<String> {
    let Value::Object(top) = doc else {
        return None;
    };
    // The path of each object is kept as (parent, segment) links and spelled out only for the
    // answer: a request without an ambiguous key allocates no path.
    let mut links: Vec<(usize, Segment<'_>)> = Vec::new();
    let mut work: Vec<Pending<'_>> = vec![(top, None, TOP_CHILDREN)];
    let mut seen: BTreeSet<Cow<'_, str>> = BTreeSet::new();
    while let Some((map, at, children)) = work.pop() {
        // The keys of one object are distinct (the map holds each once), so two of them fold
        // alike, or one is a variant, only when one does not fold to itself.
        let plain = map.keys().all(|k| folds_to_itself(k));
        seen.clear();
        for key in map.keys().filter(|_| !plain) {
            let folded = fold(key);
            let variant = folded != key.as_str() && is_read_field(&folded);
            if variant || !seen.insert(folded) {
                let at = match at {
                    None => "top level".to_string(),
                    Some(link) => spell(&links, link),
                };
                return Some(format!("{} at {at}", quoted(key)));
            }
        }
        for child in children {
            let mut here = |seg| {
                links.push((at.unwrap_or(usize::MAX), seg));
                Some(links.len() - 1)
            };
            match field(map, child) {
                Some(Value::Object(m)) => {
                    let link = here(Segment::Key(child));
                    work.push((m, link, ITEM_CHILDREN));
                }
                Some(Value::Array(items)) => {
                    let parent = here(Segment::Key(child));
                    for (i, item) in items.iter().enumerate() {
                        if let Value::Object(m) = item {
                            links.push((parent.unwrap_or(usize::MAX), Segment::Index(i)));
                            work.push((m, Some(links.len() - 1), ITEM_CHILDREN));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// An object still to check: the object, the link of its path, the children the engine reads.
type Pending<'a> = (
    &'a Map<String, Value>,
    Option<usize>,
    &'static [&'static str],
);

/// One step of a path: `.key` (no dot at the top) or `[index]`.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The path ending at `links[link]`, as `messages[0].content`; `usize::MAX` is the top.
fn spell(links: &[(usize, Segment<'_>)], mut link: usize) -> String {
    let mut steps = Vec::new();
    while let Some(&(parent, seg)) = links.get(link) {
        steps.push(seg);
        link = parent;
    }
    let mut out = String::new();
    for seg in steps.into_iter().rev() {
        match seg {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

pub fn set_model(doc: &mut Value, name: &str) {
    if let Some(map) = doc.as_object_mut() {
        map.insert("model".into(), Value::String(name.to_string()));
    }
}

/// Whether the request asks for a streamed answer. Ollama's native endpoints stream unless told
/// not to; the OpenAI and Anthropic shapes stream only when asked.
pub fn wants_stream(doc: &Value, ollama_native: bool) -> bool {
    match doc.get("stream") {
        Some(Value::Bool(b)) => *b,
        _ => ollama_native,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tool_names_in_every_shape() {
        let doc = json!({"tools": [
            {"type": "function", "function": {"name": "get_weather"}},
            {"name": "send_money", "input_schema": {}},
            {"type": "web_search"},
            {"type": "function", "name": "delete_file"}
        ]});
        assert_eq!(
            offered_tools(&doc),
            vec!["get_weather", "send_money", "web_search", "delete_file"]
        );
    }

    #[test]
    fn tool_names_read_as_json_pointers_do() {
        // tool_name reads field by field what these pointers name, in this order.
        let by_pointer = |e: &Value| -> Option<String> {
            e.pointer("/function/name")
                .or_else(|| e.get("name"))
                .or_else(|| e.pointer("/custom/name"))
                .or_else(|| e.get("type"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let rows = [
            json!({"type": "function", "function": {"name": "f"}, "name": "n"}),
            json!({"function": {"name": 5}, "name": "n"}),
            json!({"function": ["name"], "name": "n"}),
            json!({"function": "f", "custom": {"name": "c"}}),
            json!({"custom": {"name": "c"}, "type": "custom"}),
            json!({"custom": {"Name": "c"}, "type": "custom"}),
            json!({"type": "web_search"}),
            json!({"type": 1}),
            json!(["function"]),
            json!("function"),
            json!({"function": {"name": "f", "a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "g": 6,
                "h": 7, "i": 8, "j": 9, "k": 10, "l": 11, "m": 12, "n": 13, "o": 14, "p": 15,
                "q": 16}}),
        ];
        for e in rows {
            assert_eq!(tool_name(&e).map(str::to_string), by_pointer(&e), "{e}");
        }
        let choices = [
            json!({"tool_choice": {"type": "function", "function": {"name": "x"}, "name": "y"}}),
            json!({"tool_choice": {"function": {"name": 1}, "name": "y"}}),
            json!({"function_call": {"name": "z"}}),
            json!({"tool_choice": ["x"]}),
        ];
        for doc in choices {
            let choice = doc.get("tool_choice").or_else(|| doc.get("function_call"));
            let want = choice.and_then(|c| {
                c.pointer("/function/name")
                    .or_else(|| c.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            assert_eq!(forced_tool(&doc), want, "{doc}");
        }
    }

    #[test]
    fn strip_removes_and_cleans_up() {
        let mut doc = json!({"tools": [{"name": "a"}, {"name": "b"}], "tool_choice": "auto"});
        assert_eq!(strip_tools(&mut doc, &|n| n == "a"), vec!["b"]);
        assert_eq!(
            doc,
            json!({"tools": [{"name": "a"}], "tool_choice": "auto"})
        );
        assert_eq!(strip_tools(&mut doc, &|_| false), vec!["a"]);
        assert_eq!(doc, json!({}));
    }

    #[test]
    fn ambiguous_keys() {
        let rows: Vec<(&str, Value, Option<&str>)> = vec![
            (
                "exact keys",
                json!({"model": "m", "messages": [{"role": "user", "content": "x"}]}),
                None,
            ),
            (
                "variant at top",
                json!({"Model": "m"}),
                Some("\"Model\" at top level"),
            ),
            (
                "kelvin sign",
                json!({"\u{212a}eep_alive": 1}),
                Some("at top level"),
            ),
            (
                "dotless i",
                json!({"\u{131}nstructions": "x"}),
                Some("at top level"),
            ),
            (
                "collision of unknown keys",
                json!({"Foo": 1, "foo": 2}),
                Some("\"foo\" at top level"),
            ),
            (
                "variant in a part",
                json!({"messages": [{"content": [{"Text": "x"}]}]}),
                Some("\"Text\" at messages[0].content[0]"),
            ),
            (
                "variant in a call",
                json!({"messages": [{"tool_calls": [{"function": {"Arguments": "{}"}}]}]}),
                Some("at messages[0].tool_calls[0].function"),
            ),
            (
                "schema is free",
                json!({"tools": [{"function": {"parameters": {"Model": 1, "model": 2}}}]}),
                None,
            ),
            (
                "tool_use input is free",
                json!({"messages": [{"content": [{"type": "tool_use", "input": {"Role": 1}}]}]}),
                None,
            ),
            (
                "options are free",
                json!({"options": {"Stop": 1, "stop": 2}, "metadata": {"Model": 1}}),
                None,
            ),
            ("non-object body", json!(["Model"]), None),
        ];
        for (name, doc, want) in rows {
            let got = ambiguous_key(&doc);
            match want {
                None => assert_eq!(got, None, "{name}"),
                Some(part) => assert!(
                    got.as_deref().is_some_and(|g| g.contains(part)),
                    "{name}: {got:?}"
                ),
            }
        }
    }

    #[test]
    fn strict_parse() {
        // serde_json alone keeps the last of two equal keys; the strict parse refuses them.
        let twice = br#"{"a": {"model": "x", "model": "y"}}"#;
        let lenient: Value = serde_json::from_slice(twice).unwrap();
        assert_eq!(lenient["a"]["model"], "y");
        assert_eq!(
            parse(twice),
            Err(BodyError::DuplicateKey("\"model\"".into()))
        );
        let ok = br#"{"a": [1, -2, 3.5, true, null, "s"], "b": {}}"#;
        assert_eq!(
            parse(ok).unwrap(),
            serde_json::from_slice::<Value>(ok).unwrap()
        );
        assert_eq!(parse(b"{"), Err(BodyError::NotJson));
        assert_eq!(parse(b"{} x"), Err(BodyError::NotJson));
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(parse(deep.as_bytes()), Err(BodyError::TooDeep));
    }

    #[test]
    fn forced() {
        assert_eq!(
            forced_tool(&json!({"tool_choice": {"type": "function", "function": {"name": "x"}}})),
            Some("x".into())
        );
        assert_eq!(
            forced_tool(&json!({"tool_choice": {"type": "tool", "name": "y"}})),
            Some("y".into())
        );
        assert_eq!(forced_tool(&json!({"tool_choice": "auto"})), None);
    }
}
