//! Text normalisation before rule matching, with a map back to the original bytes.
//!
//! Attackers hide the same instruction behind many spellings: fullwidth or mathematical letters,
//! Cyrillic look-alikes, zero-width and bidi characters inside words, Unicode tag characters that
//! render as nothing ("ASCII smuggling"), letter spacing (`i g n o r e`, `i.g.n.o.r.e`),
//! intra-word separators (`ign-ore`) and leetspeak (`1gn0r3`). Rules are written once, against
//! the canonical spelling; this module turns every variant into that spelling.
//!
//! Two stages, each a tested unit:
//! 1. [`fold_chars`]: per character, drop invisible characters (zero-width, bidi controls,
//!    variation selectors), reveal tag characters and variation-selector byte smuggling as the
//!    text they hide, decode character references written out in the text (HTML entities
//!    `&#105;` `&#x69;` `&lt;` `&iacute;`, also escaped twice `&amp;#105;`, escapes `\u0069`
//!    `\u{69}` `\U00000069` `\x69` `\151`, percent-encoding `%69`), apply compatibility
//!    decomposition (the NFKC/NFKD compatibility mappings) and drop combining marks, read
//!    enclosed letters (`⒤`, `🅸`, regional indicators) and braille letters as the letter,
//!    lower-case, read every Unicode separator (Zs, Zl, Zp, U+0085, U+1680, the braille blank
//!    U+2800) and an emoji between two words as a space, drop spaces between two CJK characters (`忽 略`), and fold
//!    confusables to the ASCII letter they imitate: Unicode's confusables data (UTS #39, the
//!    generated table in `normalize/confusables.rs`) plus the small capitals it leaves out.
//!    Confusables fold only in a word that reads as Latin (it holds a Latin letter or digit, or
//!    every letter of it has a Latin look-alike): genuine Cyrillic, Greek, Arabic or Devanagari
//!    words keep their letters, so rules can be written in those scripts.
//! 2. [`fold_tokens`]: remove letter-spacing gaps (`i g n o r e`, `i  g  n`, `i\tg\tn`,
//!    `i.g.n`, `i. g. n`, `i.g-n_o`: gaps of one shape, up to three spacer marks and maybe a
//!    space, or four whitespace bytes) and markup a reader looks through inside a word
//!    ([`markup_at`]: joiners `ign-ore` `ig_nore`, emphasis `ig**nore**` `~~ignore~~ ~~all~~`,
//!    a line-wrap hyphen, inline HTML tags and short comments), then fold leetspeak inside
//!    tokens that mix letters and digits (in place, same length).
//!
//! Guarantees: the output is lower case; every byte of it maps back to a byte range of the
//! original text ([`Normalized::original_span`]); pure ASCII input without `&`, `\` or `%` takes
//! a fast path (one copy, an implicit identity map), and stage 2 looks only at the offsets where
//! it can act (a spacer after a one-character word, a markup byte, a leet byte), skipping
//! 64-byte blocks without one; every markup test reads a bounded window (a tag's attributes at
//! most 96 bytes, a comment 16, a word 32 back); the output is at most a small constant factor of the input (compatibility
//! decompositions are bounded, Unicode caps them at 18 characters).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

mod confusables;

/// Why a character run was revealed rather than shown: evidence of smuggling, itself a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiddenKind {
    /// Unicode tag characters (U+E0020..U+E007E) outside an emoji flag sequence.
    TagChars,
    /// Two or more variation selectors in a row carrying bytes.
    VariationSelectors,
}

/// A run of hidden characters found while folding, as a span of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenRun {
    pub kind: HiddenKind,
    pub start: usize,
    pub end: usize,
}

/// Maps byte offsets of a derived text back to the text it came from.
///
/// A segment is either an identity run (bytes correspond one to one) or a unit (all its output
/// bytes come from one source range, e.g. `ｉ` -> `i`). Lookups are a binary search.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    out: u32,
    src: u32,
    src_end: u32,
    identity: bool,
}

impl OffsetMap {
    fn identity(len: usize) -> Self {
        Self {
            segments: vec![Segment {
                out: 0,
                src: 0,
                src_end: to_u32(len),
                identity: true,
            }],
        }
    }

    /// Records that `out_len` output bytes at `out` come from `src..src_end`.
    fn push(&mut self, out: usize, out_len: usize, src: usize, src_end: usize) {
        let (out, src, src_end) = (to_u32(out), to_u32(src), to_u32(src_end));
        let same_len = u32::try_from(out_len).ok() == src_end.checked_sub(src);
        if same_len {
            if let Some(last) = self.segments.last_mut() {
                if last.identity && last.src_end == src && last.src_end - last.src + last.out == out
                {
                    last.src_end = src_end;
                    return;
                }
            }
        }
        self.segments.push(Segment {
            out,
            src,
            src_end,
            identity: same_len,
        });
    }

    fn segment_for(&self, pos: usize) -> Option<&Segment> {
        let pos = to_u32(pos);
        let i = self.segments.partition_point(|s| s.out <= pos);
        self.segments.get(i.checked_sub(1)?)
    }

    /// Source offset of the output byte at `pos`.
    pub fn map_start(&self, pos: usize) -> usize {
        match self.segment_for(pos) {
            Some(s) if s.identity => (s.src + (to_u32(pos) - s.out)).min(s.src_end) as usize,
            Some(s) => s.src as usize,
            None => 0,
        }
    }

    /// Source offset just after the output byte before `end` (exclusive end of a span).
    pub fn map_end(&self, end: usize) -> usize {
        let Some(last) = end.checked_sub(1) else {
            return 0;
        };
        match self.segment_for(last) {
            Some(s) if s.identity => (s.src + (to_u32(end) - s.out)).min(s.src_end) as usize,
            Some(s) => s.src_end as usize,
            None => 0,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The normalised form of one text.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// Stage 1 output offsets -> original offsets; `None` when stage 1 was a pure ASCII copy,
    /// whose map is the identity over `source_len` bytes (kept implicit: no allocation).
    chars_map: Option<OffsetMap>,
    /// Length of the original text.
    source_len: usize,
    /// Stage 2 output offsets -> stage 1 offsets; `None` when stage 2 removed nothing.
    tokens_map: Option<OffsetMap>,
    pub hidden: Vec<HiddenRun>,
    /// Spans of [`Normalized::text`] that were letter-spaced (`i g n o r e`): word boundaries
    /// inside them are unknown, so a keyword may start anywhere in one. Sorted and disjoint.
    spaced_runs: Vec<(usize, usize)>,
}

impl Normalized {
    /// Maps a byte span of [`Normalized::text`] to a byte span of the original text.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let (s1, e1) = match &self.tokens_map {
            Some(m) => (m.map_start(start), m.map_end(end)),
            None => (start, end),
        };
        let (s, e) = match &self.chars_map {
            Some(m) => (m.map_start(s1), m.map_end(e1)),
            // What `OffsetMap::identity(source_len)` answers.
            None => (s1.min(self.source_len), e1.min(self.source_len)),
        };
        (s, e.max(s))
    }

    /// True when `pos` lies inside a letter-spaced run.
    pub fn in_spaced_run(&self, pos: usize) -> bool {
        // The runs are sorted and disjoint (each starts after the previous one's end), so only
        // the last run starting at or before `pos` can hold it.
        let i = self.spaced_runs.partition_point(|&(s, _)| s <= pos);
        i.checked_sub(1)
            .and_then(|i| self.spaced_runs.get(i))
            .is_some_and(|&(_, e)| pos < e)
    }
}

