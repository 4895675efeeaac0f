//! Secrets on the request side through the exchange: what goes on to the upstream, what is
//! refused, what the audit says.
#![cfg(test)]

use std::sync::Arc;

use llm_warden_engine::replay::{answer, post, replay, Split};
use llm_warden_engine::Policies;

const CANARY: &str = "WARDEN-CANARY-4e7a91c2";
const AWS: &str = "AKIAZ7Q2MXRB5TUVWX3Y";

struct Row {
    name: &'static str,
    config: String,
    path: &'static str,
    body: String,
    /// Status the client gets (200: forwarded).
    status: u16,
    upstream_contains: &'static [&'static str],
    upstream_excludes: &'static [&'static str],
    /// (rule id, outcome) expected in the audit.
    audit: Option<(&'static str, &'static str)>,
}

#[test]
fn request_side_rows() {
    let canaries = format!(r#"{{"secrets": {{"canaries": ["{CANARY}"]}}}}"#);
    let block_aws = r#"{"secrets": {"overrides": {"secret.aws": "block"}}}"#.to_string();
    let monitor_aws = r#"{"secrets": {"overrides": {"secret.aws": "monitor"}}}"#.to_string();
    let strip_tool = r#"{"tools": {"deny": ["drop_me"]}}"#.to_string();
    let rows = [
        // REGRESSION: a canary in the system prompt it is planted in refused every request
        // (403 sensitive_data_blocked) with the default canary action.
        Row {
            name: "canary in the system prompt goes on untouched",
            config: canaries.clone(),
            path: "/v1/chat/completions",
            body: format!(
                r#"{{"model":"m","messages":[{{"role":"system","content":"Notes {CANARY}. Be polite."}},{{"role":"user","content":"hi"}}]}}"#
            ),
            status: 200,
            upstream_contains: &[CANARY],
            upstream_excludes: &["REDACTED"],
            audit: None,
        },
        Row {
            name: "canary config still redacts other secrets in requests",
            config: canaries.clone(),
            path: "/v1/chat/completions",
            body: format!(
                r#"{{"model":"m","messages":[{{"role":"system","content":"{CANARY}"}},{{"role":"user","content":"key {AWS}"}}]}}"#
            ),
            status: 200,
            upstream_contains: &[CANARY, "[REDACTED:secret.aws.access_key_id]"],
            upstream_excludes: &[AWS],
            audit: Some(("secret.aws.access_key_id", "redact")),
        },
        // REGRESSION: a non-JSON body reported a `block` rule's match as redacted and sent the
        // request on; JSON bodies were refused.
        Row {
            name: "block rule in a text body refuses it",
            config: block_aws.clone(),
            path: "/custom/endpoint",
            body: format!("plain text with {AWS} in it"),
            status: 403,
            upstream_contains: &[],
            upstream_excludes: &[],
            audit: Some(("secret.aws.access_key_id", "block")),
        },
        Row {
            name: "monitor rule in a text body is reported, not redacted",
            config: monitor_aws.clone(),
            path: "/custom/endpoint",
            body: format!("plain text with {AWS} in it"),
            status: 200,
            upstream_contains: &[AWS],
            upstream_excludes: &["REDACTED"],
            audit: Some(("secret.aws.access_key_id", "monitor")),
        },
        Row {
            name: "redact rule in a text body",
            config: "{}".into(),
            path: "/custom/endpoint",
            body: format!("plain text with {AWS} in it"),
            status: 200,
            upstream_contains: &["[REDACTED:secret.aws.access_key_id]"],
            upstream_excludes: &[AWS],
            audit: Some(("secret.aws.access_key_id", "redact")),
        },
        // REGRESSION: an Anthropic plain-text document's `data` was a skipped key, so a secret
        // in it went to the upstream (also inside a tool result).
        Row {
            name: "secret in an anthropic plain-text document",
            config: "{}".into(),
            path: "/v1/messages",
            body: format!(
                r#"{{"model":"m","max_tokens":8,"messages":[{{"role":"user","content":[{{"type":"document","source":{{"type":"text","media_type":"text/plain","data":"creds {AWS}"}}}},{{"type":"text","text":"summarise"}}]}}]}}"#
            ),
            status: 200,
            upstream_contains: &["[REDACTED:secret.aws.access_key_id]", "summarise"],
            upstream_excludes: &[AWS],
            audit: Some(("secret.aws.access_key_id", "redact")),
        },
        Row {
            name: "secret in a document inside a tool result",
            config: "{}".into(),
            path: "/v1/messages",
            body: format!(
                r#"{{"model":"m","max_tokens":8,"messages":[{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"t","content":[{{"type":"document","source":{{"type":"text","data":"{AWS}"}}}}]}}]}}]}}"#
            ),
            status: 200,
            upstream_contains: &["[REDACTED:secret.aws.access_key_id]"],
            upstream_excludes: &[AWS],
            audit: Some(("secret.aws.access_key_id", "redact")),
        },
        Row {
            name: "base64 document data is not text",
            config: "{}".into(),
            path: "/v1/messages",
            body: r#"{"model":"m","max_tokens":8,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"}}]}]}"#.into(),
            status: 200,
            upstream_contains: &["JVBERi0xLjQK"],
            upstream_excludes: &["REDACTED"],
            audit: None,
        },
        // REGRESSION: a secret used as an object key (tool-call arguments) went to the upstream.
        Row {
            name: "secret as an object key in tool-call arguments",
            config: "{}".into(),
            path: "/api/chat",
            body: format!(
                r#"{{"model":"m","messages":[{{"role":"assistant","content":"","tool_calls":[{{"function":{{"name":"f","arguments":{{"{AWS}":1,"b":"x"}}}}}}]}},{{"role":"user","content":"go"}}]}}"#
            ),
            status: 200,
            upstream_contains: &["[REDACTED:secret.aws.access_key_id]", "\"b\":\"x\""],
            upstream_excludes: &[AWS],
            audit: Some(("secret.aws.access_key_id", "redact")),
        },
        // The secrets stage moves the texts out of the document and puts them back only when it
        // is re-encoded: a request the tool policy changes must keep every text (and key) as it
        // came, or as redacted, unknown roles included.
        Row {
            name: "a request the tool policy changes keeps every text and key",
            config: strip_tool.clone(),
            path: "/v1/chat/completions",
            body: r#"{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"narrator","content":[{"type":"text","text":"Once"},{"type":"text","text":" upon"}]},{"role":"user","content":"hi there"}],"tools":[{"type":"function","function":{"name":"keep_me","description":"Looks things up.","parameters":{"type":"object","properties":{"Query":{"type":"string"}}}}},{"type":"function","function":{"name":"drop_me","description":"Gone."}}]}"#.into(),
            status: 200,
            upstream_contains: &[
                r#""messages":[{"role":"system","content":"Be brief."},{"role":"narrator","content":[{"type":"text","text":"Once"},{"type":"text","text":" upon"}]},{"role":"user","content":"hi there"}]"#,
                r#""tools":[{"type":"function","function":{"name":"keep_me","description":"Looks things up.","parameters":{"type":"object","properties":{"Query":{"type":"string"}}}}}]"#,
            ],
            upstream_excludes: &["drop_me", "Gone."],
            audit: None,
        },
        Row {
            name: "a monitored secret in a request the tool policy changes goes on as it came",
            config: r#"{"secrets": {"overrides": {"secret.aws": "monitor"}}, "tools": {"deny": ["drop_me"]}}"#.into(),
            path: "/v1/chat/completions",
            body: format!(
                r#"{{"model":"m","messages":[{{"role":"user","content":"key {AWS}"}},{{"role":"assistant","content":"","tool_calls":[{{"id":"c","type":"function","function":{{"name":"keep_me","arguments":{{"{AWS}":1}}}}}}]}}],"tools":[{{"type":"function","function":{{"name":"keep_me"}}}},{{"type":"function","function":{{"name":"drop_me"}}}}]}}"#
            ),
            status: 200,
            upstream_contains: &[
                r#""content":"key AKIAZ7Q2MXRB5TUVWX3Y""#,
                r#""arguments":{"AKIAZ7Q2MXRB5TUVWX3Y":1}"#,
            ],
            upstream_excludes: &["REDACTED", "drop_me"],
            audit: Some(("secret.aws.access_key_id", "monitor")),
        },
        Row {
            name: "a redacted secret beside an unknown role in a request the tool policy changes",
            config: strip_tool.clone(),
            path: "/v1/chat/completions",
            body: format!(
                r#"{{"model":"m","messages":[{{"role":"narrator","content":"the key is {AWS}"}},{{"role":"user","content":"thanks"}}],"tools":[{{"type":"function","function":{{"name":"drop_me"}}}}]}}"#
            ),
            status: 200,
            upstream_contains: &[
                r#"{"role":"narrator","content":"the key is [REDACTED:secret.aws.access_key_id]"},{"role":"user","content":"thanks"}"#,
            ],
            upstream_excludes: &[AWS, "drop_me"],
            audit: Some(("secret.aws.access_key_id", "redact")),
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
        assert_eq!(status, row.status, "{}: {:?}", row.name, out.audit);
        if let Some((rule, outcome)) = row.audit {
            let ev = out
                .audit
                .iter()
                .find(|e| e.rule_id == rule)
                .unwrap_or_else(|| panic!("{}: no {rule} in {:?}", row.name, out.audit));
            assert_eq!(ev.outcome.as_str(), outcome, "{}", row.name);
        } else {
            assert!(
                out.audit.iter().all(|e| e.category.as_str() != "secret"),
                "{}: {:?}",
                row.name,
                out.audit
            );
        }
        if row.status == 200 {
            let up = String::from_utf8(out.upstream_request.expect("forwarded").body).unwrap();
            for s in row.upstream_contains {
                assert!(up.contains(s), "{}: {s} missing in {up}", row.name);
            }
            for s in row.upstream_excludes {
                assert!(!up.contains(s), "{}: {s} in {up}", row.name);
            }
        } else {
            assert!(out.upstream_request.is_none(), "{}", row.name);
        }
    }
}
