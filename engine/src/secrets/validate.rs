//! Validators: the checks a format defines beyond its shape (Luhn, mod-97, ASN.1 header of a key,
//! JSON header of a JWT) and the heuristics that tell a real value from a placeholder.
//!
//! Every function here is pure, total (no panics on any input) and linear in its input.

/// What to check about a candidate once its rule's regex has matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validator {
    /// The shape is enough.
    None,
    /// Reject placeholders and obvious fakes (see [`is_placeholder`]).
    NotPlaceholder,
    /// Not a placeholder, and mixes at least two of lower case, upper case and digits, as
    /// randomly generated tokens do (a word or an identifier does not).
    Random,
    /// A fixed-format id (a vendor prefix and a body of fixed shape): rejected only when it is a
    /// well-known documentation example or its body is entirely a placeholder pattern (see
    /// [`is_fixed_placeholder`]); a body that merely contains a word such as `DUMMY` is as
    /// likely a real random key.
    Fixed,
    /// [`Validator::Fixed`], and mixes at least two of lower case, upper case and digits.
    FixedRandom,
    /// A free-form value (`password = ...`): not a placeholder, not a variable reference, at
    /// least `min_len` bytes and at least `min_entropy_tenths / 10` bits of entropy per byte.
    Assigned {
        min_len: usize,
        min_entropy_tenths: u32,
    },
    /// Payment card number: IIN range, length and Luhn check digit.
    Card,
    /// A JWT whose header and payload decode to JSON objects.
    Jwt,
    /// PEM armour whose body holds enough base64 to be key material.
    Pem,
    /// IBAN: ISO 13616 mod-97 check.
    Iban,
    /// US SSN: area, group and serial not in the never-issued ranges.
    Ssn,
    /// Credentials in a URL: the password is not a variable or placeholder.
    UrlPassword,
}

impl Validator {
    /// Like [`Self::accepts`], for a token whose `body` follows its vendor prefix in `value`.
    pub(crate) fn accepts_token(self, value: &str, body: &str) -> bool {
        match self {
            Validator::Fixed => !is_fixed_placeholder(value, body),
            Validator::FixedRandom => {
                !is_fixed_placeholder(value, body) && character_classes(value) >= 2
            }
            other => other.accepts(value),
        }
    }

    pub(crate) fn accepts(self, value: &str) -> bool {
        match self {
            Validator::Fixed | Validator::FixedRandom => self.accepts_token(value, value),
            Validator::None => true,
            Validator::NotPlaceholder => !is_placeholder(value),
            Validator::Random => !is_placeholder(value) && character_classes(value) >= 2,
            Validator::Assigned {
                min_len,
                min_entropy_tenths,
            } => is_assigned_secret(value, min_len, min_entropy_tenths),
            Validator::Card => is_card_number(value),
            Validator::Jwt => is_jwt(value),
            Validator::Pem => is_pem_key(value),
            Validator::Iban => is_iban(value),
            Validator::Ssn => is_ssn(value),
            Validator::UrlPassword => url_password(value).is_some_and(|p| {
                p.len() >= 4
                    && url_user(value) != Some(p)
                    && !is_variable_reference(p)
                    && !is_placeholder(p)
                    && !PLACEHOLDER_PASSWORDS.contains(&p.to_ascii_lowercase().as_str())
            }),
        }
    }
}

/// Passwords that documentation writes in example URLs.
const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "password",
    "mypassword",
    "passwd",
    "secret",
    "changeme",
    "your_password",
    "yourpassword",
];

/// How many of {lower case, upper case, digit} occur in `value`.
fn character_classes(value: &str) -> usize {
    let b = value.as_bytes();
    usize::from(b.iter().any(u8::is_ascii_lowercase))
        + usize::from(b.iter().any(u8::is_ascii_uppercase))
        + usize::from(b.iter().any(u8::is_ascii_digit))
}

