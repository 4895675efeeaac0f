//! The scan: one aho-corasick pass for keywords, a run-start pass for keyword-less rules
//! (numbers), then for each trigger its window, the confirming regex inside that window only, the
//! validator, and a left-to-right resolution of overlapping candidates.
//!
//! The same function serves whole texts and streams. It is given the text, the offset `from`
//! where unreleased text begins (bytes before it are context only), and whether the text is
//! complete. It answers the candidates and the `cut`: the longest prefix that no candidate, open
//! window or partial keyword straddles. Everything before the cut is final: scanning a longer
//! text can neither add nor change a candidate that starts before it, because
//!
//! - a trigger depends only on its own bytes and at most `QUALIFIER_LOOKBACK` bytes before it
//!   (the stream keeps that much released text as context);
//! - a window ends at its terminator or its cap, both functions of the bytes from the trigger on,
//!   and an open window (no terminator yet, cap not reached) holds the cut at its trigger;
//! - a suffix that could still grow into a keyword holds the cut at its start;
//! - resolution is left to right, so a later candidate cannot change an earlier decision, and a
//!   candidate straddling the cut moves the cut to its start.

use aho_corasick::automaton::{Automaton, OverlappingState};
use aho_corasick::dfa::DFA;
use aho_corasick::{Input, MatchKind};
use regex_lite::Regex;

use super::rules::{Class, Extent, Left, Right, CLASS_TABLE};
use super::validate::Validator;
use super::SecretAction;

/// A rule ready to run: a built-in or custom rule with its configured action.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub id: String,
    pub action: SecretAction,
    pub priority: u8,
    pub case_sensitive: bool,
    pub left: Left,
    pub extent: Extent,
    pub cap: usize,
    pub regex: Option<Regex>,
    pub right: Right,
    pub validator: Validator,
    pub keep_keyword: bool,
    /// For keyword-less rules: the class of byte that starts a candidate.
    pub run_start: Option<Class>,
    /// The text that replaces a masked match.
    pub replacement: String,
    /// Shortest body the regex can match (0 when unknown): shorter bodies skip the regex.
    pub min_body: usize,
    /// Bytes every match of the regex contains (see [`regex_bounds`]): a window without one of
    /// them skips the regex.
    pub needs: Vec<u8>,
}

impl CompiledRule {
    /// Whether the regex could match in `window` at all, by length and required bytes.
    fn may_match(&self, window: &str) -> bool {
        window.len() >= self.min_body && self.needs.iter().all(|n| window.as_bytes().contains(n))
    }
}

/// What every match of `pattern` must have: at least `.0` bytes, and each ASCII byte of `.1`
/// (literals outside any alternation or optional part). A window that lacks either cannot
/// match, so the regex is not run on it. Unknown syntax (flags, Unicode classes, unusual
/// escapes) answers `(0, [])`: no shortcut, never a wrong one.
pub(crate) fn regex_bounds(pattern: &str) -> (usize, Vec<u8>) {
    let mut p = Bounds {
        chars: pattern.chars().collect(),
        at: 0,
    };
    match p.alternation() {
        Some(mut b) if p.at == p.chars.len() => {
            b.needs.sort_unstable();
            b.needs.dedup();
            (b.min, b.needs)
        }
        _ => (0, Vec::new()),
    }
}

/// Lower bounds of a regex part: shortest match in bytes and the bytes every match contains.
struct Bound {
    min: usize,
    needs: Vec<u8>,
}

/// A recursive-descent reader of the regex subset the built-in patterns use.
struct Bounds {
    chars: Vec<char>,
    at: usize,
}

impl Bounds {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    fn alternation(&mut self) -> Option<Bound> {
        let mut b = self.concatenation()?;
        while self.peek() == Some('|') {
            self.at += 1;
            let other = self.concatenation()?;
            b.min = b.min.min(other.min);
            b.needs.retain(|n| other.needs.contains(n));
        }
        Some(b)
    }

    fn concatenation(&mut self) -> Option<Bound> {
        let mut b = Bound {
            min: 0,
            needs: Vec::new(),
        };
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let times = self.repetition()?;
            b.min = b.min.saturating_add(atom.min.saturating_mul(times));
            if times > 0 {
                b.needs.extend(atom.needs);
            }
        }
        Some(b)
    }

    /// The least number of times a quantifier lets its atom repeat (1 without one).
    fn repetition(&mut self) -> Option<usize> {
        let times = match self.peek() {
            Some('*' | '?') => {
                self.at += 1;
                0
            }
            Some('+') => {
                self.at += 1;
                1
            }
            Some('{') => {
                self.at += 1;
                let mut digits = String::new();
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    digits.push(d);
                    self.at += 1;
                }
                let n = digits.parse().ok()?;
                while let Some(c) = self.next() {
                    match c {
                        '}' => break,
                        ',' | '0'..='9' => {}
                        _ => return None,
                    }
                }
                n
            }
            _ => return Some(1),
        };
        if self.peek() == Some('?') {
            // Lazy: the same bound.
            self.at += 1;
        }
        Some(times)
    }

    fn atom(&mut self) -> Option<Bound> {
        let one = |needs: Vec<u8>| Bound { min: 1, needs };
        let none = Bound {
            min: 0,
            needs: Vec::new(),
        };
        match self.next()? {
            '^' | '$' => Some(none),
            '.' => Some(one(Vec::new())),
            '(' => {
                // Only plain and non-capturing groups: a flag may change what a literal matches.
                if self.peek() == Some('?') {
                    self.at += 1;
                    if self.next()? != ':' {
                        return None;
                    }
                }
                let b = self.alternation()?;
                (self.next()? == ')').then_some(b)
            }
            '[' => {
                // A class matches one character (at least one byte).
                if self.peek() == Some('^') {
                    self.at += 1;
                }
                if self.peek() == Some(']') {
                    self.at += 1;
                }
                loop {
                    match self.next()? {
                        ']' => break,
                        '\\' => {
                            self.next()?;
                        }
                        '[' => return None,
                        _ => {}
                    }
                }
                Some(one(Vec::new()))
            }
            '\\' => match self.next()? {
                'd' | 's' | 'w' | 'D' | 'S' | 'W' => Some(one(Vec::new())),
                'b' | 'B' => Some(none),
                c if c.is_ascii_punctuation() => Some(one(vec![u8::try_from(c).ok()?])),
                _ => None,
            },
            '*' | '+' | '?' | '{' | ')' | '|' => None,
            c if c.is_ascii() => Some(one(vec![u8::try_from(c).ok()?])),
            c => Some(Bound {
                min: c.len_utf8(),
                needs: Vec::new(),
            }),
        }
    }
}

#[derive(Debug, Clone)]
struct Keyword {
    bytes: Vec<u8>,
    rule: usize,
}

/// All compiled rules and the keyword automaton over them.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    pub rules: Vec<CompiledRule>,
    keywords: Vec<Keyword>,
    automaton: Option<DFA>,
    /// Keyword indices by the lowercased first byte, for the partial-keyword check at a tail.
    by_first_byte: Vec<Vec<usize>>,
    run_rules: Vec<usize>,
    /// Union of the [`Class::bit`]s of the run rules' start classes: a byte outside it starts
    /// nothing.
    run_bits: u32,
    longest_keyword: usize,
    /// Case-sensitive keywords of vendor token rules: a generic assignment whose value starts
    /// with one is left to that vendor's rule (which knows the format and its fakes).
    vendor_prefixes: Vec<Vec<u8>>,
}

