//! Model admission through a whole exchange (request headers and body as a proxy delivers them):
//! the model read on every API path, ambiguous request bodies, and models named in the path.
#![cfg(test)]

use std::sync::Arc;

use llm_warden_engine::replay::{answer, post, replay, Message, Split};
use llm_warden_engine::Policies;
use serde_json::Value;

const DENYLIST: &str = r#"{"models":{"deny":["qwen2.5","llama3.2:latest"]}}"#;
const PINNED: &str = r#"{"models":{"allow":["llama3.2:3b","gpt-4o-2024-08-06"],"require_pinned":true,"aliases":{"fast":"llama3.2:3b"}}}"#;
const TOOLS: &str = r#"{"tools":{"deny":["send_money"]},"models":{"allow":["llama3.2:3b"]}}"#;

/// What the client gets: `pass` (the upstream answered) with the model the upstream saw, or a
/// refusal `<status> <code>` whose message contains a fragment.
#[derive(Debug)]
enum Expect {
    /// The upstream got the request, with this `model`.
    Pass(&'static str),
    Refused(u16, &'static str, &'static str),
}
use Expect::{Pass, Refused};

struct Row {
    name: &'static str,
    config: &'static str,
    method: &'static str,
    path: &'static str,
    body: &'static str,
    expect: Expect,
}

fn request(method: &str, path: &str, body: &str) -> Message {
    let mut m = post(path, body);
    for (k, v) in &mut m.headers {
        if k == ":method" {
            *v = method.to_string();
        }
    }
    if body.is_empty() {
        m.headers
            .retain(|(k, _)| k != "content-length" && k != "content-type");
    }
    m
}

fn run(rows: &[Row]) {
    for row in rows {
        let policies = Arc::new(
            Policies::from_json(row.config.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}", row.name)),
        );
        let req = request(row.method, row.path, row.body);
        let out = replay(
            policies,
            &req,
            &|_| answer("application/json", br#"{"ok":true}"#),
            &Split::Every(usize::MAX),
        );
        match (&row.expect, &out.reply) {
            (Pass(model), None) => {
                let up = out.upstream_request.expect("reached the upstream");
                if !model.is_empty() {
                    let body: Value = serde_json::from_slice(&up.body)
                        .unwrap_or_else(|e| panic!("{}: upstream body: {e}", row.name));
                    assert_eq!(body["model"], *model, "{}", row.name);
                }
            }
            (Refused(status, code, fragment), Some(reply)) => {
                assert_eq!(
                    (reply.status, reply.code),
                    (*status, *code),
                    "{}: {}",
                    row.name,
                    String::from_utf8_lossy(&reply.body)
                );
                let body = String::from_utf8_lossy(&reply.body);
                assert!(body.contains(fragment), "{}: {body}", row.name);
                assert!(out.upstream_request.is_none(), "{}", row.name);
            }
            (want, got) => panic!("{}: expected {want:?}, got {got:?}", row.name),
        }
    }
}

/// Bugs found by the end-to-end suite and fixed; one row each.
#[rustfmt::skip]
const REGRESSION: &[Row] = &[
    // 1. Deny bypass: Ollama serves the OpenAI and Anthropic paths too and runs `llama3.2` as
    //    `llama3.2:latest`, so the deny entry must refuse it there as on /api/chat.
    Row { name: "deny latest on /api/chat", config: DENYLIST, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"#, expect: Refused(403, "model_not_allowed", "model \\\"llama3.2\\\" is not allowed") },
    Row { name: "deny latest on openai chat", config: DENYLIST, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"#, expect: Refused(403, "model_not_allowed", "\"code\":\"model_not_allowed\"") },
    Row { name: "deny latest on responses", config: DENYLIST, method: "POST", path: "/v1/responses", body: r#"{"model":"llama3.2","input":"hi"}"#, expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "deny latest on completions", config: DENYLIST, method: "POST", path: "/v1/completions", body: r#"{"model":"llama3.2","prompt":"hi"}"#, expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "deny latest on messages", config: DENYLIST, method: "POST", path: "/v1/messages", body: r#"{"model":"llama3.2","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#, expect: Refused(403, "model_not_allowed", "\"type\":\"permission_error\"") },
    Row { name: "deny bare on embeddings", config: DENYLIST, method: "POST", path: "/v1/embeddings", body: r#"{"model":"library/qwen2.5","input":["a"]}"#, expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "other tag passes on openai chat", config: DENYLIST, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"qwen2.5:7b","messages":[{"role":"user","content":"hi"}]}"#, expect: Pass("qwen2.5:7b") },
    Row { name: "provider id passes on openai chat", config: DENYLIST, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#, expect: Pass("gpt-4o-mini") },
    Row { name: "pinned snapshot passes on openai chat", config: PINNED, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"gpt-4o-2024-08-06","messages":[{"role":"user","content":"hi"}]}"#, expect: Pass("gpt-4o-2024-08-06") },
    Row { name: "fine-tune id is an opaque id", config: r#"{"models":{"allow":["ft:gpt-4o:org::abc"]}}"#, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"ft:gpt-4o:org::abc","messages":[]}"#, expect: Pass("ft:gpt-4o:org::abc") },
    Row { name: "alias on anthropic path", config: PINNED, method: "POST", path: "/v1/messages", body: r#"{"model":"FAST","max_tokens":8,"messages":[]}"#, expect: Pass("llama3.2:3b") },

    // 2. Case-variant keys, which Go's encoding/json (Ollama) reads as the field.
    Row { name: "variant model only", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"Model":"qwen2.5:7b","messages":[]}"#, expect: Refused(400, "invalid_request_body", "ambiguous key \\\"Model\\\" at top level") },
    Row { name: "exact then variant model", config: PINNED, method: "POST", path: "/api/generate", body: r#"{"model":"llama3.2:3b","Model":"qwen2.5:7b","prompt":"hi"}"#, expect: Refused(400, "invalid_request_body", "\\\"Model\\\"") },
    Row { name: "upper model on openai path", config: PINNED, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"llama3.2:3b","MODEL":"qwen2.5:7b","messages":[]}"#, expect: Refused(400, "invalid_request_body", "\"type\":\"invalid_request_error\"") },
    Row { name: "variant on anthropic path", config: PINNED, method: "POST", path: "/v1/messages", body: r#"{"model":"llama3.2:3b","max_tokens":8,"System":"x","messages":[]}"#, expect: Refused(400, "invalid_request_body", "\"type\":\"invalid_request_error\"") },
    Row { name: "long s folds to s", config: PINNED, method: "POST", path: "/api/generate", body: "{\"model\":\"llama3.2:3b\",\"\u{17f}ystem\":\"x\",\"prompt\":\"hi\"}", expect: Refused(400, "invalid_request_body", "ambiguous key") },
    Row { name: "kelvin sign folds to k", config: PINNED, method: "POST", path: "/api/chat", body: "{\"model\":\"llama3.2:3b\",\"messages\":[],\"\u{212a}eep_alive\":1}", expect: Refused(400, "invalid_request_body", "ambiguous key") },
    Row { name: "variant role in a message", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[{"role":"user","Role":"system","content":"hi"}]}"#, expect: Refused(400, "invalid_request_body", "at messages[0]") },
    Row { name: "variant content in a message", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[{"role":"user","Content":"hi"}]}"#, expect: Refused(400, "invalid_request_body", "\\\"Content\\\" at messages[0]") },
    Row { name: "variant prompt", config: PINNED, method: "POST", path: "/api/generate", body: r#"{"model":"llama3.2:3b","Prompt":"hi"}"#, expect: Refused(400, "invalid_request_body", "\\\"Prompt\\\"") },
    Row { name: "variant messages", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","Messages":[]}"#, expect: Refused(400, "invalid_request_body", "\\\"Messages\\\"") },
    Row { name: "variant stream", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"stream":false,"Stream":true}"#, expect: Refused(400, "invalid_request_body", "\\\"Stream\\\"") },
    Row { name: "variant type in a part", config: PINNED, method: "POST", path: "/v1/messages", body: r#"{"model":"llama3.2:3b","max_tokens":8,"messages":[{"role":"user","content":[{"Type":"tool_result","tool_use_id":"t","content":"x"}]}]}"#, expect: Refused(400, "invalid_request_body", "at messages[0].content[0]") },
    Row { name: "variant text in a nested part", config: PINNED, method: "POST", path: "/v1/messages", body: r#"{"model":"llama3.2:3b","max_tokens":8,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","TEXT":"x"}]}]}]}"#, expect: Refused(400, "invalid_request_body", "at messages[0].content[0].content[0]") },
    Row { name: "variant name in a tool function", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"tools":[{"type":"function","function":{"name":"a","Name":"send_money"}}]}"#, expect: Refused(400, "invalid_request_body", "at tools[0].function") },
    Row { name: "variant in a responses item", config: PINNED, method: "POST", path: "/v1/responses", body: r#"{"model":"llama3.2:3b","input":[{"type":"function_call_output","call_id":"c","Output":"x"}]}"#, expect: Refused(400, "invalid_request_body", "at input[0]") },
    Row { name: "variant in tool_choice", config: PINNED, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"llama3.2:3b","messages":[],"tool_choice":{"type":"function","function":{"NAME":"x"}}}"#, expect: Refused(400, "invalid_request_body", "at tool_choice.function") },
    Row { name: "variant name on /api/show", config: PINNED, method: "POST", path: "/api/show", body: r#"{"Name":"qwen2.5:7b"}"#, expect: Refused(400, "invalid_request_body", "\\\"Name\\\"") },
    Row { name: "two unknown keys equal up to case", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"Foo":1,"foo":2}"#, expect: Refused(400, "invalid_request_body", "ambiguous key") },
    Row { name: "duplicate model", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","model":"qwen2.5:7b","messages":[]}"#, expect: Refused(400, "invalid_request_body", "ambiguous key: \\\"model\\\" appears twice") },
    Row { name: "duplicate deep in arguments", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":{"a":"1","a":"2"}}}]}]}"#, expect: Refused(400, "invalid_request_body", "appears twice") },
    Row { name: "duplicate on unknown path", config: PINNED, method: "POST", path: "/custom", body: r#"{"x":1,"x":2}"#, expect: Refused(400, "invalid_request_body", "appears twice") },
    // Objects the engine does not interpret keep any keys.
    Row { name: "schema keys are free", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"Model":{"type":"string"},"model":{"type":"string"},"Name":{}}}}}]}"#, expect: Pass("llama3.2:3b") },
    Row { name: "metadata options format keys are free", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"options":{"Temperature":1,"temperature":0},"format":{"properties":{"Role":{},"role":{}}},"metadata":{"Model":"x"}}"#, expect: Pass("llama3.2:3b") },
    Row { name: "call arguments are free", config: PINNED, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"Model":"x","model":"y"}}}]}]}"#, expect: Pass("llama3.2:3b") },
    Row { name: "anthropic tool_use input is free", config: PINNED, method: "POST", path: "/v1/messages", body: r#"{"model":"llama3.2:3b","max_tokens":8,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{"Content":"x","content":"y"}}]}]}"#, expect: Pass("llama3.2:3b") },
    Row { name: "non-ASCII keys that are not fields", config: PINNED, method: "POST", path: "/api/chat", body: "{\"model\":\"llama3.2:3b\",\"messages\":[],\"\u{c9}t\u{e9}\":1}", expect: Pass("llama3.2:3b") },

    // 3. Models named outside `model`: the path of /v1/models/{id}, `name` on /api/show.
    Row { name: "retrieve unapproved", config: PINNED, method: "GET", path: "/v1/models/qwen2.5:7b", body: "", expect: Refused(403, "model_not_allowed", "\"code\":\"model_not_allowed\"") },
    Row { name: "retrieve percent-encoded", config: PINNED, method: "GET", path: "/v1/models/qwen2.5%3A7b", body: "", expect: Refused(403, "model_not_allowed", "qwen2.5:7b") },
    Row { name: "retrieve floating", config: PINNED, method: "GET", path: "/v1/models/llama3.2:latest", body: "", expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "retrieve denied tagless", config: DENYLIST, method: "GET", path: "/v1/models/llama3.2", body: "", expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "retrieve under a prefix", config: PINNED, method: "GET", path: "/openai/v1/models/gpt-4o", body: "", expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "delete unapproved", config: PINNED, method: "DELETE", path: "/v1/models/ft:gpt-4o:org::abc", body: "", expect: Refused(403, "model_not_allowed", "model_not_allowed") },
    Row { name: "retrieve approved", config: PINNED, method: "GET", path: "/v1/models/llama3.2:3b", body: "", expect: Pass("") },
    Row { name: "retrieve approved snapshot", config: PINNED, method: "GET", path: "/v1/models/gpt-4o-2024-08-06", body: "", expect: Pass("") },
    Row { name: "listing still passes", config: PINNED, method: "GET", path: "/v1/models", body: "", expect: Pass("") },
    Row { name: "show unapproved", config: PINNED, method: "POST", path: "/api/show", body: r#"{"model":"qwen2.5:7b"}"#, expect: Refused(403, "model_not_allowed", "{\"error\":\"llm-warden: model") },
    Row { name: "show unapproved by legacy name", config: PINNED, method: "POST", path: "/api/show", body: r#"{"name":"qwen2.5:7b"}"#, expect: Refused(403, "model_not_allowed", "qwen2.5:7b") },
    Row { name: "show approved model, unapproved name", config: PINNED, method: "POST", path: "/api/show", body: r#"{"model":"llama3.2:3b","name":"qwen2.5:7b"}"#, expect: Refused(403, "model_not_allowed", "qwen2.5:7b") },
    Row { name: "show approved", config: PINNED, method: "POST", path: "/api/show", body: r#"{"model":"llama3.2:3b"}"#, expect: Pass("llama3.2:3b") },
    Row { name: "show approved by legacy name", config: PINNED, method: "POST", path: "/api/show", body: r#"{"name":"llama3.2:3b"}"#, expect: Pass("") },
];

#[test]
fn regression_table() {
    run(REGRESSION);
}

/// Tool stripping still sees tools offered under the exact key, and a variant key is refused
/// before any tool is governed (so nothing is forwarded).
#[rustfmt::skip]
const TOOL_KEYS: &[Row] = &[
    Row { name: "exact tools stripped", config: TOOLS, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"tools":[{"type":"function","function":{"name":"send_money"}}]}"#, expect: Pass("llama3.2:3b") },
    Row { name: "Tools refused", config: TOOLS, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"Tools":[{"type":"function","function":{"name":"send_money"}}]}"#, expect: Refused(400, "invalid_request_body", "\\\"Tools\\\"") },
    Row { name: "TOOLS beside tools refused", config: TOOLS, method: "POST", path: "/api/chat", body: r#"{"model":"llama3.2:3b","messages":[],"tools":[],"TOOLS":[{"type":"function","function":{"name":"send_money"}}]}"#, expect: Refused(400, "invalid_request_body", "\\\"TOOLS\\\"") },
    Row { name: "Function in a tool refused", config: TOOLS, method: "POST", path: "/v1/chat/completions", body: r#"{"model":"llama3.2:3b","messages":[],"tools":[{"type":"function","Function":{"name":"send_money"}}]}"#, expect: Refused(400, "invalid_request_body", "at tools[0]") },
];

#[test]
fn tool_keys() {
    run(TOOL_KEYS);
}

#[test]
fn stripped_tool_does_not_reach_the_upstream() {
    let policies = Arc::new(Policies::from_json(TOOLS.as_bytes()).unwrap());
    let req = post(
        "/api/chat",
        r#"{"model":"llama3.2:3b","messages":[],"tools":[{"type":"function","function":{"name":"send_money"}},{"type":"function","function":{"name":"get_weather"}}]}"#,
    );
    let out = replay(
        policies,
        &req,
        &|_| answer("application/json", b"{}"),
        &Split::Every(usize::MAX),
    );
    let body: Value = serde_json::from_slice(&out.upstream_request.unwrap().body).unwrap();
    assert_eq!(body["tools"].as_array().unwrap().len(), 1);
    assert_eq!(body["tools"][0]["function"]["name"], "get_weather");
}
