//! `validate`: compile configurations with the engine and report every problem with its JSON path.
//!
//! The engine stops at the first error (`Policies::from_json` returns one [`ConfigError`]). To
//! show an operator all of them in one run, the CLI removes the offending value (the array
//! element or the field the path names) and compiles again, until the document compiles or a
//! removal would only produce a consequence of itself (a now-missing required field). Errors
//! after the first are therefore real errors elsewhere in the document, never invented by the
//! CLI; the engine remains the only judge of validity.

use llm_warden_engine::error::{render_path, ConfigErrorKind, PathSegment as Segment};
use llm_warden_engine::{ConfigError, Policies};
use serde_json::Value;

/// Upper bound on errors reported for one document.
const MAX_ERRORS: usize = 50;

/// Removes the value at `segments` (the deepest array element on the path if there is one, else
/// the named field). Returns the path of what was removed, in the document's current coordinates.
fn remove(doc: &mut Value, segments: &[Segment]) -> Option<Vec<Segment>> {
    let cut = match segments
        .iter()
        .rposition(|s| matches!(s, Segment::Index(_)))
    {
        Some(i) => i + 1,
        None => segments.len(),
    };
    let target = segments.get(..cut)?;
    let (last, parent_path) = target.split_last()?;
    let mut parent = &mut *doc;
    for seg in parent_path {
        parent = match seg {
            Segment::Key(k) => parent.get_mut(k.as_str())?,
            Segment::Index(i) => parent.get_mut(*i)?,
        };
    }
    match (parent, last) {
        (Value::Object(map), Segment::Key(k)) => {
            map.shift_remove(k.as_str())?;
        }
        (Value::Array(items), Segment::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => return None,
    }
    Some(target.to_vec())
}

/// Maps a path in the pruned document back to the original, given the array elements removed
/// so far (each as its path in original coordinates).
fn to_original(segments: &[Segment], removed: &[Vec<Segment>]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for seg in segments {
        match seg {
            Segment::Index(i) => {
                let mut gone: Vec<usize> = removed
                    .iter()
                    .filter_map(|r| match r.split_last() {
                        Some((Segment::Index(j), prefix)) if prefix == out.as_slice() => Some(*j),
                        _ => None,
                    })
                    .collect();
                gone.sort_unstable();
                let mut idx = *i;
                for g in gone {
                    if g <= idx {
                        idx += 1;
                    }
                }
                out.push(Segment::Index(idx));
            }
            key => out.push(key.clone()),
        }
    }
    out
}

/// Every error in a configuration document, first the engine's own, then the ones found after
/// removing each offending value. Empty when the document compiles.
pub fn all_errors(json: &[u8]) -> Vec<ConfigError> {
    let first = match Policies::from_json(json) {
        Ok(_) => return Vec::new(),
        Err(e) => e,
    };
    let mut errors = vec![first.clone()];
    let Ok(mut doc) = serde_json::from_slice::<Value>(json) else {
        return errors;
    };
    let mut removed: Vec<Vec<Segment>> = Vec::new();
    let mut current = first.segments();
    while errors.len() < MAX_ERRORS {
        let Some(gone) = remove(&mut doc, &current) else {
            break;
        };
        let gone_original = to_original(&gone, &removed);
        if matches!(gone.last(), Some(Segment::Index(_))) {
            removed.push(gone_original.clone());
        }
        let Ok(bytes) = serde_json::to_vec(&doc) else {
            break;
        };
        let next = match Policies::from_json(&bytes) {
            Ok(_) => break,
            Err(e) => e,
        };
        let segments = next.segments();
        let original = to_original(&segments, &removed);
        // A required field that went with the removal is a consequence, not a new problem.
        if next.kind == ConfigErrorKind::MissingField && original.starts_with(&gone_original) {
            break;
        }
        if original.starts_with(&gone_original) && !gone_original.is_empty() {
            break;
        }
        errors.push(ConfigError {
            path: render_path(&original),
            ..next
        });
        current = segments;
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        name: &'static str,
        config: &'static str,
        /// Expected error paths, in order.
        paths: &'static [&'static str],
    }

    const ROWS: &[Row] = &[
        Row {
            name: "valid",
            config: "{}",
            paths: &[],
        },
        Row {
            name: "one unknown field",
            config: r#"{"mdoe": "monitor"}"#,
            paths: &["mdoe"],
        },
        Row {
            name: "errors in two sections",
            config: r#"{"tools": {"allow": [""]}, "secrets": {"literals": [""]}}"#,
            paths: &["secrets.literals[0]", "tools.allow[0]"],
        },
        Row {
            name: "array indexes stay those of the original document",
            config: r#"{"tools": {"allow": ["", "ok", ""]}}"#,
            paths: &["tools.allow[0]", "tools.allow[2]"],
        },
        Row {
            name: "not json",
            config: "{",
            paths: &["."],
        },
    ];

    #[test]
    fn reports_every_error() {
        for row in ROWS {
            let got: Vec<String> = all_errors(row.config.as_bytes())
                .into_iter()
                .map(|e| e.path)
                .collect();
            assert_eq!(got, row.paths, "{}", row.name);
        }
    }
}