/// One confirmed finding: byte range in the scanned text and the rule index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
}

/// A masked range after resolution: the candidate that names it, widened to the end of any
/// candidate it overlaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Masked {
    pub start: usize,
    pub end: usize,
    pub candidate: Candidate,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Scan {
    pub cut: usize,
    pub candidates: Vec<Candidate>,
    /// Where an armour block that outgrew its cap continues, and its rule: the block is masked
    /// cap by cap until its END line, so no part of an over-long key passes.
    pub continuations: Vec<(usize, usize)>,
    /// `(trigger, end)` of candidates whose value starts after their keyword: a later scan
    /// starts at the cut, so such a candidate must be held from its trigger, not its value, or
    /// it would be found by this scan only and lost by the next.
    pub triggered: Vec<(usize, usize)>,
    /// Every trigger that passed its checks and was evaluated, with the candidates it gave
    /// (`candidates[from..to]`, in the order pushed): the join pass reuses them.
    pub fired: Vec<Fired>,
    /// Per rule, the end of its furthest token candidate so far: a later trigger of the same
    /// token rule before it is not evaluated. Its window is the rest of the same run, so
    /// evaluating every trigger of a dense run (`eyJ.eyJ.eyJ...`) would read the run once per
    /// trigger; the candidate already masks from the first trigger on. (Empty until used.)
    pub reach: Vec<usize>,
    /// The work budget ran out during the scan: triggers after some point were not evaluated,
    /// so the candidates are incomplete and the caller fails closed.
    pub exhausted: bool,
    /// The last token run measured: later triggers inside it resume from where it was read to.
    pub run: RunMemo,
    /// The card-number chain at the last payment-card trigger.
    pub card: CardChain,
}

/// A run of one class already read: `bytes[from..to]` are all in `class`, and when `ended`
/// the byte at `to` is not (or the text ends there). A trigger inside the run finds its end
/// from `to` instead of reading the run again: without it each trigger of a dense run
/// (`4111 1111 ...`, `eyJ.eyJ....`) reads up to its cap, so every byte is read once per
/// trigger before it. The window is the same; only the reading is shared.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunMemo {
    class: Option<Class>,
    from: usize,
    to: usize,
    ended: bool,
}

impl RunMemo {
    /// [`run_end`]`(bytes, from, limit, class)`, reading only bytes not read before.
    fn run_end(&mut self, bytes: &[u8], from: usize, limit: usize, class: Class) -> usize {
        let known = self.class == Some(class) && self.from <= from && from <= self.to;
        if !known {
            *self = Self {
                class: Some(class),
                from,
                to: from,
                ended: false,
            };
        }
        if !self.ended && self.to < limit {
            let end = run_end(bytes, self.to, limit, class);
            self.to = end;
            self.ended = bytes.get(end).is_none_or(|&b| !class.contains(b));
        }
        self.to.min(limit.max(from))
    }
}

/// A trigger the scan evaluated: keyword (or run start) `t..kw_end` of `rule`, and the range
/// of [`Scan::candidates`] its evaluation pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fired {
    pub t: usize,
    pub kw_end: usize,
    pub rule: usize,
    pub from: usize,
    pub to: usize,
    /// Not evaluated: it lies inside a token candidate of the same rule (see [`Scan::reach`]).
    pub skipped: bool,
}

/// A scan of one text in steps ([`RuleSet::start_scan`], [`RuleSet::scan_step`],
/// [`RuleSet::finish_scan`]), so that a long text does not hold the worker for its whole scan.
///
/// The state is carried explicitly, the text is not cut into pieces: every step reads the whole
/// text (a window may run past where a step stops) and only chooses how many of the next
/// triggers it evaluates, in the order the one-pass scan evaluates them (the keyword
/// automaton's overlapping-search state, then the run rules' position). Everything a trigger's
/// evaluation depends on besides the text is in [`Scan`] (candidates, reach, the run and card
/// memos) and stays here between steps, so the candidates, their order and the work charged are
/// those of one pass, wherever the steps end.
#[derive(Debug, Clone)]
pub(crate) struct Scanning {
    scan: Scan,
    from: usize,
    at_end: bool,
    pass: Pass,
}

/// Which pass of a scan in steps comes next.
#[derive(Debug, Clone)]
enum Pass {
    /// The keyword search, at the automaton's state.
    Keywords(OverlappingState),
    /// The run rules' pass, from this offset.
    Runs(usize),
    Done,
}

/// The join pass in steps ([`RuleSet::join_step`]): the next text and fired trigger, and what
/// the triggers so far gave.
#[derive(Debug, Clone, Default)]
pub(crate) struct Joining {
    text: usize,
    fired: usize,
    /// Candidates of the texts reused, shifted into the join; in the end all of them.
    pub out: Vec<Candidate>,
    /// Triggers evaluated again in the join.
    again: Scan,
    reach: Vec<usize>,
    done: bool,
}

enum Window {
    /// The window's extent depends on bytes not seen yet.
    Open,
    Closed {
        end: usize,
        /// The window ended at a terminator byte (at `end`), not at its cap or the text's end.
        terminated: bool,
        /// For assignments: the value's range.
        value: Option<(usize, usize)>,
    },
}

impl Left {
    fn accepts(self, bytes: &[u8], t: usize) -> bool {
        let prev = t.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        let Some(prev) = prev else {
            return true;
        };
        match self {
            Left::Any => true,
            Left::NotAlnum => !prev.is_ascii_alphanumeric(),
            Left::Identifier => {
                !prev.is_ascii_alphabetic()
                    || (prev.is_ascii_lowercase()
                        && bytes.get(t).is_some_and(u8::is_ascii_uppercase))
            }
            Left::NumberStart => {
                !(prev.is_ascii_alphanumeric() || matches!(prev, b'.' | b',' | b'@' | b'_'))
            }
            Left::EmailStart => !Class::Email.contains(prev),
        }
    }
}

impl Right {
    fn accepts(self, next: Option<u8>) -> bool {
        match (self, next) {
            (Right::Any, _) | (_, None) => true,
            (Right::NotAlnum, Some(b)) => !b.is_ascii_alphanumeric(),
            (Right::NotUrlSafe, Some(b)) => !Class::UrlSafe.contains(b),
        }
    }
}

/// Index of the first byte of `hay` in one of the classes of `bits` (a tight loop of table
/// loads: what the run rules cost on text without a single digit).
fn next_in(hay: &[u8], bits: u32) -> Option<usize> {
    hay.iter().position(|&b| {
        CLASS_TABLE
            .get(usize::from(b))
            .is_some_and(|m| m & bits != 0)
    })
}

/// First index in `from..limit` whose byte is not in `class`, or `limit`.
fn run_end(bytes: &[u8], from: usize, limit: usize, class: Class) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if i >= limit || !class.contains(b) {
            break;
        }
        i += 1;
    }
    i.min(limit.max(from))
}

