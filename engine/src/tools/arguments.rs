//! Argument constraints for tool calls (`tools.arguments`).
//!
//! A rule selects calls by tool-name glob and one value inside the call's arguments object by
//! JSON pointer (RFC 6901), then constrains that value: allow regexes (the whole value must
//! match one), deny regexes (no match anywhere), an enum, a maximum length in characters, and
//! allowed URL hosts. Guarantees:
//!
//! - every rule that selects a call must pass (deny wins; the first failing rule is reported);
//! - arguments that are not valid JSON, or that repeat an object key (parsers disagree on which
//!   copy wins, so a checked value could differ from the executed one), are refused whenever a
//!   rule selects the call;
//! - a string is checked as is; a number or boolean as its JSON text; every element of an array
//!   is checked on its own; an object or nested array is checked as its compact JSON text (so
//!   allow/enum/url constraints refuse it and deny regexes still see its contents); `null` counts
//!   as absent;
//! - denial reasons name the tool and the pointer, never the argument value.

use regex_lite::Regex;
use serde::Deserialize as DeriveDeserialize;
use serde_json::Value;

use super::url_host::{check_url, HostPattern};
use crate::error::{index, join, regex_message, ConfigError};
use crate::glob::NameGlob;

/// One entry of `tools.arguments` as written in the config.
#[derive(Debug, Clone, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgumentRuleConfig {
    /// Tool-name glob this rule applies to (matched case-insensitively, so a rule cannot be
    /// dodged by changing case).
    pub tool: String,
    /// JSON pointer into the arguments object; `""` is the whole object.
    pub pointer: String,
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub deny: Vec<String>,
    #[serde(default, rename = "enum")]
    pub enumeration: Option<Vec<String>>,
    #[serde(default)]
    pub max_length: Option<usize>,
    #[serde(default)]
    pub url_hosts: Option<Vec<String>>,
    /// Schemes admitted by `url_hosts` (default `http`, `https`).
    #[serde(default)]
    pub url_schemes: Option<Vec<String>>,
    /// Deny calls where the pointer resolves to nothing (or `null`). Default: true for a rule with
    /// `url_hosts` (a URL rule that an absent or misspelt key skips would admit any host under
    /// another key), false otherwise.
    #[serde(default)]
    pub required: Option<bool>,
}

/// A compiled argument rule.
#[derive(Debug, Clone)]
pub struct ArgumentRule {
    pub rule_id: String,
    tool: NameGlob,
    pointer: String,
    allow: Vec<Regex>,
    deny: Vec<Regex>,
    enumeration: Option<Vec<String>>,
    max_length: Option<usize>,
    url_hosts: Option<Vec<HostPattern>>,
    url_schemes: Vec<String>,
    required: bool,
}

/// Why a value failed a rule (pointer-level detail for the reason; never the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentFailure {
    Missing,
    NotAllowed,
    Denied,
    NotInEnum,
    TooLong,
    Url(&'static str),
}

