//! Model admission (OWASP LLM03): approved, pinned models only; no model changes via the gateway.
//!
//! Whoever can choose the model chooses the weights that answer, and an unvetted or silently
//! re-tagged model is a supply-chain risk. This module decides, for a requested model name,
//! whether it is admitted as is, rewritten (an approved alias to its pinned target) or refused;
//! whether a request addresses an Ollama administrative endpoint; and which models may be
//! listed by `/v1/models` or `/api/tags`.
//!
//! Guarantees:
//! - names are compared the way the upstream reads them: Ollama names through [`ModelRef`]
//!   (defaults and case folded), OpenAI/Anthropic ids as given, ignoring case;
//! - on the OpenAI and Anthropic paths ([`ModelNaming::Compatible`]), which Ollama serves too,
//!   a name is read both ways, because the gateway cannot know which kind of upstream answers:
//!   - `deny` refuses it if an entry matches either reading (`llama3.2` is refused by
//!     `deny: ["llama3.2:latest"]`, since Ollama runs it as `llama3.2:latest`; a deny entry
//!     such as `*:latest` therefore refuses every id without a tag on these paths);
//!   - `allow` must match the name as it is written: an Ollama reading when the name has a tag
//!     (`llama3.2:3b`, `library/llama3.2:3b`), the literal id otherwise, so the Ollama glob
//!     `llama3.2:*` does not admit `llama3.2` (reading one way only can only refuse more);
//!   - the Ollama-only checks (`require_pinned` on tags, `tag_patterns`) also apply to the
//!     Ollama reading of an id without a tag (`:latest`), unless an `allow` entry names that id
//!     exactly, without a glob: listing a dated snapshot (`gpt-4o-2024-08-06`) is how an
//!     operator vouches for a provider id the gateway cannot otherwise verify. So under
//!     `require_pinned`, an id admitted by a glob or by an empty `allow` is refused as floating;
//!   - a name with a `:` that is not an Ollama name (`ft:gpt-4o:org::abc`) is an opaque id;
//! - deny wins over allow and over tag checks; an empty `allow` admits every model not denied;
//! - with `require_pinned`, a name without a tag or with a floating tag (`floating_tags`,
//!   default `latest`) is refused with code `model_not_pinned`; an opaque id counts as floating
//!   when it is, or ends in `-`/`:`/`@` followed by, a floating tag (`claude-3-5-sonnet-latest`);
//!   other opaque ids cannot be verified and count as pinned (list dated snapshots in `allow`);
//! - an alias is looked up before allow and deny (it is not a model; what the upstream loads is
//!   its target) and rewritten only to a target that passes the same policy in the same naming;
//!   a target that no naming admits is a configuration error;
//! - names that do not parse (empty, `..`, too many parts, non-ASCII for Ollama) are refused;
//! - denial messages name the requested model (escaped, bounded) and, when
//!   `disclose_alternatives` is on, the allowed ones.
//!
//! ```
//! use llm_warden_engine::models::{ModelDecision, ModelNaming, ModelPolicy, ModelsConfig};
//! let cfg: ModelsConfig = serde_json::from_str(
//!     r#"{"allow": ["llama3.2:*"], "require_pinned": true, "aliases": {"fast": "llama3.2:3b"}}"#,
//! ).unwrap();
//! let policy = ModelPolicy::compile(&cfg, "models").unwrap();
//! assert_eq!(policy.admit("library/Llama3.2:3B", ModelNaming::Ollama), ModelDecision::Allow);
//! assert_eq!(policy.admit("fast", ModelNaming::Ollama), ModelDecision::Rewrite("llama3.2:3b".into()));
//! assert!(matches!(
//!     policy.admit("llama3.2", ModelNaming::Ollama),
//!     ModelDecision::Deny { code: "model_not_pinned", .. }
//! ));
//! ```

pub mod admin;
pub mod model_ref;
pub mod pattern;

use std::collections::BTreeMap;

use regex_lite::Regex;
use serde::Deserialize;

use self::model_ref::split_digest;
pub use self::model_ref::{ModelNameError, ModelRef};
use self::pattern::{ModelPattern, RequestedModel};
use crate::error::{index, join, regex_message, ConfigError};
use crate::quote::quoted;

/// Stable codes of model denials.
pub const MODEL_NOT_ALLOWED: &str = "model_not_allowed";
pub const MODEL_NOT_PINNED: &str = "model_not_pinned";

