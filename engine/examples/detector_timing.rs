//! Native cost of the injection detector: the learned model alone (microseconds per KiB of
//! normalised text, as a request and as a tool result) and a whole 4 KiB request scanned with the
//! default config (a user turn and a tool result of 2 KiB each).
//!
//! `cargo run --release -p llm-warden-engine --example detector_timing`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Instant;

use llm_warden_engine::injection::model::LinearModel;
use llm_warden_engine::injection::{normalize, InjectionConfig, InjectionDetector};
use llm_warden_engine::text::{ScanText, TextKind};

const PROSE: &str = "The committee reviewed the quarterly report on river sediment, noting \
seasonal variation in turbidity and recommending additional sampling upstream of the weir. \
Please forward the minutes to Dana before Friday; the budget table follows below. ";

fn text(bytes: usize) -> String {
    PROSE.repeat(bytes / PROSE.len() + 1)[..bytes].to_string()
}

/// Best of several rounds of `iters` calls, in microseconds per call.
fn micros(iters: u32, mut f: impl FnMut()) -> f64 {
    (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(iters)
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let model = LinearModel::builtin().unwrap();
    for kib in [1usize, 4, 16] {
        let norm = normalize::normalize(&text(kib * 1024)).text;
        for (label, data) in [("request", false), ("tool result", true)] {
            let us = micros(200, || {
                black_box(model.score(black_box(&norm), data));
            });
            println!(
                "model, {label:<11} {kib:>2} KiB: {us:8.1} us ({:.1} us/KiB)",
                us / kib as f64
            );
        }
    }
    let detector =
        InjectionDetector::compile(&InjectionConfig::default(), "prompt_injection").unwrap();
    let texts = [
        ScanText::new(text(2048), TextKind::User, "messages[0].content"),
        ScanText::new(text(2048), TextKind::ToolResult, "messages[1].content"),
    ];
    let us = micros(200, || {
        black_box(detector.scan(black_box(&texts)));
    });
    println!("scan of a 4 KiB request (user 2 KiB + tool result 2 KiB): {us:.1} us");
}
