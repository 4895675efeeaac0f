//! Measures the injection detector (default config) on every labelled row: the shared corpora,
//! the pinned package data (when `scripts/fetch_training_data.sh` fetched it) and the project's
//! own rows, each scanned in its position.
//!
//! ```text
//! cargo run --release -p llm-warden-engine --example eval_injection [-- [CORPORA_DIR] [--write] [--misses N] [--dump FILE] [--rows FILE]]
//! ```
//! CORPORA_DIR (or `LLM_WARDEN_CORPORA`) defaults to `../shared/corpora` beside the repository.
//! `--write` stores the figures in `testdata/eval/injection.json` (the regression baseline of
//! `tests/injection_eval.rs`); `--misses N` prints up to N missed attacks and N blocked benign
//! rows of the held-out split; `--dump FILE` writes every miss, whole, as JSON Lines;
//! `--rows FILE` writes every row (not scanned) as JSON Lines and stops;
//! `--config JSON` evaluates another `prompt_injection` section (figures are then not written).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use llm_warden_testkit::injection_eval;

use llm_warden_engine::injection::InjectionConfig;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args.iter().any(|a| a == "--write");
    let value_of = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let misses: usize = value_of("--misses")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let dump = value_of("--dump");
    let rows_out = value_of("--rows");
    let dir_arg = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && (*i == 0
                    || !matches!(
                        args[i - 1].as_str(),
                        "--misses" | "--dump" | "--config" | "--rows"
                    ))
        })
        .map(|(_, a)| a.as_str());
    let Some(dir) = injection_eval::corpora_dir(dir_arg) else {
        eprintln!("corpora not found (pass a directory or set LLM_WARDEN_CORPORA)");
        std::process::exit(2);
    };
    if let Some(path) = rows_out {
        // `--rows FILE`: every row the eval scans, whole, as JSON Lines (to study a signal
        // outside the engine before writing it); nothing is scanned.
        let packages = llm_warden_testkit::injection_data::package_dir();
        let rows = llm_warden_testkit::injection_data::load(&dir, packages.as_deref(), false);
        let lines: Vec<String> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "corpus": r.source,
                    "category": r.category,
                    "kind": r.kind.as_str(),
                    "lang": r.lang,
                    "attack": r.attack,
                    "held_out": r.held_out,
                    "text": r.text,
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        println!("wrote {} rows to {path}", lines.len());
        return;
    }
    let started = std::time::Instant::now();
    // `--config JSON`: another `prompt_injection` section, to compare settings (never written).
    let cfg: InjectionConfig = match value_of("--config") {
        Some(c) => serde_json::from_str(&c).expect("--config: a prompt_injection section"),
        None => InjectionConfig::default(),
    };
    let custom = value_of("--config").is_some();
    let f = injection_eval::evaluate(&dir, &cfg);
    let elapsed = started.elapsed();

    println!("corpora: {}", dir.display());
    if !f.packages {
        println!(
            "package data not found (scripts/fetch_training_data.sh): its sources are left out"
        );
    }
    for (title, table) in [
        ("attack recall (blocked)", &f.recall),
        ("benign rows blocked", &f.blocked),
    ] {
        println!("\n{title}:");
        for (group, r) in table {
            println!(
                "  {group:<70} {:>6.1}%  ({}/{})",
                r.value() * 100.0,
                r.hits,
                r.total
            );
        }
    }
    println!("\nevaluated in {elapsed:.2?}");

    for attack in [true, false] {
        for m in f
            .misses
            .iter()
            .filter(|m| m.attack == attack && m.held_out)
            .take(misses)
        {
            let t: String = m.text.chars().take(300).collect();
            println!(
                "\n{} [{} {} {}] {:?}\n  {}",
                if attack { "MISS" } else { "FP" },
                m.corpus,
                m.category,
                m.kind,
                m.rules,
                t.replace('\n', " ")
            );
        }
    }
    if let Some(path) = dump {
        let lines: Vec<String> = f
            .misses
            .iter()
            .map(|m| {
                serde_json::json!({
                    "corpus": m.corpus,
                    "category": m.category,
                    "kind": m.kind,
                    "attack": m.attack,
                    "held_out": m.held_out,
                    "rules": m.rules,
                    "text": m.text,
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        println!("wrote {} rows to {path}", lines.len());
    }
    if write && !custom {
        let path = injection_eval::figures_path();
        let body = serde_json::to_string_pretty(&sorted(injection_eval::to_json(&f))).unwrap();
        std::fs::write(&path, body + "\n").unwrap();
        println!("wrote {}", path.display());
    }
}

/// The same value with object keys in order, so the stored file does not depend on whether a
/// dependency turned on serde_json's `preserve_order`.
fn sorted(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut entries: Vec<(String, serde_json::Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(sorted).collect())
        }
        other => other,
    }
}
