//! The configuration document: parse, then compile into an immutable [`Policies`].
//!
//! One JSON document configures everything (Envoy `configuration`, Istio `pluginConfig`, Envoy
//! Gateway `config`, the ext_proc server's file). `{}` is the secure default. Unknown fields and bad
//! values are refused with the JSON path of the problem. Named policies can be selected per request
//! (path prefix, authority, a header such as the caller identity set by the mesh) because Envoy
//! gives wasm filters no per-route configuration.

use std::collections::BTreeMap;

use serde::Deserialize;

pub mod read;

use crate::error::{index, join, ConfigError, ConfigErrorKind};
use crate::injection::{InjectionConfig, InjectionDetector};
use crate::mcp::{McpConfig, McpPolicy};
use crate::models::{ModelPolicy, ModelsConfig};
use crate::secrets::{SecretScanner, SecretsConfig};
use crate::tools::{ToolPolicy, ToolsConfig};

/// Global enforcement mode: `monitor` decides, counts and logs, but lets traffic through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Enforce,
    Monitor,
}

/// What to do when a limit is exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnLimit {
    #[default]
    Block,
    Pass,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest request body held for inspection, media payloads included (default 32 MiB).
    #[serde(default = "default_max_request")]
    pub max_request_body_bytes: usize,
    /// Most text inspected in one request: the sum of the texts the model reads (prompts,
    /// messages, tool results and definitions), media payloads (base64 images, audio, PDFs) not
    /// counted (default 1 MiB).
    #[serde(default = "default_max_inspected_text")]
    pub max_inspected_text_bytes: usize,
    /// Work budget: units of detector work allowed per byte inspected (bytes examined, regex
    /// attempts, rewrites; see `budget`). A request may spend this times its body length (at
    /// least 4 KiB, at most `max_inspected_text_bytes`); a response earns it per byte received.
    /// Running out fails closed (default 64).
    #[serde(default = "default_work_units_per_byte")]
    pub work_units_per_byte: u64,
    /// Work units of request inspection done in the first engine call (units stand for time,
    /// about half a nanosecond natively each; see `budget::slice_clock`): a request needing more
    /// is inspected in slices (`Action::Yield`, then `Exchange::resume`), so the wasm filter
    /// gives its worker back to the proxy between them. The default (6 Mi units, ~3 ms
    /// natively) lets a 64 KiB chat request finish in one call; where the slices end changes
    /// nothing that is decided.
    #[serde(default = "default_slice_work_units")]
    pub slice_work_units: u64,
    /// Work units of each later slice of a request's inspection (`Exchange::resume`). Shorter
    /// than the first: a request served on the same worker meanwhile may wait for a slice at
    /// each turn of the proxy's event loop (default 1 Mi units, ~0.5 ms natively).
    #[serde(default = "default_resume_work_units")]
    pub resume_work_units: u64,
    /// Largest non-streamed response body buffered for inspection (default 4 MiB).
    #[serde(default = "default_max_response")]
    pub max_response_body_bytes: usize,
    /// Largest partial SSE event / NDJSON line kept across chunks (default 256 KiB).
    #[serde(default = "default_max_frame")]
    pub max_frame_bytes: usize,
    /// Most bytes one response stream may hold back at once: text held while it could still be
    /// a secret, tool calls held for their argument rules, and the frames waiting with them
    /// (default 1 MiB). Beyond it the stream ends with the protocol's error.
    #[serde(default = "default_max_held")]
    pub max_held_bytes: usize,
    /// Largest JSON nesting depth accepted in a body (default 64).
    #[serde(default = "default_max_depth")]
    pub max_json_depth: usize,
    #[serde(default)]
    pub on_limit: OnLimit,
}

fn default_max_request() -> usize {
    32 << 20
}
fn default_max_inspected_text() -> usize {
    1 << 20
}
fn default_work_units_per_byte() -> u64 {
    64
}
fn default_slice_work_units() -> u64 {
    6 << 20
}
fn default_resume_work_units() -> u64 {
    1 << 20
}
fn default_max_response() -> usize {
    4 << 20
}
fn default_max_frame() -> usize {
    256 << 10
}
fn default_max_held() -> usize {
    1 << 20
}
fn default_max_depth() -> usize {
    64
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_request_body_bytes: default_max_request(),
            max_inspected_text_bytes: default_max_inspected_text(),
            work_units_per_byte: default_work_units_per_byte(),
            slice_work_units: default_slice_work_units(),
            resume_work_units: default_resume_work_units(),
            max_response_body_bytes: default_max_response(),
            max_frame_bytes: default_max_frame(),
            max_held_bytes: default_max_held(),
            max_json_depth: default_max_depth(),
            on_limit: OnLimit::Block,
        }
    }
}

