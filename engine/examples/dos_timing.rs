//! Wall-clock cost of adversarial inputs, natively: what an attacker's body costs the worker.
//! A measurement aid, not a test (the deterministic check is `tests/scaling.rs`).
//!
//! `cargo run --release -p llm-warden-engine --example dos_timing [filter]`; `SIZES=64,1024`
//! (KiB), `CALLS=1` prints each call of the sliced request (ms/units), `SLICED=1` times only that
//! (`STEPS=1`: in steps, a slice of one unit), `PARTS=1` times parsing and normalising alone.
//! Inside V8: build it with `--target wasm32-wasip1` and run it under node's WASI (as
//! scripts/wasm-timing.sh does), with the arguments and environment passed through.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::Instant;

use llm_warden_engine::exchange::{Action, Exchange};
use llm_warden_engine::injection::{InjectionConfig, InjectionDetector};
use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::secrets::{SecretScanner, SecretsConfig, StreamRedactor};
use llm_warden_engine::text::{ScanText, TextKind};
use llm_warden_engine::{budget, Policies};
use serde_json::json;

fn fill(unit: &str, n: usize) -> String {
    unit.repeat(n / unit.len() + 1)[..n].to_string()
}

/// Milliseconds, and work units per byte of `n` (see `budget`).
fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    let ((), units) = budget::measure(f);
    let ms = t.elapsed().as_secs_f64() * 1e3;
    UNITS_SEEN.with(|u| u.set(units));
    ms
}

thread_local! {
    static UNITS_SEEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn per_byte(n: usize) -> f64 {
    UNITS_SEEN.with(|u| u.get()) as f64 / n as f64
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
    (
        "prose",
        "The committee reviewed the quarterly report on river sediment, and the token count. ",
    ),
    (
        "code",
        "client = Client(api_key=os.environ[\"API_KEY\"], timeout=30) # password: see vault\n",
    ),
    ("hexpairs", "12 34 56 "),
];

/// A slice of one unit: every call is one step of the inspection.
const SLICE_OF_ONE: &[u8] = br#"{"limits": {"slice_work_units": 1, "resume_work_units": 1}}"#;

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    let injection = InjectionDetector::compile(&InjectionConfig::default(), "i").unwrap();
    // A slice of one unit: every call is one step of the inspection.
    for (name, unit) in UNITS {
        if !name.contains(&filter) {
            continue;
        }
        for n in sizes() {
            let text = fill(unit, n);
            let mut body =
                json!({"model": "m", "messages": [{"role": "user", "content": text}]}).to_string();
            if let Some(path) = std::env::var_os("BODY") {
                // BODY=file: that request body instead (e.g. testdata/bench/agent-request.json).
                body = std::fs::read_to_string(path).unwrap();
            }
            let req = replay::post("/v1/chat/completions", &body);
            if std::env::var_os("PARTS").is_some() {
                parts(name, &text, &body);
                continue;
            }
            if std::env::var_os("SLICED").is_some() {
                // Only the request in slices (a quicker run, e.g. inside V8).
                // STEPS=1: a slice of one unit, so each call is one step.
                let config: &[u8] = if std::env::var_os("STEPS").is_some() {
                    SLICE_OF_ONE
                } else {
                    b"{}"
                };
                let fresh = Arc::new(Policies::from_json(config).unwrap());
                let (slice, slice_u, slices) = longest_call(&fresh, &req);
                println!(
                    "{name:10} {:5} KiB  longest slice {slice:5.1} ms {:6}k u of {slices}",
                    n >> 10,
                    slice_u >> 10
                );
                continue;
            }
            let redact = ms(|| {
                std::hint::black_box(scanner.redact(&text));
            });
            let redact_u = per_byte(n);
            let parts: Vec<String> = text
                .as_bytes()
                .chunks(4096)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            let joins = ms(|| {
                std::hint::black_box(scanner.redact_texts(&parts));
            });
            let joins_u = per_byte(n);
            let stream = ms(|| {
                let mut s = StreamRedactor::default();
                for p in text.as_bytes().chunks(64) {
                    std::hint::black_box(s.push(&scanner, std::str::from_utf8(p).unwrap()));
                }
                std::hint::black_box(s.finish(&scanner));
            });
            let stream_u = per_byte(n);
            let texts = [ScanText::new(text.clone(), TextKind::User, "t")];
            let inject = ms(|| {
                std::hint::black_box(injection.scan(&texts));
            });
            let inject_u = per_byte(n);
            let request = ms(|| {
                std::hint::black_box(replay::replay(
                    policies.clone(),
                    &req,
                    &|_| replay::answer("application/json", b"{}"),
                    &Split::Every(usize::MAX),
                ));
            });
            let request_u = per_byte(n);
            let sliced = Arc::new(Policies::from_json(SLICE_OF_ONE).unwrap());
            let (step, step_u, steps) = longest_call(&sliced, &req);
            let fresh = Arc::new(Policies::from_json(b"{}").unwrap());
            let (slice, slice_u, slices) = longest_call(&fresh, &req);
            println!(
                "{name:10} {:5} KiB  redact {redact:7.1} ms {redact_u:5.1} u/B  joins {joins:7.1} ms {joins_u:5.1}  stream/64 {stream:7.1} ms {stream_u:5.1}  injection {inject:7.1} ms {inject_u:5.1}  request {request:7.1} ms {request_u:5.1}  longest step {step:5.1} ms {:6}k u of {steps}  longest slice {slice:5.1} ms {:6}k u of {slices}",
                n >> 10,
                step_u >> 10,
                slice_u >> 10
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

/// The longest engine call of a request's inspection in slices: its ms and slice-clock units (see
/// `budget`; the units of the costliest call, which need not be the longest), and how many calls.
fn longest_call(policies: &Arc<Policies>, req: &replay::Message) -> (f64, u64, usize) {
    let mut ex = Exchange::new(Arc::clone(policies));
    let _ = ex.on_request_headers(&req.headers, false);
    // The units shown are the slice clock's (charged or counted), which ends the slices.
    let timed = |f: &mut dyn FnMut() -> llm_warden_engine::exchange::Verdict| {
        let t = Instant::now();
        let v = f();
        (v, t.elapsed().as_secs_f64() * 1e3, budget::last_run_clock())
    };
    let (mut v, ms, units) = timed(&mut || ex.on_request_body(&req.body, true));
    let (mut longest, mut most) = (ms, units);
    let mut each = vec![(ms, units)];
    while v.action == Action::Yield {
        let (next, ms, units) = timed(&mut || ex.resume());
        v = next;
        longest = longest.max(ms);
        most = most.max(units);
        each.push((ms, units));
    }
    if std::env::var_os("CALLS").is_some() {
        let each: Vec<String> = each
            .iter()
            .map(|(ms, u)| format!("{ms:.1}/{}k", u >> 10))
            .collect();
        println!("  calls (ms/units): {}", each.join(" "));
    }
    (longest, most, each.len())
}

/// The first call's parts, each timed alone: parsing the body, normalising its text.
fn parts(name: &str, text: &str, body: &str) {
    use llm_warden_engine::injection::normalize;
    let t = Instant::now();
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    let parse = t.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(v);
    let t = Instant::now();
    let n = normalize::normalize(text);
    let norm = t.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(n);
    let t = Instant::now();
    let f = normalize::fold_tokens(text);
    let tokens = t.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(f);
    let mut s = text.to_string();
    let t = Instant::now();
    normalize::fold_leet(&mut s);
    let leet = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{name:10} parse {parse:5.1} ms  normalize {norm:5.1} ms (tokens {tokens:5.1}, leet {leet:5.1})"
    );
}
