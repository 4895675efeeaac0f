"""The mock upstream's own contract: scripting headers, the request journal, HTTP/1.1 framing,
no crash on bad input. (That the official SDKs parse its shapes is test_clients.py[mock].)"""

from __future__ import annotations

import base64
import gzip
import json
import socket
import time
import zlib

import httpx
import pytest

import harness


def raw_exchange(port: int, request: bytes, read_timeout: float = 5.0) -> tuple[bytes, list[bytes]]:
    """Sends raw bytes, returns (everything received, the individual recv() results)."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        s.sendall(request)
        reads: list[bytes] = []
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            reads.append(b)
    return b"".join(reads), reads


def dechunk(body: bytes) -> tuple[bytes, bool]:
    """Decodes a chunked body; returns (payload, whether the terminating chunk was seen)."""
    out, pos = b"", 0
    while True:
        nl = body.find(b"\r\n", pos)
        if nl < 0:
            return out, False
        size = int(body[pos:nl].split(b";")[0], 16)
        if size == 0:
            return out, True
        out += body[nl + 2: nl + 2 + size]
        pos = nl + 2 + size + 2


def post_raw(path: str, body: dict, headers: dict[str, str], close: bool = True) -> bytes:
    data = json.dumps(body).encode()
    h = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    conn = "connection: close\r\n" if close else ""
    return (f"POST {path} HTTP/1.1\r\nhost: mock\r\ncontent-type: application/json\r\n"
            f"content-length: {len(data)}\r\n{conn}{h}\r\n").encode() + data


def text_events(shape: str, raw: bytes) -> int:
    """How many events of a streamed answer carry a non-empty piece of text."""
    if shape.startswith("ollama"):
        objs = harness.ndjson_lines(raw)
    else:
        objs = [json.loads(d) for _, d in harness.sse_events(raw) if d != "[DONE]"]
    return sum(1 for o in objs if harness.streamed_text_of_event(shape, o))


@pytest.mark.parametrize("shape", list(harness.SHAPES))
@pytest.mark.parametrize("piece_chars", [1, 4, 50])
def test_reply_and_pieces(mock, shape, piece_chars):
    reply = "héllo wörld, this is a scripted reply"
    r = harness.send(mock.url, shape, "x", stream=True,
                     headers=harness.script(reply, piece_chars=piece_chars))
    assert harness.streamed_text(shape, r.content) == reply
    # One text event per piece.
    n_pieces = -(-len(reply) // piece_chars)
    assert text_events(shape, r.content) == n_pieces
    plain = harness.send(mock.url, shape, "x", stream=False, headers=harness.script(reply))
    assert harness.plain_text(shape, plain.json()) == reply


def test_model_is_echoed_and_ollama_streams_by_default(mock):
    r = harness.post(mock.url, "/api/chat", {"model": "qwen2.5:7b",
                                             "messages": [{"role": "user", "content": "x"}]})
    assert r.headers["content-type"] == "application/x-ndjson"
    lines = harness.ndjson_lines(r.content)
    assert all(o["model"] == "qwen2.5:7b" for o in lines)
    last = lines[-1]
    assert last["done"] is True
    for f in ("done_reason", "total_duration", "load_duration", "prompt_eval_count",
              "prompt_eval_duration", "eval_count", "eval_duration"):
        assert f in last


def test_openai_stream_ends_with_done_and_tool_name_first(mock):
    tools = [{"name": "run_shell", "arguments": {"cmd": "ls -la /tmp"}}]
    r = harness.send(mock.url, "openai_chat", "x", stream=True,
                     headers=harness.script("ok", tools=tools, piece_chars=3))
    events = harness.sse_events(r.content)
    assert events[-1] == (None, "[DONE]")
    deltas = [json.loads(d)["choices"][0]["delta"] for _, d in events[:-1]]
    calls = [d["tool_calls"][0] for d in deltas if "tool_calls" in d]
    assert calls[0]["function"]["name"] == "run_shell"
    assert "".join(c["function"]["arguments"] for c in calls) == json.dumps(
        tools[0]["arguments"], separators=(",", ":"))
    assert len(calls) > 3  # the arguments came in fragments
    finals = [json.loads(d) for _, d in events[:-1]]
    assert finals[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_chunk_bytes_splits_network_writes(mock):
    req = post_raw("/v1/chat/completions", harness.openai_chat("x", stream=True),
                   harness.script("abcdefgh", chunk_bytes=5))
    raw, _ = raw_exchange(mock.port, req)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower()
    # Every HTTP chunk carries at most 5 bytes.
    pos, sizes = 0, []
    while True:
        nl = body.find(b"\r\n", pos)
        size = int(body[pos:nl], 16)
        if size == 0:
            break
        sizes.append(size)
        pos = nl + 2 + size + 2
    assert sizes and max(sizes) == 5
    payload, complete = dechunk(body)
    assert complete and harness.streamed_text("openai_chat", payload) == "abcdefgh"


def chunk_sizes(body: bytes) -> list[int]:
    """The sizes of a chunked body's HTTP chunks, in order (the terminating one left out)."""
    pos, sizes = 0, []
    while True:
        nl = body.find(b"\r\n", pos)
        size = int(body[pos:nl].split(b";")[0], 16)
        if size == 0:
            return sizes
        sizes.append(size)
        pos = nl + 2 + size + 2


