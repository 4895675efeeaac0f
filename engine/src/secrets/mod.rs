//! Secret and sensitive-data detection and redaction (OWASP LLM02), exact across stream chunks.
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

use serde::Deserialize;

use crate::error::{join, ConfigError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SecretAction {
    #[default]
    Redact,
    Block,
    Monitor,
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
    /// Custom literal strings to redact.
    #[serde(default)]
    pub literals: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for SecretsConfig {
    fn default() -> Self {
        Self {
            request: true,
            response: true,
            literals: Vec::new(),
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

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Redacted {
    pub text: String,
    pub matches: Vec<SecretMatch>,
}

#[derive(Debug, Clone)]
pub struct SecretScanner {
    pub request: bool,
    pub response: bool,
    literals: Vec<String>,
}

impl SecretScanner {
    pub fn compile(cfg: &SecretsConfig, path: &str) -> Result<Self, ConfigError> {
        for (i, l) in cfg.literals.iter().enumerate() {
            if l.is_empty() {
                return Err(ConfigError::new(
                    format!("{}[{i}]", join(path, "literals")),
                    "empty literal",
                ));
            }
        }
        Ok(Self {
            request: cfg.request,
            response: cfg.response,
            literals: cfg.literals.clone(),
        })
    }

    /// Longest text the stream redactor may hold back.
    pub fn max_holdback(&self) -> usize {
        self.literals.iter().map(|l| l.len()).max().unwrap_or(0)
    }

    pub fn redact(&self, text: &str) -> Redacted {
        let mut out = text.to_string();
        let mut matches = Vec::new();
        for (i, l) in self.literals.iter().enumerate() {
            let id = format!("custom.literal.{i}");
            let rep = format!("[REDACTED:{id}]");
            if out.contains(l.as_str()) {
                matches.push(SecretMatch {
                    rule_id: id.clone(),
                    start: 0,
                    end: 0,
                    action: SecretAction::Redact,
                    match_hash: crate::audit::fingerprint(l.as_bytes()),
                });
                out = out.replace(l.as_str(), &rep);
            }
        }
        Redacted { text: out, matches }
    }
}

/// Incremental redaction of one text stream (one choice / content block / tool-call argument).
#[derive(Debug, Clone, Default)]
pub struct StreamRedactor {
    pending: String,
}

impl StreamRedactor {
    /// Feed the next piece of text; returns what may be released now.
    pub fn push(&mut self, scanner: &SecretScanner, piece: &str) -> Redacted {
        self.pending.push_str(piece);
        let hold = scanner.max_holdback().saturating_sub(1);
        if self.pending.len() <= hold {
            return Redacted::default();
        }
        let mut cut = self.pending.len() - hold;
        while !self.pending.is_char_boundary(cut) {
            cut -= 1;
        }
        let rest = self.pending.split_off(cut);
        let ready = std::mem::replace(&mut self.pending, rest);
        scanner.redact(&ready)
    }

    /// End of stream: release everything still held.
    pub fn finish(&mut self, scanner: &SecretScanner) -> Redacted {
        let ready = std::mem::take(&mut self.pending);
        scanner.redact(&ready)
    }

    /// Bytes currently held back.
    pub fn held(&self) -> usize {
        self.pending.len()
    }
}
