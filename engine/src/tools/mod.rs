//! Tool-call governance (OWASP LLM06): which tools a model may be offered and may call.
//!
//! CONTRACT (used by the exchange; keep these signatures):
//! - [`ToolsConfig`]: serde, `deny_unknown_fields`. `Default` allows every tool (allowlists are
//!   explicit, see DESIGN.md).
//! - [`ToolPolicy::compile`] -> policy or [`ConfigError`] with the JSON path.
//! - [`ToolPolicy::check_name`] decides as soon as a tool name is known (streams).
//! - [`ToolPolicy::check_arguments`] decides on the complete arguments JSON text.

use serde::Deserialize;

use crate::error::ConfigError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ToolDefault {
    #[default]
    Allow,
    Deny,
}

/// What to do with offered tool definitions the policy does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OfferedToolAction {
    #[default]
    Strip,
    Reject,
}

/// What to do with a disallowed tool call in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ToolCallAction {
    #[default]
    Block,
    Strip,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ToolsConfig {
    #[serde(default)]
    pub default: ToolDefault,
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub deny: Vec<String>,
    #[serde(default)]
    pub on_offered: OfferedToolAction,
    #[serde(default)]
    pub on_call: ToolCallAction,
    #[serde(default)]
    pub monitor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolDecision {
    Allow,
    /// Not allowed; `rule_id` names the rule for audit (e.g. `tools.deny[0]`, `tools.default`).
    Deny { rule_id: String, reason: String },
}

#[derive(Debug, Clone)]
pub struct ToolPolicy {
    cfg: ToolsConfig,
}

impl ToolPolicy {
    pub fn compile(cfg: &ToolsConfig, _path: &str) -> Result<Self, ConfigError> {
        Ok(Self { cfg: cfg.clone() })
    }

    pub fn check_name(&self, name: &str) -> ToolDecision {
        if let Some(i) = self.cfg.deny.iter().position(|d| d == name) {
            return ToolDecision::Deny {
                rule_id: format!("tools.deny[{i}]"),
                reason: format!("tool {name} is denied"),
            };
        }
        if self.cfg.allow.iter().any(|a| a == name) || self.cfg.default == ToolDefault::Allow {
            return ToolDecision::Allow;
        }
        ToolDecision::Deny {
            rule_id: "tools.default".into(),
            reason: format!("tool {name} is not in the allowlist"),
        }
    }

    /// True when calls to `name` have argument constraints, so a stream must hold the call's
    /// argument deltas until they are complete.
    pub fn has_argument_rules(&self, _name: &str) -> bool {
        false
    }

    pub fn check_arguments(&self, _name: &str, _arguments_json: &str) -> ToolDecision {
        ToolDecision::Allow
    }

    /// Maximum tool calls per response, if limited.
    pub fn max_calls(&self) -> Option<usize> {
        None
    }

    pub fn on_offered(&self) -> OfferedToolAction {
        self.cfg.on_offered
    }

    pub fn on_call(&self) -> ToolCallAction {
        self.cfg.on_call
    }

    /// Monitor mode: decide, count and log, let through.
    pub fn monitor(&self) -> bool {
        self.cfg.monitor
    }
}
