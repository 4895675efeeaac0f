//! Secrets split across the texts of one request (`SecretScanner::redact_texts`, and the
//! exchange's request side): each text is redacted on its own, and a match of the joined texts
//! that no text shows on its own is masked in every text it touches; benign neighbours are left
//! alone.
#![cfg(test)]

use std::sync::Arc;

use llm_warden_engine::replay::{answer, post, replay, Split};
use llm_warden_engine::secrets::{SecretAction, SecretScanner, SecretsConfig};
use llm_warden_engine::Policies;

const AWS: &str = "AKIAZ7Q2MXRB5TUVWX3Y";
const AWS_MARK: &str = "[REDACTED:secret.aws.access_key_id]";
const GH: &str = "ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2";
const GH_MARK: &str = "[REDACTED:secret.github.token]";

fn scanner(cfg: &str) -> SecretScanner {
    let cfg: SecretsConfig = serde_json::from_str(cfg).unwrap();
    SecretScanner::compile(&cfg, "secrets").unwrap()
}

struct Row {
    name: &'static str,
    config: &'static str,
    texts: Vec<String>,
    /// The texts that go on.
    want: Vec<String>,
    /// (rule, first text, last text, action) of each match.
    matches: Vec<(&'static str, usize, usize, SecretAction)>,
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|t| t.to_string()).collect()
}

fn rows() -> Vec<Row> {
    let aws = "secret.aws.access_key_id";
    vec![
        Row {
            name: "split in two messages",
            config: "{}",
            texts: s(&["my key is AKIAZ7Q2", "MXRB5TUVWX3Y thanks"]),
            want: vec![format!("my key is {AWS_MARK}"), " thanks".into()],
            matches: vec![(aws, 0, 1, SecretAction::Redact)],
        },
        Row {
            name: "split over three texts, the middle one wholly inside",
            config: "{}",
            texts: s(&["key AKIA", "Z7Q2MXRB", "5TUVWX3Y ok"]),
            want: vec![format!("key {AWS_MARK}"), String::new(), " ok".into()],
            matches: vec![(aws, 0, 2, SecretAction::Redact)],
        },
        Row {
            name: "split at the keyword",
            config: "{}",
            texts: s(&["token gh", "p_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2"]),
            want: vec![format!("token {GH_MARK}"), String::new()],
            matches: vec![("secret.github.token", 0, 1, SecretAction::Redact)],
        },
        Row {
            name: "empty texts between the parts",
            config: "{}",
            texts: s(&["AKIAZ7Q2", "", "MXRB5TUVWX3Y"]),
            want: vec![AWS_MARK.into(), String::new(), String::new()],
            matches: vec![(aws, 0, 2, SecretAction::Redact)],
        },
        Row {
            name: "two split secrets over four texts",
            config: "{}",
            texts: s(&[
                "a AKIAZ7Q2",
                "MXRB5TUVWX3Y b ghp_Zq3kT9vLm2Xw8",
                "RbYc4Hn6Jp1Qs5Dt7Fg0Ka2",
                " c",
            ]),
            want: vec![
                format!("a {AWS_MARK}"),
                format!(" b {GH_MARK}"),
                String::new(),
                " c".into(),
            ],
            matches: vec![
                (aws, 0, 1, SecretAction::Redact),
                ("secret.github.token", 1, 2, SecretAction::Redact),
            ],
        },
        Row {
            name: "whole secrets in their own texts: masked there, once",
            config: "{}",
            texts: vec![format!("x {AWS}"), format!("{GH} y")],
            want: vec![format!("x {AWS_MARK}"), format!("{GH_MARK} y")],
            matches: vec![
                (aws, 0, 0, SecretAction::Redact),
                ("secret.github.token", 1, 1, SecretAction::Redact),
            ],
        },
        Row {
            name: "the name in one text, the value in the next",
            config: "{}",
            texts: s(&[
                "aws_secret_access_key =",
                " P4Td14Z4GZm+JPPzXo4Z7kDCWJoOgui01Ieft059\n",
            ]),
            want: s(&[
                "aws_secret_access_key =",
                " [REDACTED:secret.aws.secret_access_key]\n",
            ]),
            matches: vec![("secret.aws.secret_access_key", 1, 1, SecretAction::Redact)],
        },
        Row {
            name: "a value cut after a prefix its own text already masks",
            config: "{}",
            texts: s(&[
                "aws_secret_access_key = P4Td14Z4GZm+",
                "JPPzXo4Z7kDCWJoOgui01Ieft059\n",
            ]),
            want: s(&[
                "aws_secret_access_key = [REDACTED:secret.aws.secret_access_key]",
                "\n",
            ]),
            matches: vec![
                ("secret.generic.assignment", 0, 0, SecretAction::Redact),
                ("secret.aws.secret_access_key", 0, 1, SecretAction::Redact),
            ],
        },
        Row {
            name: "benign neighbours stay as they came",
            config: "{}",
            texts: s(&["You are helpful.", "What is AKIA in AWS?", "Thanks"]),
            want: s(&["You are helpful.", "What is AKIA in AWS?", "Thanks"]),
            matches: vec![],
        },
        Row {
            name: "custom literal split in two",
            config: r#"{"literals": ["project-zebra-42"]}"#,
            texts: s(&["codename project-ze", "bra-42 launch"]),
            want: s(&["codename [REDACTED:custom.literal.0]", " launch"]),
            matches: vec![("custom.literal.0", 0, 1, SecretAction::Redact)],
        },
        Row {
            name: "monitor rule: reported, nothing changes",
            config: r#"{"overrides": {"secret.aws": "monitor"}}"#,
            texts: s(&["my key is AKIAZ7Q2", "MXRB5TUVWX3Y thanks"]),
            want: s(&["my key is AKIAZ7Q2", "MXRB5TUVWX3Y thanks"]),
            matches: vec![(aws, 0, 1, SecretAction::Monitor)],
        },
        Row {
            name: "block rule: masked and reported as a block",
            config: r#"{"overrides": {"secret.aws": "block"}}"#,
            texts: s(&["my key is AKIAZ7Q2", "MXRB5TUVWX3Y thanks"]),
            want: vec![format!("my key is {AWS_MARK}"), " thanks".into()],
            matches: vec![(aws, 0, 1, SecretAction::Block)],
        },
        Row {
            name: "one text: nothing to join",
            config: "{}",
            texts: s(&["AKIAZ7Q2 MXRB5TUVWX3Y"]),
            want: s(&["AKIAZ7Q2 MXRB5TUVWX3Y"]),
            matches: vec![],
        },
        Row {
            name: "multi-byte text around the join",
            config: "{}",
            texts: s(&["clé: AKIAZ7Q2", "MXRB5TUVWX3Y — merci"]),
            want: vec![format!("clé: {AWS_MARK}"), " — merci".into()],
            matches: vec![(aws, 0, 1, SecretAction::Redact)],
        },
    ]
}

