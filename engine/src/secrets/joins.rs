//! Secrets split across the texts of one request.
//!
//! Why: a request carries many texts (messages, content parts, tool results, tool-call
//! arguments) and the model reads them one after another. Redacted each on its own, a key cut in
//! two, `"my key is AKIAZ7Q2"` then `"MXRB5TUVWX3Y thanks"`, matches in neither and reaches the
//! upstream (and its logs) in two halves that anyone can put back together. So does a value
//! whose name is in one text (`aws_secret_access_key =`) and whose body is in the next.
//!
//! What [`SecretScanner::redact_texts`] does, given the texts of a request in document order:
//! 1. each text is redacted on its own, exactly as [`SecretScanner::redact`] does;
//! 2. the texts are joined with nothing in between and the join is scanned once; a match the
//!    texts do not show on their own (it crosses the boundary between two or more texts, or its
//!    evidence does) is masked in every text it touches: the text where it starts carries the
//!    rule's marker in place of its part, each following text loses its part (a text wholly
//!    inside the match becomes empty).
//!
//! A text is never masked less than on its own, and no byte of a match of the join goes on. A
//! `block` rule matched across a join refuses the request like any other block; a `monitor`
//! rule is reported and changes nothing.
//!
//! ```
//! use llm_warden_engine::secrets::{SecretScanner, SecretsConfig};
//!
//! let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
//! let joined = scanner.redact_texts(&["my key is AKIAZ7Q2", "MXRB5TUVWX3Y thanks"]);
//! assert_eq!(
//!     joined.texts,
//!     ["my key is [REDACTED:secret.aws.access_key_id]", " thanks"]
//! );
//! assert_eq!((joined.matches[0].first, joined.matches[0].last), (0, 1));
//! ```
//!
//! Trade-offs:
//! - False positives: joining unrelated texts can form a match that is in neither, say one
//!   message ending in `AKIA` and the next starting with sixteen capitals and digits, or one
//!   ending in `password:` and the next starting with a word. A rule needs its keyword on one
//!   side and a well-formed body on the other, so this is rare, and it costs a masked span (or,
//!   for a `block` rule, a refused request), never a leak.
//! - Rules that run to the end of a line (custom regex rules) may run on into the next text,
//!   since the join puts no newline between texts.
//! - Cost: the request's text is scanned once and copied once into the join. The join is not
//!   scanned again: its triggers are the texts' own plus keywords that cross a boundary
//!   (searched for only within a keyword's length of each boundary), and a trigger whose window
//!   stays inside its text keeps its text's result; only the others are evaluated again
//!   (`RuleSet::scan_joined` says why this equals a scan of the join).

use super::scanner::{Candidate, Joining, Masked, Scan, Scanning};
use super::{Redacted, SecretAction, SecretMatch, SecretScanner};

/// A match in the texts of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedMatch {
    /// Index of the text where the match starts.
    pub first: usize,
    /// Index of the text where it ends (`first` for a match inside one text).
    pub last: usize,
    /// `start` is a byte offset into text `first`, `end` into text `last` (of the texts given).
    pub secret: SecretMatch,
}

/// What [`SecretScanner::redact_texts`] found, and the texts after masking it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinedRedaction {
    /// The texts as they go on.
    pub texts: Vec<String>,
    /// Every match, by first text and offset: those of each text on its own, then those only
    /// the join shows.
    pub matches: Vec<JoinedMatch>,
}

impl JoinedRedaction {
    /// Whether any match asks to end the exchange.
    pub fn blocked(&self) -> bool {
        self.matches
            .iter()
            .any(|m| m.secret.action == SecretAction::Block)
    }
}

/// A range of one text to mask: `from..to` becomes `with`. `joined`: found in the join.
struct Cut<'r> {
    from: usize,
    to: usize,
    with: &'r str,
    joined: bool,
}

pub use crate::budget::STEP_UNITS;

