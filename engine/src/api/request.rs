//! What a request asks for: the model, the tools it offers, the tool it forces; and the edits the
//! engine makes to it (strip tools, rewrite the model alias).
//!
//! Tool definitions differ per API: OpenAI Chat and Ollama `{"type": "function", "function":
//! {"name"}}`, OpenAI Responses and Anthropic `{"name"}` at the top of the entry, hosted tools only
//! a `type` (`web_search`, `code_interpreter`): a hosted tool is governed under its type name.

use serde_json::{Map, Value};

/// The name an entry of `tools[]` (or legacy `functions[]`) declares.
pub fn tool_name(entry: &Value) -> Option<&str> {
    entry
        .pointer("/function/name")
        .or_else(|| entry.get("name"))
        .or_else(|| entry.pointer("/custom/name"))
        .or_else(|| entry.get("type"))
        .and_then(Value::as_str)
}

/// Names of all offered tools.
pub fn offered_tools(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["tools", "functions"] {
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
    choice
        .pointer("/function/name")
        .or_else(|| choice.get("name"))
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
    for key in ["tools", "functions"] {
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
            drop_choice(map);
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