impl ArgumentRule {
    pub fn compile(cfg: &ArgumentRuleConfig, path: &str) -> Result<Self, ConfigError> {
        if cfg.tool.is_empty() {
            return Err(ConfigError::new(join(path, "tool"), "empty tool name"));
        }
        validate_pointer(&cfg.pointer).map_err(|m| ConfigError::new(join(path, "pointer"), m))?;
        let allow = compile_regexes(&cfg.allow, &join(path, "allow"), true)?;
        let deny = compile_regexes(&cfg.deny, &join(path, "deny"), false)?;
        let url_hosts = match &cfg.url_hosts {
            None => None,
            Some(list) if list.is_empty() => {
                return Err(ConfigError::new(
                    join(path, "url_hosts"),
                    "an empty list admits no URL; list hosts or remove the key",
                ))
            }
            Some(list) => Some(
                list.iter()
                    .enumerate()
                    .map(|(i, h)| {
                        HostPattern::parse(h)
                            .map_err(|m| ConfigError::new(index(&join(path, "url_hosts"), i), m))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let url_schemes = match &cfg.url_schemes {
            None => vec!["http".to_string(), "https".to_string()],
            Some(_) if url_hosts.is_none() => {
                return Err(ConfigError::new(
                    join(path, "url_schemes"),
                    "url_schemes only applies together with url_hosts",
                ))
            }
            Some(list) => {
                let base = join(path, "url_schemes");
                let mut out = Vec::with_capacity(list.len());
                for (i, s) in list.iter().enumerate() {
                    let ok = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
                    if !ok {
                        return Err(ConfigError::new(index(&base, i), "not a URL scheme"));
                    }
                    out.push(s.to_ascii_lowercase());
                }
                if out.is_empty() {
                    return Err(ConfigError::new(base, "an empty list admits no URL"));
                }
                out
            }
        };
        let required = cfg.required.unwrap_or(url_hosts.is_some());
        let has_constraint = !allow.is_empty()
            || !deny.is_empty()
            || cfg.enumeration.is_some()
            || cfg.max_length.is_some()
            || url_hosts.is_some()
            || required;
        if !has_constraint {
            return Err(ConfigError::new(
                path,
                "rule constrains nothing: give allow, deny, enum, max_length, url_hosts or required",
            ));
        }
        Ok(Self {
            rule_id: path.to_string(),
            tool: NameGlob::new(&cfg.tool),
            pointer: cfg.pointer.clone(),
            allow,
            deny,
            enumeration: cfg.enumeration.clone(),
            max_length: cfg.max_length,
            url_hosts,
            url_schemes,
            required,
        })
    }

    /// Whether this rule selects calls to `tool`.
    pub fn applies_to(&self, tool: &str) -> bool {
        self.tool.matches_ignore_case(tool)
    }

    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// Checks the parsed arguments.
    pub fn check(&self, arguments: &Value) -> Result<(), ArgumentFailure> {
        match arguments.pointer(&self.pointer) {
            None | Some(Value::Null) => {
                if self.required {
                    Err(ArgumentFailure::Missing)
                } else {
                    Ok(())
                }
            }
            Some(Value::Array(items)) => items.iter().try_for_each(|v| self.check_scalar(v)),
            Some(v) => self.check_scalar(v),
        }
    }

    fn check_scalar(&self, value: &Value) -> Result<(), ArgumentFailure> {
        let owned;
        let text: &str = match value {
            Value::String(s) => s,
            other => {
                owned = other.to_string();
                &owned
            }
        };
        if let Some(max) = self.max_length {
            // Count characters but stop as soon as the bound is exceeded.
            if text.chars().nth(max).is_some() {
                return Err(ArgumentFailure::TooLong);
            }
        }
        if self.deny.iter().any(|r| r.is_match(text)) {
            return Err(ArgumentFailure::Denied);
        }
        if !self.allow.is_empty() && !self.allow.iter().any(|r| r.is_match(text)) {
            return Err(ArgumentFailure::NotAllowed);
        }
        if let Some(values) = &self.enumeration {
            if !values.iter().any(|e| e == text) || !value.is_string() {
                return Err(ArgumentFailure::NotInEnum);
            }
        }
        if let Some(hosts) = &self.url_hosts {
            if !value.is_string() {
                return Err(ArgumentFailure::Url("is not a URL string"));
            }
            check_url(text, &self.url_schemes, hosts)
                .map_err(|r| ArgumentFailure::Url(r.describe()))?;
        }
        Ok(())
    }
}

impl ArgumentFailure {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Missing => "is required but missing",
            Self::NotAllowed => "does not match any allowed pattern",
            Self::Denied => "matches a denied pattern",
            Self::NotInEnum => "is not one of the allowed values",
            Self::TooLong => "is longer than allowed",
            Self::Url(why) => why,
        }
    }
}

/// RFC 6901: `""` or `/`-separated reference tokens where `~` is only followed by `0` or `1`.
fn validate_pointer(pointer: &str) -> Result<(), String> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err("must be empty or start with \"/\" (RFC 6901 JSON pointer)".into());
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Err("\"~\" must be followed by 0 or 1 (RFC 6901 escape)".into());
        }
    }
    Ok(())
}

/// Allow regexes must match the whole value (implicitly anchored): an unanchored allowlist
/// regex such as `/tmp/.*` would otherwise admit `/etc/passwd#/tmp/x`.
fn compile_regexes(
    sources: &[String],
    path: &str,
    anchored: bool,
) -> Result<Vec<Regex>, ConfigError> {
    sources
        .iter()
        .enumerate()
        .map(|(i, src)| {
            let at = index(path, i);
            // Compile as written first so errors point at the operator's text, not our wrapper.
            let plain =
                Regex::new(src).map_err(|e| ConfigError::new(at.clone(), regex_message(&e)))?;
            if anchored {
                Regex::new(&format!("^(?:{src})$"))
                    .map_err(|e| ConfigError::new(at, regex_message(&e)))
            } else {
                Ok(plain)
            }
        })
        .collect()
}
