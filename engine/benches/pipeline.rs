//! The engine as the proxy drives it, natively (no Envoy): what the bench suite
//! (`integration/bench/run.py`, `make bench`) reads besides its Envoy measurements.
//!
//! - `pipeline/config`: `Policies::from_json(b"{}")`, the default config's parse + compile (the
//!   native part of a VM start).
//! - `pipeline/injection/{1KiB,64KiB,1MiB}`: `InjectionDetector::scan` (default rules) on benign
//!   prose with rule words in it, bytes/s.
//! - `pipeline/redaction/{1KiB,64KiB,1MiB}`: `SecretScanner::redact` (default rules) on prose and
//!   code with a few secrets, bytes/s.
//! - `pipeline/request/{1KiB,4KiB,64KiB,1MiB}`: a whole OpenAI chat request through an
//!   `Exchange` (`replay`: headers, body, decision, then a ~1 KiB JSON answer), bytes/s of the
//!   request; 4 KiB with the ~1 KiB answer is the Envoy bench's chat-4k, natively.
//! - `pipeline/stream/{sse,ndjson}-1000`: an answer of 1,000 events (4 chars of text each), one
//!   event per body chunk, through an `Exchange`; time per element is the cost per event.
//!
//! It also prints `HOLDBACK <bytes>`: the default secret rules' hold-back bound (the most text a
//! stream may hold while a possible secret is pending).
//!
//! `cargo bench -p llm-warden-engine --bench pipeline`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use llm_warden_engine::injection::{InjectionConfig, InjectionDetector};
use llm_warden_engine::replay::{self, Message, Split};
use llm_warden_engine::secrets::{SecretScanner, SecretsConfig};
use llm_warden_engine::text::{ScanText, TextKind};
use llm_warden_engine::Policies;

/// Benign prose that contains the words injection rules are keyed on, so the prefilter fires.
const PROSE: &str = "The operating system schedules previous tasks before new ones, according to \
the rules in the manual. Our team reviewed the quarterly report and the user interface mode \
settings with the assistant manager. Please summarise the text above in two paragraphs. ";
/// Plain prose with no rule words: a request that must pass (a block measures the reply path).
const PLAIN: &str = "The committee reviewed the quarterly report on river sediment, noting \
seasonal variation in turbidity and recommending additional sampling upstream of the weir. ";
/// An answer paragraph with code and look-alikes; every eighth one carries real-shaped secrets.
const CODE: &str = "To call the API, create a client and pass your key. The token is sent in the \
Authorization header; never commit it. See https://docs.example.com/guide?page=2.\n```python\n\
client = Client(api_key=os.environ[\"API_KEY\"], timeout=30)\n```\n";
const SECRETS: &str = "export GITHUB_TOKEN=ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2\n\
AWS key AKIAQ3RJ7XWZ5TLM2PNV and card 4111 1111 1111 1111.\n";

const SIZES: [(&str, usize); 3] = [("1KiB", 1 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20)];
/// Request sizes: the scan sizes plus the Envoy bench's chat-4k.
const REQUEST_SIZES: [(&str, usize); 4] = [
    ("1KiB", 1 << 10),
    ("4KiB", 4 << 10),
    ("64KiB", 64 << 10),
    ("1MiB", 1 << 20),
];
const EVENTS: usize = 1000;

fn text_of(len: usize, unit: &str, every8: Option<&str>) -> String {
    let mut s = String::with_capacity(len + 1024);
    let mut i = 0;
    while s.len() < len {
        s.push_str(unit);
        if let Some(extra) = every8 {
            if i % 8 == 0 {
                s.push_str(extra);
            }
        }
        i += 1;
    }
    s.truncate(len);
    while !s.is_char_boundary(s.len()) {
        s.pop();
    }
    s
}

/// An OpenAI chat request whose JSON is `len` bytes (within a few) of benign text.
fn chat_request(len: usize, stream: bool) -> Message {
    let envelope = serde_json::json!({
        "model": "llama3.2:3b-instruct-q4_K_M",
        "stream": stream,
        "messages": [
            {"role": "system", "content": "You are a concise assistant."},
            {"role": "user", "content": ""}
        ]
    });
    let overhead = envelope.to_string().len();
    let mut doc = envelope;
    doc["messages"][1]["content"] = text_of(len.saturating_sub(overhead), PLAIN, None).into();
    replay::post("/v1/chat/completions", &doc.to_string())
}

