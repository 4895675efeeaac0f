//! OpenAI shapes: Chat Completions (JSON and `chat.completion.chunk` SSE ending `data: [DONE]`),
//! Responses (JSON and typed SSE events), embeddings, model listing.
//! Field names follow the OpenAI API reference; the official `openai` SDK parses all of them
//! (integration/tests/test_mock_shapes.py proves it).

use serde_json::{json, Value};

use super::{sse, Answer, Ctx, JSON, SSE};
use crate::script::split_chars;

fn chat_id(ctx: &Ctx) -> String {
    format!("chatcmpl-mock{:08}", ctx.id)
}

fn call_id(ctx: &Ctx, j: usize) -> String {
    format!("call_mock{:06}{j:02}", ctx.id)
}

fn chat_usage(ctx: &Ctx) -> Value {
    json!({
        "prompt_tokens": ctx.input_tokens,
        "completion_tokens": ctx.output_tokens(),
        "total_tokens": ctx.input_tokens + ctx.output_tokens(),
    })
}

pub fn chat(ctx: &Ctx) -> Answer {
    let s = ctx.script;
    let finish = if s.tools.is_empty() {
        "stop"
    } else {
        "tool_calls"
    };
    if !ctx.stream(false) {
        let mut message = json!({"role": "assistant", "content": s.reply, "refusal": null});
        if !s.tools.is_empty() {
            let calls: Vec<Value> = s
                .tools
                .iter()
                .enumerate()
                .map(|(j, t)| {
                    json!({"id": call_id(ctx, j), "type": "function",
                       "function": {"name": t.name, "arguments": t.arguments_text()}})
                })
                .collect();
            super::set(&mut message, "tool_calls", Value::Array(calls));
        }
        return Answer::json(
            200,
            &json!({
                "id": chat_id(ctx),
                "object": "chat.completion",
                "created": ctx.now,
                "model": ctx.model,
                "system_fingerprint": "fp_mock",
                "choices": [{"index": 0, "message": message, "logprobs": null,
                             "finish_reason": finish}],
                "usage": chat_usage(ctx),
            }),
        );
    }

    let chunk = |delta: Value, finish_reason: Value| {
        sse(
            None,
            &json!({
                "id": chat_id(ctx),
                "object": "chat.completion.chunk",
                "created": ctx.now,
                "model": ctx.model,
                "system_fingerprint": "fp_mock",
                "choices": [{"index": 0, "delta": delta, "logprobs": null,
                             "finish_reason": finish_reason}],
            }),
        )
    };
    let mut events = vec![chunk(
        json!({"role": "assistant", "content": "", "refusal": null}),
        Value::Null,
    )];
    for piece in s.reply_pieces() {
        events.push(chunk(json!({"content": piece}), Value::Null));
    }
    for (j, t) in s.tools.iter().enumerate() {
        // The name (and id) first, then the arguments JSON text in fragments.
        events.push(chunk(
            json!({"tool_calls": [{"index": j, "id": call_id(ctx, j), "type": "function",
                                   "function": {"name": t.name, "arguments": ""}}]}),
            Value::Null,
        ));
        for frag in split_chars(&t.arguments_text(), s.piece_chars) {
            events.push(chunk(
                json!({"tool_calls": [{"index": j, "function": {"arguments": frag}}]}),
                Value::Null,
            ));
        }
    }
    let mut tail = vec![chunk(json!({}), json!(finish))];
    let include_usage = ctx
        .body
        .pointer("/stream_options/include_usage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if include_usage {
        tail.push(sse(
            None,
            &json!({
                "id": chat_id(ctx), "object": "chat.completion.chunk", "created": ctx.now,
                "model": ctx.model, "system_fingerprint": "fp_mock", "choices": [],
                "usage": chat_usage(ctx),
            }),
        ));
    }
    tail.push(b"data: [DONE]\n\n".to_vec());
    Answer::Stream {
        status: 200,
        content_type: SSE,
        events,
        tail,
    }
}

