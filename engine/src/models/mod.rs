//! Model admission (OWASP LLM03): approved, pinned models only; no model changes via the gateway.
//!
//! CONTRACT (used by the exchange; keep these signatures):
//! - [`ModelsConfig`]: serde, `deny_unknown_fields`. `Default` admits every model but denies the
//!   model-changing endpoints.
//! - [`ModelPolicy::compile`] -> policy or [`ConfigError`] with the JSON path.
//! - [`ModelPolicy::admit`]: a requested model name -> allow / rewrite (alias) / deny.
//! - [`ModelPolicy::endpoint`]: method + path -> whether this is a model-changing or
//!   administrative endpoint and whether the policy allows it.
//! - [`ModelPolicy::listed`]: whether a model may appear in `/v1/models` or `/api/tags`.

use serde::Deserialize;

use crate::error::ConfigError;

/// How a model name is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelNaming {
    /// Ollama `[host/][namespace/]model[:tag]` with defaults `registry.ollama.ai`, `library`,
    /// `latest` (also used for OpenAI/Anthropic-compatible paths served by Ollama when the
    /// name looks like one).
    Ollama,
    /// OpenAI / Anthropic ids, compared as given (case-insensitively).
    Opaque,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ModelsConfig {
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelDecision {
    Allow,
    /// Allowed after rewriting the request's `model` to this name (an alias).
    Rewrite(String),
    Deny {
        /// `model_not_allowed` or `model_not_pinned`.
        code: &'static str,
        rule_id: String,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointDecision {
    /// Not a model-changing or administrative endpoint.
    NotAdmin,
    /// An administrative endpoint that the policy allows; if `model_checked` the body's model
    /// name must still pass [`ModelPolicy::admit`].
    Allowed { model_checked: bool },
    Deny { rule_id: String, message: String },
}

#[derive(Debug, Clone)]
pub struct ModelPolicy {
    allow: Vec<String>,
}

impl ModelPolicy {
    pub fn compile(cfg: &ModelsConfig, _path: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            allow: cfg.allow.clone(),
        })
    }

    pub fn admit(&self, model: &str, _naming: ModelNaming) -> ModelDecision {
        if self.allow.is_empty() || self.allow.iter().any(|a| a.eq_ignore_ascii_case(model)) {
            ModelDecision::Allow
        } else {
            ModelDecision::Deny {
                code: "model_not_allowed",
                rule_id: "models.allow".into(),
                message: format!("model {model} is not allowed"),
            }
        }
    }

    pub fn endpoint(&self, _method: &str, path: &str) -> EndpointDecision {
        const ADMIN: [&str; 5] = ["/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete"];
        if ADMIN.contains(&path) || path.starts_with("/api/blobs/") {
            EndpointDecision::Deny {
                rule_id: "models.admin_endpoints".into(),
                message: format!("{path} changes models and is not allowed through this gateway"),
            }
        } else {
            EndpointDecision::NotAdmin
        }
    }

    pub fn listed(&self, model: &str, naming: ModelNaming) -> bool {
        !matches!(self.admit(model, naming), ModelDecision::Deny { .. })
    }

    /// Allowed alternatives to name in a denial, if the policy permits disclosing them.
    pub fn alternatives(&self) -> Vec<String> {
        Vec::new()
    }
}
