//! Model names as Ollama reads them: `[host[:port]/][namespace/]model[:tag][@sha256:<64 hex>]`.
//!
//! Admission compares what the upstream will load, so names are read the way Ollama reads them:
//! missing parts take the defaults `registry.ollama.ai`, `library` and `latest`, parts compare
//! case-insensitively, and the tag is whatever follows the last `:` after the last `/` (so a
//! registry port is never mistaken for a tag). `llama3.2`, `llama3.2:latest`,
//! `library/llama3.2:latest` and `registry.ollama.ai/library/llama3.2:latest` are one model.
//!
//! Each part must have the shape Ollama accepts (a letter, digit or `_` first, then letters,
//! digits, `_`, `-`, and `.` except in the namespace; `:` only in the host), within Ollama's
//! length limits. So `..`, `a/b/c/d`, empty parts, whitespace and non-ASCII names do not parse,
//! and the policy refuses them instead of guessing. Parsing borrows from the input and never
//! allocates.

/// Registry used when a name has no host.
pub const DEFAULT_HOST: &str = "registry.ollama.ai";
/// Namespace used when a name has none.
pub const DEFAULT_NAMESPACE: &str = "library";
/// Tag used when a name has none.
pub const DEFAULT_TAG: &str = "latest";

const HOST_MAX: usize = 350;
const PART_MAX: usize = 80;

/// A parsed Ollama model name; missing parts hold the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelRef<'a> {
    pub host: &'a str,
    pub namespace: &'a str,
    pub model: &'a str,
    pub tag: &'a str,
    /// False when the tag is the implicit `latest`.
    pub tag_given: bool,
    /// The 64 hex digits of an `@sha256:` suffix.
    pub digest: Option<&'a str>,
}

/// Why a string is not a model name (no part of the name is echoed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelNameError {
    Empty,
    Digest,
    TooManyParts,
    Host,
    Namespace,
    Model,
    Tag,
}

impl ModelNameError {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::Digest => "has a digest that is not sha256:<64 hex digits>",
            Self::TooManyParts => "has more parts than host/namespace/model",
            Self::Host => "has an invalid host",
            Self::Namespace => "has an invalid namespace",
            Self::Model => "has an invalid model part",
            Self::Tag => "has an invalid tag",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Host,
    Namespace,
    Model,
    Tag,
}

impl<'a> ModelRef<'a> {
    /// Parses a requested model name.
    pub fn parse(name: &'a str) -> Result<Self, ModelNameError> {
        parse(name, false)
    }

    /// Parses an allow/deny entry, where parts may also contain the globs `*` and `?`.
    pub(crate) fn parse_pattern(name: &'a str) -> Result<Self, ModelNameError> {
        parse(name, true)
    }

    /// The full, lowercase form `host/namespace/model:tag[@sha256:digest]`.
    pub fn normalized(&self) -> String {
        let mut out = format!(
            "{}/{}/{}:{}",
            self.host, self.namespace, self.model, self.tag
        );
        if let Some(d) = self.digest {
            out.push_str("@sha256:");
            out.push_str(d);
        }
        out.to_ascii_lowercase()
    }

    /// Same model (and same digest, if either names one), ignoring case.
    pub fn same_model(&self, other: &ModelRef<'_>) -> bool {
        self.host.eq_ignore_ascii_case(other.host)
            && self.namespace.eq_ignore_ascii_case(other.namespace)
            && self.model.eq_ignore_ascii_case(other.model)
            && self.tag.eq_ignore_ascii_case(other.tag)
            && match (self.digest, other.digest) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// Splits an `@sha256:<64 hex>` suffix off any name. `Err` when an `@sha256:` suffix is
/// present but malformed; other `@`s (Vertex-style `model@version` ids) are left in place.
pub fn split_digest(name: &str) -> Result<(&str, Option<&str>), ModelNameError> {
    match name.rsplit_once('@') {
        Some((rest, suffix)) => {
            let Some((algo, hex)) = suffix.split_at_checked(7) else {
                return Ok((name, None));
            };
            if !algo.eq_ignore_ascii_case("sha256:") {
                return Ok((name, None));
            }
            if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok((rest, Some(hex)))
            } else {
                Err(ModelNameError::Digest)
            }
        }
        None => Ok((name, None)),
    }
}

fn parse(name: &str, glob: bool) -> Result<ModelRef<'_>, ModelNameError> {
    if name.is_empty() {
        return Err(ModelNameError::Empty);
    }
    let (rest, digest) = split_digest(name)?;
    if rest.contains('@') {
        return Err(ModelNameError::Model);
    }
    // A tag is what follows a `:` that comes after the last `/`; a `:` before it is a port.
    let last_slash = rest.rfind('/');
    let (rest, tag) = match rest.rfind(':') {
        Some(colon) if last_slash.is_none_or(|s| colon > s) => {
            let head = rest.get(..colon).unwrap_or("");
            let tail = rest.get(colon + 1..).unwrap_or("");
            (head, Some(tail))
        }
        _ => (rest, None),
    };
    let (rest, model) = match rest.rsplit_once('/') {
        Some((head, model)) => (Some(head), model),
        None => (None, rest),
    };
    let (host, namespace) = match rest {
        None => (None, None),
        Some(rest) => match rest.rsplit_once('/') {
            None => (None, Some(rest)),
            Some((host, namespace)) => {
                // Ollama tolerates a scheme in front of the host; it does not change identity.
                let host = host
                    .strip_prefix("https://")
                    .or_else(|| host.strip_prefix("http://"))
                    .unwrap_or(host);
                if host.contains('/') {
                    return Err(ModelNameError::TooManyParts);
                }
                (Some(host), Some(namespace))
            }
        },
    };
    let check = |part: Part, s: &str, err: ModelNameError| {
        if valid_part(part, s, glob) {
            Ok(())
        } else {
            Err(err)
        }
    };
    if let Some(h) = host {
        check(Part::Host, h, ModelNameError::Host)?;
    }
    if let Some(n) = namespace {
        check(Part::Namespace, n, ModelNameError::Namespace)?;
    }
    check(Part::Model, model, ModelNameError::Model)?;
    if let Some(t) = tag {
        check(Part::Tag, t, ModelNameError::Tag)?;
    }
    Ok(ModelRef {
        host: host.unwrap_or(DEFAULT_HOST),
        namespace: namespace.unwrap_or(DEFAULT_NAMESPACE),
        model,
        tag: tag.unwrap_or(DEFAULT_TAG),
        tag_given: tag.is_some(),
        digest,
    })
}

