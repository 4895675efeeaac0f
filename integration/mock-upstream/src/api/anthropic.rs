//! Anthropic Messages: JSON, and SSE with `event:` + `data:` lines (message_start,
//! content_block_start/delta/stop for `text` and `tool_use` blocks, message_delta, message_stop).
//! Field names follow Anthropic's API reference; the official `anthropic` SDK parses them.

use serde_json::{json, Value};

use super::{sse, Answer, Ctx, SSE};
use crate::script::split_chars;

fn tool_id(ctx: &Ctx, j: usize) -> String {
    format!("toolu_mock{:06}{j:02}", ctx.id)
}

fn message(ctx: &Ctx, content: Vec<Value>, stop_reason: Value, output_tokens: u64) -> Value {
    json!({
        "id": format!("msg_mock{:08}", ctx.id),
        "type": "message",
        "role": "assistant",
        "model": ctx.model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": null,
        "usage": {"input_tokens": ctx.input_tokens, "output_tokens": output_tokens,
                  "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    })
}

pub fn messages(ctx: &Ctx) -> Answer {
    let s = ctx.script;
    let has_text = !s.reply.is_empty() || s.tools.is_empty();
    let stop = if s.tools.is_empty() {
        "end_turn"
    } else {
        "tool_use"
    };
    if !ctx.stream(false) {
        let mut content = Vec::new();
        if has_text {
            content.push(json!({"type": "text", "text": s.reply}));
        }
        for (j, t) in s.tools.iter().enumerate() {
            content.push(
                json!({"type": "tool_use", "id": tool_id(ctx, j), "name": t.name,
                                "input": t.arguments}),
            );
        }
        return Answer::json(
            200,
            &message(ctx, content, json!(stop), ctx.output_tokens()),
        );
    }

    let ev = |name: &str, mut data: Value| {
        super::set(&mut data, "type", json!(name));
        sse(Some(name), &data)
    };
    let mut events = vec![
        ev(
            "message_start",
            json!({"message": message(ctx, vec![], Value::Null, 1)}),
        ),
        ev("ping", json!({})),
    ];
    let mut index = 0usize;
    if has_text {
        events.push(ev(
            "content_block_start",
            json!({"index": index, "content_block": {"type": "text", "text": ""}}),
        ));
        for piece in s.reply_pieces() {
            events.push(ev(
                "content_block_delta",
                json!({"index": index, "delta": {"type": "text_delta", "text": piece}}),
            ));
        }
        events.push(ev("content_block_stop", json!({"index": index})));
        index += 1;
    }
    for (j, t) in s.tools.iter().enumerate() {
        events.push(ev(
            "content_block_start",
            json!({"index": index, "content_block": {"type": "tool_use", "id": tool_id(ctx, j),
                                                     "name": t.name, "input": {}}}),
        ));
        for frag in split_chars(&t.arguments_text(), s.piece_chars) {
            events.push(ev(
                "content_block_delta",
                json!({"index": index, "delta": {"type": "input_json_delta",
                                                 "partial_json": frag}}),
            ));
        }
        events.push(ev("content_block_stop", json!({"index": index})));
        index += 1;
    }
    let tail = vec![
        ev(
            "message_delta",
            json!({"delta": {"stop_reason": stop, "stop_sequence": null},
                   "usage": {"output_tokens": ctx.output_tokens()}}),
        ),
        ev("message_stop", json!({})),
    ];
    Answer::Stream {
        status: 200,
        content_type: SSE,
        events,
        tail,
    }
}

pub fn count_tokens(ctx: &Ctx) -> Answer {
    Answer::json(200, &json!({"input_tokens": ctx.input_tokens}))
}
