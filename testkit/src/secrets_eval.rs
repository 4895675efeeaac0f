//! Detection-quality evaluation over labelled corpora (the `eval_secrets` example and the
//! regression test share it).
//!
//! Pure: the caller reads the JSONL files and passes their contents. Three corpora are known by
//! file name: `gitleaks_rules_tps_fps.jsonl` and `detect_secrets_plugin_tests.jsonl` (rows labelled
//! `secret` / `not_secret`) and `secretlint_fixtures.jsonl` (documents with the exact spans to
//! mask). Each source family is mapped to one of this pack's families or declared out of scope
//! (no rule for it, or not a secrets policy, such as public IP addresses); the scoping is part of
//! the report so that a reader sees what the figures cover.
//!
//! [`locate_corpora`] and [`load_corpora`] are the only functions that touch the file system.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use llm_warden_engine::secrets::{is_placeholder, SecretAction, SecretScanner};

/// The corpus files an evaluation reads, by name.
pub const CORPUS_FILES: &[&str] = &[
    "gitleaks_rules_tps_fps.jsonl",
    "detect_secrets_plugin_tests.jsonl",
    "secretlint_fixtures.jsonl",
];

/// Where the secrets corpora are: `explicit` (an argument), else `$LLM_WARDEN_CORPORA`, else the
/// first `shared/corpora/secrets` found beside the repository or one of its ancestors (CI clones
/// the repository with `shared/` beside it). A directory given explicitly may be the corpora root
/// or its `secrets/` folder.
pub fn locate_corpora(explicit: Option<PathBuf>, manifest_dir: &Path) -> Option<PathBuf> {
    let given = explicit.or_else(|| std::env::var_os("LLM_WARDEN_CORPORA").map(PathBuf::from));
    if let Some(dir) = given {
        let nested = dir.join("secrets");
        return Some(if nested.is_dir() { nested } else { dir });
    }
    manifest_dir
        .ancestors()
        .map(|a| a.join("shared/corpora/secrets"))
        .find(|d| d.is_dir())
}

/// Reads every file of [`CORPUS_FILES`] from `dir`.
pub fn load_corpora(dir: &Path) -> std::io::Result<Vec<(&'static str, String)>> {
    CORPUS_FILES
        .iter()
        .map(|name| Ok((*name, std::fs::read_to_string(dir.join(name))?)))
        .collect()
}

/// Counts for one family of this pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilyCounts {
    pub secret_rows: usize,
    pub detected: usize,
    pub lookalike_rows: usize,
    pub false_positives: usize,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per pack family (`aws`, `github`, ...), over in-scope rows of all corpora.
    pub families: BTreeMap<String, FamilyCounts>,
    /// `not_secret` rows of out-of-scope families (look-alikes must pass whatever the family).
    pub out_of_scope_lookalikes: usize,
    pub out_of_scope_false_positives: usize,
    /// Source families left out of recall, with their secret row counts and the reason.
    pub out_of_scope: BTreeMap<String, (usize, &'static str)>,
    /// `secret` rows left out of recall because their value is a placeholder or an obvious fake
    /// by this project's policy (runs of one character, `xxxx`, `EXAMPLE`, `abcdefgh`, ...), per
    /// family: (rows, of which detected anyway).
    pub placeholder_secrets: BTreeMap<String, (usize, usize)>,
    /// `not_secret` rows left out of the false-positive rate because they are well-formed keys
    /// that the source lists by value (known public keys): no format-based rule can tell them
    /// apart. (rows, of which flagged).
    pub allowlisted_lookalikes: (usize, usize),
    /// secretlint documents in scope, and those whose masked spans equal the expected spans.
    pub span_rows: usize,
    pub span_agreements: usize,
    /// Descriptions of missed secrets and false positives (never the secret itself: row
    /// numbers and families only).
    pub misses: Vec<String>,
}

impl Report {
    pub fn secret_rows(&self) -> usize {
        self.families.values().map(|f| f.secret_rows).sum()
    }
    pub fn detected(&self) -> usize {
        self.families.values().map(|f| f.detected).sum()
    }
    pub fn lookalike_rows(&self) -> usize {
        self.families
            .values()
            .map(|f| f.lookalike_rows)
            .sum::<usize>()
            + self.out_of_scope_lookalikes
    }
    pub fn false_positives(&self) -> usize {
        self.families
            .values()
            .map(|f| f.false_positives)
            .sum::<usize>()
            + self.out_of_scope_false_positives
    }
    /// Recall on in-scope `secret` rows, in [0, 1].
    pub fn recall(&self) -> f64 {
        ratio(self.detected(), self.secret_rows())
    }
    /// False-positive rate on all `not_secret` look-alikes, in [0, 1].
    pub fn false_positive_rate(&self) -> f64 {
        ratio(self.false_positives(), self.lookalike_rows())
    }
    /// Exact span agreement on in-scope secretlint documents, in [0, 1].
    pub fn span_agreement(&self) -> f64 {
        ratio(self.span_agreements, self.span_rows)
    }

