//! The LLM HTTP APIs the engine understands, recognised by path.
//!
//! The path decides the shape (OpenAI Chat Completions, OpenAI Responses, Anthropic Messages,
//! Ollama native, embeddings, listings); Ollama serves the OpenAI and Anthropic shapes under the
//! same paths as the vendors, so one table covers both. The method does not take part: a body
//! sent with a method the engine did not expect is read as the path's shape all the same, so the
//! method cannot be a way around inspection. Anything else is `Unknown` and its body is scanned
//! as text, never skipped.

pub mod errors;
pub mod go_template;
pub mod request;
pub mod walk;

/// Which API an exchange speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    OpenAiChat,
    OpenAiResponses,
    /// OpenAI legacy `/v1/completions` (`prompt`).
    OpenAiCompletions,
    OpenAiEmbeddings,
    OpenAiModels,
    /// OpenAI `/v1/models/{id}` (retrieve, and delete of a fine-tune): the model is in the path.
    OpenAiModel,
    AnthropicMessages,
    OllamaChat,
    OllamaGenerate,
    OllamaEmbed,
    OllamaTags,
    /// Other Ollama `/api/*` endpoints (show, ps, version, and the model-changing ones).
    OllamaOther,
    Unknown,
}

/// Which family of error body and stream framing an API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    OpenAi,
    Anthropic,
    Ollama,
}

impl ApiKind {
    /// Recognises the API from the request path, read as the most lenient router would
    /// ([`crate::models::admin::normalize_path`]: query ignored, case folded, escapes decoded,
    /// slashes merged, dot segments resolved, matrix parameters and trailing blanks dropped), so
    /// that no spelling of a listing or of a model path reaches an upstream unrecognised.
    pub fn from_path(path: &str) -> Self {
        let normalized = crate::models::admin::normalize_path(path);
        let path = normalized.as_ref();
        let path = path.strip_suffix('/').unwrap_or(path);
        // Some clients put the OpenAI API under a prefix (`/openai/v1/...`, `/v1beta/openai/...`):
        // match on the tail.
        let tail_is = |t: &str| path == t || path.ends_with(t);
        if tail_is("/chat/completions") {
            ApiKind::OpenAiChat
        } else if tail_is("/v1/responses") || path == "/responses" {
            ApiKind::OpenAiResponses
        } else if tail_is("/v1/completions") {
            ApiKind::OpenAiCompletions
        } else if tail_is("/v1/embeddings") {
            ApiKind::OpenAiEmbeddings
        } else if tail_is("/v1/models") {
            ApiKind::OpenAiModels
        } else if path
            .split_once("/v1/models/")
            .is_some_and(|(_, id)| !id.is_empty())
        {
            ApiKind::OpenAiModel
        } else if tail_is("/v1/messages") {
            ApiKind::AnthropicMessages
        } else if path == "/api/chat" {
            ApiKind::OllamaChat
        } else if path == "/api/generate" {
            ApiKind::OllamaGenerate
        } else if path == "/api/embed" || path == "/api/embeddings" {
            ApiKind::OllamaEmbed
        } else if path == "/api/tags" {
            ApiKind::OllamaTags
        } else if path.starts_with("/api/") {
            ApiKind::OllamaOther
        } else {
            ApiKind::Unknown
        }
    }

    pub fn dialect(self) -> Dialect {
        match self {
            ApiKind::AnthropicMessages => Dialect::Anthropic,
            ApiKind::OllamaChat
            | ApiKind::OllamaGenerate
            | ApiKind::OllamaEmbed
            | ApiKind::OllamaTags
            | ApiKind::OllamaOther => Dialect::Ollama,
            _ => Dialect::OpenAi,
        }
    }

    /// True for the APIs that run a model named in the body's `model` (an upstream given none
    /// falls back to a default).
    pub fn runs_named_model(self) -> bool {
        matches!(
            self,
            ApiKind::OpenAiChat
                | ApiKind::OpenAiResponses
                | ApiKind::OpenAiCompletions
                | ApiKind::OpenAiEmbeddings
                | ApiKind::AnthropicMessages
                | ApiKind::OllamaChat
                | ApiKind::OllamaGenerate
                | ApiKind::OllamaEmbed
        )
    }

