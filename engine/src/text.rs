//! Texts the model will read, with where each came from.
//!
//! Request parsing turns every shape (OpenAI, Anthropic, Ollama, unknown) into a flat list of
//! [`ScanText`]s; detectors never see JSON. The origin travels into audit events so an operator
//! can tell which message and part triggered a rule.

/// What kind of text this is, for per-kind scanning policy (e.g. a separate threshold for tool
/// results, which carry indirect injection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// System or developer instructions (`system`, `developer`, `instructions`, Ollama `system`).
    System,
    /// A user turn, an Ollama `prompt` / `suffix`, or a Responses `input` string.
    User,
    /// Assistant history sent back to the model.
    Assistant,
    /// Tool / function results, documents and retrieved context: untrusted data written by a
    /// third party, the indirect-injection channel.
    ToolResult,
    /// Tool definitions offered to the model (names, descriptions, input schemas): third-party
    /// text (MCP servers, plugins), judged for poisoning.
    ToolDefinition,
    /// Texts sent for embedding (`/v1/embeddings`, `/api/embed`): documents no model follows.
    Embedding,
    /// Prompt templates (Ollama `template`).
    Template,
    /// Arguments of tool calls in assistant history, tool descriptions and other text fields.
    Other,
    /// A body that was not recognised as any API shape, scanned as plain text.
    Unparsed,
}

impl TextKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TextKind::System => "system",
            TextKind::User => "user",
            TextKind::Assistant => "assistant",
            TextKind::ToolResult => "tool_result",
            TextKind::ToolDefinition => "tool_definition",
            TextKind::Embedding => "embedding",
            TextKind::Template => "template",
            TextKind::Other => "other",
            TextKind::Unparsed => "unparsed",
        }
    }
}

/// One text the model will read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanText {
    pub text: String,
    pub kind: TextKind,
    /// Human-readable location for audit events, a JSON-pointer-like path such as
    /// `messages[2].content[0].text` or `prompt`.
    pub location: String,
}

impl ScanText {
    pub fn new(text: impl Into<String>, kind: TextKind, location: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            kind,
            location: location.into(),
        }
    }
}
