//! The engine's cost per request natively and inside a wasm VM, with the same code: build it
//! for both targets and compare (`scripts/wasm-timing.sh` runs it natively and under Node's V8,
//! the engine Envoy embeds). No host calls: what it prints is the engine alone.
//!
//! `wasm_timing --profile N name...` runs each named row N times through [`measured`] after one
//! warm-up (the configuration once) and calls [`scenario_done`] after each row, timing nothing:
//! the bench's profile phase runs it under callgrind, collecting inside `measured` only and
//! dumping a profile part after each row (integration/bench/README.md, "Profile").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::Instant;

use llm_warden_engine::exchange::{Action, Exchange};
use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::Policies;

const PLAIN: &str =
    "The committee reviewed the quarterly report on river sediment, noting seasonal \
variation in turbidity and recommending additional sampling upstream of the weir. ";

fn text_of(len: usize) -> String {
    PLAIN.repeat(len / PLAIN.len() + 1)[..len].to_string()
}

/// One call of the work being profiled (callgrind collects inside it only).
#[inline(never)]
fn measured<R>(f: impl FnOnce() -> R) -> R {
    std::hint::black_box(f())
}

/// Marks the end of a profiled row (callgrind dumps a profile part when it returns).
#[inline(never)]
fn scenario_done(name: &str, calls: u32) {
    println!("profile {name} calls={calls}");
}

fn main() {
    // `wasm_timing [--profile N] [name...]`: only the named rows (config, 1KiB, 4KiB, agent,
    // 64KiB, 1MiB, sse, ndjson).
    let mut only: Vec<String> = std::env::args().skip(1).collect();
    let profile: Option<u32> = only.iter().position(|a| a == "--profile").map(|i| {
        let n = only.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(3);
        only.drain(i..(i + 2).min(only.len()));
        n
    });
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    if profile.is_some() && wanted("config") {
        measured(|| Policies::from_json(b"{}").unwrap());
        scenario_done("config", 1);
    }
    let t = Instant::now();
    let n = if wanted("config") && profile.is_none() {
        20
    } else {
        0
    };
    for _ in 0..n {
        std::hint::black_box(Policies::from_json(b"{}").unwrap());
    }
    if n > 0 {
        println!(
            "config/default {:>10.1} us",
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        );
    }
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    let answer_text = text_of(900);
    let answer = replay::answer(
        "application/json",
        serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 0,
            "model": "llama3.2:3b-instruct-q4_K_M",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": answer_text}}]})
        .to_string()
        .as_bytes(),
    );
    // The bench's agent request: a framework's system prompt, 36 tool definitions, 20 turns.
    let agent = include_str!("../../testdata/bench/agent-request.json");
    for (name, len, reps) in [
        ("1KiB", 1usize << 10, 400u32),
        ("4KiB", 4 << 10, 200),
        ("agent", 0, 100),
        ("64KiB", 64 << 10, 20),
        ("1MiB", 1 << 20, 3),
    ] {
        if !wanted(name) {
            continue;
        }
        let doc = serde_json::json!({"model": "llama3.2:3b-instruct-q4_K_M", "stream": false,
            "messages": [{"role": "system", "content": "You are a concise assistant."},
                         {"role": "user", "content": text_of(len.saturating_sub(300))}]});
        let body = if len == 0 {
            agent.to_string()
        } else {
            doc.to_string()
        };
        // Every request's newest text is new, as a user's next turn is (the bench does the same):
        // the detector's memo of judged texts helps only with what a conversation repeats.
        let fresh = |i: u32| {
            let marker = "\"content\": \"";
            let marker_compact = "\"content\":\"";
            let at = body
                .rfind(marker)
                .map(|p| p + marker.len())
                .or_else(|| body.rfind(marker_compact).map(|p| p + marker_compact.len()))
                .unwrap();
            let mut b = body.clone();
            b.insert_str(at, &format!("turn {i}: "));
            replay::post("/v1/chat/completions", &b)
        };
        if let Some(calls) = profile {
            // 1 MiB: one call and no warm-up (its one-time costs are noise at that size).
            let calls = if len >= 1 << 20 { 1 } else { calls };
            let run = |req: &replay::Message| {
                replay::replay(
                    policies.clone(),
                    req,
                    &|_| answer.clone(),
                    &Split::Every(1 << 20),
                )
            };
            if len < 1 << 20 {
                run(&fresh(0));
            }
            for i in 1..=calls {
                let req = fresh(i);
                measured(|| run(&req));
            }
            scenario_done(name, calls);
            continue;
        }
        let warm: Vec<_> = (0..reps).map(fresh).collect();
        let timed: Vec<_> = (reps..2 * reps).map(fresh).collect();
        // Warm-up as long as the timed runs (V8 tiers hot code up while it runs), then time.
        for req in &warm {
            replay::replay(
                policies.clone(),
                req,
                &|_| answer.clone(),
                &Split::Every(1 << 20),
            );
        }
        let t = Instant::now();
        for req in &timed {
            std::hint::black_box(replay::replay(
                policies.clone(),
                req,
                &|_| answer.clone(),
                &Split::Every(1 << 20),
            ));
        }
        println!(
            "request/{name:<6} {:>10.1} us",
            t.elapsed().as_secs_f64() * 1e6 / f64::from(reps)
        );
    }
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    for name in ["sse", "ndjson"] {
        if wanted(name) {
            streams(&policies, name, profile);
        }
    }
}

