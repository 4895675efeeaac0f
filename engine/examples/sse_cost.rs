//! The engine's work per SSE event, for counting instructions deterministically under callgrind
//! (integration/bench/README.md, "Instructions per SSE event"):
//!
//!     cargo build --release -p llm-warden-engine --example sse_cost
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!         target/release/examples/sse_cost <body|chunks|empty>
//!
//! Each run is one exchange with the default policy `{}`: a streamed OpenAI chat request, then
//! an answer of 300 SSE events (one role event, 297 text deltas, the finish event, `[DONE]`)
//! handed to the engine as one body (`body`) or one event per chunk (`chunks`); `empty` answers
//! with `[DONE]` alone (the 300 events are built in every mode, so the difference is the
//! engine's). Per event = (Ir of a stream run - Ir of `empty`) / 300.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::Policies;
use llm_warden_testkit::streams::openai_chat_sse;

const PLAIN: &str = "The committee reviewed the quarterly report on river sediment. ";

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "body".into());
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    // 297 deltas of 4 characters, plus role, finish and [DONE]: 300 events.
    let text: String = PLAIN.repeat(20).chars().take(297 * 4).collect();
    // Built in every mode, `empty` included, so the difference of two runs is the engine's work
    // and not the building of the answer.
    let built = openai_chat_sse(&text, &[], 4);
    let events: Vec<usize> = built.match_indices("\n\n").map(|(i, _)| i + 2).collect();
    let stream = if mode == "empty" {
        "data: [DONE]\n\n".to_string()
    } else {
        built
    };
    let split = match mode.as_str() {
        "chunks" => Split::At(events.clone()),
        _ => Split::Every(usize::MAX),
    };
    let doc = serde_json::json!({"model": "m", "stream": true,
        "messages": [{"role": "user", "content": "Summarise the report."}]});
    let req = replay::post("/v1/chat/completions", &doc.to_string());
    let out = replay::replay(
        policies,
        &req,
        &|_| replay::answer("text/event-stream", stream.as_bytes()),
        &split,
    );
    assert_eq!(
        out.client_response.body,
        stream.as_bytes(),
        "benign stream changed"
    );
    println!("{mode}: {} events", events.len());
}