/// How a model name is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelNaming {
    /// Ollama `[host/][namespace/]model[:tag]` with defaults `registry.ollama.ai`, `library`,
    /// `latest`: the naming of Ollama's native paths.
    Ollama,
    /// OpenAI / Anthropic ids, compared as given (case-insensitively).
    Opaque,
    /// A path that more than one kind of upstream serves (the OpenAI and Anthropic shapes,
    /// which Ollama serves too): the name is read both ways (see the module docs).
    Compatible,
}

impl ModelNaming {
    /// The naming in which a name is written: `Compatible` reads a name with a `:` that parses
    /// as an Ollama name the Ollama way, anything else as an opaque id.
    fn written(self, model: &str) -> ModelNaming {
        match self {
            ModelNaming::Compatible => {
                if model.contains(':') && ModelRef::parse(model).is_ok() {
                    ModelNaming::Ollama
                } else {
                    ModelNaming::Opaque
                }
            }
            other => other,
        }
    }
}

/// The `models` section of the configuration (see `engine/schema/models.schema.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelsConfig {
    /// Admitted models (names or globs); empty admits every model not denied.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Refused models (names or globs); deny wins.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Refuse names without a tag or with a floating tag.
    #[serde(default)]
    pub require_pinned: bool,
    /// Tags that float (move to new content); default `["latest"]`.
    #[serde(default = "default_floating_tags")]
    pub floating_tags: Vec<String>,
    /// Regexes of which an Ollama tag must match one (e.g. a quantisation `q4_K_M$`),
    /// case-insensitively.
    #[serde(default)]
    pub tag_patterns: Vec<String>,
    /// Approved short name -> pinned name; requests naming the alias are rewritten.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Name the allowed models in denial messages.
    #[serde(default = "yes")]
    pub disclose_alternatives: bool,
    /// Administrative endpoints allowed through (`/api/pull`, `/api/blobs/*`, ...).
    #[serde(default)]
    pub allow_admin: Vec<String>,
}

fn default_floating_tags() -> Vec<String> {
    vec!["latest".to_string()]
}

fn yes() -> bool {
    true
}

impl Default for ModelsConfig {
    fn default() -> Self {
        Self {
            allow: Vec::new(),
            deny: Vec::new(),
            require_pinned: false,
            floating_tags: default_floating_tags(),
            tag_patterns: Vec::new(),
            aliases: BTreeMap::new(),
            disclose_alternatives: true,
            allow_admin: Vec::new(),
        }
    }
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
    /// An administrative endpoint that the policy allows. The values of these body fields
    /// (Ollama naming) must still pass [`ModelPolicy::admit`]: e.g. `model`/`name`/`from` for
    /// `/api/create`, `source`/`destination` for `/api/copy`; none for `/api/blobs/*`.
    Allowed {
        model_fields: &'static [&'static str],
    },
    Deny {
        rule_id: String,
        message: String,
    },
}

#[derive(Debug, Clone)]
struct Alias {
    /// As written in the config, for listing.
    name: String,
    ollama_key: Option<OwnedModelRef>,
    /// Decision for a request naming the alias, per naming.
    as_ollama: ModelDecision,
    as_opaque: ModelDecision,
    as_compatible: ModelDecision,
}

#[derive(Debug, Clone)]
struct OwnedModelRef {
    host: String,
    namespace: String,
    model: String,
    tag: String,
}

impl OwnedModelRef {
    fn is(&self, r: &ModelRef<'_>) -> bool {
        r.digest.is_none()
            && self.host.eq_ignore_ascii_case(r.host)
            && self.namespace.eq_ignore_ascii_case(r.namespace)
            && self.model.eq_ignore_ascii_case(r.model)
            && self.tag.eq_ignore_ascii_case(r.tag)
    }
}

#[derive(Debug, Clone)]
pub struct ModelPolicy {
    path: String,
    allow: Vec<ModelPattern>,
    deny: Vec<ModelPattern>,
    require_pinned: bool,
    floating_tags: Vec<String>,
    tag_patterns: Vec<Regex>,
    aliases: Vec<Alias>,
    alternatives: Vec<String>,
    /// `"; allowed models: a, b"`, or empty when not disclosed.
    alternatives_suffix: String,
    /// Per entry of [`admin::ADMIN_ENDPOINTS`]: allowed by `allow_admin`.
    admin_allowed: Vec<bool>,
}

/// Longest opaque id admitted; provider ids (even Bedrock ARNs) are far shorter.
const OPAQUE_MAX: usize = 512;
/// Alternatives named in a denial message at most.
const ALTERNATIVES_SHOWN: usize = 16;

