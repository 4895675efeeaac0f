//! `schema`: the configuration's JSON Schema as one self-contained document.
//!
//! The schema is kept as files beside the engine: `engine/schema/config.schema.json` for the
//! top level, and one fragment per section, each written by the section's owners next to its
//! parser. Editors and validators want a single document, so this module inlines every fragment
//! under `$defs/<section>` and turns all references into local ones (`#/$defs/tools/...`); the
//! result needs no resolver and no network.

use serde_json::{Map, Value};

const TOP: &str = include_str!("../../engine/schema/config.schema.json");

/// Section fragments, by the file name the top level refers to them with. A section whose
/// fragment has not been written yet is listed with `None` and bundled as an open object.
const FRAGMENTS: &[(&str, Option<&str>)] = &[
    (
        "prompt_injection",
        Some(include_str!(
            "../../engine/schema/prompt_injection.schema.json"
        )),
    ),
    (
        "secrets",
        Some(include_str!("../../engine/schema/secrets.schema.json")),
    ),
    (
        "tools",
        Some(include_str!("../../engine/schema/tools.schema.json")),
    ),
    (
        "models",
        Some(include_str!("../../engine/schema/models.schema.json")),
    ),
    (
        "mcp",
        Some(include_str!("../../engine/schema/mcp.schema.json")),
    ),
];

/// Rewrites every `$ref` in `v` with `f`.
fn rewrite_refs(v: &mut Value, f: &dyn Fn(&str) -> String) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => *r = f(r),
                    (_, child) => rewrite_refs(child, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| rewrite_refs(c, f)),
        _ => {}
    }
}

/// The bundled schema.
pub fn bundled() -> Result<Value, String> {
    let mut top: Value =
        serde_json::from_str(TOP).map_err(|e| format!("config.schema.json: {e}"))?;
    rewrite_refs(&mut top, &|r| match r.strip_suffix(".schema.json") {
        Some(name) if !name.contains('/') && !name.contains('#') => format!("#/$defs/{name}"),
        _ => r.to_string(),
    });
    let defs = top
        .as_object_mut()
        .ok_or("config.schema.json is not an object")?
        .entry("$defs")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or("config.schema.json: $defs is not an object")?;
    for (name, text) in FRAGMENTS {
        let mut fragment: Value = match text {
            Some(t) => serde_json::from_str(t).map_err(|e| format!("{name}.schema.json: {e}"))?,
            None => serde_json::json!({
                "description": format!("The `{name}` section (its schema fragment is not written yet)."),
                "type": "object"
            }),
        };
        if let Some(obj) = fragment.as_object_mut() {
            obj.remove("$schema");
            obj.remove("$id");
        }
        let prefix = format!("#/$defs/{name}/");
        rewrite_refs(&mut fragment, &|r| match r.strip_prefix("#/") {
            Some(rest) => format!("{prefix}{rest}"),
            None => r.to_string(),
        });
        defs.insert((*name).to_string(), fragment);
    }
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    match (k.as_str(), c) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        _ => refs(c, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_is_local_and_resolves() {
        let schema = bundled().unwrap();
        let mut all = Vec::new();
        refs(&schema, &mut all);
        assert!(!all.is_empty());
        for r in all {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("non-local $ref {r}"));
            assert!(schema.pointer(pointer).is_some(), "dangling $ref {r}");
        }
    }
}
