//! Name globs: `*` (any run of characters, possibly empty) and `?` (exactly one character).
//!
//! Tool names, model-name parts and URL hosts are all matched with these globs. They exist
//! instead of regexes because operators write allowlists by hand and `.` in `llama3.2` or
//! `api.example.com` must mean a dot. Guarantees: matching never allocates, never panics, and
//! runs in O(pattern × text) time in the worst case (the classic single-backtrack algorithm: a
//! later `*` supersedes the restart point of an earlier one, so no input causes exponential
//! work). Character classes and escapes are deliberately not supported: a name containing `*`
//! or `?` literally cannot be matched exactly, and none of the names this crate matches may
//! contain them.

/// A compiled glob. Literal patterns (no `*`, no `?`) are compared directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameGlob {
    pattern: Box<str>,
    literal: bool,
}

impl NameGlob {
    pub fn new(pattern: &str) -> Self {
        Self {
            pattern: pattern.into(),
            literal: !pattern.contains(['*', '?']),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// True when the pattern has no wildcard.
    pub fn is_literal(&self) -> bool {
        self.literal
    }

    /// True when the pattern matches every text (it is made of `*` only).
    pub fn matches_everything(&self) -> bool {
        !self.pattern.is_empty() && self.pattern.chars().all(|c| c == '*')
    }

    /// Case-sensitive match of the whole text.
    pub fn matches(&self, text: &str) -> bool {
        if self.literal {
            return *self.pattern == *text;
        }
        glob_match(&self.pattern, text, |p, t| p == t)
    }

    /// Case-insensitive match of the whole text (Unicode simple lowercase, per character).
    pub fn matches_ignore_case(&self, text: &str) -> bool {
        if self.literal && self.pattern.is_ascii() && text.is_ascii() {
            return self.pattern.eq_ignore_ascii_case(text);
        }
        glob_match(&self.pattern, text, chars_eq_ignore_case)
    }
}

/// Two characters equal after lowercasing (ASCII fast path, no allocation).
pub fn chars_eq_ignore_case(a: char, b: char) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b || a.to_lowercase().eq(b.to_lowercase())
    }
}

/// Iterative wildcard match over characters. `p` and `t` are byte offsets that always sit on
/// character boundaries; every iteration either advances `t` or advances `p` past a `*`, and
/// backtracking moves the retry point strictly forward, so the loop terminates.
fn glob_match(pattern: &str, text: &str, eq: impl Fn(char, char) -> bool) -> bool {
    let mut p = 0usize;
    let mut t = 0usize;
    // Position just after the last `*` seen, and the text position it is currently retried at.
    let mut star: Option<(usize, usize)> = None;
    loop {
        let pc = pattern.get(p..).and_then(|s| s.chars().next());
        let tc = text.get(t..).and_then(|s| s.chars().next());
        match (pc, tc) {
            (_, None) => {
                // Text exhausted: only trailing stars may remain.
                return pattern
                    .get(p..)
                    .is_some_and(|rest| rest.chars().all(|c| c == '*'));
            }
            (Some('*'), Some(_)) => {
                p += 1;
                star = Some((p, t));
            }
            (Some(pch), Some(tch)) if pch == '?' || eq(pch, tch) => {
                p += pch.len_utf8();
                t += tch.len_utf8();
            }
            (_, Some(_)) => match star {
                Some((sp, st)) => {
                    // Let the last star absorb one more character of the text and retry.
                    let skip = text
                        .get(st..)
                        .and_then(|s| s.chars().next())
                        .map_or(1, char::len_utf8);
                    let next = st + skip;
                    star = Some((sp, next));
                    p = sp;
                    t = next;
                }
                None => return false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        name: &'static str,
        pattern: &'static str,
        text: &'static str,
        exact: bool,
        ignore_case: bool,
    }

    const fn row(
        name: &'static str,
        pattern: &'static str,
        text: &'static str,
        exact: bool,
        ignore_case: bool,
    ) -> Row {
        Row {
            name,
            pattern,
            text,
            exact,
            ignore_case,
        }
    }

    const ROWS: &[Row] = &[
        row("literal", "shell", "shell", true, true),
        row("literal case", "shell", "Shell", false, true),
        row("literal prefix only", "shell", "shell_exec", false, false),
        row("empty pattern empty text", "", "", true, true),
        row("empty pattern", "", "a", false, false),
        row("star everything", "*", "anything at all", true, true),
        row("star empty", "*", "", true, true),
        row("stars", "***", "x", true, true),
        row("prefix", "fs_*", "fs_read", true, true),
        row("prefix miss", "fs_*", "xfs_read", false, false),
        row("suffix", "*.example.com", "a.b.example.com", true, true),
        row(
            "suffix not apex",
            "*.example.com",
            "example.com",
            false,
            false,
        ),
        row(
            "suffix lookalike",
            "*.example.com",
            "evil-example.com",
            false,
            false,
        ),
        row("question", "a?c", "abc", true, true),
        row("question needs one", "a?c", "ac", false, false),
        row("question unicode", "a?c", "aéc", true, true),
        row("middle stars", "a*b*c", "aXXbYYc", true, true),
        row("backtrack", "*ab", "aab", true, true),
        row("backtrack twice", "a*ab*b", "aaabbb", true, true),
        row("unicode case", "ÉTÉ", "été", false, true),
        row("dot is literal", "llama3.2", "llama3x2", false, false),
        row("trailing star text empty rest", "ab*", "ab", true, true),
        row(
            "pathological",
            "*a*a*a*a*a*b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            false,
            false,
        ),
    ];

    #[test]
    fn table() {
        for r in ROWS {
            let g = NameGlob::new(r.pattern);
            assert_eq!(g.matches(r.text), r.exact, "{} (exact)", r.name);
            assert_eq!(
                g.matches_ignore_case(r.text),
                r.ignore_case,
                "{} (ignore case)",
                r.name
            );
        }
    }

    #[test]
    fn long_inputs_terminate() {
        let text = "a".repeat(10_000);
        let g = NameGlob::new("*a*a*a*a*a*a*a*a*b");
        assert!(!g.matches(&text));
    }

    /// Reference matcher: plain recursion, exponential but obviously right on short inputs.
    fn naive(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => naive(&p[1..], t) || (!t.is_empty() && naive(p, &t[1..])),
            (Some('?'), Some(_)) => naive(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => naive(&p[1..], &t[1..]),
            _ => false,
        }
    }

    #[test]
    fn agrees_with_reference_on_seeded_random_inputs() {
        // Small alphabet so that matches are frequent; a fixed LCG keeps the run reproducible.
        let alphabet = ['a', 'b', 'é', '*', '?'];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % n
        };
        for _ in 0..20_000 {
            let plen = next(7);
            let tlen = next(9);
            let pattern: String = (0..plen).map(|_| alphabet[next(5)]).collect();
            let text: String = (0..tlen).map(|_| alphabet[next(3)]).collect();
            let want = naive(
                &pattern.chars().collect::<Vec<_>>(),
                &text.chars().collect::<Vec<_>>(),
            );
            assert_eq!(
                NameGlob::new(&pattern).matches(&text),
                want,
                "{pattern:?} vs {text:?}"
            );
        }
    }
}