impl ModelPolicy {
    pub fn compile(cfg: &ModelsConfig, path: &str) -> Result<Self, ConfigError> {
        let patterns = |list: &[String], field: &str| -> Result<Vec<ModelPattern>, ConfigError> {
            let base = join(path, field);
            list.iter()
                .enumerate()
                .map(|(i, e)| {
                    ModelPattern::compile(e).map_err(|m| ConfigError::new(index(&base, i), m))
                })
                .collect()
        };
        let allow = patterns(&cfg.allow, "allow")?;
        let deny = patterns(&cfg.deny, "deny")?;
        let mut floating_tags = Vec::with_capacity(cfg.floating_tags.len());
        for (i, t) in cfg.floating_tags.iter().enumerate() {
            if t.is_empty()
                || t.contains(['*', '?', ':', '/', '@'])
                || t.chars().any(char::is_whitespace)
            {
                return Err(ConfigError::new(
                    index(&join(path, "floating_tags"), i),
                    "a floating tag is a plain tag such as latest",
                ));
            }
            floating_tags.push(t.to_ascii_lowercase());
        }
        let tag_patterns = cfg
            .tag_patterns
            .iter()
            .enumerate()
            .map(|(i, src)| {
                Regex::new(&format!("(?i:{src})"))
                    .or_else(|_| Regex::new(src))
                    .map_err(|e| {
                        ConfigError::new(index(&join(path, "tag_patterns"), i), regex_message(&e))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let admin_base = join(path, "allow_admin");
        let mut admin_allowed = vec![false; admin::ADMIN_ENDPOINTS.len()];
        for (i, entry) in cfg.allow_admin.iter().enumerate() {
            let pos = admin::find_config_entry(entry).ok_or_else(|| {
                let known: Vec<&str> = admin::ADMIN_ENDPOINTS.iter().map(|e| e.path).collect();
                ConfigError::new(
                    index(&admin_base, i),
                    format!(
                        "{} is not an administrative endpoint (known: {})",
                        quoted(entry),
                        known.join(", ")
                    ),
                )
            })?;
            if let Some(slot) = admin_allowed.get_mut(pos) {
                *slot = true;
            }
        }
        let mut policy = Self {
            path: path.to_string(),
            allow,
            deny,
            require_pinned: cfg.require_pinned,
            floating_tags,
            tag_patterns,
            aliases: Vec::new(),
            alternatives: Vec::new(),
            alternatives_suffix: String::new(),
            admin_allowed,
        };
        // Alternatives: alias names first (what users should type), then allow entries.
        let mut alternatives: Vec<String> = cfg.aliases.keys().cloned().collect();
        for a in &cfg.allow {
            if !alternatives.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                alternatives.push(a.clone());
            }
        }
        if cfg.disclose_alternatives && !alternatives.is_empty() {
            let shown: Vec<&str> = alternatives
                .iter()
                .take(ALTERNATIVES_SHOWN)
                .map(String::as_str)
                .collect();
            let more = if alternatives.len() > ALTERNATIVES_SHOWN {
                ", ..."
            } else {
                ""
            };
            policy.alternatives_suffix = format!("; allowed models: {}{more}", shown.join(", "));
            policy.alternatives = alternatives;
        }
        let alias_base = join(path, "aliases");
        for (name, target) in &cfg.aliases {
            let at = join(&alias_base, name);
            policy
                .aliases
                .push(policy.compile_alias(name, target, &at)?);
        }
        Ok(policy)
    }

    fn compile_alias(&self, name: &str, target: &str, at: &str) -> Result<Alias, ConfigError> {
        if name.is_empty()
            || name.contains(['*', '?'])
            || name.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(ConfigError::new(
                at,
                "an alias is a plain name (no globs, no whitespace)",
            ));
        }
        if target.contains(['*', '?']) {
            return Err(ConfigError::new(
                at,
                format!("target {target} is a glob, not a model"),
            ));
        }
        let decide = |naming| match self.admit_name(target, naming) {
            ModelDecision::Allow => ModelDecision::Rewrite(target.to_string()),
            ModelDecision::Deny { code, .. } => ModelDecision::Deny {
                code,
                rule_id: at.to_string(),
                message: format!(
                    "model {} is an alias of {target}, which this policy does not admit here{}",
                    quoted(name),
                    self.alternatives_suffix
                ),
            },
            rewrite @ ModelDecision::Rewrite(_) => rewrite,
        };
        let as_ollama = decide(ModelNaming::Ollama);
        let as_opaque = decide(ModelNaming::Opaque);
        let as_compatible = decide(ModelNaming::Compatible);
        if let (ModelDecision::Deny { .. }, ModelDecision::Deny { .. }) = (&as_ollama, &as_opaque) {
            // Report the reason in the naming the target looks like.
            let naming = if ModelRef::parse(target).is_ok() {
                ModelNaming::Ollama
            } else {
                ModelNaming::Opaque
            };
            let why = match self.admit_name(target, naming) {
                ModelDecision::Deny { code, .. } if code == MODEL_NOT_PINNED => "is not pinned",
                _ => "is not allowed",
            };
            return Err(ConfigError::new(at, format!("target {target} {why}")));
        }
        let ollama_key = ModelRef::parse(name).ok().map(|r| OwnedModelRef {
            host: r.host.to_string(),
            namespace: r.namespace.to_string(),
            model: r.model.to_string(),
            tag: r.tag.to_string(),
        });
        Ok(Alias {
            name: name.to_string(),
            ollama_key,
            as_ollama,
            as_opaque,
            as_compatible,
        })
    }

    /// Decides on a requested model name.
    pub fn admit(&self, model: &str, naming: ModelNaming) -> ModelDecision {
        if let Some(alias) = self.find_alias(model, naming) {
            return match naming {
                ModelNaming::Ollama => alias.as_ollama.clone(),
                ModelNaming::Opaque => alias.as_opaque.clone(),
                ModelNaming::Compatible => alias.as_compatible.clone(),
            };
        }
        self.admit_name(model, naming)
    }

    fn find_alias(&self, model: &str, naming: ModelNaming) -> Option<&Alias> {
        if self.aliases.is_empty() {
            return None;
        }
        match naming.written(model) {
            ModelNaming::Opaque | ModelNaming::Compatible => self
                .aliases
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(model)),
            ModelNaming::Ollama => {
                let r = ModelRef::parse(model).ok()?;
                self.aliases
                    .iter()
                    .find(|a| a.ollama_key.as_ref().is_some_and(|k| k.is(&r)))
            }
        }
    }

    /// Admission without alias lookup.
    fn admit_name(&self, model: &str, naming: ModelNaming) -> ModelDecision {
        let written = naming.written(model);
        let requested = match read(model, written) {
            Ok(r) => r,
            Err(why) => {
                return ModelDecision::Deny {
                    code: MODEL_NOT_ALLOWED,
                    rule_id: join(&self.path, "name"),
                    message: format!("model {} {}", quoted(model), why),
                }
            }
        };
        // On a compatible path, the reading the name is not written in: what the other kind of
        // upstream would load (Ollama runs `llama3.2` as `llama3.2:latest`).
        let other = match (naming, written) {
            (ModelNaming::Compatible, ModelNaming::Opaque) => {
                ModelRef::parse(model).ok().map(RequestedModel::Ollama)
            }
            (ModelNaming::Compatible, _) => read(model, ModelNaming::Opaque).ok(),
            _ => None,
        };
        // Deny refuses the name in any reading.
        if let Some(i) = self
            .deny
            .iter()
            .position(|d| d.matches(&requested) || other.as_ref().is_some_and(|o| d.matches(o)))
        {
            return self.not_allowed(model, index(&join(&self.path, "deny"), i));
        }
        // Allow admits the name as it is written.
        if !self.allow.is_empty() && !self.allow.iter().any(|a| a.matches(&requested)) {
            return self.not_allowed(model, join(&self.path, "allow"));
        }
        // The Ollama reading the tag checks apply to: the name itself, or on a compatible path
        // the `:latest` reading of an id without a tag, unless `allow` names that id exactly.
        let ollama_view = match (&requested, &other) {
            (RequestedModel::Ollama(r), _) => Some(*r),
            (_, Some(RequestedModel::Ollama(r)))
                if !self
                    .allow
                    .iter()
                    .any(|a| a.is_exact() && a.matches(&requested)) =>
            {
                Some(*r)
            }
            _ => None,
        };
        let floating = self.is_floating(&requested)
            || ollama_view.is_some_and(|r| self.is_floating(&RequestedModel::Ollama(r)));
        if self.require_pinned && floating {
            return ModelDecision::Deny {
                code: MODEL_NOT_PINNED,
                rule_id: join(&self.path, "require_pinned"),
                message: format!(
                    "model {} is not pinned: name an exact tag, not a floating one ({}){}",
                    quoted(model),
                    self.floating_tags.join(", "),
                    self.alternatives_suffix
                ),
            };
        }
        if let Some(r) = &ollama_view {
            if !self.tag_patterns.is_empty() && !self.tag_patterns.iter().any(|p| p.is_match(r.tag))
            {
                return self.not_allowed(model, join(&self.path, "tag_patterns"));
            }
        }
        ModelDecision::Allow
    }

    fn is_floating(&self, requested: &RequestedModel<'_>) -> bool {
        match requested {
            RequestedModel::Ollama(r) => {
                !r.tag_given
                    || self
                        .floating_tags
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(r.tag))
            }
            RequestedModel::Opaque { id, .. } => self.floating_tags.iter().any(|t| {
                let Some(cut) = id.len().checked_sub(t.len()) else {
                    return false;
                };
                let tail_matches = id
                    .get(cut..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case(t));
                let separated = cut == 0
                    || id
                        .get(..cut)
                        .and_then(|head| head.chars().next_back())
                        .is_some_and(|c| matches!(c, '-' | ':' | '@'));
                tail_matches && separated
            }),
        }
    }

