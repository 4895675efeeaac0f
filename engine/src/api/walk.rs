//! Finds every text the model will read in a JSON request body, whatever the API shape.
//!
//! Rather than one extractor per API (and a silent gap for every field nobody listed), the walker
//! visits every string in the document and classifies it by where it sits: the enclosing message's
//! `role`, a `tool_result` / `function_call_output` block, a top-level `system` / `instructions` /
//! `prompt` / `template` field. Only identifiers and binary payloads (ids, model names, base64
//! images) are skipped. The same visitor rewrites strings in place for request-side redaction.

use serde_json::Value;

use crate::text::TextKind;

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

fn role_kind(role: &str) -> TextKind {
    match role {
        "system" | "developer" => TextKind::System,
        "user" => TextKind::User,
        "assistant" | "model" => TextKind::Assistant,
        "tool" | "function" | "ipython" => TextKind::ToolResult,
        _ => TextKind::Other,
    }
}

fn top_level_kind(key: &str) -> TextKind {
    match key {
        "system" | "instructions" => TextKind::System,
        "prompt" | "suffix" | "input" | "messages" | "query" => TextKind::User,
        "template" => TextKind::Template,
        _ => TextKind::Other,
    }
}

/// Visits every text string of `doc` with its kind and location; the visitor may rewrite it.
/// `fallback` is the kind of top-level fields nobody classified (Unparsed for unknown APIs).
pub fn visit_texts(
    doc: &mut Value,
    fallback: TextKind,
    visit: &mut dyn FnMut(&mut String, TextKind, &str),
) {
    let mut path = String::new();
    match doc {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if SKIPPED_KEYS.contains(&k.as_str()) {
                    continue;
                }
                let kind = match top_level_kind(k) {
                    TextKind::Other if fallback == TextKind::Unparsed => TextKind::Unparsed,
                    other => other,
                };
                path.clear();
                path.push_str(k);
                walk(v, kind, &mut path, visit);
            }
        }
        other => walk(other, fallback, &mut path, visit),
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
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
                walk(item, kind, path, visit);
            }
            path.truncate(base);
        }
        Value::Object(map) => {
            let mut kind = kind;
            if let Some(Value::String(role)) = map.get("role") {
                kind = role_kind(role);
            }
            match map.get("type").and_then(Value::as_str) {
                Some("tool_result" | "function_call_output") => kind = TextKind::ToolResult,
                Some("tool_use" | "function_call") => kind = TextKind::Other,
                _ => {}
            }
            let base = path.len();
            for (k, child) in map.iter_mut() {
                if SKIPPED_KEYS.contains(&k.as_str()) {
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

    fn collect(mut v: Value) -> Vec<(String, TextKind, String)> {
        let mut out = Vec::new();
        visit_texts(&mut v, TextKind::Other, &mut |s, k, p| {
            out.push((s.clone(), k, p.to_string()))
        });
        out
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
