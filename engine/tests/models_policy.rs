//! Table-driven tests of model admission, listing and administrative endpoints.
#![cfg(test)]

use llm_warden_engine::models::{
    EndpointDecision, ModelDecision, ModelNaming, ModelPolicy, ModelsConfig,
};

use ModelNaming::{Compatible, Ollama, Opaque};

fn policy(json: &str) -> ModelPolicy {
    let cfg: ModelsConfig = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    ModelPolicy::compile(&cfg, "models").unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// `allow`, `rewrite:<target>`, or `<code> <rule_id>`.
fn outcome(d: &ModelDecision) -> String {
    match d {
        ModelDecision::Allow => "allow".into(),
        ModelDecision::Rewrite(t) => format!("rewrite:{t}"),
        ModelDecision::Deny { code, rule_id, .. } => format!("{code} {rule_id}"),
    }
}

struct Row {
    name: &'static str,
    config: &'static str,
    model: &'static str,
    naming: ModelNaming,
    expect: &'static str,
}

const PINNED: &str =
    r#"{"allow":["llama3.2:*","qwen2.5:*","gpt-4o-2024-08-06","claude-*"],"require_pinned":true}"#;
const ALIASES: &str = r#"{"allow":["llama3.2:3b","gpt-4o-2024-08-06"],"aliases":{"fast":"llama3.2:3b","llama3.2":"llama3.2:3b","gpt":"gpt-4o-2024-08-06"}}"#;

#[rustfmt::skip]
const ROWS: &[Row] = &[
    Row { name: "empty config admits", config: "{}", model: "llama3.2", naming: Ollama, expect: "allow" },
    Row { name: "empty config opaque", config: "{}", model: "gpt-4o", naming: Opaque, expect: "allow" },
    Row { name: "empty name", config: "{}", model: "", naming: Ollama, expect: "model_not_allowed models.name" },
    Row { name: "empty opaque", config: "{}", model: "", naming: Opaque, expect: "model_not_allowed models.name" },
    Row { name: "dotdot", config: "{}", model: "..", naming: Ollama, expect: "model_not_allowed models.name" },
    Row { name: "traversal", config: "{}", model: "../../etc/passwd", naming: Ollama, expect: "model_not_allowed models.name" },
    Row { name: "whitespace opaque", config: "{}", model: "gpt-4o\n", naming: Opaque, expect: "model_not_allowed models.name" },
    Row { name: "short form allowed", config: r#"{"allow":["llama3.2"]}"#, model: "llama3.2", naming: Ollama, expect: "allow" },
    Row { name: "latest explicit", config: r#"{"allow":["llama3.2"]}"#, model: "llama3.2:latest", naming: Ollama, expect: "allow" },
    Row { name: "library form", config: r#"{"allow":["llama3.2"]}"#, model: "library/llama3.2:latest", naming: Ollama, expect: "allow" },
    Row { name: "full form", config: r#"{"allow":["llama3.2"]}"#, model: "registry.ollama.ai/library/llama3.2:latest", naming: Ollama, expect: "allow" },
    Row { name: "full pattern short request", config: r#"{"allow":["registry.ollama.ai/library/llama3.2:latest"]}"#, model: "LLAMA3.2", naming: Ollama, expect: "allow" },
    Row { name: "other tag not allowed", config: r#"{"allow":["llama3.2"]}"#, model: "llama3.2:1b", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "other registry not allowed", config: r#"{"allow":["llama3.2"]}"#, model: "evil.io/library/llama3.2", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "other namespace not allowed", config: r#"{"allow":["llama3.2"]}"#, model: "mallory/llama3.2", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "deny normalised", config: r#"{"deny":["library/llama3.2:latest"]}"#, model: "llama3.2", naming: Ollama, expect: "model_not_allowed models.deny[0]" },
    Row { name: "deny wins", config: r#"{"allow":["*"],"deny":["uncensored/*:*"]}"#, model: "uncensored/llama:7b", naming: Ollama, expect: "model_not_allowed models.deny[0]" },
    Row { name: "deny everything", config: r#"{"deny":["*"]}"#, model: "gpt-4o", naming: Opaque, expect: "model_not_allowed models.deny[0]" },
    Row { name: "allow everything", config: r#"{"allow":["*"]}"#, model: "hf.co/x/y:z", naming: Ollama, expect: "allow" },
    Row { name: "opaque case", config: r#"{"allow":["gpt-4o-2024-08-06"]}"#, model: "GPT-4O-2024-08-06", naming: Opaque, expect: "allow" },
    Row { name: "opaque no defaults", config: r#"{"allow":["gpt-4o"]}"#, model: "gpt-4o:latest", naming: Opaque, expect: "model_not_allowed models.allow" },
    Row { name: "opaque prefix not enough", config: r#"{"allow":["gpt-4o"]}"#, model: "gpt-4o-mini", naming: Opaque, expect: "model_not_allowed models.allow" },
    Row { name: "opaque unicode lookalike", config: r#"{"allow":["gpt-4o"]}"#, model: "gpt\u{2011}4o", naming: Opaque, expect: "model_not_allowed models.allow" },
    Row { name: "opaque vertex at", config: r#"{"allow":["claude-3-5-sonnet@20240620"]}"#, model: "claude-3-5-sonnet@20240620", naming: Opaque, expect: "allow" },
    Row { name: "pinned ok", config: PINNED, model: "llama3.2:3b", naming: Ollama, expect: "allow" },
    Row { name: "pinned bare", config: PINNED, model: "llama3.2", naming: Ollama, expect: "model_not_pinned models.require_pinned" },
    Row { name: "pinned latest", config: PINNED, model: "llama3.2:LATEST", naming: Ollama, expect: "model_not_pinned models.require_pinned" },
    Row { name: "pinned unlisted is not allowed", config: PINNED, model: "mistral", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "pinned opaque dated", config: PINNED, model: "gpt-4o-2024-08-06", naming: Opaque, expect: "allow" },
    Row { name: "pinned opaque latest", config: PINNED, model: "claude-3-5-sonnet-latest", naming: Opaque, expect: "model_not_pinned models.require_pinned" },
    Row { name: "pinned opaque latest word inside", config: PINNED, model: "claude-latestish-1", naming: Opaque, expect: "allow" },
    Row { name: "custom floating tag", config: r#"{"require_pinned":true,"floating_tags":["latest","stable"]}"#, model: "m:stable", naming: Ollama, expect: "model_not_pinned models.require_pinned" },
    Row { name: "no tag floats whatever the list", config: r#"{"require_pinned":true,"floating_tags":["stable"]}"#, model: "m", naming: Ollama, expect: "model_not_pinned models.require_pinned" },
    Row { name: "explicit latest ok when not listed", config: r#"{"require_pinned":true,"floating_tags":["stable"]}"#, model: "m:latest", naming: Ollama, expect: "allow" },
    Row { name: "tag pattern ok", config: r#"{"tag_patterns":["q4_K_M$"]}"#, model: "qwen2.5:7b-instruct-q4_K_M", naming: Ollama, expect: "allow" },
    Row { name: "tag pattern case", config: r#"{"tag_patterns":["q4_K_M$"]}"#, model: "qwen2.5:7b-instruct-Q4_K_M", naming: Ollama, expect: "allow" },
    Row { name: "tag pattern miss", config: r#"{"tag_patterns":["q4_K_M$"]}"#, model: "qwen2.5:7b-instruct-fp16", naming: Ollama, expect: "model_not_allowed models.tag_patterns" },
    Row { name: "tag pattern ignores opaque", config: r#"{"tag_patterns":["q4_K_M$"]}"#, model: "gpt-4o", naming: Opaque, expect: "allow" },
    Row { name: "alias rewrite", config: ALIASES, model: "fast", naming: Ollama, expect: "rewrite:llama3.2:3b" },
    Row { name: "alias normalised", config: ALIASES, model: "library/FAST:latest", naming: Ollama, expect: "rewrite:llama3.2:3b" },
    Row { name: "alias over floating name", config: ALIASES, model: "llama3.2", naming: Ollama, expect: "rewrite:llama3.2:3b" },
    Row { name: "alias target itself", config: ALIASES, model: "llama3.2:3b", naming: Ollama, expect: "allow" },
    Row { name: "alias opaque", config: ALIASES, model: "GPT", naming: Opaque, expect: "rewrite:gpt-4o-2024-08-06" },
    Row { name: "alias target pinned only as opaque id", config: r#"{"allow":["gpt-4o-2024-08-06"],"require_pinned":true,"aliases":{"gpt":"gpt-4o-2024-08-06"}}"#, model: "gpt", naming: Ollama, expect: "model_not_pinned models.aliases.gpt" },
    Row { name: "alias target pinned as opaque id", config: r#"{"allow":["gpt-4o-2024-08-06"],"require_pinned":true,"aliases":{"gpt":"gpt-4o-2024-08-06"}}"#, model: "gpt", naming: Opaque, expect: "rewrite:gpt-4o-2024-08-06" },
    Row { name: "alias looked up before deny", config: r#"{"deny":["*:latest"],"aliases":{"fast":"llama3.2:3b"}}"#, model: "fast", naming: Ollama, expect: "rewrite:llama3.2:3b" },
    Row { name: "alias with explicit latest", config: r#"{"deny":["*:latest"],"aliases":{"fast":"llama3.2:3b"}}"#, model: "fast:latest", naming: Ollama, expect: "rewrite:llama3.2:3b" },
    Row { name: "alias with tag is another name", config: ALIASES, model: "fast:1", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "digest any", config: r#"{"allow":["llama3.2:3b"]}"#, model: "llama3.2:3b@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", naming: Ollama, expect: "allow" },
    Row { name: "digest required", config: r#"{"allow":["llama3.2:3b@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]}"#, model: "llama3.2:3b", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "digest wrong", config: r#"{"allow":["llama3.2:3b@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]}"#, model: "llama3.2:3b@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", naming: Ollama, expect: "model_not_allowed models.allow" },
    Row { name: "digest malformed", config: "{}", model: "llama3.2:3b@sha256:zz", naming: Ollama, expect: "model_not_allowed models.name" },
];

#[test]
fn admit_table() {
    for row in ROWS {
        let got = outcome(&policy(row.config).admit(row.model, row.naming));
        assert_eq!(got, row.expect, "{}: {:?}", row.name, row.model);
    }
}

/// Bugs found and fixed; one row each.
#[rustfmt::skip]
const REGRESSION: &[Row] = &[
    // A registry port must not be read as a tag.
    Row { name: "port is not a tag", config: r#"{"allow":["reg.local:5000/team/m:v1"],"require_pinned":true}"#, model: "reg.local:5000/team/m:v1", naming: Ollama, expect: "allow" },
    Row { name: "port without tag floats", config: r#"{"require_pinned":true}"#, model: "reg.local:5000/team/m", naming: Ollama, expect: "model_not_pinned models.require_pinned" },
    // Deny bypass on the OpenAI/Anthropic paths: `llama3.2` was an opaque id there that no
    // Ollama deny entry matched, but Ollama serves those paths too and runs it as `:latest`.
    Row { name: "compatible tagless denied by its latest reading", config: DENY_LATEST, model: "llama3.2", naming: Compatible, expect: "model_not_allowed models.deny[1]" },
    Row { name: "compatible case and namespace denied", config: DENY_LATEST, model: "Library/LLAMA3.2", naming: Compatible, expect: "model_not_allowed models.deny[1]" },
    Row { name: "compatible full name denied", config: DENY_LATEST, model: "registry.ollama.ai/library/llama3.2:latest", naming: Compatible, expect: "model_not_allowed models.deny[1]" },
    Row { name: "compatible tagless denied by bare entry", config: DENY_LATEST, model: "QWEN2.5", naming: Compatible, expect: "model_not_allowed models.deny[0]" },
    Row { name: "compatible other tag admitted", config: DENY_LATEST, model: "llama3.2:3b", naming: Compatible, expect: "allow" },
    Row { name: "compatible provider id admitted", config: DENY_LATEST, model: "gpt-4o-mini", naming: Compatible, expect: "allow" },
    Row { name: "compatible literal deny", config: r#"{"deny":["gpt-4o"]}"#, model: "GPT-4o", naming: Compatible, expect: "model_not_allowed models.deny[0]" },
    Row { name: "compatible deny of every latest refuses tagless ids", config: r#"{"deny":["*:latest"]}"#, model: "gpt-4o", naming: Compatible, expect: "model_not_allowed models.deny[0]" },
    Row { name: "compatible alias before deny", config: r#"{"deny":["*:latest"],"aliases":{"fast":"llama3.2:3b"}}"#, model: "fast", naming: Compatible, expect: "rewrite:llama3.2:3b" },
    // Allow matches the name as written: an Ollama glob does not admit a tagless id.
    Row { name: "compatible allow as written", config: FAMILY, model: "llama3.2", naming: Compatible, expect: "model_not_allowed models.allow" },
    Row { name: "compatible tagged name is an Ollama name", config: FAMILY, model: "library/Llama3.2:3B", naming: Compatible, expect: "allow" },
    Row { name: "compatible tagged latest floats", config: FAMILY, model: "llama3.2:latest", naming: Compatible, expect: "model_not_pinned models.require_pinned" },
    Row { name: "compatible fine-tune id is opaque", config: r#"{"allow":["ft:gpt-4o:org::abc"],"require_pinned":true}"#, model: "ft:gpt-4o:org::abc", naming: Compatible, expect: "allow" },
    // `require_pinned` / `tag_patterns` on a tagless id: vouched for only by an exact entry.
    Row { name: "compatible pinned exact snapshot", config: PINNED, model: "GPT-4o-2024-08-06", naming: Compatible, expect: "allow" },
    Row { name: "compatible pinned glob tagless floats", config: PINNED, model: "claude-sonnet-4-5-20250929", naming: Compatible, expect: "model_not_pinned models.require_pinned" },
    Row { name: "compatible pinned empty allow floats", config: r#"{"require_pinned":true}"#, model: "llama3.2", naming: Compatible, expect: "model_not_pinned models.require_pinned" },
    Row { name: "compatible pinned opaque latest", config: PINNED, model: "claude-3-5-sonnet-latest", naming: Compatible, expect: "model_not_pinned models.require_pinned" },
    Row { name: "compatible pinned not an Ollama name", config: r#"{"require_pinned":true}"#, model: "claude-3-5-sonnet@20240620", naming: Compatible, expect: "allow" },
    Row { name: "compatible tag pattern on tagless id", config: r#"{"tag_patterns":["q4_K_M$"]}"#, model: "qwen2.5", naming: Compatible, expect: "model_not_allowed models.tag_patterns" },
    Row { name: "compatible tag pattern exact id", config: r#"{"allow":["gpt-4o-2024-08-06"],"tag_patterns":["q4_K_M$"]}"#, model: "gpt-4o-2024-08-06", naming: Compatible, expect: "allow" },
    Row { name: "compatible alias target pinned as opaque id", config: r#"{"allow":["gpt-4o-2024-08-06"],"require_pinned":true,"aliases":{"gpt":"gpt-4o-2024-08-06"}}"#, model: "GPT", naming: Compatible, expect: "rewrite:gpt-4o-2024-08-06" },
    Row { name: "compatible alias tagged", config: ALIASES, model: "library/fast:latest", naming: Compatible, expect: "rewrite:llama3.2:3b" },
];

const DENY_LATEST: &str = r#"{"deny":["qwen2.5","llama3.2:latest"]}"#;
const FAMILY: &str = r#"{"allow":["llama3.2:*"],"require_pinned":true}"#;

#[test]
fn regression_table() {
    for row in REGRESSION {
        let got = outcome(&policy(row.config).admit(row.model, row.naming));
        assert_eq!(got, row.expect, "{}: {:?}", row.name, row.model);
    }
}

#[test]
fn messages_name_the_model_and_alternatives() {
    let p = policy(r#"{"allow":["llama3.2:3b"],"aliases":{"fast":"llama3.2:3b"}}"#);
    let ModelDecision::Deny { message, .. } = p.admit("mistral:7b", Ollama) else {
        panic!("expected deny");
    };
    assert!(message.contains("\"mistral:7b\""), "{message}");
    assert!(
        message.contains("fast") && message.contains("llama3.2:3b"),
        "{message}"
    );
    assert_eq!(
        p.alternatives(),
        vec!["fast".to_string(), "llama3.2:3b".to_string()]
    );

    let p = policy(r#"{"allow":["llama3.2:3b"],"disclose_alternatives":false}"#);
    let ModelDecision::Deny { message, .. } = p.admit("mistral:7b", Ollama) else {
        panic!("expected deny");
    };
    assert!(!message.contains("llama3.2"), "{message}");
    assert!(p.alternatives().is_empty());

    let long = "m".repeat(5000);
    let ModelDecision::Deny { message, .. } = p.admit(&long, Opaque) else {
        panic!("expected deny");
    };
    assert!(message.len() < 300, "bounded: {}", message.len());
    let ModelDecision::Deny { message, .. } = p.admit("x\u{202e}y", Opaque) else {
        panic!("expected deny");
    };
    assert!(
        !message.contains('\u{202e}'),
        "control characters are escaped: {message}"
    );
}

#[test]
fn listed() {
    let p = policy(PINNED);
    let rows: &[(&str, ModelNaming, bool)] = &[
        ("llama3.2:3b", Ollama, true),
        ("llama3.2:latest", Ollama, false),
        ("llama3.2", Ollama, false),
        ("mistral:7b", Ollama, false),
        ("gpt-4o-2024-08-06", Opaque, true),
        ("claude-3-5-sonnet-latest", Opaque, false),
        ("gpt-4o-2024-08-06", Compatible, true),
        ("llama3.2:3b", Compatible, true),
        ("llama3.2", Compatible, false),
    ];
    for (model, naming, want) in rows {
        assert_eq!(p.listed(model, *naming), *want, "{model}");
    }
    let open = policy(r#"{"deny":["bad*"]}"#);
    assert!(open.listed("anything:1", Ollama));
    assert!(!open.listed("bad-model", Ollama));
    let aliased = policy(ALIASES);
    assert!(
        !aliased.listed("fast", Ollama),
        "aliases are not upstream models"
    );
    let listed_aliases: Vec<_> = aliased.aliases().collect();
    assert!(listed_aliases.contains(&("fast", Some("llama3.2:3b"))));
}

#[test]
fn endpoints() {
    let default = policy("{}");
    let some = policy(
        r#"{"allow_admin":["/api/pull","/api/blobs/*","/api/signin","/api/copy","/api/create"]}"#,
    );
    let deny =
        |p: &ModelPolicy, path: &str| matches!(p.endpoint(path), EndpointDecision::Deny { .. });
    // The path alone decides (whatever the method): name, path, what `some` answers, whether
    // the default policy denies.
    let rows: &[(&str, &str, EndpointDecision, bool)] = &[
        ("chat", "/api/chat", EndpointDecision::NotAdmin, false),
        (
            "openai",
            "/v1/chat/completions",
            EndpointDecision::NotAdmin,
            false,
        ),
        ("tags", "/api/tags", EndpointDecision::NotAdmin, false),
        (
            "pull allowed",
            "/api/pull",
            EndpointDecision::Allowed {
                model_fields: &["model", "name"],
            },
            true,
        ),
        (
            "pull obfuscated allowed",
            "/api/%70ull/",
            EndpointDecision::Allowed {
                model_fields: &["model", "name"],
            },
            true,
        ),
        (
            "copy allowed, both names checked",
            "/api/copy",
            EndpointDecision::Allowed {
                model_fields: &["source", "destination"],
            },
            true,
        ),
        (
            "create allowed, every name checked",
            "/api/create",
            EndpointDecision::Allowed {
                model_fields: &["model", "name", "from"],
            },
            true,
        ),
        (
            "blob allowed",
            "/api/blobs/sha256:00",
            EndpointDecision::Allowed { model_fields: &[] },
            true,
        ),
        (
            "signin allowed",
            "/api/signin",
            EndpointDecision::Allowed { model_fields: &[] },
            true,
        ),
    ];
    for (name, path, want, default_denies) in rows {
        assert_eq!(&some.endpoint(path), want, "{name}");
        assert_eq!(deny(&default, path), *default_denies, "{name} (default)");
    }
    for path in [
        "/api/push",
        "/api/delete",
        "/api/me",
        "/api/signout",
        "/API//Push?x=1",
    ] {
        assert!(deny(&some, path), "{path}");
        assert!(deny(&default, path), "{path}");
    }
    let EndpointDecision::Deny { rule_id, message } = default.endpoint("/api/pull") else {
        panic!("expected deny");
    };
    assert_eq!(rule_id, "models.allow_admin");
    assert!(message.contains("/api/pull"), "{message}");
}

#[test]
fn compile_errors_carry_the_json_path() {
    let rows: &[(&str, &str, &str, &str)] = &[
        (
            "empty allow",
            r#"{"allow":[""]}"#,
            "models.allow[0]",
            "empty",
        ),
        (
            "bad deny digest",
            r#"{"deny":["a","m@sha256:12"]}"#,
            "models.deny[1]",
            "digest",
        ),
        (
            "bad tag regex",
            r#"{"tag_patterns":["(q4"]}"#,
            "models.tag_patterns[0]",
            "closing",
        ),
        (
            "bad floating tag",
            r#"{"floating_tags":[""]}"#,
            "models.floating_tags[0]",
            "plain tag",
        ),
        (
            "alias target not allowed",
            r#"{"allow":["llama3.2:3b"],"aliases":{"fast":"llama3.2"}}"#,
            "models.aliases.fast",
            "target llama3.2 is not allowed",
        ),
        (
            "alias target not pinned",
            r#"{"allow":["llama3.2:*"],"require_pinned":true,"aliases":{"fast":"llama3.2:latest"}}"#,
            "models.aliases.fast",
            "target llama3.2:latest is not pinned",
        ),
        (
            "alias target denied",
            r#"{"deny":["llama3.2:*"],"aliases":{"fast":"llama3.2:3b"}}"#,
            "models.aliases.fast",
            "target llama3.2:3b is not allowed",
        ),
        (
            "alias glob",
            r#"{"aliases":{"f*":"llama3.2:3b"}}"#,
            "models.aliases.f*",
            "plain name",
        ),
        (
            "alias target glob",
            r#"{"aliases":{"fast":"llama3.2:*"}}"#,
            "models.aliases.fast",
            "glob",
        ),
        (
            "unknown admin",
            r#"{"allow_admin":["/api/pull","/api/chat"]}"#,
            "models.allow_admin[1]",
            "not an administrative endpoint",
        ),
    ];
    for (name, json, want_path, want_message) in rows {
        let cfg: ModelsConfig =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let err = ModelPolicy::compile(&cfg, "models").expect_err(name);
        assert_eq!(err.path, *want_path, "{name}: {err}");
        assert!(err.message.contains(want_message), "{name}: {err}");
    }
}

#[test]
fn unknown_fields_are_refused() {
    assert!(serde_json::from_str::<ModelsConfig>(r#"{"alow":["x"]}"#).is_err());
    assert!(serde_json::from_str::<ModelsConfig>(r#"{"require_pinned":"yes"}"#).is_err());
}

#[test]
fn whole_document_errors_and_named_policies() {
    use llm_warden_engine::Policies;
    let err = Policies::from_json(
        br#"{"policies":{"team":{"models":{"allow":["llama3.2:3b"],"aliases":{"fast":"llama3.2"}}}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "policies.team.models.aliases.fast: target llama3.2 is not allowed"
    );
    let all = Policies::from_json(
        br#"{"models":{"deny":["a"]},"policies":{"team":{"models":{"deny":["b"]}}}}"#,
    )
    .unwrap();
    let named = all.policy(1);
    assert!(matches!(
        named.models.admit("b", Ollama),
        ModelDecision::Deny { ref rule_id, .. } if rule_id == "policies.team.models.deny[0]"
    ));
    assert_eq!(named.models.admit("a", Ollama), ModelDecision::Allow);
    let EndpointDecision::Deny { rule_id, .. } =
        all.default_policy().models.endpoint("/api/create")
    else {
        panic!("the default config refuses /api/create");
    };
    assert_eq!(rule_id, "models.allow_admin");
}

/// A `/v1/models` listing through a whole exchange shows exactly the ids a chat request on the
/// same (OpenAI-shaped, Ollama-served) path admits: the listing reads ids in the Compatible
/// naming. Regression: it read them as opaque ids, so `deny: ["llama3.2:latest"]` refused
/// `llama3.2` in a request but still listed it.
#[test]
fn openai_listing_matches_request_admission() {
    use std::sync::Arc;

    use llm_warden_engine::replay::{answer, post, replay, Split};
    use llm_warden_engine::Policies;
    use serde_json::Value;

    const IDS: &[&str] = &[
        "llama3.2",
        "llama3.2:latest",
        "llama3.2:3b",
        "qwen2.5:7b",
        "gpt-4o-2024-08-06",
        "gpt-4o",
        "ft:gpt-4o:org::abc",
    ];
    // (name, config, ids the listing keeps)
    let rows: &[(&str, &str, &[&str])] = &[
        (
            "deny a default tag",
            r#"{"models":{"deny":["llama3.2:latest"]}}"#,
            &[
                "llama3.2:3b",
                "qwen2.5:7b",
                "gpt-4o-2024-08-06",
                "gpt-4o",
                "ft:gpt-4o:org::abc",
            ],
        ),
        (
            "pinned allow list",
            r#"{"models":{"allow":["llama3.2:*","gpt-4o-2024-08-06"],"require_pinned":true}}"#,
            &["llama3.2:3b", "gpt-4o-2024-08-06"],
        ),
    ];
    let listing = serde_json::json!({
        "object": "list",
        "data": IDS.iter().map(|id| serde_json::json!({"id": id, "object": "model"})).collect::<Vec<_>>(),
    })
    .to_string();
    for (name, config, want) in rows {
        let policies = Arc::new(Policies::from_json(config.as_bytes()).unwrap());
        let mut req = post("/v1/models", "");
        for (k, v) in &mut req.headers {
            if k == ":method" {
                *v = "GET".into();
            }
        }
        req.headers
            .retain(|(k, _)| k != "content-length" && k != "content-type");
        let out = replay(
            policies.clone(),
            &req,
            &|_| answer("application/json", listing.as_bytes()),
            &Split::Every(usize::MAX),
        );
        let body: Value = serde_json::from_slice(&out.client_response.body)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let listed: Vec<&str> = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(&listed, want, "{name}");
        for id in IDS {
            let chat = post(
                "/v1/chat/completions",
                &format!(r#"{{"model":"{id}","messages":[{{"role":"user","content":"hi"}}]}}"#),
            );
            let out = replay(
                policies.clone(),
                &chat,
                &|_| answer("application/json", br#"{"ok":true}"#),
                &Split::Every(usize::MAX),
            );
            assert_eq!(
                out.reply.is_none(),
                listed.contains(id),
                "{name}: {id} admitted by a request iff listed"
            );
        }
    }
}
