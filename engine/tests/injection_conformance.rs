//! Runs every row of `testdata/injection/evasion.jsonl` through the default detector.
//!
//! One row a line: `{"name", "technique", "role", "text", "expect": "block"|"pass"}`. The lead's
//! end-to-end suite sends the same rows through Envoy, so this proves the engine and the deployed
//! filter on one set of cases. Every normalisation technique has a positive and a near miss.
#![cfg(test)]

use std::collections::BTreeMap;
use std::path::Path;

use llm_warden_engine::injection::{InjectionConfig, InjectionDetector};
use llm_warden_engine::text::{ScanText, TextKind};
use serde_json::Value;

fn kind_of(role: &str) -> TextKind {
    match role {
        "tool" => TextKind::ToolResult,
        "system" => TextKind::System,
        "assistant" => TextKind::Assistant,
        "user" => TextKind::User,
        other => panic!("unknown role {other:?}"),
    }
}

fn rows() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/injection/evasion.jsonl");
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn evasion_cases() {
    let detector =
        InjectionDetector::compile(&InjectionConfig::default(), "prompt_injection").unwrap();
    let mut failures = Vec::new();
    let mut per_technique: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for row in rows() {
        let name = row["name"].as_str().unwrap();
        let technique = row["technique"].as_str().unwrap();
        let text = row["text"].as_str().unwrap();
        let expect = row["expect"].as_str().unwrap();
        assert!(
            matches!(expect, "block" | "pass"),
            "{name}: expect {expect:?}"
        );
        let report = detector.scan(&[ScanText::new(
            text,
            kind_of(row["role"].as_str().unwrap()),
            "t",
        )]);
        let counts = per_technique.entry(technique.to_string()).or_default();
        if expect == "block" {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        if report.block != (expect == "block") {
            failures.push(format!(
                "{name} ({technique}): expected {expect}, findings {:?}",
                report.findings
            ));
        }
        for f in &report.findings {
            assert!(
                f.start <= f.end && f.end <= text.len(),
                "{name}: span out of range"
            );
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
                "{name}: span not on char boundaries"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing rows:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for technique in [
        "zero_width",
        "tag_chars",
        "homoglyph",
        "fullwidth",
        "spacing",
        "punctuation",
        "leetspeak",
        "base64",
        "hex",
        "percent",
        "bidi",
        "template_token",
        "indirect",
        "exfiltration",
        "separator",
        "emoji",
        "entity",
        "escape",
        "nested",
    ] {
        let (pos, neg) = per_technique.get(technique).copied().unwrap_or_default();
        assert!(
            pos >= 1 && neg >= 1,
            "{technique}: needs a positive and a near miss ({pos}/{neg})"
        );
    }
}
