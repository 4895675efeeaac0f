//! Detection quality of the built-in secret rules over the shared corpora.
//!
//! `cargo run --release -p llm-warden-engine --example eval_secrets [-- [--write] [CORPORA_DIR]]`
//!
//! `--write` stores the figures in `testdata/eval/secrets.json`, which the `secrets_eval` test
//! holds the rules to (it fails if any figure gets worse).
//!
//! The corpora directory is the argument, else `$LLM_WARDEN_CORPORA`, else
//! `shared/corpora/secrets` beside the repository (where CI puts it). Prints recall per family on
//! `secret` rows, the false-positive rate on `not_secret` look-alikes, the exact span agreement on
//! secretlint fixtures, and which source families are out of scope and why. `VERBOSE=1` lists
//! the rows missed (by file and line, never their text).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use llm_warden_engine::secrets::{SecretScanner, SecretsConfig};
use llm_warden_testkit::secrets_eval::{evaluate, load_corpora, locate_corpora};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args.iter().any(|a| a == "--write");
    let explicit = args.iter().find(|a| *a != "--write").map(PathBuf::from);
    let Some(dir) = locate_corpora(explicit, Path::new(env!("CARGO_MANIFEST_DIR"))) else {
        eprintln!("corpora not found: pass a directory or set LLM_WARDEN_CORPORA");
        std::process::exit(2);
    };
    let loaded = match load_corpora(&dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot read corpora in {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    let files: Vec<(&str, &str)> = loaded.iter().map(|(n, c)| (*n, c.as_str())).collect();
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    let report = evaluate(&scanner, &files);
    println!("corpora: {}\n", dir.display());
    print!("{}", report.render());
    if write {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/eval/secrets.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let json = serde_json::to_string_pretty(&report.to_json()).unwrap();
        std::fs::write(&path, json + "\n").unwrap();
        println!("\nwrote {}", path.display());
    }
    if std::env::var_os("VERBOSE").is_some() {
        println!();
        for m in &report.misses {
            println!("{m}");
        }
    }
}
