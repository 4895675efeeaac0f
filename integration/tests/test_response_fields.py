"""Every string the client reads, read by the official SDKs through the real Envoy.

Each test preloads an upstream answer into the mock (`POST /__mock/canned`) that carries an AWS
key where an SDK reassembles it: a streamed refusal and logprobs (openai's stream helper and its
final completion), Anthropic text that starts in `content_block_start` and tool input whose
arguments spell the key with a JSON escape (the final message), Ollama lines ended by a bare CR,
and an SSE stream labelled `text/plain`. The key must not be in anything the SDK returns. The
same cases at every split, and for both adapters, are rows in testdata/cases and
engine/tests/response_leaks.rs; this file proves the SDKs parse the re-written streams.
"""

from __future__ import annotations

import json

import anthropic
import httpx
import ollama
import openai
import pytest

import harness

SECRET = "AKIAQZ7R4TLW2XKJ5NBV"
PIECES = ["the key is ", "AKIAQ", "Z7R4T", "LW2XK", "J5NBV", " ok"]
MODEL = harness.DEFAULT_MODEL


def canned(mock, body: str, content_type: str, chunk_bytes: int | None) -> dict:
    answer = {"status": 200, "headers": {"content-type": content_type},
              "body_b64": harness.b64(body.encode())}
    cid = httpx.post(f"{mock.url}/__mock/canned", json=answer, timeout=10).json()["id"]
    headers = {"x-mock-canned": cid}
    if chunk_bytes:
        headers["x-mock-chunk-bytes"] = str(chunk_bytes)
    return headers


def sse(v: dict, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(v)}\n\n"


def chunk(delta: dict, **extra) -> str:
    return sse({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": None, **extra}]})


def chat_end() -> str:
    return sse({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": MODEL,
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}) + "data: [DONE]\n\n"


def openai_client(url: str, headers: dict) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="test-key", max_retries=0, timeout=60,
                         default_headers=headers)


SPLITS = [None, 1, 7]


@pytest.mark.parametrize("chunk_bytes", SPLITS)
def test_streamed_refusal_and_logprobs(envoy, mock, chunk_bytes):
    body = chunk({"role": "assistant", "content": ""})
    for p in PIECES:
        body += chunk({"refusal": p})
    for p in PIECES:
        body += chunk({"content": p}, logprobs={"content": [
            {"token": p, "logprob": -0.1, "bytes": list(p.encode()), "top_logprobs": []}]})
    body += chat_end()
    client = openai_client(envoy.url, canned(mock, body, "text/event-stream", chunk_bytes))
    with client.chat.completions.stream(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], logprobs=True) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    choice = final.choices[0]
    seen = json.dumps(final.model_dump())
    assert SECRET not in seen and "Z7R4T" not in seen, seen
    assert "[REDACTED:" in (choice.message.refusal or "")
    assert "[REDACTED:" in (choice.message.content or "")


@pytest.mark.parametrize("chunk_bytes", SPLITS)
def test_sse_labelled_text_plain(envoy, mock, chunk_bytes):
    body = chunk({"role": "assistant", "content": ""})
    for p in PIECES:
        body += chunk({"content": p})
    body += chat_end()
    client = openai_client(envoy.url, canned(mock, body, "text/plain", chunk_bytes))
    stream = client.chat.completions.create(model=MODEL, stream=True,
                                            messages=[{"role": "user", "content": "hi"}])
    text = "".join(ch.delta.content or "" for c in stream for ch in c.choices)
    assert SECRET not in text and text.startswith("the key is [REDACTED:"), text


@pytest.mark.parametrize("chunk_bytes", SPLITS)
def test_anthropic_final_message(envoy, mock, chunk_bytes):
    def ev(v: dict) -> str:
        return sse(v, v["type"])
    args = '{"note": "\\u0041KIAQZ7R4TLW2XKJ5NBV"}'
    body = ev({"type": "message_start", "message": {
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test-model",
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1}}})
    body += ev({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": PIECES[0] + PIECES[1]}})
    for p in PIECES[2:]:
        body += ev({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}})
    body += ev({"type": "content_block_stop", "index": 0})
    body += ev({"type": "content_block_start", "index": 1, "content_block": {
        "type": "tool_use", "id": "toolu_1", "name": "save_note", "input": {}}})
    for i in range(0, len(args), 5):
        body += ev({"type": "content_block_delta", "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": args[i:i + 5]}})
    body += ev({"type": "content_block_stop", "index": 1})
    body += ev({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 9}})
    body += ev({"type": "message_stop"})
    headers = canned(mock, body, "text/event-stream", chunk_bytes)
    client = anthropic.Anthropic(base_url=envoy.url, api_key="test-key", max_retries=0,
                                 timeout=60, default_headers=headers)
    with client.messages.stream(model="claude-test-model", max_tokens=100,
                                messages=[{"role": "user", "content": "hi"}]) as stream:
        final = stream.get_final_message()
    seen = json.dumps(final.model_dump())
    assert SECRET not in seen, seen
    text = "".join(b.text for b in final.content if b.type == "text")
    assert text.startswith("the key is [REDACTED:"), text
    (call,) = [b for b in final.content if b.type == "tool_use"]
    assert "[REDACTED:" in call.input["note"], call.input


@pytest.mark.parametrize("chunk_bytes", SPLITS)
def test_ollama_lines_ended_by_a_bare_cr(envoy, mock, chunk_bytes):
    line = lambda content, done: json.dumps(  # noqa: E731
        {"model": MODEL, "created_at": "2026-01-01T00:00:00Z",
         "message": {"role": "assistant", "content": content}, "done": done})
    body = "".join(line(p, False) + "\r" for p in PIECES) + line("", True) + "\r"
    client = ollama.Client(host=envoy.url, headers=canned(mock, body, "application/x-ndjson",
                                                           chunk_bytes), timeout=60)
    parts = client.chat(model=MODEL, stream=True, messages=[{"role": "user", "content": "hi"}])
    text = "".join(p.message.content or "" for p in parts)
    assert SECRET not in text and text.startswith("the key is [REDACTED:"), text
