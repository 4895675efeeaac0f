//! Tool-call governance (OWASP LLM06): which tools a model may be offered and may call, and
//! with which arguments.
//!
//! An agent's model chooses tool calls from text it has read, and that text may be written by an
//! attacker (indirect prompt injection). This module is the least-privilege check that sits
//! between the model and the tools, outside the model runtime. It is pure policy: the exchange
//! finds tool definitions in requests and tool calls in responses (streamed or not) and asks.
//!
//! Guarantees:
//! - deny wins over allow: a name matched by `deny` is refused whatever `allow` says;
//! - `deny` globs and argument-rule tool globs match case-insensitively (a restriction cannot be
//!   dodged by changing case); `allow` globs match exactly (a permission is never widened);
//! - a name that is empty, contains control characters or starts or ends with whitespace is
//!   refused under every policy;
//! - a name not matched by `allow` follows `default` (`allow` unless configured otherwise,
//!   because allowlists are explicit, see the README's configuration section);
//! - every decision carries a `rule_id` for audit (`tools.deny[1]`, `tools.default`,
//!   `tools.arguments[0]`, `tools.name`) and a reason that names the tool but never an argument
//!   value;
//! - deciding on a name never allocates unless the answer is a denial.
//!
//! ```
//! use llm_warden_engine::tools::{ToolDecision, ToolPolicy, ToolsConfig};
//! let cfg: ToolsConfig = serde_json::from_str(
//!     r#"{"default": "deny", "allow": ["search", "fs_read_*"], "deny": ["fs_read_secrets"]}"#,
//! ).unwrap();
//! let policy = ToolPolicy::compile(&cfg, "tools").unwrap();
//! assert_eq!(policy.check_name("fs_read_file"), ToolDecision::Allow);
//! assert!(matches!(policy.check_name("FS_READ_SECRETS"), ToolDecision::Deny { .. }));
//! assert!(matches!(policy.check_name("shell"), ToolDecision::Deny { .. }));
//! ```

pub mod arguments;
pub mod calls;
pub mod url_host;

use serde::Deserialize;

use self::arguments::{ArgumentRule, ArgumentRuleConfig};
use crate::error::{index, join, ConfigError};
use crate::glob::NameGlob;
use crate::json::parse_strict;
use crate::quote::quoted;

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
    /// Remove the definition from the request and forward the rest.
    #[default]
    Strip,
    /// Refuse the whole request.
    Reject,
}

/// What to do with a disallowed tool call in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ToolCallAction {
    /// End the response with an error in the API's own shape.
    #[default]
    Block,
    /// Drop the call and let the rest of the response through.
    Strip,
}

/// The `tools` section of the configuration (see `engine/schema/tools.schema.json`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ToolsConfig {
    /// Decision for names matched by neither `allow` nor `deny`.
    #[serde(default)]
    pub default: ToolDefault,
    /// Tool-name globs (`*`, `?`) that are allowed, matched exactly.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Tool-name globs that are denied, matched case-insensitively; deny wins.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Constraints on call arguments.
    #[serde(default)]
    pub arguments: Vec<ArgumentRuleConfig>,
    /// Maximum number of tool calls in one response.
    #[serde(default)]
    pub max_calls: Option<usize>,
    #[serde(default)]
    pub on_offered: OfferedToolAction,
    #[serde(default)]
    pub on_call: ToolCallAction,
    /// Decide, count and log, but let everything through.
    #[serde(default)]
    pub monitor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolDecision {
    Allow,
    /// Not allowed; `rule_id` names the rule for audit (e.g. `tools.deny[0]`, `tools.default`).
    Deny {
        rule_id: String,
        reason: String,
    },
}

impl ToolDecision {
    pub fn is_allow(&self) -> bool {
        matches!(self, Self::Allow)
    }
}

#[derive(Debug, Clone)]
pub struct ToolPolicy {
    /// Base path of the section (`tools`, `policies.x.tools`) for rule ids.
    path: String,
    default: ToolDefault,
    allow: Vec<NameGlob>,
    deny: Vec<NameGlob>,
    arguments: Vec<ArgumentRule>,
    max_calls: Option<usize>,
    on_offered: OfferedToolAction,
    on_call: ToolCallAction,
    monitor: bool,
}

impl ToolPolicy {
    pub fn compile(cfg: &ToolsConfig, path: &str) -> Result<Self, ConfigError> {
        let names = |list: &[String], field: &str| -> Result<Vec<NameGlob>, ConfigError> {
            let base = join(path, field);
            list.iter()
                .enumerate()
                .map(|(i, n)| {
                    if n.is_empty() {
                        Err(ConfigError::new(index(&base, i), "empty tool name"))
                    } else if n.chars().any(char::is_control) {
                        Err(ConfigError::new(
                            index(&base, i),
                            "control character in tool name",
                        ))
                    } else {
                        Ok(NameGlob::new(n))
                    }
                })
                .collect()
        };
        let allow = names(&cfg.allow, "allow")?;
        let deny = names(&cfg.deny, "deny")?;
        let args_base = join(path, "arguments");
        let arguments = cfg
            .arguments
            .iter()
            .enumerate()
            .map(|(i, r)| ArgumentRule::compile(r, &index(&args_base, i)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            path: path.to_string(),
            default: cfg.default,
            allow,
            deny,
            arguments,
            max_calls: cfg.max_calls,
            on_offered: cfg.on_offered,
            on_call: cfg.on_call,
            monitor: cfg.monitor,
        })
    }