/// [`SecretScanner::redact_texts`] in steps, for a caller that must give the worker back
/// between them (see `Exchange::resume`): [`Self::step`] until it answers. Each step does at most
/// about [`STEP_UNITS`] of the scans (of each text, then of the join; a short text's scan starts,
/// and may end and be rendered, in one step), or one of the passes that are not cut: rendering
/// one text's own redaction, copying the texts into the join, resolving the join's candidates
/// and rewriting the texts it changes. The scans carry their state from step to step (see
/// `scanner::Scanning`): the outcome is that of one call, wherever the steps end.
#[derive(Debug)]
pub struct TextsRedaction {
    /// Each text's scan, kept for the join pass (when there are two texts or more).
    scans: Vec<Scan>,
    /// Each text's own redaction.
    own: Vec<Redacted>,
    phase: Phase,
    /// Units a step spends on the scans ([`STEP_UNITS`]; tests take fewer).
    quantum: u64,
}

#[derive(Debug)]
enum Phase {
    /// Text `i` is scanned next.
    Next(usize),
    /// Text `i` is being scanned (its triggers did not end within the step that started it).
    Scan(usize, Box<Scanning>),
    /// The texts are joined next.
    Join,
    /// The join's candidates are being found.
    Joining {
        joined: String,
        starts: Vec<usize>,
        joining: Box<Joining>,
    },
    /// What the join found is resolved and the texts rewritten next.
    Assemble {
        joined: String,
        starts: Vec<usize>,
        candidates: Vec<Candidate>,
    },
}

impl TextsRedaction {
    /// A redaction not started; give [`Self::step`] the same texts at every step.
    pub fn new() -> Self {
        Self {
            scans: Vec::new(),
            own: Vec::new(),
            phase: Phase::Next(0),
            quantum: STEP_UNITS,
        }
    }

    /// One step; the redaction when done (once: a step after that answers an empty one).
    pub fn step<S: AsRef<str>>(
        &mut self,
        scanner: &SecretScanner,
        texts: &[S],
    ) -> Option<JoinedRedaction> {
        let text = |i: usize| texts.get(i).map_or("", |t| t.as_ref());
        let phase = std::mem::replace(&mut self.phase, Phase::Next(usize::MAX));
        self.phase = match phase {
            Phase::Next(i) if i < texts.len() => {
                // Most texts are short (a request's keys, names, descriptions): one of at most an
                // eighth of the step's units is scanned in the step that starts it (its pass
                // charged up front is small beside the step), and rendered in it when its
                // triggers end there, with nothing kept boxed between steps.
                let mut scanning = scanner.rules.start_scan(text(i), 0, true, None);
                let short = u64::try_from(text(i).len()).is_ok_and(|n| n <= self.quantum / 8);
                if short
                    && scanner
                        .rules
                        .scan_step(&mut scanning, text(i), self.quantum)
                {
                    self.scanned(scanner, texts.len(), i, text(i), scanning)
                } else {
                    Phase::Scan(i, Box::new(scanning))
                }
            }
            Phase::Next(_) if texts.len() < 2 => Phase::Assemble {
                joined: String::new(),
                starts: Vec::new(),
                candidates: Vec::new(),
            },
            Phase::Next(_) => Phase::Join,
            Phase::Scan(i, mut scanning) => {
                if scanner
                    .rules
                    .scan_step(&mut scanning, text(i), self.quantum)
                {
                    self.scanned(scanner, texts.len(), i, text(i), *scanning)
                } else {
                    Phase::Scan(i, scanning)
                }
            }
            Phase::Join => {
                let (joined, starts) = join(texts);
                Phase::Joining {
                    joined,
                    starts,
                    joining: Box::default(),
                }
            }
            Phase::Joining {
                joined,
                starts,
                mut joining,
            } => {
                if scanner.rules.join_step(
                    &mut joining,
                    &joined,
                    &starts,
                    &self.scans,
                    self.quantum,
                ) {
                    Phase::Assemble {
                        joined,
                        starts,
                        candidates: std::mem::take(&mut joining.out),
                    }
                } else {
                    Phase::Joining {
                        joined,
                        starts,
                        joining,
                    }
                }
            }
            Phase::Assemble {
                joined,
                starts,
                candidates,
            } => {
                let own = std::mem::take(&mut self.own);
                let scans = std::mem::take(&mut self.scans);
                return Some(scanner.assemble(texts, own, &scans, &joined, &starts, candidates));
            }
        };
        None
    }

