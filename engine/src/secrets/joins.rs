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
//! - Cost: the request's text is scanned twice (each text, then the join, both linear) and
//!   copied once into the join.

use super::scanner::Masked;
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

impl SecretScanner {
    /// Redacts the texts of one request, in document order: each on its own, and across the
    /// joins of consecutive texts; see the module docs.
    pub fn redact_texts<S: AsRef<str>>(&self, texts: &[S]) -> JoinedRedaction {
        let own: Vec<Redacted> = texts.iter().map(|t| self.redact(t.as_ref())).collect();
        let mut out = JoinedRedaction::default();
        for (i, r) in own.iter().enumerate() {
            out.matches.extend(r.matches.iter().map(|m| JoinedMatch {
                first: i,
                last: i,
                secret: m.clone(),
            }));
        }
        let found = self.join_matches(texts, &own);
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
        for ((text, r), mut cuts) in texts.iter().zip(&own).zip(cuts) {
            if cuts.is_empty() {
                out.texts.push(r.text.clone());
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
    fn join_matches<S: AsRef<str>>(
        &self,
        texts: &[S],
        own: &[Redacted],
    ) -> Vec<(JoinedMatch, &str)> {
        let mut found = Vec::new();
        if texts.len() < 2 {
            return found;
        }
        let mut joined = String::with_capacity(texts.iter().map(|t| t.as_ref().len()).sum());
        let mut starts = Vec::with_capacity(texts.len());
        for t in texts {
            starts.push(joined.len());
            joined.push_str(t.as_ref());
        }
        // The text holding byte `pos` of the join: the last one starting at or before it (an
        // empty text starts where the next one does, and holds no byte).
        let text_at = |pos: usize| starts.partition_point(|&s| s <= pos).saturating_sub(1);
        let start_of = |i: usize| starts.get(i).copied().unwrap_or_default();
        let mut scan = self.rules.scan(&joined, 0, true, None);
        let (masked, monitored) = self.rules.resolve(&mut scan.candidates);
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
            let seen_alone = first == last
                && own
                    .get(first)
                    .is_some_and(|r| r.matches.iter().any(|o| o.start < end && start < o.end));
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
