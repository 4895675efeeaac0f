//! URL host constraints for fetch/http tool arguments (`url_hosts` in an argument rule).
//!
//! A model that may call a fetch tool can be steered (by injected content) into fetching an
//! internal or attacker-controlled URL. This module decides whether a URL names an allowed host,
//! and it fails closed wherever URL parsers disagree, because the tool that finally fetches the
//! URL (Python `urllib`, `requests`, Node `fetch`, Go `net/url`) may read it differently from us:
//!
//! - only absolute URLs `scheme://authority...` with an allowed scheme (`http`, `https` unless
//!   configured otherwise) are accepted; scheme-relative, `https:/x` or `https:\\x` forms are not;
//! - a backslash, whitespace or control character anywhere in the URL, and a `%` in the
//!   authority, are refused (WHATWG turns `\` into `/`, strips tabs and newlines and
//!   percent-decodes hosts; other parsers do none of that);
//! - any userinfo (`https://allowed.example@evil.example`) is refused: parsers split it at
//!   different `@`s, and credentials do not belong in model-chosen URLs;
//! - the host is compared case-insensitively with one trailing dot removed (`Example.COM.` is
//!   `example.com`); empty labels, non-ASCII hosts (use the `xn--` form in the pattern) and
//!   malformed IPv6 literals are refused;
//! - a host pattern without a port admits only the scheme's default port (or none); `host:8443`
//!   admits that port; `host:*` admits any port.
//!
//! Numeric IPv4 spellings (`2130706433`, `0x7f.1`) are not normalised: they simply fail to match
//! a name pattern, which is the safe outcome for an allowlist.

use crate::glob::NameGlob;

/// One compiled `url_hosts` entry.
#[derive(Debug, Clone)]
pub struct HostPattern {
    host: NameGlob,
    port: PortPattern,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortPattern {
    Default,
    Any,
    Exact(u16),
}

impl HostPattern {
    /// Parses `host-glob[:port|:*]`. Errors are messages for the config path of the entry.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        let lowered = pattern.to_ascii_lowercase();
        if lowered.is_empty() {
            return Err("empty host pattern".into());
        }
        if !lowered.is_ascii() {
            return Err(
                "host patterns must be ASCII (write internationalised names in xn-- form)".into(),
            );
        }
        if lowered.contains(['/', '@', '\\', '%']) || lowered.contains(char::is_whitespace) {
            return Err(
                "a host pattern is a host name glob with an optional :port, not a URL".into(),
            );
        }
        let (host, port) = split_host_port(&lowered).ok_or_else(|| {
            "malformed host pattern (IPv6 literals are written [::1])".to_string()
        })?;
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() {
            return Err("empty host in host pattern".into());
        }
        let port = match port {
            None => PortPattern::Default,
            Some("*") => PortPattern::Any,
            Some(p) => PortPattern::Exact(
                parse_port(p).ok_or_else(|| format!("invalid port {p:?} in host pattern"))?,
            ),
        };
        Ok(Self {
            host: NameGlob::new(host),
            port,
        })
    }
}

/// Why a URL was refused; the reason never includes the URL itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRefusal {
    NotAbsolute,
    Scheme,
    SuspiciousCharacter,
    Userinfo,
    BadHost,
    BadPort,
    HostNotAllowed,
}

impl UrlRefusal {
    pub fn describe(self) -> &'static str {
        match self {
            Self::NotAbsolute => "is not an absolute URL",
            Self::Scheme => "uses a scheme that is not allowed",
            Self::SuspiciousCharacter => {
                "contains characters URL parsers disagree on (backslash, whitespace, control, %)"
            }
            Self::Userinfo => "carries userinfo (user@host), which is not allowed",
            Self::BadHost => "has a malformed host",
            Self::BadPort => "has a malformed port",
            Self::HostNotAllowed => "names a host that is not allowed",
        }
    }
}

/// Checks `url` against the allowed schemes (lowercase) and host patterns. No allocation.
pub fn check_url(url: &str, schemes: &[String], hosts: &[HostPattern]) -> Result<(), UrlRefusal> {
    let (scheme, rest) = url.split_once(':').ok_or(UrlRefusal::NotAbsolute)?;
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(UrlRefusal::NotAbsolute);
    }
    if !schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        return Err(UrlRefusal::Scheme);
    }
    // Refuse anything a lenient parser would strip or reinterpret, anywhere in the URL.
    if url
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        return Err(UrlRefusal::SuspiciousCharacter);
    }
    let after = rest.strip_prefix("//").ok_or(UrlRefusal::NotAbsolute)?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = after.get(..end).ok_or(UrlRefusal::BadHost)?;
    if authority.contains('@') {
        return Err(UrlRefusal::Userinfo);
    }
    if authority.contains('%') {
        return Err(UrlRefusal::SuspiciousCharacter);
    }
    if !authority.is_ascii() {
        return Err(UrlRefusal::BadHost);
    }
    let (host, port) = split_host_port(authority).ok_or(UrlRefusal::BadHost)?;
    let port = match port {
        None => None,
        Some("") => None, // `https://host:/` means the default port
        Some(p) => Some(parse_port(p).ok_or(UrlRefusal::BadPort)?),
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if !valid_host(host) {
        return Err(UrlRefusal::BadHost);
    }
    let default_port = default_port(scheme);
    let allowed = hosts.iter().any(|h| {
        let port_ok = match h.port {
            PortPattern::Any => true,
            PortPattern::Exact(want) => port.or(default_port) == Some(want),
            PortPattern::Default => port.is_none() || port == default_port,
        };
        port_ok && h.host.matches_ignore_case(host)
    });
    if allowed {
        Ok(())
    } else {
        Err(UrlRefusal::HostNotAllowed)
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
        Some(443)
    } else if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("ws") {
        Some(80)
    } else if scheme.eq_ignore_ascii_case("ftp") {
        Some(21)
    } else {
        None
    }
}

