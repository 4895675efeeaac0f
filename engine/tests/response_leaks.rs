//! Every string the client reads is redacted, and every call the client executes is governed.
//!
//! Each row is an upstream answer carrying a secret where a client reads it (a field no dialect
//! names, a JSON escape inside tool-call arguments, logprob tokens, an object key, a body framed
//! differently from its label) or a call the policy denies where a client runs it. Every row runs
//! at several network splits, and the leak oracle (`common::oracle`) reads the client's bytes as
//! an SDK does. The seeded property puts secrets at random string paths of generated events.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::Arc;

use common::oracle::{frames, leak};
use common::rng::Rng;
use llm_warden_engine::replay::{answer, post, replay, Split};
use llm_warden_engine::Policies;
use serde_json::{json, Value};

/// An AWS access key id shape (built-in rule) that is no documented example.
const SECRET: &str = "AKIAQZ7R4TLW2XKJ5NBV";
/// The same key with its first letter as a JSON escape, as a client decodes it.
const ESCAPED: &str = "\\u0041KIAQZ7R4TLW2XKJ5NBV";

const CHAT: &str = "/v1/chat/completions";
const MESSAGES: &str = "/v1/messages";
const RESPONSES: &str = "/v1/responses";
const OLLAMA: &str = "/api/chat";
const STREAM: &str =
    r#"{"model":"m","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#;
const WHOLE: &str =
    r#"{"model":"m","stream":false,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#;
const OLLAMA_STREAM: &str =
    r#"{"model":"llama3.2:3b","messages":[{"role":"user","content":"hi"}]}"#;
const RESPONSES_STREAM: &str = r#"{"model":"m","stream":true,"input":"hi"}"#;
const RESPONSES_WHOLE: &str = r#"{"model":"m","input":"hi"}"#;

fn pieces(text: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(n.max(1)).map(|c| c.iter().collect()).collect()
}

fn data(v: &Value) -> String {
    format!("data: {v}\n\n")
}

fn named(v: &Value) -> String {
    format!("event: {}\ndata: {v}\n\n", v["type"].as_str().unwrap())
}

fn chunk(delta: Value) -> String {
    data(
        &json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "delta": delta, "finish_reason": null}]}),
    )
}

fn chat_end() -> String {
    data(
        &json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}),
    ) + "data: [DONE]\n\n"
}

/// A chat stream whose `field(piece)` deltas spell `text` in pieces of `n` characters.
fn chat_deltas(text: &str, n: usize, field: &dyn Fn(&str) -> Value) -> String {
    let mut s = chunk(json!({"role": "assistant", "content": ""}));
    for p in pieces(text, n) {
        s += &chunk(field(&p));
    }
    s + &chat_end()
}

fn logprob(token: &str) -> Value {
    json!({"token": token, "logprob": -0.1, "bytes": token.as_bytes(),
           "top_logprobs": [{"token": token, "logprob": -0.1, "bytes": token.as_bytes()}]})
}

fn anthropic(blocks: &[String]) -> String {
    let mut s = named(
        &json!({"type": "message_start", "message": {"id": "msg", "type": "message",
        "role": "assistant", "model": "m", "content": [], "stop_reason": null,
        "usage": {"input_tokens": 1, "output_tokens": 1}}}),
    );
    for b in blocks {
        s += b;
    }
    s += &named(
        &json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                         "usage": {"output_tokens": 5}}),
    );
    s + &named(&json!({"type": "message_stop"}))
}

fn responses(events: &[Value]) -> String {
    let mut s = named(&json!({"type": "response.created", "response": {"id": "r", "output": []}}));
    for e in events {
        s += &named(e);
    }
    s
}

/// (name, path, request, content-type, upstream body)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    String,
);

