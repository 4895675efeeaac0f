//! Secret and sensitive-data detection and redaction (OWASP LLM02), exact across stream chunks.
//!
//! Why: a model may repeat a key it saw in its context, a user may paste one into a prompt bound
//! for an external provider, and a system prompt may leak. This module finds such values in text
//! and masks them, in whole bodies and in streams split anywhere.
//!
//! How (gitleaks' keyword-prefilter shape): one aho-corasick pass finds the rules' literal
//! keywords ([`rules`] lists the built-in pack); a confirming regex (regex-lite) runs only in the
//! window each rule allows after its keyword; a validator checks what the format defines (Luhn,
//! mod-97, the JSON header of a JWT, the body of a PEM block) and rejects placeholders.
//!
//! CONTRACT (used by the exchange; keep these signatures):
//! - [`SecretsConfig`]: serde, `deny_unknown_fields`, `Default` = built-in rules on, redacting
//!   in both directions.
//! - [`SecretScanner::compile`] -> scanner or [`ConfigError`] with the JSON path.
//! - [`SecretScanner::redact`]: whole text -> redacted text + matches.
//! - [`StreamRedactor`]: incremental form of `redact`. For any split of a text into pieces,
//!   concatenating `push` outputs and the `finish` output equals `redact(whole).text`, and a piece
//!   of text is held back only while it could still become (part of) a match; at most
//!   [`SecretScanner::max_holdback`] bytes are held.
//! - [`SecretScanner::redact_texts`]: the texts of one request -> each redacted on its own,
//!   and every secret that crosses the join of consecutive texts masked in all of them
//!   ([`joins`] says how, and what it costs).
//!
//! ```
//! use llm_warden_engine::secrets::{SecretScanner, SecretsConfig, StreamRedactor};
//!
//! let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
//! let whole = "key: ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2 ok";
//! let expected = scanner.redact(whole).text;
//! assert_eq!(expected, "key: [REDACTED:secret.github.token] ok");
//!
//! let mut stream = StreamRedactor::default();
//! let mut out = String::new();
//! for piece in ["key: gh", "p_Zq3kT9vLm2Xw8RbYc4Hn6Jp1", "Qs5Dt7Fg0Ka2 ok"] {
//!     out.push_str(&stream.push(&scanner, piece).text);
//! }
//! out.push_str(&stream.finish(&scanner).text);
//! assert_eq!(out, expected);
//! ```

pub mod joins;
pub(crate) mod rules;
pub(crate) mod scanner;
mod stream;
pub(crate) mod validate;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{index, join, ConfigError};

use self::rules::{Extent, Left, Pack, Right, Trigger, BUILTIN_RULES};
use self::scanner::{Candidate, CompiledRule, RuleSet};
use self::validate::Validator;

pub use self::joins::{JoinedMatch, JoinedRedaction, TextsRedaction};
pub use self::stream::{Release, StreamRedactor, HOLDBACK_EXCEEDED};
pub use self::validate::is_placeholder;

/// Rule id of the mask put over text the work budget left unexamined (see [`crate::budget`]):
/// the text is masked whole and the match asks to end the exchange, like a `block` rule.
pub const BUDGET_EXCEEDED: &str = "limits.work_units_per_byte";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SecretAction {
    /// Mask the match in the text that goes on.
    #[default]
    Redact,
    /// Mask the match and end the exchange (the engine answers with an error).
    Block,
    /// Report the match, leave the text as it is.
    Monitor,
}

impl SecretAction {
    /// What a match under this action comes to: in monitor mode (`enforce` false) every match is
    /// only reported. The one mapping for requests, responses and MCP.
    pub fn outcome(self, enforce: bool) -> crate::audit::Outcome {
        use crate::audit::Outcome;
        match self {
            SecretAction::Redact if enforce => Outcome::Redacted,
            SecretAction::Block if enforce => Outcome::Blocked,
            _ => Outcome::Monitored,
        }
    }
}

/// Per-rule setting for built-in rules: an action, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSetting {
    Off,
    Redact,
    Block,
    Monitor,
}