    /// The figures as JSON (what `testdata/eval/secrets.json` stores).
    pub fn to_json(&self) -> Value {
        let families: serde_json::Map<String, Value> = self
            .families
            .iter()
            .map(|(k, f)| {
                (
                    k.clone(),
                    serde_json::json!({
                        "secret_rows": f.secret_rows,
                        "detected": f.detected,
                        "lookalike_rows": f.lookalike_rows,
                        "false_positives": f.false_positives,
                    }),
                )
            })
            .collect();
        serde_json::json!({
            "command": "cargo run --release -p llm-warden-engine --example eval_secrets -- --write",
            "recall": round4(self.recall()),
            "detected": self.detected(),
            "secret_rows": self.secret_rows(),
            "false_positive_rate": round4(self.false_positive_rate()),
            "false_positives": self.false_positives(),
            "lookalike_rows": self.lookalike_rows(),
            "span_agreement": round4(self.span_agreement()),
            "span_agreements": self.span_agreements,
            "span_rows": self.span_rows,
            "families": families,
        })
    }

    /// A human-readable summary.
    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str("family                 recall            look-alike FP\n");
        for (name, f) in &self.families {
            s.push_str(&format!(
                "{name:<22} {:>3}/{:<3} {:>6.1}%   {:>3}/{:<3}\n",
                f.detected,
                f.secret_rows,
                100.0 * ratio(f.detected, f.secret_rows),
                f.false_positives,
                f.lookalike_rows
            ));
        }
        s.push_str(&format!(
            "out-of-scope look-alikes: {}/{} false positives\n",
            self.out_of_scope_false_positives, self.out_of_scope_lookalikes
        ));
        s.push_str(
            "\nscoping: secret rows whose value is a placeholder by policy (left out of recall):\n",
        );
        for (name, (n, hit)) in &self.placeholder_secrets {
            s.push_str(&format!(
                "  {name:<50} {n:>3} rows ({hit} detected anyway)\n"
            ));
        }
        s.push_str(&format!(
            "scoping: look-alikes that are well-formed keys allowlisted by value at the source \
             (left out of the FP rate): {} rows ({} flagged)\n",
            self.allowlisted_lookalikes.0, self.allowlisted_lookalikes.1
        ));
        s.push_str("\nscoping: families left out of recall:\n");
        for (name, (n, why)) in &self.out_of_scope {
            s.push_str(&format!("  {name:<50} {n:>3} secret rows  ({why})\n"));
        }
        s.push_str(&format!(
            "\nrecall (in-scope secret rows): {}/{} = {:.1}%\n",
            self.detected(),
            self.secret_rows(),
            100.0 * self.recall()
        ));
        s.push_str(&format!(
            "false-positive rate (all look-alikes): {}/{} = {:.1}%\n",
            self.false_positives(),
            self.lookalike_rows(),
            100.0 * self.false_positive_rate()
        ));
        s.push_str(&format!(
            "secretlint exact span agreement: {}/{} = {:.1}%\n",
            self.span_agreements,
            self.span_rows,
            100.0 * self.span_agreement()
        ));
        s
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

const NO_RULE: &str = "no rule in this pack";

/// This pack's family for a gitleaks rule id, or why it is out of scope.
fn gitleaks_family(rule: &str) -> Result<&'static str, &'static str> {
    let prefixed = [
        ("aws-access-token", "aws"),
        ("anthropic-", "anthropic"),
        ("gcp-", "gcp"),
        ("github-", "github"),
        ("gitlab-", "gitlab"),
        ("huggingface-", "huggingface"),
        ("openai-", "openai"),
        ("private-key", "private_key"),
        ("slack-", "slack"),
        ("stripe-", "stripe"),
        ("generic-api-key", "generic"),
        ("curl-auth-header", "http_auth"),
        ("sidekiq-sensitive-url", "url_credentials"),
        ("sidekiq-secret", "sidekiq"),
        ("sonar-", "sonar"),
    ];
    if rule == "jwt" {
        return Ok("jwt");
    }
    if rule == "jwt-base64" {
        return Err("a JWT inside another base64 layer: not decoded");
    }
    prefixed
        .iter()
        .find(|(p, _)| rule.starts_with(p))
        .map(|(_, f)| *f)
        .ok_or(NO_RULE)
}

fn detect_secrets_family(plugin: &str) -> Result<&'static str, &'static str> {
    match plugin {
        "aws_key" => Ok("aws"),
        "azure_storage_key" => Ok("azure"),
        "basic_auth" => Ok("url_credentials"),
        "github_token" => Ok("github"),
        "gitlab_token" => Ok("gitlab"),
        "jwt" => Ok("jwt"),
        "npm" => Ok("npm"),
        "openai" => Ok("openai"),
        "pypi_token" => Ok("pypi"),
        "sendgrid" => Ok("sendgrid"),
        "stripe_key" => Ok("stripe"),
        "twilio" => Ok("twilio"),
        "ip_public" => Err("public IP addresses are not a secrets policy"),
        _ => Err(NO_RULE),
    }
}

fn secretlint_family(rule: &str) -> Result<&'static str, &'static str> {
    let name = rule.strip_prefix("secretlint-rule-").unwrap_or(rule);
    match name {
        "aws" => Ok("aws"),
        "anthropic" => Ok("anthropic"),
        "azure" => Ok("azure"),
        "basicauth" => Ok("url_credentials"),
        "database-connection-string" => Ok("db_connection_string"),
        "gcp" => Ok("gcp"),
        "github" => Ok("github"),
        "gitlab" => Ok("gitlab"),
        "huggingface" => Ok("huggingface"),
        "npm" => Ok("npm"),
        "openai" => Ok("openai"),
        "privatekey" => Ok("private_key"),
        "sendgrid" => Ok("sendgrid"),
        "slack" => Ok("slack"),
        "stripe" => Ok("stripe"),
        _ => Err(NO_RULE),
    }
}

fn fired(scanner: &SecretScanner, text: &str) -> String {
    let ids: Vec<String> = scanner
        .redact(text)
        .matches
        .into_iter()
        .map(|m| m.rule_id)
        .collect();
    ids.join(",")
}

/// Whether a corpus row's credential is a placeholder by this project's policy: one of its
/// credential-like tokens (16+ characters) fails the placeholder check the token rules apply.
fn placeholder_by_policy(text: &str) -> bool {
    // PEM bodies are not held to the placeholder check (runs of `A` are zero bytes there).
    !text.contains("-----BEGIN")
        && text
            .split(|c: char| !(c.is_ascii_alphanumeric() || "_+/=.-".contains(c)))
            .filter(|t| t.len() >= 16)
            .any(is_placeholder)
}

/// A whole row that is exactly a well-formed Google API key (the format: "AIza" + 35
/// URL-safe characters).
fn well_formed_google_key(text: &str) -> bool {
    let t = text.trim();
    t.len() == 39
        && t.starts_with("AIza")
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn masked(scanner: &SecretScanner, text: &str) -> Vec<(usize, usize)> {
    scanner
        .redact(text)
        .matches
        .iter()
        .filter(|m| m.action != SecretAction::Monitor)
        .map(|m| (m.start, m.end))
        .collect()
}

/// UTF-16 offset of byte offset `b` in `text` (secretlint spans are JavaScript string indices).
fn utf16_offset(text: &str, b: usize) -> usize {
    text.get(..b).map_or(0, |s| s.encode_utf16().count())
}

/// Evaluates `scanner` over corpora given as (file name, contents) pairs.
pub fn evaluate(scanner: &SecretScanner, files: &[(&str, &str)]) -> Report {
    let mut report = Report::default();
    for (name, contents) in files {
        for (line_no, line) in contents.lines().enumerate() {
            let Ok(row) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let text = row.get("text").and_then(Value::as_str).unwrap_or_default();
            let tag = format!("{name}:{}", line_no + 1);
            if name.starts_with("secretlint") {
                evaluate_secretlint(scanner, &row, text, &tag, &mut report);
                continue;
            }
            let (source_family, family) = if name.starts_with("gitleaks") {
                let r = row
                    .get("rule_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                (format!("gitleaks:{r}"), gitleaks_family(r))
            } else {
                let p = row
                    .get("plugin")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                (format!("detect-secrets:{p}"), detect_secrets_family(p))
            };
            let secret = row.get("label").and_then(Value::as_str) == Some("secret");
            let hit = !masked(scanner, text).is_empty();
            if let (true, Ok(f)) = (secret, family) {
                if placeholder_by_policy(text) {
                    let e = report.placeholder_secrets.entry(f.to_string()).or_default();
                    e.0 += 1;
                    e.1 += usize::from(hit);
                    continue;
                }
            }
            if !secret && source_family == "gitleaks:gcp-api-key" && well_formed_google_key(text) {
                report.allowlisted_lookalikes.0 += 1;
                report.allowlisted_lookalikes.1 += usize::from(hit);
                continue;
            }
            match family {
                Ok(f) => {
                    let counts = report.families.entry(f.to_string()).or_default();
                    if secret {
                        counts.secret_rows += 1;
                        if hit {
                            counts.detected += 1;
                        } else {
                            report
                                .misses
                                .push(format!("missed {tag} ({source_family})"));
                        }
                    } else {
                        counts.lookalike_rows += 1;
                        if hit {
                            counts.false_positives += 1;
                            report.misses.push(format!(
                                "false positive {tag} ({source_family}) by {}",
                                fired(scanner, text)
                            ));
                        }
                    }
                }
                Err(why) => {
                    if secret {
                        report
                            .out_of_scope
                            .entry(source_family)
                            .or_insert((0, why))
                            .0 += 1;
                    } else {
                        report.out_of_scope_lookalikes += 1;
                        if hit {
                            report.out_of_scope_false_positives += 1;
                            report.misses.push(format!(
                                "false positive {tag} ({source_family}) by {}",
                                fired(scanner, text)
                            ));
                        }
                    }
                }
            }
        }
    }
    report
}

fn evaluate_secretlint(
    scanner: &SecretScanner,
    row: &Value,
    text: &str,
    tag: &str,
    report: &mut Report,
) {
    let rule = row.get("rule").and_then(Value::as_str).unwrap_or_default();
    let source_family = format!("secretlint:{rule}");
    let redact = row.get("expect").and_then(Value::as_str) == Some("redact");
    if row.get("has_rule_options").and_then(Value::as_bool) == Some(true) {
        // The expectation depends on the source rule's options: neither a secret nor a
        // look-alike for a policy without them.
        let e = report
            .out_of_scope
            .entry(format!("{source_family} (with rule options)"))
            .or_insert((0, "fixture depends on the source rule's options"));
        e.0 += usize::from(redact);
        return;
    }
    // Azure tenant and application (client) ids appear in public sign-in URLs: identifiers, not
    // credentials, so not a secrets-policy finding.
    let ids_only = row.get("spans").and_then(Value::as_array).is_some_and(|a| {
        !a.is_empty()
            && a.iter().all(|s| {
                matches!(
                    s.get("messageId").and_then(Value::as_str),
                    Some("AzureTenantId" | "AzureClientId")
                )
            })
    });
    if ids_only {
        let e = report
            .out_of_scope
            .entry(format!("{source_family} (tenant / client ids)"))
            .or_insert((0, "identifiers, not credentials"));
        e.0 += usize::from(redact);
        return;
    }
    let family = secretlint_family(rule);
    let expected_texts: Vec<&str> = row
        .get("spans")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.get("text")?.as_str()).collect())
        .unwrap_or_default();
    if let (true, Ok(f)) = (redact, family) {
        if !expected_texts.is_empty() && expected_texts.iter().all(|t| placeholder_by_policy(t)) {
            let hit = !masked(scanner, text).is_empty();
            let e = report.placeholder_secrets.entry(f.to_string()).or_default();
            e.0 += 1;
            e.1 += usize::from(hit);
            return;
        }
    }
    let spans = masked(scanner, text);
    let Ok(f) = family else {
        if let Err(why) = family {
            if redact {
                report
                    .out_of_scope
                    .entry(source_family)
                    .or_insert((0, why))
                    .0 += 1;
            } else {
                report.out_of_scope_lookalikes += 1;
                if !spans.is_empty() {
                    report.out_of_scope_false_positives += 1;
                    report.misses.push(format!(
                        "false positive {tag} ({source_family}) by {}",
                        fired(scanner, text)
                    ));
                }
            }
        }
        return;
    };
    let mut ours: Vec<(usize, usize)> = spans
        .iter()
        .map(|(s, e)| (utf16_offset(text, *s), utf16_offset(text, *e)))
        .collect();
    ours.sort_unstable();
    let mut theirs: Vec<(usize, usize)> = row
        .get("spans")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    let start = s.get("start")?.as_u64()?;
                    let end = s.get("end")?.as_u64()?;
                    Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    theirs.sort_unstable();
    report.span_rows += 1;
    if ours == theirs {
        report.span_agreements += 1;
    }
    let counts = report.families.entry(f.to_string()).or_default();
    if redact {
        counts.secret_rows += 1;
        if ours.is_empty() {
            report
                .misses
                .push(format!("missed {tag} ({source_family})"));
        } else {
            counts.detected += 1;
        }
    } else {
        counts.lookalike_rows += 1;
        if !ours.is_empty() {
            counts.false_positives += 1;
            report.misses.push(format!(
                "false positive {tag} ({source_family}) by {}",
                fired(scanner, text)
            ));
        }
    }
}