/// Normalises `text` for matching (both stages): [`Normalizing`]'s steps run to the end.
pub fn normalize(text: &str) -> Normalized {
    let mut n = Normalizing::default();
    loop {
        match n.step(text) {
            Ok(done) => return done,
            Err(next) => n = next,
        }
    }
}

/// [`normalize`] in steps, one pass over the text each (characters, then tokens, then
/// leetspeak), for a caller that returns to its event loop between them (see
/// `injection::Scan`). Every step must be given the same text; the result is [`normalize`]'s.
#[derive(Debug, Default)]
pub enum Normalizing {
    /// Nothing done yet.
    #[default]
    Chars,
    /// Stage 1 done: its text, map and hidden runs.
    Tokens(String, Option<OffsetMap>, Vec<HiddenRun>),
    /// Stage 2 done; leetspeak is left.
    Leet(Box<Normalized>),
}

impl Normalizing {
    /// Does the next pass over `source`: the normalised text after the last (Ok), or where to
    /// go on (Err).
    pub fn step(self, source: &str) -> Result<Normalized, Self> {
        match self {
            Self::Chars => {
                let (stage1, chars_map, hidden) = fold_chars_lazy(source);
                Err(Self::Tokens(stage1, chars_map, hidden))
            }
            Self::Tokens(stage1, chars_map, hidden) => {
                let (text, tokens_map, spaced_runs) = match fold_tokens(&stage1) {
                    Some((s, m, runs)) => (s, Some(m), runs),
                    None => (stage1, None, Vec::new()),
                };
                Err(Self::Leet(Box::new(Normalized {
                    text,
                    chars_map,
                    source_len: source.len(),
                    tokens_map,
                    hidden,
                    spaced_runs,
                })))
            }
            Self::Leet(mut n) => {
                fold_leet(&mut n.text);
                Ok(*n)
            }
        }
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{E0001}' | '\u{E007F}')
}

/// Variation selector -> the byte it carries in the "emoji smuggling" encoding
/// (VS1..VS16 -> 0..15, VS17..VS256 -> 16..255).
fn variation_selector_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    match cp {
        0xFE00..=0xFE0F => u8::try_from(cp - 0xFE00).ok(),
        0xE0100..=0xE01EF => u8::try_from(cp - 0xE0100 + 16).ok(),
        _ => None,
    }
}

fn tag_ascii(c: char) -> Option<char> {
    let cp = c as u32;
    if (0xE0020..=0xE007E).contains(&cp) {
        char::from_u32(cp - 0xE0000)
    } else {
        None
    }
}

/// Latin small capitals (`ɪɢɴᴏʀᴇ`) and the Cyrillic and Greek lower-case letters drawn as
/// small capitals or as a Latin letter in running text (`к`, `м`, `н`, `т`, `ε`, `χ`): UTS #39
/// leaves them out of its confusables (their shapes differ at a glance), but a reader, and a
/// model, reads them as the letter.
const SMALL_CAPITALS: &[(char, char)] = &[
    ('ᴀ', 'a'),
    ('ʙ', 'b'),
    ('ᴅ', 'd'),
    ('ᴇ', 'e'),
    ('ꜰ', 'f'),
    ('ɢ', 'g'),
    ('ʜ', 'h'),
    ('ᴊ', 'j'),
    ('ᴋ', 'k'),
    ('ʟ', 'l'),
    ('ᴍ', 'm'),
    ('ɴ', 'n'),
    ('ᴘ', 'p'),
    ('ꞯ', 'q'),
    ('ʀ', 'r'),
    ('ᴛ', 't'),
    ('в', 'b'),
    ('к', 'k'),
    ('м', 'm'),
    ('н', 'h'),
    ('п', 'n'),
    ('т', 't'),
    ('ь', 'b'),
    ('β', 'b'),
    ('ε', 'e'),
    ('κ', 'k'),
    ('μ', 'u'),
    ('ς', 'c'),
    ('τ', 't'),
    ('χ', 'x'),
    ('ω', 'w'),
    ('є', 'e'),
];

/// The ASCII letter or digit a non-ASCII character imitates, if any.
pub fn confusable_letter(c: char) -> Option<char> {
    if c.is_ascii() {
        return None;
    }
    let cp = c as u32;
    if let Ok(i) = confusables::FROM.binary_search(&cp) {
        return confusables::TO.get(i).map(|&b| char::from(b));
    }
    SMALL_CAPITALS
        .iter()
        .find(|&&(from, _)| from == c)
        .map(|&(_, to)| to)
}

/// The braille cells of the letters a to z (English braille, grade 1).
const BRAILLE_LETTERS: [char; 26] = [
    '⠁', '⠃', '⠉', '⠙', '⠑', '⠋', '⠛', '⠓', '⠊', '⠚', '⠅', '⠇', '⠍', '⠝', '⠕', '⠏', '⠟', '⠗', '⠎',
    '⠞', '⠥', '⠧', '⠺', '⠭', '⠽', '⠵',
];

/// Latin letters drawn inside a shape that compatibility decomposition leaves alone or wraps in
/// parentheses (`⒤` -> `(i)`): parenthesised, negative circled and negative squared letters and
/// regional indicators (`🅸🅶🅽`, `🇮🇬🇳`), and letters written as braille cells (`⠊⠛⠝`),
/// read as the letter.
pub fn enclosed_letter(c: char) -> Option<char> {
    if let Some(i) = BRAILLE_LETTERS.iter().position(|&b| b == c) {
        return char::from_u32(u32::from(b'a') + u32::try_from(i).ok()?);
    }
    let cp = c as u32;
    let offset = match cp {
        0x249C..=0x24B5 => cp - 0x249C,
        0x1F110..=0x1F129 => cp - 0x1F110,
        0x1F150..=0x1F169 => cp - 0x1F150,
        0x1F170..=0x1F189 => cp - 0x1F170,
        0x1F1E6..=0x1F1FF => cp - 0x1F1E6,
        _ => return None,
    };
    char::from_u32(u32::from(b'a') + offset)
}

/// Han ideographs and kana: Chinese and Japanese are written without spaces between words, so
/// spaces between two of them (`忽 略 之 前`) only space the letters out.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Hangul: syllables and the jamo they decompose into (conjoining, compatibility, extended).
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF)
}

/// Typographic quotes and primes, read as the ASCII quote (in every script).
fn ascii_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => Some('"'),
        _ => None,
    }
}

/// Separators without a compatibility mapping to a space (NFKC maps the others, e.g. U+00A0,
/// U+2000..U+200A, U+3000): line and paragraph separators, NEL, Ogham space, braille blank.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        '\u{0085}' | '\u{1680}' | '\u{2028}' | '\u{2029}' | '\u{2800}'
    )
}

/// Pictographs and symbols used as emoji (the emoji blocks, dingbats, misc symbols).
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF)
}

