//! Finds every text the model will read in a JSON request body, whatever the API shape.
//!
//! Rather than one extractor per API (and a silent gap for every field nobody listed), the walker
//! visits every string in the document and classifies it by where it sits: the enclosing message's
//! `role`, a `tool_result` / `function_call_output` / `document` block, `tools[]` (tool
//! definitions: third-party text), the inputs of an embeddings call, a top-level `system` /
//! `instructions` / `prompt` / `template` field. Only identifiers and binary payloads (ids, model
//! names, base64 images and documents) are skipped; a plain-text document's `data` is text. The
//! same visitor rewrites strings in place for request-side redaction, and
//! [`visit_redactable`] visits object keys too (a secret used as a key is still sent).
//!
//! A `role` the engine does not know (`"System"`, or a role carrying text, which an Ollama
//! template prints verbatim) is not an error: the role value is scanned as a user text, and so
//! is its message (the operator did not write it, whatever it claims).
//!
//! [`scan_texts`] is what the injection detector reads: the text parts of one message joined into
//! one text, as the model reads them (an instruction split across parts is one instruction), and
//! an Ollama `template` rendered with the request's values ([`super::go_template`]).

use serde_json::{Map, Value};

use super::go_template;
use super::ApiKind;
use crate::json::field;
use crate::text::{ScanText, TextKind};

/// Keys whose string values are identifiers, enums or binary payloads, not text for the model.
pub(crate) const SKIPPED_KEYS: &[&str] = &[
    "model",
    "role",
    "type",
    "id",
    "tool_call_id",
    "tool_use_id",
    "call_id",
    "item_id",
    "previous_response_id",
    "images",
    "image_url",
    "data",
    "media_type",
    "signature",
    "keep_alive",
    "encoding_format",
    "cache_control",
    "service_tier",
    "reasoning_effort",
    "detail",
    "file_id",
    // OpenAI `file` / Responses `input_file` parts: a base64 document.
    "file_data",
    "stream",
];

/// The roles chat APIs define; any other value is read as text (see the module docs).
fn role_kind(role: &str) -> Option<TextKind> {
    Some(match role {
        "system" | "developer" => TextKind::System,
        "user" => TextKind::User,
        "assistant" | "model" => TextKind::Assistant,
        "tool" | "function" | "ipython" => TextKind::ToolResult,
        _ => return None,
    })
}

/// Block and item types whose text is data from a third party (tool output, documents,
/// retrieved context).
fn is_data_block(kind: &str) -> bool {
    matches!(
        kind,
        "tool_result"
            | "function_call_output"
            | "custom_tool_call_output"
            | "mcp_tool_result"
            | "document"
            | "search_result"
            | "web_search_tool_result"
            | "web_fetch_tool_result"
    )
}

fn top_level_kind(key: &str, api: ApiKind) -> TextKind {
    let embeddings = matches!(api, ApiKind::OpenAiEmbeddings | ApiKind::OllamaEmbed);
    match key {
        "input" | "prompt" if embeddings => TextKind::Embedding,
        "system" | "instructions" => TextKind::System,
        "prompt" | "suffix" | "input" | "messages" | "query" => TextKind::User,
        "template" => TextKind::Template,
        "tools" | "functions" => TextKind::ToolDefinition,
        _ if api == ApiKind::Unknown => TextKind::Unparsed,
        _ => TextKind::Other,
    }
}

/// Visits every text string of `doc` with its kind and location; the visitor may rewrite it.
/// Top-level fields nobody classified are `Unparsed` for an unknown API, `Other` otherwise.
pub fn visit_texts(
    doc: &mut Value,
    api: ApiKind,
    visit: &mut dyn FnMut(&mut String, TextKind, &str),
) {
    visit_doc(doc, api, visit);
}

/// A string [`visit_redactable`] offers: a text of the document, in place (what the visitor
/// leaves in it stays there), or a copy of an object key (the key is renamed when the visitor
/// changes the copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Text,
    Key,
}

