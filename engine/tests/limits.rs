//! What the body limits bound: the whole body (media included) by `max_request_body_bytes`,
//! the text inspected by `max_inspected_text_bytes`. Media payloads (base64 images, audio,
//! documents) pass through untouched and uncounted, while every text beside them is inspected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use llm_warden_engine::replay::{self, Split};
use llm_warden_engine::Policies;
use serde_json::{json, Value};

const SECRET: &str = "ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2";
const MIB: usize = 1 << 20;

/// A base64 payload of about `n` bytes (its alphabet, no meaning).
fn b64(n: usize) -> String {
    let unit = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg";
    unit.repeat(n / unit.len() + 1)[..n].to_string()
}

/// (name, path, body with a `{SECRET}` text beside a ~`size`-byte media payload)
fn media_requests(size: usize) -> Vec<(&'static str, &'static str, Value)> {
    let data = b64(size);
    let half = b64(size / 2);
    let text = format!("describe this; my token is {SECRET}");
    vec![
        (
            "openai image_url data url",
            "/v1/chat/completions",
            json!({"model": "m", "messages": [{"role": "user", "content": [
                {"type": "text", "text": text},
                {"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{data}")}}]}]}),
        ),
        (
            "openai input_audio",
            "/v1/chat/completions",
            json!({"model": "m", "messages": [{"role": "user", "content": [
                {"type": "text", "text": text},
                {"type": "input_audio", "input_audio": {"data": data, "format": "wav"}}]}]}),
        ),
        (
            "openai file part",
            "/v1/chat/completions",
            json!({"model": "m", "messages": [{"role": "user", "content": [
                {"type": "text", "text": text},
                {"type": "file", "file": {"filename": "a.pdf", "file_data": format!("data:application/pdf;base64,{data}")}}]}]}),
        ),
        (
            "anthropic image and document",
            "/v1/messages",
            json!({"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": half}},
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": half}},
                {"type": "text", "text": text}]}]}),
        ),
        (
            "ollama images",
            "/api/chat",
            json!({"model": "m", "messages": [{"role": "user", "content": text, "images": [data]}]}),
        ),
        (
            "ollama generate images",
            "/api/generate",
            json!({"model": "m", "prompt": text, "images": [data]}),
        ),
    ]
}

#[test]
fn media_up_to_20_mib_pass_with_their_texts_inspected() {
    let policies = Arc::new(Policies::from_json(b"{}").unwrap());
    for (name, path, body) in media_requests(20 * MIB) {
        let body = body.to_string();
        let t = std::time::Instant::now();
        let out = replay::replay(
            policies.clone(),
            &replay::post(path, &body),
            &|_| replay::answer("application/json", b"{}"),
            &Split::Every(usize::MAX),
        );
        eprintln!("{name}: {} bytes in {:?}", body.len(), t.elapsed());
        assert!(out.reply.is_none(), "{name}: {:?}", out.reply);
        let sent = String::from_utf8(out.upstream_request.unwrap().body).unwrap();
        assert!(!sent.contains(SECRET), "{name}: the text was not inspected");
        assert!(sent.contains("[REDACTED:secret.github.token]"), "{name}");
        // Only the secret changed: the media went on as they came.
        assert_eq!(
            sent.len() + SECRET.len(),
            body.len() + "[REDACTED:secret.github.token]".len(),
            "{name}"
        );
        assert!(sent.contains(&b64(10 * MIB)), "{name}: the media changed");
    }
}

#[test]
fn limits_bound_the_body_and_the_text_apart() {
    // (name, config, body, expected refusal code or None)
    let big_text = "The committee reviewed the report. ".repeat(2 * MIB / 35);
    let prose = "The committee reviewed the report. ".repeat(100);
    let rows: Vec<(&str, &str, String, Option<&str>)> = vec![
        (
            "text over the text limit",
            "{}",
            json!({"model": "m", "messages": [{"role": "user", "content": big_text}]}).to_string(),
            Some("request_too_large"),
        ),
        (
            "text over the text limit, on_limit pass",
            r#"{"limits": {"on_limit": "pass"}}"#,
            json!({"model": "m", "messages": [{"role": "user", "content": big_text}]}).to_string(),
            None,
        ),
        (
            "body over the body limit",
            r#"{"limits": {"max_request_body_bytes": 1048576}}"#,
            media_requests(2 * MIB)[0].2.to_string(),
            Some("request_too_large"),
        ),
        (
            "a small budget refuses",
            r#"{"limits": {"work_units_per_byte": 1}}"#,
            json!({"model": "m", "messages": [{"role": "user", "content": prose}]}).to_string(),
            Some("inspection_budget_exceeded"),
        ),
        (
            "a small budget in monitor mode passes",
            r#"{"mode": "monitor", "limits": {"work_units_per_byte": 1}}"#,
            json!({"model": "m", "messages": [{"role": "user", "content": prose}]}).to_string(),
            None,
        ),
    ];
    for (name, config, body, want) in rows {
        let policies = Arc::new(Policies::from_json(config.as_bytes()).unwrap());
        let out = replay::replay(
            policies,
            &replay::post("/v1/chat/completions", &body),
            &|_| replay::answer("application/json", b"{}"),
            &Split::Every(usize::MAX),
        );
        assert_eq!(out.reply.as_ref().map(|r| r.code), want, "{name}");
    }
}

#[test]
fn a_response_over_its_budget_is_masked_and_ended() {
    let policies =
        Arc::new(Policies::from_json(br#"{"limits": {"work_units_per_byte": 1}}"#).unwrap());
    let answer = json!({"id": "c", "object": "chat.completion", "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant",
                     "content": "eyJ.".repeat(20_000)}, "finish_reason": "stop"}]})
    .to_string();
    let out = replay::replay(
        policies,
        &replay::post(
            "/v1/chat/completions",
            r#"{"model": "m", "messages": [{"role": "user", "content": "hi"}]}"#,
        ),
        &|_| replay::answer("application/json", answer.as_bytes()),
        &Split::Every(usize::MAX),
    );
    let body = String::from_utf8_lossy(&out.client_response.body);
    assert!(!body.contains("eyJ.eyJ."), "{body}");
    assert!(out
        .audit
        .iter()
        .any(|e| e.rule_id == "limits.work_units_per_byte"));
}

/// Every limit's default in `schema/config.schema.json` (what the README's table and users read)
/// is the engine's own default: `max_response_body_bytes` once became 6 MiB in the code alone,
/// when the first slice's default went from 4 to 6 Mi units.
#[test]
fn schema_limit_defaults_are_the_engines() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/config.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let props = schema["$defs"]["limits"]["properties"].as_object().unwrap();
    let defaults: serde_json::Map<String, Value> = props
        .iter()
        .map(|(name, p)| {
            let d = p
                .get("default")
                .unwrap_or_else(|| panic!("limits.{name}: no default"));
            (name.clone(), d.clone())
        })
        .collect();
    let from_schema: llm_warden_engine::config::LimitsConfig =
        serde_json::from_value(Value::Object(defaults)).unwrap();
    assert_eq!(
        format!("{from_schema:?}"),
        format!("{:?}", llm_warden_engine::config::LimitsConfig::default())
    );
}
