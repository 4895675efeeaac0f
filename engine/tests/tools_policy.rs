//! Table-driven tests of the tool policy: names, arguments, compile errors.
#![cfg(test)]

use llm_warden_engine::tools::{ToolDecision, ToolPolicy, ToolsConfig};

fn policy(json: &str) -> ToolPolicy {
    let cfg: ToolsConfig = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    ToolPolicy::compile(&cfg, "tools").unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// `Ok(())` for allow, `Err(rule_id)` for deny.
fn outcome(d: ToolDecision) -> Result<(), String> {
    match d {
        ToolDecision::Allow => Ok(()),
        ToolDecision::Deny { rule_id, .. } => Err(rule_id),
    }
}

struct NameRow {
    name: &'static str,
    config: &'static str,
    tool: &'static str,
    expect: Result<(), &'static str>,
}

#[rustfmt::skip]
const NAMES: &[NameRow] = &[
    NameRow { name: "empty config allows", config: "{}", tool: "shell", expect: Ok(()) },
    NameRow { name: "deny exact", config: r#"{"deny":["shell"]}"#, tool: "shell", expect: Err("tools.deny[0]") },
    NameRow { name: "deny second entry", config: r#"{"deny":["a","shell"]}"#, tool: "shell", expect: Err("tools.deny[1]") },
    NameRow { name: "deny case-insensitive", config: r#"{"deny":["shell"]}"#, tool: "SHELL", expect: Err("tools.deny[0]") },
    NameRow { name: "deny unicode case", config: r#"{"deny":["ÉCRIRE"]}"#, tool: "écrire", expect: Err("tools.deny[0]") },
    NameRow { name: "deny glob", config: r#"{"deny":["fs_write_*"]}"#, tool: "fs_write_file", expect: Err("tools.deny[0]") },
    NameRow { name: "deny question", config: r#"{"deny":["rm?"]}"#, tool: "rmf", expect: Err("tools.deny[0]") },
    NameRow { name: "deny glob other", config: r#"{"deny":["fs_write_*"]}"#, tool: "fs_read_file", expect: Ok(()) },
    NameRow { name: "default deny", config: r#"{"default":"deny"}"#, tool: "search", expect: Err("tools.default") },
    NameRow { name: "allowlisted", config: r#"{"default":"deny","allow":["search"]}"#, tool: "search", expect: Ok(()) },
    NameRow { name: "allow is exact case", config: r#"{"default":"deny","allow":["search"]}"#, tool: "Search", expect: Err("tools.default") },
    NameRow { name: "allow glob", config: r#"{"default":"deny","allow":["mcp__github__*"]}"#, tool: "mcp__github__get_issue", expect: Ok(()) },
    NameRow { name: "deny wins over allow", config: r#"{"default":"deny","allow":["*"],"deny":["shell"]}"#, tool: "shell", expect: Err("tools.deny[0]") },
    NameRow { name: "deny everything", config: r#"{"deny":["*"]}"#, tool: "anything", expect: Err("tools.deny[0]") },
    NameRow { name: "allow everything", config: r#"{"default":"deny","allow":["*"]}"#, tool: "anything", expect: Ok(()) },
    NameRow { name: "empty name", config: "{}", tool: "", expect: Err("tools.name") },
    NameRow { name: "control char name", config: "{}", tool: "she\u{7}ll", expect: Err("tools.name") },
    NameRow { name: "newline name", config: "{}", tool: "shell\n", expect: Err("tools.name") },
    NameRow { name: "leading space", config: r#"{"deny":["shell"]}"#, tool: " shell", expect: Err("tools.name") },
    NameRow { name: "trailing nbsp", config: r#"{"deny":["shell"]}"#, tool: "shell\u{a0}", expect: Err("tools.name") },
    NameRow { name: "inner space is a name", config: "{}", tool: "get weather", expect: Ok(()) },
    NameRow { name: "unicode name allowed by default", config: "{}", tool: "поиск", expect: Ok(()) },
    NameRow { name: "lookalike not allowlisted", config: r#"{"default":"deny","allow":["search"]}"#, tool: "ѕearch", expect: Err("tools.default") },
    NameRow { name: "dotdot name", config: r#"{"default":"deny","allow":["fs.*"]}"#, tool: "..", expect: Err("tools.default") },
];

#[test]
fn check_name_table() {
    for row in NAMES {
        let got = outcome(policy(row.config).check_name(row.tool));
        assert_eq!(got, row.expect.map_err(str::to_string), "{}", row.name);
    }
}

struct ArgRow {
    name: &'static str,
    config: &'static str,
    tool: &'static str,
    arguments: &'static str,
    expect: Result<(), &'static str>,
}

const FETCH: &str = r#"{"arguments":[{"tool":"fetch","pointer":"/url","url_hosts":["docs.example.com","*.trusted.org"],"required":true}]}"#;
const SHELL: &str = r#"{"arguments":[
    {"tool":"run_*","pointer":"/cmd","allow":["ls( -la)?","git (status|log)"]},
    {"tool":"run_*","pointer":"/cmd","deny":[";","\\|\\|","&&"]},
    {"tool":"run_*","pointer":"/env","enum":["dev","staging"],"required":true},
    {"tool":"run_*","pointer":"/note","max_length":5}
]}"#;

#[rustfmt::skip]
const ARGS: &[ArgRow] = &[
    ArgRow { name: "no rules ignores garbage", config: "{}", tool: "fetch", arguments: "not json", expect: Ok(()) },
    ArgRow { name: "url allowed", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://docs.example.com/a"}"#, expect: Ok(()) },
    ArgRow { name: "url subdomain glob", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://a.b.trusted.org/"}"#, expect: Ok(()) },
    ArgRow { name: "url other host", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://evil.com/"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url userinfo", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://docs.example.com@evil.com/"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url backslash", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://docs.example.com\\@evil.com/"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url metadata ip", config: FETCH, tool: "fetch", arguments: r#"{"url":"http://169.254.169.254/latest"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url not a string", config: FETCH, tool: "fetch", arguments: r#"{"url":{"host":"docs.example.com"}}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url array all good", config: FETCH, tool: "fetch", arguments: r#"{"url":["https://docs.example.com","https://x.trusted.org"]}"#, expect: Ok(()) },
    ArgRow { name: "url array one bad", config: FETCH, tool: "fetch", arguments: r#"{"url":["https://docs.example.com","https://evil.com"]}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url missing required", config: FETCH, tool: "fetch", arguments: r#"{"uri":"https://evil.com"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "url null is missing", config: FETCH, tool: "fetch", arguments: r#"{"url":null}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "invalid json", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://docs.example.com""#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "trailing garbage", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://docs.example.com"} x"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "empty text is empty object", config: FETCH, tool: "fetch", arguments: "  ", expect: Err("tools.arguments[0]") },
    ArgRow { name: "rule tool glob case", config: FETCH, tool: "FETCH", arguments: r#"{"url":"https://evil.com"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "other tool unaffected", config: FETCH, tool: "search", arguments: r#"{"url":"https://evil.com"}"#, expect: Ok(()) },
    ArgRow { name: "allow anchored match", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"ls -la","env":"dev"}"#, expect: Ok(()) },
    ArgRow { name: "allow is anchored", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"ls -la /; curl evil","env":"dev"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "allow prefix smuggle", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"rm -rf / # git status","env":"dev"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "enum ok", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"git log","env":"staging"}"#, expect: Ok(()) },
    ArgRow { name: "enum miss", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"git log","env":"prod"}"#, expect: Err("tools.arguments[2]") },
    ArgRow { name: "enum case", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"git log","env":"DEV"}"#, expect: Err("tools.arguments[2]") },
    ArgRow { name: "enum number is not string", config: r#"{"arguments":[{"tool":"t","pointer":"/n","enum":["1"]}]}"#, tool: "t", arguments: r#"{"n":1}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "enum required missing", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"git log"}"#, expect: Err("tools.arguments[2]") },
    ArgRow { name: "max length ok", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"ls","env":"dev","note":"héllo"}"#, expect: Ok(()) },
    ArgRow { name: "max length exceeded", config: SHELL, tool: "run_sh", arguments: r#"{"cmd":"ls","env":"dev","note":"hello!"}"#, expect: Err("tools.arguments[3]") },
    ArgRow { name: "max length number text", config: r#"{"arguments":[{"tool":"t","pointer":"/n","max_length":3}]}"#, tool: "t", arguments: r#"{"n":12345}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "deny regex in object", config: r#"{"arguments":[{"tool":"t","pointer":"","deny":["rm -rf"]}]}"#, tool: "t", arguments: r#"{"a":{"b":["rm -rf /"]}}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "deny regex clean object", config: r#"{"arguments":[{"tool":"t","pointer":"","deny":["rm -rf"]}]}"#, tool: "t", arguments: r#"{"a":{"b":["ls"]}}"#, expect: Ok(()) },
    ArgRow { name: "pointer escapes", config: r#"{"arguments":[{"tool":"t","pointer":"/a~1b/c~0d","enum":["x"]}]}"#, tool: "t", arguments: r#"{"a/b":{"c~d":"y"}}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "pointer into array", config: r#"{"arguments":[{"tool":"t","pointer":"/items/1","enum":["x"]}]}"#, tool: "t", arguments: r#"{"items":["y","x"]}"#, expect: Ok(()) },
    ArgRow { name: "not required absent ok", config: r#"{"arguments":[{"tool":"t","pointer":"/p","enum":["x"]}]}"#, tool: "t", arguments: "{}", expect: Ok(()) },
    ArgRow { name: "arguments not an object", config: r#"{"arguments":[{"tool":"t","pointer":"/p","required":true}]}"#, tool: "t", arguments: r#""{\"p\":1}""#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "unicode value", config: r#"{"arguments":[{"tool":"t","pointer":"/q","allow":["[a-z ]+"]}]}"#, tool: "t", arguments: r#"{"q":"hello wörld"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "escaped unicode decoded", config: r#"{"arguments":[{"tool":"t","pointer":"/q","deny":["secret"]}]}"#, tool: "t", arguments: r#"{"q":"\u0073ecret"}"#, expect: Err("tools.arguments[0]") },
];

#[test]
fn check_arguments_table() {
    for row in ARGS {
        let got = outcome(policy(row.config).check_arguments(row.tool, row.arguments));
        assert_eq!(got, row.expect.map_err(str::to_string), "{}", row.name);
    }
}

/// Bugs found and fixed; one row each.
#[rustfmt::skip]
const REGRESSION: &[ArgRow] = &[
    // A duplicated key: most parsers keep the last copy, some the first; the checked and the
    // executed value must not differ, so the call is refused.
    ArgRow { name: "duplicate key smuggling", config: FETCH, tool: "fetch", arguments: r#"{"url":"https://docs.example.com","url":"https://evil.com"}"#, expect: Err("tools.arguments[0]") },
    ArgRow { name: "nested duplicate key", config: r#"{"arguments":[{"tool":"t","pointer":"/a/b","enum":["x"]}]}"#, tool: "t", arguments: r#"{"a":{"b":"x","b":"y"}}"#, expect: Err("tools.arguments[0]") },
];

#[test]
fn regression_table() {
    for row in REGRESSION {
        let got = outcome(policy(row.config).check_arguments(row.tool, row.arguments));
        assert_eq!(got, row.expect.map_err(str::to_string), "{}", row.name);
    }
}

#[test]
fn deep_or_huge_arguments_are_refused_without_overflow() {
    let p = policy(FETCH);
    let deep = format!("{{\"url\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        outcome(p.check_arguments("fetch", &deep)),
        Err("tools.arguments[0]".into())
    );
    let many = format!(
        "{{\"url\":[{}\"https://evil.com\"]}}",
        "\"https://docs.example.com\",".repeat(10_000)
    );
    assert_eq!(
        outcome(p.check_arguments("fetch", &many)),
        Err("tools.arguments[0]".into())
    );
}

#[test]
fn reasons_name_the_tool_but_never_the_value() {
    let p = policy(FETCH);
    let secret_url = r#"{"url":"https://evil.com/?token=hunter2"}"#;
    let ToolDecision::Deny { reason, .. } = p.check_arguments("fetch", secret_url) else {
        panic!("expected deny");
    };
    assert!(reason.contains("fetch"), "{reason}");
    assert!(reason.contains("/url"), "{reason}");
    assert!(
        !reason.contains("evil") && !reason.contains("hunter2"),
        "{reason}"
    );

    let long = "x".repeat(10_000);
    let ToolDecision::Deny { reason, .. } = policy(r#"{"deny":["*"]}"#).check_name(&long) else {
        panic!("expected deny");
    };
    assert!(
        reason.len() < 200,
        "reason is bounded: {} bytes",
        reason.len()
    );
}

#[test]
fn has_argument_rules_and_check_call() {
    let p = policy(FETCH);
    assert!(p.has_argument_rules("fetch"));
    assert!(p.has_argument_rules("Fetch"));
    assert!(!p.has_argument_rules("search"));
    let p =
        policy(r#"{"deny":["shell"],"arguments":[{"tool":"*","pointer":"/x","max_length":1}]}"#);
    assert_eq!(
        outcome(p.check_call("shell", "{}")),
        Err("tools.deny[0]".into())
    );
    assert_eq!(
        outcome(p.check_call("ok", r#"{"x":"ab"}"#)),
        Err("tools.arguments[0]".into())
    );
    assert_eq!(outcome(p.check_call("ok", r#"{"x":"a"}"#)), Ok(()));
}

#[test]
fn arguments_as_value_and_call_count() {
    let p = policy(
        r#"{"max_calls":2,"arguments":[{"tool":"fetch","pointer":"/url","url_hosts":["docs.example.com"]}]}"#,
    );
    let good = serde_json::json!({"url": "https://docs.example.com/x"});
    let bad = serde_json::json!({"url": "https://evil.com/x"});
    assert_eq!(outcome(p.check_arguments_value("fetch", &good)), Ok(()));
    assert_eq!(
        outcome(p.check_arguments_value("fetch", &bad)),
        Err("tools.arguments[0]".into())
    );
    assert_eq!(outcome(p.check_arguments_value("other", &bad)), Ok(()));
    assert_eq!(outcome(p.check_call_count(2)), Ok(()));
    assert_eq!(
        outcome(p.check_call_count(3)),
        Err("tools.max_calls".into())
    );
    assert_eq!(
        outcome(policy(r#"{"max_calls":0}"#).check_call_count(1)),
        Err("tools.max_calls".into())
    );
    assert_eq!(outcome(policy("{}").check_call_count(usize::MAX)), Ok(()));
}

#[test]
fn whole_document_errors_and_named_policies() {
    use llm_warden_engine::Policies;
    let err = Policies::from_json(
        br#"{"tools":{"arguments":[{"tool":"t","pointer":"/a","required":true},{"tool":"t","pointer":"/a","allow":["(ab"]}]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.path, "tools.arguments[1].allow[0]", "{err}");
    let err =
        Policies::from_json(br#"{"tools":{"arguments":[{"tool":"t","pointer":"/a","maxlen":1}]}}"#)
            .unwrap_err();
    assert!(err.path.starts_with("tools.arguments[0]"), "{err}");
    let all = Policies::from_json(
        br#"{"tools":{"deny":["a"]},"policies":{"agents":{"tools":{"deny":["b"]}}}}"#,
    )
    .unwrap();
    let named = all.policy(1);
    assert_eq!(named.name, "agents");
    assert_eq!(
        outcome(named.tools.check_name("b")),
        Err("policies.agents.tools.deny[0]".into())
    );
    assert_eq!(outcome(named.tools.check_name("a")), Ok(()));
}

#[test]
fn settings_and_nested_rule_ids() {
    let cfg: ToolsConfig = serde_json::from_str(
        r#"{"max_calls":3,"on_offered":"reject","on_call":"strip","monitor":true,"deny":["x"]}"#,
    )
    .unwrap();
    let p = ToolPolicy::compile(&cfg, "policies.agents.tools").unwrap();
    assert_eq!(p.max_calls(), Some(3));
    assert_eq!(p.max_calls_rule_id(), "policies.agents.tools.max_calls");
    assert_eq!(
        p.on_offered(),
        llm_warden_engine::tools::OfferedToolAction::Reject
    );
    assert_eq!(p.on_call(), llm_warden_engine::tools::ToolCallAction::Strip);
    assert!(p.monitor());
    assert_eq!(
        outcome(p.check_name("x")),
        Err("policies.agents.tools.deny[0]".into())
    );
    let d = policy("{}");
    assert_eq!(d.max_calls(), None);
    assert!(!d.monitor());
}

#[test]
fn compile_errors_carry_the_json_path() {
    let rows: &[(&str, &str, &str)] = &[
        ("empty allow", r#"{"allow":[""]}"#, "tools.allow[0]"),
        ("empty deny", r#"{"deny":["a",""]}"#, "tools.deny[1]"),
        (
            "bad allow regex",
            r#"{"arguments":[{},{},{"tool":"t","pointer":"/a","allow":["(ab"]}]}"#,
            "tools.arguments[2].allow[0]",
        ),
        (
            "bad deny regex",
            r#"{"arguments":[{"tool":"t","pointer":"/a","deny":["ok","[z-a]"]}]}"#,
            "tools.arguments[0].deny[1]",
        ),
        (
            "bad pointer",
            r#"{"arguments":[{"tool":"t","pointer":"a","max_length":1}]}"#,
            "tools.arguments[0].pointer",
        ),
        (
            "bad pointer escape",
            r#"{"arguments":[{"tool":"t","pointer":"/a~2","max_length":1}]}"#,
            "tools.arguments[0].pointer",
        ),
        (
            "empty tool",
            r#"{"arguments":[{"tool":"","pointer":"/a","max_length":1}]}"#,
            "tools.arguments[0].tool",
        ),
        (
            "no constraint",
            r#"{"arguments":[{"tool":"t","pointer":"/a"}]}"#,
            "tools.arguments[0]",
        ),
        (
            "bad host",
            r#"{"arguments":[{"tool":"t","pointer":"/u","url_hosts":["ok.com","https://x.com"]}]}"#,
            "tools.arguments[0].url_hosts[1]",
        ),
        (
            "empty hosts",
            r#"{"arguments":[{"tool":"t","pointer":"/u","url_hosts":[]}]}"#,
            "tools.arguments[0].url_hosts",
        ),
        (
            "schemes without hosts",
            r#"{"arguments":[{"tool":"t","pointer":"/u","url_schemes":["https"],"required":true}]}"#,
            "tools.arguments[0].url_schemes",
        ),
    ];
    for (name, json, want_path) in rows {
        // Rows padded with `{}` rules put the bad rule at a later index; fill them in validly.
        let json = json.replace("{},", r#"{"tool":"t","pointer":"/a","max_length":1},"#);
        let cfg: ToolsConfig =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let err = ToolPolicy::compile(&cfg, "tools").expect_err(name);
        assert_eq!(err.path, *want_path, "{name}: {err}");
    }
}

#[test]
fn regex_error_message_is_short() {
    let cfg: ToolsConfig =
        serde_json::from_str(r#"{"arguments":[{"tool":"t","pointer":"/a","allow":["(ab"]}]}"#)
            .unwrap();
    let err = ToolPolicy::compile(&cfg, "tools").unwrap_err();
    assert!(!err.message.contains('\n'), "{err}");
    assert!(err.message.contains("without closing"), "{err}");
}

#[test]
fn unknown_fields_are_refused() {
    assert!(serde_json::from_str::<ToolsConfig>(r#"{"alow":["x"]}"#).is_err());
    assert!(serde_json::from_str::<ToolsConfig>(
        r#"{"arguments":[{"tool":"t","pointer":"/a","maxlength":1}]}"#
    )
    .is_err());
    assert!(serde_json::from_str::<ToolsConfig>(r#"{"default":"maybe"}"#).is_err());
}