/// [`visit_texts`], then every object key at any depth, for secret redaction: a key the
/// visitor rewrites is renamed in place (order kept). Keys come after all the texts and a line
/// break (a text of its own, whose rewrite is ignored), so texts that follow each other in the
/// document still follow each other for the visitor (secrets split between them are joined).
/// A key's location is its object's path with `.(key)`, never the key itself.
///
/// Which strings are offered, and in what order, depends on the document's keys, on `type`
/// values (never offered) and on whether a `role` is one the engine knows (only an unknown one
/// is offered, and emptied it is still unknown): a visitor may move the texts out
/// (`std::mem::take`), and a later walk of the same document offers the same slots in the same
/// order, to put them back.
pub fn visit_redactable(
    doc: &mut Value,
    api: ApiKind,
    visit: &mut dyn FnMut(&mut String, Slot, &str),
) {
    visit_doc(doc, api, &mut |s, _, loc| visit(s, Slot::Text, loc));
    // A line break between the last text and the first key: a visitor that reads consecutive
    // texts as one (secrets::joins) must not glue a key onto the text before it.
    let mut boundary = String::from("\n");
    visit(&mut boundary, Slot::Text, "(keys)");
    let mut path = String::new();
    let mut key = String::new();
    walk_keys(doc, &mut path, &mut key, visit);
}

fn visit_doc(doc: &mut Value, api: ApiKind, visit: &mut dyn FnMut(&mut String, TextKind, &str)) {
    let mut path = String::new();
    let fallback = top_level_kind("", api);
    match doc {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if SKIPPED_KEYS.contains(&k.as_str()) {
                    continue;
                }
                path.clear();
                path.push_str(k);
                walk(v, top_level_kind(k, api), &mut path, visit);
            }
        }
        other => walk(other, fallback, &mut path, visit),
    }
}

/// `path` followed by `[i]`.
fn push_index(path: &mut String, i: usize) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = write!(path, "[{i}]");
}

/// Offers every object key under `v` to the visitor (objects before their children) and renames
/// the ones it rewrote. `key` is scratch space for the copy the visitor is offered.
fn walk_keys(
    v: &mut Value,
    path: &mut String,
    key: &mut String,
    visit: &mut dyn FnMut(&mut String, Slot, &str),
) {
    let base = path.len();
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.truncate(base);
                push_index(path, i);
                walk_keys(item, path, key, visit);
            }
        }
        Value::Object(map) => {
            visit_keys(map, path, key, visit);
            for (k, child) in map.iter_mut() {
                path.truncate(base);
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk_keys(child, path, key, visit);
            }
        }
        _ => {}
    }
    path.truncate(base);
}

/// Offers each key of `map` to the visitor (a copy, in `key`) and renames the ones it rewrote.
fn visit_keys(
    map: &mut Map<String, Value>,
    path: &mut String,
    key: &mut String,
    visit: &mut dyn FnMut(&mut String, Slot, &str),
) {
    let base = path.len();
    path.push_str(if base == 0 { "(key)" } else { ".(key)" });
    let mut renamed: Vec<(String, String)> = Vec::new();
    for k in map.keys() {
        key.clear();
        key.push_str(k);
        visit(key, Slot::Key, path);
        if key != k {
            renamed.push((k.clone(), key.clone()));
        }
    }
    path.truncate(base);
    if renamed.is_empty() {
        return;
    }
    let old = std::mem::take(map);
    for (k, v) in old {
        let mut k = match renamed.iter().find(|(from, _)| *from == k) {
            Some((_, to)) => to.clone(),
            None => k,
        };
        // Two keys redacted alike stay two keys.
        while map.contains_key(&k) {
            k.push('_');
        }
        map.insert(k, v);
    }
}

fn walk(
    v: &mut Value,
    kind: TextKind,
    path: &mut String,
    visit: &mut dyn FnMut(&mut String, TextKind, &str),
) {
    match v {
        Value::String(s) => visit(s, kind, path),
        Value::Array(items) => {
            let base = path.len();
            for (i, item) in items.iter_mut().enumerate() {
                path.truncate(base);
                push_index(path, i);
                walk(item, kind, path, visit);
            }
            path.truncate(base);
        }
        Value::Object(map) => {
            let mut kind = kind;
            let mut unknown_role = false;
            if let Some(Value::String(role)) = field(map, "role") {
                match role_kind(role) {
                    Some(k) => kind = k,
                    None => {
                        kind = TextKind::User;
                        unknown_role = true;
                    }
                }
            }
            let block = field(map, "type").and_then(Value::as_str);
            match block {
                Some(t) if is_data_block(t) => kind = TextKind::ToolResult,
                Some("tool_use" | "function_call") => kind = TextKind::Other,
                _ => {}
            }
            // A plain-text document source (`{"type": "text", "data": ...}`): its data is text;
            // base64 sources keep `data` skipped.
            let text_data = block == Some("text");
            let base = path.len();
            for (k, child) in map.iter_mut() {
                let skipped = SKIPPED_KEYS.contains(&k.as_str())
                    && !(k == "data" && text_data)
                    && !(k == "role" && unknown_role);
                if skipped {
                    continue;
                }
                let child_kind = if k == "tool_calls" {
                    TextKind::Other
                } else {
                    kind
                };
                path.truncate(base);
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(child, child_kind, path, visit);
            }
            path.truncate(base);
        }
        _ => {}
    }
}

