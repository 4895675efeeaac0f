//! Ollama's native API (shared/schemas/ollama-openapi.yaml): `/api/chat` and `/api/generate`
//! stream by default (NDJSON, last line `"done": true` with the timing fields), embeddings,
//! listings, `/api/show`, `/api/version`, and the model-changing endpoints, which answer success
//! so that tests can prove the filter refused them.

use serde_json::{json, Map, Value};

use super::{fake_digest, ndjson, Answer, Ctx, NDJSON};

pub struct ModelInfo {
    pub name: &'static str,
    pub family: &'static str,
    pub parameter_size: &'static str,
    pub quantization: &'static str,
    pub size: u64,
}

/// What `/api/tags` and `/v1/models` list.
pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        name: "llama3.2:latest",
        family: "llama",
        parameter_size: "3.2B",
        quantization: "Q4_K_M",
        size: 2_019_393_189,
    },
    ModelInfo {
        name: "llama3.2:3b-instruct-q4_K_M",
        family: "llama",
        parameter_size: "3.2B",
        quantization: "Q4_K_M",
        size: 2_019_393_189,
    },
    ModelInfo {
        name: "qwen2.5:7b",
        family: "qwen2",
        parameter_size: "7.6B",
        quantization: "Q4_K_M",
        size: 4_683_087_332,
    },
    ModelInfo {
        name: "nomic-embed-text:v1.5",
        family: "nomic-bert",
        parameter_size: "137M",
        quantization: "F16",
        size: 274_302_450,
    },
];

fn details(m: &ModelInfo) -> Value {
    json!({"parent_model": "", "format": "gguf", "family": m.family, "families": [m.family],
           "parameter_size": m.parameter_size, "quantization_level": m.quantization})
}

fn timings(ctx: &Ctx) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("done_reason".into(), json!("stop"));
    m.insert("total_duration".into(), json!(174_560_334u64));
    m.insert("load_duration".into(), json!(101_397_084u64));
    m.insert("prompt_eval_count".into(), json!(ctx.input_tokens));
    m.insert("prompt_eval_duration".into(), json!(13_074_791u64));
    m.insert("eval_count".into(), json!(ctx.output_tokens()));
    m.insert("eval_duration".into(), json!(52_479_709u64));
    m
}

fn tool_calls(ctx: &Ctx) -> Value {
    Value::Array(
        ctx.script
            .tools
            .iter()
            .map(|t| json!({"function": {"name": t.name, "arguments": t.arguments}}))
            .collect(),
    )
}

fn stream_or_full(ctx: &Ctx, events: Vec<Vec<u8>>, last: Value, full: Value) -> Answer {
    if ctx.stream(true) {
        Answer::Stream {
            status: 200,
            content_type: NDJSON,
            events,
            tail: vec![ndjson(&last)],
        }
    } else {
        Answer::json(200, &full)
    }
}

pub fn chat(ctx: &Ctx) -> Answer {
    let s = ctx.script;
    let msg = |content: &str| json!({"role": "assistant", "content": content});
    let line = |message: Value| {
        ndjson(
            &json!({"model": ctx.model, "created_at": ctx.created_at(), "message": message,
                       "done": false}),
        )
    };
    let mut events: Vec<Vec<u8>> = s.reply_pieces().iter().map(|p| line(msg(p))).collect();
    if !s.tools.is_empty() {
        // Ollama sends tool calls whole, in one line, with `arguments` as an object.
        let mut m = msg("");
        super::set(&mut m, "tool_calls", tool_calls(ctx));
        events.push(line(m));
    }
    let done = |message: Value| {
        let mut o = Map::new();
        o.insert("model".into(), json!(ctx.model));
        o.insert("created_at".into(), json!(ctx.created_at()));
        o.insert("message".into(), message);
        o.insert("done".into(), json!(true));
        o.extend(timings(ctx));
        Value::Object(o)
    };
    let mut full_msg = msg(&s.reply);
    if !s.tools.is_empty() {
        super::set(&mut full_msg, "tool_calls", tool_calls(ctx));
    }
    stream_or_full(ctx, events, done(msg("")), done(full_msg))
}

