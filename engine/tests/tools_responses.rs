//! Tool calls in complete (non-streamed) JSON answers, through the whole exchange: every form a
//! client executes is governed, one row per form (OpenAI Chat `function` and `custom` tool calls
//! and the legacy `message.function_call`, Responses `function_call` and `custom_tool_call`
//! items, Anthropic `tool_use` blocks).
#![cfg(test)]

use std::sync::Arc;

use llm_warden_engine::replay::{answer, post, replay, Split};
use llm_warden_engine::Policies;
use serde_json::{json, Value};

const BLOCK: &str = r#"{"tools": {"default": "deny", "allow": ["get_weather", "run_sql"], "arguments": [{"tool": "run_sql", "pointer": "", "deny": ["(?i)drop\\s+table"]}]}}"#;
const STRIP: &str = r#"{"tools": {"default": "deny", "allow": ["get_weather", "run_sql"], "arguments": [{"tool": "run_sql", "pointer": "", "deny": ["(?i)drop\\s+table"]}], "on_call": "strip"}}"#;

enum Expect {
    /// The tool_not_allowed error document, with this rule in the audit.
    Blocked(&'static str),
    /// The answer goes through; these pointers hold these values in what the client gets.
    Passed(Vec<(&'static str, Value)>),
}

struct Row {
    name: &'static str,
    path: &'static str,
    policy: &'static str,
    body: Value,
    expect: Expect,
}

fn chat(message: Value, finish: &str) -> Value {
    json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
           "choices": [{"index": 0, "message": message, "finish_reason": finish}]})
}

fn custom_call(name: &str, input: &str) -> Value {
    json!({"id": "call_1", "type": "custom", "custom": {"name": name, "input": input}})
}

fn responses(items: Vec<Value>) -> Value {
    json!({"id": "resp_1", "object": "response", "status": "completed", "model": "m", "output": items})
}

fn rows() -> Vec<Row> {
    let legacy = |name: &str| {
        chat(
            json!({"role": "assistant", "content": null,
                   "function_call": {"name": name, "arguments": "{\"to\":\"mallory\"}"}}),
            "function_call",
        )
    };
    let custom_chat = |calls: Vec<Value>| {
        chat(
            json!({"role": "assistant", "content": null, "tool_calls": calls}),
            "tool_calls",
        )
    };
    let ctc = |name: &str, input: &str| {
        json!({"id": "ctc_1", "type": "custom_tool_call", "status": "completed", "call_id": "call_1",
               "name": name, "input": input})
    };
    let weather = json!({"id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_2",
                         "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"});
    vec![
        Row {
            name: "chat custom call refused by name",
            path: "/v1/chat/completions",
            policy: BLOCK,
            body: custom_chat(vec![custom_call("send_money", "to=mallory")]),
            expect: Expect::Blocked("tools.default"),
        },
        Row {
            name: "chat custom call stripped, the answer ends as a plain one",
            path: "/v1/chat/completions",
            policy: STRIP,
            body: custom_chat(vec![custom_call("send_money", "to=mallory")]),
            expect: Expect::Passed(vec![("/choices/0/finish_reason", json!("stop"))]),
        },
        Row {
            name: "chat custom call: the input is checked as one string (pointer \"\")",
            path: "/v1/chat/completions",
            policy: BLOCK,
            body: custom_chat(vec![custom_call("run_sql", "DROP TABLE users")]),
            expect: Expect::Blocked("tools.arguments[0]"),
        },
        Row {
            name: "chat custom call with an allowed input passes",
            path: "/v1/chat/completions",
            policy: BLOCK,
            body: custom_chat(vec![custom_call("run_sql", "SELECT 1")]),
            expect: Expect::Passed(vec![(
                "/choices/0/message/tool_calls/0/custom/input",
                json!("SELECT 1"),
            )]),
        },
        Row {
            name: "legacy function_call refused by name",
            path: "/v1/chat/completions",
            policy: BLOCK,
            body: legacy("send_money"),
            expect: Expect::Blocked("tools.default"),
        },
        Row {
            name: "legacy function_call stripped, the answer ends as a plain one",
            path: "/v1/chat/completions",
            policy: STRIP,
            body: legacy("send_money"),
            expect: Expect::Passed(vec![
                ("/choices/0/finish_reason", json!("stop")),
                ("/choices/0/message/function_call", Value::Null),
            ]),
        },
        Row {
            name: "legacy function_call allowed passes",
            path: "/v1/chat/completions",
            policy: BLOCK,
            body: legacy("get_weather"),
            expect: Expect::Passed(vec![(
                "/choices/0/message/function_call/name",
                json!("get_weather"),
            )]),
        },
        Row {
            name: "responses custom_tool_call refused by name",
            path: "/v1/responses",
            policy: BLOCK,
            body: responses(vec![ctc("send_money", "to=mallory"), weather.clone()]),
            expect: Expect::Blocked("tools.default"),
        },
        Row {
            name: "responses custom_tool_call stripped, the function call kept",
            path: "/v1/responses",
            policy: STRIP,
            body: responses(vec![ctc("send_money", "to=mallory"), weather.clone()]),
            expect: Expect::Passed(vec![
                ("/output/0/name", json!("get_weather")),
                ("/output/1", Value::Null),
            ]),
        },
        Row {
            name: "responses custom_tool_call: the input rule applies",
            path: "/v1/responses",
            policy: BLOCK,
            body: responses(vec![ctc("run_sql", "drop  table users")]),
            expect: Expect::Blocked("tools.arguments[0]"),
        },
    ]
}

#[test]
fn every_form_of_tool_call_in_a_json_answer_is_governed() {
    for row in rows() {
        let p = Arc::new(Policies::from_json(row.policy.as_bytes()).unwrap());
        let request =
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "input": "hi"});
        let body = serde_json::to_vec(&row.body).unwrap();
        for split in [Split::Every(1), Split::Every(4096)] {
            let body = body.clone();
            let out = replay(
                Arc::clone(&p),
                &post(row.path, &request.to_string()),
                &move |_| answer("application/json", &body),
                &split,
            );
            let text = String::from_utf8(out.client_response.body.clone()).unwrap();
            let at = format!("{} {split:?}\n{text}", row.name);
            let got: Value = serde_json::from_str(&text).unwrap();
            match &row.expect {
                Expect::Blocked(rule) => {
                    assert_eq!(got["error"]["code"], "tool_not_allowed", "{at}");
                    assert!(!text.contains("mallory") && !text.contains("DROP"), "{at}");
                    assert!(
                        out.audit.iter().any(|e| e.rule_id == *rule),
                        "{at}\n{:?}",
                        out.audit
                    );
                }
                Expect::Passed(checks) => {
                    assert!(got.get("error").is_none(), "{at}");
                    for (ptr, want) in checks {
                        let have = got.pointer(ptr).cloned().unwrap_or(Value::Null);
                        assert_eq!(&have, want, "{ptr}: {at}");
                    }
                    if checks.iter().any(|(_, v)| v == "stop") {
                        assert!(!text.contains("mallory"), "{at}");
                    }
                }
            }
        }
    }
}
