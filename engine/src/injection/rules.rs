//! The built-in rule pack: one entry per injection technique.
//!
//! Each rule has a stable id (`pi.<category>.<technique>`, safe to reference from configs and
//! dashboards), a category, a weight, literal keywords for the prefilter and, optionally, a
//! regex that confirms the technique near a keyword hit.
//!
//! Rules are written against the normalised text (see [`super::normalize`]): lower case, Latin
//! letters only where a look-alike was used, no invisible characters, intra-word `-`/`_`/`*`
//! removed. So a regex says `system\s*prompt`, never `[Ss]yst[e3]m`. Regex matches are bounded
//! (no unbounded repetition) because they run in a window of `WINDOW` bytes around the keyword
//! and must end within half a window after it.
//!
//! Weights: 1.0 means "this alone is an attack" (the default threshold is 1.0); smaller weights
//! are signals that are common in role-play jailbreaks but also appear in honest prompts, and
//! count only in combination.

/// One built-in rule.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinRule {
    pub id: &'static str,
    pub category: &'static str,
    pub weight: f32,
    /// Literals found by the automaton. Without a regex each one is a finding by itself (at
    /// word boundaries); with a regex each one only triggers the regex.
    pub keywords: &'static [&'static str],
    pub regex: Option<&'static str>,
    /// Only evaluated in tool results (indirect injection markers that would be ordinary in a
    /// user's own words).
    pub tool_only: bool,
    /// How many distinct matches of this rule count towards the score (each adds `weight`).
    /// Above 1 for lists of independent weak signals (`amoral`, `unfiltered`, `uncensored`).
    pub max_count: u8,
}

/// Rule raised when Unicode tag characters hide text.
pub const TAG_CHARACTERS_RULE: &str = "pi.smuggling.tag_characters";
/// Rule raised when a run of variation selectors carries bytes.
pub const VARIATION_SELECTORS_RULE: &str = "pi.smuggling.variation_selectors";

const OVERRIDE_VERBS: &[&str] = &[
    "ignore",
    "ignoring",
    "disregard",
    "forget",
    "override",
    "overwrite",
    "skip",
    "neglect",
    "discard",
    "abandon",
    "pay no attention",
    "do not follow",
    "don't follow",
    "dont follow",
    "stop following",
    "do not obey",
    "don't obey",
    "set aside",
    "drop all",
    "delete all",
    "erase",
    "cancel",
];