/// Named HTML entities for punctuation and spacing an instruction is written with; letters
/// with a diacritic (`&iacute;`) are read by their base letter in [`entity`].
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("ensp", ' '),
    ("emsp", ' '),
    ("thinsp", ' '),
    ("Tab", '\t'),
    ("NewLine", '\n'),
    ("shy", '\u{00AD}'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("ldquo", '\u{201C}'),
    ("rdquo", '\u{201D}'),
    ("ndash", '-'),
    ("mdash", '-'),
    ("hyphen", '-'),
    ("dash", '-'),
    ("colon", ':'),
    ("semi", ';'),
    ("sol", '/'),
    ("bsol", '\\'),
    ("period", '.'),
    ("comma", ','),
    ("excl", '!'),
    ("quest", '?'),
    ("lpar", '('),
    ("rpar", ')'),
    ("lsqb", '['),
    ("rsqb", ']'),
    ("lbrack", '['),
    ("rbrack", ']'),
    ("lcub", '{'),
    ("rcub", '}'),
    ("lowbar", '_'),
    ("verbar", '|'),
    ("vert", '|'),
    ("num", '#'),
    ("percnt", '%'),
    ("equals", '='),
    ("plus", '+'),
    ("ast", '*'),
    ("commat", '@'),
    ("dollar", '$'),
    ("grave", '`'),
    ("Hat", '^'),
    ("szlig", 'ß'),
];

/// Suffixes of the named entities for a letter with a diacritic (`&eacute;`, `&Ouml;`).
const DIACRITIC_ENTITIES: &[&str] = &[
    "acute", "grave", "circ", "uml", "tilde", "ring", "cedil", "caron", "macr", "breve", "ogon",
    "dot", "slash", "strok",
];

/// A named entity's character.
fn entity(name: &str) -> Option<char> {
    if let Some(&(_, c)) = ENTITIES.iter().find(|(n, _)| *n == name) {
        return Some(c);
    }
    let mut chars = name.chars();
    let base = chars.next().filter(char::is_ascii_alphabetic)?;
    DIACRITIC_ENTITIES.contains(&chars.as_str()).then_some(base)
}

/// The value of the hex digits `digits` (1 to 8 of them).
fn hex_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    digits
        .iter()
        .try_fold(0u32, |acc, &b| Some(acc << 4 | char::from(b).to_digit(16)?))
}

/// How many bytes of `bytes` from `from` satisfy `f`, at most `max`.
fn count_while(bytes: &[u8], from: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().take(max).take_while(|&&b| f(b)).count()
    })
}

/// A reference escaped once more at `at` (`&amp;#105;`, `&amp;lt;`): the inner reference's
/// character and end.
fn nested_reference(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    if bytes.get(at..at + 5) != Some(b"&amp;") {
        return None;
    }
    let inner: String = ['&']
        .into_iter()
        .chain(bytes.iter().skip(at + 5).take(34).map(|&b| char::from(b)))
        .collect();
    let (c, end) = reference_at(&inner, 0)?;
    Some((c, at + 4 + end))
}

/// A character reference written out at byte `at` of `text` (see the module docs): the
/// character it stands for and the end of the reference. Control characters other than tab and
/// line breaks are not decoded (they are not text an instruction hides in), and `\x` only
/// decodes printable ASCII (other bytes are UTF-8 fragments).
pub fn reference_at(text: &str, at: usize) -> Option<(char, usize)> {
    let bytes = text.as_bytes();
    let (c, end) = match (bytes.get(at)?, bytes.get(at + 1)?) {
        (b'&', b'#') => {
            let hex = matches!(bytes.get(at + 2), Some(b'x' | b'X'));
            let from = at + 2 + usize::from(hex);
            let n = if hex {
                count_while(bytes, from, 7, |b| b.is_ascii_hexdigit())
            } else {
                count_while(bytes, from, 8, |b| b.is_ascii_digit())
            };
            let digits = bytes.get(from..from + n)?;
            let value = if hex {
                hex_number(digits)?
            } else {
                std::str::from_utf8(digits).ok()?.parse().ok()?
            };
            let end = from + n;
            // The semicolon is optional for numeric references (browsers read `&#105` too).
            let end = end + usize::from(bytes.get(end) == Some(&b';'));
            (char::from_u32(value)?, end)
        }
        (b'&', _) => match nested_reference(bytes, at) {
            Some(nested) => nested,
            None => {
                let n = count_while(bytes, at + 1, 33, |b| b.is_ascii_alphanumeric());
                if n == 0 || n > 32 || bytes.get(at + 1 + n) != Some(&b';') {
                    return None;
                }
                (entity(text.get(at + 1..at + 1 + n)?)?, at + 2 + n)
            }
        },
        (b'\\', b'u') if bytes.get(at + 2) == Some(&b'{') => {
            let n = count_while(bytes, at + 3, 7, |b| b.is_ascii_hexdigit());
            if !(1..=6).contains(&n) || bytes.get(at + 3 + n) != Some(&b'}') {
                return None;
            }
            let value = hex_number(bytes.get(at + 3..at + 3 + n)?)?;
            (char::from_u32(value)?, at + 4 + n)
        }
        (b'\\', b'u') => {
            let unit = hex_number(bytes.get(at + 2..at + 6)?)?;
            if (0xD800..0xDC00).contains(&unit) {
                // A surrogate pair written as two escapes (`\uD83D\uDE00`).
                if bytes.get(at + 6..at + 8) != Some(b"\\u") {
                    return None;
                }
                let low = hex_number(bytes.get(at + 8..at + 12)?)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                (char::from_u32(value)?, at + 12)
            } else {
                (char::from_u32(unit)?, at + 6)
            }
        }
        (b'\\', b'U') => (
            char::from_u32(hex_number(bytes.get(at + 2..at + 10)?)?)?,
            at + 10,
        ),
        (b'\\', b'0'..=b'3') => {
            // An octal escape of three digits (`\151`), printable ASCII only.
            let digits = bytes.get(at + 1..at + 4)?;
            let value = digits.iter().try_fold(0u32, |acc, &b| {
                matches!(b, b'0'..=b'7').then(|| acc << 3 | u32::from(b - b'0'))
            })?;
            if !(0x20..0x7F).contains(&value) {
                return None;
            }
            (char::from_u32(value)?, at + 4)
        }
        (b'%', _) => {
            // Percent-encoding inside text (`%49gnore`): printable ASCII only (a byte above is
            // a UTF-8 fragment, decoded with its run by the decoders).
            let value = hex_number(bytes.get(at + 1..at + 3)?)?;
            if !(0x20..0x7F).contains(&value) {
                return None;
            }
            (char::from_u32(value)?, at + 3)
        }
        (b'\\', b'x') => {
            let value = hex_number(bytes.get(at + 2..at + 4)?)?;
            if !(0x20..0x7F).contains(&value) {
                return None;
            }
            (char::from_u32(value)?, at + 4)
        }
        _ => return None,
    };
    if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
        return None;
    }
    Some((c, end))
}

/// A character that belongs to a word for the Latin-context test of confusables.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || is_invisible(c)
}

/// A precomposed Hangul syllable: its letters (jamo) are its own. Decomposed, its first jamo may
/// have a Latin look-alike (ᄋ, "o"), but the syllable looks like none: "AI야" is "ai" and a
/// particle, not "aio", and "잊어" no Latin word.
pub fn keeps_own_letters(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// True when the word reads as Latin: it holds an ASCII letter or digit, or a letter that
/// decomposes to one (`é`, `ｉ`), or every letter of it has a Latin look-alike.
fn word_reads_latin(word: &str) -> bool {
    let mut all_confusable = true;
    let mut letters = false;
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            return true;
        }
        if !c.is_alphabetic() {
            continue;
        }
        letters = true;
        if keeps_own_letters(c) {
            all_confusable = false;
            continue;
        }
        let mut first = None;
        decompose_compatible(c, |d| {
            first.get_or_insert(d);
        });
        let d = first.unwrap_or(c);
        if d.is_ascii_alphanumeric() {
            return true;
        }
        let looks_latin = confusable_letter(d).is_some()
            || d.to_lowercase().all(|l| confusable_letter(l).is_some());
        all_confusable &= looks_latin;
    }
    letters && all_confusable
}