# (path, body, events per write, HTTP chunks expected): the reply "abcdefgh" in pieces of 1
# character is 8 text events with the framing ones (OpenAI: a first event with the role, a finish event and
# [DONE]; Ollama: the done line).
EVENTS_PER_WRITE = [
    ("/v1/chat/completions", harness.openai_chat("x", stream=True), 1, 11),
    ("/v1/chat/completions", harness.openai_chat("x", stream=True), 3, 4),
    ("/v1/chat/completions", harness.openai_chat("x", stream=True), 300, 1),
    ("/api/chat", harness.ollama_chat("x", stream=True), 1, 9),
    ("/api/chat", harness.ollama_chat("x", stream=True), 300, 1),
]


@pytest.mark.parametrize("path,body,per_write,chunks", EVENTS_PER_WRITE)
def test_events_per_write_groups_whole_events(mock, path, body, per_write, chunks):
    req = post_raw(path, body, harness.script("abcdefgh", piece_chars=1,
                                              events_per_write=per_write))
    raw, _ = raw_exchange(mock.port, req)
    head, _, chunked = raw.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower()
    assert len(chunk_sizes(chunked)) == chunks
    payload, complete = dechunk(chunked)
    assert complete
    shape = "openai_chat" if path.startswith("/v1") else "ollama_chat"
    assert harness.streamed_text(shape, payload) == "abcdefgh"
    # Every chunk ends on an event boundary.
    pos = chunked.find(b"\r\n") + 2
    first = chunked[pos: pos + chunk_sizes(chunked)[0]]
    assert first.endswith(b"\n\n" if shape == "openai_chat" else b"\n")


def test_delay_paces_events(mock):
    start = time.monotonic()
    harness.send(mock.url, "ollama_generate", "x", stream=True,
                 headers=harness.script("abcdefgh", piece_chars=2, delay_ms=100))
    assert time.monotonic() - start >= 0.4  # 4 text lines + done: 4 gaps


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
@pytest.mark.parametrize("shape", list(harness.SHAPES))
def test_status_override_uses_api_error_shape(mock, shape, status):
    r = harness.send(mock.url, shape, "x", headers=harness.script(status=status))
    assert r.status_code == status
    err = r.json()
    if harness.SHAPES[shape].family == "openai":
        assert "message" in err["error"]
    elif harness.SHAPES[shape].family == "anthropic":
        assert err["type"] == "error" and "message" in err["error"]
    else:
        assert isinstance(err["error"], str)


def test_reset_after_closes_mid_stream(mock):
    req = post_raw("/v1/messages", harness.anthropic_messages("x", stream=True),
                   harness.script("abcdefghijkl", piece_chars=1, reset_after=4))
    raw, _ = raw_exchange(mock.port, req)
    _, _, body = raw.partition(b"\r\n\r\n")
    payload, complete = dechunk(body)
    assert not complete
    assert len(harness.sse_events(payload)) == 4
    with pytest.raises(httpx.HTTPError):
        harness.send(mock.url, "openai_chat", "x", stream=True,
                     headers=harness.script(reset_after=2))