/// Longest run of consecutive ascending characters (`abcde`, `12345`), case-insensitive.
fn longest_ascending(bytes: &[u8]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev: Option<u8> = None;
    for &b in bytes {
        let c = b.to_ascii_lowercase();
        run = match prev {
            Some(p) if c.is_ascii_alphanumeric() && p.checked_add(1) == Some(c) => run + 1,
            _ => 1,
        };
        prev = Some(c);
        best = best.max(run);
    }
    best
}

/// Whether `bytes` (at least 12 long) repeats a pattern of at most 4 bytes.
fn is_periodic(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && (1..=4).any(|p| bytes.iter().zip(bytes.iter().skip(p)).all(|(a, b)| a == b))
}

/// Placeholders and fakes that documentation, tutorials and models produce in place of a key.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "example",
        "placeholder",
        "your_",
        "your-",
        "yourkey",
        "yourtoken",
        "yoursecret",
        "_here",
        "-here",
        "changeme",
        "change_me",
        "dummy",
        "redacted",
        "xxxx",
        "****",
        // An elided value ("ops_eyJz...") is not the secret.
        "...",
        "<",
        ">",
        "{{",
        "${",
        "1234567890",
        "abcdefghij",
        "0123456789",
        "insert",
        "replace",
    ];
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    let bytes = value.as_bytes();
    longest_run(bytes) >= 6
        || distinct_bytes(bytes) <= 2
        || longest_ascending(bytes) >= 8
        || bytes
            .rsplit(|b| !b.is_ascii_alphanumeric())
            .next()
            .is_some_and(|tail| {
                tail.len() >= 12
                    && (0..=tail.len() - 12).any(|i| tail.get(i..).is_some_and(is_periodic))
            })
}

/// Documentation examples of fixed-format ids, rejected exactly (vendors publish them).
const WELL_KNOWN_EXAMPLES: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "AKIAI44QH8DHBEXAMPLE",
    "ASIAIOSFODNN7EXAMPLE",
];

/// Words that placeholders are made of; a body made only of them (and filler) is no key.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "dummy",
    "your",
    "insert",
    "replace",
    "changeme",
    "change",
    "redacted",
    "fake",
    "sample",
    "here",
    "token",
    "secret",
    "key",
    "api",
    "test",
    "my",
];

/// A fixed-format id that is a placeholder: a well-known example, or a body that is entirely a
/// placeholder pattern (one or two repeated characters, a run, a sequence, a short repeated
/// pattern, `<...>`, `your_..._here`, or nothing but placeholder words and filler). Unlike
/// [`is_placeholder`], a marker word inside an otherwise random body does not make it one.
pub(crate) fn is_fixed_placeholder(value: &str, body: &str) -> bool {
    if WELL_KNOWN_EXAMPLES.contains(&value) {
        return true;
    }
    let bytes = body.as_bytes();
    if bytes.is_empty() || body.contains(['<', '>', '{', '}', '$', '*']) || body.contains("...") {
        return true;
    }
    let lower = body.to_ascii_lowercase();
    if lower.starts_with("your") && lower.ends_with("here") {
        return true;
    }
    let mut rest = lower;
    for w in PLACEHOLDER_WORDS {
        rest = rest.replace(w, "");
    }
    let rest: String = rest
        .chars()
        .filter(|c| !matches!(c, 'x' | '_' | '-' | '.' | '0'))
        .collect();
    rest.len() <= 4
        || longest_run(bytes) >= 6
        || distinct_bytes(bytes) <= 2
        || longest_ascending(bytes) >= 8
        || (0..bytes.len().saturating_sub(11)).any(|i| bytes.get(i..).is_some_and(is_periodic))
}

/// Length of the longest run of one repeated byte.
fn longest_run(bytes: &[u8]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in bytes {
        run = if prev == Some(b) { run + 1 } else { 1 };
        prev = Some(b);
        best = best.max(run);
    }
    best
}

fn distinct_bytes(bytes: &[u8]) -> usize {
    let mut seen = [false; 256];
    let mut n = 0;
    for &b in bytes {
        if let Some(s) = seen.get_mut(usize::from(b)) {
            if !*s {
                *s = true;
                n += 1;
            }
        }
    }
    n
}