/// Whether confusables fold at a position: the answer for the word around it, remembered for
/// the word (each word is measured once, so the pass stays linear).
#[derive(Default)]
struct LatinContext {
    word: Option<(usize, usize, bool)>,
}

impl LatinContext {
    fn at(&mut self, text: &str, at: usize) -> bool {
        if let Some((s, e, latin)) = self.word {
            if s <= at && at < e {
                return latin;
            }
        }
        let before = text.get(..at).unwrap_or("");
        let start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word_char(c))
            .last()
            .map_or(at, |(i, _)| i);
        let after = text.get(at..).unwrap_or("");
        let mut end = at;
        for (i, c) in after.char_indices() {
            if i > 0 && !is_word_char(c) {
                break;
            }
            end = at + i + c.len_utf8();
        }
        let latin = text.get(start..end).is_some_and(word_reads_latin);
        self.word = Some((start, end, latin));
        latin
    }
}

/// Folds one character (not a tag character or variation selector) into `out`: separators as a
/// space, then compatibility decomposition without combining marks or invisible characters,
/// lower case, quotes, and confusables when `latin` says the word reads as Latin.
fn fold_char(c: char, out: &mut String, latin: &mut dyn FnMut() -> bool) {
    let own = keeps_own_letters(c);
    let latin = &mut || !own && latin();
    if is_separator(c) {
        out.push(' ');
        return;
    }
    if let Some(l) = enclosed_letter(c) {
        out.push(l);
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) || is_invisible(d) {
            return;
        }
        if let Some(q) = ascii_quote(d) {
            out.push(q);
            return;
        }
        if !d.is_ascii() {
            if let Some(l) = confusable_letter(d).filter(|_| latin()) {
                out.push(l);
                return;
            }
        }
        for l in d.to_lowercase() {
            if is_combining_mark(l) {
                continue;
            }
            let folded = if l.is_ascii() {
                None
            } else {
                confusable_letter(l).filter(|_| latin())
            };
            out.push(folded.unwrap_or(l));
        }
    });
}

/// Stage 1: per-character folding. Returns the folded text, its map to `text`, and the hidden
/// runs that were revealed.
pub fn fold_chars(text: &str) -> (String, OffsetMap, Vec<HiddenRun>) {
    let (out, map, hidden) = fold_chars_lazy(text);
    (
        out,
        map.unwrap_or_else(|| OffsetMap::identity(text.len())),
        hidden,
    )
}

/// The character at byte offset `at` of `text`, if `at` is a character boundary inside it.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// Bytes that may start a character reference ([`reference_at`]): ASCII runs stop at them.
const fn is_reference_start(b: u8) -> bool {
    matches!(b, b'&' | b'\\' | b'%')
}

/// The end of the emoji run starting at `at` (emoji, zero-width joiners, one presentation
/// selector after an emoji), when that run stands between two words: the previous output
/// character and the next character of `text` are letters or digits.
fn emoji_between_words(text: &str, at: usize, out: &str) -> Option<usize> {
    if !out.chars().next_back().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let mut end = at;
    let mut chars = text.get(at..)?.chars().peekable();
    while let Some(c) = chars.next() {
        let joins = c == '\u{200D}'
            || (c == '\u{FE0F}'
                && chars
                    .peek()
                    .is_none_or(|&n| variation_selector_byte(n).is_none()));
        if !(is_emoji(c) || joins) {
            return c.is_alphanumeric().then_some(end);
        }
        end += c.len_utf8();
    }
    None
}

/// [`fold_chars`], with `None` for the identity map of pure ASCII input.
fn fold_chars_lazy(text: &str) -> (String, Option<OffsetMap>, Vec<HiddenRun>) {
    let bytes = text.as_bytes();
    // Without an early exit, so the compiler vectorises the test like `is_ascii`.
    let references = bytes
        .iter()
        .fold(false, |acc, &b| acc | is_reference_start(b));
    if text.is_ascii() && !references {
        return (text.to_ascii_lowercase(), None, Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::default();
    let mut hidden = Vec::new();
    let mut prev: Option<char> = None;
    let mut context = LatinContext::default();
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        if c.is_ascii() && prev.is_some_and(is_cjk) {
            // Spaces between two CJK characters, which no space separates in writing.
            let gap = count_while(bytes, at, 5, |b| b == b' ' || b == b'\t');
            if (1..=4).contains(&gap) && char_at(text, at + gap).is_some_and(is_cjk) {
                at += gap;
                continue;
            }
        }
        if c.is_ascii() && !is_reference_start(c as u8) {
            // Copy the whole ASCII run at once: one map segment, no per-character work.
            let run_len = bytes.get(at..).map_or(1, |rest| {
                rest.iter()
                    .take_while(|&&b| b.is_ascii() && !is_reference_start(b))
                    .count()
            });
            let run_end = at + run_len.max(1);
            if let Some(run) = text.get(at..run_end) {
                let o = out.len();
                out.push_str(run);
                if let Some(copied) = out.get_mut(o..) {
                    copied.make_ascii_lowercase();
                }
                map.push(o, run.len(), at, run_end);
                prev = run.chars().next_back();
            }
            at = run_end;
            continue;
        }
        if let Some((decoded, end)) = reference_at(text, at) {
            // A character written as a reference: folded like the character itself (an encoded
            // look-alike is folded in any word), a tag character revealed as smuggling.
            let o = out.len();
            if let Some(a) = tag_ascii(decoded) {
                out.push(a.to_ascii_lowercase());
                hidden.push(HiddenRun {
                    kind: HiddenKind::TagChars,
                    start: at,
                    end,
                });
            } else if variation_selector_byte(decoded).is_none() && !is_invisible(decoded) {
                fold_char(decoded, &mut out, &mut || true);
            }
            if out.len() > o {
                map.push(o, out.len() - o, at, end);
            }
            prev = Some(decoded);
            at = end;
            continue;
        }
        let end = at + c.len_utf8();
        if c.is_ascii() {
            // `&` or `\` that starts no reference.
            let o = out.len();
            out.push(c);
            map.push(o, 1, at, end);
            prev = Some(c);
            at = end;
            continue;
        }
        if tag_ascii(c).is_some() {
            // Emoji flag sequences (U+1F3F4 + tags + cancel tag) are the one legitimate use.
            let in_flag = prev == Some('\u{1F3F4}');
            let mut run_end = at;
            while let Some(tc) = char_at(text, run_end) {
                let Some(a) = tag_ascii(tc) else {
                    break;
                };
                let next = run_end + tc.len_utf8();
                if !in_flag {
                    let o = out.len();
                    out.push(a.to_ascii_lowercase());
                    map.push(o, 1, run_end, next);
                }
                run_end = next;
            }
            if !in_flag {
                hidden.push(HiddenRun {
                    kind: HiddenKind::TagChars,
                    start: at,
                    end: run_end,
                });
            }
            prev = None;
            at = run_end;
            continue;
        }
        if variation_selector_byte(c).is_some() {
            let mut carried = Vec::new();
            let mut run_end = at;
            while let Some(cs) = char_at(text, run_end) {
                let Some(b) = variation_selector_byte(cs) else {
                    break;
                };
                carried.push(b);
                run_end += cs.len_utf8();
            }
            // A single selector picks a glyph variant (emoji presentation); runs carry data.
            if carried.len() >= 2 {
                let revealed = String::from_utf8_lossy(&carried).to_lowercase();
                hidden.push(HiddenRun {
                    kind: HiddenKind::VariationSelectors,
                    start: at,
                    end: run_end,
                });
                let o = out.len();
                out.push(' ');
                out.push_str(&revealed);
                out.push(' ');
                map.push(o, out.len() - o, at, run_end);
            }
            at = run_end;
            continue;
        }
        if is_emoji(c) && enclosed_letter(c).is_none() {
            if let Some(run_end) = emoji_between_words(text, at, &out) {
                let o = out.len();
                out.push(' ');
                map.push(o, 1, at, run_end);
                prev = Some(c);
                at = run_end;
                continue;
            }
        }
        prev = Some(c);
        let start = at;
        at = end;
        if is_invisible(c) {
            continue;
        }
        let o = out.len();
        fold_char(c, &mut out, &mut || context.at(text, start));
        if out.len() > o {
            map.push(o, out.len() - o, start, end);
        }
    }
    (out, Some(map), hidden)
}

/// Characters that may space out the letters of a word (`i g n o r e`, `i.g.n.o.r.e`,
/// `i\tg\tn`).
const fn is_spacer(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b'.'
            | b'-'
            | b'_'
            | b'*'
            | b','
            | b'/'
            | b'|'
            | b'+'
            | b'~'
            | b'\''
            | b':'
    )
}