def test_never_end_keeps_stream_open(mock):
    req = post_raw("/v1/chat/completions", harness.openai_chat("x", stream=True),
                   harness.script("abcd", never_end=True))
    raw, _ = raw_exchange(mock.port, req, read_timeout=1.5)
    _, _, body = raw.partition(b"\r\n\r\n")
    payload, complete = dechunk(body)
    assert not complete
    assert b"[DONE]" not in payload
    assert harness.streamed_text("openai_chat", payload) == "abcd"


@pytest.mark.parametrize("stream", [False, True])
def test_gzip_content_encoding(mock, stream):
    body = harness.openai_chat("x", stream=stream)
    h = harness.script("zipped reply", content_encoding="gzip")
    req = post_raw("/v1/chat/completions", body, h)
    raw, _ = raw_exchange(mock.port, req)
    head, _, payload = raw.partition(b"\r\n\r\n")
    assert b"content-encoding: gzip" in head.lower()
    if stream:
        payload, complete = dechunk(payload)
        assert complete
        text = harness.streamed_text("openai_chat", zlib.decompress(payload, 31))
    else:
        text = harness.plain_text("openai_chat", json.loads(gzip.decompress(payload)))
    assert text == "zipped reply"


def test_trailers_follow_the_last_chunk(mock):
    req = post_raw("/api/chat", harness.ollama_chat("x"),
                   harness.script("abc", trailers={"x-upstream-done": "1", "grpc-status": "0"}))
    raw, _ = raw_exchange(mock.port, req)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"trailer: x-upstream-done, grpc-status" in head.lower()
    assert body.endswith(b"0\r\nx-upstream-done: 1\r\ngrpc-status: 0\r\n\r\n")
    payload, complete = dechunk(body)
    assert complete and harness.streamed_text("ollama_chat", payload) == "abc"


def test_journal_records_and_clears(mock):
    harness.post(mock.url, "/api/generate", harness.ollama_generate("secret-ish", stream=False),
                 {"x-caller": "alice"})
    seen = mock.requests()
    assert len(seen) == 1
    r = seen[0]
    assert (r["method"], r["path"]) == ("POST", "/api/generate")
    assert r["headers"]["x-caller"] == "alice"
    assert json.loads(r["body"])["prompt"] == "secret-ish"
    mock.clear()
    assert mock.requests() == []


def test_keep_alive_and_chunked_request_body(mock):
    body = json.dumps(harness.ollama_chat("x", stream=False)).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    one = (b"POST /api/chat HTTP/1.1\r\nhost: m\r\ntransfer-encoding: chunked\r\n\r\n" + chunked)
    two = b"GET /api/version HTTP/1.1\r\nhost: m\r\nconnection: close\r\n\r\n"
    raw, _ = raw_exchange(mock.port, one + two)
    assert raw.count(b"HTTP/1.1 200 OK") == 2
    assert b'"version"' in raw
    assert json.loads(mock.requests()[0]["body"]) == json.loads(body)


CANNED_BODY = 'data: {"a":"héllo"}\n\ndata: [DONE]\n\n'.encode()

# (name, preload document, x-mock-chunk-bytes, status, head must contain, max HTTP chunk size;
#  None = whole body with content-length)
CANNED = [
    ("whole", {"status": 200, "headers": {"content-type": "text/event-stream"},
               "body_b64": harness.b64(CANNED_BODY)}, None, 200,
     [b"content-type: text/event-stream", b"content-length: %d" % len(CANNED_BODY)], None),
    ("split at preload", {"headers": {"x-a": "1"}, "body_b64": harness.b64(CANNED_BODY),
                          "split": 3}, None, 200, [b"x-a: 1", b"transfer-encoding: chunked"], 3),
    ("split by header wins", {"body_b64": harness.b64(CANNED_BODY), "split": 3}, "1", 200,
     [b"transfer-encoding: chunked"], 1),
    ("status, framing headers ignored", {"status": 418, "headers": {"content-length": "999"},
                                         "body_b64": harness.b64(b"teapot")}, None, 418,
     [b"content-length: 6"], None),
    ("empty", {}, None, 200, [b"content-length: 0"], None),
]


@pytest.mark.parametrize("name,doc,chunk,status,head_has,max_chunk", CANNED,
                         ids=[c[0] for c in CANNED])
