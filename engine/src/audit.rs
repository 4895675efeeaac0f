//! Audit events: one per decision, never carrying the matched text.
//!
//! An event says which rule fired, where, and what was done; the match itself is represented by
//! a short non-cryptographic fingerprint (FNV-1a 64) so that repeated leaks of the same value can
//! be correlated without the log becoming a second copy of the secret.

/// Which part of the exchange a decision was taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    RequestHeaders,
    RequestBody,
    ResponseHeaders,
    ResponseBody,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::RequestHeaders => "request_headers",
            Phase::RequestBody => "request_body",
            Phase::ResponseHeaders => "response_headers",
            Phase::ResponseBody => "response_body",
        }
    }
}

/// What the filter did about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Blocked,
    Redacted,
    Stripped,
    Rewritten,
    /// Monitor mode: the decision was taken, counted and logged, and the traffic let through.
    Monitored,
    Allowed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Blocked => "block",
            Outcome::Redacted => "redact",
            Outcome::Stripped => "strip",
            Outcome::Rewritten => "rewrite",
            Outcome::Monitored => "monitor",
            Outcome::Allowed => "allow",
        }
    }
}

/// What kind of decision an event records (the `category` of its log line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    PromptInjection,
    Secret,
    Tool,
    Model,
    /// A configured bound (body size, inspection work, held bytes).
    Limit,
    /// Input the engine refuses to read (invalid or ambiguous JSON, compressed bodies).
    Input,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::PromptInjection => "prompt_injection",
            Category::Secret => "secret",
            Category::Tool => "tool",
            Category::Model => "model",
            Category::Limit => "limit",
            Category::Input => "input",
        }
    }
}

/// One decision, as logged and counted.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub rule_id: String,
    pub category: Category,
    pub phase: Phase,
    pub outcome: Outcome,
    /// Where in the body: e.g. `messages[2].content` or `choices[0].delta.content@137`.
    pub location: String,
    /// Fingerprint of the matched bytes (16 hex digits), empty when there is no match text.
    pub match_hash: String,
    /// Prompt injection: the position's score (rules plus the learned detector), or for the
    /// learned detector's own event its probability. `None` elsewhere.
    pub score: Option<f32>,
}

impl AuditEvent {
    /// A decision with no matched text (a refusal, a tool or model decision, a limit).
    pub fn decision(
        rule_id: impl Into<String>,
        category: Category,
        phase: Phase,
        outcome: Outcome,
        location: impl Into<String>,
    ) -> Self {
        Self {
            rule_id: rule_id.into(),
            category,
            phase,
            outcome,
            location: location.into(),
            match_hash: String::new(),
            score: None,
        }
    }

    /// One JSON line for the host's log.
    pub fn to_json(&self, policy: &str) -> String {
        let mut v = serde_json::json!({
            "rule": self.rule_id,
            "category": self.category.as_str(),
            "phase": self.phase.as_str(),
            "action": self.outcome.as_str(),
            "location": self.location,
            "match_hash": self.match_hash,
            "policy": policy,
        });
        if let (Some(score), Some(o)) = (self.score, v.as_object_mut()) {
            // Two decimals: enough to tune a threshold, stable in logs.
            o.insert(
                "score".into(),
                ((f64::from(score) * 100.0).round() / 100.0).into(),
            );
        }
        v.to_string()
    }
}

/// FNV-1a 64 of `bytes`, as 16 lowercase hex digits.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