/// Legacy Completions (`/v1/completions`, which Ollama serves too): `choices[].text`.
pub fn completions(ctx: &Ctx) -> Answer {
    let s = ctx.script;
    let id = format!("cmpl-mock{:08}", ctx.id);
    let obj = |text: &str, finish: Value| {
        json!({"id": id, "object": "text_completion", "created": ctx.now, "model": ctx.model,
               "system_fingerprint": "fp_mock",
               "choices": [{"index": 0, "text": text, "logprobs": null, "finish_reason": finish}]})
    };
    if !ctx.stream(false) {
        let mut full = obj(&s.reply, json!("stop"));
        super::set(&mut full, "usage", chat_usage(ctx));
        return Answer::json(200, &full);
    }
    let events = s
        .reply_pieces()
        .iter()
        .map(|p| sse(None, &obj(p, Value::Null)))
        .collect();
    let tail = vec![
        sse(None, &obj("", json!("stop"))),
        b"data: [DONE]\n\n".to_vec(),
    ];
    Answer::Stream {
        status: 200,
        content_type: SSE,
        events,
        tail,
    }
}

fn resp_usage(ctx: &Ctx) -> Value {
    json!({
        "input_tokens": ctx.input_tokens,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": ctx.output_tokens(),
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": ctx.input_tokens + ctx.output_tokens(),
    })
}

fn response_object(ctx: &Ctx, status: &str, output: Vec<Value>, usage: Value) -> Value {
    json!({
        "id": format!("resp_mock{:08}", ctx.id),
        "object": "response",
        "created_at": ctx.now,
        "status": status,
        "background": false,
        "error": null,
        "incomplete_details": null,
        "instructions": ctx.body.get("instructions").cloned().unwrap_or(Value::Null),
        "max_output_tokens": null,
        "model": ctx.model,
        "output": output,
        "parallel_tool_calls": true,
        "previous_response_id": null,
        "reasoning": {"effort": null, "summary": null},
        "store": false,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": ctx.body.get("tools").cloned().unwrap_or(json!([])),
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": null,
        "metadata": {},
    })
}

fn msg_item(ctx: &Ctx, status: &str, text: Option<&str>) -> Value {
    let content = match text {
        Some(t) => json!([{"type": "output_text", "text": t, "annotations": [], "logprobs": []}]),
        None => json!([]),
    };
    json!({"id": format!("msg_mock{:08}", ctx.id), "type": "message", "status": status,
           "role": "assistant", "content": content})
}

fn fc_item(ctx: &Ctx, j: usize, name: &str, args: &str, status: &str) -> Value {
    json!({"id": format!("fc_mock{:06}{j:02}", ctx.id), "type": "function_call",
           "status": status, "call_id": call_id(ctx, j), "name": name, "arguments": args})
}