def test_canned_answer_is_literal(mock, name, doc, chunk, status, head_has, max_chunk):
    cid = httpx.post(f"{mock.url}/__mock/canned", json=doc, timeout=10).json()["id"]
    headers = {"x-mock-canned": cid, **({"x-mock-chunk-bytes": chunk} if chunk else {})}
    # The request body is not JSON: a canned answer does not parse it.
    req = (f"POST /v1/chat/completions HTTP/1.1\r\nhost: mock\r\ncontent-length: 5\r\n"
           f"connection: close\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
           + "\r\nhello").encode()
    raw, _ = raw_exchange(mock.port, req)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d " % status)
    for h in head_has:
        assert h in head.lower()
    want = base64.b64decode(doc.get("body_b64", ""))
    if max_chunk is None:
        assert body == want
    else:
        payload, complete = dechunk(body)
        assert complete and payload == want
        pos, sizes = 0, []
        while (size := int(body[pos:body.find(b"\r\n", pos)], 16)) > 0:
            sizes.append(size)
            pos = body.find(b"\r\n", pos) + 2 + size + 2
        assert max(sizes) == max_chunk
    # Still recorded as received.
    seen = mock.last_request()
    assert (seen["path"], seen["body"], seen["headers"]["x-mock-canned"]) == (
        "/v1/chat/completions", "hello", cid)


@pytest.mark.parametrize("doc", [{"status": 99}, {"body_b64": "!!"}, {"split": 0},
                                 {"headers": {"a": 1}}, {"body": "x"}, []])
def test_canned_preload_rejects_bad_documents(mock, doc):
    r = httpx.post(f"{mock.url}/__mock/canned", json=doc, timeout=10)
    assert r.status_code == 400 and "/__mock/canned" in r.json()["error"]
    r = httpx.post(f"{mock.url}/v1/chat/completions", json={}, timeout=10,
                   headers={"x-mock-canned": "nope"})
    assert r.status_code == 400 and "no canned answer" in r.json()["error"]


BAD_INPUTS = [
    ("garbage", b"\x00\x01\x02 nonsense\r\n\r\n", b"400"),
    ("bad content-length", b"POST /v1/chat/completions HTTP/1.1\r\ncontent-length: abc\r\n\r\n",
     b"400"),
    ("not json", b"POST /v1/chat/completions HTTP/1.1\r\ncontent-length: 3\r\n"
     b"connection: close\r\n\r\n{{{", b"400"),
    ("bad base64", b"POST /v1/messages HTTP/1.1\r\ncontent-length: 2\r\nx-mock-reply-b64: !!\r\n"
     b"connection: close\r\n\r\n{}", b"400"),
    ("bad trailers", b"POST /api/chat HTTP/1.1\r\ncontent-length: 2\r\nx-mock-trailers: nope\r\n"
     b"connection: close\r\n\r\n{}", b"400"),
    ("bad tools", b"POST /api/chat HTTP/1.1\r\ncontent-length: 2\r\nx-mock-tools-b64: e30=\r\n"
     b"connection: close\r\n\r\n{}", b"400"),
    ("unknown route", b"GET /nope HTTP/1.1\r\nconnection: close\r\n\r\n", b"404"),
    ("huge header", b"GET / HTTP/1.1\r\nx: " + b"a" * 70000 + b"\r\n\r\n", b"431"),
    ("http/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"400"),
]


@pytest.mark.parametrize("name,raw,status", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_answered_not_crashed(mock, name, raw, status):
    got, _ = raw_exchange(mock.port, raw)
    assert got.startswith(b"HTTP/1.1 " + status), got[:200]
    assert httpx.get(f"{mock.url}/api/version", timeout=5).status_code == 200


@pytest.mark.parametrize("path", ["/api/pull", "/api/push", "/api/create"])
def test_model_changing_endpoints_answer_success(mock, path):
    r = harness.post(mock.url, path, {"model": "evil/model:latest", "stream": False})
    assert r.status_code == 200 and r.json() == {"status": "success"}
    lines = harness.ndjson_lines(harness.post(mock.url, path, {"model": "m"}).content)
    assert lines[-1] == {"status": "success"}
    assert harness.post(mock.url, "/api/copy",
                        {"source": "a", "destination": "b"}).status_code == 200
    assert httpx.request("DELETE", f"{mock.url}/api/delete", json={"model": "a"}).status_code == 200