    /// True for Ollama-native paths, whose model names follow Ollama's naming.
    pub fn is_ollama(self) -> bool {
        self.dialect() == Dialect::Ollama
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ApiKind::OpenAiChat => "openai_chat",
            ApiKind::OpenAiResponses => "openai_responses",
            ApiKind::OpenAiCompletions => "openai_completions",
            ApiKind::OpenAiEmbeddings => "openai_embeddings",
            ApiKind::OpenAiModels => "openai_models",
            ApiKind::OpenAiModel => "openai_model",
            ApiKind::AnthropicMessages => "anthropic_messages",
            ApiKind::OllamaChat => "ollama_chat",
            ApiKind::OllamaGenerate => "ollama_generate",
            ApiKind::OllamaEmbed => "ollama_embed",
            ApiKind::OllamaTags => "ollama_tags",
            ApiKind::OllamaOther => "ollama_other",
            ApiKind::Unknown => "unknown",
        }
    }
}

/// The model id of an OpenAI `/v1/models/{id}` path (under any prefix, query string ignored),
/// percent-decoded as the upstream's router decodes it (`qwen2.5%3A7b` is `qwen2.5:7b`). An id
/// may contain `/` (`library/qwen2.5:7b`); the whole rest of the path is the id.
pub fn model_in_path(path: &str) -> Option<String> {
    // Decoded and with its separators resolved like the path the API was recognised on, but with
    // the id's case and every character of it kept: the id admitted is the id the upstream gets.
    let path = crate::models::admin::segments(path, false);
    let at = path.to_ascii_lowercase().find("/v1/models/")?;
    let rest = path.get(at + "/v1/models/".len()..)?;
    if rest.is_empty() {
        return None;
    }
    Some(rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_paths() {
        let rows = [
            ("/v1/chat/completions", ApiKind::OpenAiChat),
            ("/v1/chat/completions?x=1", ApiKind::OpenAiChat),
            ("/openai/v1/chat/completions", ApiKind::OpenAiChat),
            ("/v1/responses", ApiKind::OpenAiResponses),
            ("/v1/messages", ApiKind::AnthropicMessages),
            ("/api/chat", ApiKind::OllamaChat),
            ("/api/generate/", ApiKind::OllamaGenerate),
            ("/api/embed", ApiKind::OllamaEmbed),
            ("/api/tags", ApiKind::OllamaTags),
            ("/api/pull", ApiKind::OllamaOther),
            ("/v1/models", ApiKind::OpenAiModels),
            ("/v1/models/", ApiKind::OpenAiModels),
            ("/v1/models/qwen2.5:7b", ApiKind::OpenAiModel),
            ("/openai/v1/models/gpt-4o?x=1", ApiKind::OpenAiModel),
            ("/healthz", ApiKind::Unknown),
            // REGRESSION: spellings a lenient router (or Envoy's merge_slashes) reads as a
            // listing or a model path must not pass unrecognised (unfiltered, unadmitted).
            ("/v1//models", ApiKind::OpenAiModels),
            ("/V1/MODELS", ApiKind::OpenAiModels),
            ("/v1/models;x", ApiKind::OpenAiModels),
            ("/v1/./models", ApiKind::OpenAiModels),
            ("/v1/%6dodels", ApiKind::OpenAiModels),
            ("/v1//models/gpt-4o", ApiKind::OpenAiModel),
            ("/V1/MODELS/gpt-4o", ApiKind::OpenAiModel),
            ("/API/TAGS", ApiKind::OllamaTags),
            ("/api//tags", ApiKind::OllamaTags),
            ("/api/pull%20", ApiKind::OllamaOther),
        ];
        for (path, want) in rows {
            assert_eq!(ApiKind::from_path(path), want, "{path}");
        }
    }

    #[test]
    fn model_ids_in_paths() {
        let rows = [
            ("/v1/models/qwen2.5:7b", Some("qwen2.5:7b")),
            ("/v1/models/qwen2.5%3A7b", Some("qwen2.5:7b")),
            ("/v1/models/library/qwen2.5:7b/", Some("library/qwen2.5:7b")),
            ("/v1/models/gpt-4o?x=1", Some("gpt-4o")),
            ("/v1/models", None),
            ("/v1/models/", None),
            ("/v1//models/gpt-4o", Some("gpt-4o")),
            ("/V1/MODELS/Qwen/Qwen2.5-7B", Some("Qwen/Qwen2.5-7B")),
        ];
        for (path, want) in rows {
            assert_eq!(model_in_path(path).as_deref(), want, "{path}");
        }
    }
}