/// Shannon entropy of the bytes of `value`, in bits per byte.
pub(crate) fn shannon_entropy(value: &str) -> f64 {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        if let Some(c) = counts.get_mut(usize::from(b)) {
            *c += 1;
        }
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// `$VAR`, `${VAR}`, `%(name)s`, `{{ var }}`, `process.env.X`, function calls: code, not values.
fn is_variable_reference(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.starts_with('$')
        || value.starts_with('%')
        || value.starts_with('{')
        || value.contains('(')
        || value.contains("${")
        || lower.contains("env.")
        || lower.contains("environ")
        || lower.contains("getenv")
        || lower.contains("secrets.")
        || lower.starts_with("null")
        || lower.starts_with("none")
        || lower.starts_with("true")
        || lower.starts_with("false")
}

/// A version-1 (time-based) UUID identifies, it does not authenticate: it is derived from a clock
/// and a node id, not drawn at random (RFC 9562 5.1).
fn is_time_based_uuid(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
        && b.get(14) == Some(&b'1')
}

fn is_assigned_secret(value: &str, min_len: usize, min_entropy_tenths: u32) -> bool {
    if value.len() < min_len
        || is_variable_reference(value)
        || is_placeholder(value)
        || is_time_based_uuid(value)
    {
        return false;
    }
    let bytes = value.as_bytes();
    // Letters and punctuation only: an identifier (`config.api_key`, `ACCESS_TOKEN`), a word or
    // a passphrase of words; a generated secret has digits or symbols, or is long and mixed.
    let letters_only = bytes
        .iter()
        .all(|b| b.is_ascii_alphabetic() || *b == b'.' || *b == b'_' || *b == b'-');
    if letters_only && (value.len() < 20 || character_classes(value) < 2) {
        return false;
    }
    // A URL is not the secret: credentials inside one are the URL rules' business.
    if value.contains("://") {
        return false;
    }
    // Hex digits carry at most 4 bits each: hold a hex value to a proportionally lower bar.
    let threshold = if value.len() >= 16 && bytes.iter().all(u8::is_ascii_hexdigit) {
        f64::from(min_entropy_tenths) * 0.85
    } else {
        f64::from(min_entropy_tenths)
    };
    shannon_entropy(value) * 10.0 >= threshold
}

/// Luhn mod-10 over the ASCII digits of `digits` (other bytes must already be removed).
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let v = u32::from(d.wrapping_sub(b'0'));
        if v > 9 {
            return false;
        }
        sum += if i % 2 == 1 {
            let x = v * 2;
            if x > 9 {
                x - 9
            } else {
                x
            }
        } else {
            v
        };
    }
    !digits.is_empty() && sum.rem_euclid(10) == 0
}

