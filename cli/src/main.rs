//! `llm-warden`: validate, test and explain llm-warden policies offline.
//!
//! Every decision comes from the same engine the Envoy filter runs, driven through
//! `llm_warden_engine::replay` with a proxy's body semantics; the CLI only finds inputs, runs
//! them, and reports. Exit codes: 0 success, 1 the policy or a case failed (or, with `scan
//! --fail-on`, an exchange got that verdict), 2 the command could not run (unreadable file, bad
//! arguments).

mod case;
mod config_source;
mod recording;
mod report;
mod rules;
mod schema;
mod style;
mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use llm_warden_engine::error::ConfigErrorKind;
use llm_warden_engine::replay::Split;
use llm_warden_engine::Policies;
use serde_json::{json, Value};

use crate::recording::{FileKind, Hints};
use crate::report::{ScanReport, Verdict};
use crate::style::Palette;

/// `println!` that stops quietly when stdout is closed (`llm-warden rules | head`) instead of
/// panicking on the broken pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

/// `print!` with the same behaviour as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        if write!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

const CASE_HELP: &str = "\
A case is one JSON file (every *.json under CASES_DIR except config.json); a config.json in a
case's folder (or the nearest one above it) is the default config of its cases. Format
(JSON Schema: cli/case.schema.json):

  {\"name\": \"...\", \"description\"?: \"...\",
   \"config\"?: {...policy...},
   \"request\": {\"method\"?: \"POST\", \"path\": \"/v1/chat/completions\", \"headers\"?: {...},
               \"body\"?: <JSON> | \"body_text\"?: \"...\"},
   \"response\"?: {\"status\"?: 200, \"headers\"?: {\"content-type\": \"text/event-stream\"},
                \"body\"?: <JSON> | \"body_text\": \"...\"},
   \"split\"?: N,
   \"expect\": {\"verdict\": \"pass\" | \"block\" | \"modified\", \"status\"?: 403, \"code\"?: \"...\",
              \"rules\"?: [rule ids that must appear in the audit],
              \"upstream_contains\"?: [...], \"upstream_excludes\"?: [...],
              \"client_contains\"?: [...], \"client_excludes\"?: [...]}}

verdict: block = the filter answered itself or cut the response; modified = the upstream
request or the client response differs from what was sent; pass = both unchanged.
The response is the upstream's literal body; without a content-type it is inferred (SSE,
NDJSON, JSON, text). `split` feeds the response body in chunks of N bytes.";

