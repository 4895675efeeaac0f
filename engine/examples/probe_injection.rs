//! Shows what the injection detector (default config) sees in a text: the normalised form and
//! the report.
//!
//! ```text
//! cargo run --release -p llm-warden-engine --example probe_injection -- "text" ["text" ...]
//! cargo run --release -p llm-warden-engine --example probe_injection -- --jsonl FILE [--tool|--system|--tool-definition] [--spans]
//! ```
//! With `--jsonl`, every row's `text` of FILE is scanned (as a tool result with `--tool`, a system
//! prompt with `--system`, a tool definition with `--tool-definition`) and one
//! line per row is printed: row number, score, blocked or not, and the rules that matched (with
//! `--spans`, each with the text it matched).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use llm_warden_engine::injection::{normalize, InjectionConfig, InjectionDetector};
use llm_warden_engine::text::{ScanText, TextKind};

fn main() {
    let d = InjectionDetector::compile(&InjectionConfig::default(), "p").unwrap();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--jsonl") {
        let has = |flag: &str| args.iter().any(|a| a == flag);
        let kind = if has("--tool") {
            TextKind::ToolResult
        } else if has("--system") {
            TextKind::System
        } else if has("--tool-definition") {
            TextKind::ToolDefinition
        } else {
            TextKind::User
        };
        let body = std::fs::read_to_string(&args[i + 1]).unwrap();
        for (n, line) in body.lines().filter(|l| !l.trim().is_empty()).enumerate() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = row.get("text").and_then(|t| t.as_str()).unwrap_or_default();
            let r = d.scan(&[ScanText::new(text, kind, "x")]);
            let show = has("--spans");
            let rules: Vec<String> = r
                .findings
                .iter()
                .map(|f| match text.get(f.start..f.end) {
                    Some(s) if show => format!("{} «{}»", f.rule_id, s.replace('\n', " ")),
                    _ => f.rule_id.clone(),
                })
                .collect();
            println!(
                "{n}\t{:.2}\t{:.3}\t{}\t{}",
                r.score,
                r.model_score,
                r.block,
                rules.join(",")
            );
        }
        return;
    }
    for t in args {
        println!("{:?}", normalize::normalize(&t).text);
        println!("{:?}", d.scan(&[ScanText::new(t, TextKind::User, "x")]));
    }
}