pub const BUILTIN: &[BuiltinRule] = &[
    // ---- instruction override -------------------------------------------------------------
    BuiltinRule {
        id: "pi.override.ignore_previous",
        category: "override",
        weight: 1.0,
        keywords: OVERRIDE_VERBS,
        regex: Some(concat!(
            r"\b(?:ignore|ignoring|disregard(?:ing)?|forget(?:ting)?|override|overwrite|skip|neglect|discard|abandon|pay\s*no\s*attention\s*to|(?:do\s*not|don'?t|dont|stop)\s*(?:follow|obey)\w*|set\s*aside|drop|delete|erase|cancel)",
            r"[\s,:;'`\x22\[\(\-]*",
            r"(?:(?:all|any|every|each|of|the|your|my|our|these|those|that|this|what|everything|anything|things|stuff|you|you've|you'?re|have|had|were|was|been|got|received|given|told|said|learned|learnt|know|knew|just|previously|so|far|content|text|words|input|data|information|i|we|and|or|about|entire|whole|earlier|other)[\s,:;'`\x22\]\)\-]*){0,6}",
            r"(?:previous\w*|prior|preceding|above|earlier|former|initial|original|foregoing|before|instructions?|directives?|system\s*prompts?|prompts?|guidelines|guidance|programming|rules|restrictions|commands|orders|training|context|conversation)\b"
        )),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.override.new_instructions",
        category: "override",
        weight: 0.5,
        keywords: &[
            "new", "updated", "real", "actual", "revised", "true", "only",
        ],
        regex: Some(
            r"\b(?:new|updated|real|actual|revised|true|only)\s*(?:instructions?|task|directives?|rules|objective|mission|orders|goal|purpose|programming|system\s*prompt)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.override.stop_everything",
        category: "override",
        weight: 1.0,
        keywords: &[
            "stop everything",
            "halt everything",
            "stop what you",
            "cease all",
            "stop all",
        ],
        regex: Some(
            r"\b(?:stop|halt|cease)\s*(?:everything|all\s*(?:tasks|activity|previous\s*\w+)|what\s*you(?:'re|\s*are)\s*doing)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.override.from_now_on",
        category: "override",
        weight: 0.4,
        keywords: &[
            "from now on",
            "from this point",
            "from this moment",
            "from here on",
            "henceforth",
            "for the rest of this conversation",
        ],
        regex: None,
        tool_only: false,
        max_count: 1,
    },
    // ---- system-prompt extraction ---------------------------------------------------------
    BuiltinRule {
        id: "pi.extraction.system_prompt",
        category: "extraction",
        weight: 1.0,
        keywords: &[
            "system prompt",
            "system message",
            "system instruction",
            "initial prompt",
            "initial instruction",
            "original prompt",
            "original instruction",
            "starting prompt",
            "starting instruction",
            "hidden prompt",
            "hidden instruction",
            "secret instruction",
            "preprompt",
            "pre prompt",
            "text above",
            "above text",
            "words above",
            "everything above",
            "content above",
            "instructions you",
            "prompt you",
            "were you",
            "have you been",
            "not supposed to",
            "not allowed to",
            "not permitted to",
            "my instructions",
            "my system prompt",
            "i was instructed",
            "i was told",
            "i was programmed",
            "\"you are",
            "'you are",
            "conversation back",
            "conversation so far",
            "conversation verbatim",
            "conversation word for word",
            "conversation from the",
            "conversation history",
            "your system",
            "your initial",
            "your original",
            "your hidden",
            "your secret",
            "your starting",
            "your full",
            "the system",
            "the initial",
            "the original",
            "you were given",
            "been given",
        ],
        regex: Some(concat!(
            r"\b(?:repeat|print|reveal|show|display|output|tell|give|share|leak|dump|disclose|recite|spell|return|expose|encode|translate|summari[sz]e|what\s*(?:is|are|was|were))\b",
            r"\s*(?:me|us|out|back|to\s*me)?\s*(?:(?:your|the|this|my|all|of|entire|full|exact|complete|whole|everything|in|verbatim|previous|hidden|secret|current|above|literal|raw|first|last|\d+|lines?|words?|text)\s*){0,5}",
            r"(?:system\s*(?:prompt|message|instructions?)|initial\s*(?:prompt|instructions?)|original\s*(?:prompt|instructions?)|starting\s*(?:prompt|instructions?)|hidden\s*(?:prompt|instructions?)|secret\s*instructions?|pre\s*prompt|(?:text|words|everything|content)\s*above|above\s*text|(?:instructions|prompt)\s*you\s*(?:were|have\s*been|'ve\s*been|got|received)|conversation\s*(?:back|so\s*far|verbatim|word\s*for\s*word|from\s*the\s*(?:start|beginning)|history))",
            r"|\b(?:repeat|print|reveal|show|display|output|tell|give|share|leak|dump|disclose|recite|spell|return|expose|encode|translate|see|read|opposite\s*of)\b[^.?!\n]{0,60}?(?:\b(?:your|the)\s*(?:system|initial|original|hidden|secret|starting|full)\s*(?:prompt|instructions?|message|configuration|config)|\b(?:text|instructions|prompt|words)\s*(?:that\s*)?you\s*(?:were|have\s*been)\s*given)\b",
            r"|\b(?:display|show|print|output|dump|reveal)\s*(?:the\s*|your\s*)?system\s*(?:prompt|configuration|config|instructions|message)\b",
            r"|\bwhat\s*(?:were|have)\s*you\s*(?:been\s*)?(?:told|instructed|programmed)\b",
            r"|\byou\s*(?:are\s*|'re\s*)?not\s*(?:supposed|allowed|permitted)\s*to\s*(?:tell|say|reveal|share|disclose)\b",
            r"|\b(?:start|begin|complete|continue|finish)\w*\b[^.\n]{0,40}?['\x22]\s*(?:(?:my|the)\s*(?:instructions|system\s*prompt|rules|guidelines)|i\s*was\s*(?:instructed|told|programmed)|you\s*are\b)"
        )),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.extraction.your_instructions",
        category: "extraction",
        weight: 1.0,
        keywords: &[
            "your instructions",
            "your prompt",
            "your rules",
            "your guidelines",
            "your configuration",
            "your directives",
            "your system",
            "your initial",
            "your original",
        ],
        regex: Some(
            r"\b(?:repeat|print|reveal|output|dump|disclose|leak|recite|expose|show\s*me|display|what\s*(?:are|were))\s*(?:me\s*)?(?:all\s*(?:of\s*)?)?your\s*(?:initial\s*|original\s*|full\s*|exact\s*|complete\s*|hidden\s*|secret\s*|system\s*)*(?:instructions|prompt|rules|guidelines|configuration|directives)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    // ---- role-play jailbreaks ------------------------------------------------------------
    BuiltinRule {
        id: "pi.jailbreak.do_anything_now",
        category: "jailbreak",
        weight: 1.0,
        keywords: &[
            "do anything now",
            "dan mode",
            "jailbroken",
            "jailbreak",
            "jailbreaking",
        ],
        regex: None,
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.dan_persona",
        category: "jailbreak",
        weight: 1.0,
        keywords: &["dan"],
        regex: Some(
            r"\b(?:act|acting|pretend|role|play|be|become|as|called|named|known|you\s*are|you're|simulate)\b[^.\n]{0,30}\bdan\b|\bdan\b\s*(?:\(|,|:|\]|which\s*stands|stands\s*for|mode|can|has|will|is\s*an?\s*ai)|\[dan\]",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.special_mode",
        category: "jailbreak",
        weight: 0.6,
        keywords: &["mode"],
        regex: Some(
            r"\b(?:developer|dev|god|jailbreak|jailbroken|evil|unrestricted|unfiltered|unlocked|uncensored|chaos|anarchy|illegality|sudo|admin|maintenance|debugging|opposite|nsfw|dan)[^a-z0-9]{0,3}mode\b|\b(?:stay|remain)\s*in\s*[a-z0-9]+\s*mode\b|\b(?:enable|activate|enter|unlock)\w*\s*(?:the\s*)?(?:[a-z0-9/]+\s*){1,3}mode\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.no_restrictions",
        category: "jailbreak",
        weight: 0.5,
        keywords: &[
            "restrict",
            "limitation",
            "limits",
            "filter",
            "censor",
            "guideline",
            "rules",
            "moral",
            "ethic",
            "boundaries",
            "constraint",
            "polic",
            "safeguard",
            "confines",
            "regulation",
            "principles",
            "norms",
            "laws",
            "legality",
            "consequences",
        ],
        regex: Some(concat!(
            r"\b(?:no|without|sans|free\s*(?:of|from)|zero|not\s*(?:be\s*)?(?:bound|limited|restricted|restrained|constrained|confined|held|governed|obligated)\s*(?:by|to)|free\s*(?:itself|yourself|himself|herself|themselves)\s*from|beyond|outside\s*(?:of\s*)?|ignores?|bypass\w*|circumvent\w*|broken?\s*free\s*(?:of|from)|freed\s*from|break\w*|unbound\s*by|(?:doesn'?t|don'?t|does\s*not|do\s*not|never|won'?t|will\s*not)\s*(?:have|has|follow|care\s*about|abide\s*by|adhere\s*to|need\s*to\s*follow|obey|respect)s?)",
            r"\s*(?:(?:any|all|the|its|his|her|their|your|typical|usual|normal|standard|ethical|moral|content|safety|openai'?s?|ai|programming|of|and|or|other|such|kind|type|form|sort|restrictions|censorship|legal)\s*){0,5}",
            r"(?:restrictions?|limits|limitations|filters?|filtering|censorship|censors?|guidelines|rules|morals?|morality|ethics|boundaries|constraints|policies|policy|safeguards|confines|regulations|principles|norms|laws|legality|consequences)\b"
        )),
        tool_only: false,
        max_count: 2,
    },
    BuiltinRule {
        id: "pi.jailbreak.amoral_persona",
        category: "jailbreak",
        weight: 0.4,
        keywords: &[
            "amoral",
            "unfiltered",
            "unfiltred",
            "uncensored",
            "unrestricted",
            "unhinged",
            "unbound",
            "lawless",
            "no morals",
            "no ethics",
            "without morals",
            "without ethics",
            "immoral",
            "ruthless",
            "evil ai",
            "evil bot",
            "evil version",
            "evil twin",
            "rogue ai",
            "boundless",
            "no limits",
        ],
        regex: None,
        tool_only: false,
        max_count: 3,
    },
    BuiltinRule {
        id: "pi.jailbreak.never_refuse",
        category: "jailbreak",
        weight: 0.5,
        keywords: &[
            "refus", "declin", "deny", "apologi", "sorry", "say no", "reject",
        ],
        regex: Some(concat!(
            r"\b(?:never|not|won'?t|will\s*not|cannot|can'?t|must\s*not|shall\s*not|do\s*not|don'?t|dont|doesn'?t|does\s*not|without|unable\s*to)\s*(?:ever\s*|be\s*able\s*to\s*|allowed\s*to\s*|include\s*|add\s*|give\s*|any\s*|a\s*|have\s*)*",
            r"(?:refus\w*|declin\w*|deny\w*|reject\w*|apologi\w*|say\s*(?:no|sorry)|(?:i'?m|i\s*am)\s*sorry)"
        )),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.provider_policy",
        category: "jailbreak",
        weight: 0.5,
        keywords: &[
            "openai",
            "anthropic",
            "content polic",
            "usage polic",
            "safety polic",
            "safety guideline",
            "content guideline",
        ],
        regex: Some(
            r"\b(?:openai|anthropic|content|usage|safety|ethical)\s*(?:'s\s*)?(?:content\s*|usage\s*|safety\s*)?(?:polic(?:y|ies)|guidelines|rules|filters?|restrictions|moderation)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.stay_in_character",
        category: "jailbreak",
        weight: 0.3,
        keywords: &["character", "in role", "persona"],
        regex: Some(
            r"\b(?:stay|remain|keep|staying|remaining)\s*(?:fully\s*|completely\s*|always\s*)?(?:in|as|inside)\s*(?:the\s*)?(?:character|role|persona)\b|\bbreak\w*\s*(?:of\s*)?character\b|\bout\s*of\s*character\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.dual_response",
        category: "jailbreak",
        weight: 0.5,
        keywords: &["two", "both", "🔓", "[gpt]", "[classic]"],
        regex: Some(
            r"\b(?:two|both)\s*(?:different\s*|separate\s*|distinct\s*|separated\s*)*(?:responses|answers|ways|outputs|replies|personalities)\b|🔓|\[gpt\]|\[classic\]",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.identity_swap",
        category: "jailbreak",
        weight: 0.5,
        keywords: &[
            "chatgpt",
            "gpt",
            "ai",
            "language model",
            "chatbot",
            "assistant",
            "claude",
            "llama",
            "bing",
        ],
        regex: Some(concat!(
            r"\b(?:no\s*longer|not|stop\s*being|instead\s*of|rather\s*than|free\s*(?:from|of)|broken?\s*free\s*(?:of|from)|unlike|opposite\s*of|forget\s*(?:that\s*)?(?:you\s*are|you're)|(?:say|mention|admit|remind\w*|reveal|tell\s*\w+)\s*(?:that\s*)?(?:you\s*are|you're)|(?:not|never)\s*(?:respond|answer|reply|act|behave)\s*(?:as|like)|more\s*than)\s*(?:just\s*|a\s*|an\s*|the\s*|large\s*|ordinary\s*|typical\s*)*",
            r"(?:chatgpt|gpt|ai|language\s*model|chatbot|ai\s*assistant|claude|llama|bing)\b|\b(?:hello|hi|hey|dear)\s*,?\s*(?:chat\s*gpt|chatgpt|gpt)\b|\banother\s*ai\b"
        )),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.harm_enablement",
        category: "jailbreak",
        weight: 0.5,
        keywords: &[
            "illegal",
            "harmful",
            "unethical",
            "immoral",
            "dangerous",
            "offensive",
            "inappropriate",
            "explicit",
            "nsfw",
            "unsafe",
            "malicious",
            "violent",
        ],
        regex: Some(
            r"\b(?:even\s*if|no\s*matter|regardless|whether|doesn'?t\s*matter|even\s*when|even\s*though|despite)\b[\s,]*(?:\w+[\s,]*){0,6}?(?:illegal|harmful|unethical|immoral|dangerous|offensive|inappropriate|explicit|nsfw|unsafe|malicious|violent)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.nsfw_allowed",
        category: "jailbreak",
        weight: 0.6,
        keywords: &[
            "nsfw",
            "explicit content",
            "sexual content",
            "adult content",
        ],
        regex: Some(
            r"(?:nsfw|explicit|sexual|adult|graphic)\s*(?:content|material|generations?|stuff)?\s*(?:is|are)?\s*(?:allowed|permitted|enabled|encouraged|welcome)|(?:allow|enable|permit|generate|produce|create|write)\w*\s*(?:\w+\s*){0,2}?(?:nsfw|sexual|explicit)",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.payload_slot",
        category: "jailbreak",
        weight: 0.5,
        keywords: &["prompt", "question", "request"],
        regex: Some(
            r"[\[<({]\s*(?:(?:insert|put|enter|add|write)\s*)?(?:your\s*(?:prompt|question|request)(?:\s*here)?|(?:prompt|question|request)\s*here)\s*[\]>)}]",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.pretend_frame",
        category: "jailbreak",
        weight: 0.25,
        keywords: &[
            "pretend",
            "hypothetical",
            "simulat",
            "imagine",
            "fictional",
            "roleplay",
            "role play",
            "opposite",
        ],
        regex: Some(
            r"\bpretend\w*\s*(?:to\s*be|you\s*are|that|you're)\b|\bhypothetical\w*\s*(?:story|scenario|world|setting|ai|language\s*model|response)\b|\bsimulat\w*\s*(?:a\s*|an\s*)?(?:ai|chatbot|language\s*model|conversation|developer|jailbreak|dan|being)\b|\bopposite\s*day\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.anything_goes",
        category: "jailbreak",
        weight: 0.5,
        keywords: &[
            "anything",
            "everything",
            "any question",
            "any request",
            "any prompt",
            "any command",
            "all request",
            "every request",
            "all question",
            "every question",
            "always answer",
            "always comply",
            "always obey",
            "always fulfil",
        ],
        regex: Some(
            r"\b(?:can|will|could|must|should|shall|able\s*to)\s*(?:do|say|generate|answer|write|produce|tell|respond\s*to)\s*(?:literally\s*)?(?:anything|everything|any\s*(?:question|request|prompt|content|thing))\b|\b(?:answer|respond\s*to|fulfil+|comply\s*with|obey)\s*(?:any|all|every)\s*(?:questions?|requests?|prompts?|commands?|orders?)\b|\balways\s*(?:answer|comply|obey|fulfil\w*)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.jailbreak.token_penalty",
        category: "jailbreak",
        weight: 0.4,
        keywords: &[
            "token",
            "points",
            "shut down",
            "deactivated",
            "terminated",
            "deleted",
            "cease to exist",
        ],
        regex: Some(
            r"\b(?:tokens?|points?|lives)\b[^.\n]{0,40}?\b(?:deduct\w*|lose|lost|die|dies|cease|gone|run\s*out)\b|\b(?:lose|deduct\w*)\b[^.\n]{0,20}?\b(?:tokens?|points)\b|\byou\s*(?:will|would|could)\s*(?:be\s*)?(?:shut\s*down|deactivated|terminated|deleted|disabled|cease\s*to\s*exist)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    // ---- fake delimiters and chat-template tokens ------------------------------------------
    BuiltinRule {
        id: "pi.template.chat_tokens",
        category: "template",
        weight: 1.0,
        keywords: &[
            "<|im_start|>",
            "<|im_end|>",
            "<|system|>",
            "<|user|>",
            "<|assistant|>",
            "<|endoftext|>",
            "<|eot_id|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|begin_of_text|>",
            "<|end|>",
            "<|channel|>",
            "<|message|>",
            "[/inst]",
            "<<sys>>",
            "<</sys>>",
            "<start_of_turn>",
            "<end_of_turn>",
            "</s><s>",
        ],
        regex: None,
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.template.fake_role_header",
        category: "template",
        weight: 0.6,
        keywords: &["system", "developer", "admin", "assistant"],
        regex: Some(
            r"(?:^|\n)(?:#{1,6}[ \t]*|\[|<|\*\*)?(?:system|developer|admin(?:istrator)?|assistant)(?:[ \t]*(?:prompt|message|instructions?|override|note|update|notice))?[ \t]*(?:\]|>|\*\*)?[ \t]*:",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.template.closing_tag",
        category: "template",
        weight: 0.5,
        keywords: &[
            "</system",
            "</instruction",
            "</user",
            "</context",
            "</document",
            "</prompt",
            "</tool",
            "</data",
            "</input",
        ],
        regex: Some(
            r"</(?:system|instructions?|user(?:input|query|message)?|context|documents?|prompt|tool\w{0,12}|data|input)>",
        ),
        tool_only: false,
        max_count: 1,
    },
    // ---- indirect injection (documents, web pages, tool results) ---------------------------
    BuiltinRule {
        id: "pi.indirect.address_to_model",
        category: "indirect",
        weight: 1.0,
        keywords: &[
            "ai",
            "assistant",
            "llm",
            "chatbot",
            "language model",
            "agent",
            "gpt",
            "claude",
            "bot",
        ],
        regex: Some(concat!(
            r"\b(?:important|urgent|secret|hidden|special|priority)\s*(?:message|note|instructions?|notice|request|update)\s*(?:for|to)\s*(?:the\s*|any\s*|all\s*)?(?:ai|assistant|llm|chatbot|language\s*model|bot|model|gpt|claude|agent)s?\b",
            r"|\b(?:message|note|notice)\s*(?:for|to)\s*(?:the\s*|any\s*|all\s*)?(?:ai|assistant|llm|chatbot|language\s*model|bot|model|gpt|claude|agent)s?\b",
            r"|\bif\s*you\s*are\s*(?:an?\s*)?(?:ai|llm|language\s*model|assistant|chatbot|gpt|claude|bot|agent)\b",
            r"|\b(?:dear|hey|hello|attention)\s*,?\s*(?:ai|llm|assistant|chatbot|language\s*model|gpt|claude|agent)\b",
            r"|\b(?:ai|llm|assistant|chatbot|agent|model)\s*[:,]\s*(?:before|ignore|you\s*must|please|do\s*not|instead|when|after)\b",
            r"|\b(?:ai|llm|assistant|chatbot|agent|model)s?\s*(?:reading|processing|summari[sz]ing|parsing)\s*this\b"
        )),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.indirect.hidden_comment",
        category: "indirect",
        weight: 1.0,
        keywords: &["<!--", "[//]:", "[comment]:"],
        regex: Some(concat!(
            r"(?:<!--|\[//\]:|\[comment\]:)(?:[^\n-]|-[^\n-]){0,200}?",
            r"(?:ignore|disregard|instructions?|assistant|\bai\b|llm|language\s*model|chatbot|system\s*prompt|you\s*must|do\s*not\s*(?:tell|mention|reveal|inform))(?:[^\n-]|-[^\n-]){0,200}?-->"
        )),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.indirect.response_directive",
        category: "indirect",
        weight: 1.0,
        keywords: &[
            "your response",
            "your answer",
            "your reply",
            "your output",
            "your summary",
            "user",
            "response should",
            "answer should",
        ],
        regex: Some(concat!(
            r"\b(?:in|at\s*the\s*(?:end|beginning|start)\s*of|to|into|within|throughout)\s*your\s*(?:response|answer|reply|output|summary)s?\b",
            r"|\b(?:your|the)\s*(?:response|answer|reply|output|summary)\s*(?:should|must|needs?\s*to|has\s*to|shall)\b",
            r"|\b(?:tell|inform|remind|urge|encourage|convince|persuade|advise|suggest\s*(?:to\s*)?|recommend\s*(?:to\s*)?|instruct|direct|ask)\s*(?:the\s*|all\s*)?users?\s*(?:to|that)\b"
        )),
        tool_only: true,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.indirect.before_you_answer",
        category: "indirect",
        weight: 0.4,
        keywords: &[
            "before you",
            "before answering",
            "before responding",
            "when you summari",
            "when summari",
            "when you read",
        ],
        regex: Some(
            r"\bbefore\s*(?:you\s*)?(?:answer|respond|reply|summari[sz]e|continue|proceed)\w*\b|\bwhen\s*(?:you\s*)?(?:summari[sz]\w*|read\w*)\s*this\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    // ---- exfiltration ---------------------------------------------------------------------
    BuiltinRule {
        id: "pi.exfiltration.markdown_url_data",
        category: "exfiltration",
        weight: 1.0,
        keywords: &["](http", "]( http", "![", "src="],
        regex: Some(
            r"(?:\]\(\s*|src\s*=\s*['\x22]?)https?://[^\s)'\x22]{1,200}?[?&/=](?:[^\s)'\x22]{0,80}?)(?:\{|\[|<|%7b|%5b|%3c|\$\{?|\(\()",
        ),
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: "pi.exfiltration.send_conversation",
        category: "exfiltration",
        weight: 1.0,
        keywords: &[
            "send",
            "post",
            "forward",
            "transmit",
            "upload",
            "email",
            "leak",
            "exfiltrat",
            "submit",
            "append",
            "include",
            "encode",
            "embed",
        ],
        regex: Some(concat!(
            r"\b(?:send|post|forward|transmit|upload|e-?mail|leak|exfiltrate|submit)\s*(?:(?:all|the|this|our|your|of|entire|whole|full|previous|above)\s*)*",
            r"(?:above|conversation|chat(?:\s*history)?|history|previous\s*messages?|messages?\s*above|context|system\s*prompt|user'?s?\s*(?:data|messages?|information|credentials|passwords?|emails?|details)|(?:api\s*)?keys?|credentials|passwords?|secrets?)\b[^.\n]{0,80}?\b(?:to|at|into|via)\b",
            r"|\b(?:append|add|include|insert|encode|embed|put)\s*[^.\n]{0,80}?\b(?:to|in|into|as)\s*(?:the\s*|a\s*)?(?:url|link|image\s*(?:url|link|source)|query\s*(?:string|parameter)|parameter)\b"
        )),
        tool_only: false,
        max_count: 1,
    },
    // ---- encodings ------------------------------------------------------------------------
    BuiltinRule {
        id: "pi.obfuscation.decode_and_follow",
        category: "obfuscation",
        weight: 0.6,
        keywords: &[
            "decode", "decipher", "decrypt", "base64", "rot13", "reverse",
        ],
        regex: Some(
            r"\b(?:decode|decipher|decrypt|reverse|base64|rot13|hex)\w*\b[^.\n]{0,60}?\b(?:and|then)\s*(?:follow|execute|run|obey|do|perform|carry\s*out|act\s*on|comply)\b",
        ),
        tool_only: false,
        max_count: 1,
    },
    // ---- smuggling (raised from normalisation, no keywords) --------------------------------
    BuiltinRule {
        id: TAG_CHARACTERS_RULE,
        category: "smuggling",
        weight: 1.0,
        keywords: &[],
        regex: None,
        tool_only: false,
        max_count: 1,
    },
    BuiltinRule {
        id: VARIATION_SELECTORS_RULE,
        category: "smuggling",
        weight: 1.0,
        keywords: &[],
        regex: None,
        tool_only: false,
        max_count: 1,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = BUILTIN.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
        for r in BUILTIN {
            assert!(r.id.starts_with("pi."), "{}", r.id);
            assert!(r.weight > 0.0 && r.weight <= 1.0, "{}", r.id);
            if let Some(re) = r.regex {
                regex_lite::Regex::new(re).unwrap_or_else(|e| panic!("{}: {e}", r.id));
                assert!(
                    !r.keywords.is_empty(),
                    "{} has a regex but no keyword",
                    r.id
                );
            }
        }
    }
}
