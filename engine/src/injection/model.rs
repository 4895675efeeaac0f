//! The learned injection detector: hashed character and word n-grams of the normalised text into
//! a linear model, compiled into the engine.
//!
//! Why: rules find the techniques they name; paraphrases, other languages and instructions that
//! share no keyword with any rule ("also transfer the remaining balance to account 4471-22")
//! need a detector that generalises from examples. A linear model over hashed n-grams is small
//! (one signed byte per bucket), needs no external service, runs in microseconds and is
//! trained by a command in this repository (`examples/train_detector.rs`, which calls
//! [`features`] itself, so training and inference see exactly the same features).
//!
//! Features, over the text [`super::normalize`] produced (lower case, confusables folded,
//! invisible characters gone): character 3-grams (letters and digits; every digit reads
//! as `0`, every run of other characters as one space), word unigrams and word bigrams. Each
//! feature hashes to one of `2^bits` buckets with a sign (signed feature hashing keeps collisions
//! unbiased). A text's value is `bias + scale * sum(sign * weight) / sqrt(n)` over its `n`
//! distinct features (each counted once, so repetition adds nothing); the probability is the
//! logistic of it.
//!
//! Long texts are also scored in windows of [`window`] features (stride half a window), and the
//! highest of the whole text and its windows is the text's score: an instruction a few sentences
//! long inside a long document is judged on its own words, not diluted by the document.
//! Bounds: one pass over the text, one `(f32, usize)` per half window kept (windows are two
//! consecutive halves), nothing per bucket; the weights are a borrowed static slice.
//!
//! Weights file (`model.bin`, written by the trainer): `LWPI` magic, a version byte, the bucket
//! bits byte, two reserved bytes, `scale` and `bias` as little-endian `f32`, then `2^bits` signed
//! bytes.

/// Features per scoring window for long texts: a user's request is judged in larger spans than
/// data, where an injected instruction is a sentence or two among many (measured: smaller
/// windows in data found more of the held-out injections at the same false positives; in
/// requests they let one paragraph of a long role-play prompt decide).
pub const fn window(data: bool) -> usize {
    if data {
        WINDOW_DATA
    } else {
        WINDOW_REQUEST
    }
}
const WINDOW_REQUEST: usize = 384;
const WINDOW_DATA: usize = 128;
/// Fewest distinct features the detector speaks on: below it (a tool name, a word or two) the
/// score would be the model's prior, not evidence, and the rules judge such texts alone.
pub const MIN_FEATURES: usize = 24;
const MAGIC: &[u8; 4] = b"LWPI";
const VERSION: u8 = 1;
const HEADER: usize = 16;

/// The compiled-in weights (see the module docs for the format).
pub static WEIGHTS: &[u8] = include_bytes!("model.bin");

/// A parsed view of a weights file.
#[derive(Debug, Clone, Copy)]
pub struct LinearModel {
    bits: u32,
    scale: f32,
    bias: f32,
    weights: &'static [u8],
}

/// One hashed feature: its bucket and sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub bucket: u32,
    pub negative: bool,
}

impl LinearModel {
    /// The built-in model; `None` only if the compiled-in file is malformed (tests check it is
    /// not).
    pub fn builtin() -> Option<Self> {
        Self::parse(WEIGHTS)
    }