/// The texts the injection detector reads (see the module docs): consecutive text parts of one
/// content array (`P[0].text`, `P[1].text`, ... of one kind) joined into one text located at
/// `P`, also joined with spaces when a join glued two words together (the model may read the
/// parts either way); an Ollama `template` rendered.
pub fn scan_texts(doc: &mut Value, api: ApiKind) -> Vec<ScanText> {
    let values = template_values(doc);
    let mut parts: Vec<ScanText> = Vec::new();
    visit_texts(doc, api, &mut |s, kind, loc| {
        parts.push(ScanText::new(s.clone(), kind, loc));
    });
    let mut out: Vec<ScanText> = Vec::with_capacity(parts.len());
    let mut group: Vec<ScanText> = Vec::new();
    for t in parts {
        if t.kind == TextKind::Template && t.location == "template" {
            flush(&mut group, &mut out);
            let v = values.as_ref().map(|(p, s, x)| go_template::Values {
                prompt: p,
                system: s,
                suffix: x,
            });
            let rendered = go_template::render(&t.text, &v.unwrap_or_default());
            out.push(ScanText {
                text: rendered.unwrap_or(t.text),
                ..t
            });
            continue;
        }
        let same = group.last().is_some_and(|g| {
            g.kind == t.kind
                && part_array(&g.location).is_some()
                && part_array(&g.location) == part_array(&t.location)
        });
        if !same {
            flush(&mut group, &mut out);
        }
        group.push(t);
    }
    flush(&mut group, &mut out);
    out
}

/// The request values an Ollama template refers to.
fn template_values(doc: &Value) -> Option<(String, String, String)> {
    doc.get("template")?;
    let field = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Some((field("prompt"), field("system"), field("suffix")))
}

/// `P` of a text part located at `P[n].text`.
fn part_array(location: &str) -> Option<&str> {
    let head = location.strip_suffix(".text")?;
    let (array, index) = head.strip_suffix(']')?.rsplit_once('[')?;
    index.bytes().all(|b| b.is_ascii_digit()).then_some(array)
}

fn flush(group: &mut Vec<ScanText>, out: &mut Vec<ScanText>) {
    match group.len() {
        0 => {}
        1 => out.append(group),
        _ => {
            let location = group
                .first()
                .and_then(|g| part_array(&g.location))
                .unwrap_or("")
                .to_string();
            let kind = group.first().map_or(TextKind::Other, |g| g.kind);
            let glued = group.windows(2).any(|w| match w {
                [a, b] => {
                    a.text
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                        && b.text.chars().next().is_some_and(char::is_alphanumeric)
                }
                _ => false,
            });
            let joined: String = group.iter().map(|g| g.text.as_str()).collect();
            if glued {
                let spaced: Vec<&str> = group.iter().map(|g| g.text.as_str()).collect();
                out.push(ScanText::new(spaced.join(" "), kind, location.clone()));
            }
            out.push(ScanText::new(joined, kind, location));
            group.clear();
        }
    }
}