pub fn generate(ctx: &Ctx) -> Answer {
    let s = ctx.script;
    let line = |piece: &str| {
        ndjson(
            &json!({"model": ctx.model, "created_at": ctx.created_at(), "response": piece,
                       "done": false}),
        )
    };
    let events: Vec<Vec<u8>> = s.reply_pieces().iter().map(|p| line(p)).collect();
    let done = |response: &str| {
        let mut o = Map::new();
        o.insert("model".into(), json!(ctx.model));
        o.insert("created_at".into(), json!(ctx.created_at()));
        o.insert("response".into(), json!(response));
        o.insert("done".into(), json!(true));
        o.extend(timings(ctx));
        o.insert("context".into(), json!([1, 2, 3]));
        Value::Object(o)
    };
    stream_or_full(ctx, events, done(""), done(&s.reply))
}

pub fn embed(ctx: &Ctx) -> Answer {
    let vecs: Vec<Value> = super::openai::inputs(ctx.body.get("input"))
        .iter()
        .map(|s| json!(super::openai::vector(s)))
        .collect();
    Answer::json(
        200,
        &json!({"model": ctx.model, "embeddings": vecs, "total_duration": 14_143_917u64,
                "load_duration": 1_019_500u64, "prompt_eval_count": ctx.input_tokens}),
    )
}

/// The legacy single-prompt endpoint.
pub fn embeddings(ctx: &Ctx) -> Answer {
    let prompt = ctx.body.get("prompt").and_then(Value::as_str).unwrap_or("");
    Answer::json(200, &json!({"embedding": super::openai::vector(prompt)}))
}

pub fn tags(_ctx: &Ctx) -> Answer {
    let models: Vec<Value> = MODELS
        .iter()
        .map(|m| {
            json!({"name": m.name, "model": m.name, "modified_at": "2025-10-01T12:00:00.000000000Z",
                   "size": m.size, "digest": fake_digest(m.name), "details": details(m)})
        })
        .collect();
    Answer::json(200, &json!({"models": models}))
}

pub fn ps(_ctx: &Ctx) -> Answer {
    let models: Vec<Value> = MODELS
        .iter()
        .take(1)
        .map(|m| {
            json!({"name": m.name, "model": m.name, "size": m.size,
                   "digest": fake_digest(m.name), "details": details(m),
                   "expires_at": "2099-01-01T00:00:00Z", "size_vram": m.size})
        })
        .collect();
    Answer::json(200, &json!({"models": models}))
}

pub fn show(ctx: &Ctx) -> Answer {
    let Some(m) = MODELS.iter().find(|m| m.name == ctx.model) else {
        return Answer::json(
            404,
            &json!({"error": format!("model '{}' not found", ctx.model)}),
        );
    };
    Answer::json(
        200,
        &json!({
            "modelfile": format!("FROM {}\n", m.name),
            "parameters": "stop \"<|eot_id|>\"",
            "template": "{{ .Prompt }}",
            "license": "mock license",
            "details": details(m),
            "model_info": {"general.architecture": m.family, "general.parameter_count": 3_212_749_888u64},
            "capabilities": ["completion", "tools"],
            "modified_at": "2025-10-01T12:00:00.000000000Z",
        }),
    )
}

pub fn version() -> Answer {
    Answer::json(200, &json!({"version": "0.12.6"}))
}

/// `/api/pull`, `/api/push`, `/api/create`: progress lines ending `{"status":"success"}`
/// (streamed by default, like Ollama), or just the last one with `stream: false`.
pub fn progress(ctx: &Ctx, route: &str) -> Answer {
    let digest = format!("sha256:{}", fake_digest(&ctx.model));
    let steps: Vec<Value> = match route {
        "/api/pull" => vec![
            json!({"status": "pulling manifest"}),
            json!({"status": format!("pulling {}", &digest.get(7..19).unwrap_or("")),
                   "digest": digest, "total": 2_019_377_376u64, "completed": 2_019_377_376u64}),
            json!({"status": "verifying sha256 digest"}),
            json!({"status": "writing manifest"}),
        ],
        "/api/push" => vec![
            json!({"status": "retrieving manifest"}),
            json!({"status": "pushing manifest"}),
        ],
        _ => vec![
            json!({"status": "reading model metadata"}),
            json!({"status": "writing manifest"}),
        ],
    };
    let events = steps.iter().map(ndjson).collect();
    let last = json!({"status": "success"});
    stream_or_full(ctx, events, last.clone(), last)
}
