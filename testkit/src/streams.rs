//! Builders of upstream answers in each API's shape, and client-side reassembly of what comes
//! out, mirroring how the official SDKs accumulate streams. Shared by the exchange tests.

use serde_json::{json, Value};

/// A tool call the upstream makes.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: String,
    pub arguments: String,
}

pub fn call(name: &str, arguments: &str) -> Call {
    Call {
        name: name.into(),
        arguments: arguments.into(),
    }
}

fn pieces(text: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(n.max(1)).map(|c| c.iter().collect()).collect()
}

fn sse(v: &Value) -> String {
    format!("data: {v}\n\n")
}

fn sse_ev(name: &str, v: &Value) -> String {
    format!("event: {name}\ndata: {v}\n\n")
}

pub fn openai_chat_sse(text: &str, calls: &[Call], n: usize) -> String {
    let base = |delta: Value, finish: Value| {
        sse(
            &json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}),
        )
    };
    let mut s = base(json!({"role": "assistant", "content": ""}), Value::Null);
    for p in pieces(text, n) {
        s += &base(json!({"content": p}), Value::Null);
    }
    for (j, c) in calls.iter().enumerate() {
        s += &base(
            json!({"tool_calls": [{"index": j, "id": format!("call_{j}"), "type": "function",
                                   "function": {"name": c.name, "arguments": ""}}]}),
            Value::Null,
        );
        for p in pieces(&c.arguments, n) {
            s += &base(
                json!({"tool_calls": [{"index": j, "function": {"arguments": p}}]}),
                Value::Null,
            );
        }
    }
    let finish = if calls.is_empty() {
        "stop"
    } else {
        "tool_calls"
    };
    s += &base(json!({}), json!(finish));
    s += "data: [DONE]\n\n";
    s
}

/// Legacy Completions (`/v1/completions`, `text_completion` events): text in `choices[i].text`,
/// no tool calls.
pub fn openai_completions_sse(text: &str, _calls: &[Call], n: usize) -> String {
    let base = |text: &str, finish: Value| {
        sse(
            &json!({"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m",
                    "choices": [{"index": 0, "text": text, "logprobs": null, "finish_reason": finish}]}),
        )
    };
    let mut s = String::new();
    for p in pieces(text, n) {
        s += &base(&p, Value::Null);
    }
    s += &base("", json!("stop"));
    s += "data: [DONE]\n\n";
    s
}

pub fn anthropic_sse(text: &str, calls: &[Call], n: usize) -> String {
    let mut s = sse_ev(
        "message_start",
        &json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": "m", "stop_reason": null, "usage": {"input_tokens": 1, "output_tokens": 1}}}),
    );
    s += &sse_ev(
        "content_block_start",
        &json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    );
    for p in pieces(text, n) {
        s += &sse_ev(
            "content_block_delta",
            &json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}),
        );
    }
    s += &sse_ev(
        "content_block_stop",
        &json!({"type": "content_block_stop", "index": 0}),
    );
    for (j, c) in calls.iter().enumerate() {
        let i = j + 1;
        s += &sse_ev(
            "content_block_start",
            &json!({"type": "content_block_start", "index": i, "content_block": {"type": "tool_use", "id": format!("toolu_{j}"), "name": c.name, "input": {}}}),
        );
        for p in pieces(&c.arguments, n) {
            s += &sse_ev(
                "content_block_delta",
                &json!({"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": p}}),
            );
        }
        s += &sse_ev(
            "content_block_stop",
            &json!({"type": "content_block_stop", "index": i}),
        );
    }
    let stop = if calls.is_empty() {
        "end_turn"
    } else {
        "tool_use"
    };
    s += &sse_ev(
        "message_delta",
        &json!({"type": "message_delta", "delta": {"stop_reason": stop}, "usage": {"output_tokens": 5}}),
    );
    s += &sse_ev("message_stop", &json!({"type": "message_stop"}));
    s
}