fn valid_part(part: Part, s: &str, glob: bool) -> bool {
    let max = if part == Part::Host {
        HOST_MAX
    } else {
        PART_MAX
    };
    if s.is_empty() || s.len() > max {
        return false;
    }
    let is_glob = |c: char| glob && (c == '*' || c == '?');
    s.chars().enumerate().all(|(i, c)| {
        if c.is_ascii_alphanumeric() || c == '_' || is_glob(c) {
            return true;
        }
        if i == 0 {
            return false;
        }
        match c {
            '-' => true,
            '.' => part != Part::Namespace,
            ':' => part == Part::Host,
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn parse_table() {
        let digest_name = format!("llama3.2:3b@sha256:{HEX}");
        let rows: Vec<(&str, &str, Result<&str, ModelNameError>)> = vec![
            ("bare", "llama3.2", Ok("registry.ollama.ai/library/llama3.2:latest")),
            ("tag", "llama3.2:3b", Ok("registry.ollama.ai/library/llama3.2:3b")),
            ("namespace", "myorg/llama3.2:3b", Ok("registry.ollama.ai/myorg/llama3.2:3b")),
            ("host", "reg.local/myorg/m:t", Ok("reg.local/myorg/m:t")),
            ("host port", "reg.local:5000/myorg/m", Ok("reg.local:5000/myorg/m:latest")),
            ("host port tag", "reg.local:5000/myorg/m:t", Ok("reg.local:5000/myorg/m:t")),
            ("scheme", "https://reg.local/ns/m:t", Ok("reg.local/ns/m:t")),
            ("case", "Llama3.2:Q4_K_M", Ok("registry.ollama.ai/library/llama3.2:q4_k_m")),
            ("hf", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
                Ok("hf.co/bartowski/llama-3.2-1b-instruct-gguf:q4_k_m")),
            ("digest", digest_name.as_str(),
                Ok("registry.ollama.ai/library/llama3.2:3b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")),
            ("empty", "", Err(ModelNameError::Empty)),
            ("empty tag", "llama3.2:", Err(ModelNameError::Tag)),
            ("empty namespace", "/llama3.2", Err(ModelNameError::Namespace)),
            ("dotdot", "..", Err(ModelNameError::Model)),
            ("traversal", "../../etc/passwd", Err(ModelNameError::TooManyParts)),
            ("dot namespace", "a.b/m", Err(ModelNameError::Namespace)),
            ("four parts", "a/b/c/d", Err(ModelNameError::TooManyParts)),
            ("space", "llama 3", Err(ModelNameError::Model)),
            ("unicode", "llamа3", Err(ModelNameError::Model)),
            ("short digest", "m@sha256:abc", Err(ModelNameError::Digest)),
            ("stray at", "m@v1", Err(ModelNameError::Model)),
            ("glob not in names", "llama*", Err(ModelNameError::Model)),
            ("colon in tag", "m:a:b", Err(ModelNameError::Model)),
        ];
        for (name, input, want) in rows {
            let got = ModelRef::parse(input).map(|r| r.normalized());
            assert_eq!(got, want.map(str::to_string), "{name}: {input}");
        }
        let long = "m".repeat(81);
        assert_eq!(
            ModelRef::parse(&long),
            Err(ModelNameError::Model),
            "81-char model"
        );
        let ok = "m".repeat(80);
        assert!(ModelRef::parse(&ok).is_ok(), "80-char model");
    }

    #[test]
    fn same_model_is_case_and_default_insensitive() {
        let names = [
            "llama3.2",
            "llama3.2:latest",
            "library/llama3.2:latest",
            "registry.ollama.ai/library/llama3.2:latest",
            "LLAMA3.2:LATEST",
        ];
        let first = ModelRef::parse(names[0]).unwrap();
        for n in names {
            assert!(ModelRef::parse(n).unwrap().same_model(&first), "{n}");
        }
        assert!(!ModelRef::parse("llama3.2:3b").unwrap().same_model(&first));
    }

    #[test]
    fn normalized_form_is_a_fixed_point() {
        let names = [
            "llama3.2",
            "Qwen2.5:7B-instruct-Q4_K_M",
            "myorg/m:v1",
            "reg.local:5000/team/m",
            "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
        ];
        for n in names {
            let once = ModelRef::parse(n).unwrap().normalized();
            let twice = ModelRef::parse(&once).unwrap().normalized();
            assert_eq!(once, twice, "{n}");
            assert!(ModelRef::parse(&once)
                .unwrap()
                .same_model(&ModelRef::parse(n).unwrap()));
        }
    }
}