    /// A scanned text's own redaction (of `count` texts), kept with its scan for the join pass.
    /// Text `i`'s scan is complete: rendered, and the next text is due.
    fn scanned(
        &mut self,
        scanner: &SecretScanner,
        count: usize,
        i: usize,
        text: &str,
        scanning: Scanning,
    ) -> Phase {
        self.render(
            scanner,
            count,
            text,
            scanner.rules.finish_scan(scanning, text),
        );
        Phase::Next(i + 1)
    }

    fn render(&mut self, scanner: &SecretScanner, count: usize, text: &str, mut scan: Scan) {
        // One result per text: sized once (a `Scan` is large, and growing the vectors by
        // doubling copied them over and over).
        let due = count.saturating_sub(self.own.len());
        self.own.reserve(due);
        if count < 2 {
            // One text: `SecretScanner::redact`.
            self.own.push(scanner.redacted(text, &mut scan));
        } else {
            // Rendering sorts the candidates; the join pass needs them as pushed.
            self.own
                .push(scanner.render_whole(text, &mut scan.candidates.clone()));
            self.scans.reserve(due);
            self.scans.push(scan);
        }
    }
}

impl Default for TextsRedaction {
    fn default() -> Self {
        Self::new()
    }
}

/// The texts concatenated, and where each starts in the join.
fn join<S: AsRef<str>>(texts: &[S]) -> (String, Vec<usize>) {
    let mut joined = String::with_capacity(texts.iter().map(|t| t.as_ref().len()).sum());
    let mut starts = Vec::with_capacity(texts.len());
    for t in texts {
        starts.push(joined.len());
        joined.push_str(t.as_ref());
    }
    crate::budget::count(joined.len());
    (joined, starts)
}

impl SecretScanner {
    /// Redacts the texts of one request, in document order: each on its own, and across the
    /// joins of consecutive texts; see the module docs. (All the steps of a
    /// [`TextsRedaction`] in one call.)
    pub fn redact_texts<S: AsRef<str>>(&self, texts: &[S]) -> JoinedRedaction {
        let mut redaction = TextsRedaction::new();
        loop {
            if let Some(done) = redaction.step(self, texts) {
                return done;
            }
        }
    }

    /// The end of a redaction of `texts`: the join's `candidates` resolved into the matches no
    /// text shows on its own, the budget checked, the texts the join changes rendered again.
    fn assemble<S: AsRef<str>>(
        &self,
        texts: &[S],
        own: Vec<Redacted>,
        scans: &[Scan],
        joined: &str,
        starts: &[usize],
        candidates: Vec<Candidate>,
    ) -> JoinedRedaction {
        let mut out = JoinedRedaction::default();
        for (i, r) in own.iter().enumerate() {
            out.matches.extend(r.matches.iter().map(|m| JoinedMatch {
                first: i,
                last: i,
                secret: m.clone(),
            }));
        }
        let found = if texts.len() < 2 {
            Vec::new()
        } else {
            self.matches_of_join(&own, joined, starts, candidates)
        };
        if crate::budget::exhausted() || scans.iter().any(|s| s.exhausted) {
            // The budget ran out: no text goes on unexamined (see `SecretScanner::redact`).
            let mut out = JoinedRedaction::default();
            for (i, t) in texts.iter().enumerate() {
                let r = self.over_budget(t.as_ref(), 0);
                out.matches
                    .extend(r.matches.into_iter().map(|secret| JoinedMatch {
                        first: i,
                        last: i,
                        secret,
                    }));
                out.texts.push(r.text);
            }
            return out;
        }
        // Texts the join changes are rendered again from their original, with the ranges of
        // both passes; the others are their own redaction.
        let mut cuts: Vec<Vec<Cut<'_>>> = texts.iter().map(|_| Vec::new()).collect();
        for (m, with) in &found {
            if m.secret.action == SecretAction::Monitor {
                continue;
            }
            for i in m.first..=m.last {
                let len = texts.get(i).map_or(0, |t| t.as_ref().len());
                if let Some(c) = cuts.get_mut(i) {
                    c.push(Cut {
                        from: if i == m.first { m.secret.start } else { 0 },
                        to: if i == m.last { m.secret.end } else { len },
                        with: if i == m.first { with } else { "" },
                        joined: true,
                    });
                }
            }
        }
        for ((text, r), mut cuts) in texts.iter().zip(own).zip(cuts) {
            if cuts.is_empty() {
                out.texts.push(r.text);
                continue;
            }
            for m in r
                .matches
                .iter()
                .filter(|m| m.action != SecretAction::Monitor)
            {
                let with = self
                    .rules
                    .rules
                    .iter()
                    .find(|rule| rule.id == m.rule_id)
                    .map_or("", |rule| rule.replacement.as_str());
                cuts.push(Cut {
                    from: m.start,
                    to: m.end,
                    with,
                    joined: false,
                });
            }
            out.texts.push(render(text.as_ref(), cuts));
        }
        out.matches.extend(found.into_iter().map(|(m, _)| m));
        out.matches.sort_by_key(|m| (m.first, m.secret.start));
        out
    }

