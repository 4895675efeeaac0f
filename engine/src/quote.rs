//! Names quoted for a message: a tool name, a model name or a JSON key, written into a decision
//! reason, an error body or a config error.
//!
//! The names come from requests, responses and the model, so they may be hostile: quoting
//! escapes every control character (no newline or escape sequence reaches a log line) and bounds
//! the length.

/// Longest name quoted in a message, in characters.
const QUOTED_NAME_MAX: usize = 64;

/// A name fit for a log line: escaped and bounded.
pub fn quoted(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(QUOTED_NAME_MAX) + 8);
    out.push('"');
    for (n, c) in name.chars().enumerate() {
        if n >= QUOTED_NAME_MAX {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out.push('"');
    out
}
