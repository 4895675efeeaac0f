//! Detection quality must not regress: recomputes the corpus figures and compares them with
//! `testdata/eval/secrets.json` (written by `cargo run --release -p llm-warden-engine --example
//! eval_secrets -- --write`). Skips, with a notice, when the corpora are not present.
#![cfg(test)]

use std::path::Path;

use llm_warden_engine::secrets::{SecretScanner, SecretsConfig};
use llm_warden_testkit::secrets_eval::{evaluate, load_corpora, locate_corpora};

const EPS: f64 = 1e-9;

#[test]
fn corpus_figures_do_not_regress() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(dir) = locate_corpora(None, manifest).filter(|d| d.is_dir()) else {
        eprintln!("NOTICE: secrets corpora not found (set LLM_WARDEN_CORPORA); skipping");
        return;
    };
    let loaded = load_corpora(&dir).expect("read corpora");
    let files: Vec<(&str, &str)> = loaded.iter().map(|(n, c)| (*n, c.as_str())).collect();
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    let report = evaluate(&scanner, &files);
    let stored: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(manifest.join("../testdata/eval/secrets.json")).unwrap(),
    )
    .unwrap();
    let f = |k: &str| stored[k].as_f64().unwrap();
    // (figure, now, stored, higher is better)
    let rows = [
        ("recall", report.recall(), f("recall"), true),
        (
            "false_positive_rate",
            report.false_positive_rate(),
            f("false_positive_rate"),
            false,
        ),
        (
            "span_agreement",
            report.span_agreement(),
            f("span_agreement"),
            true,
        ),
    ];
    let mut worse = Vec::new();
    for (name, now, was, higher) in rows {
        // Stored figures are rounded to 4 decimals.
        let slack = 5e-5 + EPS;
        if (higher && now + slack < was) || (!higher && now > was + slack) {
            worse.push(format!("{name}: {now:.4} (stored {was:.4})"));
        }
    }
    for (family, counts) in &report.families {
        let Some(was) = stored["families"].get(family) else {
            continue;
        };
        let detected = was["detected"].as_u64().unwrap() as usize;
        if counts.detected < detected {
            worse.push(format!(
                "{family}: detected {} (stored {detected})",
                counts.detected
            ));
        }
    }
    assert!(
        worse.is_empty(),
        "detection got worse:\n{}\n\n{}",
        worse.join("\n"),
        report.render()
    );
}