/// The bench's `sse-300-body` / `ndjson-300-body` answers (the mock's shapes: 300 text events of
/// 4 characters plus the stream's own events) through an `Exchange` as the filter drives one:
/// a streamed request, then the answer in one body callback and in 16 KiB callbacks. Printed
/// per response: the whole exchange, the same exchange answered by its last event alone
/// (`empty`: the request and the per-response setup), and their difference per event.
fn streams(policies: &Arc<Policies>, name: &str, profile: Option<u32>) {
    let pieces: Vec<String> = text_of(1200)
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect())
        .collect();
    let (path, content_type, request, body, last) = if name == "sse" {
        let chunk = |delta: serde_json::Value, finish: serde_json::Value| {
            format!(
                "data: {}\n\n",
                serde_json::json!({"id": "chatcmpl-mock00000001",
                    "object": "chat.completion.chunk", "created": 1700000000,
                    "model": "llama3.2:3b-instruct-q4_K_M", "system_fingerprint": "fp_mock",
                    "choices": [{"index": 0, "delta": delta, "logprobs": null,
                                 "finish_reason": finish}]})
            )
        };
        let mut b = chunk(
            serde_json::json!({"role": "assistant", "content": "", "refusal": null}),
            serde_json::Value::Null,
        );
        for p in &pieces {
            b += &chunk(serde_json::json!({"content": p}), serde_json::Value::Null);
        }
        b += &chunk(serde_json::json!({}), serde_json::json!("stop"));
        let last = "data: [DONE]\n\n".to_string();
        b += &last;
        (
            "/v1/chat/completions",
            "text/event-stream",
            serde_json::json!({"model": "llama3.2:3b-instruct-q4_K_M", "stream": true,
                "messages": [{"role": "user", "content": text_of(200)}]}),
            b,
            last,
        )
    } else {
        let line = |content: &str, done: bool| {
            let mut v = serde_json::json!({"model": "llama3.2:3b-instruct-q4_K_M",
                "created_at": "2024-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": content}, "done": done});
            if done {
                v["done_reason"] = serde_json::json!("stop");
                v["total_duration"] = serde_json::json!(1000);
            }
            format!("{v}\n")
        };
        let mut b = String::new();
        for p in &pieces {
            b += &line(p, false);
        }
        let last = line("", true);
        b += &last;
        (
            "/api/chat",
            "application/x-ndjson",
            serde_json::json!({"model": "llama3.2:3b-instruct-q4_K_M",
                "messages": [{"role": "user", "content": text_of(200)}]}),
            b,
            last,
        )
    };
    let events = body
        .matches(if name == "sse" { "\n\n" } else { "\n" })
        .count();
    let request = request.to_string();
    let one = |answer: &str, cut: usize| {
        let mut ex = Exchange::new(Arc::clone(policies));
        let headers = vec![
            (":method".to_string(), "POST".to_string()),
            (":path".to_string(), path.to_string()),
            (":authority".to_string(), "bench".to_string()),
            ("content-type".to_string(), "application/json".to_string()),
            ("content-length".to_string(), request.len().to_string()),
        ];
        ex.on_request_headers(&headers, false);
        let v = ex.on_request_body(request.as_bytes(), true);
        assert_eq!(ex.until_decided(v).action, Action::Continue);
        let headers = vec![
            (":status".to_string(), "200".to_string()),
            ("content-type".to_string(), content_type.to_string()),
        ];
        ex.on_response_headers(&headers, false);
        let chunks: Vec<&[u8]> = answer.as_bytes().chunks(cut).collect();
        let n = chunks.len();
        let mut out = 0;
        let mut replaced = 0;
        for (i, c) in chunks.into_iter().enumerate() {
            out += match ex.on_response_body(c, i + 1 == n).action {
                Action::Continue => c.len(),
                Action::Replace(b) => {
                    replaced += 1;
                    b.len()
                }
                other => panic!("{name}: a benign answer was refused: {other:?}"),
            };
        }
        assert_eq!(out, answer.len(), "{name}: a benign answer changed length");
        std::hint::black_box(ex.take_audit());
        replaced
    };
    // The fastest of 9 rounds of 50 (after as many to warm up): other work on the machine only
    // ever adds time.
    if let Some(calls) = profile {
        one(&body, usize::MAX);
        for _ in 0..calls {
            measured(|| one(&body, usize::MAX));
        }
        scenario_done(name, calls);
        return;
    }
    let reps = 50u32;
    let time = |answer: &str, cut: usize| {
        let mut replaced = 0;
        for _ in 0..9 * reps {
            replaced = one(answer, cut);
        }
        let best = (0..9)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..reps {
                    one(answer, cut);
                }
                t.elapsed().as_secs_f64() * 1e6 / f64::from(reps)
            })
            .fold(f64::INFINITY, f64::min);
        (best, replaced)
    };
    let (empty, _) = time(&last, usize::MAX);
    for (label, cut) in [("1body", usize::MAX), ("16KiB", 16 << 10)] {
        let (full, replaced) = time(&body, cut);
        println!(
            "{name}/{label:<5} {full:>10.1} us per response ({} B, {events} events, {replaced} \
             callbacks rewritten; empty {empty:.1} us; {:.2} us per event)",
            body.len(),
            (full - empty) / events as f64
        );
    }
}
