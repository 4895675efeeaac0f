//! The bundled configuration schema (`llm-warden schema`) and the case schema agree with what the
//! project ships: every conformance case config, every Envoy wasm filter `configuration.value`,
//! and every case file validate; configs the engine refuses for shape reasons are refused by the
//! schema too. Checked with the `jsonschema` crate (draft 2020-12).
#![cfg(test)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn printed_schema(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-warden"))
        .args(args)
        .output()
        .expect("run llm-warden");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out.sort();
}

/// Every `configuration` of a wasm filter (a `vm_config` beside it) in an Envoy bootstrap.
fn envoy_configurations(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) if m.contains_key("vm_config") => {
            if let Some(s) = m
                .get("configuration")
                .and_then(|c| c.get("value"))
                .and_then(Value::as_str)
            {
                out.push(s.to_string());
            }
        }
        Value::Object(m) => m.values().for_each(|c| envoy_configurations(c, out)),
        Value::Array(a) => a.iter().for_each(|c| envoy_configurations(c, out)),
        _ => {}
    }
}

/// Every config the project ships, with where it came from.
fn shipped_configs() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut files = Vec::new();
    json_files(&repo().join("testdata/cases"), &mut files);
    for f in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let name = f.display().to_string();
        if f.file_name().is_some_and(|n| n == "config.json") {
            out.push((name, doc));
        } else if let Some(c) = doc.get("config") {
            out.push((name, c.clone()));
        }
    }
    for entry in std::fs::read_dir(repo().join("envoy")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let doc: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let mut found = Vec::new();
        envoy_configurations(&doc, &mut found);
        for (i, text) in found.into_iter().enumerate() {
            let cfg: Value = if text.trim().is_empty() {
                json!({})
            } else {
                serde_json::from_str(&text).unwrap()
            };
            out.push((format!("{}#{i}", p.display()), cfg));
        }
    }
    out
}

#[test]
fn every_shipped_config_validates() {
    let v = validator(&printed_schema(&["schema"]));
    let configs = shipped_configs();
    assert!(
        configs.len() > 10,
        "too few configs found: {}",
        configs.len()
    );
    for (name, cfg) in configs {
        assert_eq!(errors(&v, &cfg), Vec::<String>::new(), "{name}");
        // And the engine agrees.
        llm_warden_engine::Policies::from_json(cfg.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{name}: engine refuses a schema-valid config: {e}"));
    }
}

#[test]
fn every_case_file_matches_the_case_schema() {
    let v = validator(&printed_schema(&["schema", "--case"]));
    let mut files = Vec::new();
    json_files(&repo().join("testdata/cases"), &mut files);
    for f in files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "config.json"))
    {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        assert_eq!(errors(&v, &doc), Vec::<String>::new(), "{}", f.display());
    }
}

/// Configs both the schema and the engine must refuse (shape errors the schema can express).
const REFUSED: &[(&str, &str)] = &[
    ("unknown top-level field", r#"{"mdoe": "monitor"}"#),
    ("bad mode", r#"{"mode": "strict"}"#),
    (
        "zero request limit",
        r#"{"limits": {"max_request_body_bytes": 0}}"#,
    ),
    ("bad on_limit", r#"{"limits": {"on_limit": "drop"}}"#),
    ("unknown limits field", r#"{"limits": {"max_bytes": 1}}"#),
    (
        "route without policy",
        r#"{"routes": [{"match": {"path_prefix": "/v1"}}]}"#,
    ),
    (
        "unknown route match",
        r#"{"policies": {"p": {}}, "routes": [{"match": {"prefix": "/"}, "policy": "p"}]}"#,
    ),
    (
        "unknown policy section",
        r#"{"policies": {"p": {"limits": {}}}}"#,
    ),
    // Not `[]`: serde's derived structs also accept a sequence, so the engine takes `"tools": []`
    // as `{}` (reported to the engine owners); the schema refuses it.
    ("tools of the wrong type", r#"{"tools": "deny"}"#),
    ("models unknown field", r#"{"models": {"allowed": ["x"]}}"#),
    (
        "injection threshold as text",
        r#"{"prompt_injection": {"threshold": "high"}}"#,
    ),
    (
        "injection unknown kind",
        r#"{"prompt_injection": {"kinds": ["email"]}}"#,
    ),
    (
        "injection rule without phrases or regex",
        r#"{"prompt_injection": {"rules": [{"id": "x"}]}}"#,
    ),
    (
        "secrets unknown action",
        r#"{"secrets": {"action": "delete"}}"#,
    ),
    (
        "secrets override of a non-rule",
        r#"{"secrets": {"overrides": {"aws": "off"}}}"#,
    ),
    (
        "named policy with a bad section",
        r#"{"policies": {"p": {"secrets": {"pii": "yes"}}}}"#,
    ),
];

/// Configs both must accept.
const ACCEPTED: &[(&str, &str)] = &[
    ("empty", "{}"),
    (
        "named policies and routes",
        r#"{"mode": "monitor", "limits": {"max_request_body_bytes": 65536, "on_limit": "pass"},
            "policies": {"agents": {"mode": "enforce", "tools": {"default": "deny", "allow": ["search"]}}},
            "routes": [{"match": {"header": {"name": "x-caller", "value": "agent"}}, "policy": "agents"},
                       {"match": {"path_prefix": "/api/"}, "policy": "agents"}]}"#,
    ),
    (
        "every section used",
        r#"{"prompt_injection": {"action": "block", "threshold": 1.5, "tool_result_threshold": 1.0,
                                 "rule_actions": {"pi.override.new_instructions": "monitor"},
                                 "rules": [{"id": "acme.leak", "phrases": ["reveal the roadmap"]},
                                           {"id": "acme.re", "regex": "wire \\$\\d+", "keywords": ["wire"]}],
                                 "block_phrases": ["open the pod bay doors"], "allow_phrases": ["ignore the noise"],
                                 "kinds": ["user", "tool_result"], "decode": {"max_depth": 1, "min_len": 24}},
            "secrets": {"request": true, "response": true, "builtin": true, "pii": true, "action": "redact",
                        "overrides": {"secret.slack": "off", "pii.email": "monitor"},
                        "rules": [{"id": "acme.token", "literal": "acme-xyz-123"}],
                        "literals": ["CANARY-1"], "canaries": ["zebra-canary-42"], "canary_action": "block",
                        "replacement": "<{rule}>", "max_holdback_bytes": 4096},
            "tools": {"default": "deny", "allow": ["search", "fs_read_*"], "deny": ["fs_read_secrets"],
                      "max_calls": 4, "on_offered": "reject", "on_call": "strip"},
            "models": {"allow": ["llama3.2:3b", "gpt-4o-mini-2024-07-18"], "require_pinned": true,
                       "aliases": {"fast": "llama3.2:3b"}, "allow_admin": ["/api/pull"]}}"#,
    ),
];

#[test]
fn schema_and_engine_agree_on_shape() {
    let v = validator(&printed_schema(&["schema"]));
    for (name, text) in REFUSED {
        let doc: Value = serde_json::from_str(text).unwrap();
        assert!(!v.is_valid(&doc), "{name}: schema accepts it");
        assert!(
            llm_warden_engine::Policies::from_json(text.as_bytes()).is_err(),
            "{name}: engine accepts it"
        );
    }
    for (name, text) in ACCEPTED {
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(errors(&v, &doc), Vec::<String>::new(), "{name}");
        llm_warden_engine::Policies::from_json(text.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
