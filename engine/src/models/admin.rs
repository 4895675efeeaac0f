//! Ollama's model-changing and administrative endpoints.
//!
//! `/api/pull`, `/api/push`, `/api/create`, `/api/copy`, `/api/delete` and `/api/blobs/*`
//! change which bytes an approved name loads (`create` and `copy` can rebind an approved name to
//! new content), and the account endpoints (`/api/me`, `/api/signin`, `/api/signout`) bind the
//! server to an ollama.com identity. A gateway that admits models must therefore refuse them
//! unless the operator allows them one by one.
//!
//! Request paths are compared after the normalisation a lenient router or an Envoy option might
//! apply, so that `/api//pull`, `/api/./pull`, `/x/../api/pull`, `/api/%70ull`, `/API/PULL`,
//! `/api\\pull`, `/api/pull/` and `/api/pull?x` are all recognised as `/api/pull`. Normalising more than
//! Ollama does can only refuse more, never less.

use std::borrow::Cow;

/// One administrative endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminEndpoint {
    /// Canonical path, as written in `allow_admin`.
    pub path: &'static str,
    /// Whether sub-paths belong to it (`/api/blobs/sha256:...`).
    pub prefix: bool,
    /// Body fields naming models that must pass admission when the endpoint is allowed.
    pub model_fields: &'static [&'static str],
}

pub const ADMIN_ENDPOINTS: &[AdminEndpoint] = &[
    AdminEndpoint {
        path: "/api/pull",
        prefix: false,
        model_fields: &["model", "name"],
    },
    AdminEndpoint {
        path: "/api/push",
        prefix: false,
        model_fields: &["model", "name"],
    },
    AdminEndpoint {
        path: "/api/create",
        prefix: false,
        model_fields: &["model", "name", "from"],
    },
    AdminEndpoint {
        path: "/api/copy",
        prefix: false,
        model_fields: &["source", "destination"],
    },
    AdminEndpoint {
        path: "/api/delete",
        prefix: false,
        model_fields: &["model", "name"],
    },
    AdminEndpoint {
        path: "/api/blobs",
        prefix: true,
        model_fields: &[],
    },
    AdminEndpoint {
        path: "/api/me",
        prefix: false,
        model_fields: &[],
    },
    AdminEndpoint {
        path: "/api/signin",
        prefix: false,
        model_fields: &[],
    },
    AdminEndpoint {
        path: "/api/signout",
        prefix: false,
        model_fields: &[],
    },
];

/// The index in [`ADMIN_ENDPOINTS`] of the endpoint a request path addresses, if any.
pub fn find(request_path: &str) -> Option<usize> {
    let path = normalize_path(request_path);
    ADMIN_ENDPOINTS.iter().position(|e| {
        path == e.path
            || (e.prefix
                && path
                    .strip_prefix(e.path)
                    .is_some_and(|rest| rest.starts_with('/')))
    })
}

/// The index of an `allow_admin` entry: a canonical path, `/api/blobs/*` for the blob endpoints.
pub fn find_config_entry(entry: &str) -> Option<usize> {
    let entry = entry.strip_suffix("/*").unwrap_or(entry);
    ADMIN_ENDPOINTS.iter().position(|e| e.path == entry)
}

/// Drops query and fragment, percent-decodes, lowercases, resolves `.`/`..`, merges slashes,
/// drops a trailing slash, and drops what routers disagree on at the ends of a segment (matrix
/// parameters after `;`, whitespace and control characters such as an encoded space or NUL).
/// Borrows when the path is already in that form.
pub fn normalize_path(raw: &str) -> Cow<'_, str> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let needs_work = !path.starts_with('/')
        || path.contains(['%', '\\', ';'])
        || path.contains("//")
        || path.contains("/.")
        || (path.len() > 1 && path.ends_with('/'))
        || path
            .chars()
            .any(|c| c.is_ascii_uppercase() || c.is_whitespace() || c.is_control());
    if !needs_work {
        return Cow::Borrowed(path);
    }
    Cow::Owned(segments(path, true).to_ascii_lowercase())
}

/// The path as a lenient router reads it, case kept: percent-decoded, a backslash read as a
/// separator, `.`/`..` resolved, empty segments merged away, no trailing slash; with `trim`, each
/// segment also loses its matrix parameters and surrounding whitespace and control characters.
/// Reading more separators than a router does can only make the engine recognise more.
pub fn segments(raw: &str, trim: bool) -> String {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path).replace('\\', "/");
    let mut kept: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        let seg = if trim {
            seg.split(';')
                .next()
                .unwrap_or("")
                .trim_matches(|c: char| c.is_whitespace() || c.is_control())
        } else {
            seg
        };
        match seg {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
    }
    let mut out = String::with_capacity(decoded.len() + 1);
    for s in &kept {
        out.push('/');
        out.push_str(s);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Decodes `%XX` escapes; malformed escapes stay as written (Go's router would refuse them).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|c| (*c as char).to_digit(16));
            let lo = bytes.get(i + 2).and_then(|c| (*c as char).to_digit(16));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let rows: &[(&str, &str, Option<&str>)] = &[
            ("pull", "/api/pull", Some("/api/pull")),
            ("push", "/api/push", Some("/api/push")),
            ("create", "/api/create", Some("/api/create")),
            ("copy", "/api/copy", Some("/api/copy")),
            ("delete", "/api/delete", Some("/api/delete")),
            ("blob", "/api/blobs/sha256:abc", Some("/api/blobs")),
            ("blobs bare", "/api/blobs", Some("/api/blobs")),
            ("blobsx is not blobs", "/api/blobsx", None),
            ("me", "/api/me", Some("/api/me")),
            ("signin", "/api/signin", Some("/api/signin")),
            ("signout", "/api/signout", Some("/api/signout")),
            ("chat", "/api/chat", None),
            ("tags", "/api/tags", None),
            ("show", "/api/show", None),
            ("openai", "/v1/chat/completions", None),
            ("query", "/api/pull?stream=false", Some("/api/pull")),
            ("trailing slash", "/api/pull/", Some("/api/pull")),
            ("double slash", "//api//pull", Some("/api/pull")),
            ("dot", "/api/./pull", Some("/api/pull")),
            ("dotdot", "/v1/../api/pull", Some("/api/pull")),
            ("dotdot above root", "/../../api/pull", Some("/api/pull")),
            ("percent", "/api/%70ull", Some("/api/pull")),
            ("percent slash", "/api%2fpull", Some("/api/pull")),
            ("upper", "/API/Pull", Some("/api/pull")),
            ("bad escape", "/api/pull%zz", None),
            // REGRESSION: what routers trim or cut at the end of a segment.
            ("encoded space", "/api/pull%20", Some("/api/pull")),
            ("encoded tab", "/api/pull%09", Some("/api/pull")),
            ("encoded NUL", "/api/pull%00", Some("/api/pull")),
            ("matrix parameter", "/api/pull;x", Some("/api/pull")),
            (
                "matrix parameter mid-path",
                "/api;v=1/pull",
                Some("/api/pull"),
            ),
            ("upper with params", "/API/PULL;x?y", Some("/api/pull")),
            ("backslash", "/api\\pull", Some("/api/pull")),
            ("pullx", "/api/pullx", None),
            ("empty", "", None),
        ];
        for (name, path, want) in rows {
            let got = find(path)
                .and_then(|i| ADMIN_ENDPOINTS.get(i))
                .map(|e| e.path);
            assert_eq!(got, *want, "{name}: {path}");
        }
    }
}