    /// Decides on a tool name alone: as soon as it is known in a stream, and for each tool
    /// definition offered in a request.
    pub fn check_name(&self, name: &str) -> ToolDecision {
        // Clients that trim names would run ` shell` as `shell`, past a deny on `shell`.
        if name.is_empty() || name.chars().any(char::is_control) || name.trim() != name {
            return self.deny_with("name", "tool call without a valid name".to_string());
        }
        if let Some(i) = self.deny.iter().position(|d| d.matches_ignore_case(name)) {
            return ToolDecision::Deny {
                rule_id: index(&join(&self.path, "deny"), i),
                reason: format!("tool {} is denied", quoted(name)),
            };
        }
        if self.allow.iter().any(|a| a.matches(name)) || self.default == ToolDefault::Allow {
            return ToolDecision::Allow;
        }
        self.deny_with(
            "default",
            format!("tool {} is not in the allowlist", quoted(name)),
        )
    }

    /// True when calls to `name` have argument constraints, so a stream must hold the call's
    /// argument deltas until they are complete and then call [`Self::check_arguments`].
    pub fn has_argument_rules(&self, name: &str) -> bool {
        self.arguments.iter().any(|r| r.applies_to(name))
    }

    /// Decides on the complete arguments JSON text of a call (the name is checked separately by
    /// [`Self::check_name`]). Without rules for `name` the text is not even parsed. With rules,
    /// empty (or all-whitespace) text counts as `{}`, as some APIs send it for calls without
    /// arguments; text that is not valid JSON is denied.
    pub fn check_arguments(&self, name: &str, arguments_json: &str) -> ToolDecision {
        let Some(first) = self.arguments.iter().find(|r| r.applies_to(name)) else {
            return ToolDecision::Allow;
        };
        let text = arguments_json.trim();
        let parsed = if text.is_empty() {
            Ok(serde_json::Value::Object(serde_json::Map::new()))
        } else {
            parse_strict(text.as_bytes())
        };
        match parsed {
            Ok(value) => self.check_rules(name, &value),
            Err(e) => {
                // The only data error the strict parser raises is a repeated key.
                let what = if e.classify() == serde_json::error::Category::Data {
                    "repeat an object key"
                } else {
                    "are not valid JSON"
                };
                ToolDecision::Deny {
                    rule_id: first.rule_id.clone(),
                    reason: format!("tool {}: arguments {what}", quoted(name)),
                }
            }
        }
    }

    /// [`Self::check_arguments`] for arguments that arrive as a JSON object rather than text
    /// (Ollama `message.tool_calls[].function.arguments`, Anthropic `tool_use.input`). The
    /// caller's parser has already resolved any repeated keys, so prefer the text form when the
    /// raw bytes are at hand.
    pub fn check_arguments_value(&self, name: &str, arguments: &serde_json::Value) -> ToolDecision {
        self.check_rules(name, arguments)
    }

    fn check_rules(&self, name: &str, value: &serde_json::Value) -> ToolDecision {
        for rule in self.arguments.iter().filter(|r| r.applies_to(name)) {
            if let Err(failure) = rule.check(value) {
                let at = if rule.pointer().is_empty() {
                    "arguments".to_string()
                } else {
                    format!("argument {}", rule.pointer())
                };
                return ToolDecision::Deny {
                    rule_id: rule.rule_id.clone(),
                    reason: format!("tool {}: {at} {}", quoted(name), failure.describe()),
                };
            }
        }
        ToolDecision::Allow
    }

    /// Name and arguments together, for non-streamed calls.
    pub fn check_call(&self, name: &str, arguments_json: &str) -> ToolDecision {
        match self.check_name(name) {
            ToolDecision::Allow => self.check_arguments(name, arguments_json),
            deny => deny,
        }
    }

    /// Maximum tool calls per response, if limited. The exchange reports an excess with
    /// [`Self::max_calls_rule_id`].
    pub fn max_calls(&self) -> Option<usize> {
        self.max_calls
    }

    /// Rule id for a response that exceeds [`Self::max_calls`].
    pub fn max_calls_rule_id(&self) -> String {
        join(&self.path, "max_calls")
    }

    /// Decides on the `count`-th tool call of a response (1-based): denied once `count`
    /// exceeds `max_calls`.
    pub fn check_call_count(&self, count: usize) -> ToolDecision {
        match self.max_calls {
            Some(max) if count > max => ToolDecision::Deny {
                rule_id: self.max_calls_rule_id(),
                reason: format!("more than {max} tool calls in one response"),
            },
            _ => ToolDecision::Allow,
        }
    }

    pub fn on_offered(&self) -> OfferedToolAction {
        self.on_offered
    }

    pub fn on_call(&self) -> ToolCallAction {
        self.on_call
    }

    /// Monitor mode: decide, count and log, let through.
    pub fn monitor(&self) -> bool {
        self.monitor
    }

    fn deny_with(&self, field: &str, reason: String) -> ToolDecision {
        ToolDecision::Deny {
            rule_id: join(&self.path, field),
            reason,
        }
    }
}