fn is_card_number(value: &str) -> bool {
    let digits: Vec<u8> = value.bytes().filter(u8::is_ascii_digit).collect();
    let len = digits.len();
    if !(13..=19).contains(&len) || distinct_bytes(&digits) <= 1 {
        return false;
    }
    // Separators, if any, must all be the same character.
    let seps: Vec<u8> = value.bytes().filter(|b| !b.is_ascii_digit()).collect();
    if seps.windows(2).any(|w| w.first() != w.get(1)) {
        return false;
    }
    let prefix = |n: usize| -> u32 {
        digits
            .iter()
            .take(n)
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let known_range = match digits.first() {
        Some(b'4') => matches!(len, 13 | 16 | 19),
        Some(b'5') => (51..=55).contains(&prefix(2)) && len == 16,
        Some(b'2') => (2221..=2720).contains(&prefix(4)) && len == 16,
        Some(b'3') => {
            let p2 = prefix(2);
            ((p2 == 34 || p2 == 37) && len == 15)
                || ((300..=305).contains(&prefix(3)) || p2 == 36 || p2 == 38) && len == 14
                || (3528..=3589).contains(&prefix(4)) && (16..=19).contains(&len)
        }
        Some(b'6') => {
            prefix(4) == 6011
                || prefix(2) == 65
                || (644..=649).contains(&prefix(3))
                || prefix(2) == 62
        }
        _ => false,
    };
    known_range && luhn(&digits)
}

/// Decodes standard or URL-safe base64, with or without padding; `None` on any other byte.
pub(crate) fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in input {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

fn is_jwt(value: &str) -> bool {
    let mut parts = value.split('.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return false;
    };
    // Both segments decode to something shaped like a JSON object: braces at both ends. (Full
    // JSON parsing would also reject tokens whose claims merely contain odd bytes.)
    let object_like = |seg: &str| {
        seg.len() >= 8
            && base64_decode(seg.as_bytes()).is_some_and(|d| {
                let d = d.trim_ascii();
                d.first() == Some(&b'{') && d.last() == Some(&b'}')
            })
    };
    object_like(header) && object_like(payload)
}

/// The body of a PEM block (between the BEGIN and END lines) holds at least 64 base64
/// characters, after removing line breaks (raw or JSON-escaped) and headers.
fn is_pem_key(block: &str) -> bool {
    // The BEGIN line ends at the `-----` closing its label; a line break of any kind (LF, CRLF,
    // bare CR, U+2028, NEL), an indenting space or a JSON-escaped `\n`/`\r` follows it.
    let Some(label_end) = block.get(5..).and_then(|b| b.find("-----")).map(|i| i + 10) else {
        return false;
    };
    let body = block.get(label_end..).unwrap_or("");
    if !(body.starts_with(char::is_whitespace)
        || body.starts_with("\\n")
        || body.starts_with("\\r"))
    {
        return false;
    }
    let body = body.split("-----END").next().unwrap_or("");
    let lower = body.to_ascii_lowercase();
    if lower.contains("...")
        || lower.contains("xxx")
        || lower.contains("***")
        || lower.contains('<')
    {
        return false;
    }
    let mut count = 0usize;
    let bytes = body.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            // JSON-escaped line break `\n` or `\r`.
            i += 2;
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            count += 1;
        }
        i += 1;
    }
    count >= 64
}

