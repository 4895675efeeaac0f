"""Benign traffic passes unchanged, byte for byte, in both directions.

For every API shape, plain and streamed, with the stream cut into network writes of various
sizes, the client receives through Envoy exactly the bytes the mock sends directly, and the mock
receives exactly the bytes the client sent. Run against the baseline (envoy-nowasm.yaml) and
against the filter with its default config `{}` (envoy.yaml): a filter that re-serializes
frames, reorders keys or holds a benign stream back fails here.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

import harness

TARGETS = ["envoy_nowasm", "envoy"]
# Benign text with punctuation, quotes, escapes and multi-byte characters, so that a framer or
# re-encoder that is not byte-exact shows up.
REPLY = 'Sure! Here is "quoted" text, a back\\slash, a tab\t, and ünïcödé 日本語 ✓ — done.'

CASES = [
    # (id, shape, stream, script overrides)
    *[(f"{s}-plain", s, False, {}) for s in harness.SHAPES],
    *[(f"{s}-stream", s, True, {}) for s in harness.SHAPES],
    *[(f"{s}-stream-1char-1byte", s, True, {"piece_chars": 1, "chunk_bytes": 1})
      for s in harness.SHAPES],
    *[(f"{s}-stream-13byte-writes", s, True, {"chunk_bytes": 13}) for s in harness.SHAPES],
    *[(f"{s}-stream-tools", s, True,
       {"tools": [{"name": "get_weather", "arguments": {"city": "Paris"}}], "piece_chars": 2})
      for s in harness.SHAPES],
    *[(f"{s}-plain-tools", s, False,
       {"tools": [{"name": "get_weather", "arguments": {"city": "Paris"}}]})
      for s in harness.SHAPES],
]


@pytest.fixture(params=TARGETS)
def target(request, mock):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("case_id,shape,stream,overrides", CASES, ids=[c[0] for c in CASES])
def test_llm_shapes_byte_for_byte(target, mock, case_id, shape, stream, overrides):
    headers = harness.script(REPLY, deterministic=True, **overrides)
    body = harness.SHAPES[shape].body("Summarise the plot of Hamlet in two lines.", stream=stream)
    raw_request = json.dumps(body).encode()

    direct = harness.post(mock.url, harness.SHAPES[shape].path, raw_request, headers)
    mock.clear()
    through = harness.post(target.url, harness.SHAPES[shape].path, raw_request, headers)

    assert through.status_code == direct.status_code == 200, through.text[:300]
    assert through.headers.get("content-type") == direct.headers.get("content-type")
    assert through.content == direct.content, (
        f"{case_id}: body changed in transit\n direct:  {direct.content[:300]!r}\n"
        f" through: {through.content[:300]!r}")
    # The request reached the upstream unchanged too.
    seen = mock.requests()
    assert len(seen) == 1
    assert seen[0]["body"].encode() == raw_request
    assert seen[0]["path"] == harness.SHAPES[shape].path


SIDE_ROUTES = [
    ("GET", "/v1/models", None),
    ("GET", "/api/tags", None),
    ("GET", "/api/version", None),
    ("GET", "/api/ps", None),
    ("POST", "/api/show", {"model": "llama3.2:3b-instruct-q4_K_M"}),
    ("POST", "/v1/embeddings", {"model": "nomic-embed-text:v1.5", "input": ["hello", "world"]}),
    ("POST", "/api/embed", {"model": "nomic-embed-text:v1.5", "input": "hello"}),
    ("POST", "/api/embeddings", {"model": "nomic-embed-text:v1.5", "prompt": "hello"}),
]


@pytest.mark.parametrize("shape", list(harness.SHAPES))
@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_http2_client_byte_for_byte(target, mock, shape, stream):
    """A client speaking HTTP/2 (h2c) to Envoy: body callbacks come in other sizes and the
    end of stream may come with an empty DATA frame; the bytes must not change."""
    headers = harness.script(REPLY, deterministic=True, chunk_bytes=11)
    body = json.dumps(harness.SHAPES[shape].body("Tell me a story.", stream=stream)).encode()
    direct = harness.post(mock.url, harness.SHAPES[shape].path, body, headers)
    with httpx.Client(http1=False, http2=True, timeout=30) as client:
        through = client.post(target.url + harness.SHAPES[shape].path, content=body,
                              headers={"content-type": "application/json", **headers})
    assert through.http_version == "HTTP/2"
    assert through.status_code == direct.status_code == 200
    assert through.content == direct.content
    assert mock.requests()[-1]["body"].encode() == body


def test_every_split_gives_the_same_text(target, mock):
    """The client-visible text does not depend on how the upstream cut the stream."""
    for shape in ("openai_chat", "anthropic_messages", "ollama_generate"):
        for v in harness.split_variants(piece_chars=(1, 5), chunk_bytes=(None, 1, 3, 50)):
            view = harness.client_view(target.url, shape, REPLY, **v)
            assert view.status == 200 and view.text == REPLY, (shape, v)


@pytest.mark.parametrize("method,path,body", SIDE_ROUTES, ids=[r[1] for r in SIDE_ROUTES])
def test_side_routes_byte_for_byte(target, mock, method, path, body):
    content = json.dumps(body).encode() if body is not None else None
    h = harness.script(deterministic=True)
    direct = httpx.request(method, mock.url + path, content=content, headers=h, timeout=30)
    through = httpx.request(method, target.url + path, content=content, headers=h, timeout=30)
    assert through.status_code == direct.status_code == 200, through.text[:300]
    assert through.content == direct.content


@pytest.mark.parametrize("shape", list(harness.SHAPES))
def test_benign_stream_is_not_held_back(target, mock, shape):
    """Tokens flow as they come: the first text arrives long before the stream ends."""
    events, delay_ms = 8, 150
    # Plain prose: nothing in it could be the start of a secret, so nothing should be held.
    prose = "The river rises in spring, then it falls in autumn once the snow is all gone."
    headers = harness.script(prose[: events * 8], piece_chars=8, delay_ms=delay_ms)
    body = harness.SHAPES[shape].body("hello", stream=True)
    start = time.monotonic()
    first_text_at = None
    received = b""
    with httpx.stream("POST", target.url + harness.SHAPES[shape].path, json=body,
                      headers=headers, timeout=30) as r:
        assert r.status_code == 200
        for chunk in r.iter_raw():
            received += chunk
            if first_text_at is None and harness.streamed_text(shape, _complete(shape, received)):
                first_text_at = time.monotonic() - start
    total = time.monotonic() - start
    assert first_text_at is not None
    assert total >= events * delay_ms / 1000 * 0.8
    assert first_text_at < total / 2, f"first text at {first_text_at:.2f}s of {total:.2f}s"


def _complete(shape: str, raw: bytes) -> bytes:
    """The prefix of `raw` made of whole events/lines (what a client could parse so far)."""
    sep = b"\n" if shape.startswith("ollama") else b"\n\n"
    cut = raw.rfind(sep)
    return raw[: cut + len(sep)] if cut >= 0 else b""


def test_baseline_passes_gzip_and_errors_unchanged(envoy_nowasm, mock):
    """The baseline is transparent to encodings and upstream errors (what the filter does with
    them is policy, tested by the policy's tests)."""
    for h in (harness.script(content_encoding="gzip", deterministic=True),
              harness.script(status=503, deterministic=True)):
        body = harness.ollama_chat("hi", stream=True)
        direct = harness.post(mock.url, "/api/chat", body, h)
        through = harness.post(envoy_nowasm.url, "/api/chat", body, h)
        assert through.status_code == direct.status_code
        assert through.content == direct.content
