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
}

impl ConfigError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
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