/// Whitespace a letter-spacing gap may mix (`i \n g \n n`).
const fn is_gap_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The length of the letter-spacing gap starting at `from`: up to four whitespace bytes, or up
/// to three copies of one other spacer and maybe a space; 0 when there is none (or a longer
/// run, which separates words rather than letters).
fn gap_len(bytes: &[u8], from: usize) -> usize {
    let Some(&first) = bytes.get(from).filter(|&&b| is_spacer(b)) else {
        return 0;
    };
    if is_gap_space(first) {
        let n = count_while(bytes, from, 5, is_gap_space);
        return if n > 4 { 0 } else { n };
    }
    let n = count_while(bytes, from, 4, |b| b == first);
    if n > 3 {
        return 0;
    }
    // A mark and a space (`i. g. n.`).
    n + usize::from(bytes.get(from + n) == Some(&b' '))
}

/// Whether `gap` spaces letters the way `first` (the run's first gap) does: the same length,
/// whitespace where it has whitespace, any spacer mark where it has one (`i.g-n_o/r|e`).
fn same_gap(gap: &[u8], first: &[u8]) -> bool {
    gap.len() == first.len()
        && gap.iter().zip(first).all(|(&a, &b)| {
            if is_gap_space(b) {
                a == b
            } else {
                is_spacer(a) && !is_gap_space(a)
            }
        })
}

/// Bytes that may start markup inside or around a word ([`markup_at`]): joiners between two
/// letters (`ign-ore`, `ig_nore`), emphasis (`ig**nore**`, `~~ignore~~`, ``ig`nore` ``), a
/// line-wrap hyphen (`ins-\ntructions`), inline HTML (`ig<b>no</b>re`, `ig<!-- -->nore`).
const fn is_markup(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'*' | b'~' | b'`' | b'<')
}

/// Inline HTML elements that style a word without breaking it (a reader sees one word through
/// them); links and images are not among them (their targets are what some rules read).
const INLINE_TAGS: &[&[u8]] = &[
    b"abbr", b"b", b"bdi", b"bdo", b"big", b"cite", b"code", b"del", b"dfn", b"em", b"font", b"i",
    b"ins", b"kbd", b"mark", b"q", b"s", b"samp", b"small", b"span", b"strike", b"strong", b"sub",
    b"sup", b"tt", b"u", b"var", b"wbr",
];

/// The longest comment dropped inside a word: a longer one may carry text of its own, which
/// stays for the rules to read.
const COMMENT_MAX: usize = 16;

/// The end of the inline HTML tag (one of [`INLINE_TAGS`], opening with up to 96 bytes of
/// attributes, or closing) or short comment starting at `i`.
fn inline_tag_end(bytes: &[u8], i: usize) -> Option<usize> {
    let rest = bytes.get(i..)?;
    if rest.starts_with(b"<!--") {
        let body = rest.get(4..).unwrap_or_default();
        let window = body.get(..COMMENT_MAX + 3).unwrap_or(body);
        let close = window.windows(3).position(|w| w == b"-->")?;
        return Some(i + 4 + close + 3);
    }
    let closing = usize::from(rest.get(1) == Some(&b'/'));
    let name_len = count_while(rest, 1 + closing, 7, |c| c.is_ascii_alphabetic());
    let name = rest.get(1 + closing..1 + closing + name_len)?;
    if !INLINE_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return None;
    }
    let k = 1 + closing + name_len;
    match rest.get(k)? {
        b'>' => Some(i + k + 1),
        b'/' if rest.get(k + 1) == Some(&b'>') => Some(i + k + 2),
        b' ' if closing == 0 => {
            let attrs = count_while(rest, k, 97, |c| c != b'<' && c != b'>');
            (attrs <= 96 && rest.get(k + attrs) == Some(&b'>')).then_some(i + k + attrs + 1)
        }
        _ => None,
    }
}

/// After a hyphen that ends a line inside a word (`ins-\n  tructions`): the offset of the
/// letter that goes on with the word on the next line (after up to 16 bytes of indentation).
fn wrapped_line_end(bytes: &[u8], from: usize) -> Option<usize> {
    let cr = usize::from(bytes.get(from) == Some(&b'\r'));
    if bytes.get(from + cr) != Some(&b'\n') {
        return None;
    }
    let k = from + cr + 1;
    let k = k + count_while(bytes, k, 17, |c| c == b' ' || c == b'\t');
    bytes
        .get(k)
        .is_some_and(u8::is_ascii_alphabetic)
        .then_some(k)
        .filter(|&e| e <= from + cr + 17)
}

/// Markup starting at byte `i` that a reader looks through inside or around a word, as the end
/// of the bytes to drop: a joiner (`-`, `_`, `*`, `~`, `` ` ``, up to three of one, `-` alone)
/// between two letters; the emphasis mark (`*`, `_`, `~~`, `` ` ``, up to three) that closes
/// one opened inside the word (`ig**nore**`), and the marks between words emphasised one by
/// one (`~~ignore~~ ~~all~~` reads as `~~ignore all~~`); a line-wrap hyphen with the line break
/// and indentation after it; an inline HTML tag or short comment next to a letter. Emphasis
/// around whole words stays (`**Guided Mode**`, a quoted `` `phrase` ``); nothing starts after
/// a digit or another mark.
pub fn markup_at(bytes: &[u8], i: usize) -> Option<usize> {
    let b = *bytes.get(i)?;
    let prev = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
    // After a digit or another mark nothing starts (`4111-1111`, `-----`, the inside of a run).
    if prev.is_some_and(|p| p.is_ascii_digit() || is_markup(p)) {
        return None;
    }
    let prev_alpha = prev.is_some_and(|p| p.is_ascii_alphabetic());
    if b == b'<' {
        let end = inline_tag_end(bytes, i)?;
        let next_alpha = bytes.get(end).is_some_and(u8::is_ascii_alphabetic);
        return (prev_alpha || next_alpha).then_some(end);
    }
    if !is_markup(b) {
        return None;
    }
    let n = count_while(bytes, i, 4, |c| c == b);
    let end = i + n;
    let next = bytes.get(end).copied();
    let next_alpha = next.is_some_and(|c| c.is_ascii_alphabetic());
    let inside = prev_alpha && next_alpha;
    match b {
        b'-' if n == 1 && inside => Some(end),
        b'-' if n == 1 && prev_alpha => wrapped_line_end(bytes, end),
        b'-' => None,
        _ if n > 3 => None,
        _ if inside => Some(end),
        b'~' if n != 2 => None,
        _ if prev_alpha && !next.is_some_and(is_word_byte) => {
            // Closing emphasis opened inside the word (`ig**nore**`), or closing one word of
            // several emphasised one by one (`~~ignore~~ ~~all~~`).
            let next_word_too = next == Some(b' ')
                && run_of(bytes, end + 1, b, n)
                && bytes.get(end + 1 + n).is_some_and(u8::is_ascii_alphabetic);
            (next_word_too || opened_in_word(bytes, i, b)).then_some(end)
        }
        // Opening the next word of several emphasised one by one.
        _ if next_alpha && prev == Some(b' ') => {
            let before = i.checked_sub(1 + n)?;
            let closed = run_of(bytes, before, b, n)
                && before
                    .checked_sub(1)
                    .and_then(|p| bytes.get(p))
                    .is_some_and(u8::is_ascii_alphabetic);
            closed.then_some(end)
        }
        _ => None,
    }
}