fn cli() -> Command {
    let config = Arg::new("config")
        .long("config")
        .short('c')
        .value_name("CONFIG")
        .value_parser(value_parser!(PathBuf))
        .help("Policy file (JSON, YAML, Istio WasmPlugin, EnvoyExtensionPolicy, Envoy YAML); default {}");
    let format = Arg::new("format")
        .long("format")
        .value_parser(["text", "json"])
        .default_value("text")
        .help("Output format");
    Command::new("llm-warden")
        .about("Validate, test and explain llm-warden policies offline, with the filter's own engine")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("validate")
                .about("Parse and compile configurations; print every error with its JSON path")
                .long_about(
                    "Parse and compile configurations; print every error with its JSON path.\n\n\
                     CONFIG may be a JSON or YAML config, an Istio WasmPlugin (spec.pluginConfig), \
                     an Envoy Gateway EnvoyExtensionPolicy (spec.wasm[].config) or an Envoy \
                     bootstrap YAML (the wasm filter's configuration.value). Exits 1 when any \
                     configuration is invalid.",
                )
                .arg(
                    Arg::new("files")
                        .value_name("CONFIG")
                        .required(true)
                        .num_args(1..)
                        .value_parser(value_parser!(PathBuf)),
                )
                .arg(format.clone()),
        )
        .subcommand(
            Command::new("scan")
                .about("Replay recorded requests and responses through the engine and show what the filter does")
                .long_about(
                    "Replay recorded requests and responses through the engine and show what the \
                     filter does: verdict (pass / block / modified), status and code, rule ids, \
                     locations, and the output each side receives.\n\n\
                     FILE may be a JSON request body, a response (SSE, NDJSON, JSON, text) or a HAR \
                     file (each entry's request and response). What a bare file is and which API \
                     path it belongs to are inferred from its content; --kind, --path and \
                     --content-type override. A lone response is replayed behind a neutral \
                     request (no model, no text).",
                )
                .arg(config.clone())
                .arg(
                    Arg::new("files")
                        .value_name("FILE")
                        .required(true)
                        .num_args(1..)
                        .value_parser(value_parser!(PathBuf)),
                )
                .arg(format.clone())
                .arg(
                    Arg::new("split")
                        .long("split")
                        .value_name("N")
                        .value_parser(value_parser!(usize))
                        .help("Feed response bodies in chunks of N bytes (exercises stream boundaries)"),
                )
                .arg(
                    Arg::new("kind")
                        .long("kind")
                        .value_parser(["request", "response", "har"])
                        .help("What the files are (default: inferred from content)"),
                )
                .arg(
                    Arg::new("path")
                        .long("path")
                        .value_name("PATH")
                        .help("API path of bare files, e.g. /v1/chat/completions or /api/chat"),
                )
                .arg(
                    Arg::new("fail-on")
                        .long("fail-on")
                        .value_name("VERDICT")
                        .value_parser(["block", "modified"])
                        .action(ArgAction::Append)
                        .help("Exit 1 if any exchange gets this verdict (repeatable), e.g. to gate CI on recorded traffic"),
                )
                .arg(
                    Arg::new("content-type")
                        .long("content-type")
                        .value_name("TYPE")
                        .help("Content type of a bare response, e.g. text/event-stream"),
                ),
        )
        .subcommand(
            Command::new("test")
                .about("Run a folder of policy test cases; exit 1 if any fails")
                .after_long_help(CASE_HELP)
                .arg(
                    Arg::new("dir")
                        .value_name("CASES_DIR")
                        .help("Folder of case files (searched recursively), or one case file")
                        .required(true)
                        .value_parser(value_parser!(PathBuf)),
                )
                .arg(format.clone())
                .arg(
                    Arg::new("verbose")
                        .long("verbose")
                        .short('v')
                        .action(ArgAction::SetTrue)
                        .help("Show the verdict and rules of passing cases too"),
                ),
        )
        .subcommand(
            Command::new("rules")
                .about("List the rules the engine reports (id, category, default action, description)")
                .arg(format.clone()),
        )
        .subcommand(
            Command::new("schema")
                .about("Print the configuration's JSON Schema (draft 2020-12) as one bundled document")
                .arg(
                    Arg::new("case")
                        .long("case")
                        .action(ArgAction::SetTrue)
                        .help("Print the schema of test case files instead"),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let palette = Palette::for_stdout();
    let result = match matches.subcommand() {
        Some(("validate", m)) => cmd_validate(m, palette),
        Some(("scan", m)) => cmd_scan(m, palette),
        Some(("test", m)) => cmd_test(m, palette),
        Some(("rules", m)) => cmd_rules(m),
        Some(("schema", m)) => cmd_schema(m),
        _ => Err("unknown command; run llm-warden --help".into()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("llm-warden: {message}");
            ExitCode::from(2)
        }
    }
}

fn json_output(m: &ArgMatches) -> bool {
    m.get_one::<String>("format").map(String::as_str) == Some("json")
}

fn print_json(v: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
    outln!("{text}");
    Ok(())
}

fn paths<'a>(m: &'a ArgMatches, id: &str) -> Vec<&'a PathBuf> {
    m.get_many::<PathBuf>(id)
        .map(|v| v.collect())
        .unwrap_or_default()
}

// ---- validate -----------------------------------------------------------------------------------

