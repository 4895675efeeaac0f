//! Runs every row of `testdata/models/cases.jsonl` against model admission.
//!
//! Row: `{"name", "config": {models section}, "model", "naming": "ollama" | "opaque" |
//! "compatible", "expect": "allow" | "deny" | "rewrite", "code"?, "rewrite"?}`. `compatible` is
//! the naming of the OpenAI and Anthropic paths, which Ollama serves too. The same file drives
//! the end-to-end tests against Envoy.
#![cfg(test)]

use llm_warden_engine::models::{ModelDecision, ModelNaming, ModelPolicy, ModelsConfig};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    config: ModelsConfig,
    model: String,
    naming: String,
    expect: String,
    code: Option<String>,
    rewrite: Option<String>,
}

const CASES: &str = include_str!("../../testdata/models/cases.jsonl");

#[test]
fn every_case() {
    let mut count = 0;
    for (n, line) in CASES
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let policy = ModelPolicy::compile(&case.config, "models")
            .unwrap_or_else(|e| panic!("{}: config: {e}", case.name));
        let naming = match case.naming.as_str() {
            "ollama" => ModelNaming::Ollama,
            "opaque" => ModelNaming::Opaque,
            "compatible" => ModelNaming::Compatible,
            other => panic!("{}: unknown naming {other}", case.name),
        };
        let decision = policy.admit(&case.model, naming);
        match (&decision, case.expect.as_str()) {
            (ModelDecision::Allow, "allow") => {}
            (ModelDecision::Rewrite(to), "rewrite") => {
                assert_eq!(Some(to), case.rewrite.as_ref(), "{}", case.name);
            }
            (ModelDecision::Deny { code, .. }, "deny") => {
                if let Some(want) = &case.code {
                    assert_eq!(code, want, "{}", case.name);
                }
            }
            (got, want) => panic!("{}: expected {want}, got {got:?}", case.name),
        }
        count += 1;
    }
    assert!(count >= 30, "only {count} cases");
}