/// A custom rule: a literal, or a regex with the keywords that start its matches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRule {
    /// Stable id, reported in matches and audit events.
    pub id: String,
    /// Exact text to mask (case-sensitive).
    #[serde(default)]
    pub literal: Option<String>,
    /// Regex (regex-lite syntax) that matches a secret starting at one of `keywords`.
    #[serde(default)]
    pub regex: Option<String>,
    /// Literal prefixes (ASCII case-insensitive) of every match of `regex`.
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub action: SecretAction,
    /// Longest match of `regex`, in bytes (default 256; at most `max_holdback_bytes`).
    #[serde(default)]
    pub max_len: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsConfig {
    /// Scan request bodies (what users send to the upstream). Default true.
    #[serde(default = "yes")]
    pub request: bool,
    /// Scan response bodies (what the model says). Default true.
    #[serde(default = "yes")]
    pub response: bool,
    /// Use the built-in secret rules. Default true.
    #[serde(default = "yes")]
    pub builtin: bool,
    /// Add the PII pack (emails, phone numbers, US SSN, IBAN). Default false.
    #[serde(default)]
    pub pii: bool,
    /// Action of the built-in rules unless overridden. Default `redact`.
    #[serde(default)]
    pub action: SecretAction,
    /// Per built-in rule (exact id, or an id prefix such as `secret.slack`): `off` or an action.
    #[serde(default)]
    pub overrides: BTreeMap<String, RuleSetting>,
    /// Custom rules.
    #[serde(default)]
    pub rules: Vec<CustomRule>,
    /// Custom literal strings to redact (rule ids `custom.literal.<i>`).
    #[serde(default)]
    pub literals: Vec<String>,
    /// Canary strings planted in system prompts: seeing one in a response means the prompt is
    /// leaking (rule ids `canary.<i>`). Responses only: a request carries them on purpose.
    #[serde(default)]
    pub canaries: Vec<String>,
    /// Action for canaries. Default `block`.
    #[serde(default = "block")]
    pub canary_action: SecretAction,
    /// What replaces a masked match; `{rule}` becomes the rule id.
    #[serde(default = "default_replacement")]
    pub replacement: String,
    /// Most text a stream redactor may hold back while a match could still be completing.
    #[serde(default = "default_holdback")]
    pub max_holdback_bytes: usize,
}

fn yes() -> bool {
    true
}
fn block() -> SecretAction {
    SecretAction::Block
}
fn default_replacement() -> String {
    "[REDACTED:{rule}]".to_string()
}
fn default_holdback() -> usize {
    16 << 10
}

/// Smallest accepted `max_holdback_bytes`: room for every built-in token shape (a longer JWT is
/// masked up to the bound; a longer private-key block is masked whole, a bound at a time).
pub const MIN_HOLDBACK_BYTES: usize = 4096;

impl Default for SecretsConfig {
    fn default() -> Self {
        Self {
            request: true,
            response: true,
            builtin: true,
            pii: false,
            action: SecretAction::Redact,
            overrides: BTreeMap::new(),
            rules: Vec::new(),
            literals: Vec::new(),
            canaries: Vec::new(),
            canary_action: SecretAction::Block,
            replacement: default_replacement(),
            max_holdback_bytes: default_holdback(),
        }
    }
}

/// One secret found; byte offsets into the text given to `redact` (or, for the stream, into the
/// whole stream text so far).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    pub rule_id: String,
    pub start: usize,
    pub end: usize,
    pub action: SecretAction,
    /// Fingerprint of the matched bytes (see `audit::fingerprint`).
    pub match_hash: String,
}

impl SecretMatch {
    /// The audit event of this match (its rule, fingerprint and the outcome its action came to).
    pub fn audit(
        &self,
        phase: crate::audit::Phase,
        outcome: crate::audit::Outcome,
        location: impl Into<String>,
    ) -> crate::audit::AuditEvent {
        crate::audit::AuditEvent {
            rule_id: self.rule_id.clone(),
            category: crate::audit::Category::Secret,
            phase,
            outcome,
            location: location.into(),
            match_hash: self.match_hash.clone(),
            score: None,
        }
    }