pub fn responses_sse(text: &str, calls: &[Call], n: usize) -> String {
    let ev = |v: Value| sse_ev(v["type"].as_str().unwrap_or(""), &v);
    let mut s = ev(json!({"type": "response.created", "response": {"id": "resp_1", "output": []}}));
    s += &ev(
        json!({"type": "response.output_item.added", "output_index": 0, "item": {"id": "msg_1", "type": "message", "role": "assistant", "content": []}}),
    );
    s += &ev(
        json!({"type": "response.content_part.added", "output_index": 0, "content_index": 0, "item_id": "msg_1", "part": {"type": "output_text", "text": ""}}),
    );
    for p in pieces(text, n) {
        s += &ev(
            json!({"type": "response.output_text.delta", "output_index": 0, "content_index": 0, "item_id": "msg_1", "delta": p}),
        );
    }
    s += &ev(
        json!({"type": "response.output_text.done", "output_index": 0, "content_index": 0, "item_id": "msg_1", "text": text}),
    );
    s += &ev(
        json!({"type": "response.output_item.done", "output_index": 0, "item": {"id": "msg_1", "type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}}),
    );
    let mut output = vec![
        json!({"id": "msg_1", "type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}),
    ];
    for (j, c) in calls.iter().enumerate() {
        let oi = j + 1;
        let id = format!("fc_{j}");
        s += &ev(
            json!({"type": "response.output_item.added", "output_index": oi, "item": {"id": id, "type": "function_call", "call_id": format!("call_{j}"), "name": c.name, "arguments": ""}}),
        );
        for p in pieces(&c.arguments, n) {
            s += &ev(
                json!({"type": "response.function_call_arguments.delta", "output_index": oi, "item_id": id, "delta": p}),
            );
        }
        s += &ev(
            json!({"type": "response.function_call_arguments.done", "output_index": oi, "item_id": id, "arguments": c.arguments}),
        );
        let item = json!({"id": id, "type": "function_call", "call_id": format!("call_{j}"), "name": c.name, "arguments": c.arguments});
        s += &ev(json!({"type": "response.output_item.done", "output_index": oi, "item": item}));
        output.push(item);
    }
    s += &ev(json!({"type": "response.completed", "response": {"id": "resp_1", "output": output}}));
    s
}

pub fn ollama_ndjson(text: &str, calls: &[Call], n: usize) -> String {
    let mut s = String::new();
    for p in pieces(text, n) {
        s += &format!(
            "{}\n",
            json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": p}, "done": false})
        );
    }
    if !calls.is_empty() {
        let tcs: Vec<Value> = calls
            .iter()
            .map(|c| json!({"function": {"name": c.name, "arguments": serde_json::from_str::<Value>(&c.arguments).unwrap_or(json!({}))}}))
            .collect();
        s += &format!(
            "{}\n",
            json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": "", "tool_calls": tcs}, "done": false})
        );
    }
    s += &format!(
        "{}\n",
        json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": ""}, "done": true, "done_reason": "stop"})
    );
    s
}

/// What a client reassembles from a stream.
#[derive(Debug, Default, PartialEq)]
pub struct Seen {
    pub text: String,
    pub calls: Vec<Call>,
    /// The stream ended with the protocol's error event.
    pub error: Option<String>,
    /// The stop/finish reason the client saw last.
    pub finish: Option<String>,
    /// Every frame parsed.
    pub well_formed: bool,
    /// OpenAI Chat: the legacy single call (`delta.function_call`), if any.
    pub legacy: Option<Call>,
}

fn sse_datas(body: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    for ev in body.split("\n\n") {
        if ev.trim().is_empty() {
            continue;
        }
        let mut name = None;
        let mut data = String::new();
        for line in ev.lines() {
            if let Some(v) = line.strip_prefix("event: ") {
                name = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push_str(v);
            }
        }
        out.push((name, data));
    }
    out
}

pub fn read_openai_chat(body: &str) -> Seen {
    let mut seen = Seen {
        well_formed: true,
        ..Seen::default()
    };
    for (_, data) in sse_datas(body) {
        if data == "[DONE]" {
            continue;
        }
        let Ok(v) = serde_json::from_str::<Value>(&data) else {
            seen.well_formed = false;
            continue;
        };
        if let Some(e) = v.get("error") {
            seen.error = e["code"].as_str().map(str::to_string);
            continue;
        }
        for c in v["choices"].as_array().cloned().unwrap_or_default() {
            if let Some(t) = c["delta"]["content"].as_str() {
                seen.text.push_str(t);
            }
            if let Some(t) = c["text"].as_str() {
                seen.text.push_str(t);
            }
            for tc in c["delta"]["tool_calls"]
                .as_array()
                .cloned()
                .unwrap_or_default()
            {
                let j = tc["index"].as_u64().unwrap() as usize;
                while seen.calls.len() <= j {
                    seen.calls.push(call("", ""));
                }
                // Custom tool calls carry `custom.name` / `custom.input`; like the SDKs,
                // every string piece is appended.
                for (kind, args) in [("function", "arguments"), ("custom", "input")] {
                    if let Some(n) = tc[kind]["name"].as_str() {
                        seen.calls[j].name.push_str(n);
                    }
                    if let Some(a) = tc[kind][args].as_str() {
                        seen.calls[j].arguments.push_str(a);
                    }
                }
            }
            let fc = &c["delta"]["function_call"];
            if fc.is_object() {
                let legacy = seen.legacy.get_or_insert_with(|| call("", ""));
                if let Some(n) = fc["name"].as_str() {
                    legacy.name.push_str(n);
                }
                if let Some(a) = fc["arguments"].as_str() {
                    legacy.arguments.push_str(a);
                }
            }
            if let Some(f) = c["finish_reason"].as_str() {
                seen.finish = Some(f.to_string());
            }
        }
    }
    seen
}

pub fn read_anthropic(body: &str) -> Seen {
    let mut seen = Seen {
        well_formed: true,
        ..Seen::default()
    };
    let mut blocks: Vec<(String, String, String)> = Vec::new();
    // Blocks whose input came whole in the start event, not yet replaced by a delta.
    let mut whole_start: Vec<bool> = Vec::new();
    for (name, data) in sse_datas(body) {
        let Ok(v) = serde_json::from_str::<Value>(&data) else {
            seen.well_formed = false;
            continue;
        };
        match name.as_deref().unwrap_or("") {
            "error" => seen.error = v["error"]["message"].as_str().map(str::to_string),
            "content_block_start" => {
                let i = v["index"].as_u64().unwrap() as usize;
                assert_eq!(i, blocks.len(), "block indexes are contiguous");
                let b = &v["content_block"];
                // A tool block's input may come whole in the start event; deltas replace it.
                let input = match &b["input"] {
                    Value::Object(m) if !m.is_empty() => b["input"].to_string(),
                    _ => String::new(),
                };
                whole_start.push(!input.is_empty());
                blocks.push((
                    b["type"].as_str().unwrap().into(),
                    b["name"].as_str().unwrap_or("").into(),
                    input,
                ));
            }
            "content_block_delta" => {
                let i = v["index"].as_u64().unwrap() as usize;
                let d = &v["delta"];
                if let Some(piece) = d["partial_json"].as_str() {
                    if whole_start[i] {
                        // The first delta replaces an input that came whole in the start.
                        whole_start[i] = false;
                        blocks[i].2.clear();
                    }
                    blocks[i].2.push_str(piece);
                } else if let Some(piece) = d["text"].as_str() {
                    blocks[i].2.push_str(piece);
                }
            }
            "message_delta" => seen.finish = v["delta"]["stop_reason"].as_str().map(str::to_string),
            _ => {}
        }
    }
    for (t, name, content) in blocks {
        if t == "text" {
            seen.text.push_str(&content);
        } else {
            seen.calls.push(call(&name, &content));
        }
    }
    seen
}

pub fn read_responses(body: &str) -> Seen {
    let mut seen = Seen {
        well_formed: true,
        ..Seen::default()
    };
    let mut items: Vec<Call> = Vec::new();
    let mut index_of_call: Vec<(u64, usize)> = Vec::new();
    for (_, data) in sse_datas(body) {
        let Ok(v) = serde_json::from_str::<Value>(&data) else {
            seen.well_formed = false;
            continue;
        };
        if let Some(e) = v.get("error") {
            seen.error = e["code"].as_str().map(str::to_string);
            continue;
        }
        match v["type"].as_str().unwrap_or("") {
            "response.output_text.delta" => seen.text.push_str(v["delta"].as_str().unwrap()),
            "response.output_item.added"
                if v["item"]["type"] == "function_call"
                    || v["item"]["type"] == "custom_tool_call"
                    || v["item"]["type"] == "mcp_call" =>
            {
                index_of_call.push((v["output_index"].as_u64().unwrap(), items.len()));
                // Like the SDKs: the added item's own arguments, then the deltas appended.
                let args = v["item"]["arguments"]
                    .as_str()
                    .or(v["item"]["input"].as_str())
                    .unwrap_or("");
                items.push(call(v["item"]["name"].as_str().unwrap(), args));
            }
            "response.function_call_arguments.delta"
            | "response.custom_tool_call_input.delta"
            | "response.mcp_call_arguments.delta" => {
                let oi = v["output_index"].as_u64().unwrap();
                let pos = index_of_call.iter().find(|(o, _)| *o == oi).unwrap().1;
                items[pos].arguments.push_str(v["delta"].as_str().unwrap());
            }
            _ => {}
        }
    }
    seen.calls = items;
    seen
}

pub fn read_ollama(body: &str) -> Seen {
    let mut seen = Seen {
        well_formed: true,
        ..Seen::default()
    };
    for line in body.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            seen.well_formed = false;
            continue;
        };
        if let Some(e) = v.get("error") {
            seen.error = e.as_str().map(str::to_string);
            continue;
        }
        if let Some(t) = v["message"]["content"].as_str() {
            seen.text.push_str(t);
        }
        for tc in v["message"]["tool_calls"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            seen.calls.push(call(
                tc["function"]["name"].as_str().unwrap(),
                &tc["function"]["arguments"].to_string(),
            ));
        }
        if v["done"] == true {
            seen.finish = v["done_reason"].as_str().map(str::to_string);
        }
    }
    seen
}
