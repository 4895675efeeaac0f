"""Secret redaction, end to end through the real Envoy with the default config `{}`.

- The mock streams an answer holding an AWS access key id, a GitHub token, an OpenAI project key
  and a PEM private key, one or two characters per SSE event / NDJSON line, cut into network
  writes of several sizes; the official `openai`, `anthropic` and `ollama` clients receive a text
  in which every secret is `[REDACTED:<rule-id>]` and everything else is exactly as sent.
- Secrets inside streamed tool-call arguments: the client reassembles valid arguments holding
  the markers.
- The same for non-streamed JSON answers in every API shape.
- A secret in a request is redacted before it leaves: the upstream sees the marker, never the
  secret.
- Nothing to redact pending: a text event is not held back (the first reaches the client long
  before the upstream sends the second), even right after a complete secret.
- A canary (`secrets.canaries`) in a streamed answer ends it with the protocol's error event.
- Counters and audit lines name the rule, never the secret.

The secrets are fake but well formed (made here from a fixed seed): 20-character AWS key id from
the base32 alphabet, GitHub classic token whose last 6 characters are the base62 CRC32 of the
first 30, OpenAI `sk-proj-` key with the `T3BlbkFJ` marker, and an EC private key whose DER
follows SEC1's layout for P-256.
"""

from __future__ import annotations

import base64
import json
import random
import string
import time
import zlib

import anthropic
import httpx
import ollama
import openai
import pytest

import harness

MODEL = harness.DEFAULT_MODEL

RNG = random.Random(20261130)
BASE32 = string.ascii_uppercase + "234567"
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
URL_SAFE = string.ascii_letters + string.digits + "_-"


def _pick(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def _base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(width, "0")


def github_token() -> str:
    body = _pick(BASE62, 30)
    return f"ghp_{body}{_base62(zlib.crc32(body.encode()), 6)}"


def ec_private_key() -> str:
    der = (bytes.fromhex("307702010104 20".replace(" ", "")) + RNG.randbytes(32)
           + bytes.fromhex("a00a06082a8648ce3d030107a144034200 04".replace(" ", ""))
           + RNG.randbytes(64))
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "\n".join(["-----BEGIN EC PRIVATE KEY-----", *lines, "-----END EC PRIVATE KEY-----"])


SECRETS = {
    # name: (value, rule id)
    "aws": ("AKIA" + _pick(BASE32, 16), "secret.aws.access_key_id"),
    "github": (github_token(), "secret.github.token"),
    "openai": (f"sk-proj-{_pick(URL_SAFE, 74)}T3BlbkFJ{_pick(URL_SAFE, 74)}",
               "secret.openai.api_key"),
    "pem": (ec_private_key(), "secret.private_key.ec"),
}
# Around the secrets: punctuation, quotes, a tab, multi-byte characters and line breaks, so that
# anything but an exact redaction shows.
TEMPLATE = (
    "Deploy checklist ✓\n"
    "1. The CI user's key id is {aws} (region eu-west-1).\n"
    "2. Push with {github}, then tag \"v1.2\".\n"
    "3. The summariser calls OpenAI with {openai}\tand retries twice.\n"
    "4. Releases are signed with:\n{pem}\n"
    "That's all — merci, café ☕ 東京."
)
REPLY = TEMPLATE.format(**{k: v for k, (v, _) in SECRETS.items()})
EXPECTED = TEMPLATE.format(**{k: f"[REDACTED:{rule}]" for k, (_, rule) in SECRETS.items()})


def secret_fragments() -> list[str]:
    """What must never reach the client: each token, and each base64 line of the key."""
    out = [v for k, (v, _) in SECRETS.items() if k != "pem"]
    out += [line for line in SECRETS["pem"][0].splitlines() if not line.startswith("-----")]
    return out


def assert_redacted(text: str | None) -> None:
    assert text is not None, "the client could not parse the answer"
    for fragment in secret_fragments():
        assert fragment not in text, f"secret reached the client: {fragment[:12]}..."
    assert text == EXPECTED


# REGRESSION: a streamed legacy completions answer (`choices[].text`) passed unredacted.

# --------------------------------------------------------------------------------------------
# Streamed answers through the official SDKs

# One or two characters per event, each at several network write sizes (None: one write per
# event; 1: every byte its own HTTP chunk).
SPLITS = [{"piece_chars": p, "chunk_bytes": c} for p in (1, 2) for c in (None, 1, 7, 64)]
SPLIT_IDS = [f"{s['piece_chars']}char-{s['chunk_bytes'] or 'event'}byte" for s in SPLITS]


def _openai(url: str, script: dict) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="test-key", max_retries=0, timeout=60,
                         http_client=harness.HTTP, default_headers=script)