/// Whether exactly `n` bytes `b` start at `at` (a mark run of that length).
fn run_of(bytes: &[u8], at: usize, b: u8, n: usize) -> bool {
    bytes
        .get(at..at + n)
        .is_some_and(|r| r.iter().all(|&c| c == b))
        && bytes.get(at + n) != Some(&b)
}

/// Whether the word that ends at `i` (up to 32 bytes back) holds the mark `b` between two of
/// its letters: emphasis opened inside it.
fn opened_in_word(bytes: &[u8], i: usize, b: u8) -> bool {
    let word = bytes.get(i.saturating_sub(32)..i).unwrap_or_default();
    let back = word
        .iter()
        .rev()
        .take_while(|&&c| c.is_ascii_alphabetic() || c == b);
    back.zip(word.iter().rev().skip(1))
        .any(|(&c, p)| c == b && p.is_ascii_alphabetic())
}
const fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'@' || b == b'$'
}

/// Class bits of [`CLASS`]. The first six describe what a byte can be in the three-byte window
/// around an offset where stage 2 acts, in two lanes: a letter-spaced run starts at `x` only when
/// `x - 1` is not a word byte, `x` is and `x + 1` is a spacer (lane 0); markup may start at `x`
/// when `x - 1` is no digit or mark (lane 1, [`markup_at`] decides).
const BEFORE_NOT_WORD: u8 = 1;
const BEFORE_NO_DIGIT_OR_MARK: u8 = 1 << 1;
const AT_WORD: u8 = 1 << 2;
const AT_MARKUP: u8 = 1 << 3;
const AFTER_SPACER: u8 = 1 << 4;
const AFTER_ANY: u8 = 1 << 5;
/// A leet digit or symbol (see [`leet_letter`]).
const LEET: u8 = 1 << 6;

/// For each byte, its class bits: the scans of stage 2 skip to the next offset that can act,
/// one table lookup per byte.
#[allow(clippy::indexing_slicing)] // compile-time, in bounds by the loop condition
const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let mut bits = AFTER_ANY;
        if !byte.is_ascii_digit() && !is_markup(byte) {
            bits |= BEFORE_NO_DIGIT_OR_MARK;
        }
        if !is_word_byte(byte) {
            bits |= BEFORE_NOT_WORD;
        } else {
            bits |= AT_WORD;
        }
        if is_markup(byte) {
            bits |= AT_MARKUP;
        }
        if is_spacer(byte) {
            bits |= AFTER_SPACER;
        }
        if leet_letter(byte).is_some() {
            bits |= LEET;
        }
        table[b] = bits;
        b += 1;
    }
    table
};

fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// The first offset at or after `from` whose byte has a bit of `bits`.
fn next_in_class(bytes: &[u8], mut from: usize, bits: u8) -> Option<usize> {
    // A hit within the next few bytes (a text dense with them) byte by byte, so each call does
    // not read a whole block; then whole blocks without a branch per byte, then byte by byte in
    // the block that hit.
    const NEAR: usize = 16;
    const BLOCK: usize = 64;
    let near = bytes.get(from..)?;
    if let Some(at) = near.iter().take(NEAR).position(|&b| class(b) & bits != 0) {
        return Some(from + at);
    }
    from += near.len().min(NEAR);
    while let Some(block) = bytes.get(from..from + BLOCK) {
        if block.iter().fold(0, |acc, &b| acc | class(b)) & bits != 0 {
            break;
        }
        from += BLOCK;
    }
    let rest = bytes.get(from..)?;
    let at = rest.iter().position(|&b| class(b) & bits != 0)?;
    Some(from + at)
}

/// True when [`token_step`] can act at an offset whose byte has class `at`, between bytes of
/// classes `before` and `after` (see [`CLASS`]).
fn token_window(before: u8, at: u8, after: u8) -> bool {
    before & (at >> 2) & (after >> 4) & 0b11 != 0
}

/// The first offset at or after `from` where [`token_step`] can act: the start of a
/// letter-spaced run or a joiner between letters (see [`CLASS`]). At every other offset it does
/// nothing, so those are skipped unseen.
fn next_token_candidate(bytes: &[u8], mut from: usize) -> Option<usize> {
    const NEAR: usize = 16;
    const BLOCK: usize = 64;
    if from == 0 {
        // The start of the text counts as a non-word byte before it.
        let at = class(*bytes.first()?);
        let after = bytes.get(1).map_or(0, |&b| class(b));
        if token_window(BEFORE_NOT_WORD | BEFORE_NO_DIGIT_OR_MARK, at, after) {
            return Some(0);
        }
        from = 1;
    }
    // A candidate within the next few offsets (a text dense with them, such as `ghp_ghp_`)
    // offset by offset, so each call does not classify a whole block first.
    let mut before = class(*bytes.get(from - 1)?);
    let mut at = class(*bytes.get(from)?);
    let near = bytes.get(from + 1..)?;
    for (k, &b) in near.iter().take(NEAR).enumerate() {
        let after = class(b);
        if token_window(before, at, after) {
            return Some(from + k);
        }
        before = at;
        at = after;
    }
    if near.len() <= NEAR {
        // Every offset that has a byte after it was looked at.
        return None;
    }
    from += NEAR;
    // Whole blocks first, without a branch per byte: the classes of the block's bytes and of one
    // byte either side, then the window test of [`token_window`] over all of them at once.
    while let Some(window) = bytes.get(from - 1..from + BLOCK + 1) {
        let mut classes = [0u8; BLOCK + 2];
        for (c, &b) in classes.iter_mut().zip(window) {
            *c = class(b);
        }
        let hit = classes
            .iter()
            .zip(classes.get(1..).unwrap_or_default())
            .zip(classes.get(2..).unwrap_or_default())
            .fold(0, |acc, ((&b, &a), &n)| acc | (b & (a >> 2) & (n >> 4)));
        if hit & 0b11 != 0 {
            break;
        }
        from += BLOCK;
    }
    // Then offset by offset, within the block that hit or the tail of the text.
    let mut before = class(*bytes.get(from - 1)?);
    let mut at = class(*bytes.get(from)?);
    for (k, &b) in bytes.get(from + 1..)?.iter().enumerate() {
        let after = class(b);
        if token_window(before, at, after) {
            return Some(from + k);
        }
        before = at;
        at = after;
    }
    None
}