    fn not_allowed(&self, model: &str, rule_id: String) -> ModelDecision {
        ModelDecision::Deny {
            code: MODEL_NOT_ALLOWED,
            rule_id,
            message: format!(
                "model {} is not allowed{}",
                quoted(model),
                self.alternatives_suffix
            ),
        }
    }

    /// A request that names no model as a string (absent, `null`, a number, an array) on an API
    /// whose upstream then serves a default model: refused whenever models are restricted
    /// (`allow` or `require_pinned`), since the default is a model no one checked.
    pub fn admit_missing(&self) -> ModelDecision {
        if self.allow.is_empty() && !self.require_pinned {
            return ModelDecision::Allow;
        }
        ModelDecision::Deny {
            code: MODEL_NOT_ALLOWED,
            rule_id: join(&self.path, "allow"),
            message: format!(
                "the request names no model as a string; name an allowed model{}",
                self.alternatives_suffix
            ),
        }
    }

    /// Whether a request `:path` addresses an administrative endpoint, and if so whether it may
    /// pass. The path alone decides: every method of these paths is refused (Ollama routes a
    /// path to one handler, and a method the engine did not expect must not be a way around).
    pub fn endpoint(&self, path: &str) -> EndpointDecision {
        let Some(i) = admin::find(path) else {
            return EndpointDecision::NotAdmin;
        };
        let Some(endpoint) = admin::ADMIN_ENDPOINTS.get(i) else {
            return EndpointDecision::NotAdmin;
        };
        if self.admin_allowed.get(i).copied().unwrap_or(false) {
            return EndpointDecision::Allowed {
                model_fields: endpoint.model_fields,
            };
        }
        let shown = if endpoint.prefix {
            format!("{}/*", endpoint.path)
        } else {
            endpoint.path.to_string()
        };
        EndpointDecision::Deny {
            rule_id: join(&self.path, "allow_admin"),
            message: format!(
                "{shown} changes models or the server's account and is not allowed through this gateway"
            ),
        }
    }