/// The first `-----END` or `-----BEGIN` in `hay`: its offset, and whether it is a BEGIN.
/// A `-----` whose word is cut off by the end of `hay` is neither (the caller decides from the
/// window's bound whether more bytes could complete it).
fn armor_boundary(hay: &[u8]) -> (Option<usize>, bool) {
    let mut at = 0;
    while let Some(p) = hay.get(at..).and_then(|h| find(h, b"-----")) {
        let i = at + p;
        let rest = hay.get(i + 5..).unwrap_or_default();
        if rest.starts_with(b"END") {
            return (Some(i), false);
        }
        if rest.starts_with(b"BEGIN") {
            return (Some(i), true);
        }
        at = i + 1;
    }
    (None, false)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A window whose terminator was not found below `limit`: closed by the cap, by the end of a
/// complete text, or still open.
fn unterminated(text: &str, cap_end: usize, at_end: bool, value_start: Option<usize>) -> Window {
    let len = text.len();
    let end = if cap_end <= len {
        floor_boundary(text, cap_end)
    } else if at_end {
        len
    } else {
        return Window::Open;
    };
    Window::Closed {
        end,
        terminated: false,
        value: value_start.map(|v| (v.min(end), end)),
    }
}

fn window(
    extent: Extent,
    text: &str,
    (t, kw_end): (usize, usize),
    cap_end: usize,
    at_end: bool,
    run: &mut RunMemo,
) -> Window {
    let bytes = text.as_bytes();
    let limit = cap_end.min(bytes.len());
    match extent {
        Extent::Keyword => Window::Closed {
            end: kw_end,
            terminated: true,
            value: None,
        },
        Extent::Token(class) => {
            let i = run.run_end(bytes, kw_end, limit, class);
            if i < limit {
                Window::Closed {
                    end: i,
                    terminated: true,
                    value: None,
                }
            } else {
                unterminated(text, cap_end, at_end, None)
            }
        }
        Extent::Line => match bytes.get(kw_end..limit).and_then(|h| find(h, b"\n")) {
            Some(p) => Window::Closed {
                end: kw_end + p,
                terminated: true,
                value: None,
            },
            None => unterminated(text, cap_end, at_end, None),
        },
        Extent::Armor => {
            let hay = bytes.get(kw_end..limit).unwrap_or_default();
            let (p, next_begin) = armor_boundary(hay);
            if next_begin {
                // Another block starts before this one ended: this one ends there. Blocks
                // never nest, and so each byte is read by one window, however many BEGIN
                // lines a text repeats.
                return Window::Closed {
                    end: kw_end + p.unwrap_or(0),
                    terminated: true,
                    value: None,
                };
            }
            if let Some(p) = p {
                let q = kw_end + p + 8;
                let rest = bytes.get(q..limit).unwrap_or_default();
                // The END line's label is short and on one line.
                let rest = rest.get(..rest.len().min(64)).unwrap_or_default();
                if let Some(p2) = find(rest, b"-----") {
                    return Window::Closed {
                        end: q + p2 + 5,
                        terminated: true,
                        value: None,
                    };
                }
                if rest.len() >= 64 || rest.contains(&b'\n') {
                    // A malformed END line: close at it rather than running to the cap.
                    return Window::Closed {
                        end: q,
                        terminated: true,
                        value: None,
                    };
                }
            }
            unterminated(text, cap_end, at_end, None)
        }
        Extent::Assignment(class) => assignment_window(text, t, kw_end, cap_end, at_end, class),
    }
}

/// Words in a name that make it name something other than the secret itself
/// (`token_url`, `credentialsId`, `secret_length`, `passwordVariable`).
const NON_SECRET_NAME_PARTS: &[&str] = &[
    "id", "url", "uri", "name", "length", "len", "type", "file", "path", "variable", "count",
    "size", "format", "endpoint", "header", "field", "policy", "expir", "prefix",
];

/// Whether the identifier suffix after a keyword makes the name denote something other than a
/// secret.
fn names_non_secret(keyword: &[u8], suffix: &[u8]) -> bool {
    let lower: Vec<u8> = suffix.iter().map(u8::to_ascii_lowercase).collect();
    // A plural (`secrets:`, `tokens =`) names a collection; "credentials" is the usual name of
    // a single credential.
    if lower == b"s" && !keyword.eq_ignore_ascii_case(b"credential") {
        return true;
    }
    NON_SECRET_NAME_PARTS
        .iter()
        .any(|part| lower.windows(part.len()).any(|w| w == part.as_bytes()))
}

/// Qualifiers before a keyword that make the name denote a public or non-secret value
/// (`publicToken`, `csrf-token`, `next_token`).
const NON_SECRET_QUALIFIERS: &[&str] = &["public", "csrf", "xsrf", "next", "page", "max", "num"];

/// Bytes before a keyword examined for a qualifier; the stream keeps at least this much context.
pub(crate) const QUALIFIER_LOOKBACK: usize = 8;

/// Whether the identifier containing the keyword at `t` starts right after a quote (looking back
/// at most `QUALIFIER_LOOKBACK` bytes).
fn opens_with_quote(bytes: &[u8], t: usize) -> bool {
    let mut i = t;
    while i > t.saturating_sub(QUALIFIER_LOOKBACK) {
        match i.checked_sub(1).and_then(|p| bytes.get(p)) {
            Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.') => i -= 1,
            Some(b'"' | b'\'') => return true,
            _ => return false,
        }
    }
    false
}

fn qualified_as_non_secret(bytes: &[u8], t: usize) -> bool {
    let from = t.saturating_sub(QUALIFIER_LOOKBACK);
    let before: Vec<u8> = bytes
        .get(from..t)
        .unwrap_or_default()
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    // Only the identifier the keyword belongs to: stop at the last non-identifier byte.
    let start = before
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .map_or(0, |p| p + 1);
    let ident = before.get(start..).unwrap_or_default();
    NON_SECRET_QUALIFIERS
        .iter()
        .any(|q| ident.windows(q.len()).any(|w| w == q.as_bytes()))
}

/// `keyword[ident-suffix]["'][ \t]*(=|:|:=|=>)[ \t]*["'`]?value`
fn assignment_window(
    text: &str,
    t: usize,
    kw_end: usize,
    cap_end: usize,
    at_end: bool,
    class: Class,
) -> Window {
    let bytes = text.as_bytes();
    let limit = cap_end.min(bytes.len());
    let at = |i: usize| {
        if i < limit {
            bytes.get(i).copied()
        } else {
            None
        }
    };
    let no_value = |end: usize| Window::Closed {
        end,
        terminated: true,
        value: None,
    };
    let mut i = kw_end;
    while let Some(b) = at(i) {
        if (b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')) && i - kw_end < 32 {
            i += 1;
        } else {
            break;
        }
    }
    let Some(mut b) = at(i) else {
        return unterminated(text, cap_end, at_end, None);
    };
    if names_non_secret(
        bytes.get(t..kw_end).unwrap_or_default(),
        bytes.get(kw_end..i).unwrap_or_default(),
    ) || qualified_as_non_secret(bytes, t)
    {
        return no_value(i);
    }
    // A name in quotes on both sides (`"api_key"`), as in JSON or a key-value call.
    let quoted_name = matches!(b, b'"' | b'\'') && opens_with_quote(bytes, t);
    if matches!(b, b'"' | b'\'') {
        i += 1;
        match at(i) {
            Some(n) => b = n,
            None => return unterminated(text, cap_end, at_end, None),
        }
    }
    while matches!(b, b' ' | b'\t') {
        i += 1;
        match at(i) {
            Some(n) => b = n,
            None => return unterminated(text, cap_end, at_end, None),
        }
    }
    match b {
        b'=' => {
            i += 1;
            match at(i) {
                Some(b'>') => i += 1,
                // `==` compares, it does not assign.
                Some(b'=') => return no_value(i),
                Some(_) => {}
                None => return unterminated(text, cap_end, at_end, None),
            }
        }
        b':' => {
            i += 1;
            match at(i) {
                Some(b'=') => i += 1,
                Some(_) => {}
                None => return unterminated(text, cap_end, at_end, None),
            }
        }
        // A quoted name then a comma: a key-value call (`setenv("API_KEY", "...")`).
        b',' if quoted_name => i += 1,
        _ => return no_value(i),
    }
    let Some(mut b) = at(i) else {
        return unterminated(text, cap_end, at_end, None);
    };
    while matches!(b, b' ' | b'\t') {
        i += 1;
        match at(i) {
            Some(n) => b = n,
            None => return unterminated(text, cap_end, at_end, None),
        }
    }
    if matches!(b, b'"' | b'\'' | b'`') {
        i += 1;
    }
    let start = i;
    let end = run_end(bytes, start, limit, class);
    if end < limit {
        Window::Closed {
            end,
            terminated: true,
            value: Some((start, end)),
        }
    } else {
        unterminated(text, cap_end, at_end, Some(start))
    }
}

impl RuleSet {
    /// Builds the keyword automaton. `keywords` pairs each keyword with its rule index.
    pub(crate) fn new(
        rules: Vec<CompiledRule>,
        keywords: Vec<(String, usize)>,
    ) -> Result<Self, String> {
        let keywords: Vec<Keyword> = keywords
            .into_iter()
            .map(|(k, rule)| Keyword {
                bytes: k.into_bytes(),
                rule,
            })
            .collect();
        let automaton = if keywords.is_empty() {
            None
        } else {
            Some(
                aho_corasick::dfa::Builder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(keywords.iter().map(|k| k.bytes.as_slice()))
                    .map_err(|e| e.to_string())?,
            )
        };
        let mut by_first_byte = vec![Vec::new(); 256];
        for (i, k) in keywords.iter().enumerate() {
            if let Some(slot) = k
                .bytes
                .first()
                .and_then(|b| by_first_byte.get_mut(usize::from(b.to_ascii_lowercase())))
            {
                slot.push(i);
            }
        }
        let run_rules = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.run_start.is_some())
            .map(|(i, _)| i)
            .collect();
        let run_bits = rules
            .iter()
            .filter_map(|r| r.run_start)
            .fold(0, |bits, class| bits | class.bit());
        let longest_keyword = keywords.iter().map(|k| k.bytes.len()).max().unwrap_or(0);
        let vendor_prefixes = keywords
            .iter()
            .filter(|k| {
                // Vendor prefixes end in a separator (`ghp_`, `sk-`, `xoxb-`, `SG.`).
                matches!(k.bytes.last(), Some(b'_' | b'-' | b'.'))
                    && rules.get(k.rule).is_some_and(|r| {
                        r.case_sensitive
                            && matches!(r.extent, Extent::Token(_))
                            && r.run_start.is_none()
                    })
            })
            .map(|k| k.bytes.clone())
            .collect();
        Ok(Self {
            vendor_prefixes,
            rules,
            keywords,
            automaton,
            by_first_byte,
            run_rules,
            run_bits,
            longest_keyword,
        })
    }

    /// Scans `text[from..]` (bytes before `from` are context); see the module docs for `cut`.
    /// `carried`: the rule of an armour block continuing at `from` (from the stream's previous
    /// release, see [`Scan::continuations`]). One call of the steps [`Self::start_scan`],
    /// [`Self::scan_step`] and [`Self::finish_scan`].
    pub(crate) fn scan(
        &self,
        text: &str,
        from: usize,
        at_end: bool,
        carried: Option<usize>,
    ) -> Scan {
        let mut scanning = self.start_scan(text, from, at_end, carried);
        while !self.scan_step(&mut scanning, text, u64::MAX) {}
        self.finish_scan(scanning, text)
    }

    /// The start of a scan in steps (see [`Scanning`]): an armour block carried in is masked,
    /// the keyword search is charged.
    pub(crate) fn start_scan(
        &self,
        text: &str,
        from: usize,
        at_end: bool,
        carried: Option<usize>,
    ) -> Scanning {
        let len = text.len();
        let mut scan = Scan {
            cut: len,
            exhausted: crate::budget::exhausted(),
            ..Scan::default()
        };
        if let Some(r) = carried {
            self.continue_armor(r, text, from, at_end, &mut scan);
        }
        let pass = if self.automaton.is_some() && from <= len {
            crate::budget::charge_bytes(len - from);
            Pass::Keywords(OverlappingState::start())
        } else {
            self.begin_runs(len, from)
        };
        Scanning {
            scan,
            from,
            at_end,
            pass,
        }
    }

    /// The run rules' pass, charged, or nothing when no rule runs from a byte class.
    fn begin_runs(&self, len: usize, from: usize) -> Pass {
        if self.run_bits == 0 {
            return Pass::Done;
        }
        crate::budget::charge_bytes(len.saturating_sub(from));
        Pass::Runs(from)
    }

    /// Evaluates the scan's next triggers, in the order one pass would, until `quantum` units
    /// are spent on the slice clock (at least one trigger) or the triggers end; true when they
    /// have ended (then [`Self::finish_scan`]).
    pub(crate) fn scan_step(&self, scanning: &mut Scanning, text: &str, quantum: u64) -> bool {
        let started = crate::budget::slice_clock();
        let bytes = text.as_bytes();
        let len = bytes.len();
        let Scanning {
            scan,
            from,
            at_end,
            pass,
        } = scanning;
        let (from, at_end) = (*from, *at_end);
        loop {
            match pass {
                Pass::Keywords(state) => {
                    let (Some(ac), Some(hay)) = (&self.automaton, bytes.get(from..)) else {
                        *pass = self.begin_runs(len, from);
                        continue;
                    };
                    // The automaton's state carries its position: the matches come out as the
                    // one-pass iterator gives them, however the steps fall.
                    if ac.try_find_overlapping(&Input::new(hay), state).is_err() {
                        scan.exhausted = true;
                        *pass = self.begin_runs(len, from);
                        continue;
                    }
                    let Some(m) = state.get_match() else {
                        *pass = self.begin_runs(len, from);
                        continue;
                    };
                    if crate::budget::exhausted() {
                        scan.exhausted = true;
                        *pass = self.begin_runs(len, from);
                        continue;
                    }
                    let (t, kw_end) = (from + m.start(), from + m.end());
                    if let Some(r) = self.keyword_trigger(bytes, t, kw_end, m.pattern().as_usize())
                    {
                        self.fire(r, text, t, kw_end, at_end, scan);
                    }
                }
                Pass::Runs(i) => {
                    // One pass for all run rules; a byte in none of their start classes (most
                    // of prose) costs one table load. Candidates come out by position rather
                    // than by rule, which nothing depends on: `resolve` orders them totally.
                    let Some(k) = next_in(bytes.get(*i..).unwrap_or_default(), self.run_bits)
                    else {
                        *pass = Pass::Done;
                        continue;
                    };
                    if crate::budget::exhausted() {
                        scan.exhausted = true;
                        *pass = Pass::Done;
                        continue;
                    }
                    let at = *i + k;
                    *i = at + 1;
                    let bits = CLASS_TABLE
                        .get(usize::from(bytes.get(at).copied().unwrap_or(0)))
                        .copied()
                        .unwrap_or(0);
                    for &r in &self.run_rules {
                        let Some(rule) = self.rules.get(r) else {
                            continue;
                        };
                        if rule.run_start.is_some_and(|c| bits & c.bit() != 0)
                            && rule.left.accepts(bytes, at)
                        {
                            self.fire(r, text, at, at, at_end, scan);
                        }
                    }
                }
                Pass::Done => return true,
            }
            if crate::budget::slice_clock().saturating_sub(started) >= quantum {
                return matches!(pass, Pass::Done);
            }
        }
    }

    /// The scan whose triggers [`Self::scan_step`] evaluated, with its cut.
    pub(crate) fn finish_scan(&self, scanning: Scanning, text: &str) -> Scan {
        let Scanning {
            mut scan,
            from,
            at_end,
            ..
        } = scanning;
        if !at_end {
            if let Some(s) = self.partial_keyword(text, from) {
                scan.cut = scan.cut.min(s);
            }
        }
        if scan.cut >= text.len() {
            // No span ends past the text, so none straddles a cut at its end (every whole text).
            return scan;
        }
        // A candidate straddling the cut must wait whole, from its trigger (a later scan starts
        // at the cut and must find the keyword again); moving the cut left may make another
        // candidate straddle it. The cut that results is the start of the run of overlapping
        // spans (`start < cut < end`, chained) that holds the first cut: one sweep over the
        // spans by start, not a turn per span (a text dense with overlapping candidates would
        // make that quadratic).
        let mut spans: Vec<(usize, usize)> = scan
            .candidates
            .iter()
            .map(|c| (c.start, c.end))
            .chain(scan.triggered.iter().copied())
            .filter(|&(s, _)| s < scan.cut)
            .collect();
        spans.sort_unstable();
        let mut run: Option<(usize, usize)> = None;
        for (s, e) in spans {
            run = match run {
                Some((rs, re)) if s < re => Some((rs, re.max(e))),
                _ => Some((s, e)),
            };
            if let Some((rs, re)) = run {
                if rs < scan.cut && re > scan.cut {
                    scan.cut = rs;
                    break;
                }
            }
        }
        scan
    }

    /// The rule a keyword match of pattern `pattern` at `t..kw_end` triggers, if its case and
    /// left context allow.
    fn keyword_trigger(
        &self,
        bytes: &[u8],
        t: usize,
        kw_end: usize,
        pattern: usize,
    ) -> Option<usize> {
        let kw = self.keywords.get(pattern)?;
        let rule = self.rules.get(kw.rule)?;
        if rule.case_sensitive && bytes.get(t..kw_end) != Some(kw.bytes.as_slice()) {
            return None;
        }
        rule.left.accepts(bytes, t).then_some(kw.rule)
    }

    /// Evaluates a trigger and records it in [`Scan::fired`].
    fn fire(&self, r: usize, text: &str, t: usize, kw_end: usize, at_end: bool, scan: &mut Scan) {
        let from = scan.candidates.len();
        let skipped = self.covered(r, t, &scan.reach);
        if !skipped {
            self.evaluate(r, text, t, kw_end, at_end, scan);
            self.extend_reach(r, &mut scan.reach, scan.candidates.get(from..));
        }
        scan.fired.push(Fired {
            t,
            kw_end,
            rule: r,
            from,
            to: scan.candidates.len(),
            skipped,
        });
    }

    /// Whether a trigger of token rule `r` at `t` lies inside one of its earlier candidates.
    fn covered(&self, r: usize, t: usize, reach: &[usize]) -> bool {
        let token = self.rules.get(r).is_some_and(|rule| {
            matches!(rule.extent, Extent::Token(_)) && rule.run_start.is_none()
        });
        token && reach.get(r).is_some_and(|&end| t < end)
    }

    fn extend_reach(&self, r: usize, reach: &mut Vec<usize>, new: Option<&[Candidate]>) {
        let Some(end) = new.and_then(|c| c.iter().filter(|c| c.rule == r).map(|c| c.end).max())
        else {
            return;
        };
        if reach.len() < self.rules.len() {
            reach.resize(self.rules.len(), 0);
        }
        if let Some(slot) = reach.get_mut(r) {
            *slot = (*slot).max(end);
        }
    }

    /// The candidates of `self.scan(joined, 0, true, None)`, where `joined` is the texts
    /// `scans` came from (each `self.scan(text, 0, true, None)`) concatenated, text `i`
    /// starting at `starts[i]`, without scanning the join again.
    ///
    /// Why this is the same set:
    /// - A trigger of the join lies inside one text or crosses a boundary. Inside a text, its
    ///   keyword (or run byte) was found by that text's scan, and it passed the text's left check:
    ///   the byte before it is the same, or (at the text's start) absent, which every check
    ///   accepts. So the join's triggers are the texts' fired triggers that pass the left check
    ///   in the join, plus keyword matches that cross a boundary; those lie within
    ///   `longest_keyword - 1` bytes of it, so only that much around each boundary is searched.
    /// - An evaluation reads at most `QUALIFIER_LOOKBACK` bytes before its trigger and nothing at
    ///   or past `trigger + cap` but the char-boundary test at that offset (every text starts at
    ///   a char boundary); an armour block continued past its cap reads the same from each
    ///   continuation, which starts a candidate. A trigger whose reads lie inside its text, the
    ///   last window's `start + cap` strictly before the text's end (so the join does not end
    ///   inside a window either), gives in the join exactly what it gave in its text, shifted;
    ///   any other trigger is evaluated again, in the join.
    /// - A token trigger its text skipped (inside an earlier candidate of its rule, see
    ///   [`Scan::reach`]) is skipped in the join while an earlier candidate of the join covers
    ///   it, and evaluated otherwise. Keywords crossing a boundary are evaluated after the
    ///   texts' own triggers, so they never cause a skip. So the join's candidates may differ
    ///   from a scan of it only where candidates of one token rule overlap one another (a
    ///   candidate more, or one fewer inside the range the others mask).
    #[cfg(test)]
    pub(crate) fn scan_joined(
        &self,
        joined: &str,
        starts: &[usize],
        scans: &[Scan],
    ) -> Vec<Candidate> {
        let mut joining = Joining::default();
        while !self.join_step(&mut joining, joined, starts, scans, u64::MAX) {}
        joining.out
    }

    /// [`Self::scan_joined`] in steps: the texts' fired triggers in order, until `quantum`
    /// units are spent on the slice clock (at least one trigger), then the keywords crossing a
    /// boundary in one step (a keyword's length around each). True when done (the candidates
    /// are in [`Joining::out`]). The state between steps is explicit, as in [`Scanning`].
    pub(crate) fn join_step(
        &self,
        joining: &mut Joining,
        joined: &str,
        starts: &[usize],
        scans: &[Scan],
        quantum: u64,
    ) -> bool {
        let started = crate::budget::slice_clock();
        let bytes = joined.as_bytes();
        let len = bytes.len();
        let Joining {
            text,
            fired,
            out,
            again,
            reach,
            done,
        } = joining;
        if *done {
            return true;
        }
        while let Some(scan) = scans.get(*text) {
            let s = starts.get(*text).copied().unwrap_or(len);
            let e = starts.get(*text + 1).copied().unwrap_or(len);
            let Some(f) = scan
                .fired
                .get(*fired)
                .filter(|_| !crate::budget::exhausted())
            else {
                // This text's triggers are done (or the budget ran out: the next text's end
                // at once too).
                (*text, *fired) = (*text + 1, 0);
                continue;
            };
            *fired += 1;
            let Some(rule) = self.rules.get(f.rule) else {
                continue;
            };
            let t = s + f.t;
            if !rule.left.accepts(bytes, t) {
                continue;
            }
            // The same-rule skip (`Scan::reach`), over the join: a trigger its text skipped is
            // skipped here too while an earlier candidate of the join still covers it, and
            // evaluated in the join otherwise.
            if f.skipped && self.covered(f.rule, t, reach) {
                continue;
            }
            let own = scan.candidates.get(f.from..f.to).unwrap_or_default();
            // An armour block continued past its cap read on from each continuation.
            let last_window = own.iter().map(|c| s + c.start).fold(t, usize::max);
            let behind = s == 0 || t >= s + QUALIFIER_LOOKBACK;
            if !f.skipped && behind && last_window.saturating_add(rule.cap) < e {
                let at = out.len();
                out.extend(own.iter().map(|c| Candidate {
                    start: s + c.start,
                    end: s + c.end,
                    rule: c.rule,
                }));
                self.extend_reach(f.rule, reach, out.get(at..));
            } else {
                let at = again.candidates.len();
                self.evaluate(f.rule, joined, t, s + f.kw_end, true, again);
                self.extend_reach(f.rule, reach, again.candidates.get(at..));
            }
            if crate::budget::slice_clock().saturating_sub(started) >= quantum {
                return false;
            }
        }
        if let Some(ac) = &self.automaton {
            let reach = self.longest_keyword.saturating_sub(1);
            // Regions around the boundaries, merged (a keyword can cross several when texts
            // between are short or empty).
            let mut regions: Vec<(usize, usize)> = Vec::new();
            for &b in starts.iter().filter(|&&b| b > 0 && b < len) {
                let (lo, hi) = (b.saturating_sub(reach), b.saturating_add(reach).min(len));
                match regions.last_mut() {
                    Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                    _ => regions.push((lo, hi)),
                }
            }
            let text_at = |pos: usize| starts.partition_point(|&s| s <= pos);
            for (lo, hi) in regions {
                let Some(hay) = bytes.get(lo..hi) else {
                    continue;
                };
                // Never an error: the automaton is built unanchored with standard matching,
                // the only configuration an overlapping search asks for.
                let Ok(found) = ac.try_find_overlapping_iter(Input::new(hay)) else {
                    continue;
                };
                for m in found {
                    let (t, kw_end) = (lo + m.start(), lo + m.end());
                    // Inside one text: found by that text's scan.
                    if kw_end <= t || text_at(t) == text_at(kw_end - 1) {
                        continue;
                    }
                    if let Some(r) = self.keyword_trigger(bytes, t, kw_end, m.pattern().as_usize())
                    {
                        self.evaluate(r, joined, t, kw_end, true, again);
                    }
                }
            }
        }
        out.append(&mut again.candidates);
        *done = true;
        true
    }

    /// When a scan of `text[from..]` would find no trigger (no keyword in it and no run rule's
    /// start byte, whatever the context: a trigger's left check is not asked, so a None answer
    /// never hides one), the cut that scan gives: where a tail that could start a keyword
    /// begins, or the end. None when it may find one, or the budget ran out. Charges the budget
    /// as that scan would.
    pub(crate) fn quiet_cut(&self, text: &str, from: usize) -> Option<usize> {
        let hay = text.as_bytes().get(from..)?;
        crate::budget::charge_bytes(hay.len());
        if self
            .automaton
            .as_ref()
            .is_some_and(|ac| !matches!(ac.try_find(&Input::new(hay)), Ok(None)))
        {
            return None;
        }
        if self.run_bits != 0 {
            crate::budget::charge_bytes(hay.len());
            if next_in(hay, self.run_bits).is_some() {
                return None;
            }
        }
        if crate::budget::exhausted() {
            return None;
        }
        Some(self.partial_keyword(text, from).unwrap_or(text.len()))
    }

    /// Start of the earliest suffix of `text[from..]` that is a proper prefix of a keyword at a
    /// position where that keyword would trigger.
    fn partial_keyword(&self, text: &str, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let len = bytes.len();
        let lo = len
            .saturating_sub(self.longest_keyword.saturating_sub(1))
            .max(from);
        for s in lo..len {
            if !text.is_char_boundary(s) {
                continue;
            }
            let Some(tail) = bytes.get(s..) else {
                continue;
            };
            let Some(first) = tail.first() else {
                continue;
            };
            let Some(bucket) = self
                .by_first_byte
                .get(usize::from(first.to_ascii_lowercase()))
            else {
                continue;
            };
            for &k in bucket {
                let Some(kw) = self.keywords.get(k) else {
                    continue;
                };
                let Some(rule) = self.rules.get(kw.rule) else {
                    continue;
                };
                let Some(head) = kw.bytes.get(..tail.len()) else {
                    continue;
                };
                if kw.bytes.len() <= tail.len() {
                    continue;
                }
                let same = if rule.case_sensitive {
                    head == tail
                } else {
                    head.eq_ignore_ascii_case(tail)
                };
                if same && rule.left.accepts(bytes, s) {
                    return Some(s);
                }
            }
        }
        None
    }

    fn evaluate(
        &self,
        r: usize,
        text: &str,
        t: usize,
        kw_end: usize,
        at_end: bool,
        scan: &mut Scan,
    ) {
        let Some(rule) = self.rules.get(r) else {
            return;
        };
        let cap_end = t.saturating_add(rule.cap);
        let w = window(
            rule.extent,
            text,
            (t, kw_end),
            cap_end,
            at_end,
            &mut scan.run,
        );
        // The window's bytes were read to find its end (to the text's end when still open).
        crate::budget::charge_bytes(match w {
            Window::Open => text.len().saturating_sub(t),
            Window::Closed { end, .. } => end.saturating_sub(t),
        });
        match w {
            Window::Open => scan.cut = scan.cut.min(t),
            Window::Closed {
                end,
                terminated,
                value,
            } => {
                let span = confirm(
                    rule,
                    text,
                    (t, kw_end, end),
                    terminated,
                    value,
                    &mut scan.card,
                );
                if let Some((start, stop)) = span {
                    let vendor_value = rule.extent == Extent::Assignment(Class::Value)
                        && text
                            .as_bytes()
                            .get(start..stop)
                            .is_some_and(|v| self.vendor_prefixes.iter().any(|p| v.starts_with(p)));
                    if start < stop && !vendor_value {
                        scan.candidates.push(Candidate {
                            start,
                            end: stop,
                            rule: r,
                        });
                        if t < start {
                            scan.triggered.push((t, stop));
                        }
                        let ended = at_end && end >= text.len();
                        let capped = !(terminated || ended);
                        if rule.extent == Extent::Armor && capped && end > t {
                            self.continue_armor(r, text, end, at_end, scan);
                        }
                    }
                }
            }
        }
    }

    /// Masks an armour block from `p` on, a cap at a time, until its END line (or the end of a
    /// complete text); an open remainder holds the cut at its start.
    fn continue_armor(&self, r: usize, text: &str, mut p: usize, at_end: bool, scan: &mut Scan) {
        let Some(rule) = self.rules.get(r) else {
            return;
        };
        loop {
            scan.continuations.push((p, r));
            let cap_end = p.saturating_add(rule.cap);
            let w = window(Extent::Armor, text, (p, p), cap_end, at_end, &mut scan.run);
            crate::budget::charge_bytes(match w {
                Window::Open => text.len().saturating_sub(p),
                Window::Closed { end, .. } => end.saturating_sub(p),
            });
            match w {
                Window::Open => {
                    scan.cut = scan.cut.min(p);
                    return;
                }
                Window::Closed {
                    end, terminated, ..
                } => {
                    if end <= p {
                        return;
                    }
                    scan.candidates.push(Candidate {
                        start: p,
                        end,
                        rule: r,
                    });
                    if terminated || (at_end && end >= text.len()) {
                        return;
                    }
                    p = end;
                }
            }
        }
    }

    /// Left-to-right resolution: candidates by start (then priority, then length); a candidate
    /// already covered is dropped, one partly covered widens the mask it overlaps (whose rule
    /// names the match). Monitor candidates are reported but never masked.
    pub(crate) fn resolve(&self, candidates: &mut [Candidate]) -> (Vec<Masked>, Vec<Candidate>) {
        candidates.sort_by(|a, b| {
            let pa = self.rules.get(a.rule).map_or(0, |r| r.priority);
            let pb = self.rules.get(b.rule).map_or(0, |r| r.priority);
            a.start
                .cmp(&b.start)
                .then(pb.cmp(&pa))
                .then(b.end.cmp(&a.end))
                .then(a.rule.cmp(&b.rule))
        });
        let mut masked: Vec<Masked> = Vec::new();
        let mut monitored = Vec::new();
        let mut covered = 0usize;
        for c in candidates.iter() {
            let action = self
                .rules
                .get(c.rule)
                .map_or(SecretAction::Redact, |r| r.action);
            if action == SecretAction::Monitor {
                if monitored.last() != Some(c) {
                    monitored.push(*c);
                }
                continue;
            }
            if c.end <= covered {
                continue;
            }
            // Overlapping the previous mask: widen it rather than start a second replacement.
            match masked.last_mut() {
                Some(last) if c.start < covered => last.end = c.end,
                _ => masked.push(Masked {
                    start: c.start,
                    end: c.end,
                    candidate: *c,
                }),
            }
            covered = c.end;
        }
        (masked, monitored)
    }
}