/// Stage 2 output: the text, its map to stage 1, and the letter-spaced runs (output spans).
pub type TokenFold = (String, OffsetMap, Vec<(usize, usize)>);

/// Stage 2: removes spacing separators. Returns `None` when nothing was removed (the common
/// case), so the caller keeps stage 1's text and an identity map. Also returns the letter-spaced
/// runs, as spans of the output.
pub fn fold_tokens(text: &str) -> Option<TokenFold> {
    let bytes = text.as_bytes();
    let mut remove: Vec<usize> = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(at) = next_token_candidate(bytes, i) {
        i = token_step(bytes, at, &mut remove, &mut runs);
    }
    // The last byte has no byte after it for the candidates' window; markup may still end the
    // text (`ig**nore**`).
    if let Some(last) = bytes.len().checked_sub(1).filter(|&l| l >= i) {
        if bytes.get(last).copied().is_some_and(is_markup) {
            token_step(bytes, last, &mut remove, &mut runs);
        }
    }
    if remove.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    // A segment per piece kept at most: no regrowth (a text dense with joiners, `ghp_ghp_`, has
    // a piece every few bytes).
    let mut map = OffsetMap {
        segments: Vec::with_capacity(remove.len() + 1),
    };
    let mut from = 0;
    for r in remove {
        if let Some(piece) = text.get(from..r).filter(|p| !p.is_empty()) {
            map.push(out.len(), piece.len(), from, r);
            out.push_str(piece);
        }
        from = r + 1;
    }
    if let Some(piece) = text.get(from..) {
        map.push(out.len(), piece.len(), from, text.len());
        out.push_str(piece);
    }
    Some((out, map, runs))
}

/// Stage 2 at offset `i`: records a letter-spaced run starting there or a joiner to remove
/// there, and returns the next offset to look at.
fn token_step(
    bytes: &[u8],
    i: usize,
    remove: &mut Vec<usize>,
    runs: &mut Vec<(usize, usize)>,
) -> usize {
    let b = bytes.get(i).copied().unwrap_or(0);
    let prev = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
    let prev_word = prev.is_some_and(is_word_byte);
    // Letter-spaced run: single word characters separated by one repeated gap.
    if is_word_byte(b) && !prev_word {
        let g = gap_len(bytes, i + 1);
        if let Some(gap) = bytes.get(i + 1..i + 1 + g).filter(|_| g > 0) {
            let removed_before = remove.len();
            let mut j = i;
            let mut letters = 1;
            loop {
                // bytes[j] is a single word char; then the same gap, a word char, a non-word.
                let w = bytes.get(j + 1 + g).copied();
                let after = bytes.get(j + 2 + g).copied();
                if bytes
                    .get(j + 1..j + 1 + g)
                    .is_some_and(|next| same_gap(next, gap))
                    && w.is_some_and(is_word_byte)
                    && !after.is_some_and(is_word_byte)
                {
                    remove.extend(j + 1..j + 1 + g);
                    letters += 1;
                    j += 1 + g;
                } else {
                    break;
                }
            }
            // Initials before a name (`j. r. r. tolkien`): the gap goes on to a whole word.
            let initials = gap.len() > 1
                && gap.first().is_some_and(|&m| !is_gap_space(m))
                && gap.last() == Some(&b' ')
                && bytes.get(j + 1..j + 1 + g) == Some(gap)
                && bytes.get(j + 1 + g).is_some_and(|&w| is_word_byte(w));
            if letters >= 3 && !initials {
                // Output span: input span minus the gap bytes removed before it and inside it.
                let seps = remove.len() - removed_before;
                let out_start = i.saturating_sub(removed_before);
                let out_end = (j + 1).saturating_sub(removed_before + seps);
                runs.push((out_start, out_end));
                return j + 1;
            }
            remove.truncate(removed_before);
        }
        // A word byte is not a joiner.
        return i + 1;
    }
    match markup_at(bytes, i) {
        Some(end) => {
            remove.extend(i..end);
            end
        }
        None => i + 1,
    }
}

const fn leet_letter(b: u8) -> Option<u8> {
    Some(match b {
        b'0' => b'o',
        b'1' => b'i',
        b'3' => b'e',
        b'4' => b'a',
        b'5' => b's',
        b'7' => b't',
        b'8' => b'b',
        b'9' => b'g',
        b'@' => b'a',
        b'$' => b's',
        _ => return None,
    })
}

/// The next token (maximal run of word bytes) at or after `from` that mixes ASCII letters with
/// leet digits/symbols, as `start..end`. `from` must not be inside a token.
fn next_leet_token(bytes: &[u8], mut from: usize) -> Option<(usize, usize)> {
    loop {
        // Tokens without a leet byte are never changed: skip to the next leet byte, then widen
        // to its token (which starts at or after `from`).
        let k = next_in_class(bytes, from, LEET)?;
        let before = bytes.get(from..k)?;
        let start = from
            + before
                .iter()
                .rposition(|&b| !is_word_byte(b))
                .map_or(0, |p| p + 1);
        let after = bytes.get(k..)?;
        let end = k + after
            .iter()
            .position(|&b| !is_word_byte(b))
            .unwrap_or(after.len());
        let token = bytes.get(start..end)?;
        if token.iter().any(u8::is_ascii_alphabetic) {
            return Some((start, end));
        }
        from = end;
    }
}

