//! The `secrets` configuration: errors name the JSON path of the problem, and the shipped JSON
//! Schema (`engine/schema/secrets.schema.json`) agrees with what the engine accepts.
#![cfg(test)]

use llm_warden_engine::secrets::{builtin_rule_ids, SecretScanner, SecretsConfig};

fn schema() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/secrets.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn compile(json: &str) -> Result<SecretScanner, String> {
    let cfg: SecretsConfig = serde_json::from_str(json).map_err(|e| format!("serde: {e}"))?;
    SecretScanner::compile(&cfg, "secrets").map_err(|e| e.to_string())
}

#[test]
fn config_errors_name_the_path() {
    // (name, config, expected error prefix; "" = compiles)
    let rows: &[(&str, &str, &str)] = &[
        ("empty config", "{}", ""),
        (
            "all options",
            r#"{"request": false, "pii": true, "action": "block",
            "overrides": {"secret.slack": "off", "secret.jwt": "monitor"},
            "canaries": ["c4n4ry"], "canary_action": "monitor", "replacement": "***",
            "max_holdback_bytes": 4096}"#,
            "",
        ),
        (
            "unknown field",
            r#"{"redact": true}"#,
            "serde: unknown field `redact`",
        ),
        (
            "bad action",
            r#"{"action": "drop"}"#,
            "serde: unknown variant `drop`",
        ),
        (
            "unknown override",
            r#"{"overrides": {"secret.nope": "off"}}"#,
            "secrets.overrides[\"secret.nope\"]: no built-in rule",
        ),
        (
            "override prefix must end at a dot",
            r#"{"overrides": {"secret.sla": "off"}}"#,
            "secrets.overrides[\"secret.sla\"]",
        ),
        (
            "holdback too small",
            r#"{"max_holdback_bytes": 16}"#,
            "secrets.max_holdback_bytes: must be at least",
        ),
        (
            "empty literal",
            r#"{"literals": ["ok", ""]}"#,
            "secrets.literals[1]: empty literal",
        ),
        (
            "empty canary",
            r#"{"canaries": [""]}"#,
            "secrets.canaries[0]: empty literal",
        ),
        (
            "bad regex",
            r#"{"rules": [{"id": "a", "literal": "x"}, {"id": "b", "regex": "(", "keywords": ["k"]}]}"#,
            "secrets.rules[1].regex:",
        ),
        (
            "regex without keywords",
            r#"{"rules": [{"id": "a", "regex": "K[0-9]+"}]}"#,
            "secrets.rules[0].keywords: a regex rule needs",
        ),
        (
            "neither literal nor regex",
            r#"{"rules": [{"id": "a"}]}"#,
            "secrets.rules[0]: a rule needs exactly one",
        ),
        (
            "both literal and regex",
            r#"{"rules": [{"id": "a", "literal": "x", "regex": "x", "keywords": ["x"]}]}"#,
            "secrets.rules[0]: a rule needs exactly one",
        ),
        (
            "duplicate id",
            r#"{"rules": [{"id": "a", "literal": "x"}, {"id": "a", "literal": "y"}]}"#,
            "secrets.rules[1].id: duplicate rule id",
        ),
        (
            "shadowing a built-in id",
            r#"{"rules": [{"id": "secret.jwt", "literal": "x"}]}"#,
            "secrets.rules[0].id: duplicate rule id",
        ),
        (
            "max_len beyond the bound",
            r#"{"rules": [{"id": "a", "regex": "k.*", "keywords": ["k"], "max_len": 100000}]}"#,
            "secrets.rules[0].max_len:",
        ),
        (
            "empty keyword",
            r#"{"rules": [{"id": "a", "regex": "k", "keywords": [""]}]}"#,
            "secrets.rules[0].keywords[0]: empty literal",
        ),
    ];
    for (name, json, want) in rows {
        match compile(json) {
            Ok(_) => assert!(want.is_empty(), "{name}: compiled, expected {want:?}"),
            Err(e) => assert!(
                !want.is_empty() && e.starts_with(want),
                "{name}: got {e:?}, expected prefix {want:?}"
            ),
        }
    }
}

#[test]
fn schema_defaults_are_the_engine_defaults() {
    let schema = schema();
    let props = schema["properties"].as_object().unwrap();
    let defaults: serde_json::Map<String, serde_json::Value> = props
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].clone()))
        .collect();
    // Every schema property is a field the engine accepts, and its default is the engine's.
    let from_schema: SecretsConfig =
        serde_json::from_value(serde_json::Value::Object(defaults)).unwrap();
    assert_eq!(
        format!("{from_schema:?}"),
        format!("{:?}", SecretsConfig::default())
    );
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
}

#[test]
fn schema_lists_every_builtin_rule() {
    let schema = schema();
    let listed: Vec<&str> = schema["$defs"]["builtin_rule_id"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut ids: Vec<&str> = builtin_rule_ids().collect();
    ids.dedup();
    assert_eq!(listed, ids);
}

#[test]
fn schema_examples_compile() {
    for example in schema()["examples"].as_array().unwrap() {
        compile(&example.to_string()).unwrap();
    }
}
