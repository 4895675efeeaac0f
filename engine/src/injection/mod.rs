//! Prompt-injection detection (OWASP LLM01) on every text the model will read.
//!
//! CONTRACT (used by the exchange; keep these signatures):
//! - [`InjectionConfig`]: serde, `deny_unknown_fields`, `Default` = secure default (built-in rules
//!   on, blocking).
//! - [`InjectionDetector::compile`]: config + JSON path of the section -> detector or
//!   [`ConfigError`] naming the exact path (`prompt_injection.rules[3].regex`).
//! - [`InjectionDetector::scan`]: texts -> [`InjectionReport`]; pure, no host calls, no panics.

use serde::Deserialize;

use crate::error::{join, ConfigError};
use crate::text::ScanText;

/// What to do when the score crosses the threshold (globally or per rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InjectionAction {
    #[default]
    Block,
    Monitor,
    Off,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InjectionConfig {
    #[serde(default)]
    pub action: InjectionAction,
    /// Custom literal phrases that block (case-insensitive).
    #[serde(default)]
    pub block_phrases: Vec<String>,
}

/// One rule hit, for audit. Offsets are byte offsets into `texts[text_index].text` (the original,
/// not the normalised text).
#[derive(Debug, Clone, PartialEq)]
pub struct InjectionFinding {
    pub rule_id: String,
    pub category: String,
    pub text_index: usize,
    pub start: usize,
    pub end: usize,
    /// True when this finding's rule is in monitor mode (counted, never blocks).
    pub monitor_only: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct InjectionReport {
    /// True when the request must be blocked (score over threshold with a blocking rule and the
    /// global action is `block`).
    pub block: bool,
    /// True when the threshold was crossed but the action is monitor (log and count only).
    pub monitored: bool,
    pub score: f32,
    pub findings: Vec<InjectionFinding>,
}

#[derive(Debug, Clone)]
pub struct InjectionDetector {
    action: InjectionAction,
    phrases: Vec<(String, String)>,
}

impl InjectionDetector {
    pub fn compile(cfg: &InjectionConfig, path: &str) -> Result<Self, ConfigError> {
        let mut phrases = Vec::new();
        for (i, p) in cfg.block_phrases.iter().enumerate() {
            if p.trim().is_empty() {
                return Err(ConfigError::new(
                    format!("{}[{i}]", join(path, "block_phrases")),
                    "empty phrase",
                ));
            }
            phrases.push((format!("custom.phrase.{i}"), p.to_lowercase()));
        }
        Ok(Self {
            action: cfg.action,
            phrases,
        })
    }

    pub fn scan(&self, texts: &[ScanText]) -> InjectionReport {
        let mut report = InjectionReport::default();
        if self.action == InjectionAction::Off {
            return report;
        }
        for (ti, t) in texts.iter().enumerate() {
            let lower = t.text.to_lowercase();
            for (id, p) in &self.phrases {
                if let Some(start) = lower.find(p.as_str()) {
                    report.findings.push(InjectionFinding {
                        rule_id: id.clone(),
                        category: "custom".into(),
                        text_index: ti,
                        start,
                        end: start + p.len(),
                        monitor_only: false,
                    });
                    report.score += 1.0;
                }
            }
        }
        if !report.findings.is_empty() {
            match self.action {
                InjectionAction::Block => report.block = true,
                _ => report.monitored = true,
            }
        }
        report
    }
}
