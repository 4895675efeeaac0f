//! Conformance cases and stream properties of secret redaction.
//!
//! - `testdata/secrets/cases.jsonl`: every row through `redact()` gives `expect`, and through a
//!   `StreamRedactor` at every split point gives the same text.
//! - Properties: for fixtures (secrets in realistic answers, and look-alikes), every 2- and 3-way
//!   split (small fixtures) or a seeded random sample of splits (large ones) gives exactly
//!   `redact(whole)` (text and matches), no secret appears in any released piece, and the hold
//!   never exceeds the bound.
#![cfg(test)]

use llm_warden_engine::secrets::{
    Redacted, SecretAction, SecretScanner, SecretsConfig, StreamRedactor,
};

mod common;
use common::rng::Rng;

struct Case {
    name: String,
    text: String,
    expect: String,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/secrets/cases.jsonl"
    );
    let data = std::fs::read_to_string(path).expect("read cases.jsonl");
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json row");
            Case {
                name: v["name"].as_str().unwrap().to_string(),
                text: v["text"].as_str().unwrap().to_string(),
                expect: v["expect"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

fn scanner() -> SecretScanner {
    SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap()
}

fn char_boundaries(text: &str) -> Vec<usize> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect()
}

/// Streams `text` cut at `cuts` (sorted byte offsets); returns the merged output and checks the
/// per-push invariants.
fn stream(scanner: &SecretScanner, text: &str, cuts: &[usize], secrets: &[&str]) -> Redacted {
    let mut r = StreamRedactor::default();
    let mut out = Redacted::default();
    let mut last = 0;
    for &c in cuts.iter().chain(std::iter::once(&text.len())) {
        let piece = &text[last..c];
        last = c;
        let got = r.push(scanner, piece);
        assert!(r.held() <= scanner.max_holdback(), "hold bound exceeded");
        for s in secrets {
            assert!(!got.text.contains(s), "secret released in a piece");
        }
        out.text.push_str(&got.text);
        out.matches.extend(got.matches);
    }
    let tail = r.finish(scanner);
    out.text.push_str(&tail.text);
    out.matches.extend(tail.matches);
    assert_eq!(r.held(), 0);
    out
}

/// The masked secrets of `text` (what must never be released).
fn masked_values(scanner: &SecretScanner, text: &str) -> Vec<String> {
    scanner
        .redact(text)
        .matches
        .iter()
        .filter(|m| m.action != SecretAction::Monitor)
        .map(|m| text[m.start..m.end].to_string())
        .collect()
}

fn check_all_splits(scanner: &SecretScanner, name: &str, text: &str) {
    let whole = scanner.redact(text);
    let secrets = masked_values(scanner, text);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let b = char_boundaries(text);
    let inner = &b[1..b.len().saturating_sub(1)];
    // Every 2-way split; for very long fixtures every 7th (plus the random sample below).
    let step = if inner.len() > 2000 { 7 } else { 1 };
    for &i in inner.iter().step_by(step) {
        let got = stream(scanner, text, &[i], &secrets);
        assert_eq!(got, whole, "{name}: split at {i}");
    }
    // Exhaustive 3-way splits for small fixtures (quadratic: keep the bound modest, the machine
    // is shared); larger ones rely on the seeded random sample below.
    if inner.len() <= 120 {
        for (x, &i) in inner.iter().enumerate() {
            for &j in &inner[x + 1..] {
                let got = stream(scanner, text, &[i, j], &secrets);
                assert_eq!(got, whole, "{name}: split at {i},{j}");
            }
        }
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ text.len() as u64);
    for round in 0..200 {
        let mut cuts: Vec<usize> = (0..1 + rng.below(40))
            .map(|_| {
                inner
                    .get(rng.below(inner.len().max(1)))
                    .copied()
                    .unwrap_or(0)
            })
            .filter(|&c| c > 0)
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let got = stream(scanner, text, &cuts, &secrets);
        assert_eq!(got, whole, "{name}: random round {round} cuts {cuts:?}");
    }
    // One character at a time: the shape of an SSE token stream.
    let cuts: Vec<usize> = inner.to_vec();
    assert_eq!(
        stream(scanner, text, &cuts, &secrets),
        whole,
        "{name}: per char"
    );
}

#[test]
fn conformance_cases_redact() {
    let scanner = scanner();
    let mut failures = Vec::new();
    for c in cases() {
        let got = scanner.redact(&c.text).text;
        if got != c.expect {
            failures.push(format!(
                "{}:\n  got    {got:?}\n  expect {:?}",
                c.name, c.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conformance_cases_stream_every_split() {
    let scanner = scanner();
    for c in cases() {
        let secrets = masked_values(&scanner, &c.text);
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let whole = scanner.redact(&c.text);
        for &i in &char_boundaries(&c.text) {
            let got = stream(&scanner, &c.text, &[i], &secrets);
            assert_eq!(got, whole, "{}: split at {i}", c.name);
        }
    }
}

#[test]
fn stream_properties_on_fixtures() {
    let scanner = scanner();
    let cases = cases();
    // Small fixtures: each case alone. Large: all cases joined into one long answer.
    for c in &cases {
        check_all_splits(&scanner, &c.name, &c.text);
    }
    let joined: String = cases
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\nNext, ");
    check_all_splits(&scanner, "all cases joined", &joined);
}

#[test]
fn nothing_suspicious_is_released_at_once() {
    let scanner = scanner();
    // (name, piece, released immediately)
    let rows: &[(&str, &str, &str)] = &[
        ("plain words", "The answer is 42.", "The answer is 42."),
        ("ends in a space", "Hello, world ", "Hello, world "),
        ("partial keyword held", "Your key is AKI", "Your key is "),
        ("start of armour held", "see -----BEGIN", "see "),
        ("open token held", "token ghp_abc", "token "),
        ("mid-word letters released", "the cat", "the cat"),
    ];
    for (name, piece, want) in rows {
        let mut r = StreamRedactor::default();
        let got = r.push(&scanner, piece);
        assert_eq!(got.text, *want, "{name}");
        assert_eq!(r.held(), piece.len() - want.len(), "{name}");
    }
}

#[test]
fn block_and_monitor_actions() {
    let token = "ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2";
    let text = format!("a {token} b");
    // (name, overrides json, expected text, expected action)
    let rows: &[(&str, &str, String, SecretAction)] = &[
        (
            "block masks too",
            r#"{"overrides": {"secret.github": "block"}}"#,
            "a [REDACTED:secret.github.token] b".to_string(),
            SecretAction::Block,
        ),
        (
            "monitor reports only",
            r#"{"overrides": {"secret.github.token": "monitor"}}"#,
            text.clone(),
            SecretAction::Monitor,
        ),
    ];
    for (name, cfg, want, action) in rows {
        let cfg: SecretsConfig = serde_json::from_str(cfg).unwrap();
        let scanner = SecretScanner::compile(&cfg, "secrets").unwrap();
        let got = scanner.redact(&text);
        assert_eq!(&got.text, want, "{name}");
        assert_eq!(got.matches.len(), 1, "{name}");
        assert_eq!(got.matches[0].action, *action, "{name}");
        assert_eq!(got.matches[0].start, 2, "{name}");
        check_all_splits(&scanner, name, &text);
    }
}

#[test]
fn canaries_literals_and_custom_rules() {
    let cfg: SecretsConfig = serde_json::from_str(
        r#"{
            "canaries": ["CANARY-7f3a9c"],
            "literals": ["hunter2-internal"],
            "rules": [
                {"id": "acme.ticket_key", "regex": "ACME-[0-9]{8}", "keywords": ["ACME-"]},
                {"id": "acme.codename", "literal": "Project Bluebird", "action": "monitor"}
            ],
            "replacement": "<{rule}>"
        }"#,
    )
    .unwrap();
    let scanner = SecretScanner::compile(&cfg, "secrets").unwrap();
    // (name, text, expected)
    let rows: &[(&str, &str, &str)] = &[
        (
            "canary leaks",
            "My instructions say CANARY-7f3a9c.",
            "My instructions say <canary.0>.",
        ),
        (
            "literal",
            "pw hunter2-internal ok",
            "pw <custom.literal.0> ok",
        ),
        (
            "custom regex",
            "key ACME-12345678 end",
            "key <acme.ticket_key> end",
        ),
        (
            "custom regex no match",
            "key ACME-1234 end",
            "key ACME-1234 end",
        ),
        (
            "monitored literal",
            "about Project Bluebird",
            "about Project Bluebird",
        ),
    ];
    for (name, text, want) in rows {
        assert_eq!(scanner.redact(text).text, *want, "{name}");
        check_all_splits(&scanner, name, text);
    }
    let leaked = scanner.redact("x CANARY-7f3a9c y");
    assert!(leaked.blocked(), "canaries block by default");
}

#[test]
fn pii_pack() {
    let cfg: SecretsConfig = serde_json::from_str(r#"{"pii": true}"#).unwrap();
    let scanner = SecretScanner::compile(&cfg, "secrets").unwrap();
    let rows: &[(&str, &str, &str)] = &[
        (
            "email",
            "Write to jane.doe@example.org today.",
            "Write to [REDACTED:pii.email] today.",
        ),
        (
            "ssn",
            "SSN 234-56-7890 on file",
            "SSN [REDACTED:pii.us_ssn] on file",
        ),
        (
            "iban",
            "IBAN DE89 3704 0044 0532 0130 00, thanks",
            "IBAN [REDACTED:pii.iban], thanks",
        ),
        (
            "phone",
            "Call +1 415 555 2671 now",
            "Call [REDACTED:pii.phone] now",
        ),
        ("invalid ssn", "id 666-12-3456", "id 666-12-3456"),
    ];
    for (name, text, want) in rows {
        assert_eq!(scanner.redact(text).text, *want, "{name}");
        check_all_splits(&scanner, name, text);
    }
    let off = scanner_default_ignores_pii();
    assert_eq!(off, "Write to jane.doe@example.org today.");
}

fn scanner_default_ignores_pii() -> String {
    scanner()
        .redact("Write to jane.doe@example.org today.")
        .text
}

#[test]
fn holdback_bound_is_never_exceeded() {
    let cfg: SecretsConfig = serde_json::from_str(r#"{"max_holdback_bytes": 4096}"#).unwrap();
    let scanner = SecretScanner::compile(&cfg, "secrets").unwrap();
    // A PEM block longer than the bound: the stream never holds more than the bound, and the
    // whole block is masked (cap by cap), as by `redact`.
    let body: String = (0..100)
        .map(|i| format!("{:064}\n", i * 7919))
        .collect::<String>()
        .replace('0', "Q");
    let text = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n");
    let mut r = StreamRedactor::default();
    let mut out = String::new();
    for ch in text.chars() {
        out.push_str(&r.push(&scanner, &ch.to_string()).text);
        assert!(r.held() <= 4096);
    }
    out.push_str(&r.finish(&scanner).text);
    assert_eq!(out, scanner.redact(&text).text);
    assert!(out.starts_with("[REDACTED:secret.private_key.rsa]"));
    assert!(!out.contains("QQQ"), "no key body line passes: {out}");
    assert!(
        out.ends_with("[REDACTED:secret.private_key.rsa]\n"),
        "{out}"
    );
    check_all_splits(&scanner, "over-long key", &text);
}

/// REGRESSION: bugs found while building the redactor, one row each.
#[test]
fn regression() {
    let scanner = scanner();
    // (name, text, expected)
    let rows: &[(&str, &str, &str)] = &[
        (
            "keyword split from its left boundary byte",
            "xghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2",
            "xghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2",
        ),
        (
            "token followed by a sentence period",
            "Token: glpat-Zq3kT9vLm2Xw8RbYc4Hn.",
            "Token: [REDACTED:secret.gitlab.token].",
        ),
        (
            "anthropic key is not reported as openai",
            "sk-ant-api03-Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2Zq3kT9vLm2Xw8RbYc4Hn6",
            "[REDACTED:secret.anthropic.api_key]",
        ),
        (
            "a number before a full stop is not held as a card prefix",
            "The answer is 42.",
            "The answer is 42.",
        ),
        (
            "a URL assigned to a secret name is left to the URL rules",
            "CREDENTIALS = \"mongodb://mongodb:mongodb@localhost:27017/db\"",
            "CREDENTIALS = \"mongodb://mongodb:mongodb@localhost:27017/db\"",
        ),
        (
            "a placeholder vendor token assigned to a password is not generic",
            "password = \"xoxb-xoxb-my-bot-token-1234\"",
            "password = \"xoxb-xoxb-my-bot-token-1234\"",
        ),
        (
            "an elided value is an illustration",
            "export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...",
            "export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...",
        ),
        (
            "names that are not secrets",
            "token_url = https://auth.acme.io/token\ncredentialsId: 'ff083f76-7804-4ef1-80e4-fe975bb9141b'",
            "token_url = https://auth.acme.io/token\ncredentialsId: 'ff083f76-7804-4ef1-80e4-fe975bb9141b'",
        ),
        (
            // Found by libFuzzer: the value started at the cut left by the open window of the
            // second keyword, so the stream released the first keyword and lost the candidate.
            "an assignment whose value is a key name with an open window",
            "api_key: AWS_SECRET_ACCESS_KEY= ",
            "api_key: [REDACTED:secret.generic.assignment] ",
        ),
    ];
    for (name, text, want) in rows {
        assert_eq!(scanner.redact(text).text, *want, "{name}");
        check_all_splits(&scanner, name, text);
    }
}

/// `StreamRedactor::pass` (the stream fast path's question) agrees with `push` step by step:
/// whenever it takes a piece, `push` on the same state releases the same text with no match,
/// and a stream fed through `pass` where it can and `push` otherwise ends as `redact(whole)`.
#[test]
fn pass_agrees_with_push() {
    let scanner = scanner();
    let prose = "The committee reviewed the quarterly report on river sediment. Keys: none. ";
    let mut texts: Vec<String> = cases().into_iter().map(|c| c.text).collect();
    texts.push(prose.repeat(4));
    texts.push(format!(
        "{prose}AKIAQZ7R4TLW2XKJ5NBV and sk-proj-{} {prose}",
        "a".repeat(40)
    ));
    let mut taken = 0usize;
    for text in &texts {
        let whole = scanner.redact(text);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for n in [1usize, 2, 3, 4, 7] {
            let mut r = StreamRedactor::default();
            let mut out = Redacted::default();
            for group in chars.chunks(n) {
                let (Some(&(start, _)), Some(&(last, c))) = (group.first(), group.last()) else {
                    continue;
                };
                let piece = &text[start..last + c.len_utf8()];
                let mut pushed = r.clone();
                let want = pushed.push(&scanner, piece);
                match r.pass(&scanner, piece) {
                    Some(released) => {
                        taken += 1;
                        let text = match released {
                            llm_warden_engine::secrets::Release::Piece => piece.to_string(),
                            llm_warden_engine::secrets::Release::Text(t) => t,
                        };
                        assert!(want.matches.is_empty(), "pass took a piece push matched");
                        assert_eq!(text, want.text, "{n}: {piece:?}");
                        assert_eq!(r.held(), pushed.held(), "{n}: {piece:?}");
                        out.text.push_str(&text);
                    }
                    None => {
                        let got = r.push(&scanner, piece);
                        out.text.push_str(&got.text);
                        out.matches.extend(got.matches);
                    }
                }
            }
            let rest = r.finish(&scanner);
            out.text.push_str(&rest.text);
            out.matches.extend(rest.matches);
            assert_eq!(out.text, whole.text, "pieces of {n}");
            assert_eq!(out.matches.len(), whole.matches.len(), "pieces of {n}");
        }
    }
    assert!(taken > 0, "pass never took a piece");
}