    /// Matches of the joined texts that no text shows on its own, each with its marker.
    /// `candidates(joined, starts)`: the candidates of a whole scan of the join, whose text `i`
    /// starts at `starts[i]` (see `RuleSet::scan_joined`).
    #[cfg(test)]
    fn join_matches<S: AsRef<str>>(
        &self,
        texts: &[S],
        own: &[Redacted],
        candidates: impl FnOnce(&str, &[usize]) -> Vec<Candidate>,
    ) -> Vec<(JoinedMatch, &str)> {
        if texts.len() < 2 {
            return Vec::new();
        }
        let (joined, starts) = join(texts);
        let candidates = candidates(&joined, &starts);
        self.matches_of_join(own, &joined, &starts, candidates)
    }

    /// Matches of the join (`joined`, text `i` starting at `starts[i]`) that no text shows on
    /// its own, each with its marker, from the `candidates` of a whole scan of the join.
    fn matches_of_join(
        &self,
        own: &[Redacted],
        joined: &str,
        starts: &[usize],
        mut candidates: Vec<Candidate>,
    ) -> Vec<(JoinedMatch, &str)> {
        let mut found = Vec::new();
        // The text holding byte `pos` of the join: the last one starting at or before it (an
        // empty text starts where the next one does, and holds no byte).
        let text_at = |pos: usize| starts.partition_point(|&s| s <= pos).saturating_sub(1);
        let start_of = |i: usize| starts.get(i).copied().unwrap_or_default();
        // Per text, its own matches' starts (sorted: `render` sorts them) and the running
        // maximum of their ends: whether a range overlaps one of them is a binary search, not
        // a walk over all of them per match of the join.
        let reach: Vec<Vec<usize>> = own
            .iter()
            .map(|r| {
                r.matches
                    .iter()
                    .scan(0, |m, o| {
                        *m = o.end.max(*m);
                        Some(*m)
                    })
                    .collect()
            })
            .collect();
        let overlaps_own = |i: usize, start: usize, end: usize| {
            let (Some(r), Some(reach)) = (own.get(i), reach.get(i)) else {
                return false;
            };
            let n = r.matches.partition_point(|o| o.start < end);
            n.checked_sub(1)
                .and_then(|k| reach.get(k))
                .is_some_and(|&e| e > start)
        };
        let (masked, monitored) = self.rules.resolve(&mut candidates);
        let monitored = monitored.into_iter().map(|c| Masked {
            start: c.start,
            end: c.end,
            candidate: c,
        });
        for m in masked.into_iter().chain(monitored) {
            let Some(rule) = self.rules.rules.get(m.candidate.rule) else {
                continue;
            };
            if m.end <= m.start {
                continue;
            }
            let (first, last) = (text_at(m.start), text_at(m.end - 1));
            let (start, end) = (
                m.start.saturating_sub(start_of(first)),
                m.end.saturating_sub(start_of(last)),
            );
            // Inside one text and overlapping what that text shows on its own: the same secret.
            let seen_alone = first == last && overlaps_own(first, start, end);
            if seen_alone {
                continue;
            }
            let bytes = joined
                .get(m.candidate.start..m.candidate.end)
                .unwrap_or_default();
            found.push((
                JoinedMatch {
                    first,
                    last,
                    secret: SecretMatch {
                        rule_id: rule.id.clone(),
                        start,
                        end,
                        action: rule.action,
                        match_hash: crate::audit::fingerprint(bytes.as_bytes()),
                    },
                },
                rule.replacement.as_str(),
            ));
        }
        found
    }
}

