"""The official SDKs (openai, anthropic, ollama) talking to the mock, plain and streamed, text and
tool calls, on three targets: the mock directly (proves the mock's shapes), Envoy without the
filter (the baseline), and Envoy with the filter and its default config `{}` (proves the filter
keeps every shape parseable by real clients).
"""

from __future__ import annotations

import json

import anthropic
import ollama
import openai
import pytest

import harness

REPLY = "Paris is the capital of France; it sits on the Seine. Ünïcödé ✓ 東京."
TOOLS = [
    {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}},
    {"name": "search_docs", "arguments": {"query": "envoy \"wasm\" filter", "top_k": 3}},
]
PINNED = harness.DEFAULT_MODEL
OPENAI_TOOLS = [
    {"type": "function", "function": {"name": t["name"], "parameters": {"type": "object"}}}
    for t in TOOLS
]
RESPONSES_TOOLS = [
    {"type": "function", "name": t["name"], "parameters": {"type": "object"}} for t in TOOLS
]
ANTHROPIC_TOOLS = [{"name": t["name"], "input_schema": {"type": "object"}} for t in TOOLS]
OLLAMA_TOOLS = OPENAI_TOOLS


@pytest.fixture(params=["mock", "envoy_nowasm", "envoy"])
def base_url(request, mock) -> str:
    """Where the client connects. The mock is cleared before each test (fixture `mock`)."""
    if request.param == "mock":
        return mock.url
    return request.getfixturevalue(request.param).url


def headers(**kw) -> dict[str, str]:
    return harness.script(REPLY, piece_chars=3, **kw)


def oa(base_url: str, **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="sk-test-not-a-secret",
                         max_retries=0, timeout=30, default_headers=headers(**kw))


def an(base_url: str, **kw) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=base_url, api_key="test-key", max_retries=0,
                               timeout=30, default_headers=headers(**kw))


def ol(base_url: str, **kw) -> ollama.Client:
    return ollama.Client(host=base_url, headers=headers(**kw), timeout=30)


# -- OpenAI Chat Completions -------------------------------------------------------------------

def test_openai_chat_plain(base_url, mock):
    r = oa(base_url).chat.completions.create(
        model=PINNED, messages=[{"role": "user", "content": "What is the capital of France?"}])
    assert r.choices[0].message.content == REPLY
    assert r.model == PINNED
    assert r.choices[0].finish_reason == "stop"
    assert r.usage is not None and r.usage.total_tokens > 0
    assert mock.last_request()["path"] == "/v1/chat/completions"


def test_openai_chat_stream(base_url):
    stream = oa(base_url).chat.completions.create(
        model=PINNED, messages=[{"role": "user", "content": "hi"}], stream=True,
        stream_options={"include_usage": True})
    text, finish = [], None
    for chunk in stream:
        for ch in chunk.choices:
            text.append(ch.delta.content or "")
            finish = ch.finish_reason or finish
    assert "".join(text) == REPLY
    assert finish == "stop"


@pytest.mark.parametrize("chunk_bytes", [None, 1, 7])
def test_openai_chat_stream_helper_with_tools(base_url, chunk_bytes):
    """The SDK's accumulating helper rebuilds tool-call arguments from fragments."""
    client = oa(base_url, tools=TOOLS, chunk_bytes=chunk_bytes)
    with client.chat.completions.stream(
        model=PINNED, messages=[{"role": "user", "content": "weather?"}], tools=OPENAI_TOOLS,
    ) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    msg = final.choices[0].message
    assert msg.content == REPLY
    calls = [(c.function.name, json.loads(c.function.arguments)) for c in msg.tool_calls or []]
    assert calls == [(t["name"], t["arguments"]) for t in TOOLS]
    assert final.choices[0].finish_reason == "tool_calls"


def test_openai_chat_plain_tools(base_url):
    r = oa(base_url, tools=TOOLS).chat.completions.create(
        model=PINNED, messages=[{"role": "user", "content": "weather?"}], tools=OPENAI_TOOLS)
    calls = r.choices[0].message.tool_calls or []
    assert [(c.function.name, json.loads(c.function.arguments)) for c in calls] == [
        (t["name"], t["arguments"]) for t in TOOLS]


def test_openai_embeddings_and_models(base_url):
    client = oa(base_url)
    e = client.embeddings.create(model="nomic-embed-text:v1.5", input=["a", "b"])
    assert len(e.data) == 2 and len(e.data[0].embedding) > 0
    ids = [m.id for m in client.models.list()]
    assert "llama3.2:3b-instruct-q4_K_M" in ids


def test_openai_legacy_completions(base_url):
    client = oa(base_url)
    r = client.completions.create(model=PINNED, prompt="Once upon a time")
    assert r.choices[0].text == REPLY
    text = "".join(c.choices[0].text for c in
                   client.completions.create(model=PINNED, prompt="x", stream=True)
                   if c.choices)
    assert text == REPLY