/// The sections a named policy may override.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    pub mode: Option<Mode>,
    pub prompt_injection: Option<InjectionConfig>,
    pub secrets: Option<SecretsConfig>,
    pub tools: Option<ToolsConfig>,
    pub models: Option<ModelsConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMatch {
    pub name: String,
    /// Exact value; absent means "header present".
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RouteMatch {
    pub path_prefix: Option<String>,
    pub authority: Option<String>,
    pub header: Option<HeaderMatch>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    #[serde(rename = "match", default)]
    pub matcher: RouteMatch,
    pub policy: String,
}

/// The whole document.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub prompt_injection: InjectionConfig,
    #[serde(default)]
    pub secrets: SecretsConfig,
    #[serde(default)]
    pub tools: ToolsConfig,
    #[serde(default)]
    pub models: ModelsConfig,
    /// Named policies; sections they leave out are inherited from the top level.
    #[serde(default)]
    pub policies: BTreeMap<String, PolicyConfig>,
    /// First matching route picks a named policy; none matching means the top-level policy.
    #[serde(default)]
    pub routes: Vec<RouteConfig>,
    /// Which routes carry MCP (Model Context Protocol) traffic, and how it is governed.
    #[serde(default)]
    pub mcp: McpConfig,
}

/// One compiled policy, read-only on the request path.
#[derive(Debug)]
pub struct Policy {
    pub name: String,
    pub mode: Mode,
    pub injection: InjectionDetector,
    pub secrets: SecretScanner,
    pub tools: ToolPolicy,
    pub models: ModelPolicy,
}

#[derive(Debug)]
struct CompiledRoute {
    matcher: RouteMatch,
    policy: usize,
}

/// Everything the engine needs, compiled once per VM.
#[derive(Debug)]
pub struct Policies {
    pub limits: LimitsConfig,
    pub mcp: McpPolicy,
    /// `policies[0]` is the top-level (default) policy.
    policies: Vec<Policy>,
    routes: Vec<CompiledRoute>,
}

impl RouteMatch {
    /// Whether every condition given holds for the request.
    pub fn matches(&self, key: &RequestKey<'_>) -> bool {
        if let Some(p) = &self.path_prefix {
            if !key.path.starts_with(p.as_str()) {
                return false;
            }
        }
        if let Some(a) = &self.authority {
            if !key.authority.eq_ignore_ascii_case(a) {
                return false;
            }
        }
        if let Some(h) = &self.header {
            let found = key
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&h.name));
            match (found, &h.value) {
                (None, _) => return false,
                (Some((_, v)), Some(want)) if v != want => return false,
                _ => {}
            }
        }
        true
    }
}

/// Request attributes used to pick a policy.
pub struct RequestKey<'a> {
    pub path: &'a str,
    pub authority: &'a str,
    pub headers: &'a [(String, String)],
}