#[test]
fn secrets_across_joins() {
    for row in rows() {
        let sc = scanner(row.config);
        let got = sc.redact_texts(&row.texts);
        let own = &row.texts;
        assert_eq!(got.texts, row.want, "{}", row.name);
        let matches: Vec<_> = got
            .matches
            .iter()
            .map(|m| (m.secret.rule_id.as_str(), m.first, m.last, m.secret.action))
            .collect();
        assert_eq!(matches, row.matches, "{}", row.name);
        assert_eq!(
            got.blocked(),
            row.matches.iter().any(|m| m.3 == SecretAction::Block),
            "{}",
            row.name
        );
        let all = got.texts.concat();
        if row.matches.iter().all(|m| m.3 != SecretAction::Monitor) {
            assert!(!all.contains(AWS) && !all.contains(GH), "{}", row.name);
        }
        // Offsets point at the parts in the texts given.
        for m in &got.matches {
            assert!(m.secret.start <= own[m.first].len(), "{}", row.name);
            assert!(m.secret.end <= own[m.last].len(), "{}", row.name);
        }
    }
}

struct ExchangeRow {
    name: &'static str,
    config: &'static str,
    path: &'static str,
    body: String,
    /// Status the client gets (200: forwarded).
    status: u16,
    /// Locations in the audit of the crossing match.
    location: &'static str,
}