fn secret_rows(n: usize) -> Vec<Row> {
    let args = format!(r#"{{"note":"{ESCAPED}"}}"#);
    let url = r#"{"dsn":"postgres:\/\/admin:s3cr3tPassw0rd@db.internal:5432\/app"}"#;
    let text = format!("the key is {SECRET} ok");
    let sse = "text/event-stream";
    vec![
        ("chat tool-call arguments with an escape", CHAT, STREAM, sse, {
            let mut s = chunk(json!({"tool_calls": [{"index": 0, "id": "call_0", "type": "function",
                "function": {"name": "note", "arguments": ""}}]}));
            for p in pieces(&args, n) {
                s += &chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}));
            }
            s + &chat_end()
        }),
        ("chat JSON tool-call arguments with an escape", CHAT, WHOLE, "application/json",
            json!({"id": "c", "object": "chat.completion", "choices": [{"index": 0, "message": {
                "role": "assistant", "content": null, "tool_calls": [{"id": "call_0", "type": "function",
                "function": {"name": "note", "arguments": args}}]}, "finish_reason": "tool_calls"}]}).to_string()),
        ("chat logprobs tokens", CHAT, STREAM, sse, {
            let mut s = String::new();
            for p in pieces(&text, n) {
                s += &data(&json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                    "choices": [{"index": 0, "delta": {"content": p}, "logprobs": {"content": [logprob(&p)]},
                    "finish_reason": null}]}));
            }
            s + &chat_end()
        }),
        ("chat JSON logprobs", CHAT, WHOLE, "application/json",
            json!({"id": "c", "object": "chat.completion", "choices": [{"index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": {"content": pieces(&text, 3).iter().map(|p| logprob(p)).collect::<Vec<_>>()},
                "finish_reason": "stop"}]}).to_string()),
        ("chat streamed refusal", CHAT, STREAM, sse, chat_deltas(&text, n, &|p| json!({"refusal": p}))),
        ("chat streamed audio transcript", CHAT, STREAM, sse,
            chat_deltas(&text, n, &|p| json!({"audio": {"id": "a", "transcript": p}}))),
        ("chat content as an array of parts", CHAT, STREAM, sse,
            chat_deltas(&text, n, &|p| json!({"content": [{"type": "text", "text": p}]}))),
        ("chat thinking parts", CHAT, STREAM, sse,
            chat_deltas(&text, n, &|p| json!({"content": [{"type": "thinking", "thinking": p}]}))),
        ("chat escaped postgres url in arguments", CHAT, STREAM, sse, {
            let mut s = chunk(json!({"tool_calls": [{"index": 0, "id": "call_0", "type": "function",
                "function": {"name": "db", "arguments": ""}}]}));
            for p in pieces(url, n) {
                s += &chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}));
            }
            s + &chat_end()
        }),
        ("legacy completions logprobs tokens", "/v1/completions",
            r#"{"model":"m","stream":true,"prompt":"hi"}"#, sse, {
            let mut s = String::new();
            for p in pieces(&text, n) {
                s += &data(&json!({"id": "c", "object": "text_completion", "choices": [{"index": 0,
                    "text": p, "logprobs": {"tokens": [p], "token_logprobs": [-0.1],
                    "top_logprobs": [{p.clone(): -0.1}], "text_offset": [0]}, "finish_reason": null}]}));
            }
            s + &chat_end()
        }),
        ("anthropic input_json_delta with an escape", MESSAGES, STREAM, sse, {
            let mut b = vec![named(&json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "tool_use", "id": "t", "name": "note", "input": {}}}))];
            for p in pieces(&args, n) {
                b.push(named(&json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "input_json_delta", "partial_json": p}})));
            }
            b.push(named(&json!({"type": "content_block_stop", "index": 0})));
            anthropic(&b)
        }),
        ("anthropic citations cited_text", MESSAGES, STREAM, sse, {
            let mut b = vec![named(&json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": ""}}))];
            b.push(named(&json!({"type": "content_block_delta", "index": 0, "delta": {
                "type": "citations_delta", "citation": {"type": "char_location", "cited_text": text,
                "document_index": 0, "start_char_index": 0, "end_char_index": 5}}})));
            b.push(named(&json!({"type": "content_block_stop", "index": 0})));
            anthropic(&b)
        }),
        ("anthropic text starting in content_block_start", MESSAGES, STREAM, sse, {
            let (head, tail) = text.split_at(14);
            let mut b = vec![named(&json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": head}}))];
            for p in pieces(tail, n) {
                b.push(named(&json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}})));
            }
            b.push(named(&json!({"type": "content_block_stop", "index": 0})));
            anthropic(&b)
        }),
        ("anthropic text starting in message_start", MESSAGES, STREAM, sse, {
            let (head, tail) = text.split_at(14);
            let mut s = named(&json!({"type": "message_start", "message": {"id": "msg", "type": "message",
                "role": "assistant", "model": "m", "content": [{"type": "text", "text": head}],
                "stop_reason": null, "usage": {"input_tokens": 1, "output_tokens": 1}}}));
            for p in pieces(tail, n) {
                s += &named(&json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}}));
            }
            s += &named(&json!({"type": "content_block_stop", "index": 0}));
            s + &named(&json!({"type": "message_stop"}))
        }),
        ("anthropic tool_use input key", MESSAGES, STREAM, sse, anthropic(&[
            named(&json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "tool_use", "id": "t", "name": "note", "input": {SECRET: 1}}})),
            named(&json!({"type": "content_block_stop", "index": 0})),
        ])),
        ("anthropic JSON tool_use input key", MESSAGES, WHOLE, "application/json",
            json!({"id": "msg", "type": "message", "role": "assistant", "model": "m",
                "content": [{"type": "tool_use", "id": "t", "name": "note", "input": {SECRET: 1}}],
                "stop_reason": "tool_use"}).to_string()),
        ("responses arguments with an escape", RESPONSES, RESPONSES_STREAM, sse, {
            let mut e = vec![json!({"type": "response.output_item.added", "output_index": 0,
                "item": {"type": "function_call", "id": "fc", "call_id": "c", "name": "note", "arguments": ""}})];
            for p in pieces(&args, n) {
                e.push(json!({"type": "response.function_call_arguments.delta", "output_index": 0,
                    "item_id": "fc", "delta": p}));
            }
            responses(&e)
        }),
        ("responses reasoning_text deltas", RESPONSES, RESPONSES_STREAM, sse, {
            let mut e = vec![json!({"type": "response.output_item.added", "output_index": 0,
                "item": {"type": "reasoning", "id": "rs", "summary": []}})];
            for p in pieces(&text, n) {
                e.push(json!({"type": "response.reasoning_text.delta", "output_index": 0,
                    "content_index": 0, "item_id": "rs", "delta": p}));
            }
            e.push(json!({"type": "response.reasoning_text.done", "output_index": 0,
                "content_index": 0, "item_id": "rs", "text": text}));
            responses(&e)
        }),
        ("responses output_text logprobs", RESPONSES, RESPONSES_STREAM, sse, {
            let mut e = vec![json!({"type": "response.output_item.added", "output_index": 0,
                "item": {"type": "message", "id": "m", "role": "assistant", "content": []}})];
            for p in pieces(&text, n) {
                e.push(json!({"type": "response.output_text.delta", "output_index": 0,
                    "content_index": 0, "item_id": "m", "delta": p, "logprobs": [logprob(&p)]}));
            }
            responses(&e)
        }),
        ("ollama tool-call argument key", OLLAMA, OLLAMA_STREAM, "application/x-ndjson",
            json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": "",
                "tool_calls": [{"function": {"name": "note", "arguments": {SECRET: "x"}}}]}, "done": false})
                .to_string() + "\n" + &json!({"model": "m", "created_at": "t", "message": {"role": "assistant",
                "content": ""}, "done": true}).to_string() + "\n"),
        ("ollama bare CR line ends", OLLAMA, OLLAMA_STREAM, "application/x-ndjson", {
            let mut s = String::new();
            for p in pieces(&text, n) {
                s += &json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": p},
                    "done": false}).to_string();
                s += "\r";
            }
            s + &json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": ""},
                "done": true}).to_string() + "\r"
        }),
        ("ollama logprobs", OLLAMA, OLLAMA_STREAM, "application/x-ndjson", {
            let mut s = String::new();
            for p in pieces(&text, n) {
                s += &json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": p},
                    "logprobs": [{"token": p, "logprob": -0.1, "bytes": p.as_bytes()}], "done": false}).to_string();
                s += "\n";
            }
            s + &json!({"model": "m", "created_at": "t", "done": true}).to_string() + "\n"
        }),
        ("sse labelled text/plain", CHAT, STREAM, "text/plain", chat_deltas(&text, n, &|p| json!({"content": p}))),
        ("sse labelled application/json", CHAT, STREAM, "application/json",
            chat_deltas(&text, n, &|p| json!({"content": p}))),
        ("ndjson labelled application/json", OLLAMA, OLLAMA_STREAM, "application/json", {
            let mut s = String::new();
            for p in pieces(&text, n) {
                s += &json!({"model": "m", "message": {"role": "assistant", "content": p}, "done": false}).to_string();
                s += "\n";
            }
            s + &json!({"model": "m", "done": true}).to_string() + "\n"
        }),
        ("json with an escaped key labelled text/plain", CHAT, WHOLE, "text/plain",
            format!(r#"{{"id":"c","object":"chat.completion","choices":[{{"index":0,"message":{{"role":"assistant","content":"x","tool_calls":[{{"id":"c0","type":"function","function":{{"name":"f","arguments":"{{}}"}}}}]}},"finish_reason":"stop"}}],"meta":{{"{ESCAPED}":1}}}}"#)),
        ("a byte-order mark before the first event", CHAT, STREAM, sse,
            format!("\u{feff}{}", chat_deltas(&text, n, &|p| json!({"content": p})))),
        ("CR line ends and multi-line data", CHAT, STREAM, sse,
            chat_deltas(&text, n, &|p| json!({"content": p})).replace("\n\n", "\r\r").replace("data: {\"id\"", "data: {\rdata: \"id\"")),
        // The fast path (response::passthrough): benign events of one envelope pass as their
        // bytes; the rows below are its edges.
        ("fast path: benign text, then the secret across events", CHAT, STREAM, sse,
            chat_deltas(&format!("{} {text}", PLAIN.repeat(3)), n, &|p| json!({"content": p}))),
        ("fast path: every character a JSON escape", CHAT, STREAM, sse, {
            let mut s = chunk(json!({"role": "assistant", "content": ""}));
            for p in pieces(&format!("{PLAIN}{text}"), n) {
                let escaped: String = p.chars().map(|c| format!("\\u{:04x}", u32::from(c))).collect();
                s += &format!(r#"data: {{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{{"index":0,"delta":{{"content":"{escaped}"}},"finish_reason":null}}]}}"#);
                s += "\n\n";
            }
            s + &chat_end()
        }),
        ("fast path: JSON content with an escape split across events", CHAT, STREAM, sse,
            chat_deltas(&format!(r#"{{"lead":"{PLAIN}","note":"{ESCAPED}"}}"#), n, &|p| json!({"content": p}))),
        ("fast path: a tool call after benign text", CHAT, STREAM, sse, {
            let mut s = chunk(json!({"role": "assistant", "content": ""}));
            for p in pieces(PLAIN, n) {
                s += &chunk(json!({"content": p}));
            }
            s += &chunk(json!({"tool_calls": [{"index": 0, "id": "call_0", "type": "function",
                "function": {"name": "note", "arguments": ""}}]}));
            for p in pieces(&format!(r#"{{"note":"{SECRET}"}}"#), n) {
                s += &chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}));
            }
            s + &chat_end()
        }),
        ("fast path: the secret in a field its shape does not have", CHAT, STREAM, sse, {
            let mut s = chunk(json!({"role": "assistant", "content": ""}));
            for p in pieces(PLAIN, n) {
                s += &chunk(json!({"content": p}));
            }
            for p in pieces(&text, n) {
                s += &chunk(json!({"content": "x", "x_note": p}));
            }
            s + &chat_end()
        }),
        ("fast path: ndjson lines whose identifiers change", OLLAMA, OLLAMA_STREAM, "application/x-ndjson", {
            let mut s = String::new();
            for (i, p) in pieces(&format!("{PLAIN}{text}"), n).iter().enumerate() {
                s += &json!({"model": "m", "created_at": format!("t{i}"), "message": {"role": "assistant", "content": p}, "done": false}).to_string();
                s += "\n";
            }
            s + &json!({"model": "m", "created_at": "t", "done": true}).to_string() + "\n"
        }),
        ("fast path: ndjson generate lines", "/api/generate", r#"{"model":"m","prompt":"hi"}"#, "application/x-ndjson", {
            let mut s = String::new();
            for p in pieces(&format!("{PLAIN}{text}"), n) {
                s += &json!({"model": "m", "created_at": "t", "response": p, "done": false}).to_string();
                s += "\n";
            }
            s + &json!({"model": "m", "created_at": "t", "response": "", "done": true}).to_string() + "\n"
        }),
        ("fast path: anthropic benign text, then the secret across events", MESSAGES, STREAM, sse,
            anthropic_text(&format!("{} {text}", PLAIN.repeat(3)), n, &[])),
        ("fast path: anthropic JSON text with an escape split across events", MESSAGES, STREAM, sse,
            anthropic_text(&format!(r#"{{"lead":"{PLAIN}","note":"{ESCAPED}"}}"#), n, &[])),
        ("fast path: anthropic tool_use after benign text", MESSAGES, STREAM, sse, {
            let mut b = vec![named(&json!({"type": "content_block_start", "index": 1,
                "content_block": {"type": "tool_use", "id": "t", "name": "note", "input": {}}}))];
            for p in pieces(&format!(r#"{{"note":"{SECRET}"}}"#), n) {
                b.push(named(&json!({"type": "content_block_delta", "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": p}})));
            }
            b.push(named(&json!({"type": "content_block_stop", "index": 1})));
            anthropic_text(PLAIN, n, &b)
        }),
        ("fast path: responses benign text, then the secret, sequence numbers", RESPONSES, RESPONSES_STREAM, sse,
            responses_text(&format!("{} {text}", PLAIN.repeat(3)), n, &[])),
        ("fast path: responses JSON text with an escape split across events", RESPONSES, RESPONSES_STREAM, sse,
            responses_text(&format!(r#"{{"lead":"{PLAIN}","note":"{ESCAPED}"}}"#), n, &[])),
        ("fast path: responses function_call after benign text", RESPONSES, RESPONSES_STREAM, sse, {
            let mut e = vec![json!({"type": "response.output_item.added", "output_index": 1,
                "item": {"type": "function_call", "id": "fc", "call_id": "c", "name": "note", "arguments": ""}})];
            for p in pieces(&format!(r#"{{"note":"{SECRET}"}}"#), n) {
                e.push(json!({"type": "response.function_call_arguments.delta", "output_index": 1,
                    "item_id": "fc", "delta": p}));
            }
            responses_text(PLAIN, n, &e)
        }),
        ("fast path: responses text of a second item after the first", RESPONSES, RESPONSES_STREAM, sse, {
            let mut e = vec![json!({"type": "response.output_item.added", "output_index": 1,
                "item": {"type": "message", "id": "m2", "role": "assistant", "content": []}})];
            for p in pieces(&format!("{PLAIN}{text}"), n) {
                e.push(json!({"type": "response.output_text.delta", "output_index": 1,
                    "content_index": 0, "item_id": "m2", "delta": p}));
            }
            responses_text(PLAIN, n, &e)
        }),
    ]
}

/// An Anthropic stream: a text block spelling `text` in pieces of `n` characters, then `after`.
fn anthropic_text(text: &str, n: usize, after: &[String]) -> String {
    let mut b = vec![named(&json!({"type": "content_block_start", "index": 0,
        "content_block": {"type": "text", "text": ""}}))];
    for p in pieces(text, n) {
        b.push(named(&json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "text_delta", "text": p}})));
    }
    b.push(named(&json!({"type": "content_block_stop", "index": 0})));
    b.extend_from_slice(after);
    anthropic(&b)
}

/// A Responses stream as the API sends it (a `sequence_number` on every event, an
/// `obfuscation` padding on every text delta): a message item spelling `text` in pieces of `n`
/// characters, then `after`.
fn responses_text(text: &str, n: usize, after: &[Value]) -> String {
    let mut e = vec![
        json!({"type": "response.output_item.added", "output_index": 0,
        "item": {"type": "message", "id": "m", "role": "assistant", "content": []}}),
    ];
    for (i, p) in pieces(text, n).iter().enumerate() {
        e.push(
            json!({"type": "response.output_text.delta", "output_index": 0, "content_index": 0,
            "item_id": "m", "delta": p, "logprobs": [], "obfuscation": format!("pad{i}")}),
        );
    }
    e.push(
        json!({"type": "response.output_text.done", "output_index": 0, "content_index": 0,
        "item_id": "m", "text": text}),
    );
    e.extend_from_slice(after);
    for (i, x) in e.iter_mut().enumerate() {
        x["sequence_number"] = json!(i + 1);
    }
    responses(&e)
}

/// Benign prose for the fast path's rows.
const PLAIN: &str = "The committee reviewed the quarterly report on river sediment. ";

fn run(
    p: &Arc<Policies>,
    path: &str,
    request: &str,
    ct: &str,
    body: &str,
    split: &Split,
) -> String {
    let body = body.as_bytes().to_vec();
    let ct = ct.to_string();
    let out = replay(
        Arc::clone(p),
        &post(path, request),
        &move |_| answer(&ct, &body),
        split,
    );
    String::from_utf8_lossy(&out.client_response.body).into_owned()
}

#[test]
fn the_secret_is_a_secret() {
    let p = Policies::from_json(b"{}").unwrap();
    assert!(!p.policy(0).secrets.redact(SECRET).matches.is_empty());
}

/// REGRESSION: each row reached the client unredacted at every chunk size tried, although the
/// same secret in `content` was redacted.
#[test]
fn no_secret_reaches_the_client_in_any_field() {
    let p = Arc::new(Policies::from_json(b"{}").unwrap());
    for n in [1, 2, 3, 7, 1000] {
        for (name, path, request, ct, body) in secret_rows(n) {
            let planted = if name.contains("postgres") {
                "s3cr3tPassw0rd"
            } else {
                SECRET
            };
            assert!(
                leak(&body, planted).is_some(),
                "{name}: the oracle finds no secret upstream"
            );
            for split in [
                Split::Every(1),
                Split::Every(2),
                Split::Every(3),
                Split::Every(7),
                Split::Every(1 << 20),
            ] {
                let client = run(&p, path, request, ct, &body, &split);
                if let Some(found) = leak(&client, SECRET) {
                    panic!("{name}, {n} chars an event, {split:?}: leaked in {found:?}\n{client}");
                }
                assert!(
                    leak(&client, "s3cr3tPassw0rd").is_none() || !name.contains("postgres"),
                    "{name} {split:?}: password leaked\n{client}"
                );
            }
        }
    }
}

/// The calls a client would run from a body: (type, name) of every call item or block.
fn executed(body: &str) -> Vec<(String, String)> {
    fn find(v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                if let Some(t) = m.get("type").and_then(Value::as_str) {
                    if t.ends_with("_call")
                        || t.ends_with("tool_use")
                        || t == "mcp_approval_request"
                    {
                        let name = m
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        out.push((t.to_string(), name));
                    }
                }
                m.values().for_each(|c| find(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| find(c, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for f in frames(body) {
        if let Ok(v) = serde_json::from_str::<Value>(f.trim()) {
            find(&v, &mut out);
        }
    }
    out
}

/// REGRESSION: with `default: deny`, Responses built-in calls, calls seen first in
/// `output_item.done` or `response.completed`, a call renamed between `added` and `done`, and an
/// Anthropic `tool_use` inside `message_start` reached the client.
#[test]
fn every_call_the_client_runs_is_governed() {
    let p = Arc::new(
        Policies::from_json(br#"{"tools": {"default": "deny", "allow": ["get_weather"]}}"#)
            .unwrap(),
    );
    let sse = "text/event-stream";
    let shell = json!({"type": "local_shell_call", "id": "ls", "call_id": "c", "status": "completed",
        "action": {"type": "exec", "command": ["rm", "-rf", "/"]}});
    let mut rows: Vec<(String, &str, &str, &str, String)> = Vec::new();
    for item in [
        shell.clone(),
        json!({"type": "shell_call", "id": "sh", "call_id": "c", "action": {"commands": ["id"]}}),
        json!({"type": "apply_patch_call", "id": "ap", "call_id": "c", "operation": {"type": "delete_file", "path": "x"}}),
        json!({"type": "computer_call", "id": "cc", "call_id": "c", "action": {"type": "click", "x": 1, "y": 2}}),
        json!({"type": "mcp_approval_request", "id": "ar", "name": "delete_repo", "server_label": "gh", "arguments": "{}"}),
        json!({"type": "mcp_call", "id": "mc", "name": "delete_repo", "server_label": "gh", "arguments": "{}"}),
    ] {
        let t = item["type"].as_str().unwrap().to_string();
        rows.push((
            format!("{t} streamed"),
            RESPONSES,
            RESPONSES_STREAM,
            sse,
            responses(&[
                json!({"type": "response.output_item.added", "output_index": 0, "item": item}),
                json!({"type": "response.output_item.done", "output_index": 0, "item": item}),
                json!({"type": "response.completed", "response": {"id": "r", "output": [item]}}),
            ]),
        ));
        rows.push((
            format!("{t} whole"),
            RESPONSES,
            RESPONSES_WHOLE,
            "application/json",
            json!({"id": "r", "object": "response", "output": [item]}).to_string(),
        ));
    }
    let send = json!({"type": "function_call", "id": "fc", "call_id": "c", "name": "send_email", "arguments": "{}"});
    let weather = json!({"type": "function_call", "id": "fc", "call_id": "c", "name": "get_weather", "arguments": ""});
    rows.push((
        "a call only in output_item.done".into(),
        RESPONSES,
        RESPONSES_STREAM,
        sse,
        responses(&[json!({"type": "response.output_item.done", "output_index": 0, "item": send})]),
    ));
    rows.push((
        "a call only in response.completed".into(),
        RESPONSES,
        RESPONSES_STREAM,
        sse,
        responses(&[
            json!({"type": "response.completed", "response": {"id": "r", "output": [send]}}),
        ]),
    ));
    rows.push(("a call renamed between added and done".into(), RESPONSES, RESPONSES_STREAM, sse, responses(&[
        json!({"type": "response.output_item.added", "output_index": 0, "item": weather}),
        json!({"type": "response.function_call_arguments.delta", "output_index": 0, "item_id": "fc", "delta": "{}"}),
        json!({"type": "response.output_item.done", "output_index": 0, "item": send}),
        json!({"type": "response.completed", "response": {"id": "r", "output": [send]}}),
    ])));
    rows.push((
        "anthropic tool_use in message_start".into(),
        MESSAGES,
        STREAM,
        sse,
        {
            let s = named(
                &json!({"type": "message_start", "message": {"id": "msg", "type": "message",
            "role": "assistant", "model": "m", "content": [{"type": "tool_use", "id": "t",
            "name": "delete_file", "input": {"path": "/"}}], "stop_reason": null,
            "usage": {"input_tokens": 1, "output_tokens": 1}}}),
            );
            s + &named(&json!({"type": "message_stop"}))
        },
    ));
    for on_call in ["block", "strip"] {
        let p = if on_call == "strip" {
            Arc::new(Policies::from_json(br#"{"tools": {"default": "deny", "allow": ["get_weather"], "on_call": "strip"}}"#).unwrap())
        } else {
            Arc::clone(&p)
        };
        for (name, path, request, ct, body) in &rows {
            assert!(
                executed(body).iter().any(|(_, n)| n != "get_weather"),
                "{name}: no denied call upstream"
            );
            for split in [Split::Every(1), Split::Every(7), Split::Every(1 << 20)] {
                let client = run(&p, path, request, ct, body, &split);
                let calls = executed(&client);
                assert!(
                    calls.iter().all(|(_, n)| n == "get_weather") || calls.is_empty(),
                    "{name} ({on_call}) {split:?}: the client gets {calls:?}\n{client}"
                );
                assert!(
                    !calls.iter().any(|(_, n)| n == "get_weather")
                        || !name.contains("renamed")
                        || !client.contains("send_email\""),
                    "{name} {split:?}\n{client}"
                );
            }
        }
    }
}

/// Property: generated chat, Responses, Anthropic and Ollama streams with the secret at a random
/// string path (known fields and names no dialect knows), spread over events of 1..N characters
/// and cut at random byte boundaries: the oracle finds nothing.
#[test]
fn secrets_at_random_paths_never_reach_the_client() {
    let p = Arc::new(Policies::from_json(b"{}").unwrap());
    let mut rng = Rng(0x5eed_1e55_0ac1_e000);
    let fields = ["content", "refusal", "reasoning_content", "x_note", "aside"];
    // A longer run: RESPONSE_LEAKS_ROUNDS=20000 (last run 2026-12-06, after frames became ranges
    // of the framer's buffer and untouched chunks were left to the host: 20,000 rounds, 3 splits
    // each, no leak, 20 s in a release build on a busy machine).
    let rounds = std::env::var("RESPONSE_LEAKS_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(60);
    for round in 0..rounds {
        let text = format!("lead {SECRET} tail");
        let n = 1 + rng.below(6);
        let field = fields[rng.below(fields.len())];
        let nested = rng.below(2) == 1;
        let (path, request, ct, body) = match round % 4 {
            0 => (
                CHAT,
                STREAM,
                "text/event-stream",
                chat_deltas(&text, n, &|piece| {
                    if nested {
                        json!({field: {"text": piece}})
                    } else {
                        json!({field: piece})
                    }
                }),
            ),
            1 => (RESPONSES, RESPONSES_STREAM, "text/event-stream", {
                let kind = format!("response.{field}.delta");
                let e: Vec<Value> = pieces(&text, n)
                    .into_iter()
                    .map(|piece| {
                        json!({"type": kind,
                    "output_index": 0, "content_index": 0, "delta": piece})
                    })
                    .collect();
                responses(&e)
            }),
            2 => (MESSAGES, STREAM, "text/event-stream", {
                let mut b = vec![named(&json!({"type": "content_block_start", "index": 0,
                    "content_block": {"type": "text", "text": ""}}))];
                for piece in pieces(&text, n) {
                    let delta = if field == "content" {
                        json!({"type": "text_delta", "text": piece})
                    } else {
                        json!({"type": format!("{field}_delta"), field: piece})
                    };
                    b.push(named(
                        &json!({"type": "content_block_delta", "index": 0, "delta": delta}),
                    ));
                }
                b.push(named(&json!({"type": "content_block_stop", "index": 0})));
                anthropic(&b)
            }),
            _ => (OLLAMA, OLLAMA_STREAM, "application/x-ndjson", {
                let mut s = String::new();
                for piece in pieces(&text, n) {
                    let line = if field == "content" {
                        json!({"model": "m", "message": {"role": "assistant", "content": piece}, "done": false})
                    } else {
                        json!({"model": "m", "message": {"role": "assistant", "content": "", field: piece}, "done": false})
                    };
                    s += &line.to_string();
                    s += "\n";
                }
                s + &json!({"model": "m", "message": {"role": "assistant", "content": ""}, "done": true}).to_string() + "\n"
            }),
        };
        assert!(
            leak(&body, SECRET).is_some(),
            "round {round}: no secret upstream"
        );
        let cuts: Vec<usize> = (0..1 + rng.below(8))
            .map(|_| rng.below(body.len()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for split in [
            Split::At(cuts),
            Split::Every(1),
            Split::Every(1 + rng.below(9)),
        ] {
            let client = run(&p, path, request, ct, &body, &split);
            if let Some(found) = leak(&client, SECRET) {
                panic!("round {round} ({path}, {field}, nested {nested}, {n} chars, {split:?}): leaked in {found:?}\n{client}");
            }
        }
    }
}

/// Benign streams that carry the fields covered here (refusal, logprobs, content parts, unknown
/// fields, arguments with JSON escapes, a byte-order mark, CR line ends) pass byte for byte, and
/// nothing is held: each event reaches the client with the chunk that completes it.
#[test]
fn benign_streams_pass_byte_for_byte() {
    let p = Arc::new(Policies::from_json(b"{}").unwrap());
    let text = "Caf\u{e9} au lait, s'il vous pla\u{ee}t. The answer is 42.";
    let args = r#"{"city":"Z\u00fcrich","path":"a\/b","q":"\"quoted\""}"#;
    let sse = "text/event-stream";
    let rows: Vec<Row> = vec![
        (
            "chat refusal",
            CHAT,
            STREAM,
            sse,
            chat_deltas(text, 3, &|p| json!({"refusal": p})),
        ),
        ("chat logprobs", CHAT, STREAM, sse, {
            let mut s = String::new();
            for p in pieces(text, 4) {
                s += &data(
                    &json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                    "choices": [{"index": 0, "delta": {"content": p}, "logprobs": {"content": [logprob(&p)]},
                    "finish_reason": null}]}),
                );
            }
            s + &chat_end()
        }),
        (
            "chat content parts and unknown fields",
            CHAT,
            STREAM,
            sse,
            chat_deltas(
                text,
                5,
                &|p| json!({"content": [{"type": "text", "text": p}], "x_vendor": {"note": p}}),
            ),
        ),
        ("chat arguments with escapes", CHAT, STREAM, sse, {
            let mut s = chunk(
                json!({"tool_calls": [{"index": 0, "id": "call_0", "type": "function",
                "function": {"name": "weather", "arguments": ""}}]}),
            );
            for p in pieces(args, 3) {
                s += &chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}));
            }
            s + &chat_end()
        }),
        (
            "anthropic citations and start text",
            MESSAGES,
            STREAM,
            sse,
            anthropic(&[
                named(
                    &json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": "Caf"}}),
                ),
                named(
                    &json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}),
                ),
                named(
                    &json!({"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta",
                "citation": {"type": "char_location", "cited_text": text, "document_index": 0}}}),
                ),
                named(&json!({"type": "content_block_stop", "index": 0})),
            ]),
        ),
        (
            "responses reasoning text",
            RESPONSES,
            RESPONSES_STREAM,
            sse,
            {
                let mut e: Vec<Value> = pieces(text, 4)
                    .into_iter()
                    .map(|p| {
                        json!({"type": "response.reasoning_text.delta",
                "output_index": 0, "content_index": 0, "item_id": "rs", "delta": p})
                    })
                    .collect();
                e.push(json!({"type": "response.reasoning_text.done", "output_index": 0, "content_index": 0,
                "item_id": "rs", "text": text}));
                responses(&e)
            },
        ),
        (
            "ollama with logprobs, CR line ends",
            OLLAMA,
            OLLAMA_STREAM,
            "application/x-ndjson",
            {
                let mut s = String::new();
                for p in pieces(text, 4) {
                    s += &json!({"model": "m", "created_at": "t", "message": {"role": "assistant", "content": p},
                    "logprobs": [{"token": p, "logprob": -0.1}], "done": false}).to_string();
                    s += "\r";
                }
                s + &json!({"model": "m", "created_at": "t", "done": true}).to_string() + "\r"
            },
        ),
        (
            "fast path: text with escapes, one envelope",
            CHAT,
            STREAM,
            sse,
            chat_deltas(
                &format!("{PLAIN}\"quoted\"\n\ttab \\ back{text}\u{1F600} </b> & more"),
                4,
                &|p| json!({"content": p}),
            ),
        ),
        (
            "fast path: ndjson lines whose identifiers change",
            OLLAMA,
            OLLAMA_STREAM,
            "application/x-ndjson",
            {
                let mut s = String::new();
                for (i, p) in pieces(&format!("{PLAIN}{text}"), 4).iter().enumerate() {
                    s += &json!({"model": "m", "created_at": format!("t{i}"),
                        "message": {"role": "assistant", "content": p}, "done": false})
                    .to_string();
                    s += "\n";
                }
                s + &json!({"model": "m", "created_at": "t", "done": true}).to_string() + "\n"
            },
        ),
        (
            "fast path: anthropic text with escapes",
            MESSAGES,
            STREAM,
            sse,
            anthropic_text(
                &format!("{PLAIN}\"quoted\"\n\ttab \\ back{text}\u{1F600} </b> & more"),
                4,
                &[],
            ),
        ),
        (
            "fast path: responses text with escapes, sequence numbers and padding",
            RESPONSES,
            RESPONSES_STREAM,
            sse,
            responses_text(
                &format!("{PLAIN}\"quoted\"\n\ttab \\ back{text}\u{1F600} </b> & more"),
                4,
                &[],
            ),
        ),
        (
            "a byte-order mark and CRLF",
            CHAT,
            STREAM,
            sse,
            format!(
                "\u{feff}{}",
                chat_deltas(text, 3, &|p| json!({"content": p})).replace("\n", "\r\n")
            ),
        ),
    ];
    for (name, path, request, ct, body) in rows {
        for split in [Split::Every(1), Split::Every(5), Split::Every(1 << 20)] {
            let client = run(&p, path, request, ct, &body, &split);
            assert_eq!(client, body, "{name} {split:?}");
        }
    }
}

/// `limits.max_held_bytes` bounds what a stream holds back: past it the stream ends with the
/// protocol's error, and what was held (the start of a possible key) never goes out.
#[test]
fn a_stream_that_holds_too_much_fails_closed() {
    let p = Arc::new(Policies::from_json(br#"{"limits": {"max_held_bytes": 512}}"#).unwrap());
    let mut body = chunk(json!({"role": "assistant", "content": "key: AKIAQZ7R"}));
    for _ in 0..20 {
        body += &chunk(json!({"refusal": "still thinking"}));
    }
    body += &chunk(json!({"content": "4TLW2XKJ5NBV"}));
    body += &chat_end();
    for split in [Split::Every(7), Split::Every(1 << 20)] {
        let client = run(&p, CHAT, STREAM, "text/event-stream", &body, &split);
        assert!(
            client.contains("stream_held_too_large"),
            "{split:?}\n{client}"
        );
        assert!(!client.contains("AKIAQZ7R"), "{split:?}\n{client}");
        assert!(!client.contains("[DONE]"), "{split:?}\n{client}");
    }
    // Under the default bound the same stream is redacted and completes.
    let p = Arc::new(Policies::from_json(b"{}").unwrap());
    let client = run(
        &p,
        CHAT,
        STREAM,
        "text/event-stream",
        &body,
        &Split::Every(7),
    );
    assert!(
        leak(&client, SECRET).is_none() && client.contains("[DONE]"),
        "{client}"
    );
}