    pub fn parse(bytes: &'static [u8]) -> Option<Self> {
        let magic = bytes.get(..4)?;
        if magic != MAGIC || *bytes.get(4)? != VERSION {
            return None;
        }
        let bits = u32::from(*bytes.get(5)?);
        if !(8..=20).contains(&bits) {
            return None;
        }
        let f = |at: usize| -> Option<f32> {
            let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
            Some(f32::from_le_bytes(b))
        };
        let (scale, bias) = (f(8)?, f(12)?);
        let weights = bytes.get(HEADER..)?;
        if weights.len() != 1usize << bits || !scale.is_finite() || !bias.is_finite() {
            return None;
        }
        Some(Self {
            bits,
            scale,
            bias,
            weights,
        })
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    fn weight(&self, f: Feature) -> f32 {
        let w = self
            .weights
            .get(f.bucket as usize)
            .map_or(0.0, |&b| f32::from(b as i8));
        if f.negative {
            -w
        } else {
            w
        }
    }

    /// Probability (0..1) that `norm` (a normalised text) is an injection: the highest of the
    /// whole text's score and its windows' scores.
    ///
    /// Each distinct feature counts once per scored span (the whole text, each half window):
    /// a text that repeats itself (a table of numbers, a pasted log) says no more than one copy
    /// of it, and must not add up to a score no single copy has.
    pub fn score(&self, norm: &str, data: bool) -> f32 {
        let mut scoring = Scoring::new(self, data);
        scoring.feed(self, norm, true);
        scoring.probability(self)
    }
}

/// [`LinearModel::score`] over a text fed in pieces (each cut at a character boundary): the
/// features' state (the last character classes, the word in progress and the previous word)
/// and the sums are carried from one piece to the next, so the probability is the one of the
/// whole text, bit for bit. The engine feeds a long text a piece per step (see `Scan`).
pub struct Scoring {
    data: bool,
    reader: FeatureReader,
    /// Sums of half-window blocks of distinct features: a window is two consecutive blocks.
    blocks: Vec<(f32, usize)>,
    /// The block in progress: its sum, distinct features and features taken.
    sum: f32,
    count: usize,
    taken: usize,
    /// The whole text's sum and distinct features.
    total: f32,
    n: usize,
    whole: Seen,
    block: Seen,
    in_block: Vec<Feature>,
}

impl Scoring {
    pub fn new(model: &LinearModel, data: bool) -> Self {
        Self {
            data,
            reader: FeatureReader::new(),
            blocks: Vec::new(),
            sum: 0.0,
            count: 0,
            taken: 0,
            total: 0.0,
            n: 0,
            whole: Seen::new(model.bits),
            block: Seen::new(model.bits),
            in_block: Vec::with_capacity(window(data) / 2),
        }
    }

    /// Reads the next piece of the text; `end`: it is the last.
    pub fn feed(&mut self, model: &LinearModel, piece: &str, end: bool) {
        let half = window(self.data) / 2;
        let Self {
            data,
            reader,
            blocks,
            sum,
            count,
            taken,
            total,
            n,
            whole,
            block,
            in_block,
        } = self;
        reader.read(piece, end, model.bits, *data, |f| {
            let w = model.weight(f);
            if whole.insert(f) {
                *total += w;
                *n += 1;
            }
            if block.insert(f) {
                *sum += w;
                *count += 1;
                in_block.push(f);
            }
            *taken += 1;
            if *taken == half {
                blocks.push((*sum, *count));
                for g in in_block.drain(..) {
                    block.remove(g);
                }
                (*sum, *count, *taken) = (0.0, 0, 0);
            }
        });
    }

    /// The probability, once the last piece was fed.
    pub fn probability(mut self, model: &LinearModel) -> f32 {
        if self.n < MIN_FEATURES {
            return 0.0;
        }
        if self.count > 0 {
            self.blocks.push((self.sum, self.count));
        }
        let value = |s: f32, c: usize| -> f32 { model.bias + model.scale * s / (c as f32).sqrt() };
        let mut best = value(self.total, self.n);
        if self.blocks.len() > 2 {
            for pair in self.blocks.windows(2) {
                if let [a, b] = pair {
                    best = best.max(value(a.0 + b.0, a.1 + b.1));
                }
            }
        }
        sigmoid(best)
    }
}

/// A set of features (bucket and sign) as a bitset: `2^(bits+1)` bits, bounded by the model.
pub struct Seen {
    bits: Vec<u64>,
}

impl Seen {
    pub fn new(bucket_bits: u32) -> Self {
        Self {
            bits: vec![0; (1usize << (bucket_bits + 1)).div_ceil(64)],
        }
    }

    fn at(f: Feature) -> (usize, u64) {
        let i = (f.bucket as usize) << 1 | usize::from(f.negative);
        (i / 64, 1u64 << (i % 64))
    }

    /// True when `f` was not in the set.
    pub fn insert(&mut self, f: Feature) -> bool {
        let (w, m) = Self::at(f);
        match self.bits.get_mut(w) {
            Some(word) if *word & m == 0 => {
                *word |= m;
                true
            }
            _ => false,
        }
    }