/// Splits `host[:port]` or `[v6][:port]`; `None` when the brackets are malformed.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(v6) = authority.strip_prefix('[') {
        let close = v6.find(']')?;
        let host = authority.get(..close + 2)?;
        let tail = v6.get(close + 1..)?;
        return match tail {
            "" => Some((host, None)),
            _ => Some((host, Some(tail.strip_prefix(':')?))),
        };
    }
    match authority.split_once(':') {
        Some((host, port)) if !port.contains(':') => Some((host, Some(port))),
        Some(_) => None,
        None => Some((authority, None)),
    }
}

fn parse_port(p: &str) -> Option<u16> {
    if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.strip_suffix(']').is_some_and(|v6| {
            !v6.is_empty()
                && v6
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        });
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(patterns: &[&str]) -> Vec<HostPattern> {
        patterns
            .iter()
            .map(|p| HostPattern::parse(p).unwrap())
            .collect()
    }

    fn web() -> Vec<String> {
        vec!["http".into(), "https".into()]
    }

    #[test]
    fn urls() {
        use UrlRefusal::*;
        let allowed = hosts(&[
            "example.com",
            "*.example.com",
            "api.internal:8443",
            "[::1]:*",
        ]);
        let rows: &[(&str, &str, Result<(), UrlRefusal>)] = &[
            ("plain", "https://example.com/path?q=1", Ok(())),
            ("subdomain", "https://docs.example.com", Ok(())),
            ("deep subdomain", "http://a.b.example.com/", Ok(())),
            ("case", "HTTPS://Docs.EXAMPLE.com/x", Ok(())),
            ("trailing dot", "https://example.com./x", Ok(())),
            (
                "double trailing dot",
                "https://example.com../x",
                Err(BadHost),
            ),
            ("default port explicit", "https://example.com:443/", Ok(())),
            ("empty port", "https://example.com:/", Ok(())),
            (
                "other port",
                "https://example.com:8080/",
                Err(HostNotAllowed),
            ),
            ("pinned port", "https://api.internal:8443/v1", Ok(())),
            (
                "pinned port missing",
                "https://api.internal/v1",
                Err(HostNotAllowed),
            ),
            ("ipv6 any port", "http://[::1]:9000/", Ok(())),
            (
                "userinfo trick",
                "https://example.com@evil.com/",
                Err(Userinfo),
            ),
            (
                "userinfo in allowed",
                "https://user:pw@example.com/",
                Err(Userinfo),
            ),
            (
                "backslash trick",
                "https://example.com\\@evil.com/",
                Err(SuspiciousCharacter),
            ),
            (
                "backslash scheme",
                "https:\\\\evil.com",
                Err(SuspiciousCharacter),
            ),
            ("single slash", "https:/evil.com", Err(NotAbsolute)),
            ("scheme relative", "//example.com/x", Err(NotAbsolute)),
            ("no scheme", "example.com/x", Err(NotAbsolute)),
            ("file scheme", "file:///etc/passwd", Err(Scheme)),
            ("javascript", "javascript:alert(1)", Err(Scheme)),
            ("gopher", "gopher://example.com", Err(Scheme)),
            (
                "lookalike suffix",
                "https://evilexample.com",
                Err(HostNotAllowed),
            ),
            (
                "suffix smuggle",
                "https://example.com.evil.com",
                Err(HostNotAllowed),
            ),
            (
                "percent host",
                "https://%65xample.com",
                Err(SuspiciousCharacter),
            ),
            ("unicode host", "https://exаmple.com", Err(BadHost)),
            ("whitespace", " https://example.com", Err(NotAbsolute)),
            (
                "tab inside",
                "https://exa\tmple.com",
                Err(SuspiciousCharacter),
            ),
            (
                "newline",
                "https://example.com\n.evil",
                Err(SuspiciousCharacter),
            ),
            ("empty host", "https:///example.com", Err(BadHost)),
            ("bad port", "https://example.com:99999/", Err(BadPort)),
            ("port letters", "https://example.com:80a/", Err(BadPort)),
            ("decimal ip", "http://2130706433/", Err(HostNotAllowed)),
            ("bad v6", "http://[::1/", Err(BadHost)),
            ("empty", "", Err(NotAbsolute)),
            (
                "fragment at host end",
                "https://example.com#@evil.com",
                Ok(()),
            ),
            ("query at host end", "https://example.com?@evil.com", Ok(())),
        ];
        for (name, url, want) in rows {
            assert_eq!(check_url(url, &web(), &allowed), *want, "{name}: {url}");
        }
    }

    #[test]
    fn patterns() {
        let rows: &[(&str, &str, bool)] = &[
            ("host", "example.com", true),
            ("glob", "*.example.com", true),
            ("port", "example.com:8443", true),
            ("any port", "example.com:*", true),
            ("trailing dot", "Example.COM.", true),
            ("url", "https://example.com", false),
            ("path", "example.com/x", false),
            ("userinfo", "a@example.com", false),
            ("empty", "", false),
            ("bad port", "example.com:http", false),
            ("unicode", "exämple.com", false),
        ];
        for (name, pattern, ok) in rows {
            assert_eq!(HostPattern::parse(pattern).is_ok(), *ok, "{name}");
        }
    }
}