    /// A match in a request: the outcome its action comes to, remembered in `block` when it is
    /// the first blocking rule (the refusal names it), and the audit event that says so.
    pub fn judge_in_request(
        &self,
        enforce: bool,
        location: impl Into<String>,
        block: &mut Option<String>,
    ) -> crate::audit::AuditEvent {
        let outcome = self.action.outcome(enforce);
        if outcome == crate::audit::Outcome::Blocked {
            block.get_or_insert_with(|| self.rule_id.clone());
        }
        self.audit(crate::audit::Phase::RequestBody, outcome, location)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Redacted {
    pub text: String,
    pub matches: Vec<SecretMatch>,
}

impl Redacted {
    /// Whether any match asks to end the exchange.
    pub fn blocked(&self) -> bool {
        self.matches.iter().any(|m| m.action == SecretAction::Block)
    }
}

/// The compiled secrets policy: immutable, shared by every exchange.
#[derive(Debug, Clone)]
pub struct SecretScanner {
    pub request: bool,
    pub response: bool,
    rules: RuleSet,
    max_holdback: usize,
    holdback_replacement: String,
    budget_replacement: String,
    /// The same rules without the canaries, when there are any (see [`Self::for_requests`]).
    without_canaries: Option<Box<SecretScanner>>,
}

/// Ids of the built-in rules (secrets pack, then PII pack), in pack order.
pub fn builtin_rule_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_RULES.iter().map(|r| r.id)
}

fn replacement_for(template: &str, id: &str) -> String {
    template.replace("{rule}", id)
}

/// `key` names `id` exactly or is a dotted prefix of it (`secret.slack` names `secret.slack.token`).
fn id_matches(key: &str, id: &str) -> bool {
    id == key || (id.starts_with(key) && id.as_bytes().get(key.len()) == Some(&b'.'))
}

fn override_for(overrides: &BTreeMap<String, RuleSetting>, id: &str) -> Option<RuleSetting> {
    overrides
        .iter()
        .filter(|(k, _)| id_matches(k, id))
        .max_by_key(|(k, _)| k.len())
        .map(|(_, v)| *v)
}

impl SecretScanner {
    pub fn compile(cfg: &SecretsConfig, path: &str) -> Result<Self, ConfigError> {
        let bound = cfg.max_holdback_bytes;
        if bound < MIN_HOLDBACK_BYTES {
            return Err(ConfigError::new(
                join(path, "max_holdback_bytes"),
                format!("must be at least {MIN_HOLDBACK_BYTES}"),
            ));
        }
        for key in cfg.overrides.keys() {
            if !BUILTIN_RULES.iter().any(|r| id_matches(key, r.id)) {
                return Err(ConfigError::new(
                    format!("{}[{key:?}]", join(path, "overrides")),
                    "no built-in rule has this id or id prefix",
                ));
            }
        }
        let template = &cfg.replacement;
        let mut rules: Vec<CompiledRule> = Vec::new();
        let mut keywords: Vec<(String, usize)> = Vec::new();
        for b in BUILTIN_RULES {
            if !cfg.builtin || (b.pack == Pack::Pii && !cfg.pii) {
                continue;
            }
            let action = match override_for(&cfg.overrides, b.id) {
                Some(RuleSetting::Off) => continue,
                Some(RuleSetting::Redact) => SecretAction::Redact,
                Some(RuleSetting::Block) => SecretAction::Block,
                Some(RuleSetting::Monitor) => SecretAction::Monitor,
                None => cfg.action,
            };
            let regex = if b.pattern.is_empty() {
                None
            } else {
                Some(regex_lite::Regex::new(b.pattern).map_err(|e| {
                    ConfigError::new(format!("built-in rule {}", b.id), e.to_string())
                })?)
            };
            let idx = rules.len();
            let run_start = match b.trigger {
                Trigger::Keywords(kws) => {
                    keywords.extend(kws.iter().map(|k| ((*k).to_string(), idx)));
                    None
                }
                Trigger::RunStart(class) => Some(class),
            };
            let (min_body, needs) = scanner::regex_bounds(b.pattern);
            rules.push(CompiledRule {
                id: b.id.to_string(),
                action,
                priority: b.priority,
                case_sensitive: b.case_sensitive,
                left: b.left,
                extent: b.extent,
                cap: b.cap.min(bound),
                regex,
                right: b.right,
                validator: b.validator,
                keep_keyword: b.keep_keyword,
                run_start,
                replacement: replacement_for(template, b.id),
                min_body,
                needs,
            });
        }
        let mut ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
        let rules_path = join(path, "rules");
        for (i, c) in cfg.rules.iter().enumerate() {
            let at = index(&rules_path, i);
            if c.id.is_empty() {
                return Err(ConfigError::new(join(&at, "id"), "empty id"));
            }
            if ids.contains(&c.id) || BUILTIN_RULES.iter().any(|b| b.id == c.id) {
                return Err(ConfigError::new(
                    join(&at, "id"),
                    format!("duplicate rule id {:?}", c.id),
                ));
            }
            ids.push(c.id.clone());
            let idx = rules.len();
            let base = CompiledRule {
                id: c.id.clone(),
                action: c.action,
                priority: 90,
                case_sensitive: true,
                left: Left::Any,
                extent: Extent::Keyword,
                cap: bound,
                regex: None,
                right: Right::Any,
                validator: Validator::None,
                keep_keyword: false,
                run_start: None,
                replacement: replacement_for(template, &c.id),
                min_body: 0,
                needs: Vec::new(),
            };
            match (&c.literal, &c.regex) {
                (Some(lit), None) => {
                    check_literal(lit, bound, &join(&at, "literal"))?;
                    if !c.keywords.is_empty() {
                        return Err(ConfigError::new(
                            join(&at, "keywords"),
                            "a literal rule is its own keyword; remove `keywords`",
                        ));
                    }
                    keywords.push((lit.clone(), idx));
                    rules.push(base);
                }
                (None, Some(re)) => {
                    let regex = regex_lite::Regex::new(&format!("^(?:{re})"))
                        .map_err(|e| ConfigError::new(join(&at, "regex"), e.to_string()))?;
                    if c.keywords.is_empty() {
                        return Err(ConfigError::new(
                            join(&at, "keywords"),
                            "a regex rule needs at least one keyword: a literal prefix of its matches, for the prefilter",
                        ));
                    }
                    for (j, k) in c.keywords.iter().enumerate() {
                        check_literal(k, bound, &index(&join(&at, "keywords"), j))?;
                        keywords.push((k.clone(), idx));
                    }
                    let max_len = c.max_len.unwrap_or(256);
                    if max_len == 0 || max_len > bound {
                        return Err(ConfigError::new(
                            join(&at, "max_len"),
                            format!("must be between 1 and max_holdback_bytes ({bound})"),
                        ));
                    }
                    rules.push(CompiledRule {
                        case_sensitive: false,
                        extent: Extent::Line,
                        cap: max_len,
                        regex: Some(regex),
                        ..base
                    });
                }
                _ => {
                    return Err(ConfigError::new(
                        at,
                        "a rule needs exactly one of `literal` and `regex`",
                    ))
                }
            }
        }
        let named_literals = cfg
            .literals
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    l,
                    format!("custom.literal.{i}"),
                    SecretAction::Redact,
                    "literals",
                    i,
                )
            })
            .chain(
                cfg.canaries
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l, format!("canary.{i}"), cfg.canary_action, "canaries", i)),
            );
        for (lit, id, action, field, i) in named_literals {
            check_literal(lit, bound, &index(&join(path, field), i))?;
            keywords.push((lit.clone(), rules.len()));
            rules.push(CompiledRule {
                replacement: replacement_for(template, &id),
                id,
                action,
                priority: 95,
                case_sensitive: true,
                left: Left::Any,
                extent: Extent::Keyword,
                cap: bound,
                regex: None,
                right: Right::Any,
                validator: Validator::None,
                keep_keyword: false,
                run_start: None,
                min_body: 0,
                needs: Vec::new(),
            });
        }
        let rules = RuleSet::new(rules, keywords).map_err(|e| ConfigError::new(path, e))?;
        let without_canaries = if cfg.canaries.is_empty() {
            None
        } else {
            let cfg = SecretsConfig {
                canaries: Vec::new(),
                ..cfg.clone()
            };
            Some(Box::new(Self::compile(&cfg, path)?))
        };
        Ok(Self {
            request: cfg.request,
            response: cfg.response,
            rules,
            max_holdback: bound,
            holdback_replacement: replacement_for(template, HOLDBACK_EXCEEDED),
            budget_replacement: replacement_for(template, BUDGET_EXCEEDED),
            without_canaries,
        })
    }

    /// The scanner for request bodies: every rule but the canaries. A canary is planted in the
    /// system prompt the client sends, so a request carries it on purpose; masking it there
    /// would hide it from the model (and blocking on it would refuse every request).
    pub fn for_requests(&self) -> &SecretScanner {
        self.without_canaries.as_deref().unwrap_or(self)
    }

    /// Longest text the stream redactor may hold back.
    pub fn max_holdback(&self) -> usize {
        self.max_holdback
    }

    /// Ids of the rules this scanner runs.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.rules.iter().map(|r| r.id.as_str())
    }

    pub fn redact(&self, text: &str) -> Redacted {
        let mut scan = self.rules.scan(text, 0, true, None);
        self.redacted(text, &mut scan)
    }

    /// `text` redacted by the candidates of its whole scan, or masked whole when the work
    /// budget ran out during (or before the end of) the scan.
    fn redacted(&self, text: &str, scan: &mut scanner::Scan) -> Redacted {
        if scan.exhausted || crate::budget::exhausted() {
            return self.over_budget(text, 0);
        }
        self.render_whole(text, &mut scan.candidates)
    }

    /// What goes on of a text the work budget ran out on: nothing of it. The text is masked
    /// whole, and the match (offsets shifted by `base`) ends the exchange.
    fn over_budget(&self, text: &str, base: usize) -> Redacted {
        if text.is_empty() {
            return Redacted::default();
        }
        Redacted {
            text: self.budget_replacement.clone(),
            matches: vec![SecretMatch {
                rule_id: BUDGET_EXCEEDED.to_string(),
                start: base,
                end: base + text.len(),
                action: SecretAction::Block,
                match_hash: crate::audit::fingerprint(text.as_bytes()),
            }],
        }
    }

    /// `text` with the candidates of a whole scan of it resolved and masked (sorts them).
    fn render_whole(&self, text: &str, candidates: &mut [Candidate]) -> Redacted {
        // Most texts go on unmasked: one allocation of their size, not a growing string.
        let mut out = Redacted {
            text: String::with_capacity(text.len()),
            matches: Vec::new(),
        };
        self.render(text, 0, text.len(), 0, candidates, &mut out);
        out
    }

    /// Appends `text[from..to]` with candidates (all within `from..to`) resolved and masked to
    /// `out`; reported offsets are shifted by `base`.
    fn render(
        &self,
        text: &str,
        from: usize,
        to: usize,
        base: usize,
        candidates: &mut [Candidate],
        out: &mut Redacted,
    ) {
        let (masked, monitored) = self.rules.resolve(candidates);
        let mut pos = from;
        let hash = |c: &Candidate| {
            crate::audit::fingerprint(text.get(c.start..c.end).unwrap_or_default().as_bytes())
        };
        for m in &masked {
            let Some(rule) = self.rules.rules.get(m.candidate.rule) else {
                continue;
            };
            out.text
                .push_str(text.get(pos..m.start).unwrap_or_default());
            out.text.push_str(&rule.replacement);
            pos = m.end;
            out.matches.push(SecretMatch {
                rule_id: rule.id.clone(),
                start: base + m.start,
                end: base + m.end,
                action: rule.action,
                match_hash: hash(&m.candidate),
            });
        }
        out.text.push_str(text.get(pos..to).unwrap_or_default());
        for c in &monitored {
            if let Some(rule) = self.rules.rules.get(c.rule) {
                out.matches.push(SecretMatch {
                    rule_id: rule.id.clone(),
                    start: base + c.start,
                    end: base + c.end,
                    action: SecretAction::Monitor,
                    match_hash: hash(c),
                });
            }
        }
        out.matches.sort_by_key(|m| (m.start, m.end));
    }
}

fn check_literal(lit: &str, bound: usize, at: &str) -> Result<(), ConfigError> {
    if lit.is_empty() {
        return Err(ConfigError::new(at, "empty literal"));
    }
    if lit.len() > bound {
        return Err(ConfigError::new(
            at,
            format!("longer than max_holdback_bytes ({bound})"),
        ));
    }
    Ok(())
}