pub fn responses(ctx: &Ctx) -> Answer {
    let s = ctx.script;
    let has_text = !s.reply.is_empty() || s.tools.is_empty();
    let mut final_output = Vec::new();
    if has_text {
        final_output.push(msg_item(ctx, "completed", Some(&s.reply)));
    }
    for (j, t) in s.tools.iter().enumerate() {
        final_output.push(fc_item(ctx, j, &t.name, &t.arguments_text(), "completed"));
    }
    if !ctx.stream(false) {
        return Answer::json(
            200,
            &response_object(ctx, "completed", final_output, resp_usage(ctx)),
        );
    }

    let mut seq: u64 = 0;
    let mut ev = |name: &str, mut data: Value| {
        super::set(&mut data, "type", json!(name));
        super::set(&mut data, "sequence_number", json!(seq));
        seq += 1;
        sse(Some(name), &data)
    };
    let mut events = vec![
        ev(
            "response.created",
            json!({"response": response_object(ctx, "in_progress", vec![], Value::Null)}),
        ),
        ev(
            "response.in_progress",
            json!({"response": response_object(ctx, "in_progress", vec![], Value::Null)}),
        ),
    ];
    let mut out_index = 0usize;
    if has_text {
        let item_id = format!("msg_mock{:08}", ctx.id);
        events.push(ev(
            "response.output_item.added",
            json!({"output_index": out_index, "item": msg_item(ctx, "in_progress", None)}),
        ));
        events.push(ev(
            "response.content_part.added",
            json!({"item_id": item_id, "output_index": out_index, "content_index": 0,
                   "part": {"type": "output_text", "text": "", "annotations": [], "logprobs": []}}),
        ));
        for piece in s.reply_pieces() {
            events.push(ev(
                "response.output_text.delta",
                json!({"item_id": item_id, "output_index": out_index, "content_index": 0,
                       "delta": piece, "logprobs": []}),
            ));
        }
        events.push(ev(
            "response.output_text.done",
            json!({"item_id": item_id, "output_index": out_index, "content_index": 0,
                   "text": s.reply, "logprobs": []}),
        ));
        events.push(ev(
            "response.content_part.done",
            json!({"item_id": item_id, "output_index": out_index, "content_index": 0,
                   "part": {"type": "output_text", "text": s.reply, "annotations": [],
                            "logprobs": []}}),
        ));
        events.push(ev(
            "response.output_item.done",
            json!({"output_index": out_index,
                   "item": msg_item(ctx, "completed", Some(&s.reply))}),
        ));
        out_index += 1;
    }
    for (j, t) in s.tools.iter().enumerate() {
        let item_id = format!("fc_mock{:06}{j:02}", ctx.id);
        let args = t.arguments_text();
        events.push(ev(
            "response.output_item.added",
            json!({"output_index": out_index, "item": fc_item(ctx, j, &t.name, "", "in_progress")}),
        ));
        for frag in split_chars(&args, s.piece_chars) {
            events.push(ev(
                "response.function_call_arguments.delta",
                json!({"item_id": item_id, "output_index": out_index, "delta": frag}),
            ));
        }
        events.push(ev(
            "response.function_call_arguments.done",
            json!({"item_id": item_id, "output_index": out_index, "name": t.name,
                   "arguments": args}),
        ));
        events.push(ev(
            "response.output_item.done",
            json!({"output_index": out_index,
                   "item": fc_item(ctx, j, &t.name, &args, "completed")}),
        ));
        out_index += 1;
    }
    let tail = vec![ev(
        "response.completed",
        json!({"response": response_object(ctx, "completed", final_output, resp_usage(ctx))}),
    )];
    Answer::Stream {
        status: 200,
        content_type: SSE,
        events,
        tail,
    }
}

/// A small deterministic vector per input (8 dims), so tests can compare.
pub fn vector(seed: &str) -> Vec<f64> {
    let d = super::fake_digest(seed);
    d.as_bytes()
        .chunks(8)
        .map(|c| {
            let v = c
                .iter()
                .fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(*b)));
            f64::from(v % 2000) / 1000.0 - 1.0
        })
        .collect()
}

/// Embedding inputs as strings: a string, or a list of strings (token arrays are echoed as text).
pub fn inputs(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn embeddings(ctx: &Ctx) -> Answer {
    let data: Vec<Value> = inputs(ctx.body.get("input"))
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"object": "embedding", "index": i, "embedding": vector(s)}))
        .collect();
    Answer::json(
        200,
        &json!({"object": "list", "data": data, "model": ctx.model,
                "usage": {"prompt_tokens": ctx.input_tokens, "total_tokens": ctx.input_tokens}}),
    )
}

fn model_entry(id: &str, created: u64) -> Value {
    json!({"id": id, "object": "model", "created": created, "owned_by": "library"})
}

pub fn models(ctx: &Ctx) -> Answer {
    let data: Vec<Value> = super::ollama::MODELS
        .iter()
        .map(|m| model_entry(m.name, ctx.now))
        .collect();
    Answer::json(200, &json!({"object": "list", "data": data}))
}

pub fn model(ctx: &Ctx, path: &str) -> Answer {
    let id = path.trim_start_matches("/v1/models/");
    Answer::Full {
        status: 200,
        content_type: Some(JSON),
        body: model_entry(id, ctx.now).to_string().into_bytes(),
    }
}
