//! The engine's work per SSE event, for counting instructions deterministically under callgrind
//! (integration/bench/README.md, "Instructions per SSE event"):
//!
//!     cargo build --release -p llm-warden-engine --example sse_cost
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!         target/release/examples/sse_cost <body|chunks|empty> [chat|anthropic|responses]
//!
//! Each run is one exchange with the default policy `{}`: a streamed request, then an answer of
//! 297 text deltas of 4 characters in its dialect's events (OpenAI chat by default: one role
//! event, the deltas, the finish event, `[DONE]`: 300 events; Anthropic Messages: 6 more;
//! OpenAI Responses with a `sequence_number` on every event and an `obfuscation` padding on
//! every delta, as the API sends them: 4 more), handed to the engine as one body (`body`) or one
//! event per chunk (`chunks`); `empty` answers with its dialect's last event alone (the events
//! are built in every mode, so the difference is the engine's). Per event = (Ir of a stream run
//! - Ir of `empty`) / the number of events printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::Policies;
use llm_warden_testkit::streams::{anthropic_sse, openai_chat_sse, responses_sse};

const PLAIN: &str = "The committee reviewed the quarterly report on river sediment. ";

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "body".into());
    let dialect = std::env::args().nth(2).unwrap_or_else(|| "chat".into());
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    // 297 deltas of 4 characters, plus role, finish and [DONE]: 300 events.
    let text: String = PLAIN.repeat(20).chars().take(297 * 4).collect();
    // Built in every mode, `empty` included, so the difference of two runs is the engine's work
    // and not the building of the answer.
    let (path, built) = match dialect.as_str() {
        "anthropic" => ("/v1/messages", anthropic_sse(&text, &[], 4)),
        "responses" => ("/v1/responses", numbered(&responses_sse(&text, &[], 4))),
        _ => ("/v1/chat/completions", openai_chat_sse(&text, &[], 4)),
    };
    let events: Vec<usize> = built.match_indices("\n\n").map(|(i, _)| i + 2).collect();
    let stream = if mode == "empty" {
        let last = events.len().checked_sub(2).map_or(0, |i| events[i]);
        built[last..].to_string()
    } else {
        built
    };
    let split = match mode.as_str() {
        "chunks" => Split::At(events.clone()),
        _ => Split::Every(usize::MAX),
    };
    let doc = serde_json::json!({"model": "m", "stream": true, "max_tokens": 2000,
        "messages": [{"role": "user", "content": "Summarise the report."}]});
    let req = replay::post(path, &doc.to_string());
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

/// A Responses stream as the API sends it: a `sequence_number` on every event, an
/// `obfuscation` padding on every text delta.
fn numbered(stream: &str) -> String {
    let mut out = String::new();
    for (i, ev) in stream.split_terminator("\n\n").enumerate() {
        let (head, data) = ev.split_once("data: ").unwrap();
        let mut v: serde_json::Value = serde_json::from_str(data).unwrap();
        if v["type"] == "response.output_text.delta" {
            v["obfuscation"] = serde_json::json!(format!("{:x}", i * 7919));
        }
        v["sequence_number"] = serde_json::json!(i);
        out += &format!("{head}data: {v}\n\n");
    }
    out
}
