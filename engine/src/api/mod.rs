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
    /// Recognises the API from the request path (query string ignored, trailing slash tolerated).
    pub fn from_path(path: &str) -> Self {
        let path = path.split(['?', '#']).next().unwrap_or(path);
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
        } else if model_in_path(path).is_some() {
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
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let (_, rest) = path.split_once("/v1/models/")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return None;
    }
    Some(crate::models::admin::percent_decode(rest))
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
        ];
        for (path, want) in rows {
            assert_eq!(model_in_path(path).as_deref(), want, "{path}");
        }
    }
}
