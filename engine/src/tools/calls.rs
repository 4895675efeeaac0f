//! The calls a client executes, found in a response, and the names the policy knows them by.
//!
//! Besides the functions a request declares, the model can emit calls to tools built into an
//! API that the client runs: the Responses API's `local_shell_call`, `shell_call`,
//! `apply_patch_call`, `computer_call`, `code_interpreter_call`, `mcp_call` and
//! `mcp_approval_request` items, and Anthropic's client and server tool blocks (`tool_use`,
//! `server_tool_use`, `mcp_tool_use`). Each is a tool call for the policy, named:
//!
//! | item | policy name | arguments checked |
//! |---|---|---|
//! | `function_call`, Chat `function` / legacy `function_call` | its `name` | `arguments` (JSON) |
//! | `custom_tool_call`, Chat `custom` | its `name` | `input` (free-form, see `Ctx::call_input`) |
//! | `local_shell_call` | `local_shell` | `action` |
//! | `shell_call` | `shell` | `action` |
//! | `apply_patch_call` | `apply_patch` | `operation` |
//! | `computer_call` | `computer_use_preview` | `action` |
//! | `code_interpreter_call` | `code_interpreter` | `code` (free-form) |
//! | `mcp_call`, `mcp_approval_request` | its `name` (the MCP tool's) | `arguments` (JSON) |
//! | Anthropic `*tool_use` blocks | its `name` | `input` |
//!
//! The built-in names are the `type` a request uses to offer the tool, so one policy entry
//! governs both the offer and the call.

use serde_json::Value;

/// A call found in a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutedCall {
    pub name: String,
    /// Arguments as JSON text, or a free-form input.
    pub arguments: String,
    /// Free-form input rather than JSON arguments.
    pub free_form: bool,
}

/// The policy name of a built-in item type, with the field that holds its arguments and whether
/// they are free-form.
pub fn builtin(item_type: &str) -> Option<(&'static str, &'static str, bool)> {
    Some(match item_type {
        "local_shell_call" => ("local_shell", "action", false),
        "shell_call" => ("shell", "action", false),
        "apply_patch_call" => ("apply_patch", "operation", false),
        "computer_call" => ("computer_use_preview", "action", false),
        "code_interpreter_call" => ("code_interpreter", "code", true),
        _ => return None,
    })
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The call an entry of a response is, if it is one the client executes: a Chat `tool_calls`
/// entry, a Responses output item, an Anthropic content block.
pub fn executed_call(entry: &Value) -> Option<ExecutedCall> {
    let named = |field: &str, free_form: bool| {
        Some(ExecutedCall {
            name: entry.get("name")?.as_str()?.to_string(),
            arguments: text_of(entry.get(field)),
            free_form,
        })
    };
    if let Some(f) = entry.get("function").filter(|f| f.is_object()) {
        return Some(ExecutedCall {
            name: f.get("name")?.as_str()?.to_string(),
            arguments: text_of(f.get("arguments")),
            free_form: false,
        });
    }
    if let Some(c) = entry.get("custom").filter(|c| c.is_object()) {
        return Some(ExecutedCall {
            name: c.get("name")?.as_str()?.to_string(),
            arguments: text_of(c.get("input")),
            free_form: true,
        });
    }
    let kind = entry.get("type").and_then(Value::as_str)?;
    match kind {
        "function_call" | "mcp_call" | "mcp_approval_request" => named("arguments", false),
        "custom_tool_call" => named("input", true),
        t if t.ends_with("tool_use") => named("input", false),
        t => {
            let (name, field, free_form) = builtin(t)?;
            Some(ExecutedCall {
                name: name.to_string(),
                arguments: text_of(entry.get(field)),
                free_form,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        let rows = [
            (
                json!({"type": "function_call", "name": "f", "arguments": "{}"}),
                Some("f"),
            ),
            (
                json!({"type": "local_shell_call", "action": {"command": ["ls"]}}),
                Some("local_shell"),
            ),
            (json!({"type": "shell_call", "action": {}}), Some("shell")),
            (
                json!({"type": "apply_patch_call", "operation": {}}),
                Some("apply_patch"),
            ),
            (
                json!({"type": "computer_call", "action": {}}),
                Some("computer_use_preview"),
            ),
            (
                json!({"type": "code_interpreter_call", "code": "1"}),
                Some("code_interpreter"),
            ),
            (
                json!({"type": "mcp_call", "name": "m", "arguments": "{}"}),
                Some("m"),
            ),
            (
                json!({"type": "mcp_approval_request", "name": "m", "arguments": "{}"}),
                Some("m"),
            ),
            (
                json!({"type": "server_tool_use", "name": "web_search", "input": {}}),
                Some("web_search"),
            ),
            (json!({"type": "message", "content": []}), None),
            (json!({"type": "web_search_call"}), None),
        ];
        for (entry, want) in rows {
            assert_eq!(
                executed_call(&entry).map(|c| c.name),
                want.map(str::to_string),
                "{entry}"
            );
        }
    }
}