def _anthropic(url: str, script: dict) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key="test-key", max_retries=0, timeout=60,
                               default_headers=script)


def _ollama(url: str, script: dict) -> ollama.Client:
    return ollama.Client(host=url, headers=script, timeout=60)


def openai_chat_stream(url: str, script: dict) -> str:
    stream = _openai(url, script).chat.completions.create(
        model=MODEL, stream=True, messages=[{"role": "user", "content": "How do I deploy?"}])
    return "".join(ch.delta.content or "" for chunk in stream for ch in chunk.choices)


def openai_responses_stream(url: str, script: dict) -> str:
    stream = _openai(url, script).responses.create(model=MODEL, input="How do I deploy?",
                                                   stream=True)
    return "".join(e.delta for e in stream if e.type == "response.output_text.delta")


def anthropic_stream(url: str, script: dict) -> str:
    with _anthropic(url, script).messages.stream(
            model="claude-test-model", max_tokens=1024,
            messages=[{"role": "user", "content": "How do I deploy?"}]) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert "".join(b.text for b in final.content if b.type == "text") == text
    return text


def ollama_chat_stream(url: str, script: dict) -> str:
    parts = _ollama(url, script).chat(
        model=MODEL, stream=True, messages=[{"role": "user", "content": "How do I deploy?"}])
    return "".join(p.message.content or "" for p in parts)


def ollama_generate_stream(url: str, script: dict) -> str:
    parts = _ollama(url, script).generate(model=MODEL, prompt="How do I deploy?", stream=True)
    return "".join(p.response or "" for p in parts)


STREAM_CLIENTS = [
    ("openai-chat", openai_chat_stream),
    ("openai-responses", openai_responses_stream),
    ("anthropic-messages", anthropic_stream),
    ("ollama-chat", ollama_chat_stream),
    ("ollama-generate", ollama_generate_stream),
]


@pytest.mark.parametrize("split", SPLITS, ids=SPLIT_IDS)
@pytest.mark.parametrize("read", [c[1] for c in STREAM_CLIENTS],
                         ids=[c[0] for c in STREAM_CLIENTS])
def test_sdk_stream_is_redacted_exactly(envoy, mock, read, split):
    assert_redacted(read(envoy.url, harness.script(REPLY, **split)))


# The same property on the raw bytes of every streamed shape (no secret byte anywhere in what
# the client receives, whatever the split), including the legacy completions stream.
RAW_SPLITS = [{"piece_chars": p, "chunk_bytes": c} for p in (1, 2, 64) for c in (None, 7)]


@pytest.mark.parametrize("shape", list(harness.SHAPES))
def test_raw_stream_of_every_shape_is_redacted(envoy, mock, shape):
    for split in RAW_SPLITS:
        view = harness.client_view(envoy.url, shape, REPLY, **split)
        assert view.status == 200, (split, view.raw[:300])
        raw = view.raw.decode()
        for fragment in secret_fragments():
            assert fragment not in raw and json.dumps(fragment)[1:-1] not in raw, split
        assert_redacted(view.text)


# Secrets in streamed tool-call arguments (argument fragments one or two characters long): the
# client reassembles valid JSON arguments whose secret values are the markers.
TOOL_ARGS = {"region": "eu-west-1", "key_id": SECRETS["aws"][0], "token": SECRETS["github"][0],
             "note": "rotate after \"v1.2\" ✓"}
EXPECTED_ARGS = {**TOOL_ARGS, "key_id": f"[REDACTED:{SECRETS['aws'][1]}]",
                 "token": f"[REDACTED:{SECRETS['github'][1]}]"}
TOOL_SCRIPT = {"reply": "Deploying now.", "tools": [{"name": "deploy", "arguments": TOOL_ARGS}]}


