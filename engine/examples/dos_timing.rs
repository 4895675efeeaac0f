//! Wall-clock cost of adversarial inputs, natively: what an attacker's body costs the worker.
//! A measurement aid, not a test (the deterministic check is `tests/scaling.rs`).
//!
//! `cargo run --release -p llm-warden-engine --example dos_timing [filter]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::Instant;

use llm_warden_engine::injection::{InjectionConfig, InjectionDetector};
use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::secrets::{SecretScanner, SecretsConfig, StreamRedactor};
use llm_warden_engine::text::{ScanText, TextKind};
use llm_warden_engine::Policies;
use serde_json::json;

fn fill(unit: &str, n: usize) -> String {
    unit.repeat(n / unit.len() + 1)[..n].to_string()
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

const UNITS: &[(&str, &str)] = &[
    ("card", "4111 1111 1111 1111 "),
    ("card-dash", "4111-1111-1111-1111-"),
    ("digits", "4"),
    ("pem", "-----BEGIN RSA PRIVATE KEY-----\n"),
    ("pem-crlf", "-----BEGIN RSA PRIVATE KEY-----\r\n"),
    ("pem-end", "-----BEGIN RSA PRIVATE KEY-----\n-----END X"),
    ("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJ"),
    ("url", "postgres://u:p@"),
    ("assign", "password: "),
    ("akia", "AKIA"),
    ("ghp", "ghp_"),
    ("bearer", "Bearer "),
    ("email", "a@b."),
];

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    let injection = InjectionDetector::compile(&InjectionConfig::default(), "i").unwrap();
    for (name, unit) in UNITS {
        if !name.contains(&filter) {
            continue;
        }
        for n in sizes() {
            let text = fill(unit, n);
            let redact = ms(|| {
                std::hint::black_box(scanner.redact(&text));
            });
            let parts: Vec<String> = text
                .as_bytes()
                .chunks(4096)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            let joins = ms(|| {
                std::hint::black_box(scanner.redact_texts(&parts));
            });
            let stream = ms(|| {
                let mut s = StreamRedactor::default();
                for p in text.as_bytes().chunks(64) {
                    std::hint::black_box(s.push(&scanner, std::str::from_utf8(p).unwrap()));
                }
                std::hint::black_box(s.finish(&scanner));
            });
            let texts = [ScanText::new(text.clone(), TextKind::User, "t")];
            let inject = ms(|| {
                std::hint::black_box(injection.scan(&texts));
            });
            let body =
                json!({"model": "m", "messages": [{"role": "user", "content": text}]}).to_string();
            let req = replay::post("/v1/chat/completions", &body);
            let request = ms(|| {
                std::hint::black_box(replay::replay(
                    policies.clone(),
                    &req,
                    &|_| replay::answer("application/json", b"{}"),
                    &Split::Every(usize::MAX),
                ));
            });
            println!(
                "{name:10} {:5} KiB  redact {redact:8.1} ms  joins {joins:8.1} ms  stream/64 {stream:8.1} ms  injection {inject:8.1} ms  request {request:8.1} ms",
                n >> 10
            );
        }
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("SIZES")
        .map(|v| {
            v.split(',')
                .map(|k| k.parse::<usize>().unwrap() << 10)
                .collect()
        })
        .unwrap_or_else(|_| vec![64 << 10, 256 << 10, 1 << 20])
}