fn cmd_validate(m: &ArgMatches, p: Palette) -> Result<ExitCode, String> {
    let mut invalid = false;
    let mut results = Vec::new();
    for file in paths(m, "files") {
        let found = match config_source::load(file) {
            Ok(f) => f,
            Err(e) => {
                invalid = true;
                results.push(json!({"file": file, "origin": null, "valid": false,
                    "errors": [{"path": ".", "message": e}]}));
                if !json_output(m) {
                    outln!("{} {e}", p.red("error:"));
                }
                continue;
            }
        };
        for cfg in found {
            let errors = validate::all_errors(&cfg.json);
            invalid |= !errors.is_empty();
            if json_output(m) {
                results.push(json!({
                    "file": file,
                    "origin": cfg.origin,
                    "valid": errors.is_empty(),
                    "errors": errors.iter().map(|e| json!({"path": e.path, "message": e.message}))
                        .collect::<Vec<_>>(),
                }));
                continue;
            }
            let where_ = format!("{} ({})", file.display(), cfg.origin);
            if errors.is_empty() {
                outln!("{} {where_}", p.green("valid"));
            } else {
                let n = errors.len();
                outln!(
                    "{} {where_}: {n} error{}",
                    p.red("invalid"),
                    if n == 1 { "" } else { "s" }
                );
                for e in &errors {
                    // A syntax error is at the root; its message gives line and column.
                    let syntax = e.kind == ConfigErrorKind::Syntax;
                    let path = if syntax { "(syntax)" } else { &e.path };
                    outln!("  {}: {}", p.bold(path), e.message);
                }
            }
        }
    }
    if json_output(m) {
        print_json(&Value::Array(results))?;
    } else if invalid {
        outln!(
            "{}",
            p.dim("fix each value at the path shown (`llm-warden schema` lists every field) and run validate again")
        );
    }
    Ok(if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

// ---- scan ---------------------------------------------------------------------------------------

fn load_policies(m: &ArgMatches) -> Result<Arc<Policies>, String> {
    let (json, origin) = match m.get_one::<PathBuf>("config") {
        Some(path) => {
            let found = config_source::load_one(path)?;
            (found.json, format!("{} ({})", path.display(), found.origin))
        }
        None => (b"{}".to_vec(), "the default config {}".to_string()),
    };
    Policies::from_json(&json).map(Arc::new).map_err(|e| {
        format!("{origin} is invalid: {e}; run `llm-warden validate` to see every error")
    })
}

fn cmd_scan(m: &ArgMatches, p: Palette) -> Result<ExitCode, String> {
    let policies = load_policies(m)?;
    let hints = Hints {
        kind: m.get_one::<String>("kind").map(|k| match k.as_str() {
            "request" => FileKind::Request,
            "har" => FileKind::Har,
            _ => FileKind::Response,
        }),
        path: m.get_one::<String>("path").cloned(),
        content_type: m.get_one::<String>("content-type").cloned(),
    };
    let split = match m.get_one::<usize>("split") {
        Some(0) => return Err("--split must be at least 1".into()),
        Some(n) => Split::Every(*n),
        None => Split::Every(usize::MAX),
    };
    let mut reports = Vec::new();
    for file in paths(m, "files") {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let label = file.display().to_string();
        for rec in recording::read(&label, &text, &hints)? {
            reports.push(report::scan(&policies, &rec, &split));
        }
    }
    if json_output(m) {
        print_json(&Value::Array(
            reports.iter().map(ScanReport::to_json).collect(),
        ))?;
    } else {
        for r in &reports {
            print_report(r, p);
        }
    }
    let fail_on: Vec<&str> = m
        .get_many::<String>("fail-on")
        .map(|v| v.map(String::as_str).collect())
        .unwrap_or_default();
    let failed = reports
        .iter()
        .any(|r| fail_on.contains(&r.verdict.as_str()));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn verdict_label(v: Verdict, p: Palette) -> String {
    match v {
        Verdict::Pass => p.green("PASS"),
        Verdict::Modified => p.yellow("MODIFIED"),
        Verdict::Block => p.red("BLOCK"),
    }
}

fn print_body(title: &str, body: &[u8], p: Palette) {
    // A JSON document is indented so the changed field can be found; streams print as they are.
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(v) => serde_json::to_string_pretty(&v)
            .unwrap_or_else(|_| String::from_utf8_lossy(body).into_owned()),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    outln!("  {}", p.dim(title));
    for line in text.trim_end().lines() {
        outln!("    {line}");
    }
}

fn print_report(r: &ScanReport, p: Palette) {
    let mut head = format!(
        "{}  {} {}  policy {}",
        p.bold(&r.label),
        r.method,
        r.path,
        r.policy
    );
    if r.synthetic_request {
        head.push_str(&p.dim("  (response only)"));
    }
    outln!("{head}");
    let mut line = format!("  {}  status {}", verdict_label(r.verdict, p), r.status);
    if let Some(c) = &r.code {
        line.push_str(&format!("  code {c}"));
    }
    outln!("{line}");
    for e in &r.events {
        outln!(
            "  {} {} {} {} at {}",
            p.dim("rule"),
            p.bold(&e.rule_id),
            e.outcome.as_str(),
            e.phase.as_str(),
            if e.location.is_empty() {
                "-"
            } else {
                &e.location
            }
        );
    }
    if r.upstream_modified {
        if let Some(b) = &r.upstream_body {
            print_body("upstream receives:", b, p);
        }
    }
    if r.client_modified {
        print_body("client receives:", &r.client_body, p);
    }
    outln!();
}

// ---- test ---------------------------------------------------------------------------------------

fn cmd_test(m: &ArgMatches, p: Palette) -> Result<ExitCode, String> {
    let dir = m
        .get_one::<PathBuf>("dir")
        .ok_or("missing CASES_DIR")?
        .as_path();
    // One case file may be run alone; its folder stays the root for `config.json` lookup.
    let (files, dir) = if dir.is_file() {
        (
            vec![dir.to_path_buf()],
            dir.parent().unwrap_or(Path::new(".")),
        )
    } else if dir.is_dir() {
        (case::discover(dir)?, dir)
    } else {
        return Err(format!(
            "{} does not exist; give the folder that holds the case files (or one case file)",
            dir.display()
        ));
    };
    if files.is_empty() {
        return Err(format!(
            "no case files (*.json) under {}; see `llm-warden test --help` for the format",
            dir.display()
        ));
    }
    let results: Vec<case::CaseResult> = files.iter().map(|f| case::run_file(f, dir)).collect();
    let failed = results.iter().filter(|r| !r.passed()).count();
    let passed = results.len() - failed;
    if json_output(m) {
        print_json(&json!({
            "passed": passed,
            "failed": failed,
            "cases": results.iter().map(|r| json!({
                "file": r.file,
                "name": r.name,
                "passed": r.passed(),
                "failures": r.failures,
                "result": r.report.as_ref().map(ScanReport::to_json),
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        let verbose = m.get_flag("verbose");
        for r in &results {
            let file = display_relative(&r.file, dir);
            if r.passed() {
                out!("{} {}  {}", p.green("ok  "), r.name, p.dim(&file));
                if verbose {
                    if let Some(rep) = &r.report {
                        out!("  [{} {}]", rep.verdict.as_str(), rep.rules().join(","));
                    }
                }
                outln!();
            } else {
                outln!("{} {}  {}", p.red("FAIL"), r.name, p.dim(&file));
                if let Some(d) = &r.description {
                    outln!("       {}", p.dim(d));
                }
                for f in &r.failures {
                    outln!("       {f}");
                }
            }
        }
        let summary = format!("{passed} passed, {failed} failed");
        outln!(
            "{}",
            if failed == 0 {
                p.green(&summary)
            } else {
                p.red(&summary)
            }
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn display_relative(file: &Path, dir: &Path) -> String {
    file.strip_prefix(dir).unwrap_or(file).display().to_string()
}

// ---- rules, schema --------------------------------------------------------------------------------

fn cmd_rules(m: &ArgMatches) -> Result<ExitCode, String> {
    let all = rules::catalogue();
    if json_output(m) {
        print_json(&Value::Array(
            all.iter()
                .map(|r| {
                    json!({"id": r.id, "category": r.category,
                           "default_action": r.default_action, "description": r.description})
                })
                .collect(),
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = all.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let cat = all.iter().map(|r| r.category.len()).max().unwrap_or(0);
    let act = all
        .iter()
        .map(|r| r.default_action.len())
        .max()
        .unwrap_or(0);
    outln!(
        "{:width$}  {:cat$}  {:act$}  DESCRIPTION",
        "ID",
        "CATEGORY",
        "DEFAULT"
    );
    for r in &all {
        outln!(
            "{:width$}  {:cat$}  {:act$}  {}",
            r.id,
            r.category,
            r.default_action,
            r.description
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_schema(m: &ArgMatches) -> Result<ExitCode, String> {
    if m.get_flag("case") {
        let v: Value = serde_json::from_str(case::CASE_SCHEMA).map_err(|e| e.to_string())?;
        print_json(&v)?;
    } else {
        print_json(&schema::bundled()?)?;
    }
    Ok(ExitCode::SUCCESS)
}
