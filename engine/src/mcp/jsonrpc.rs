//! JSON-RPC 2.0 as MCP uses it: one message or a batch per POST, and the error objects the
//! engine answers with.
//!
//! A refusal is a JSON-RPC error object carrying the refused request's `id`, so the client's
//! pending request fails with it (the official SDKs raise it as an error). Its `code` is stable
//! per kind of refusal; `message` is `llm-warden: <reason> (<stable code>)` as in the LLM APIs'
//! error bodies; `data.code` repeats the stable code for programs.

use serde_json::{json, Value};

use crate::api::errors::Refusal;

/// Invalid JSON was received (JSON-RPC's own code).
pub const PARSE_ERROR: i64 = -32700;
/// The JSON is not a valid request object (JSON-RPC's own code).
pub const INVALID_REQUEST: i64 = -32600;
/// A header disagrees with the body (the code the MCP SDKs use for the same check).
pub const HEADER_MISMATCH: i64 = -32020;
/// The policy refused the message (a server-defined code in JSON-RPC's reserved range).
pub const POLICY_REFUSED: i64 = -32001;

/// The JSON-RPC error code for a refusal's stable code.
pub fn code_for(refusal: &Refusal) -> i64 {
    match refusal.code {
        "mcp_header_mismatch" => HEADER_MISMATCH,
        "invalid_request_body" => PARSE_ERROR,
        "invalid_jsonrpc_message" => INVALID_REQUEST,
        _ => POLICY_REFUSED,
    }
}

/// One JSON-RPC error response for `id`.
pub fn error(id: &Value, refusal: &Refusal) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {
            "code": code_for(refusal),
            "message": format!("llm-warden: {} ({})", refusal.message, refusal.code),
            "data": { "code": refusal.code },
        },
    })
}

/// The messages of a body: the elements of a batch, or the one message.
pub fn messages(doc: &Value) -> Vec<&Value> {
    match doc {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    }
}

/// Mutable form of [`messages`].
pub fn messages_mut(doc: &mut Value) -> Vec<&mut Value> {
    match doc {
        Value::Array(items) => items.iter_mut().collect(),
        one => vec![one],
    }
}

/// The `id` of a request (a message with a `method` and a non-null `id`); notifications and
/// responses have none.
pub fn request_id(msg: &Value) -> Option<&Value> {
    msg.get("method")?;
    msg.get("id").filter(|id| !id.is_null())
}

pub fn method(msg: &Value) -> Option<&str> {
    msg.get("method").and_then(Value::as_str)
}

/// The body of a refusal for the requests of a POST: one error for a single request, an array of
/// errors (one per request) for a batch, an error with a null `id` when no request id is known.
pub fn refusal_body(doc: Option<&Value>, refusal: &Refusal) -> Value {
    let null = Value::Null;
    match doc {
        Some(Value::Array(items)) => {
            let errors: Vec<Value> = items
                .iter()
                .filter_map(request_id)
                .map(|id| error(id, refusal))
                .collect();
            if errors.is_empty() {
                error(&null, refusal)
            } else {
                Value::Array(errors)
            }
        }
        Some(one) => error(request_id(one).unwrap_or(&null), refusal),
        None => error(&null, refusal),
    }
}