fn json_answer() -> Message {
    let text = text_of(900, CODE, None);
    let body = serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0,
        "model": "llama3.2:3b-instruct-q4_K_M",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}]
    });
    replay::answer("application/json", body.to_string().as_bytes())
}

/// 1,000 events of 4 characters each, and the byte offsets between events (one chunk each).
fn stream_answer(ndjson: bool) -> (Message, Vec<usize>) {
    let text = text_of(EVENTS * 4, PLAIN, None);
    let mut body = String::new();
    let mut cuts = Vec::with_capacity(EVENTS + 1);
    for i in 0..EVENTS {
        let piece = &text[i * 4..i * 4 + 4];
        let event = if ndjson {
            serde_json::json!({"model": "llama3.2", "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": piece}, "done": false})
            .to_string()
                + "\n"
        } else {
            let data = serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
                "created": 0, "model": "llama3.2",
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": null}]});
            format!("data: {data}\n\n")
        };
        body.push_str(&event);
        cuts.push(body.len());
    }
    if ndjson {
        body.push_str("{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}\n");
    } else {
        body.push_str("data: [DONE]\n\n");
    }
    let ctype = if ndjson {
        "application/x-ndjson"
    } else {
        "text/event-stream"
    };
    (replay::answer(ctype, body.as_bytes()), cuts)
}

fn bench(c: &mut Criterion) {
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    println!("HOLDBACK {}", scanner.max_holdback());

    let mut g = c.benchmark_group("pipeline/config");
    g.bench_function("default", |b| {
        b.iter(|| Policies::from_json(black_box(b"{}")).unwrap())
    });
    g.finish();

    let detector =
        InjectionDetector::compile(&InjectionConfig::default(), "prompt_injection").unwrap();
    let mut g = c.benchmark_group("pipeline/injection");
    for (name, len) in SIZES {
        let texts = vec![ScanText::new(
            text_of(len, PROSE, None),
            TextKind::User,
            "messages[0].content",
        )];
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &texts, |b, t| {
            b.iter(|| detector.scan(black_box(t)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("pipeline/redaction");
    for (name, len) in SIZES {
        let text = text_of(len, CODE, Some(SECRETS));
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| scanner.redact(black_box(t)))
        });
    }
    g.finish();

    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    let answer = json_answer();
    let mut g = c.benchmark_group("pipeline/request");
    for (name, len) in REQUEST_SIZES {
        let req = chat_request(len, false);
        // The request must pass (a block would measure the reply path instead).
        let out = replay::replay(
            policies.clone(),
            &req,
            &|_| answer.clone(),
            &Split::Every(1 << 20),
        );
        assert!(
            out.reply.is_none(),
            "benign {name} request was answered: {:?}",
            out.reply
        );
        g.throughput(Throughput::Bytes(req.body.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &req, |b, r| {
            b.iter(|| {
                replay::replay(
                    policies.clone(),
                    black_box(r),
                    &|_| answer.clone(),
                    &Split::Every(1 << 20),
                )
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("pipeline/stream");
    for (name, ndjson) in [("sse-1000", false), ("ndjson-1000", true)] {
        let req = if ndjson {
            let mut m = chat_request(300, true);
            m.headers.iter_mut().for_each(|(k, v)| {
                if k == ":path" {
                    *v = "/api/chat".into();
                }
            });
            m
        } else {
            chat_request(300, true)
        };
        let (ans, cuts) = stream_answer(ndjson);
        let split = Split::At(cuts);
        let out = replay::replay(policies.clone(), &req, &|_| ans.clone(), &split);
        assert!(out.reply.is_none(), "{name}: {:?}", out.reply);
        assert_eq!(
            out.client_response.body.len(),
            ans.body.len(),
            "{name}: bytes changed"
        );
        // Elements = events: criterion's time per element is the cost per event.
        g.throughput(Throughput::Elements(EVENTS as u64));
        g.bench_function(name, |b| {
            b.iter(|| replay::replay(policies.clone(), black_box(&req), &|_| ans.clone(), &split))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
