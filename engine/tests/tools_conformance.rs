//! Runs every row of `testdata/tools/cases.jsonl` against the tool policy.
//!
//! Row: `{"name", "config": {tools section}, "tool", "arguments": object | string | null,
//! "expect": "allow" | "deny", "rule_id"?}`. An object is serialised as the arguments text; a
//! string is used as the raw arguments text (to express invalid JSON or repeated keys); `null`
//! checks the name only. The same file drives the end-to-end tests against Envoy.
#![cfg(test)]

use llm_warden_engine::tools::{ToolDecision, ToolPolicy, ToolsConfig};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    config: ToolsConfig,
    tool: String,
    arguments: Value,
    expect: String,
    rule_id: Option<String>,
}

const CASES: &str = include_str!("../../testdata/tools/cases.jsonl");

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
        let policy = ToolPolicy::compile(&case.config, "tools")
            .unwrap_or_else(|e| panic!("{}: config: {e}", case.name));
        let decision = match &case.arguments {
            Value::Null => policy.check_name(&case.tool),
            Value::String(text) => policy.check_call(&case.tool, text),
            other => policy.check_call(&case.tool, &other.to_string()),
        };
        match (&decision, case.expect.as_str()) {
            (ToolDecision::Allow, "allow") => {}
            (ToolDecision::Deny { rule_id, .. }, "deny") => {
                if let Some(want) = &case.rule_id {
                    assert_eq!(rule_id, want, "{}", case.name);
                }
            }
            (got, want) => panic!("{}: expected {want}, got {got:?}", case.name),
        }
        count += 1;
    }
    assert!(count >= 30, "only {count} cases");
}
