//! [`StreamRedactor`]: redaction of one text stream that arrives in pieces (one choice, content
//! block or tool-call argument of a streamed response).
//!
//! Guarantees, for any split of a text into pieces:
//! - concatenating what `push` returns and what `finish` returns gives exactly
//!   `SecretScanner::redact(whole).text`, with the same matches at the same stream offsets;
//! - no byte of a masked match is ever released;
//! - text is held back only while it could still be (part of) a match: a tail that is a proper
//!   prefix of a keyword, or a window that started at a trigger and has neither reached its
//!   terminator nor its cap. With nothing suspicious pending, a piece is released whole.
//!
//! Work per `push` is proportional to the piece (plus a small fixed context), never to the
//! stream so far nor to what is held: while more than [`RESCAN_FLOOR`] bytes are held, the held
//! text is scanned again only once the stream has grown by a quarter of it (or reaches the
//! bound), so each byte is scanned a bounded number of times however small the pieces. Such a
//! tail may then be released up to that many bytes later than the first moment it could be;
//! what is released is the same.
//!
//! If the work budget runs out (see [`crate::budget`]) the text not yet released is masked whole
//! as `[REDACTED:limits.work_units_per_byte]` with a `block` match, and nothing after it is
//! released.
//!
//! Bound: caps are clamped to `max_holdback_bytes`, so a single open window never holds more.
//! A private-key block longer than the bound is masked a cap at a time until its END line (the
//! redactor carries "inside a key block" across releases), identically in `redact` and in the
//! stream.
//! Overlapping candidates can chain a hold past the bound (a pathological text); then the
//! redactor releases the excess masked as `[REDACTED:secret.stream.holdback_exceeded]` (with the
//! configured template) rather than let it through unexamined. Only in that case does the stream
//! differ from `redact(whole)`, and it differs by masking more.

use super::{Redacted, SecretAction, SecretScanner};

/// Bytes of already-released text kept so the next scan can look behind a trigger (the byte
/// before it, and a name's qualifier).
const CONTEXT_BYTES: usize = 16;
const _: () = assert!(CONTEXT_BYTES > super::scanner::QUALIFIER_LOOKBACK);

/// Held bytes up to which every piece rescans the held tail (a short token's hold is released
/// the moment it can be).
pub const RESCAN_FLOOR: usize = 256;

/// Held bytes up to which [`StreamRedactor::pass`] answers (a keyword's start is held,
/// not a window; below [`RESCAN_FLOOR`], so the next `push` scans rather than defers).
pub const PASS_HELD: usize = 64;
const _: () = assert!(PASS_HELD < RESCAN_FLOOR);

/// What [`StreamRedactor::pass`] released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// Exactly the piece (nothing was held, nothing is held now).
    Piece,
    /// Other text: held text before the piece, or the piece without a tail now held.
    Text(String),
}

/// Rule id reported when the hold-back bound forces text out masked.
pub const HOLDBACK_EXCEEDED: &str = "secret.stream.holdback_exceeded";

/// Incremental redaction of one text stream.
#[derive(Debug, Clone, Default)]
pub struct StreamRedactor {
    /// Released context (`..from`) followed by the held text.
    buf: String,
    from: usize,
    /// Stream offset of `buf[0]`.
    base: usize,
    /// An over-long armour block continues at `from` under this rule.
    continuation: Option<usize>,
    /// Bytes held after the last scan, and bytes appended since.
    held_at_scan: usize,
    unscanned: usize,
    /// The work budget ran out: nothing more is released.
    spent: bool,
}

impl StreamRedactor {
    /// Feed the next piece of text; returns what may be released now.
    pub fn push(&mut self, scanner: &SecretScanner, piece: &str) -> Redacted {
        if self.spent {
            return Redacted::default();
        }
        self.buf.push_str(piece);
        self.unscanned += piece.len();
        let defer = self.held_at_scan > RESCAN_FLOOR
            && self.unscanned.saturating_mul(4) < self.held_at_scan
            && self.held() <= scanner.max_holdback();
        if defer {
            return Redacted::default();
        }
        self.release(scanner, false)
    }

