//! Regression gate on the corpus figures: recomputes recall and false-positive rates with the
//! default config and fails if any is worse than `testdata/eval/injection.json`. Skips (with a
//! notice) when the corpora are not present; see `testkit/src/injection_eval.rs` for the layout.
#![cfg(test)]

use llm_warden_testkit::injection_eval;

use llm_warden_engine::injection::InjectionConfig;

#[test]
fn corpus_figures_do_not_regress() {
    let Some(dir) = injection_eval::corpora_dir(None) else {
        eprintln!("NOTICE: injection corpora not found (set LLM_WARDEN_CORPORA); skipping");
        return;
    };
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(injection_eval::figures_path()).unwrap())
            .unwrap();
    let now = injection_eval::to_json(&injection_eval::evaluate(&dir, &InjectionConfig::default()));
    let worse = injection_eval::regressions(&now, &stored);
    assert!(
        worse.is_empty(),
        "figures regressed (rerun the eval example to inspect):\n{}",
        worse.join("\n")
    );
}