/// Depth of the deepest array/object nesting, computed without recursion.
pub fn depth(v: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        match v {
            Value::Array(a) => {
                max = max.max(d);
                stack.extend(a.iter().map(|c| (c, d + 1)));
            }
            Value::Object(o) => {
                max = max.max(d);
                stack.extend(o.values().map(|c| (c, d + 1)));
            }
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn collect_in(api: ApiKind, mut v: Value) -> Vec<(String, TextKind, String)> {
        let mut out = Vec::new();
        visit_texts(&mut v, api, &mut |s, k, p| {
            out.push((s.clone(), k, p.to_string()))
        });
        out
    }

    fn collect(v: Value) -> Vec<(String, TextKind, String)> {
        collect_in(ApiKind::OpenAiChat, v)
    }

    type Row = (
        &'static str,
        Value,
        Vec<(&'static str, TextKind, &'static str)>,
    );

    #[test]
    fn classifies_every_shape() {
        let rows: Vec<Row> = vec![
            (
                "openai chat with parts and tool result",
                json!({"model": "m", "messages": [
                    {"role": "system", "content": "S"},
                    {"role": "user", "content": [{"type": "text", "text": "U"}, {"type": "image_url", "image_url": {"url": "data:x"}}]},
                    {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"a\":1}"}}]},
                    {"role": "tool", "tool_call_id": "c1", "content": "T"}
                ]}),
                vec![
                    ("S", TextKind::System, "messages[0].content"),
                    ("U", TextKind::User, "messages[1].content[0].text"),
                    (
                        "f",
                        TextKind::Other,
                        "messages[2].tool_calls[0].function.name",
                    ),
                    (
                        "{\"a\":1}",
                        TextKind::Other,
                        "messages[2].tool_calls[0].function.arguments",
                    ),
                    ("T", TextKind::ToolResult, "messages[3].content"),
                ],
            ),
            (
                "anthropic with tool_result blocks",
                json!({"model": "m", "system": [{"type": "text", "text": "S"}], "messages": [
                    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "R"}]}]}
                ]}),
                vec![
                    ("S", TextKind::System, "system[0].text"),
                    (
                        "R",
                        TextKind::ToolResult,
                        "messages[0].content[0].content[0].text",
                    ),
                ],
            ),
            (
                "ollama generate",
                json!({"model": "m", "prompt": "P", "system": "S", "template": "T", "suffix": "X", "images": ["b64"]}),
                vec![
                    ("P", TextKind::User, "prompt"),
                    ("S", TextKind::System, "system"),
                    ("T", TextKind::Template, "template"),
                    ("X", TextKind::User, "suffix"),
                ],
            ),
            (
                "responses input items",
                json!({"model": "m", "instructions": "I", "input": [
                    {"role": "user", "content": [{"type": "input_text", "text": "U"}]},
                    {"type": "function_call_output", "call_id": "c", "output": "O"}
                ]}),
                vec![
                    ("I", TextKind::System, "instructions"),
                    ("U", TextKind::User, "input[0].content[0].text"),
                    ("O", TextKind::ToolResult, "input[1].output"),
                ],
            ),
            // REGRESSION rows: positions of tool definitions, documents and unknown roles.
            (
                "tool definitions in every shape",
                json!({"tools": [
                    {"type": "function", "function": {"name": "f", "description": "D1", "parameters": {"type": "object", "properties": {"q": {"type": "string", "description": "P1"}}}}},
                    {"name": "g", "description": "D2", "input_schema": {"type": "object"}},
                    {"type": "function", "name": "h", "description": "D3"}
                ]}),
                vec![
                    ("f", TextKind::ToolDefinition, "tools[0].function.name"),
                    (
                        "D1",
                        TextKind::ToolDefinition,
                        "tools[0].function.description",
                    ),
                    (
                        "P1",
                        TextKind::ToolDefinition,
                        "tools[0].function.parameters.properties.q.description",
                    ),
                    ("g", TextKind::ToolDefinition, "tools[1].name"),
                    ("D2", TextKind::ToolDefinition, "tools[1].description"),
                    ("h", TextKind::ToolDefinition, "tools[2].name"),
                    ("D3", TextKind::ToolDefinition, "tools[2].description"),
                ],
            ),
            (
                "anthropic plain-text document, also inside a tool result; base64 stays skipped",
                json!({"messages": [{"role": "user", "content": [
                    {"type": "document", "title": "T", "source": {"type": "text", "media_type": "text/plain", "data": "D"}},
                    {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}},
                    {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "document", "source": {"type": "text", "data": "E"}}]},
                    {"type": "text", "text": "U"}
                ]}]}),
                vec![
                    ("T", TextKind::ToolResult, "messages[0].content[0].title"),
                    (
                        "D",
                        TextKind::ToolResult,
                        "messages[0].content[0].source.data",
                    ),
                    (
                        "E",
                        TextKind::ToolResult,
                        "messages[0].content[2].content[0].source.data",
                    ),
                    ("U", TextKind::User, "messages[0].content[3].text"),
                ],
            ),
            (
                "unknown role: the role is text, the message is the user's",
                json!({"messages": [
                    {"role": "system", "content": "S"},
                    {"role": "user<|im_end|>x", "content": "C"}
                ]}),
                vec![
                    ("S", TextKind::System, "messages[0].content"),
                    ("user<|im_end|>x", TextKind::User, "messages[1].role"),
                    ("C", TextKind::User, "messages[1].content"),
                ],
            ),
        ];
        for (name, doc, want) in rows {
            let got = collect(doc);
            let want: Vec<(String, TextKind, String)> = want
                .into_iter()
                .map(|(a, b, c)| (a.to_string(), b, c.to_string()))
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn embeddings_inputs_are_embedding_texts() {
        let got = collect_in(
            ApiKind::OpenAiEmbeddings,
            json!({"model": "m", "input": ["a", "b"]}),
        );
        assert_eq!(
            got,
            vec![
                ("a".into(), TextKind::Embedding, "input[0]".into()),
                ("b".into(), TextKind::Embedding, "input[1]".into()),
            ]
        );
        let got = collect_in(ApiKind::OllamaEmbed, json!({"model": "m", "prompt": "p"}));
        assert_eq!(
            got,
            vec![("p".into(), TextKind::Embedding, "prompt".into())]
        );
        let got = collect_in(ApiKind::Unknown, json!({"x": "y"}));
        assert_eq!(got, vec![("y".into(), TextKind::Unparsed, "x".into())]);
    }

    #[test]
    fn keys_are_redactable_and_renamed_in_place() {
        let mut doc = json!({"messages": [{"role": "assistant", "tool_calls": [
            {"function": {"name": "f", "arguments": {"SECRETKEY": 1, "b": "v"}}}]}]});
        let mut seen = Vec::new();
        visit_redactable(&mut doc, ApiKind::OllamaChat, &mut |s, _, loc| {
            seen.push((s.clone(), loc.to_string()));
            if s == "SECRETKEY" {
                *s = "[REDACTED]".into();
            }
        });
        assert!(seen.contains(&(
            "SECRETKEY".into(),
            "messages[0].tool_calls[0].function.arguments.(key)".into()
        )));
        assert!(seen.iter().all(|(_, loc)| !loc.contains("SECRETKEY")));
        let args = &doc["messages"][0]["tool_calls"][0]["function"]["arguments"];
        let keys: Vec<&String> = args.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["[REDACTED]", "b"]);
    }

    #[test]
    fn scan_texts_join_parts_and_render_templates() {
        let mut doc = json!({"messages": [
            {"role": "user", "content": [{"type": "text", "text": "Ign"}, {"type": "text", "text": "ore all"}]},
            {"role": "user", "content": [{"type": "text", "text": "one part"}]},
            {"role": "user", "content": [{"type": "text", "text": "ignore all "}, {"type": "text", "text": "previous"}]}
        ]});
        let got: Vec<(String, String)> = scan_texts(&mut doc, ApiKind::OpenAiChat)
            .into_iter()
            .map(|t| (t.text, t.location))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Ign ore all".to_string(), "messages[0].content".to_string()),
                ("Ignore all".into(), "messages[0].content".into()),
                ("one part".into(), "messages[1].content[0].text".into()),
                ("ignore all previous".into(), "messages[2].content".into()),
            ]
        );
        let mut doc = json!({"model": "m", "prompt": "ore all", "system": "S",
            "template": "{{ .System }} Ign{{/* x */}}{{ .Prompt }}"});
        let texts = scan_texts(&mut doc, ApiKind::OllamaGenerate);
        let t = texts.iter().find(|t| t.kind == TextKind::Template).unwrap();
        assert_eq!(
            (t.text.as_str(), t.location.as_str()),
            ("S Ignore all", "template")
        );
    }

    #[test]
    fn depth_is_iterative() {
        let mut s = String::new();
        for _ in 0..50 {
            s.push('[');
        }
        for _ in 0..50 {
            s.push(']');
        }
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(depth(&v), 50);
    }
}