impl Policies {
    /// Parses and compiles a configuration document. An empty document means `{}`.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ConfigError> {
        let trimmed = bytes.trim_ascii();
        let doc = if trimmed.is_empty() { b"{}" } else { trimmed };
        let value: serde_json::Value = serde_json::from_slice(doc).map_err(|e| {
            ConfigError::new(".", format!("not valid JSON: {e}")).of_kind(ConfigErrorKind::Syntax)
        })?;
        let cfg: Config = read::from_value(&value).map_err(|(path, e)| {
            let message = e.to_string();
            // serde's wording for a required field that is absent (`de::Error::missing_field`).
            let kind = if message.starts_with("missing field") {
                ConfigErrorKind::MissingField
            } else {
                ConfigErrorKind::Invalid
            };
            ConfigError::new(path, message).of_kind(kind)
        })?;
        Self::compile(&cfg)
    }

    pub fn compile(cfg: &Config) -> Result<Self, ConfigError> {
        let limits = cfg.limits.clone();
        if limits.max_request_body_bytes == 0 {
            return Err(ConfigError::new(
                "limits.max_request_body_bytes",
                "must be greater than 0",
            ));
        }
        if limits.max_inspected_text_bytes == 0 {
            return Err(ConfigError::new(
                "limits.max_inspected_text_bytes",
                "must be greater than 0",
            ));
        }
        if limits.work_units_per_byte == 0 {
            return Err(ConfigError::new(
                "limits.work_units_per_byte",
                "must be greater than 0",
            ));
        }
        if limits.slice_work_units == 0 {
            return Err(ConfigError::new(
                "limits.slice_work_units",
                "must be greater than 0",
            ));
        }
        if limits.resume_work_units == 0 {
            return Err(ConfigError::new(
                "limits.resume_work_units",
                "must be greater than 0",
            ));
        }
        if limits.max_json_depth == 0 {
            return Err(ConfigError::new(
                "limits.max_json_depth",
                "must be greater than 0",
            ));
        }
        let top = Policy {
            name: "default".into(),
            mode: cfg.mode,
            injection: InjectionDetector::compile(&cfg.prompt_injection, "prompt_injection")?,
            secrets: SecretScanner::compile(&cfg.secrets, "secrets")?,
            tools: ToolPolicy::compile(&cfg.tools, "tools")?,
            models: ModelPolicy::compile(&cfg.models, "models")?,
        };
        let mut policies = vec![top];
        let mut names = Vec::new();
        for (name, p) in &cfg.policies {
            let base = join("policies", name);
            policies.push(Policy {
                name: name.clone(),
                mode: p.mode.unwrap_or(cfg.mode),
                injection: InjectionDetector::compile(
                    p.prompt_injection.as_ref().unwrap_or(&cfg.prompt_injection),
                    &join(&base, "prompt_injection"),
                )?,
                secrets: SecretScanner::compile(
                    p.secrets.as_ref().unwrap_or(&cfg.secrets),
                    &join(&base, "secrets"),
                )?,
                tools: ToolPolicy::compile(
                    p.tools.as_ref().unwrap_or(&cfg.tools),
                    &join(&base, "tools"),
                )?,
                models: ModelPolicy::compile(
                    p.models.as_ref().unwrap_or(&cfg.models),
                    &join(&base, "models"),
                )?,
            });
            names.push(name.as_str());
        }
        let mut routes = Vec::new();
        for (i, r) in cfg.routes.iter().enumerate() {
            let path = index("routes", i);
            let pos = names.iter().position(|n| *n == r.policy).ok_or_else(|| {
                ConfigError::new(
                    join(&path, "policy"),
                    format!("no policy named {:?} in `policies`", r.policy),
                )
            })?;
            if let Some(h) = &r.matcher.header {
                if h.name.is_empty() {
                    return Err(ConfigError::new(
                        join(&join(&join(&path, "match"), "header"), "name"),
                        "empty header name",
                    ));
                }
            }
            routes.push(CompiledRoute {
                matcher: r.matcher.clone(),
                policy: pos + 1,
            });
        }
        Ok(Self {
            limits,
            mcp: McpPolicy::compile(&cfg.mcp, "mcp")?,
            policies,
            routes,
        })
    }

    /// The policy for a request: the first route that matches, else the top-level policy.
    pub fn select(&self, key: &RequestKey<'_>) -> usize {
        self.routes
            .iter()
            .find(|r| r.matcher.matches(key))
            .map_or(0, |r| r.policy)
    }

    pub fn policy(&self, i: usize) -> &Policy {
        self.policies
            .get(i)
            .unwrap_or_else(|| self.default_policy())
    }

    pub fn default_policy(&self) -> &Policy {
        // `policies` always holds the top-level policy at 0; `compile` is the only constructor.
        #[allow(clippy::indexing_slicing)]
        &self.policies[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let rows: &[(&str, &str, &str)] = &[
            ("unknown top-level field", r#"{"nope": 1}"#, ""),
            (
                "unknown section field",
                r#"{"limits": {"max": 1}}"#,
                "limits.max",
            ),
            (
                "zero limit",
                r#"{"limits": {"max_request_body_bytes": 0}}"#,
                "limits.max_request_body_bytes",
            ),
            (
                "route to a missing policy",
                r#"{"routes": [{"policy": "x"}]}"#,
                "routes[0].policy",
            ),
            ("not JSON", r#"{"#, "."),
            // REGRESSION: serde's structs accept arrays, so these used to load as `{}`.
            ("section as an array", r#"{"tools": []}"#, "tools"),
            (
                "policy section as an array",
                r#"{"policies": {"a": {"models": [1]}}}"#,
                "policies.a.models",
            ),
            (
                "rule as an array",
                r#"{"secrets": {"rules": [[]]}}"#,
                "secrets.rules[0]",
            ),
            ("document as an array", r#"[]"#, "."),
        ];
        for (name, doc, want_path) in rows {
            let err = Policies::from_json(doc.as_bytes()).expect_err(name);
            if want_path.is_empty() {
                assert!(err.message.contains("unknown field"), "{name}: {err}");
            } else {
                assert_eq!(err.path, *want_path, "{name}: {err}");
            }
        }
    }

    #[test]
    fn errors_say_their_kind() {
        use crate::error::ConfigErrorKind::{Invalid, MissingField, Syntax};
        let rows = [
            ("not JSON", "{", Syntax),
            ("truncated", r#"{"mode": "#, Syntax),
            ("required field absent", r#"{"routes": [{}]}"#, MissingField),
            ("unknown field", r#"{"nope": 1}"#, Invalid),
            (
                "bad value",
                r#"{"limits": {"max_request_body_bytes": 0}}"#,
                Invalid,
            ),
            ("document as an array", "[]", Invalid),
        ];
        for (name, doc, kind) in rows {
            let err = Policies::from_json(doc.as_bytes()).expect_err(name);
            assert_eq!(err.kind, kind, "{name}: {err}");
        }
    }

    #[test]
    fn empty_and_default_documents_load() {
        for doc in ["", "{}", " {} "] {
            assert!(Policies::from_json(doc.as_bytes()).is_ok(), "{doc:?}");
        }
    }
}