/// The digits of the card-number chain at the last trigger, in order: from a digit, the next
/// one is the byte after it or, past one space or dash, the byte after that. Payment cards are
/// matched by hand with it (the language of `[0-9](?:[ -]?[0-9]){12,18}`, leftmost-first and
/// greedy: the separator is taken when a digit follows it; `card_chain_is_the_card_regex`
/// checks it): a text of numbers triggers at each, and each trigger inside a chain already
/// read reuses its digits, so a byte is read once however dense the numbers are.
#[derive(Debug, Clone, Default)]
pub(crate) struct CardChain {
    /// A ring of digit offsets, `len` of them from `head` (at most [`CARD_DIGITS`].1); the
    /// first is the last trigger's.
    ring: [usize; RING],
    head: usize,
    len: usize,
}

/// Fewest and most digits of a card number.
const CARD_DIGITS: (usize, usize) = (13, 19);
/// The ring's size: a power of two above the most digits.
const RING: usize = 32;

impl CardChain {
    fn nth(&self, k: usize) -> Option<usize> {
        (k < self.len)
            .then(|| self.ring.get((self.head + k) & (RING - 1)).copied())
            .flatten()
    }

    /// Length of the card-shaped match at `t` inside `bytes[..end]` (triggers come in
    /// increasing order within one text).
    fn prefix(&mut self, bytes: &[u8], t: usize, end: usize) -> Option<usize> {
        let digit = |i: usize| i < end && bytes.get(i).is_some_and(u8::is_ascii_digit);
        while self.nth(0).is_some_and(|d| d < t) {
            self.head = (self.head + 1) & (RING - 1);
            self.len -= 1;
        }
        // (Ends only grow within a scan; a smaller one keeps the digits before it.)
        while self.len > 0 && self.nth(self.len - 1).is_some_and(|d| d >= end) {
            self.len -= 1;
        }
        if self.nth(0) != Some(t) {
            if !digit(t) {
                self.len = 0;
                return None;
            }
            (self.head, self.len) = (0, 0);
            self.push(t);
        }
        while self.len < CARD_DIGITS.1 {
            let Some(last) = self.len.checked_sub(1).and_then(|k| self.nth(k)) else {
                break;
            };
            let next = if digit(last + 1) {
                last + 1
            } else if matches!(bytes.get(last + 1), Some(b' ' | b'-')) && digit(last + 2) {
                last + 2
            } else {
                break;
            };
            self.push(next);
        }
        if self.len < CARD_DIGITS.0 {
            return None;
        }
        self.nth(self.len - 1).map(|last| last + 1 - t)
    }

