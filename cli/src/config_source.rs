//! Finds llm-warden configuration documents in the files operators actually keep.
//!
//! The filter's configuration is one JSON document, but it rarely lives alone: it sits in an
//! Istio `WasmPlugin` (`spec.pluginConfig`), an Envoy Gateway `EnvoyExtensionPolicy`
//! (`spec.wasm[].config`) or an Envoy bootstrap (the wasm filter's `configuration.value`, a JSON
//! string). This module extracts each such document, labelled with where it was found, so the
//! CLI checks exactly the bytes the filter would receive. A file that is none of these is taken
//! as the configuration itself (JSON, or YAML for convenience).

use std::path::Path;

use serde_json::Value;

/// One configuration document and where it came from.
#[derive(Debug, Clone)]
pub struct FoundConfig {
    /// Human description of the location, e.g. `WasmPlugin istio-system/llm-warden spec.pluginConfig`.
    pub origin: String,
    /// The JSON bytes the filter would be configured with.
    pub json: Vec<u8>,
}

/// Reads `path` and returns every configuration it holds (at least one, or an error that says
/// what was expected).
pub fn load(path: &Path) -> Result<Vec<FoundConfig>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    find(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Like [`load`], but exactly one configuration must be found (for `scan` and `test`).
pub fn load_one(path: &Path) -> Result<FoundConfig, String> {
    let mut found = load(path)?;
    if found.len() > 1 {
        let origins: Vec<String> = found.iter().map(|f| f.origin.clone()).collect();
        return Err(format!(
            "{} holds {} configurations ({}); put the one to use in a file of its own",
            path.display(),
            found.len(),
            origins.join("; ")
        ));
    }
    found
        .pop()
        .ok_or_else(|| format!("{}: no configuration found", path.display()))
}

/// Extracts the configurations from a file's text (JSON or YAML, one or more documents).
pub fn find(text: &str) -> Result<Vec<FoundConfig>, String> {
    let trimmed = text.trim_start();
    // JSON first: a plain config goes to the engine byte for byte, so its syntax errors carry
    // the engine's own line and column.
    if trimmed.is_empty() || trimmed.starts_with('{') {
        return match serde_json::from_str::<Value>(text) {
            Ok(doc) => Ok(from_document(&doc, 0)
                .unwrap_or_else(|| vec![plain("configuration", text.as_bytes().to_vec())])),
            Err(_) => Ok(vec![plain("configuration", text.as_bytes().to_vec())]),
        };
    }
    let mut docs = Vec::new();
    for de in serde_yaml_ng::Deserializer::from_str(text) {
        let doc: Value = serde::Deserialize::deserialize(de).map_err(|e| {
            format!("not valid YAML or JSON: {e}; fix the syntax and run validate again")
        })?;
        docs.push(doc);
    }
    let many = docs.len() > 1;
    let mut found = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if doc.is_null() {
            continue;
        }
        match from_document(doc, i) {
            Some(f) => found.extend(f),
            // A Kubernetes object of another kind: not ours.
            None if doc.get("kind").is_some() && doc.get("apiVersion").is_some() => {}
            None if many && doc.get("kind").is_some() => {}
            None if is_envoy_bootstrap(doc) => {}
            None => found.push(plain(
                if many {
                    format!("document {i}")
                } else {
                    "configuration".into()
                },
                to_json(doc),
            )),
        }
    }
    if found.is_empty() {
        return Err(
            "no llm-warden configuration found: expected a JSON config, an Istio \
                    WasmPlugin (spec.pluginConfig), an Envoy Gateway EnvoyExtensionPolicy \
                    (spec.wasm[].config) or an Envoy bootstrap with an envoy.filters.http.wasm \
                    filter (configuration.value)"
                .into(),
        );
    }
    Ok(found)
}

fn plain(origin: impl Into<String>, json: Vec<u8>) -> FoundConfig {
    FoundConfig {
        origin: origin.into(),
        json,
    }
}