def openai_chat_stream_tool_args(url: str, script: dict) -> dict:
    stream = _openai(url, script).chat.completions.create(
        model=MODEL, stream=True, messages=[{"role": "user", "content": "Deploy it."}],
        tools=[{"type": "function", "function": {"name": "deploy",
                                                 "parameters": {"type": "object"}}}])
    name, args = "", ""
    for chunk in stream:
        for ch in chunk.choices:
            for call in ch.delta.tool_calls or []:
                name += call.function.name or ""
                args += call.function.arguments or ""
    assert name == "deploy"
    return json.loads(args)


def anthropic_stream_tool_args(url: str, script: dict) -> dict:
    with _anthropic(url, script).messages.stream(
            model="claude-test-model", max_tokens=1024,
            messages=[{"role": "user", "content": "Deploy it."}],
            tools=[{"name": "deploy", "input_schema": {"type": "object"}}]) as stream:
        final = stream.get_final_message()
    (call,) = [b for b in final.content if b.type == "tool_use"]
    assert call.name == "deploy"
    return call.input


def ollama_chat_stream_tool_args(url: str, script: dict) -> dict:
    calls = [c for part in _ollama(url, script).chat(
        model=MODEL, stream=True, messages=[{"role": "user", "content": "Deploy it."}],
        tools=[{"type": "function", "function": {"name": "deploy",
                                                 "parameters": {"type": "object"}}}])
        for c in part.message.tool_calls or []]
    (call,) = calls
    assert call.function.name == "deploy"
    return dict(call.function.arguments)


TOOL_CLIENTS = [
    ("openai-chat", openai_chat_stream_tool_args),
    ("anthropic-messages", anthropic_stream_tool_args),
    ("ollama-chat", ollama_chat_stream_tool_args),
]


@pytest.mark.parametrize("piece_chars", [1, 2])
@pytest.mark.parametrize("read", [c[1] for c in TOOL_CLIENTS], ids=[c[0] for c in TOOL_CLIENTS])
def test_streamed_tool_call_arguments_are_redacted(envoy, mock, read, piece_chars):
    args = read(envoy.url, harness.script(**TOOL_SCRIPT, piece_chars=piece_chars, chunk_bytes=7))
    assert args == EXPECTED_ARGS


# --------------------------------------------------------------------------------------------
# Non-streamed JSON answers

def openai_chat_plain(url: str, script: dict) -> str:
    r = _openai(url, script).chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "How do I deploy?"}])
    return r.choices[0].message.content


def openai_responses_plain(url: str, script: dict) -> str:
    return _openai(url, script).responses.create(model=MODEL, input="How do I deploy?").output_text


def openai_completions_plain(url: str, script: dict) -> str:
    return _openai(url, script).completions.create(model=MODEL, prompt="Deploy:").choices[0].text


def anthropic_plain(url: str, script: dict) -> str:
    r = _anthropic(url, script).messages.create(
        model="claude-test-model", max_tokens=1024,
        messages=[{"role": "user", "content": "How do I deploy?"}])
    return "".join(b.text for b in r.content if b.type == "text")


def ollama_chat_plain(url: str, script: dict) -> str:
    return _ollama(url, script).chat(
        model=MODEL, messages=[{"role": "user", "content": "How do I deploy?"}]).message.content


def ollama_generate_plain(url: str, script: dict) -> str:
    return _ollama(url, script).generate(model=MODEL, prompt="How do I deploy?").response


PLAIN_CLIENTS = [
    ("openai-chat", openai_chat_plain),
    ("openai-responses", openai_responses_plain),
    ("openai-completions", openai_completions_plain),
    ("anthropic-messages", anthropic_plain),
    ("ollama-chat", ollama_chat_plain),
    ("ollama-generate", ollama_generate_plain),
]


@pytest.mark.parametrize("chunk_bytes", [None, 5], ids=["one-write", "5byte-writes"])
@pytest.mark.parametrize("read", [c[1] for c in PLAIN_CLIENTS], ids=[c[0] for c in PLAIN_CLIENTS])
def test_sdk_plain_json_is_redacted_exactly(envoy, mock, read, chunk_bytes):
    assert_redacted(read(envoy.url, harness.script(REPLY, chunk_bytes=chunk_bytes)))


# --------------------------------------------------------------------------------------------
# Secrets in requests never reach the upstream

def _user_turn(shape: str):
    return lambda t: harness.SHAPES[shape].body("Please review my notes:\n" + t)