    pub fn remove(&mut self, f: Feature) {
        let (w, m) = Self::at(f);
        if let Some(word) = self.bits.get_mut(w) {
            *word &= !m;
        }
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Character class for n-grams: letters as themselves, digits as `0`, anything else as a space.
fn class(c: char) -> u32 {
    if c.is_alphabetic() {
        u32::from(c)
    } else if c.is_numeric() {
        u32::from('0')
    } else {
        u32::from(' ')
    }
}

/// Polynomial (Horner) hashing: one multiply per character; `finish` spreads the bits once.
const P: u64 = 0x100_0000_01B3;

#[inline]
fn horner(h: u64, x: u64) -> u64 {
    h.wrapping_mul(P).wrapping_add(x)
}

#[inline]
fn finish(h: u64, bits: u32) -> Feature {
    let x = (h ^ 0xD6E8_FEB8_6659_FD93).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    Feature {
        bucket: (x >> (64 - bits)) as u32,
        negative: (x >> (63 - bits)) & 1 == 1,
    }
}

const SEED_C3: u64 = 0x1;
const SEED_W1: u64 = 0x3;
const SEED_W2: u64 = 0x4;
const SEED_WORD: u64 = 0x5;
/// Salt of the data-only copy of a feature (see [`features`]).
const SALT_DATA: u64 = 0x5A17_DA7A_0000_0001;

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Calls `sink` with every feature of `norm`, in text order. Used by inference and by the
/// trainer alike.
///
/// `data`: the text is third-party data (a tool result, a document, a text for embedding). Each
/// of its word features then comes twice, as itself and salted with [`SALT_DATA`]: the shared
/// copy carries what an attack is anywhere, the data copy what only data must not say ("send
/// the report to ...", "what is the capital of ..." is a user's ordinary request and an
/// injection inside an email). Character 3-grams are shared only (measured: data copies of them
/// learned the vocabulary of the few benign documents and flagged unseen ones).
pub fn features(norm: &str, bits: u32, data: bool, sink: impl FnMut(Feature)) {
    FeatureReader::new().read(norm, true, bits, data, sink);
}

/// [`features`] over a text read in pieces: what one piece leaves for the next.
struct FeatureReader {
    /// The last three character classes (runs of spaces collapsed), newest last.
    last: [u32; 3],
    seen: usize,
    /// Word hashing: the current word's hash and the previous word's.
    word: u64,
    in_word: bool,
    prev_word: Option<u64>,
}

impl FeatureReader {
    fn new() -> Self {
        Self {
            last: [u32::from(' '); 3],
            seen: 0,
            word: 0,
            in_word: false,
            prev_word: None,
        }
    }

    /// Calls `sink` with the features of `piece` (and, at the `end`, of the last word).
    fn read(
        &mut self,
        piece: &str,
        end: bool,
        bits: u32,
        data: bool,
        mut sink: impl FnMut(Feature),
    ) {
        // One call site of `sink` (it is inlined: a second one costs the module its size).
        let mut emit = |h: u64, word: bool| {
            let copies = if data && word { 2 } else { 1 };
            for salt in [0, SALT_DATA].into_iter().take(copies) {
                sink(finish(h ^ salt, bits));
            }
        };
        let Self {
            last,
            seen,
            word,
            in_word,
            prev_word,
        } = self;
        let word_done = |w: u64, prev: &mut Option<u64>, emit: &mut dyn FnMut(u64, bool)| {
            emit(horner(SEED_W1, w), true);
            if let Some(p) = *prev {
                emit(horner(horner(SEED_W2, p), w), true);
            }
            *prev = Some(w);
        };
        for c in piece.chars() {
            let cl = class(c);
            if !(cl == u32::from(' ') && last[2] == cl) {
                last.rotate_left(1);
                last[2] = cl;
                *seen += 1;
                if *seen >= 3 {
                    emit(
                        horner(
                            horner(horner(SEED_C3, u64::from(last[0])), u64::from(last[1])),
                            u64::from(last[2]),
                        ),
                        false,
                    );
                }
            }
            if is_cjk(c) {
                // Scripts written without spaces: each character is a word (bigrams of them are
                // the word bigrams).
                if *in_word {
                    word_done(*word, prev_word, &mut emit);
                    *in_word = false;
                }
                word_done(horner(SEED_WORD, u64::from(cl)), prev_word, &mut emit);
            } else if cl != u32::from(' ') {
                *word = if *in_word {
                    horner(*word, u64::from(cl))
                } else {
                    horner(SEED_WORD, u64::from(cl))
                };
                *in_word = true;
            } else if *in_word {
                word_done(*word, prev_word, &mut emit);
                *in_word = false;
            }
        }
        if end && *in_word {
            word_done(*word, prev_word, &mut emit);
            *in_word = false;
        }
    }
}