    /// `push` for a piece that provably finds no match: when no armour block continues, little
    /// is held (at most [`PASS_HELD`] bytes, a keyword's start) and neither the held text nor
    /// the piece holds a trigger ([`super::scanner::RuleSet::quiet_cut`]), the piece is taken
    /// and what `push` would release is returned (the held text and the piece, but for a tail
    /// that could start a keyword; no match). Otherwise nothing changes: None, and the caller
    /// takes the full path. Cheaper than `push`: no candidates to resolve or render.
    pub fn pass(&mut self, scanner: &SecretScanner, piece: &str) -> Option<Release> {
        self.take_quiet(scanner, piece, false)
    }

    /// `pass` for a piece released whole or not at all: true when nothing was held and the
    /// piece is taken and released as it came (`Release::Piece`); false changes nothing (also
    /// when the piece would be taken but a tail of it held).
    pub fn pass_whole(&mut self, scanner: &SecretScanner, piece: &str) -> bool {
        self.held() == 0 && self.take_quiet(scanner, piece, true).is_some()
    }

    fn take_quiet(&mut self, scanner: &SecretScanner, piece: &str, whole: bool) -> Option<Release> {
        if self.spent || self.continuation.is_some() || self.held() > PASS_HELD {
            return None;
        }
        let before = self.buf.len();
        self.buf.push_str(piece);
        let cut = scanner
            .rules
            .quiet_cut(&self.buf, self.from)
            .filter(|c| !whole || *c == self.buf.len());
        let Some(cut) = cut else {
            self.buf.truncate(before);
            return None;
        };
        let released = if before == self.from && cut == self.buf.len() {
            Release::Piece
        } else {
            Release::Text(self.buf.get(self.from..cut).unwrap_or_default().to_string())
        };
        self.unscanned = 0;
        self.keep_context(cut);
        Some(released)
    }

    /// End of stream: release everything still held.
    pub fn finish(&mut self, scanner: &SecretScanner) -> Redacted {
        if self.spent {
            return Redacted::default();
        }
        let out = self.release(scanner, true);
        self.base += self.buf.len();
        self.buf.clear();
        self.from = 0;
        self.continuation = None;
        out
    }

    /// Bytes currently held back.
    pub fn held(&self) -> usize {
        self.buf.len().saturating_sub(self.from)
    }

    fn release(&mut self, scanner: &SecretScanner, at_end: bool) -> Redacted {
        let mut scan = scanner
            .rules
            .scan(&self.buf, self.from, at_end, self.continuation);
        self.unscanned = 0;
        if scan.exhausted || crate::budget::exhausted() {
            self.spent = true;
            let held = self.buf.get(self.from..).unwrap_or_default();
            let out = scanner.over_budget(held, self.base + self.from);
            self.buf.clear();
            self.from = 0;
            return out;
        }
        let mut cut = scan.cut.max(self.from);
        let mut out = Redacted::default();
        let len = self.buf.len();
        let bound = scanner.max_holdback();
        let mut forced = None;
        if len - cut > bound {
            let mut f = len - bound;
            while f > cut && !self.buf.is_char_boundary(f) {
                f -= 1;
            }
            if f > cut {
                forced = Some((cut, f));
            }
        }
        scan.candidates.retain(|c| c.start < cut);
        self.continuation = scan
            .continuations
            .iter()
            .find(|(p, _)| *p == cut && forced.is_none())
            .map(|(_, r)| *r);
        scanner.render(
            &self.buf,
            self.from,
            cut,
            self.base,
            &mut scan.candidates,
            &mut out,
        );
        if let Some((start, stop)) = forced {
            let held = self.buf.get(start..stop).unwrap_or_default();
            out.text.push_str(&scanner.holdback_replacement);
            out.matches.push(super::SecretMatch {
                rule_id: HOLDBACK_EXCEEDED.to_string(),
                start: self.base + start,
                end: self.base + stop,
                action: SecretAction::Redact,
                match_hash: crate::audit::fingerprint(held.as_bytes()),
            });
            cut = stop;
        }
        self.keep_context(cut);
        out
    }

    /// Text before `cut` is released: keep a little of it as context for the next scan's
    /// left-boundary checks.
    fn keep_context(&mut self, cut: usize) {
        let mut keep_from = cut.saturating_sub(CONTEXT_BYTES);
        while keep_from > 0 && !self.buf.is_char_boundary(keep_from) {
            keep_from -= 1;
        }
        self.buf.drain(..keep_from);
        self.base += keep_from;
        self.from = cut - keep_from;
        self.held_at_scan = self.held();
    }
}