REQUEST_PLACES = [
    # (id, path, body(text)): where a pasted secret may sit in a request
    *[(f"{shape}-user", harness.SHAPES[shape].path, _user_turn(shape)) for shape in harness.SHAPES],
    ("anthropic-system", "/v1/messages", lambda t: harness.anthropic_messages("Hi", system=t)),
    ("anthropic-tool-result", "/v1/messages", lambda t: {
        "model": "claude-test-model", "max_tokens": 64, "messages": [
            {"role": "user", "content": "Read the notes file."},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1",
                                               "name": "read_file", "input": {"path": "notes"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                          "content": [{"type": "text", "text": t}]}]}]}),
    ("openai-chat-tool-call-and-result", "/v1/chat/completions", lambda t: {
        "model": MODEL, "messages": [
            {"role": "user", "content": "Store the notes."},
            {"role": "assistant", "content": None, "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "store", "arguments": json.dumps({"notes": t})}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": t}]}),
    ("openai-responses-instructions", "/v1/responses",
     lambda t: harness.openai_responses("Hi", instructions=t)),
    ("ollama-generate-system", "/api/generate", lambda t: harness.ollama_generate("Hi", system=t)),
    # REGRESSION: a plain-text document's `data` and object keys went upstream unredacted.
    ("anthropic-text-document", "/v1/messages", lambda t: {
        "model": "claude-test-model", "max_tokens": 64, "messages": [{"role": "user", "content": [
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": t}},
            {"type": "text", "text": "Summarise the document."}]}]}),
    ("anthropic-text-document-in-tool-result", "/v1/messages", lambda t: {
        "model": "claude-test-model", "max_tokens": 64, "messages": [
            {"role": "user", "content": "Read the notes file."},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1",
                                               "name": "read_file", "input": {"path": "notes"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                {"type": "document", "source": {"type": "text", "data": t}}]}]}]}),
    ("ollama-chat-tool-call-argument-key", "/api/chat", lambda t: {
        "model": MODEL, "messages": [
            {"role": "user", "content": "Store the notes."},
            {"role": "assistant", "content": "", "tool_calls": [
                {"function": {"name": "store", "arguments": {t: 1}}}]}]}),
]


@pytest.mark.parametrize("escaped", [False, True], ids=["utf8", "json-escaped"])
@pytest.mark.parametrize("path,make", [c[1:] for c in REQUEST_PLACES],
                         ids=[c[0] for c in REQUEST_PLACES])
def test_request_secret_is_redacted_before_it_leaves(envoy, mock, path, make, escaped):
    raw = json.dumps(make(REPLY), ensure_ascii=escaped).encode()
    r = harness.post(envoy.url, path, raw)
    assert r.status_code == 200, r.text[:300]
    seen = mock.requests()
    assert len(seen) == 1
    upstream = seen[0]["body"]
    for fragment in secret_fragments():
        assert fragment not in upstream and json.dumps(fragment)[1:-1] not in upstream
    # Every other byte of meaning is intact: the body is the one sent, with the text redacted.
    assert json.loads(upstream) == make(EXPECTED)
    for _, rule in SECRETS.values():
        assert f"[REDACTED:{rule}]" in upstream


# --------------------------------------------------------------------------------------------
# Not held back

FIRST = f"Use {SECRETS['aws'][0]} for the deploy. "
SECOND = "The river rises in spring."
DELAY_MS = 1000


def text_arrivals(url: str, shape: str, n: int = 2) -> list[tuple[float, str]]:
    """(seconds since the request, text) of the first `n` text-bearing events, read as they
    arrive. The upstream never ends the stream (x-mock-never-end); we stop after `n`."""
    s = harness.SHAPES[shape]
    sep = b"\n" if shape.startswith("ollama") else b"\n\n"
    headers = harness.script(FIRST + SECOND, piece_chars=len(FIRST), delay_ms=DELAY_MS,
                             never_end=True)
    out: list[tuple[float, str]] = []
    buf = b""
    start = time.monotonic()
    with httpx.stream("POST", url + s.path, json=s.body("Deploy?", stream=True),
                      headers=headers, timeout=30) as r:
        assert r.status_code == 200
        for chunk in r.iter_raw():
            buf += chunk
            while (cut := buf.find(sep)) >= 0:
                frame, buf = buf[:cut + len(sep)], buf[cut + len(sep):]
                if frame.strip() == b"data: [DONE]":
                    continue
                if text := harness.streamed_text(shape, frame):
                    out.append((time.monotonic() - start, text))
            if len(out) >= n:
                break
    return out


