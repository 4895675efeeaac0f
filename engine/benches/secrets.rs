//! Secret redaction cost: whole-text scan rate (1 KiB / 64 KiB / 1 MiB answers with a few secrets
//! among ordinary prose and code), the texts of one request redacted together, and the stream
//! redactor's per-event overhead on the 1-4 byte pieces an SSE token stream delivers.
//!
//! `cargo bench -p llm-warden-engine --bench secrets`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use llm_warden_engine::secrets::{SecretScanner, SecretsConfig, StreamRedactor};

/// A realistic answer: prose, a code block, a few secrets and look-alikes.
const PARAGRAPH: &str = "To call the API, create a client and pass your key. The token is sent \
in the Authorization header; never commit it. Use sk-learn for the baseline and a task-based \
split. See https://docs.example.com/guide?page=2 for details.\n```python\nimport os\nclient = \
Client(api_key=os.environ[\"API_KEY\"], timeout=30)\nresult = client.run(max_tokens=512)\n```\n";
const SECRETS: &str = "export GITHUB_TOKEN=ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2\n\
AWS key AKIAQ3RJ7XWZ5TLM2PNV and card 4111 1111 1111 1111.\n";

fn text_of(len: usize) -> String {
    let mut s = String::with_capacity(len + 1024);
    let mut i = 0;
    while s.len() < len {
        s.push_str(PARAGRAPH);
        if i % 8 == 0 {
            s.push_str(SECRETS);
        }
        i += 1;
    }
    s.truncate(len);
    while !s.is_char_boundary(s.len()) {
        s.pop();
    }
    s
}

fn bench(c: &mut Criterion) {
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    println!(
        "hold-back bound (max_holdback): {} bytes",
        scanner.max_holdback()
    );

    let mut whole = c.benchmark_group("secrets/redact");
    for (name, len) in [("1KiB", 1 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20)] {
        let text = text_of(len);
        whole.throughput(Throughput::Bytes(text.len() as u64));
        whole.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| scanner.redact(black_box(t)))
        });
    }
    whole.finish();

    // The texts of one request: the join pass (secrets cut between texts) on top of each text's
    // own scan.
    let mut texts = c.benchmark_group("secrets/redact_texts");
    for (name, n, len) in [("2x2KiB", 2, 2 << 10), ("4x16KiB", 4, 16 << 10)] {
        let parts: Vec<String> = (0..n).map(|_| text_of(len)).collect();
        texts.throughput(Throughput::Bytes((n * len) as u64));
        texts.bench_with_input(BenchmarkId::from_parameter(name), &parts, |b, t| {
            b.iter(|| scanner.redact_texts(black_box(t)))
        });
    }
    texts.finish();

    let mut stream = c.benchmark_group("secrets/stream");
    let text = text_of(16 << 10);
    for piece in [1usize, 2, 4] {
        let pieces: Vec<&str> = {
            let mut v = Vec::new();
            let mut i = 0;
            while i < text.len() {
                let mut j = (i + piece).min(text.len());
                while !text.is_char_boundary(j) {
                    j += 1;
                }
                v.push(&text[i..j]);
                i = j;
            }
            v
        };
        // Throughput in elements = events: the reported time per element is the per-event cost.
        stream.throughput(Throughput::Elements(pieces.len() as u64));
        stream.bench_with_input(
            BenchmarkId::new("push", format!("{piece}B-pieces")),
            &pieces,
            |b, pieces| {
                b.iter(|| {
                    let mut r = StreamRedactor::default();
                    let mut out = 0usize;
                    for p in pieces {
                        out += r.push(&scanner, black_box(p)).text.len();
                    }
                    out + r.finish(&scanner).text.len()
                })
            },
        );
    }
    stream.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