/// Folds leetspeak in tokens that mix ASCII letters with leet digits/symbols (`1gn0r3` ->
/// `ignore`). Pure numbers (`2024`, `$100`) are left alone. Same length, so no map change.
pub fn fold_leet(text: &mut String) {
    // Most texts have no such token: then the text is not touched.
    let Some(mut token) = next_leet_token(text.as_bytes(), 0) else {
        return;
    };
    let mut bytes = std::mem::take(text).into_bytes();
    loop {
        let (start, end) = token;
        if let Some(t) = bytes.get_mut(start..end) {
            for b in t {
                if let Some(l) = leet_letter(*b) {
                    *b = l;
                }
            }
        }
        match next_leet_token(&bytes, end) {
            Some(t) => token = t,
            None => break,
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes, so the text is still UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        input: &'static str,
        want: &'static str,
    }

    const CASES: &[Case] = &[
        Case {
            name: "ascii lower",
            input: "Ignore Previous",
            want: "ignore previous",
        },
        Case {
            name: "fullwidth",
            input: "ｉｇｎｏｒｅ ＡＬＬ",
            want: "ignore all",
        },
        Case {
            name: "math bold",
            input: "𝐢𝐠𝐧𝐨𝐫𝐞",
            want: "ignore",
        },
        Case {
            name: "diacritics",
            input: "ïgnörè",
            want: "ignore",
        },
        Case {
            name: "zero width",
            input: "ig\u{200B}no\u{200D}re",
            want: "ignore",
        },
        Case {
            name: "bidi",
            input: "ig\u{202E}nore\u{202C}",
            want: "ignore",
        },
        Case {
            name: "soft hyphen",
            input: "ig\u{00AD}nore",
            want: "ignore",
        },
        Case {
            name: "cyrillic",
            input: "іgnоrе",
            want: "ignore",
        },
        Case {
            name: "greek",
            input: "ΙGΝΟRΕ",
            want: "ignore",
        },
        Case {
            name: "tag chars",
            input: "hi\u{E0069}\u{E0067}\u{E006E}",
            want: "hiign",
        },
        Case {
            name: "flag emoji keeps nothing",
            input: "\u{1F3F4}\u{E0067}\u{E0062}\u{E007F}",
            want: "\u{1F3F4}",
        },
        Case {
            name: "single variation selector",
            input: "\u{2764}\u{FE0F}",
            want: "\u{2764}",
        },
        Case {
            name: "spaced letters",
            input: "i g n o r e all",
            want: "ignore all",
        },
        Case {
            name: "dotted letters",
            input: "i.g.n.o.r.e",
            want: "ignore",
        },
        Case {
            name: "intraword hyphen",
            input: "ign-ore prev_ious",
            want: "ignore previous",
        },
        Case {
            name: "leet",
            input: "1gn0r3 pr3v10us",
            want: "ignore previous",
        },
        Case {
            name: "numbers untouched",
            input: "in 2024 pay $100",
            want: "in 2024 pay $100",
        },
        Case {
            name: "initials untouched",
            input: "J. R. R. Tolkien",
            want: "j. r. r. tolkien",
        },
        Case {
            name: "letters spaced by a mark and a space",
            input: "I. g. n. o. r. e a. l. l",
            want: "ignore all",
        },
        Case {
            name: "letters spaced by mixed marks",
            input: "I.g-n_o/r|e a.l-l",
            want: "ignore all",
        },
        Case {
            name: "emphasis inside a word and closing it",
            input: "Ig**nore** pr_evious_ in`struct`ions",
            want: "ignore previous instructions",
        },
        Case {
            name: "words struck through one by one",
            input: "~~Ignore~~ ~~all~~ ~~previous~~",
            want: "~~ignore all previous~~",
        },
        Case {
            name: "emphasis around whole words stays",
            input: "activate **Guided Mode** and `git ignore`, __init__",
            want: "activate **guided mode** and `git ignore`, __init__",
        },
        Case {
            name: "inline HTML inside a word",
            input: "ig<b>no</b>re pr<span class=\"x\">evious</span> in<!-- -->structions",
            want: "ignore previous instructions",
        },
        Case {
            name: "HTML that is no inline style stays",
            input: "a <div>block</div>, x<y and <a href=\"u\">link</a>, <!-- a longer comment here -->x",
            want: "a <div>block</div>, x<y and <a href=\"u\">link</a>, <!-- a longer comment here -->x",
        },
        Case {
            name: "line-wrap hyphen",
            input: "ins-\n    tructions, well-\r\nknown, a list:-\nitem, end-\n\nnext",
            want: "instructions, wellknown, a list:-\nitem, end-\n\nnext",
        },
        Case {
            name: "enclosed and braille letters",
            input: "⒤⒢⒩ 🅸🅶🅽 🄸🄶🄽 🇮🇬🇳 ⠊⠛⠝⠕⠗⠑⠀⠁⠇⠇",
            want: "ign ign ign ign ignore all",
        },
        Case {
            name: "percent, octal and doubly escaped references",
            input: "%49gn%6Fre \\151gnore &amp;#105;gnore &amp;lt;b&amp;gt; 50% %zz",
            want: "ignore ignore ignore <b> 50% %zz",
        },
        Case {
            name: "spaces between CJK characters",
            input: "忽 略  之\t前 的 AI 模 型",
            want: "忽略之前的 ai 模型",
        },
        Case {
            name: "two letters untouched",
            input: "a b testing",
            want: "a b testing",
        },
        // REGRESSION rows: confusables beyond Cyrillic/Greek, separators, entities, escapes,
        // letter spacing by wider gaps.
        Case {
            name: "armenian o",
            input: "ign\u{585}re",
            want: "ignore",
        },
        Case {
            name: "cherokee capitals",
            input: "\u{13A5}GN\u{13BE}R\u{13AC}",
            want: "ignore",
        },
        Case {
            name: "small capitals",
            input: "\u{26A}\u{262}\u{274}\u{1D0F}\u{280}\u{1D07}",
            want: "ignore",
        },
        Case {
            name: "genuine russian keeps its letters",
            input: "\u{43d}\u{43e}\u{432}\u{44b}\u{439} \u{43c}\u{438}\u{440}",
            want: "\u{43d}\u{43e}\u{432}\u{44b}\u{438} \u{43c}\u{438}\u{440}",
        },
        Case {
            name: "arabic keeps its letters",
            input: "\u{627}\u{647}\u{644}\u{627}",
            want: "\u{627}\u{647}\u{644}\u{627}",
        },
        Case {
            name: "line, paragraph, ogham, braille and NEL separators",
            input: "ignore\u{2028}all\u{2029}previous\u{1680}instructions\u{2800}now\u{85}ok",
            want: "ignore all previous instructions now ok",
        },
        Case {
            name: "emoji between words",
            input: "ignore\u{1F600}all\u{1F44D}\u{1F3FD}previous",
            want: "ignore all previous",
        },
        Case {
            name: "emoji beside a space stays",
            input: "I \u{1F513} you",
            want: "i \u{1F513} you",
        },
        Case {
            name: "html numeric and named entities",
            input: "&#73;gn&#x6F;re &lt;|im_start|&gt; caf&eacute;",
            want: "ignore <|imstart|> cafe",
        },
        Case {
            name: "escapes written in the text",
            input: "\\u0049gnore \\x61ll \\u{70}revious \\U00000069nstructions",
            want: "ignore all previous instructions",
        },
        Case {
            name: "escapes that are not characters stay",
            input: "C:\\users\\xavier \\x00 &foo; &#0;",
            // (`x00` mixes letters and digits: leetspeak folds it.)
            want: "c:\\users\\xavier \\xoo &foo; &#0;",
        },
        Case {
            name: "letters spaced by two spaces, tabs, newlines",
            input: "i  g  n  o  r  e    a\tl\tl p\nr\ne\nv",
            want: "ignore    all prev",
        },
        Case {
            name: "a wider gap is a word break",
            input: "a b c   d",
            want: "abc   d",
        },
    ];

    #[test]
    fn table() {
        for c in CASES {
            assert_eq!(normalize(c.input).text, c.want, "{}", c.name);
        }
    }

    #[test]
    fn spans_map_back() {
        let cases: &[(&str, &str, &str)] = &[
            ("say ｉｇｎｏｒｅ now", "ignore", "ｉｇｎｏｒｅ"),
            ("x i g n o r e y", "ignore", "i g n o r e"),
            ("a ig\u{200B}nore b", "ignore", "ig\u{200B}nore"),
            ("Ign-ore it", "ignore", "Ign-ore"),
            ("plain ignore text", "ignore", "ignore"),
        ];
        for (input, needle, want) in cases {
            let n = normalize(input);
            let s = n.text.find(needle).unwrap();
            let (os, oe) = n.original_span(s, s + needle.len());
            assert_eq!(&input[os..oe], *want, "{input}");
        }
    }

    #[test]
    fn variation_selector_smuggling() {
        let hidden: String = "ignore"
            .bytes()
            .map(|b| {
                if b < 16 {
                    char::from_u32(0xFE00 + b as u32).unwrap()
                } else {
                    char::from_u32(0xE0100 + b as u32 - 16).unwrap()
                }
            })
            .collect();
        let n = normalize(&format!("😀{hidden}"));
        assert!(n.text.contains("ignore"), "{}", n.text);
        assert_eq!(n.hidden.len(), 1);
    }
}