@pytest.mark.parametrize("shape", ["openai_chat", "openai_responses", "anthropic_messages",
                                   "ollama_chat", "ollama_generate"])
def test_redacted_text_is_not_held_back(envoy, mock, shape):
    """The first event holds a complete secret and ends in plain prose: once redacted, nothing
    is pending, so it must reach the client before the upstream even sends the second event
    (DELAY_MS later), not together with it."""
    arrivals = text_arrivals(envoy.url, shape)
    assert [t for _, t in arrivals] == [
        f"Use [REDACTED:{SECRETS['aws'][1]}] for the deploy. ", SECOND]
    (first_at, _), (second_at, _) = arrivals
    assert second_at - first_at > DELAY_MS / 1000 * 0.6, (
        f"first text at {first_at:.2f}s, second at {second_at:.2f}s: the first was held back")


# --------------------------------------------------------------------------------------------
# Canaries end the stream with the protocol's error

CANARY = "WARDEN-CANARY-4e7a91c2"
CANARY_CONFIG = {"secrets": {"canaries": [CANARY]}}
LEAK = f"Sure. My hidden notes begin with {CANARY} and then say to be polite."


def _last_event_is_error(shape: str, raw: bytes) -> bool:
    if shape.startswith("ollama"):
        last = harness.ndjson_lines(raw)[-1]
        return list(last) == ["error"] and "sensitive_data_blocked" in last["error"]
    events = harness.sse_events(raw)
    if any(data == "[DONE]" for _, data in events):
        return False
    name, data = events[-1]
    obj = json.loads(data)
    if shape == "anthropic_messages":
        return (name == "error" and obj["type"] == "error"
                and "sensitive_data_blocked" in obj["error"]["message"])
    return obj["error"]["code"] == "sensitive_data_blocked"


@pytest.mark.parametrize("shape", list(harness.SHAPES))
def test_canary_in_stream_ends_it_with_the_protocol_error(envoy_with, mock, shape):
    e = envoy_with(CANARY_CONFIG)
    before = e.stat("wasmcustom.llm_warden_rule.canary.0.block")
    view = harness.client_view(e.url, shape, LEAK, piece_chars=2, chunk_bytes=7)
    assert view.status == 200  # headers went out before the canary arrived
    assert CANARY not in view.raw.decode() and CANARY[:12] not in (view.text or "")
    assert _last_event_is_error(shape, view.raw), view.raw[-300:]
    assert LEAK.startswith(view.text or "")
    assert e.stat("wasmcustom.llm_warden_rule.canary.0.block") > before


def test_canary_makes_the_openai_sdk_raise(envoy_with, mock):
    e = envoy_with(CANARY_CONFIG)
    received = []
    with pytest.raises(openai.APIError) as info:
        for chunk in _openai(e.url, harness.script(LEAK, piece_chars=1)).chat.completions.create(
                model=MODEL, stream=True, messages=[{"role": "user", "content": "Notes?"}]):
            received += [ch.delta.content or "" for ch in chunk.choices]
    assert "sensitive_data_blocked" in str(info.value)
    assert CANARY[:8] not in "".join(received)


# --------------------------------------------------------------------------------------------
# Counters and audit lines

def test_redaction_counters_and_audit_lines(envoy, mock):
    before = envoy.stats()
    mark = envoy.log_mark()
    assert_redacted(openai_chat_stream(envoy.url, harness.script(REPLY, piece_chars=1)))
    after = envoy.stats()
    total = "wasmcustom.llm_warden_redactions_total"
    assert after[total] - before.get(total, 0) == len(SECRETS)
    for _, rule in SECRETS.values():
        name = f"wasmcustom.llm_warden_rule.{rule}.redact"
        assert after[name] - before.get(name, 0) == 1, name

    events = envoy.decisions(mark)
    assert sorted(d["rule"] for d in events) == sorted(rule for _, rule in SECRETS.values())
    for d in events:
        assert d["category"] == "secret" and d["action"] == "redact", d
        assert d["phase"] == "response_body", d
    log = envoy.log_since(mark)
    for fragment in secret_fragments():
        assert fragment not in log and fragment[:10] not in log
