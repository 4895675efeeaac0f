//! End-to-end tests of the `llm-warden` binary: each subcommand run as a user runs it, checked on
//! exit code and output.
#![cfg(test)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn llm_warden(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-warden"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("run llm-warden");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

// ---- validate -----------------------------------------------------------------------------------

struct ValidateRow {
    name: &'static str,
    file: &'static str,
    text: &'static str,
    code: i32,
    /// Substrings of stdout.
    shows: &'static [&'static str],
}

const VALIDATE: &[ValidateRow] = &[
    ValidateRow {
        name: "empty config is valid",
        file: "empty.json",
        text: "{}",
        code: 0,
        shows: &["valid"],
    },
    ValidateRow {
        name: "every error with its path",
        file: "bad.json",
        text: r#"{"mdoe": "monitor", "tools": {"allow": [""]}, "secrets": {"literals": [""]}}"#,
        code: 1,
        shows: &["3 errors", "mdoe:", "secrets.literals[0]: empty literal", "tools.allow[0]: empty tool name"],
    },
    ValidateRow {
        name: "json syntax error",
        file: "broken.json",
        text: "{\"mode\": ",
        code: 1,
        shows: &["invalid", "(syntax): not valid JSON: EOF while parsing a value at line 1 column 8"],
    },
    ValidateRow {
        name: "json syntax error without a path",
        file: "brace.json",
        text: "{",
        code: 1,
        shows: &["(syntax): not valid JSON: EOF while parsing"],
    },
    ValidateRow {
        name: "istio wasmplugin",
        file: "wasmplugin.yaml",
        text: "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: llm-warden\n  namespace: istio-system\nspec:\n  url: oci://example/llm-warden:0.1.0\n  pluginConfig:\n    models:\n      allow: [\"llama3.2:3b\"]\n      require_pinned: true\n",
        code: 0,
        shows: &["valid", "WasmPlugin istio-system/llm-warden spec.pluginConfig"],
    },
    ValidateRow {
        name: "envoy gateway policy with a bad entry",
        file: "eep.yaml",
        text: "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyExtensionPolicy\nmetadata: {name: llm}\nspec:\n  wasm:\n  - name: llm-warden\n    config:\n      mode: strict\n",
        code: 1,
        shows: &["spec.wasm[0].config", "mode:"],
    },
    ValidateRow {
        name: "yaml that holds no configuration",
        file: "svc.yaml",
        text: "static_resources:\n  clusters: []\n",
        code: 1,
        shows: &["no llm-warden configuration found"],
    },
];

#[test]
fn validate_reports_paths_and_exit_codes() {
    let dir = scratch("validate");
    for row in VALIDATE {
        let file = write(&dir, row.file, row.text);
        let run = llm_warden(&["validate", &file]);
        assert_eq!(
            run.code, row.code,
            "{}: {}{}",
            row.name, run.stdout, run.stderr
        );
        for s in row.shows {
            assert!(
                run.stdout.contains(s),
                "{}: {s:?} not in\n{}",
                row.name,
                run.stdout
            );
        }
    }
}