fn to_json(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

fn is_envoy_bootstrap(doc: &Value) -> bool {
    doc.get("static_resources").is_some() || doc.get("admin").is_some()
}

fn object_name(doc: &Value) -> String {
    let meta = doc.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    match meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
    {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    }
}

/// The configurations inside one document, or None when it is not a known wrapper.
fn from_document(doc: &Value, index: usize) -> Option<Vec<FoundConfig>> {
    let at = if index > 0 {
        format!(" (document {index})")
    } else {
        String::new()
    };
    match doc.get("kind").and_then(Value::as_str) {
        Some("WasmPlugin") => {
            let cfg = doc
                .get("spec")
                .and_then(|s| s.get("pluginConfig"))
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default()));
            return Some(vec![plain(
                format!("WasmPlugin {} spec.pluginConfig{at}", object_name(doc)),
                to_json(&cfg),
            )]);
        }
        Some("EnvoyExtensionPolicy") => {
            let wasm = doc
                .get("spec")
                .and_then(|s| s.get("wasm"))
                .and_then(Value::as_array)?;
            let found = wasm
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let cfg = w
                        .get("config")
                        .cloned()
                        .unwrap_or_else(|| Value::Object(Default::default()));
                    plain(
                        format!(
                            "EnvoyExtensionPolicy {} spec.wasm[{i}].config{at}",
                            object_name(doc)
                        ),
                        to_json(&cfg),
                    )
                })
                .collect();
            return Some(found);
        }
        _ => {}
    }
    if is_envoy_bootstrap(doc) {
        let mut found = Vec::new();
        envoy_wasm_configs(doc, "", &mut found);
        return if found.is_empty() { None } else { Some(found) };
    }
    None
}

/// Walks an Envoy bootstrap for wasm plugin configs (`vm_config` beside `configuration`).
fn envoy_wasm_configs(v: &Value, path: &str, out: &mut Vec<FoundConfig>) {
    match v {
        Value::Object(map) => {
            if map.contains_key("vm_config") {
                let name = map.get("name").and_then(Value::as_str).unwrap_or("?");
                let value = map.get("configuration").and_then(|c| match c {
                    Value::String(s) => Some(s.clone()),
                    other => other
                        .get("value")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                });
                out.push(plain(
                    format!("wasm plugin {name} at {path}.configuration.value"),
                    value.unwrap_or_default().into_bytes(),
                ));
                return;
            }
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                envoy_wasm_configs(child, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                envoy_wasm_configs(child, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        name: &'static str,
        text: &'static str,
        /// Origins and config JSON found, in order.
        want: &'static [(&'static str, &'static str)],
    }

    const ROWS: &[Row] = &[
        Row {
            name: "plain json goes through byte for byte",
            text: "{ \"mode\": \"monitor\" }",
            want: &[("configuration", "{ \"mode\": \"monitor\" }")],
        },
        Row {
            name: "yaml config",
            text: "mode: monitor\n",
            want: &[("configuration", r#"{"mode":"monitor"}"#)],
        },
        Row {
            name: "istio wasmplugin",
            text: "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: w, namespace: ns}\nspec:\n  pluginConfig:\n    models: {allow: [\"llama3.2:3b\"]}\n",
            want: &[("WasmPlugin ns/w spec.pluginConfig", r#"{"models":{"allow":["llama3.2:3b"]}}"#)],
        },
        Row {
            name: "envoy gateway policy among other objects",
            text: "kind: Service\nmetadata: {name: s}\n---\nkind: EnvoyExtensionPolicy\nmetadata: {name: p}\nspec:\n  wasm:\n  - name: a\n    config: {mode: monitor}\n  - name: b\n",
            want: &[
                ("EnvoyExtensionPolicy p spec.wasm[0].config (document 1)", r#"{"mode":"monitor"}"#),
                ("EnvoyExtensionPolicy p spec.wasm[1].config (document 1)", "{}"),
            ],
        },
        Row {
            name: "envoy bootstrap",
            text: "static_resources:\n  listeners:\n  - filters:\n    - config:\n        name: llm_warden\n        configuration:\n          \"@type\": type.googleapis.com/google.protobuf.StringValue\n          value: |\n            {\"secrets\": {}}\n        vm_config: {runtime: v8}\n",
            want: &[("wasm plugin llm_warden at static_resources.listeners[0].filters[0].config.configuration.value", "{\"secrets\": {}}\n")],
        },
    ];

    #[test]
    fn finds_configs_in_every_wrapper() {
        for row in ROWS {
            let found = find(row.text).unwrap();
            let got: Vec<(String, String)> = found
                .iter()
                .map(|f| (f.origin.clone(), String::from_utf8(f.json.clone()).unwrap()))
                .collect();
            let want: Vec<(String, String)> = row
                .want
                .iter()
                .map(|(o, j)| (o.to_string(), j.to_string()))
                .collect();
            assert_eq!(got, want, "{}", row.name);
        }
    }

    #[test]
    fn files_without_a_config_are_errors() {
        for text in [
            "static_resources: {clusters: []}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
        ] {
            let err = find(text).unwrap_err();
            assert!(err.contains("no llm-warden configuration"), "{text}: {err}");
        }
    }
}