    /// Whether a model may appear in `/v1/models` or `/api/tags`: exactly the names [`Self::admit`]
    /// admits as they are (aliases are not models of the upstream; see [`Self::aliases`]).
    pub fn listed(&self, model: &str, naming: ModelNaming) -> bool {
        self.find_alias(model, naming).is_none()
            && matches!(self.admit_name(model, naming), ModelDecision::Allow)
    }

    /// Allowed alternatives to name in a denial, if the policy permits disclosing them.
    pub fn alternatives(&self) -> Vec<String> {
        self.alternatives.clone()
    }

    /// Configured aliases and their targets (for adding them to model listings).
    pub fn aliases(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.aliases.iter().map(|a| {
            let target = match (&a.as_ollama, &a.as_opaque) {
                (ModelDecision::Rewrite(t), _) | (_, ModelDecision::Rewrite(t)) => Some(t.as_str()),
                _ => None,
            };
            (a.name.as_str(), target)
        })
    }
}

/// Reads a requested name in a naming (`Compatible` reads as written); `Err` is a phrase for
/// the denial message.
fn read(model: &str, naming: ModelNaming) -> Result<RequestedModel<'_>, &'static str> {
    match naming.written(model) {
        ModelNaming::Ollama => ModelRef::parse(model)
            .map(RequestedModel::Ollama)
            .map_err(|e| match e {
                ModelNameError::Empty => "is empty",
                _ => "is not a valid Ollama model name",
            }),
        ModelNaming::Opaque | ModelNaming::Compatible => {
            if model.is_empty() {
                return Err("is empty");
            }
            if model.len() > OPAQUE_MAX
                || model.chars().any(|c| c.is_control() || c.is_whitespace())
            {
                return Err("is not a valid model id");
            }
            let (id, digest) = split_digest(model).map_err(|_| "has a malformed digest")?;
            Ok(RequestedModel::Opaque { id, digest })
        }
    }
}
