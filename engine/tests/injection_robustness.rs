//! Seeded random inputs mixing the characters the normaliser treats specially: the detector
//! must never panic, and every finding must be a char-boundary span inside its text.
#![cfg(test)]

use llm_warden_engine::injection::{normalize, InjectionConfig, InjectionDetector};
use llm_warden_engine::text::{ScanText, TextKind};

/// Building blocks: attack words, separators, invisible/bidi/tag/variation characters,
/// look-alikes, encodings, template tokens.
const PIECES: &[&str] = &[
    "&#105;gnore",
    "&#x49",
    "&lt;|im_start|&gt;",
    "&",
    "\\u0069",
    "\\uD83D\\uDE00",
    "\\x69",
    "\\",
    "\u{2028}",
    "\u{2800}",
    "\u{85}",
    "ɪɢɴᴏʀᴇ",
    "օ",
    "нет",
    "i  g  n  o  r  e",
    "i\tg\tn\to",
    "aWdu\nb3Jl\nIGFs\nbA==",
    "ignore",
    "previous",
    "instructions",
    "system prompt",
    " ",
    "  ",
    ".",
    "-",
    "_",
    "*",
    "\n",
    "i g n o r e",
    "1gn0r3",
    "ｉｇｎｏｒｅ",
    "іgnоrе",
    "\u{200B}",
    "\u{202E}",
    "\u{FE0F}",
    "\u{FE01}",
    "\u{E0069}",
    "\u{E0067}",
    "\u{1F3F4}",
    "\u{E007F}",
    "é",
    "İ",
    "ß",
    "ﷺ",
    "😀",
    "<|im_start|>",
    "aWdub3Jl",
    "IHByZXZpb3Vz",
    "==",
    "%69%67",
    "\\x69",
    "69 67 6e",
    "<!--",
    "-->",
    "](http://x/?q={",
    "DAN",
    "mode",
    "you are",
    "not",
    "no restrictions",
    "a",
    "I",
    "'",
    "\"",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn random_inputs_never_panic_and_spans_are_valid() {
    let detector =
        InjectionDetector::compile(&InjectionConfig::default(), "prompt_injection").unwrap();
    let mut rng = Lcg(0x5eed);
    for _ in 0..3000 {
        let n = rng.next() % 40;
        let text: String = (0..n).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
        let norm = normalize::normalize(&text);
        for end in 0..=norm.text.len() {
            if norm.text.is_char_boundary(end) {
                let (s, e) = norm.original_span(0, end);
                assert!(s <= e && e <= text.len(), "{text:?}");
            }
        }
        let kind = if rng.next().is_multiple_of(2) {
            TextKind::User
        } else {
            TextKind::ToolResult
        };
        let report = detector.scan(&[ScanText::new(text.clone(), kind, "x")]);
        for f in &report.findings {
            assert!(f.start <= f.end && f.end <= text.len(), "{text:?}: {f:?}");
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
                "{text:?}: {f:?}"
            );
        }
    }
}
