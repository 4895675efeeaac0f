//! Configuration errors that name the JSON path of the problem.
//!
//! Every error a config can produce, from deserialisation to pattern compilation, ends up as a
//! [`ConfigError`] whose `path` is a JSON path such as `prompt_injection.rules[3].regex`, so that
//! an operator can find the offending line from Envoy's log alone.

use std::fmt;

/// A configuration problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// JSON path of the offending value, `.` for the document itself.
    pub path: String,
    /// What is wrong, in words an operator can act on.
    pub message: String,
    /// What kind of problem, for a tool that reacts to it (the message is for people).
    pub kind: ConfigErrorKind,
}

/// The kinds of configuration problem a tool may treat differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigErrorKind {
    /// The document is not JSON (the path is `.`; the message gives line and column).
    Syntax,
    /// A required field is absent (the path names the object that lacks it).
    MissingField,
    /// Any other problem with the value at the path.
    Invalid,
}

/// One step of a JSON path: an object's field or an array's element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl ConfigError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            kind: ConfigErrorKind::Invalid,
        }
    }

    /// The same problem, of another kind.
    pub fn of_kind(self, kind: ConfigErrorKind) -> Self {
        Self { kind, ..self }
    }

    /// The path as segments (empty for the document itself), read back from the form [`join`]
    /// and [`index`] write.
    pub fn segments(&self) -> Vec<PathSegment> {
        parse_path(&self.path)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Joins a parent JSON path and a field name: `join("a.b", "c") == "a.b.c"`, `join("", "c") == "c"`.
pub fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() || parent == "." {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

/// Joins a parent JSON path and an array index: `index("a.rules", 3) == "a.rules[3]"`.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// regex-lite's message, without its multi-line source excerpt.
pub fn regex_message(e: &regex_lite::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid regex");
    last.trim().trim_start_matches("error:").trim().to_string()
}

/// Reads a path written by [`join`] and [`index`] (`a.b[3].c`, `.` for the root).
fn parse_path(path: &str) -> Vec<PathSegment> {
    let mut out = Vec::new();
    if path == "." || path.is_empty() {
        return out;
    }
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(PathSegment::Key(key.to_string()));
        }
        while let Some(close) = rest.find(']') {
            let inner = rest.get(1..close).unwrap_or("");
            match inner.parse() {
                Ok(n) => out.push(PathSegment::Index(n)),
                Err(_) => out.push(PathSegment::Key(inner.to_string())),
            }
            rest = rest.get(close + 1..).unwrap_or("");
        }
    }
    out
}

/// Writes segments as a path, the inverse of [`ConfigError::segments`] (`.` for none).
pub fn render_path(segments: &[PathSegment]) -> String {
    let mut s = String::new();
    for seg in segments {
        match seg {
            PathSegment::Key(k) => s = join(&s, k),
            PathSegment::Index(i) => s = index(&s, *i),
        }
    }
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        use PathSegment::{Index, Key};
        let rows: &[(&str, Vec<PathSegment>)] = &[
            (".", vec![]),
            ("a", vec![Key("a".into())]),
            (
                "a.b[3].c",
                vec![Key("a".into()), Key("b".into()), Index(3), Key("c".into())],
            ),
            (
                "tools.allow[0]",
                vec![Key("tools".into()), Key("allow".into()), Index(0)],
            ),
            ("x[1][2]", vec![Key("x".into()), Index(1), Index(2)]),
        ];
        for (path, segments) in rows {
            assert_eq!(&ConfigError::new(*path, "m").segments(), segments, "{path}");
            assert_eq!(render_path(segments), *path, "{path}");
        }
    }

    #[test]
    fn display_is_path_then_message_whatever_the_kind() {
        let e = ConfigError::new("tools.allow[0]", "empty tool name");
        assert_eq!(e.to_string(), "tools.allow[0]: empty tool name");
        let e = e.of_kind(ConfigErrorKind::MissingField);
        assert_eq!(e.to_string(), "tools.allow[0]: empty tool name");
    }
}