/// `text` with `cuts` applied; overlapping cuts merge into one, replaced as the first of them
/// says (a marker wins over a removal, the join's marker over the text's own at the same start).
fn render(text: &str, mut cuts: Vec<Cut<'_>>) -> String {
    cuts.sort_by_key(|c| (c.from, c.with.is_empty(), !c.joined));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut current: Option<(usize, usize, &str)> = None;
    for c in cuts {
        match &mut current {
            Some((_, to, _)) if c.from < *to => *to = (*to).max(c.to),
            _ => {
                if let Some((from, to, with)) = current.take() {
                    out.push_str(text.get(pos..from).unwrap_or_default());
                    out.push_str(with);
                    pos = to;
                }
                current = Some((c.from.max(pos), c.to.max(pos), c.with));
            }
        }
    }
    if let Some((from, to, with)) = current {
        out.push_str(text.get(pos..from).unwrap_or_default());
        out.push_str(with);
        pos = to;
    }
    out.push_str(text.get(pos..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    //! The join pass without a second scan (`RuleSet::scan_joined`) against a whole scan of the
    //! join, over secrets split at every position across two texts and at seeded random
    //! positions across three and four (with empty texts among them).
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::secrets::SecretsConfig;

    fn scanner(cfg: &str) -> SecretScanner {
        let cfg: SecretsConfig = serde_json::from_str(cfg).unwrap();
        SecretScanner::compile(&cfg, "secrets").unwrap()
    }

    fn pem(lines: usize) -> String {
        let body: String = (0..lines)
            .map(|i| format!("{:064}\n", i * 7919))
            .collect::<String>()
            .replace('0', "Q");
        format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n")
    }

    fn fixtures() -> Vec<String> {
        let mut v: Vec<String> = [
            "my key is AKIAZ7Q2MXRB5TUVWX3Y thanks",
            "xAKIAZ7Q2MXRB5TUVWX3Y and AKIAZ7Q2MXRB5TUVWX3",
            "token ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2 end",
            "card 4111 1111 1111 1111 and 5500-0000-0000-0004. 4111111111111111",
            "30 512 12345678901234 (2) 4111111111111112",
            "password: hunter2Xq9!zLp0 and api_key = 'sk9Qz8Lm2Xv7Bn4Kc1Jd' ok",
            "{\"client_secret\": \"Zq3kT9vLm2Xw8RbYc4Hn\", \"publicToken\": \"Zq3kT9vLm2Xw8RbYc4Hn\"}",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7L9mK2Xw",
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_abcdefgh1234\nnext",
            "see Bearer Zq3kT9vLm2Xw8RbYc4Hn6Jp1 ok; token_url = https://x.example/a",
            "postgres://user:s3cretPw9@db.example.com:5432/app and https://u:p4ssW0rd@h.io/",
            "mail jane.doe@example.org or +1 (415) 555-0134, IBAN GB82 WEST 1234 5698 7654 32, ssn 123-45-6789",
            "cl\u{e9}: password=Zk8#qLm2vX9!pR \u{fc} 4111111111111111 \u{e9}\u{1f600} sk-ant-api03-Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2xx",
            "corp-abcd1234 and s3cr3t-literal and CORP-zz and corp-",
            "Canary CANARY-7f3a9 in text",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
        v.push(format!("before {} after", pem(3)));
        // Long tails, so that windows end inside their text and the text's result is reused.
        let tail = " The committee reviewed the quarterly report on river sediment.".repeat(10);
        for head in [
            "{\"publicToken\": \"Zq3kT9vLm2Xw8RbYc4Hn\"} 4111 1111 1111 1111",
            "xpassword: Zq3kT9vLm2Xw8RbYc4Hn and a-token=Zq3kT9vLm2Xw8RbYc4Hn",
            "next_token = Zq3kT9vLm2Xw8RbYc4Hn, csrf-token: Zq3kT9vLm2Xw8RbYc4Hn",
        ] {
            v.push(format!("{head}{tail}"));
        }
        v.push(format!(
            "a s3cr3t-literal-that-is-the-longest-keyword-of-all-of-them b{tail}"
        ));
        v
    }

    const CONFIGS: &[&str] = &[
        "{}",
        r#"{"pii": true}"#,
        r#"{"max_holdback_bytes": 4096, "overrides": {"secret.payment_card": "monitor", "secret.generic": "block"}}"#,
        r#"{"literals": ["s3cr3t-literal", "s3cr3t-literal-that-is-the-longest-keyword-of-all-of-them"], "canaries": ["CANARY-7f3a9"], "rules": [{"id": "corp", "regex": "corp-[a-z0-9]{8}", "keywords": ["corp-"], "max_len": 16}, {"id": "short", "regex": "cor", "keywords": ["corp-abcd"], "max_len": 2}]}"#,
    ];

    /// Fast and whole-join passes give the same candidates and the same join matches; returns
    /// how many join matches there were.
    fn check(scanner: &SecretScanner, texts: &[&str]) -> usize {
        let scans: Vec<Scan> = texts
            .iter()
            .map(|t| scanner.rules.scan(t, 0, true, None))
            .collect();
        let own: Vec<Redacted> = texts.iter().map(|t| scanner.redact(t)).collect();
        let joined = texts.concat();
        let mut starts = Vec::new();
        let mut at = 0;
        for t in texts {
            starts.push(at);
            at += t.len();
        }
        let key = |c: &Candidate| (c.start, c.end, c.rule);
        let mut fast = scanner.rules.scan_joined(&joined, &starts, &scans);
        let mut full = scanner.rules.scan(&joined, 0, true, None).candidates;
        fast.sort_by_key(key);
        full.sort_by_key(key);
        assert_eq!(fast, full, "candidates of {texts:?}");
        let a = scanner.join_matches(texts, &own, |j, s| scanner.rules.scan_joined(j, s, &scans));
        let b = scanner.join_matches(texts, &own, |j, _| {
            scanner.rules.scan(j, 0, true, None).candidates
        });
        assert_eq!(a, b, "join matches of {texts:?}");
        a.len()
    }

    fn boundaries(s: &str) -> Vec<usize> {
        (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect()
    }

    /// A seeded xorshift: the same cases on every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// `f` cut into `n` texts at seeded random char boundaries (`cuts`), empties allowed.
    fn random_split<'a>(f: &'a str, cuts: &[usize], n: usize, rng: &mut Rng) -> Vec<&'a str> {
        let mut at: Vec<usize> = (1..n).map(|_| cuts[rng.below(cuts.len())]).collect();
        at.sort_unstable();
        let mut texts = Vec::new();
        let mut prev = 0;
        for p in at {
            texts.push(&f[prev..p]);
            prev = p;
        }
        texts.push(&f[prev..]);
        texts
    }

    #[test]
    fn join_pass_equals_a_scan_of_the_join() {
        let scanners: Vec<SecretScanner> = CONFIGS.iter().map(|c| scanner(c)).collect();
        let fixtures = fixtures();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut crossing = 0;
        for scanner in &scanners {
            for f in &fixtures {
                let cuts = boundaries(f);
                // Two texts, every split; with an empty text at the cut too.
                for &p in &cuts {
                    crossing += check(scanner, &[&f[..p], &f[p..]]);
                    crossing += check(scanner, &[&f[..p], "", &f[p..]]);
                }
                // Three and four texts, seeded random splits, empties allowed.
                for _ in 0..300 {
                    let n = 3 + rng.below(2);
                    let texts = random_split(f, &cuts, n, &mut rng);
                    crossing += check(scanner, &texts);
                }
            }
            // Pieces of different fixtures side by side, split anywhere.
            for _ in 0..2000 {
                let n = 2 + rng.below(3);
                let parts: Vec<&str> = (0..n)
                    .map(|_| {
                        let f = &fixtures[rng.below(fixtures.len())];
                        let cuts = boundaries(f);
                        let (a, b) = (cuts[rng.below(cuts.len())], cuts[rng.below(cuts.len())]);
                        &f[a.min(b)..a.max(b)]
                    })
                    .collect();
                crossing += check(scanner, &parts);
            }
        }
        assert!(crossing > 1000, "the cases cross boundaries: {crossing}");
    }

    /// The redaction in steps of `quantum` units (one: every trigger ends a step), each step
    /// under `meter` as the exchange runs them (a meter per call, carried).
    fn stepped(
        scanner: &SecretScanner,
        texts: &[&str],
        quantum: u64,
        meter: &mut crate::budget::Meter,
    ) -> (JoinedRedaction, usize) {
        let mut r = TextsRedaction {
            quantum,
            ..TextsRedaction::new()
        };
        let mut steps = 0;
        loop {
            steps += 1;
            if let Some(done) = meter.run(|| r.step(scanner, texts)) {
                return (done, steps);
            }
        }
    }

    /// A redaction in steps is the redaction in one call, wherever the steps end: every
    /// trigger (a step of one unit), a few, the default; with the work budget ample, or running
    /// out at points along the scan (then every text is masked whole, as in one call).
    #[test]
    fn steps_give_the_redaction_of_one_call() {
        use crate::budget::Meter;
        let scanners: Vec<SecretScanner> = CONFIGS.iter().map(|c| scanner(c)).collect();
        let mut fixtures = fixtures();
        // Long texts of the adversarial shapes, with secrets among them.
        for unit in [
            "4111 1111 1111 1111 ",
            "-----BEGIN RSA PRIVATE KEY-----\n",
            "eyJhbGciOiJIUzI1NiJ9.eyJ",
            "postgres://u:p@",
            "password: ",
            "12 34 56 ",
        ] {
            let mut t = unit.repeat(2000 / unit.len());
            t.insert_str(t.len() / 2, " key AKIAZ7Q2MXRB5TUVWX3Y ");
            fixtures.push(t);
        }
        fixtures.push(format!("k:\n{}", pem(40)));
        let mut rng = Rng(0x5eed_0f5e_c2e7);
        let mut steps_seen = 0;
        for scanner in &scanners {
            for f in &fixtures {
                let cuts = boundaries(f);
                let mut splits: Vec<Vec<&str>> = vec![vec![f.as_str()]];
                for _ in 0..3 {
                    let n = 2 + rng.below(3);
                    splits.push(random_split(f, &cuts, n, &mut rng));
                }
                for texts in &splits {
                    let (whole, cost) = crate::budget::measure(|| scanner.redact_texts(texts));
                    let mut budgets = vec![u64::MAX];
                    budgets.extend((1..4).map(|k| cost * k / 4));
                    for budget in budgets {
                        let mut meter = Meter::new(budget);
                        let one = meter.run(|| scanner.redact_texts(texts));
                        if budget == u64::MAX {
                            assert_eq!(one, whole, "{texts:?}");
                        }
                        for quantum in [1, 7, 500, STEP_UNITS] {
                            let mut m = Meter::new(budget);
                            let (got, steps) = stepped(scanner, texts, quantum, &mut m);
                            assert_eq!(got, one, "{texts:?}: quantum {quantum}, budget {budget}");
                            assert_eq!(m, meter, "{texts:?}: quantum {quantum}, budget {budget}");
                            steps_seen += steps;
                        }
                    }
                }
            }
        }
        assert!(steps_seen > 100_000, "{steps_seen} steps");
    }

    #[test]
    fn join_pass_over_a_key_longer_than_the_cap() {
        // Armour continued cap by cap: the continuation must be read on in the join.
        let scanner = scanner(r#"{"max_holdback_bytes": 4096}"#);
        let key = pem(100);
        let text = format!("key:\n{key}done");
        let cuts = boundaries(&text);
        // Every few bytes, and every byte around where a window meets its cap.
        let t = text.find("-----BEGIN").unwrap();
        let near_cap = |p: &usize| (1..4).any(|k| (t + k * 4096).abs_diff(*p) <= 3);
        for (i, &p) in cuts.iter().enumerate() {
            if i % 7 == 0 || near_cap(&p) || i + 1 == cuts.len() {
                check(&scanner, &[&text[..p], &text[p..]]);
            }
        }
        let mut rng = Rng(7);
        for _ in 0..200 {
            let mut at = [cuts[rng.below(cuts.len())], cuts[rng.below(cuts.len())]];
            at.sort_unstable();
            check(
                &scanner,
                &[&text[..at[0]], &text[at[0]..at[1]], "", &text[at[1]..]],
            );
        }
    }
}
