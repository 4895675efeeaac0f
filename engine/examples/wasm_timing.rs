//! The engine's cost per request natively and inside a wasm VM, with the same code: build it
//! for both targets and compare (`scripts/wasm-timing.sh` runs it natively and under Node's V8,
//! the engine Envoy embeds). No host calls: what it prints is the engine alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::Instant;

use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::Policies;

const PLAIN: &str =
    "The committee reviewed the quarterly report on river sediment, noting seasonal \
variation in turbidity and recommending additional sampling upstream of the weir. ";

fn text_of(len: usize) -> String {
    PLAIN.repeat(len / PLAIN.len() + 1)[..len].to_string()
}

fn main() {
    // `wasm_timing [name...]`: only the named rows (config, 1KiB, 4KiB, agent, 64KiB, 1MiB).
    let only: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let t = Instant::now();
    let n = if wanted("config") { 20 } else { 0 };
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
}
