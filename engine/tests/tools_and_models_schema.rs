//! The JSON Schemas of the `tools` and `models` sections agree with the parser.
//!
//! A small validator for the keywords the two schemas use (type, enum, properties,
//! additionalProperties, propertyNames, required, items, minItems, minLength, minimum, pattern,
//! anyOf, local `$ref`) checks that every conformance config validates, that every documented
//! default is accepted by the parser, and that configs the schema refuses are refused by the
//! parser or the compiler too.
#![cfg(test)]

use llm_warden_engine::models::{ModelPolicy, ModelsConfig};
use llm_warden_engine::tools::{ToolPolicy, ToolsConfig};
use serde_json::{json, Value};

const TOOLS_SCHEMA: &str = include_str!("../schema/tools.schema.json");
const MODELS_SCHEMA: &str = include_str!("../schema/models.schema.json");
const TOOLS_CASES: &str = include_str!("../../testdata/tools/cases.jsonl");
const MODELS_CASES: &str = include_str!("../../testdata/models/cases.jsonl");

/// Errors as `path: keyword`; empty when valid.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r
            .strip_prefix("#/")
            .unwrap_or_else(|| panic!("non-local $ref {r}"))
            .split('/')
            .fold(root, |node, key| &node[key]);
        validate(root, target, value, path, errors);
    }
    let mut fail = |what: &str| errors.push(format!("{path}: {what}"));
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_u64() || value.is_i64(),
            other => panic!("type {other} not supported by this validator"),
        };
        if !ok {
            fail("type");
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            fail("enum");
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
        if value.as_i64().is_some_and(|v| v < min) {
            fail("minimum");
        }
    }
    if let Some(s) = value.as_str() {
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if (s.chars().count() as u64) < min {
                fail("minLength");
            }
        }
        if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
            if !regex_lite::Regex::new(p).unwrap().is_match(s) {
                fail("pattern");
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                fail("minItems");
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(root, item_schema, item, &format!("{path}[{i}]"), errors);
            }
        }
    }
    if let Some(obj) = value.as_object() {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(key.as_str().unwrap()) {
                errors.push(format!("{path}: required {key}"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            let child = format!("{path}.{k}");
            if let Some(names) = schema.get("propertyNames") {
                validate(root, names, &Value::String(k.clone()), &child, errors);
            }
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => validate(root, s, v, &child, errors),
                (None, Some(Value::Bool(false))) => errors.push(format!("{child}: unknown")),
                (None, Some(s @ Value::Object(_))) => validate(root, s, v, &child, errors),
                (None, _) => {}
            }
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let passes = any.iter().any(|s| {
            let mut e = Vec::new();
            validate(root, s, value, path, &mut e);
            e.is_empty()
        });
        if !passes {
            errors.push(format!("{path}: anyOf"));
        }
    }
}

fn errors(schema: &Value, value: &Value) -> Vec<String> {
    let mut e = Vec::new();
    validate(schema, schema, value, "$", &mut e);
    e
}

fn schema(text: &str) -> Value {
    let s: Value = serde_json::from_str(text).unwrap();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["additionalProperties"], false);
    s
}

fn tools_parse(v: &Value) -> Result<ToolPolicy, String> {
    let cfg: ToolsConfig = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    ToolPolicy::compile(&cfg, "tools").map_err(|e| e.to_string())
}

fn models_parse(v: &Value) -> Result<ModelPolicy, String> {
    let cfg: ModelsConfig = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    ModelPolicy::compile(&cfg, "models").map_err(|e| e.to_string())
}

#[test]
fn conformance_configs_validate() {
    for (text, cases) in [(TOOLS_SCHEMA, TOOLS_CASES), (MODELS_SCHEMA, MODELS_CASES)] {
        let s = schema(text);
        for line in cases.lines().filter(|l| !l.trim().is_empty()) {
            let case: Value = serde_json::from_str(line).unwrap();
            let e = errors(&s, &case["config"]);
            assert!(e.is_empty(), "{}: {e:?}", case["name"]);
        }
    }
}

#[test]
fn every_property_and_default_is_accepted() {
    check_defaults(&schema(TOOLS_SCHEMA), tools_parse);
    check_defaults(&schema(MODELS_SCHEMA), models_parse);
}

fn check_defaults<T>(s: &Value, parse: fn(&Value) -> Result<T, String>) {
    let props = s["properties"].as_object().unwrap();
    let mut all = serde_json::Map::new();
    for (key, prop) in props {
        assert!(prop["description"].is_string(), "{key} has a description");
        if let Some(d) = prop.get("default") {
            let one = json!({ key.as_str(): d });
            assert!(errors(s, &one).is_empty(), "default of {key} validates");
            if let Err(e) = parse(&one) {
                panic!("default of {key} is refused by the parser: {e}");
            }
            all.insert(key.clone(), d.clone());
        }
    }
    assert!(parse(&Value::Object(all)).is_ok());
    assert!(parse(&json!({"no_such_field": 1})).is_err());
    assert!(!errors(s, &json!({"no_such_field": 1})).is_empty());
}

#[test]
fn schema_refusals_are_parser_refusals() {
    let tools = schema(TOOLS_SCHEMA);
    let tool_rows = [
        json!({"default": "maybe"}),
        json!({"allow": [""]}),
        json!({"max_calls": -1}),
        json!({"arguments": [{"tool": "t", "pointer": "/a"}]}),
        json!({"arguments": [{"tool": "t", "pointer": "a", "required": true}]}),
        json!({"arguments": [{"tool": "t", "pointer": "/a~2", "required": true}]}),
        json!({"arguments": [{"tool": "t", "pointer": "/a", "url_hosts": []}]}),
        json!({"arguments": [{"tool": "", "pointer": "/a", "required": true}]}),
    ];
    for row in &tool_rows {
        assert!(!errors(&tools, row).is_empty(), "schema refuses {row}");
        assert!(tools_parse(row).is_err(), "parser refuses {row}");
    }
    let models = schema(MODELS_SCHEMA);
    let model_rows = [
        json!({"allow": [""]}),
        json!({"deny": ["has space"]}),
        json!({"allow_admin": ["/api/chat"]}),
        json!({"floating_tags": ["a:b"]}),
        json!({"aliases": {"f*": "llama3.2:3b"}}),
        json!({"aliases": {"fast": "llama3.2:*"}}),
        json!({"require_pinned": "yes"}),
    ];
    for row in &model_rows {
        assert!(!errors(&models, row).is_empty(), "schema refuses {row}");
        assert!(models_parse(row).is_err(), "parser refuses {row}");
    }
}
