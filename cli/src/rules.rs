//! `rules`: the rule ids the engine can report, with category, default action and meaning.
//!
//! Audit events, metrics, the `x-llm-warden-rules` header and test cases all name rules by id, so
//! a policy author needs the list. The engine does not (yet) publish one listing of its rules;
//! until it does, this catalogue is assembled from what the engine exposes (the built-in pack
//! tables, once they are public) plus the policy-derived ids its sections document. No rule is
//! evaluated here: this is a listing, never a second implementation.

use llm_warden_engine::injection::{self, InjectionConfig};
use llm_warden_engine::secrets::{self, SecretScanner, SecretsConfig};

/// One rule as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub category: &'static str,
    pub default_action: &'static str,
    pub description: String,
}

/// Rule ids that come from the configuration rather than from a built-in pack. `[i]` stands for
/// the index of the configured entry. Under a named policy the ids are prefixed with
/// `policies.<name>.`.
const POLICY_RULES: &[(&str, &str, &str, &str)] = &[
    ("custom.phrase.[i]", "prompt_injection", "block", "prompt_injection.block_phrases[i]: a custom phrase, matched case-insensitively"),
    ("<prompt_injection.rules[i].id>", "prompt_injection", "score", "a custom injection rule, under the id it is configured with"),
    ("<secrets.rules[i].id>", "secret", "redact", "a custom secret rule, under the id it is configured with"),
    ("custom.literal.[i]", "secret", "redact", "secrets.literals[i]: a custom literal string"),
    ("canary.[i]", "secret", "block", "secrets.canaries[i]: a canary planted in a system prompt is leaking (secrets.canary_action)"),
    ("tools.deny[i]", "tool", "strip offered / block call", "a tool name matched by tools.deny[i]"),
    ("tools.default", "tool", "strip offered / block call", "a tool name not in tools.allow when tools.default is deny"),
    ("tools.name", "tool", "block call", "a tool call without a valid name (empty, control characters, surrounding whitespace)"),
    ("tools.arguments[i]", "tool", "block call", "a tool call whose arguments break tools.arguments[i]"),
    ("tools.max_calls", "tool", "block call", "more tool calls in one response than tools.max_calls"),
    ("tools.tool_choice", "tool", "block", "tool_choice forces a tool the policy does not allow"),
    ("models.allow", "model", "block", "a model not in models.allow (code model_not_allowed)"),
    ("models.deny[i]", "model", "block", "a model matched by models.deny[i] (code model_not_allowed)"),
    ("models.name", "model", "block", "a model name that cannot be parsed (code model_not_allowed)"),
    ("models.require_pinned", "model", "block", "a model without a tag or with a floating tag (code model_not_pinned)"),
    ("models.tag_patterns", "model", "block", "an Ollama tag that matches none of models.tag_patterns"),
    ("models.aliases", "model", "rewrite", "an approved alias rewritten to its pinned model"),
    ("models.allow_admin", "model", "block", "a model-changing endpoint (/api/pull, /api/push, /api/create, /api/copy, /api/delete, /api/blobs/*) not allowed (code model_change_not_allowed)"),
    ("limits.max_request_body_bytes", "limit", "block", "a request body over limits.max_request_body_bytes (code request_too_large; pass with on_limit: pass)"),
    ("request_too_large", "limit", "block", "the code recorded when a request body exceeds the limit"),
    ("response_too_large", "limit", "block", "a non-streamed response over limits.max_response_body_bytes"),
    ("invalid_request_body", "input", "block", "a request to a known API that is not JSON, or nested deeper than limits.max_json_depth"),
    ("unsupported_content_encoding", "input", "block", "a compressed request body, which cannot be inspected"),
    ("upstream_response_encoded", "input", "block", "a compressed response body, which cannot be inspected"),
];

/// Every listed rule: built-in packs first, then the policy-derived ids.
pub fn catalogue() -> Vec<RuleInfo> {
    let mut out = builtin();
    out.extend(
        POLICY_RULES
            .iter()
            .map(|(id, category, action, description)| RuleInfo {
                id: (*id).to_string(),
                category,
                default_action: action,
                description: (*description).to_string(),
            }),
    );
    out
}

/// The built-in detection packs, as far as the engine exposes them.
fn builtin() -> Vec<RuleInfo> {
    let mut out = Vec::new();
    // Injection rules carry a weight: one of 1.0 or more crosses the default threshold alone,
    // lighter ones are signals that block only in combination.
    let injection = InjectionConfig::default();
    for r in injection::rules::BUILTIN {
        let (default_action, description) = if r.weight >= injection.threshold {
            (
                "block",
                format!(
                    "built-in injection rule ({}); blocks on its own",
                    r.category
                ),
            )
        } else {
            (
                "score",
                format!(
                    "built-in injection signal ({}), weight {}; blocks when the score reaches the threshold",
                    r.category, r.weight
                ),
            )
        };
        let scope = if r.tool_only {
            "; tool results only"
        } else {
            ""
        };
        out.push(RuleInfo {
            id: r.id.to_string(),
            category: "prompt_injection",
            default_action,
            description: format!("{description}{scope}"),
        });
    }
    for (id, what) in [
        (
            injection::rules::TAG_CHARACTERS_RULE,
            "Unicode tag characters hide text (ASCII smuggling)",
        ),
        (
            injection::rules::VARIATION_SELECTORS_RULE,
            "a run of variation selectors carries hidden bytes",
        ),
    ] {
        if !out.iter().any(|r| r.id == id) {
            out.push(RuleInfo {
                id: id.to_string(),
                category: "prompt_injection",
                default_action: "block",
                description: what.to_string(),
            });
        }
    }
    // The secrets module publishes ids only. Which of them the default config turns on (the
    // secrets pack, not the PII pack) is read off a scanner compiled from the default section.
    let defaults = SecretScanner::compile(&SecretsConfig::default(), "secrets").ok();
    let on_by_default = |id: &str| {
        defaults
            .as_ref()
            .is_some_and(|s| s.rule_ids().any(|r| r == id))
    };
    for id in secrets::builtin_rule_ids() {
        // One id may name several formats (GitLab's token prefixes): list it once.
        if out.iter().any(|r: &RuleInfo| r.id == id) {
            continue;
        }
        let (category, default_action, description) = if on_by_default(id) {
            (
                "secret",
                "redact",
                "built-in secret rule (action: secrets.action, secrets.overrides)",
            )
        } else {
            ("pii", "off", "built-in PII rule, on with secrets.pii: true")
        };
        out.push(RuleInfo {
            id: id.to_string(),
            category,
            default_action,
            description: description.to_string(),
        });
    }
    out.push(RuleInfo {
        id: secrets::HOLDBACK_EXCEEDED.to_string(),
        category: "secret",
        default_action: "redact",
        description: "a stream held more than secrets.max_holdback_bytes while a match could still complete; the held text is masked".to_string(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_described() {
        let all = catalogue();
        let mut ids: Vec<&str> = all.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule ids");
        assert!(all
            .iter()
            .all(|r| !r.description.is_empty() && !r.category.is_empty()));
    }
}