    fn push(&mut self, at: usize) {
        if let Some(slot) = self.ring.get_mut((self.head + self.len) & (RING - 1)) {
            *slot = at;
            self.len += 1;
        }
    }
}

fn confirm(
    rule: &CompiledRule,
    text: &str,
    (t, kw_end, end): (usize, usize, usize),
    terminated: bool,
    value: Option<(usize, usize)>,
    card: &mut CardChain,
) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let (start, stop) = match rule.extent {
        Extent::Keyword => (t, kw_end),
        Extent::Armor => (t, end),
        Extent::Line => {
            let window = text.get(t..end)?;
            if !rule.may_match(window) {
                return None;
            }
            crate::budget::charge_regex(window.len());
            let caps = rule.regex.as_ref()?.captures(window)?;
            let whole = caps.get(0)?;
            if whole.start() != 0 {
                return None;
            }
            let m = caps.get(1).unwrap_or(whole);
            (t + m.start(), t + m.end())
        }
        Extent::Token(_) => {
            let body = text.get(kw_end..end)?;
            if !rule.may_match(body) {
                return None;
            }
            let len = match &rule.regex {
                // Run at every number in a text: the card shape by hand (see `CardChain`), not
                // a regex attempt per number.
                Some(_) if rule.validator == Validator::Card => card.prefix(bytes, kw_end, end)?,
                Some(re) => {
                    crate::budget::charge_regex(body.len());
                    let m = re.find(body)?;
                    if m.start() != 0 {
                        return None;
                    }
                    m.end()
                }
                None => body.len(),
            };
            let m_end = kw_end + len;
            let next = if m_end < end || terminated {
                bytes.get(m_end).copied()
            } else {
                None
            };
            if !rule.right.accepts(next) {
                return None;
            }
            (if rule.keep_keyword { kw_end } else { t }, m_end)
        }
        Extent::Assignment(_) => {
            let (vs, mut ve) = value?;
            // An elided value ("ops_eyJz...") is an illustration, not the secret.
            if text.get(vs..ve)?.ends_with("..") {
                return None;
            }
            // Sentence punctuation after an unquoted value is prose, not part of the value.
            while ve > vs && matches!(bytes.get(ve - 1), Some(b'.' | b'!' | b'?' | b':')) {
                ve -= 1;
            }
            let v = text.get(vs..ve)?;
            if v.is_empty() {
                return None;
            }
            if let Some(re) = &rule.regex {
                if !rule.may_match(v) {
                    return None;
                }
                crate::budget::charge_regex(v.len());
                let m = re.find(v)?;
                if m.start() != 0 || m.end() != v.len() {
                    return None;
                }
            }
            (vs, ve)
        }
    };
    let matched = text.get(start..stop)?;
    crate::budget::charge_bytes(matched.len());
    let body = match rule.extent {
        Extent::Token(_) => text.get(kw_end.clamp(start, stop)..stop)?,
        _ => matched,
    };
    rule.validator
        .accepts_token(matched, body)
        .then_some((start, stop))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payment-card shape by hand is its pattern: the same match at every offset (asked in
    /// order, as a scan does, so chains are reused), for texts of numbers near the bounds.
    #[test]
    fn card_chain_is_the_card_regex() {
        let re = Regex::new(r"^[0-9](?:[ -]?[0-9]){12,18}").unwrap();
        let texts = [
            "4111 1111 1111 1111 4111 1111 1111 1111",
            "4111-1111-1111-1111-",
            "12 34 56 12 34 56 12 34 56 12 34 56 ",
            "1234567890123 123456789012 12345678901234567890123",
            "1 2 3 4 5 6 7 8 9 0 1 2  3 4 5 6 7 8 9 0 1 2 3--4 5",
            "4111 1111 1111 111x 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
            "",
            // Card numbers of several issuers and separators, next to one another.
            "4111 1111 1111 1111 5500 0000 0000 0004 3782 822463 10005 4012888888881881",
            "4111-1111 1111-1111 4111-1111-1111-1111 4444 4444 4444 4444 4444",
            "6011111111111117 3530111333300000 30569309025904 2223000048400011 4111111111111",
            "4111 1111 1111 1111 1 5555555555554444 6011 0009 9013 9424 3714 4963 5398 431",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for end in [bytes.len(), bytes.len().saturating_sub(3)] {
                let mut chain = CardChain::default();
                for t in 0..end {
                    let want = re.find(&text[t..end]).map(|m| m.end());
                    assert_eq!(
                        chain.prefix(bytes, t, end),
                        want,
                        "{text:?} at {t}, end {end}"
                    );
                }
            }
        }
    }

    #[test]
    fn regex_bounds_of_patterns() {
        // (pattern, shortest match, bytes every match contains)
        let rows: &[(&str, usize, &str)] = &[
            (r"^[A-Z2-7]{16}", 16, ""),
            (r"^[A-Za-z0-9_-]{20,}", 20, ""),
            (r"^(?:[A-Za-z0-9_-]{27,300}\.x|[A-Za-z0-9_-]{20})", 20, ""),
            (r"^(?:a\.b|c\.d)", 3, "."),
            (r"^[0-9](?:[ -]?[0-9]){12,18}", 13, ""),
            (r"^[^\s:@/]*:[^\s@/]+@[A-Za-z0-9.\-_\[\]:%]+", 4, ":@"),
            (
                r"^[A-Za-z0-9_-]+={0,2}\.eyJ[A-Za-z0-9_-]+={0,2}(?:\.[A-Za-z0-9_-]*)?",
                6,
                ".Jey",
            ),
            (
                r"^(?:\+[1-9][0-9]{0,2}[ .-]?)?(?:\([0-9]{2,4}\)[ .-]?|[0-9]{2,4}[ .-])[0-9]{3,4}[ .-]?[0-9]{3,4}",
                9,
                "",
            ),
            (r"^[0-9]{3}-[0-9]{2}-[0-9]{4}", 11, "-"),
            (
                r"^(?:[0-9]-)?(?:[0-9]{8,14}-){1,3}[0-9A-Za-z]{10,}(?:-[0-9A-Za-z]+)*|^[0-9]-[0-9A-Za-z]{60,}",
                19,
                "-",
            ),
            (r"^a*?b+?c??", 1, "b"),
            (r"^é{2}", 4, ""),
            // Syntax the reader does not follow: no bound.
            (r"(?i)abc", 0, ""),
            (r"^\x41{3}", 0, ""),
            (r"^[[:alpha:]]{3}", 0, ""),
            (r"^\p{L}{3}", 0, ""),
            (r"^(?P<n>abc)", 0, ""),
            (r"^(abc", 0, ""),
            (r"", 0, ""),
        ];
        for (pattern, min, needs) in rows {
            let got = regex_bounds(pattern);
            assert_eq!(
                (got.0, got.1.as_slice()),
                (*min, needs.as_bytes()),
                "{pattern}"
            );
        }
    }

    /// Every built-in pattern: the bound is read (none falls back to "unknown" unnoticed), and
    /// no string the regex matches at its start is shorter or lacks a required byte, over
    /// seeded random strings built from the pattern's own alphabet.
    #[test]
    fn regex_bounds_hold_for_builtin_patterns() {
        use super::super::rules::BUILTIN_RULES;
        let alphabet: Vec<char> = "AKIAZ7Q2abcxyz019-_.:@/+= ()eyJ%\n\tsk-ghp_SGé"
            .chars()
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for rule in BUILTIN_RULES.iter().filter(|r| !r.pattern.is_empty()) {
            let (min, needs) = regex_bounds(rule.pattern);
            assert!(min > 0, "{}: {}", rule.id, rule.pattern);
            let re = Regex::new(rule.pattern).unwrap();
            for _ in 0..20_000 {
                let len = next(2 * min + 8);
                let s: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
                if let Some(m) = re.find(&s).filter(|m| m.start() == 0) {
                    let hit = &s[..m.end()];
                    assert!(hit.len() >= min, "{}: {hit:?}", rule.id);
                    assert!(
                        needs.iter().all(|n| hit.as_bytes().contains(n)),
                        "{}: {hit:?}",
                        rule.id
                    );
                }
            }
        }
    }

    #[test]
    fn assignment_names() {
        // (keyword, suffix, names something other than a secret)
        let rows: &[(&str, &str, bool)] = &[
            ("token", "_url", true),
            ("credential", "sId", true),
            ("secret", "s", true),
            ("credential", "s", false),
            ("password", "", false),
            ("api_key", "_value", false),
        ];
        for (kw, suffix, want) in rows {
            assert_eq!(
                names_non_secret(kw.as_bytes(), suffix.as_bytes()),
                *want,
                "{kw}{suffix}"
            );
        }
    }
}
