//! Policy test cases: one JSON file per case, run through the engine by `llm-warden test`.
//!
//! Users keep regression tests for their own policies the way the project keeps its conformance
//! cases (`testdata/cases`), and the project's end-to-end suite runs the same files through a real
//! Envoy: so a case is a literal request and a literal upstream answer, plus what must be observed.
//! The format is specified in `cli/case.schema.json` and summarised in `llm-warden test --help`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use llm_warden_engine::replay::Split;
use llm_warden_engine::Policies;
use serde::Deserialize;
use serde_json::Value;

use crate::config_source;
use crate::recording::{answer, post, Recording};
use crate::report::{scan, ScanReport};

/// The JSON Schema of a case file.
pub const CASE_SCHEMA: &str = include_str!("../case.schema.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The policy; absent means the folder's `config.json`, or `{}` without one.
    #[serde(default)]
    pub config: Option<Value>,
    pub request: CaseRequest,
    #[serde(default)]
    pub response: Option<CaseResponse>,
    /// Feed the response body in chunks of this many bytes.
    #[serde(default)]
    pub split: Option<usize>,
    pub expect: Expectation,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRequest {
    #[serde(default = "post_method")]
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<Value>,
    #[serde(default)]
    pub body_text: Option<String>,
}

fn post_method() -> String {
    "POST".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseResponse {
    #[serde(default = "ok_status")]
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<Value>,
    #[serde(default)]
    pub body_text: Option<String>,
}

fn ok_status() -> u16 {
    200
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedVerdict {
    Pass,
    Block,
    Modified,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub verdict: ExpectedVerdict,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub upstream_contains: Vec<String>,
    #[serde(default)]
    pub upstream_excludes: Vec<String>,
    #[serde(default)]
    pub client_contains: Vec<String>,
    #[serde(default)]
    pub client_excludes: Vec<String>,
}

fn body_bytes(body: &Option<Value>, text: &Option<String>, what: &str) -> Result<Vec<u8>, String> {
    match (body, text) {
        (Some(_), Some(_)) => Err(format!("{what}: give `body` or `body_text`, not both")),
        (Some(v), None) => serde_json::to_vec(v).map_err(|e| format!("{what}.body: {e}")),
        (None, Some(t)) => Ok(t.as_bytes().to_vec()),
        (None, None) => Ok(Vec::new()),
    }
}

impl CaseFile {
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!(".: {e}"))?;
        llm_warden_engine::config::read::from_value(&value)
            .map_err(|(path, e)| format!("{path}: {e}"))
    }

    /// The exchange this case describes.
    pub fn recording(&self, label: &str) -> Result<Recording, String> {
        let r = &self.request;
        let headers: Vec<(String, String)> = r
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        let body = body_bytes(&r.body, &r.body_text, "request")?;
        let request = post(&r.path, &r.method, &headers, body);
        let response = match &self.response {
            Some(resp) => {
                let headers: Vec<(String, String)> = resp
                    .headers
                    .iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                    .collect();
                let body = body_bytes(&resp.body, &resp.body_text, "response")?;
                Some(answer(resp.status, &headers, body))
            }
            None => None,
        };
        Ok(Recording {
            label: label.to_string(),
            request,
            response,
            synthetic_request: false,
        })
    }
}

/// Differences between what a case expects and what the engine did; empty when it passes.
pub fn check(expect: &Expectation, report: &ScanReport) -> Vec<String> {
    let mut failures = Vec::new();
    let verdict = report.verdict.as_str();
    let want = match expect.verdict {
        ExpectedVerdict::Pass => "pass",
        ExpectedVerdict::Block => "block",
        ExpectedVerdict::Modified => "modified",
    };
    if verdict != want {
        failures.push(format!("verdict: expected {want}, got {verdict}"));
    }
    if let Some(s) = expect.status {
        if s != report.status {
            failures.push(format!("status: expected {s}, got {}", report.status));
        }
    }
    if let Some(c) = &expect.code {
        if report.code.as_deref() != Some(c.as_str()) {
            failures.push(format!(
                "code: expected {c}, got {}",
                report.code.as_deref().unwrap_or("none")
            ));
        }
    }
    let rules = report.rules();
    for r in &expect.rules {
        if !rules.contains(&r.as_str()) {
            failures.push(format!(
                "rules: expected {r} in the audit, got [{}]",
                rules.join(", ")
            ));
        }
    }
    let upstream = report
        .upstream_body
        .as_deref()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    let client = String::from_utf8_lossy(&report.client_body);
    let reached = report.upstream_body.is_some();
    for s in &expect.upstream_contains {
        if !reached {
            failures.push(format!(
                "upstream_contains: {s:?}, but the request never reached the upstream"
            ));
        } else if !upstream.contains(s.as_str()) {
            failures.push(format!(
                "upstream_contains: {s:?} not in the upstream request"
            ));
        }
    }
    for s in &expect.upstream_excludes {
        if upstream.contains(s.as_str()) {
            failures.push(format!("upstream_excludes: {s:?} reached the upstream"));
        }
    }
    for s in &expect.client_contains {
        if !client.contains(s.as_str()) {
            failures.push(format!("client_contains: {s:?} not in the client response"));
        }
    }
    for s in &expect.client_excludes {
        if client.contains(s.as_str()) {
            failures.push(format!("client_excludes: {s:?} reached the client"));
        }
    }
    failures
}

/// One case's result.
#[derive(Debug)]
pub struct CaseResult {
    pub file: PathBuf,
    pub name: String,
    pub description: Option<String>,
    /// Why the case failed; empty when it passed. A case that cannot run fails with the reason.
    pub failures: Vec<String>,
    pub report: Option<ScanReport>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Every `*.json` case file under `dir` (recursively; `config.json` files are folder defaults,
/// not cases), in path order.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| format!("cannot read the folder {}: {e}", d.display()))?;
        for entry in entries {
            let p = entry
                .map_err(|e| format!("cannot read the folder {}: {e}", d.display()))?
                .path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json")
                && p.file_name().is_some_and(|n| n != "config.json")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The default config for a case: the nearest `config.json` in its folder or above, up to `root`.
fn folder_config(case: &Path, root: &Path) -> Option<PathBuf> {
    let mut dir = case.parent();
    while let Some(d) = dir {
        let candidate = d.join("config.json");
        if candidate.is_file() {
            return Some(candidate);
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    None
}

/// Runs one case file.
pub fn run_file(file: &Path, root: &Path) -> CaseResult {
    let fail = |name: String, why: String| CaseResult {
        file: file.to_path_buf(),
        name,
        description: None,
        failures: vec![why],
        report: None,
    };
    let fallback_name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return fail(fallback_name, format!("cannot read the case: {e}")),
    };
    let case = match CaseFile::parse(&text) {
        Ok(c) => c,
        Err(e) => {
            return fail(
                fallback_name,
                format!("not a valid case file ({e}); see `llm-warden test --help`"),
            )
        }
    };
    let config = match &case.config {
        Some(v) => serde_json::to_vec(v).unwrap_or_default(),
        None => match folder_config(file, root) {
            Some(p) => match config_source::load_one(&p) {
                Ok(found) => found.json,
                Err(e) => return fail(case.name.clone(), e),
            },
            None => b"{}".to_vec(),
        },
    };
    let policies = match Policies::from_json(&config) {
        Ok(p) => Arc::new(p),
        Err(e) => return fail(case.name.clone(), format!("config: {e}")),
    };
    let rec = match case.recording(&file.display().to_string()) {
        Ok(r) => r,
        Err(e) => return fail(case.name.clone(), e),
    };
    let split = match case.split {
        Some(n) if n > 0 => Split::Every(n),
        _ => Split::Every(usize::MAX),
    };
    let report = scan(&policies, &rec, &split);
    CaseResult {
        file: file.to_path_buf(),
        name: case.name.clone(),
        description: case.description.clone(),
        failures: check(&case.expect, &report),
        report: Some(report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_json() {
        let v: Value = serde_json::from_str(CASE_SCHEMA).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }

    #[test]
    fn parse_errors_name_the_field() {
        let rows: &[(&str, &str)] = &[
            (
                r#"{"name":"x","request":{"path":"/"},"expect":{"verdict":"maybe"}}"#,
                "expect.verdict",
            ),
            (
                r#"{"name":"x","request":{"path":"/"},"expect":{"verdict":"pass"},"extra":1}"#,
                "extra",
            ),
            (
                r#"{"name":"x","expect":{"verdict":"pass"}}"#,
                "missing field `request`",
            ),
        ];
        for (text, want) in rows {
            let err = CaseFile::parse(text).unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