#[test]
fn request_texts_are_joined_through_the_exchange() {
    let rows = [
        ExchangeRow {
            name: "openai chat: two user messages",
            config: "{}",
            path: "/v1/chat/completions",
            body: r#"{"model":"gpt-4o","messages":[{"role":"user","content":"my key is AKIAZ7Q2"},{"role":"user","content":"MXRB5TUVWX3Y thanks"}]}"#.into(),
            status: 200,
            location: "messages[0].content+messages[1].content",
        },
        ExchangeRow {
            name: "openai chat: system then user content part",
            config: "{}",
            path: "/v1/chat/completions",
            body: r#"{"model":"gpt-4o","messages":[{"role":"system","content":"deploy with AKIAZ7Q2MX"},{"role":"user","content":[{"type":"text","text":"RB5TUVWX3Y please"}]}]}"#.into(),
            status: 200,
            location: "messages[0].content+messages[1].content[0].text",
        },
        ExchangeRow {
            name: "anthropic: user text then tool result",
            config: "{}",
            path: "/v1/messages",
            body: r#"{"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"AKIAZ7Q2"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"MXRB5TUVWX3Y"}]}]}"#.into(),
            status: 200,
            location: "messages[0].content+messages[1].content[0].content",
        },
        ExchangeRow {
            name: "ollama generate: system then prompt",
            config: "{}",
            path: "/api/generate",
            body: r#"{"model":"llama3.2:3b","system":"key AKIAZ7Q2","prompt":"MXRB5TUVWX3Y"}"#.into(),
            status: 200,
            location: "system+prompt",
        },
        ExchangeRow {
            name: "block rule across messages refuses the request",
            config: r#"{"secrets": {"overrides": {"secret.aws": "block"}}}"#,
            path: "/v1/chat/completions",
            body: r#"{"model":"gpt-4o","messages":[{"role":"user","content":"my key is AKIAZ7Q2"},{"role":"user","content":"MXRB5TUVWX3Y thanks"}]}"#.into(),
            status: 403,
            location: "messages[0].content+messages[1].content",
        },
    ];
    for row in rows {
        let policies = Arc::new(Policies::from_json(row.config.as_bytes()).unwrap());
        let out = replay(
            policies,
            &post(row.path, &row.body),
            &|_| answer("application/json", br#"{"ok":true}"#),
            &Split::Every(4096),
        );
        let status = out.reply.as_ref().map_or(200, |r| r.status);
        assert_eq!(status, row.status, "{}", row.name);
        let ev = out
            .audit
            .iter()
            .find(|e| e.location == row.location)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no audit at {}: {:?}",
                    row.name, row.location, out.audit
                )
            });
        assert_eq!(ev.rule_id, "secret.aws.access_key_id", "{}", row.name);
        if row.status == 200 {
            let up = out.upstream_request.expect("forwarded");
            let doc: serde_json::Value = serde_json::from_slice(&up.body).unwrap();
            let mut texts = String::new();
            collect_strings(&doc, &mut texts);
            assert!(!texts.contains("AKIAZ7Q2"), "{}: {texts}", row.name);
            assert!(!texts.contains("RB5TUVWX3Y"), "{}: {texts}", row.name);
            assert!(texts.contains(AWS_MARK), "{}: {texts}", row.name);
        } else {
            assert!(out.upstream_request.is_none(), "{}", row.name);
        }
    }
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\u{1}');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|c| collect_strings(c, out)),
        serde_json::Value::Object(o) => o.values().for_each(|c| collect_strings(c, out)),
        _ => {}
    }
}

/// `text` with every marker's rule name dropped: a text cut in parts may be masked under a less
/// specific rule than the whole (`secret.generic.assignment` for an AWS secret key when its name
/// is cut), never less.
fn unnamed(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(p) = rest.find("[REDACTED:") {
        out.push_str(&rest[..p]);
        out.push_str("[REDACTED]");
        rest = &rest[p..];
        rest = rest.find(']').map_or("", |q| &rest[q + 1..]);
    }
    out.push_str(rest);
    out
}

/// Property: every conformance row of `testdata/secrets/cases.jsonl`, cut into two texts at
/// every point and into three at a sample of points, goes on as its whole redaction (up to rule
/// names in markers): no part of a secret survives a cut, and look-alikes stay as they are.
#[test]
fn conformance_rows_cut_into_texts() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/secrets/cases.jsonl"
    );
    let sc = scanner("{}");
    let mut checked = 0;
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (name, text) = (v["name"].as_str().unwrap(), v["text"].as_str().unwrap());
        let want = unnamed(v["expect"].as_str().unwrap());
        let cuts: Vec<usize> = (1..text.len())
            .filter(|&c| text.is_char_boundary(c))
            .collect();
        let mut splits: Vec<Vec<&str>> =
            cuts.iter().map(|&c| vec![&text[..c], &text[c..]]).collect();
        for (n, &a) in cuts.iter().enumerate().step_by(3) {
            for &b in cuts.iter().skip(n + 1).step_by(5) {
                splits.push(vec![&text[..a], &text[a..b], &text[b..]]);
            }
        }
        for parts in splits {
            let got = sc.redact_texts(&parts);
            assert_eq!(unnamed(&got.texts.concat()), want, "{name}: {parts:?}");
            checked += 1;
        }
    }
    assert!(checked > 10_000, "only {checked} splits");
}