fn is_iban(value: &str) -> bool {
    let compact: Vec<u8> = value.bytes().filter(|b| *b != b' ').collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4.min(compact.len()));
    let mut rem: u32 = 0;
    for &c in tail.iter().chain(head.iter()) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn is_ssn(value: &str) -> bool {
    let mut parts = value.split('-');
    let (Some(area), Some(group), Some(serial)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    area != "000"
        && area != "666"
        && !area.starts_with('9')
        && group != "00"
        && serial != "0000"
        && !(area == "123" && group == "45" && serial == "6789")
}

/// The user of `scheme://user:password@host...`, if there is one.
fn url_user(url: &str) -> Option<&str> {
    let after = url.split_once("://")?.1;
    let at = after.rfind('@')?;
    Some(after.get(..at)?.split_once(':')?.0)
}

/// The password of `scheme://user:password@host...`, if there is one.
pub(crate) fn url_password(url: &str) -> Option<&str> {
    let after = url.split_once("://")?.1;
    let at = after.rfind('@')?;
    let userinfo = after.get(..at)?;
    Some(userinfo.split_once(':')?.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        // (name, validator, input, expected)
        let cases: &[(&str, Validator, &str, bool)] = &[
            (
                "visa test number",
                Validator::Card,
                "4111 1111 1111 1111",
                true,
            ),
            (
                "visa bad check digit",
                Validator::Card,
                "4111 1111 1111 1112",
                false,
            ),
            ("amex", Validator::Card, "378282246310005", true),
            (
                "mixed separators",
                Validator::Card,
                "4111-1111 1111-1111",
                false,
            ),
            ("unknown iin", Validator::Card, "9111111111111111", false),
            (
                "iban de",
                Validator::Iban,
                "DE89 3704 0044 0532 0130 00",
                true,
            ),
            (
                "iban bad",
                Validator::Iban,
                "DE88 3704 0044 0532 0130 00",
                false,
            ),
            ("ssn ok", Validator::Ssn, "234-56-7890", true),
            ("ssn area 666", Validator::Ssn, "666-56-7890", false),
            (
                "aws example",
                Validator::NotPlaceholder,
                "AKIAIOSFODNN7EXAMPLE",
                true,
            ),
            (
                "random body",
                Validator::NotPlaceholder,
                "Zq3kT9vLm2Xw8RbY",
                false,
            ),
            (
                "run of x",
                Validator::NotPlaceholder,
                "ghp_xxxxxxxxxxxxxxxxxxxx",
                true,
            ),
            ("one char", Validator::NotPlaceholder, "aaaaaaaaaaaa", true),
            (
                "assigned high entropy",
                Validator::Assigned {
                    min_len: 8,
                    min_entropy_tenths: 30,
                },
                "Tr0ub4dor&3xQ",
                true,
            ),
            (
                "assigned variable",
                Validator::Assigned {
                    min_len: 8,
                    min_entropy_tenths: 30,
                },
                "${DB_PASSWORD}",
                false,
            ),
            (
                "assigned code",
                Validator::Assigned {
                    min_len: 8,
                    min_entropy_tenths: 30,
                },
                "settings.api_key",
                false,
            ),
            (
                "jwt",
                Validator::Jwt,
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
                true,
            ),
            ("jwt garbage", Validator::Jwt, "eyJ!!!.eyJ.x", false),
            (
                "url password",
                Validator::UrlPassword,
                "https://u:s3cretPw@h",
                true,
            ),
            (
                "url var password",
                Validator::UrlPassword,
                "https://u:${PW}@h",
                false,
            ),
        ];
        for (name, v, input, want) in cases {
            let got = match v {
                Validator::NotPlaceholder => is_placeholder(input),
                other => other.accepts(input),
            };
            assert_eq!(got, *want, "{name}");
        }
    }

    /// Fixed-format ids: (name, whole id, body after the prefix, is a placeholder).
    #[test]
    fn fixed_format_placeholders() {
        let rows: &[(&str, &str, &str, bool)] = &[
            (
                "aws docs example",
                "AKIAIOSFODNN7EXAMPLE",
                "IOSFODNN7EXAMPLE",
                true,
            ),
            (
                "marker word in a random body",
                "AKIAW7QT6DUMMYLRVPD3",
                "W7QT6DUMMYLRVPD3",
                false,
            ),
            (
                "replace in a random body",
                "ghp_Zq3kREPLACE9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7",
                "Zq3kREPLACE9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7",
                false,
            ),
            ("all x", "AKIAXXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXX", true),
            (
                "one repeated char",
                "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                true,
            ),
            (
                "angle brackets",
                "sk-<your-openai-key-goes-in-this-spot>",
                "<your-openai-key-goes-in-this-spot>",
                true,
            ),
            (
                "your key here",
                "sk_test_your_stripe_key_here",
                "your_stripe_key_here",
                true,
            ),
            (
                "only placeholder words",
                "sk_live_EXAMPLEKEYEXAMPLEKEY",
                "EXAMPLEKEYEXAMPLEKEY",
                true,
            ),
            (
                "a sequence",
                "npm_abcdefghijklmnopqrstuvwxyz0123456789",
                "abcdefghijklmnopqrstuvwxyz0123456789",
                true,
            ),
            (
                "a random body",
                "AKIAW7QT6PLRVPD3NZKQ",
                "W7QT6PLRVPD3NZKQ",
                false,
            ),
        ];
        for (name, value, body, want) in rows {
            assert_eq!(is_fixed_placeholder(value, body), *want, "{name}");
            assert_eq!(
                Validator::Fixed.accepts_token(value, body),
                !*want,
                "{name}"
            );
        }
    }

    #[test]
    fn base64() {
        let cases: &[(&str, &str, Option<&[u8]>)] = &[
            ("padded", "aGk=", Some(b"hi")),
            ("url safe", "-_8", Some(&[0xfb, 0xff])),
            ("bad byte", "a!b", None),
        ];
        for (name, input, want) in cases {
            assert_eq!(base64_decode(input.as_bytes()).as_deref(), *want, "{name}");
        }
    }
}