# -- OpenAI Responses -------------------------------------------------------------------------

def test_openai_responses_plain(base_url):
    r = oa(base_url).responses.create(model=PINNED, input="capital of France?")
    assert r.output_text == REPLY
    assert r.model == PINNED


def test_openai_responses_stream(base_url):
    events = list(oa(base_url).responses.create(model=PINNED, input="hi", stream=True))
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert deltas == REPLY
    assert events[0].type == "response.created"
    assert events[-1].type == "response.completed"
    assert events[-1].response.output_text == REPLY


def test_openai_responses_stream_helper_with_tools(base_url):
    client = oa(base_url, tools=TOOLS)
    with client.responses.stream(model=PINNED, input="weather?", tools=RESPONSES_TOOLS) as s:
        for _ in s:
            pass
        final = s.get_final_response()
    assert final.output_text == REPLY
    calls = [(o.name, json.loads(o.arguments)) for o in final.output if o.type == "function_call"]
    assert calls == [(t["name"], t["arguments"]) for t in TOOLS]


# -- Anthropic Messages -----------------------------------------------------------------------

def test_anthropic_plain(base_url):
    m = an(base_url).messages.create(
        model="claude-test-model", max_tokens=100, messages=[{"role": "user", "content": "hi"}])
    assert m.content[0].type == "text" and m.content[0].text == REPLY
    assert m.stop_reason == "end_turn"
    assert m.model == "claude-test-model"


@pytest.mark.parametrize("chunk_bytes", [None, 1, 5])
def test_anthropic_stream_with_tools(base_url, chunk_bytes):
    client = an(base_url, tools=TOOLS, chunk_bytes=chunk_bytes)
    with client.messages.stream(
        model="claude-test-model", max_tokens=100, tools=ANTHROPIC_TOOLS,
        messages=[{"role": "user", "content": "weather?"}],
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == REPLY
    uses = [(b.name, b.input) for b in final.content if b.type == "tool_use"]
    assert uses == [(t["name"], t["arguments"]) for t in TOOLS]
    assert final.stop_reason == "tool_use"


def test_anthropic_plain_tools(base_url):
    m = an(base_url, tools=TOOLS).messages.create(
        model="claude-test-model", max_tokens=100, tools=ANTHROPIC_TOOLS,
        messages=[{"role": "user", "content": "weather?"}])
    assert [(b.name, b.input) for b in m.content if b.type == "tool_use"] == [
        (t["name"], t["arguments"]) for t in TOOLS]


# -- Ollama -----------------------------------------------------------------------------------

def test_ollama_chat_plain(base_url):
    r = ol(base_url).chat(model=PINNED, messages=[{"role": "user", "content": "hi"}],
                          stream=False)
    assert r.message.content == REPLY
    assert r.done and r.model == PINNED and r.eval_count


@pytest.mark.parametrize("chunk_bytes", [None, 1, 9])
def test_ollama_chat_stream_with_tools(base_url, chunk_bytes):
    parts = list(ol(base_url, tools=TOOLS, chunk_bytes=chunk_bytes).chat(
        model=PINNED, messages=[{"role": "user", "content": "hi"}], tools=OLLAMA_TOOLS,
        stream=True))
    assert "".join(p.message.content or "" for p in parts) == REPLY
    calls = [(c.function.name, dict(c.function.arguments))
             for p in parts for c in (p.message.tool_calls or [])]
    assert calls == [(t["name"], t["arguments"]) for t in TOOLS]
    assert parts[-1].done and parts[-1].done_reason == "stop"


def test_ollama_generate_plain_and_stream(base_url):
    client = ol(base_url)
    r = client.generate(model=PINNED, prompt="hi", stream=False)
    assert r.response == REPLY and r.done
    parts = list(client.generate(model=PINNED, prompt="hi", stream=True))
    assert "".join(p.response for p in parts) == REPLY
    assert parts[-1].done


def test_ollama_embed_list_show(base_url):
    client = ol(base_url)
    e = client.embed(model="nomic-embed-text:v1.5", input=["a", "b"])
    assert len(e.embeddings) == 2
    names = [m.model for m in client.list().models]
    assert {"llama3.2:latest", "llama3.2:3b-instruct-q4_K_M", "qwen2.5:7b"} <= set(names)
    s = client.show(PINNED)
    assert s.details is not None and s.details.family == "llama"


def test_ollama_pull_answers_success_on_the_mock(mock):
    """The mock says yes to model-changing endpoints, so that tests can prove the filter refuses
    them. (Through the filter this is a decision test, written by the policy's authors.)"""
    assert ol(mock.url).pull("qwen2.5:7b", stream=False).status == "success"
    assert mock.last_request()["path"] == "/api/pull"