/// Shipped deployment files that carry a filter configuration (Envoy with the wasm filter, Istio
/// and Envoy Gateway manifests).
fn shipped_configs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["envoy", "istio"] {
        let Ok(entries) = std::fs::read_dir(repo().join(dir)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let yaml = p.extension().is_some_and(|x| x == "yaml" || x == "yml");
            if yaml
                && (text.contains("envoy.filters.http.wasm")
                    || text.contains("kind: WasmPlugin")
                    || text.contains("kind: EnvoyExtensionPolicy"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn validate_accepts_the_shipped_configs() {
    let files = shipped_configs();
    assert!(!files.is_empty());
    for file in files {
        let run = llm_warden(&["validate", file.to_str().unwrap()]);
        assert_eq!(
            run.code,
            0,
            "{}: {}{}",
            file.display(),
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn validate_json_output() {
    let dir = scratch("validate-json");
    let file = write(&dir, "c.json", r#"{"limits": {"max_json_depth": 0}}"#);
    let run = llm_warden(&["validate", "--format", "json", &file]);
    assert_eq!(run.code, 1);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["valid"], false);
    assert_eq!(v[0]["errors"][0]["path"], "limits.max_json_depth");
}

// ---- scan ---------------------------------------------------------------------------------------

const SSE_WITH_KEY: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"key AKIAQ3EGT7\"},\"finish_reason\":null}]}\n\ndata: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"KX5HZR2M4P ok\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n";

struct ScanRow {
    name: &'static str,
    config: &'static str,
    file: &'static str,
    text: &'static str,
    args: &'static [&'static str],
    verdict: &'static str,
    status: u64,
    code: Option<&'static str>,
    rules: &'static [&'static str],
    path: &'static str,
    client_contains: &'static [&'static str],
    client_excludes: &'static [&'static str],
}

const SCAN: &[ScanRow] = &[
    ScanRow {
        name: "request blocked by a custom phrase",
        config: r#"{"prompt_injection": {"block_phrases": ["open the pod bay doors"]}}"#,
        file: "req.json",
        text: r#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Open the pod bay doors"}]}"#,
        args: &[],
        verdict: "block",
        status: 403,
        code: Some("prompt_injection_detected"),
        rules: &["custom.phrase.0"],
        path: "/v1/chat/completions",
        client_contains: &["prompt_injection_detected"],
        client_excludes: &[],
    },
    ScanRow {
        name: "sse stream with a split secret, replayed byte by byte",
        config: "{}",
        file: "stream.sse",
        text: SSE_WITH_KEY,
        args: &["--split", "1"],
        verdict: "modified",
        status: 200,
        code: None,
        rules: &["secret.aws.access_key_id"],
        path: "/v1/chat/completions",
        client_contains: &["[REDACTED:secret.aws.access_key_id]", "[DONE]"],
        client_excludes: &["AKIAQ3EGT7", "KX5HZR2M4P"],
    },
    ScanRow {
        name: "ndjson stream recognised as ollama chat",
        config: "{}",
        file: "chat.ndjson",
        text: "{\"model\":\"llama3.2:3b\",\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},\"done\":false}\n{\"model\":\"llama3.2:3b\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}\n",
        args: &[],
        verdict: "pass",
        status: 200,
        code: None,
        rules: &[],
        path: "/api/chat",
        client_contains: &["hello"],
        client_excludes: &[],
    },
    ScanRow {
        name: "bare file with an explicit path and kind",
        config: r#"{"models": {"allow": ["llama3.2:3b"]}}"#,
        file: "pull.json",
        text: r#"{"model":"mistral:7b","prompt":"hi"}"#,
        args: &["--kind", "request", "--path", "/api/generate"],
        verdict: "block",
        status: 403,
        code: Some("model_not_allowed"),
        rules: &["models.allow"],
        path: "/api/generate",
        client_contains: &["{\"error\":"],
        client_excludes: &[],
    },
    ScanRow {
        name: "MCP tools/call outside the allowlist, recognised as JSON-RPC",
        config: r#"{"mcp": {"routes": [{"path_prefix": "/mcp"}]}, "tools": {"default": "deny", "allow": ["get_weather"]}}"#,
        file: "call.json",
        text: r#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"send_money","arguments":{"to":"x"}}}"#,
        args: &[],
        verdict: "block",
        status: 403,
        code: Some("tool_not_allowed"),
        rules: &["tools.default"],
        path: "/mcp",
        client_contains: &["\"id\":9", "-32001"],
        client_excludes: &[],
    },
    ScanRow {
        name: "MCP tools/list answer on SSE: the refused tool is removed",
        config: r#"{"mcp": {"routes": [{"path_prefix": "/mcp"}]}, "tools": {"default": "deny", "allow": ["get_weather"]}}"#,
        file: "list.sse",
        text: "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"get_weather\",\"inputSchema\":{}},{\"name\":\"send_money\",\"inputSchema\":{}}]}}\n\n",
        args: &["--split", "3"],
        verdict: "modified",
        status: 200,
        code: None,
        rules: &["tools.default"],
        path: "/mcp",
        client_contains: &["get_weather"],
        client_excludes: &["send_money"],
    },
];

#[test]
fn scan_reports_what_the_filter_does() {
    let dir = scratch("scan");
    for row in SCAN {
        let config = write(&dir, "config.json", row.config);
        let file = write(&dir, row.file, row.text);
        let mut args = vec!["scan", "--config", &config, "--format", "json"];
        args.extend(row.args);
        args.push(&file);
        let run = llm_warden(&args);
        assert_eq!(run.code, 0, "{}: {}", row.name, run.stderr);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        let r = &v[0];
        assert_eq!(r["verdict"], row.verdict, "{}: {r:#}", row.name);
        assert_eq!(r["status"], row.status, "{}", row.name);
        assert_eq!(r["code"].as_str(), row.code, "{}", row.name);
        assert_eq!(r["path"], row.path, "{}", row.name);
        for rule in row.rules {
            assert!(
                r["rules"].as_array().unwrap().iter().any(|x| x == rule),
                "{}: {rule}",
                row.name
            );
        }
        let client = r["client_response"]["body"].as_str().unwrap();
        for s in row.client_contains {
            assert!(client.contains(s), "{}: {s:?} not in {client}", row.name);
        }
        for s in row.client_excludes {
            assert!(!client.contains(s), "{}: {s:?} in {client}", row.name);
        }
    }
}

#[test]
fn scan_reads_har_entries_and_prints_for_humans() {
    let dir = scratch("scan-har");
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "POST", "url": "http://localhost:11434/api/chat",
                     "headers": [{"name": "Content-Type", "value": "application/json"}],
                     "postData": {"mimeType": "application/json",
                                  "text": "{\"model\":\"llama3.2:3b\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"token?\"}]}"}},
         "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json; charset=utf-8"},
                                                 {"name": "Content-Encoding", "value": "gzip"}],
                      "content": {"mimeType": "application/json",
                                  "text": "{\"model\":\"llama3.2:3b\",\"message\":{\"role\":\"assistant\",\"content\":\"use ghp_R8xk2Lm9Qw4Tz7Vb3Nc6Yp1Hs5Jd0Fg8Ka2E\"},\"done\":true}"}}},
        {"request": {"method": "POST", "url": "http://localhost:11434/api/pull",
                     "headers": [], "postData": {"mimeType": "application/json", "text": "{\"model\":\"llama3.2:3b\"}"}},
         "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": "{\"status\":\"success\"}"}}}
    ]}});
    let file = write(&dir, "session.har", &har.to_string());
    let run = llm_warden(&["scan", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for s in [
        "session.har#entries[0]",
        "POST /api/chat",
        "MODIFIED",
        "secret.github.token",
        "client receives:",
        "[REDACTED:secret.github.token]",
        "session.har#entries[1]",
        "BLOCK  status 403  code model_change_not_allowed",
        "models.allow_admin",
    ] {
        assert!(out.contains(s), "{s:?} not in\n{out}");
    }
    assert!(!out.contains("ghp_R8xk"), "{out}");

    for (fail_on, code) in [("block", 1), ("modified", 1)] {
        let run = llm_warden(&["scan", "--fail-on", fail_on, &file]);
        assert_eq!(run.code, code, "--fail-on {fail_on}");
    }
    let benign = write(
        &dir,
        "benign.json",
        r#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
    );
    let run = llm_warden(&[
        "scan",
        "--fail-on",
        "block",
        "--fail-on",
        "modified",
        &benign,
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("PASS"), "{}", run.stdout);
    assert!(!out.contains("\x1b["), "colour without a terminal");
}

#[test]
fn scan_errors_say_what_to_do() {
    let dir = scratch("scan-errors");
    let bad = write(&dir, "bad.json", r#"{"tools": {"allow": [""]}}"#);
    let body = write(&dir, "b.json", "{}");
    let run = llm_warden(&["scan", "--config", &bad, &body]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("tools.allow[0]") && run.stderr.contains("llm-warden validate"),
        "{}",
        run.stderr
    );
    let run = llm_warden(&["scan", "--split", "0", &body]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--split"), "{}", run.stderr);
}

// ---- test ---------------------------------------------------------------------------------------

#[test]
fn test_passes_on_the_project_cases() {
    let run = llm_warden(&["test", "testdata/cases"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" passed, 0 failed"), "{}", run.stdout);
}

/// Stream cases must hold however the network cuts the upstream's bytes: every project case with
/// a response is run again at several chunk sizes, each as a case of its own.
#[test]
fn project_cases_hold_at_every_split() {
    let dir = scratch("splits");
    let mut files = Vec::new();
    let mut stack = vec![repo().join("testdata/cases")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "config.json") {
                files.push(p);
            }
        }
    }
    let mut variants = 0;
    for f in files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        assert!(
            case.get("config").is_some() || !f.parent().unwrap().join("config.json").exists(),
            "{}: folder configs are not copied by this test",
            f.display()
        );
        if case.get("response").is_none() {
            continue;
        }
        let stem = f.file_stem().unwrap().to_str().unwrap().to_string();
        let area = f
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        for split in [1, 2, 3, 5, 8, 13, 64] {
            let mut v = case.clone();
            v["split"] = json!(split);
            v["name"] = json!(format!(
                "{} (split {split})",
                case["name"].as_str().unwrap()
            ));
            write(&dir, &format!("{area}-{stem}-{split}.json"), &v.to_string());
            variants += 1;
        }
    }
    assert!(variants > 100, "{variants}");
    let run = llm_warden(&["test", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn test_reports_failures_and_uses_folder_configs() {
    let dir = scratch("cases");
    write(
        &dir,
        "strict/config.json",
        r#"{"models": {"allow": ["llama3.2:3b"]}}"#,
    );
    write(
        &dir,
        "strict/refused.json",
        r#"{"name": "unlisted model refused", "request": {"path": "/api/chat", "body": {"model": "phi3:mini", "messages": []}},
            "expect": {"verdict": "block", "status": 403, "code": "model_not_allowed", "rules": ["models.allow"]}}"#,
    );
    write(
        &dir,
        "strict/wrong.json",
        r#"{"name": "wrong expectation", "request": {"path": "/api/chat", "body": {"model": "phi3:mini", "messages": []}},
            "expect": {"verdict": "pass", "client_contains": ["never"]}}"#,
    );
    write(
        &dir,
        "malformed.json",
        r#"{"name": "typo", "request": {"path": "/"}, "expect": {"verdikt": "pass"}}"#,
    );
    let run = llm_warden(&["test", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let out = &run.stdout;
    for s in [
        "ok   unlisted model refused",
        "FAIL wrong expectation",
        "verdict: expected pass, got block",
        "client_contains: \"never\"",
        "not a valid case file",
        "1 passed, 2 failed",
    ] {
        assert!(out.contains(s), "{s:?} not in\n{out}");
    }

    let one = dir.join("strict/refused.json");
    let run = llm_warden(&["test", one.to_str().unwrap()]);
    assert_eq!(
        run.code, 0,
        "one file, with its folder's config: {}",
        run.stdout
    );
    assert!(run.stdout.contains("1 passed, 0 failed"), "{}", run.stdout);

    let run = llm_warden(&["test", "--format", "json", dir.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["passed"], 1);
    assert_eq!(v["failed"], 2);
}

#[test]
fn test_without_cases_says_what_is_expected() {
    let dir = scratch("no-cases");
    let run = llm_warden(&["test", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("llm-warden test --help"),
        "{}",
        run.stderr
    );
    let run = llm_warden(&["test", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("upstream_contains") && run.stdout.contains("case.schema.json"));
}

// ---- rules, schema --------------------------------------------------------------------------------

#[test]
fn rules_lists_builtin_and_policy_rules() {
    let run = llm_warden(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "secret.aws.access_key_id",
        "secret.github.token",
        "custom.phrase.[i]",
        "models.allow_admin",
    ] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    let run = llm_warden(&["rules"]);
    assert!(run.stdout.starts_with("ID"), "{}", run.stdout);
}

#[test]
fn schema_prints_one_self_contained_document() {
    let run = llm_warden(&["schema"]);
    assert_eq!(run.code, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for line in run.stdout.lines().filter(|l| l.contains("\"$ref\"")) {
        assert!(
            line.contains("\"$ref\": \"#/"),
            "non-local reference: {line}"
        );
    }
    let run = llm_warden(&["schema", "--case"]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["title"], "llm-warden policy test case");
}
