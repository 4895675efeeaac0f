//! Allow/deny entries of the `models` section, compiled once for both namings.
//!
//! An entry is read twice: as an Ollama name pattern (parts filled with the Ollama defaults and
//! matched part by part, so a `*` never reaches across a `/` or `:`) and as an opaque id glob for
//! OpenAI/Anthropic ids. `*` alone (or `**`...) matches every model in both namings. An entry that
//! is not a valid Ollama pattern (an OpenAI fine-tune id such as `ft:gpt-4o:org::x`) only
//! matches opaque ids. An `@sha256:` digest on an entry restricts it to that digest; an entry
//! without one matches every digest of the name.

use super::model_ref::{split_digest, ModelRef};
use crate::glob::NameGlob;

#[derive(Debug, Clone)]
pub struct ModelPattern {
    everything: bool,
    /// The entry names one model (no `*` or `?`).
    exact: bool,
    ollama: Option<OllamaPattern>,
    opaque: NameGlob,
    digest: Option<String>,
}

#[derive(Debug, Clone)]
struct OllamaPattern {
    host: NameGlob,
    namespace: NameGlob,
    model: NameGlob,
    tag: NameGlob,
}

/// A requested name, read in one naming.
#[derive(Debug, Clone, Copy)]
pub enum RequestedModel<'a> {
    Ollama(ModelRef<'a>),
    Opaque {
        id: &'a str,
        digest: Option<&'a str>,
    },
}

impl RequestedModel<'_> {
    pub fn digest(&self) -> Option<&str> {
        match self {
            Self::Ollama(r) => r.digest,
            Self::Opaque { digest, .. } => *digest,
        }
    }
}

impl ModelPattern {
    /// Compiles an entry; `Err` carries a message for the entry's config path.
    pub fn compile(entry: &str) -> Result<Self, String> {
        if entry.is_empty() {
            return Err("empty model name".into());
        }
        if entry.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("whitespace or control character in model name".into());
        }
        let (id, digest) =
            split_digest(entry).map_err(|e| format!("model name {}", e.describe()))?;
        let ollama = ModelRef::parse_pattern(entry).ok().map(|r| OllamaPattern {
            host: NameGlob::new(r.host),
            namespace: NameGlob::new(r.namespace),
            model: NameGlob::new(r.model),
            tag: NameGlob::new(r.tag),
        });
        let opaque = NameGlob::new(id);
        Ok(Self {
            everything: opaque.matches_everything(),
            exact: !id.contains(['*', '?']),
            ollama,
            opaque,
            digest: digest.map(str::to_ascii_lowercase),
        })
    }

    /// Whether the entry names one model rather than a glob.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    pub fn matches(&self, requested: &RequestedModel<'_>) -> bool {
        if let Some(want) = &self.digest {
            if !requested
                .digest()
                .is_some_and(|d| d.eq_ignore_ascii_case(want))
            {
                return false;
            }
        }
        if self.everything {
            return true;
        }
        match requested {
            RequestedModel::Ollama(r) => self.ollama.as_ref().is_some_and(|p| {
                p.host.matches_ignore_case(r.host)
                    && p.namespace.matches_ignore_case(r.namespace)
                    && p.model.matches_ignore_case(r.model)
                    && p.tag.matches_ignore_case(r.tag)
            }),
            RequestedModel::Opaque { id, .. } => self.opaque.matches_ignore_case(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ollama(name: &str) -> RequestedModel<'_> {
        RequestedModel::Ollama(ModelRef::parse(name).unwrap())
    }

    fn opaque(id: &str) -> RequestedModel<'_> {
        let (id, digest) = split_digest(id).unwrap();
        RequestedModel::Opaque { id, digest }
    }

    #[test]
    fn table() {
        let hex = "ab".repeat(32);
        let pinned = format!("llama3.2:3b@sha256:{hex}");
        let rows: Vec<(&str, &str, RequestedModel<'_>, bool)> = vec![
            ("exact", "llama3.2:3b", ollama("llama3.2:3b"), true),
            (
                "defaults",
                "llama3.2",
                ollama("registry.ollama.ai/library/llama3.2:latest"),
                true,
            ),
            (
                "full pattern short name",
                "registry.ollama.ai/library/llama3.2:latest",
                ollama("llama3.2"),
                true,
            ),
            (
                "bare is latest only",
                "llama3.2",
                ollama("llama3.2:3b"),
                false,
            ),
            ("any tag", "llama3.2:*", ollama("llama3.2:3b"), true),
            (
                "any tag other model",
                "llama3.2:*",
                ollama("llama3.3:70b"),
                false,
            ),
            ("case", "Llama3.2:3B", ollama("LLAMA3.2:3b"), true),
            ("namespace glob", "myorg/*:*", ollama("myorg/m:v1"), true),
            ("namespace glob library", "myorg/*:*", ollama("m:v1"), false),
            (
                "star everything ollama",
                "*",
                ollama("evil.host/x/y:z"),
                true,
            ),
            ("star everything opaque", "*", opaque("gpt-4o"), true),
            (
                "star colon star library only",
                "*:*",
                ollama("myorg/m:v1"),
                false,
            ),
            (
                "quant suffix",
                "*:*-q4_K_M",
                ollama("qwen2.5:7b-instruct-q4_K_M"),
                true,
            ),
            (
                "opaque exact",
                "gpt-4o-2024-08-06",
                opaque("GPT-4o-2024-08-06"),
                true,
            ),
            (
                "opaque prefix glob",
                "claude-*",
                opaque("claude-sonnet-4-5"),
                true,
            ),
            ("opaque no partial", "gpt-4o", opaque("gpt-4o-mini"), false),
            (
                "opaque fine tune",
                "ft:gpt-4o:org::abc",
                opaque("ft:gpt-4o:org::abc"),
                true,
            ),
            (
                "opaque pattern never ollama",
                "ft:gpt-4o:org::abc",
                ollama("gpt-4o"),
                false,
            ),
            (
                "digest required",
                pinned.as_str(),
                ollama("llama3.2:3b"),
                false,
            ),
            ("digest matches", pinned.as_str(), ollama(&pinned), true),
            (
                "no digest matches any digest",
                "llama3.2:3b",
                ollama(&pinned),
                true,
            ),
        ];
        for (name, entry, requested, want) in rows {
            let p = ModelPattern::compile(entry).unwrap();
            assert_eq!(p.matches(&requested), want, "{name}");
        }
    }

    #[test]
    fn bad_entries() {
        for entry in ["", " llama", "m@sha256:00", "a\nb"] {
            assert!(ModelPattern::compile(entry).is_err(), "{entry:?}");
        }
    }
}
