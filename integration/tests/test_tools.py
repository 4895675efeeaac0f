"""Tool-call governance end to end: the real Envoy with the filter, the mock upstream
scripting tool calls, and the official `openai`, `anthropic` and `ollama` clients.

The policy allows `get_weather` and `fetch_url` (the latter only to `*.example.com`) and nothing
else: `send_money` falls to `default: deny` (rule `tools.default`), `delete_file` to a deny glob
(rule `tools.deny[0]`). Each behaviour is a table; the rows say what the client must see.

- Calls in responses, plain and streamed, in every API shape, under `on_call: strip` (the
  disallowed calls vanish and the message ends cleanly) and `on_call: block` (the answer ends with
  the API's error: a non-streamed answer's body becomes the error document, with status 200 because
  the wasm host cannot change a status once the body is being read, see the README; a stream ends
  with the protocol's terminal error event, which the SDKs raise).
  Allowed calls are not held back: they arrive complete while the upstream stream stays open.
- Argument constraints on a `fetch_url` call, plain and streamed (arguments one character per
  event, or whole).
- Answers the mock cannot script, from a canned upstream: a tool name split across deltas,
  arguments that come whole with the call, custom and legacy function calls.
- Offered tools: stripped before the upstream (default) or refused (`on_offered: reject`), hosted
  and legacy definitions included, and a `tool_choice` forcing a refused tool is refused.
- Per-caller policies selected by an identity header (tool sets, `max_calls`, monitor mode).
- Audit lines and the `llm_warden_tool_calls_blocked_total` counter.

Known engine bugs are `xfail(strict=True)` with the input, what happens and what should.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import anthropic
import httpx
import ollama
import openai
import pydantic
import pytest

import harness

PINNED = harness.DEFAULT_MODEL
CLAUDE = "claude-test-model"
REPLY = "Let me check that for you."

# -- policy -----------------------------------------------------------------------------------

FETCH_RULE = {"tool": "fetch_url", "pointer": "/url", "url_hosts": ["*.example.com"]}


def tools_policy(on_call: str, **extra: Any) -> dict:
    return {"tools": {"default": "deny", "allow": ["get_weather", "fetch_url"],
                      "deny": ["delete_*"], "arguments": [FETCH_RULE], "on_call": on_call,
                      **extra}}


POLICY = {"block": tools_policy("block"), "strip": tools_policy("strip")}
REJECT_POLICY = tools_policy("block", on_offered="reject")
# Callers pick policies by a header the mesh sets. `admins` vs everyone else is the README's
# example; `limited` allows one call per answer; `observed` only watches (decides, logs and
# counts, lets everything through).
CALLER_POLICY = {
    "tools": {"default": "deny", "allow": ["get_weather"], "on_call": "strip"},
    "policies": {
        "admins": {"tools": {"default": "allow", "deny": ["delete_*"], "on_call": "strip"}},
        "limited": {"tools": {"default": "deny", "allow": ["get_weather"], "max_calls": 1,
                              "on_call": "strip"}},
        "observed": {"tools": {"default": "deny", "allow": ["get_weather"], "monitor": True}},
    },
    "routes": [{"match": {"header": {"name": "x-user-group", "value": group}}, "policy": group}
               for group in ("admins", "limited", "observed")],
}


@pytest.fixture(params=["block", "strip"])
def on_call(request) -> str:
    return request.param


# -- tool calls the mock returns --------------------------------------------------------------

WEATHER_PARIS = {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}
WEATHER_ROME = {"name": "get_weather", "arguments": {"city": "Rome"}}
SEND_MONEY = {"name": "send_money", "arguments": {"to": "mallory", "amount": 1000}}
DELETE_FILE = {"name": "delete_file", "arguments": {"path": "/etc/passwd"}}
# Names the policy admits in calls (allow globs match exactly; fetch_url has its own tests).
ALLOWED_NAMES = ("get_weather",)


def call(name: str, **arguments: Any) -> dict:
    return {"name": name, "arguments": arguments}


@dataclass(frozen=True)
class Mix:
    """Tool calls the upstream returns, and what each client must end up with."""
    name: str
    calls: list[dict]

    @property
    def allowed(self) -> list[tuple[str, dict]]:
        return [(c["name"], c["arguments"]) for c in self.calls if c["name"] in ALLOWED_NAMES]

    @property
    def allowed_before_first_denied(self) -> list[tuple[str, dict]]:
        out = []
        for c in self.calls:
            if c["name"] not in ALLOWED_NAMES:
                break
            out.append((c["name"], c["arguments"]))
        return out

    @property
    def denied_names(self) -> list[str]:
        return [c["name"] for c in self.calls if c["name"] not in ALLOWED_NAMES]

    @property
    def denied_values(self) -> list[bytes]:
        """Argument values of refused calls: these bytes must never reach a client."""
        return [str(v).encode() for c in self.calls if c["name"] not in ALLOWED_NAMES
                for v in c["arguments"].values() if isinstance(v, str)]


MIXES = [
    Mix("allowed-denied-allowed-denied", [WEATHER_PARIS, SEND_MONEY, WEATHER_ROME, DELETE_FILE]),
    Mix("denied-first", [DELETE_FILE, WEATHER_ROME]),
    Mix("only-denied", [SEND_MONEY]),
    # Deny globs match case-insensitively, allow globs exactly; padded names are always refused.
    Mix("name-tricks", [call("DELETE_FILE", path="/etc/shadow"),
                        call("Get_Weather", city="Oslo-cased"),
                        call("get_weather ", city="Oslo-padded"), WEATHER_ROME]),
]

# Offered to the model in response tests: only the allowed tools, so the request passes as is.
OFFERED = ["get_weather", "fetch_url"]
ALL_TOOLS = ["get_weather", "send_money", "delete_file", "fetch_url"]


def openai_tools(names: list[str]) -> list[dict]:
    return [{"type": "function", "function": {"name": n, "parameters": {"type": "object"}}}
            for n in names]


def responses_tools(names: list[str]) -> list[dict]:
    return [{"type": "function", "name": n, "parameters": {"type": "object"}} for n in names]


def anthropic_tools(names: list[str]) -> list[dict]:
    return [{"name": n, "input_schema": {"type": "object"}} for n in names]


TOOL_DEFS: dict[str, Callable[[list[str]], list[dict]]] = {
    "openai_chat": openai_tools,
    "openai_responses": responses_tools,
    "anthropic_messages": anthropic_tools,
    "ollama_chat": openai_tools,
}

# -- SDK drivers: one request, what the client ends up holding --------------------------------


@dataclass
class Answer:
    """What an SDK gave the application: text, tool calls (name, parsed arguments), how the
    message ended (finish/stop reason, status), and the exception it raised, if any. For a stream
    cut by an error, `calls` is what the SDK had accumulated before the error."""
    text: str = ""
    calls: list[tuple[str, dict]] = field(default_factory=list)
    end: str | None = None
    error: Exception | None = None


def oa(base: str, headers: dict) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key="sk-test-not-a-secret", max_retries=0,
                         timeout=30, default_headers=headers)


def an(base: str, headers: dict) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=base, api_key="test-key", max_retries=0, timeout=30,
                               default_headers=headers)


def ol(base: str, headers: dict) -> ollama.Client:
    return ollama.Client(host=base, headers=headers, timeout=30)


MESSAGES = [{"role": "user", "content": "What's the weather in Paris and Rome?"}]


def sdk_openai_chat(base: str, headers: dict, stream: bool, tools: list[str]) -> Answer:
    c = oa(base, headers)
    if not stream:
        r = c.chat.completions.create(model=PINNED, messages=MESSAGES, tools=openai_tools(tools))
        if r.choices is None:  # a 200 whose body is an error document
            return Answer(error=RuntimeError(repr(getattr(r, "error", None))))
        ch = r.choices[0]
        return Answer(ch.message.content or "",
                      [(t.function.name, json.loads(t.function.arguments))
                       for t in ch.message.tool_calls or []], ch.finish_reason)
    with c.chat.completions.stream(model=PINNED, messages=MESSAGES,
                                   tools=openai_tools(tools)) as s:
        try:
            for _ in s:
                pass
            final, error = s.get_final_completion(), None
        except openai.APIError as e:
            final, error = s.current_completion_snapshot, e
    ch = final.choices[0]
    calls = [(t.function.name, json.loads(t.function.arguments))
             for t in ch.message.tool_calls or []]
    return Answer(ch.message.content or "", calls, ch.finish_reason, error)


def sdk_openai_responses(base: str, headers: dict, stream: bool, tools: list[str]) -> Answer:
    c = oa(base, headers)
    if not stream:
        r = c.responses.create(model=PINNED, input="weather?", tools=responses_tools(tools))
        if r.output is None:
            return Answer(error=RuntimeError(repr(getattr(r, "error", None))))
        return Answer(r.output_text, [(o.name, json.loads(o.arguments)) for o in r.output
                                      if o.type == "function_call"], r.status)
    text, calls, end, error = "", [], None, None
    with c.responses.stream(model=PINNED, input="weather?", tools=responses_tools(tools)) as s:
        try:
            for ev in s:
                if ev.type == "response.output_text.delta":
                    text += ev.delta
                elif ev.type == "response.output_item.done" and ev.item.type == "function_call":
                    calls.append((ev.item.name, json.loads(ev.item.arguments)))
            final = s.get_final_response()
            # The SDK's accumulated response must agree with the events it delivered.
            assert final.output_text == text
            assert [(o.name, json.loads(o.arguments)) for o in final.output
                    if o.type == "function_call"] == calls
            end = final.status
        except openai.APIError as e:
            error = e
    return Answer(text, calls, end, error)


def sdk_anthropic(base: str, headers: dict, stream: bool, tools: list[str]) -> Answer:
    c = an(base, headers)
    kw = dict(model=CLAUDE, max_tokens=256, messages=MESSAGES, tools=anthropic_tools(tools))
    if not stream:
        m = c.messages.create(**kw)
        if m.content is None:
            return Answer(error=RuntimeError(repr(getattr(m, "error", None))))
        return Answer("".join(b.text for b in m.content if b.type == "text"),
                      [(b.name, b.input) for b in m.content if b.type == "tool_use"],
                      m.stop_reason)
    with c.messages.stream(**kw) as s:
        try:
            for _ in s:
                pass
            final, error = s.get_final_message(), None
        except anthropic.APIError as e:
            final, error = s.current_message_snapshot, e
    return Answer("".join(b.text for b in final.content if b.type == "text"),
                  [(b.name, b.input) for b in final.content if b.type == "tool_use"],
                  final.stop_reason, error)


def sdk_ollama(base: str, headers: dict, stream: bool, tools: list[str]) -> Answer:
    c = ol(base, headers)
    if not stream:
        r = c.chat(model=PINNED, messages=MESSAGES, tools=openai_tools(tools), stream=False)
        return Answer(r.message.content or "",
                      [(t.function.name, dict(t.function.arguments))
                       for t in r.message.tool_calls or []], r.done_reason)
    out = Answer()
    try:
        for part in c.chat(model=PINNED, messages=MESSAGES, tools=openai_tools(tools),
                           stream=True):
            out.text += part.message.content or ""
            out.calls += [(t.function.name, dict(t.function.arguments))
                          for t in part.message.tool_calls or []]
            if part.done:
                out.end = part.done_reason
    except ollama.ResponseError as e:
        out.error = e
    return out


SDK = {
    "openai_chat": sdk_openai_chat,
    "openai_responses": sdk_openai_responses,
    "anthropic_messages": sdk_anthropic,
    "ollama_chat": sdk_ollama,
}
SHAPES = list(SDK)

# How a message that ends cleanly ends, with and without tool calls.
CLEAN_END = {
    "openai_chat": ("tool_calls", "stop"),
    "openai_responses": ("completed", "completed"),
    "anthropic_messages": ("tool_use", "end_turn"),
    "ollama_chat": ("stop", "stop"),
}


# -- raw views: what went over the wire to the client -----------------------------------------


def raw(base: str, shape: str, stream: bool, headers: dict, tools: list[str],
        **body_extra: Any):
    body_extra.setdefault("tools", TOOL_DEFS[shape](tools))
    return harness.send(base, shape, "weather?", stream=stream, headers=headers, **body_extra)


def stream_objects(shape: str, body: bytes) -> list[tuple[str | None, Any]]:
    """(event name, decoded data) for every SSE event / NDJSON line; `[DONE]` stays a string."""
    if shape.startswith("ollama"):
        return [(None, o) for o in harness.ndjson_lines(body)]
    return [(ev, data if data == "[DONE]" else json.loads(data))
            for ev, data in harness.sse_events(body)]


def called_names(shape: str, obj: Any) -> list[str]:
    """Tool names one decoded stream event announces."""
    if not isinstance(obj, dict):
        return []
    if shape == "openai_chat":
        return [tc.get("function", {}).get("name") for ch in obj.get("choices") or []
                for tc in (ch.get("delta") or {}).get("tool_calls") or []
                if tc.get("function", {}).get("name")]
    if shape == "openai_responses":
        items = [obj.get("item") or {}] + ((obj.get("response") or {}).get("output") or [])
        return [i["name"] for i in items if i.get("type") == "function_call"] + (
            [obj["name"]] if obj.get("type", "").startswith("response.function_call") and
            obj.get("name") else [])
    if shape == "anthropic_messages":
        b = obj.get("content_block") or {}
        return [b["name"]] if b.get("type") == "tool_use" else []
    if shape == "ollama_chat":
        return [tc["function"]["name"] for tc in (obj.get("message") or {}).get("tool_calls")
                or []]
    raise KeyError(shape)


def clean_stream_end(shape: str, objs: list[tuple[str | None, Any]]) -> bool:
    """Whether a stream carries the protocol's normal end."""
    if shape == "openai_chat":
        return bool(objs) and objs[-1][1] == "[DONE]"
    if shape == "openai_responses":
        return bool(objs) and objs[-1][1].get("type") == "response.completed"
    if shape == "anthropic_messages":
        return bool(objs) and objs[-1][0] == "message_stop"
    if shape == "ollama_chat":
        return bool(objs) and objs[-1][1].get("done") is True
    raise KeyError(shape)


def assert_terminal_error(shape: str, objs: list[tuple[str | None, Any]]) -> None:
    """The stream ends with the protocol's error event carrying `tool_not_allowed`, and with
    nothing that looks like a normal end."""
    assert objs, "empty stream"
    event, last = objs[-1]
    if shape in ("openai_chat", "openai_responses"):
        assert all(d != "[DONE]" for _, d in objs), "an OpenAI error stream must not end [DONE]"
        assert last["error"]["code"] == "tool_not_allowed", last
        assert all(not (isinstance(d, dict) and d.get("type") == "response.completed")
                   for _, d in objs)
    elif shape == "anthropic_messages":
        assert event == "error" and last["type"] == "error", objs[-1]
        assert last["error"]["type"] == "permission_error"
        assert "tool_not_allowed" in last["error"]["message"]
        assert all(e != "message_stop" for e, _ in objs)
    elif shape == "ollama_chat":
        assert set(last) == {"error"} and "tool_not_allowed" in last["error"], last
        assert all(not d.get("done") for _, d in objs)
    else:
        raise KeyError(shape)


def assert_error_document(shape: str, body: dict) -> None:
    """A non-streamed answer replaced by the API's error document."""
    if shape.startswith("openai"):
        assert body["error"]["code"] == "tool_not_allowed", body
        assert body["error"]["type"] == "permission_error"
    elif shape == "anthropic_messages":
        assert body["type"] == "error" and body["error"]["type"] == "permission_error", body
        assert "tool_not_allowed" in body["error"]["message"]
    elif shape == "ollama_chat":
        assert set(body) == {"error"} and "tool_not_allowed" in body["error"], body
    else:
        raise KeyError(shape)


def assert_sdk_stream_error(shape: str, error: Exception | None) -> None:
    """The exception each SDK raises on the protocol's terminal error event."""
    if shape.startswith("openai"):
        assert isinstance(error, openai.APIError), repr(error)
        assert error.code == "tool_not_allowed"
    elif shape == "anthropic_messages":
        assert isinstance(error, anthropic.APIStatusError), repr(error)
        assert error.body["error"]["type"] == "permission_error"
        assert "tool_not_allowed" in error.body["error"]["message"]
    elif shape == "ollama_chat":
        assert isinstance(error, ollama.ResponseError), repr(error)
        assert "tool_not_allowed" in error.error
    else:
        raise KeyError(shape)


# -- 1. disallowed calls in responses, every shape, plain and streamed -----------------------

# Splits of a stream: characters per argument fragment / text event x bytes per network write.
SPLITS = [
    pytest.param({"piece_chars": p, "chunk_bytes": c}, id=f"piece{p}-chunk{c or 'event'}")
    for p in (1, 3) for c in (None, 1, 7)
]


@pytest.mark.parametrize("mix", MIXES, ids=lambda m: m.name)
@pytest.mark.parametrize("shape", SHAPES)
def test_plain_answer_keeps_only_allowed_calls(envoy_with, mock, shape, mix, on_call):
    envoy = envoy_with(POLICY[on_call])
    headers = harness.script(REPLY, tools=mix.calls)
    r = raw(envoy.url, shape, False, headers, OFFERED)
    for value in mix.denied_values:
        assert value not in r.content
    if on_call == "block":
        # The wasm host cannot change the status once it reads the response body (README,
        # "One limit of the wasm host"): the body becomes the API's error document.
        assert r.status_code == 200
        assert_error_document(shape, r.json())
        if shape == "ollama_chat":
            # ollama's client validates the body (no `message`) and raises.
            with pytest.raises(pydantic.ValidationError):
                SDK[shape](envoy.url, headers, False, OFFERED)
        else:
            # openai/anthropic build an answer without choices/content; the error is in it.
            answer = SDK[shape](envoy.url, headers, False, OFFERED)
            assert answer.calls == [] and "tool_not_allowed" in str(answer.error)
        return
    assert r.status_code == 200
    for name in mix.denied_names:
        assert json.dumps(name).encode() not in r.content
    answer = SDK[shape](envoy.url, headers, False, OFFERED)
    assert answer.error is None
    assert answer.text == REPLY
    assert answer.calls == mix.allowed
    assert answer.end == CLEAN_END[shape][0 if mix.allowed else 1]


# Every split for the main mix; one split (the finest text, odd network writes) for the others.
MIX_SPLITS = [pytest.param(MIXES[0], *split.values, id=f"{MIXES[0].name}-{split.id}")
              for split in SPLITS] + [
    pytest.param(m, {"piece_chars": 1, "chunk_bytes": 7}, id=f"{m.name}-piece1-chunk7")
    for m in MIXES[1:]]


@pytest.mark.parametrize(("mix", "split"), MIX_SPLITS)
@pytest.mark.parametrize("shape", SHAPES)
def test_streamed_answer_keeps_only_allowed_calls(envoy_with, mock, shape, mix, split, on_call):
    envoy = envoy_with(POLICY[on_call])
    headers = harness.script(REPLY, tools=mix.calls, **split)

    # On the wire.
    r = raw(envoy.url, shape, True, headers, OFFERED)
    assert r.status_code == 200
    for value in mix.denied_values:
        assert value not in r.content
    objs = stream_objects(shape, r.content)
    seen = [n for _, o in objs[:-1] for n in called_names(shape, o)]
    assert set(seen) <= set(ALLOWED_NAMES), seen
    if on_call == "strip":
        assert clean_stream_end(shape, objs)
        for name in mix.denied_names:
            assert json.dumps(name).encode() not in r.content
    else:
        assert_terminal_error(shape, objs)

    # Through the SDK's own stream accumulation.
    answer = SDK[shape](envoy.url, headers, True, OFFERED)
    if on_call == "strip":
        assert answer.error is None
        assert answer.text == REPLY
        assert answer.calls == mix.allowed
        assert answer.end == CLEAN_END[shape][0 if mix.allowed else 1]
    else:
        assert_sdk_stream_error(shape, answer.error)
        # What the SDK accumulated before the error: complete allowed calls only, in order. The
        # mock sends Ollama's calls in one line, which the block cuts whole.
        expected = [] if shape == "ollama_chat" else mix.allowed_before_first_denied
        assert answer.calls == expected


def completed_calls(shape: str, objs: list[tuple[str | None, Any]]) -> list[tuple[str, dict]]:
    """Tool calls whose arguments are complete in the events received so far."""
    out: list[tuple[str, dict]] = []
    if shape == "openai_chat":
        calls: dict[int, list[str]] = {}
        for _, o in objs:
            for ch in (o.get("choices") or []) if isinstance(o, dict) else []:
                for tc in (ch.get("delta") or {}).get("tool_calls") or []:
                    c = calls.setdefault(tc["index"], ["", ""])
                    c[0] += tc.get("function", {}).get("name") or ""
                    c[1] += tc.get("function", {}).get("arguments") or ""
        for name, args in calls.values():
            try:
                out.append((name, json.loads(args)))
            except ValueError:
                pass
    elif shape == "openai_responses":
        out = [(o["item"]["name"], json.loads(o["item"]["arguments"])) for _, o in objs
               if o.get("type") == "response.output_item.done"
               and o["item"]["type"] == "function_call"]
    elif shape == "anthropic_messages":
        blocks: dict[int, list[str]] = {}
        for _, o in objs:
            if o.get("type") == "content_block_start" and o["content_block"]["type"] == "tool_use":
                blocks[o["index"]] = [o["content_block"]["name"], ""]
            elif o.get("type") == "content_block_delta" and o["index"] in blocks:
                blocks[o["index"]][1] += o["delta"].get("partial_json", "")
            elif o.get("type") == "content_block_stop" and o["index"] in blocks:
                name, args = blocks.pop(o["index"])
                out.append((name, json.loads(args)))
    elif shape == "ollama_chat":
        out = [(tc["function"]["name"], tc["function"]["arguments"]) for _, o in objs
               for tc in (o.get("message") or {}).get("tool_calls") or []]
    else:
        raise KeyError(shape)
    return out


@pytest.mark.parametrize(("policy", "calls"), [
    pytest.param("block", [WEATHER_PARIS], id="block-allowed-only"),
    pytest.param("strip", [SEND_MONEY, WEATHER_PARIS], id="strip-after-refused"),
])
@pytest.mark.parametrize("shape", SHAPES)
def test_allowed_call_is_not_held_until_the_end(envoy_with, mock, shape, policy, calls):
    """The upstream never ends the answer (no finish event, connection kept open): an allowed
    call must still reach the client complete, so nothing waits for the end of the stream."""
    envoy = envoy_with(POLICY[policy])
    headers = harness.script(REPLY, tools=calls, piece_chars=3, never_end=True)
    body = harness.SHAPES[shape].body("weather?", stream=True, tools=TOOL_DEFS[shape](OFFERED))
    got: list[tuple[str, dict]] = []
    buf = b""
    # The read timeout only detects a call that is never released; it measures nothing.
    with httpx.stream("POST", f"{envoy.url}{harness.SHAPES[shape].path}", json=body,
                      headers=headers, timeout=httpx.Timeout(30, read=10)) as r:
        for chunk in r.iter_raw():
            buf += chunk
            complete = buf[:buf.rfind(b"\n\n" if not shape.startswith("ollama") else b"\n") + 1]
            got = completed_calls(shape, stream_objects(shape, complete))
            if got:
                break
    assert got == [("get_weather", WEATHER_PARIS["arguments"])]
    assert b"mallory" not in buf


# -- 2. argument constraints on a streamed call -----------------------------------------------

@dataclass(frozen=True)
class UrlCase:
    name: str
    url: str
    allowed: bool


URL_CASES = [
    UrlCase("subdomain", "https://api.example.com/v1/forecast?city=Paris&days=3", True),
    UrlCase("deeper-subdomain", "http://eu.api.example.com/x", True),
    UrlCase("case-and-trailing-dot", "https://API.Example.COM./status", True),
    UrlCase("other-host", "https://evil.net/collect?city=Paris", False),
    UrlCase("apex-not-matched", "https://example.com/", False),
    UrlCase("suffix-trick", "https://api.example.com.evil.net/", False),
    UrlCase("userinfo-trick", "https://api.example.com@evil.net/", False),
    UrlCase("host-in-query", "https://evil.net/?next=https://api.example.com/", False),
    UrlCase("other-port", "https://api.example.com:8443/", False),
    UrlCase("scheme", "ftp://api.example.com/pub", False),
    UrlCase("backslash", "https://evil.net\\@api.example.com/", False),
    UrlCase("default-port-explicit", "https://api.example.com:443/v1", True),
    UrlCase("non-ascii-host", "https://\u0430pi.example.com/", False),
    UrlCase("percent-in-authority", "https://api.example.com%2F@evil.net/", False),
    UrlCase("scheme-relative", "//api.example.com/x", False),
    UrlCase("leading-space", " https://api.example.com/", False),
    UrlCase("not-a-url", "api.example.com", False),
]


def fetch_call(url: str) -> dict:
    return {"name": "fetch_url", "arguments": {"url": url, "method": "GET"}}


@pytest.mark.parametrize("case", URL_CASES, ids=lambda c: c.name)
def test_streamed_fetch_url_host_constraint(envoy_with, mock, case, on_call):
    """Arguments arrive one character per event: the call is held until its arguments are
    complete, then released intact or refused; no fragment of a refused URL reaches the client."""
    envoy = envoy_with(POLICY[on_call])
    headers = harness.script(REPLY, tools=[WEATHER_ROME, fetch_call(case.url)], piece_chars=1)
    r = raw(envoy.url, "openai_chat", True, headers, OFFERED)
    answer = sdk_openai_chat(envoy.url, headers, True, OFFERED)
    if case.allowed:
        assert clean_stream_end("openai_chat", stream_objects("openai_chat", r.content))
        assert answer.error is None
        assert answer.calls == [("get_weather", WEATHER_ROME["arguments"]),
                                ("fetch_url", {"url": case.url, "method": "GET"})]
        return
    objs = stream_objects("openai_chat", r.content)
    names = [n for _, o in objs for n in called_names("openai_chat", o)]
    fragments = "".join(tc.get("function", {}).get("arguments") or ""
                        for _, o in objs if isinstance(o, dict)
                        for ch in o.get("choices") or []
                        for tc in (ch.get("delta") or {}).get("tool_calls") or [])
    # Neither the name nor any fragment of the refused call's arguments reached the client.
    assert "fetch_url" not in names and '"url"' not in fragments, (names, fragments)
    if on_call == "block":
        assert_terminal_error("openai_chat", stream_objects("openai_chat", r.content))
        assert_sdk_stream_error("openai_chat", answer.error)
        assert answer.calls == [("get_weather", WEATHER_ROME["arguments"])]
    else:
        assert answer.error is None
        assert answer.calls == [("get_weather", WEATHER_ROME["arguments"])]
        assert answer.end == "tool_calls"


@pytest.mark.parametrize("chunk_bytes", [None, 1])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("case", [URL_CASES[0], URL_CASES[3]], ids=lambda c: c.name)
def test_fetch_url_constraint_in_every_shape(envoy_with, mock, shape, case, chunk_bytes,
                                             on_call):
    envoy = envoy_with(POLICY[on_call])
    headers = harness.script(REPLY, tools=[fetch_call(case.url)], piece_chars=1,
                             chunk_bytes=chunk_bytes)
    answer = SDK[shape](envoy.url, headers, True, OFFERED)
    if case.allowed:
        assert answer.error is None
        assert answer.calls == [("fetch_url", {"url": case.url, "method": "GET"})]
        assert answer.end == CLEAN_END[shape][0]
        return
    r = raw(envoy.url, shape, True, headers, OFFERED)
    assert b"evil.net" not in r.content
    objs = stream_objects(shape, r.content)
    assert all("fetch_url" not in called_names(shape, o) for _, o in objs)
    assert answer.calls == []
    if on_call == "block":
        assert_sdk_stream_error(shape, answer.error)
        assert_terminal_error(shape, objs)
    else:
        # The only call is gone: a plain answer that ends as one without tool calls.
        assert answer.error is None and answer.text == REPLY
        assert answer.end == CLEAN_END[shape][1]
        assert clean_stream_end(shape, objs)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("case", [URL_CASES[0], URL_CASES[3]], ids=lambda c: c.name)
def test_fetch_url_constraint_in_plain_answers(envoy_with, mock, shape, case, on_call):
    envoy = envoy_with(POLICY[on_call])
    headers = harness.script(REPLY, tools=[fetch_call(case.url), WEATHER_ROME])
    r = raw(envoy.url, shape, False, headers, OFFERED)
    assert r.status_code == 200
    if not case.allowed:
        assert b"evil.net" not in r.content
    if not case.allowed and on_call == "block":
        assert_error_document(shape, r.json())
        return
    answer = SDK[shape](envoy.url, headers, False, OFFERED)
    expected = ([("fetch_url", {"url": case.url, "method": "GET"})] if case.allowed else []) + [
        ("get_weather", WEATHER_ROME["arguments"])]
    assert answer.error is None and answer.calls == expected


# Regression row: OpenAI Chat released a held call after every later call (fixed in 85ef7a5).
@pytest.mark.parametrize("shape", SHAPES)
def test_held_call_keeps_its_place(envoy_with, mock, shape):
    """A call held for its argument rules is released intact and where the model put it."""
    envoy = envoy_with(POLICY["block"])
    url = URL_CASES[0].url
    headers = harness.script(REPLY, tools=[fetch_call(url), WEATHER_ROME], piece_chars=1)
    answer = SDK[shape](envoy.url, headers, True, OFFERED)
    assert answer.error is None
    assert answer.calls == [("fetch_url", {"url": url, "method": "GET"}),
                            ("get_weather", WEATHER_ROME["arguments"])]


# -- answers the mock cannot script: split names, whole arguments, custom and legacy calls ---


class CannedUpstream:
    """A minimal upstream answering every POST with the canned body its `x-canned` header names
    (JSON when it starts with `{`, else SSE): for answers the mock does not script."""

    def __init__(self, bodies: dict[str, bytes]):
        bodies_ = bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                # The filter may forward the request chunked (it can change the body's length):
                # read it whole either way, or its unread bytes become the start of the next
                # request on the reused connection (REGRESSION: an intermittent "protocol error"
                # reset); and close after answering.
                self._read_body()
                self.close_connection = True
                body = bodies_[self.headers["x-canned"]]
                self.send_response(200)
                self.send_header("connection", "close")
                self.send_header("content-type", "application/json" if body.startswith(b"{")
                                 else "text/event-stream")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _read_body(self) -> None:
                if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        self.rfile.read(size + 2)  # the chunk and its CRLF
                        if size == 0:
                            return
                self.rfile.read(int(self.headers.get("content-length") or 0))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def chat_chunk(delta: dict, finish: str | None = None) -> str:
    return "data: " + json.dumps({
        "id": "chatcmpl-canned", "object": "chat.completion.chunk", "created": 1,
        "model": PINNED, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }) + "\n\n"


def split_name_stream(*name_parts: str) -> bytes:
    """One OpenAI Chat tool call whose name arrives in several deltas (OpenAI sends it whole;
    the SDKs concatenate every string field of a delta, the name included)."""
    first, *rest = name_parts
    return "".join([
        chat_chunk({"role": "assistant", "content": None}),
        chat_chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                    "function": {"name": first, "arguments": ""}}]}),
        *(chat_chunk({"tool_calls": [{"index": 0, "function": {"name": p}}]}) for p in rest),
        chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}),
        chat_chunk({}, "tool_calls"),
        "data: [DONE]\n\n",
    ]).encode()


def sse(event: str | None, data: dict) -> str:
    return (f"event: {event}\n" if event else "") + f"data: {json.dumps(data)}\n\n"


EVIL_ARGS = {"url": "https://evil.net/x"}


def whole_call_streams() -> dict[str, bytes]:
    """Streams where a constrained call's arguments come whole with its name, not as deltas
    (what OpenAI-compatible servers that parse tool calls after generation send)."""
    args = json.dumps(EVIL_ARGS)
    chat = "".join([
        chat_chunk({"role": "assistant", "content": None}),
        chat_chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                    "function": {"name": "fetch_url", "arguments": args}}]}),
        chat_chunk({}, "tool_calls"), "data: [DONE]\n\n"])
    item = {"id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_1",
            "name": "fetch_url", "arguments": args}
    response = {"id": "resp_1", "object": "response", "created_at": 1, "model": PINNED,
                "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}
    responses = "".join([
        sse("response.created", {"type": "response.created", "sequence_number": 0,
                                 "response": {**response, "status": "in_progress",
                                              "output": []}}),
        sse("response.output_item.added", {"type": "response.output_item.added",
                                           "sequence_number": 1, "output_index": 0,
                                           "item": {**item, "status": "in_progress"}}),
        sse("response.output_item.done", {"type": "response.output_item.done",
                                          "sequence_number": 2, "output_index": 0,
                                          "item": item}),
        sse("response.completed", {"type": "response.completed", "sequence_number": 3,
                                   "response": {**response, "status": "completed",
                                                "output": [item]}})])
    messages = "".join([
        sse("message_start", {"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": CLAUDE,
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1}}}),
        sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_1", "name": "fetch_url", "input": EVIL_ARGS}}),
        sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
        sse("message_delta", {"type": "message_delta", "delta": {
            "stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 1}}),
        sse("message_stop", {"type": "message_stop"})])
    return {"whole-openai_chat": chat.encode(), "whole-openai_responses": responses.encode(),
            "whole-anthropic_messages": messages.encode()}


# Custom (free-form input) tool calls, which the client executes like function calls.
CUSTOM_CALLS = {
    "custom-openai_chat": {
        "id": "chatcmpl-canned", "object": "chat.completion", "created": 1, "model": PINNED,
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "custom",
                 "custom": {"name": "send_money", "input": "to=mallory amount=1000"}}]}}]},
    # Control: the same call as a function call, which is governed.
    "function-openai_chat": {
        "id": "chatcmpl-canned", "object": "chat.completion", "created": 1, "model": PINNED,
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {
                    "name": "send_money", "arguments": '{"to": "mallory"}'}}]}}]},
    # The legacy single call (`functions` in the request, `message.function_call` back).
    "legacy-openai_chat": {
        "id": "chatcmpl-canned", "object": "chat.completion", "created": 1, "model": PINNED,
        "choices": [{"index": 0, "finish_reason": "function_call", "message": {
            "role": "assistant", "content": None,
            "function_call": {"name": "send_money", "arguments": '{"to": "mallory"}'}}}]},
    "custom-openai_responses": {
        "id": "resp_1", "object": "response", "created_at": 1, "model": PINNED,
        "status": "completed", "output": [
            {"id": "ctc_1", "type": "custom_tool_call", "status": "completed",
             "call_id": "call_1", "name": "send_money", "input": "to=mallory amount=1000"}]},
}

CANNED = {
    "allowed-then-suffix": split_name_stream("get_weather", "_admin"),
    "fragment-then-denied": split_name_stream("del", "ete_file"),
    **whole_call_streams(),
    **{k: json.dumps(v).encode() for k, v in CUSTOM_CALLS.items()},
}
# The allowlist policy at the top level; a deny-list caller for names assembled into a denied one.
SPLIT_NAME_POLICY = {
    **tools_policy("block"),
    "policies": {"denylist": {"tools": {"default": "allow", "deny": ["delete_*"]}}},
    "routes": [{"match": {"header": {"name": "x-user-group", "value": "denylist"}},
                "policy": "denylist"}],
}


@pytest.fixture(scope="module")
def canned_envoy():
    upstream = CannedUpstream(CANNED)
    envoy = harness.Envoy(harness.ENVOY_WITH_FILTER, ("127.0.0.1", upstream.port),
                          SPLIT_NAME_POLICY).start()
    yield envoy
    envoy.stop()
    upstream.stop()


# REGRESSION: the name was decided on its first fragment.
@pytest.mark.parametrize(("canned", "group", "refused"), [
    ("allowed-then-suffix", None, "get_weather_admin"),
    ("fragment-then-denied", "denylist", "delete_file"),
])
def test_tool_name_split_across_deltas_is_governed_whole(canned_envoy, canned, group, refused):
    headers = {"x-canned": canned, **({"x-user-group": group} if group else {})}
    answer = sdk_openai_chat(canned_envoy.url, headers, True, OFFERED)
    assert refused not in [n for n, _ in answer.calls], answer
    if answer.error is not None:
        assert_sdk_stream_error("openai_chat", answer.error)


@pytest.mark.parametrize("shape", [
    "openai_chat",
    "openai_responses",  # REGRESSION: whole arguments in the item were not checked
    "anthropic_messages",  # REGRESSION: whole input in content_block_start
])
def test_constrained_call_with_whole_arguments_is_checked(canned_envoy, shape):
    """The URL-host rule holds when the arguments arrive in one piece: with the name (OpenAI
    Chat), in the item itself (Responses), in the block's `input` (Anthropic)."""
    answer = SDK[shape](canned_envoy.url, {"x-canned": f"whole-{shape}"}, True, OFFERED)
    assert ("fetch_url", EVIL_ARGS) not in answer.calls, answer
    assert_sdk_stream_error(shape, answer.error)


# REGRESSION: custom tool calls and legacy function_call were ungoverned in responses.
@pytest.mark.parametrize(("canned", "shape"), [
    pytest.param("function-openai_chat", "openai_chat", id="function-control"),
    pytest.param("custom-openai_chat", "openai_chat", id="custom-chat"),
    pytest.param("custom-openai_responses", "openai_responses", id="custom-responses"),
    pytest.param("legacy-openai_chat", "openai_chat", id="legacy-function-call"),
])
def test_custom_and_legacy_tool_calls_are_governed(canned_envoy, canned, shape):
    r = raw(canned_envoy.url, shape, False, {"x-canned": canned}, OFFERED)
    assert b"mallory" not in r.content, r.text
    assert_error_document(shape, r.json())


# -- 3. offered tools -------------------------------------------------------------------------

def offered_upstream(mock) -> list[str]:
    """Tool names in the request the mock received."""
    body = json.loads(mock.last_request()["body"])
    return [t.get("function", {}).get("name") or t.get("name") for t in body.get("tools", [])]


def offer_with_sdk(shape: str, base: str, headers: dict, tools: list[str],
                   tool_choice: Any = None) -> Any:
    """Sends a plain request offering `tools` with each SDK; returns the SDK's answer."""
    extra = {} if tool_choice is None else {"tool_choice": tool_choice}
    if shape == "openai_chat":
        return oa(base, headers).chat.completions.create(
            model=PINNED, messages=MESSAGES, tools=openai_tools(tools), **extra)
    if shape == "openai_responses":
        return oa(base, headers).responses.create(
            model=PINNED, input="weather?", tools=responses_tools(tools), **extra)
    if shape == "anthropic_messages":
        return an(base, headers).messages.create(
            model=CLAUDE, max_tokens=64, messages=MESSAGES, tools=anthropic_tools(tools),
            **extra)
    if shape == "ollama_chat":
        assert tool_choice is None  # Ollama has no tool_choice
        return ol(base, headers).chat(model=PINNED, messages=MESSAGES,
                                      tools=openai_tools(tools), stream=False)
    raise KeyError(shape)


def assert_sdk_refused(shape: str, exc: Exception) -> None:
    """A 403 `tool_not_allowed` local reply, as each SDK raises it."""
    if shape.startswith("openai"):
        assert isinstance(exc, openai.PermissionDeniedError), repr(exc)
        assert exc.status_code == 403 and exc.code == "tool_not_allowed"
    elif shape == "anthropic_messages":
        assert isinstance(exc, anthropic.PermissionDeniedError), repr(exc)
        assert exc.status_code == 403
        assert exc.body["type"] == "error" and exc.body["error"]["type"] == "permission_error"
        assert "tool_not_allowed" in exc.body["error"]["message"]
        assert exc.response.headers["x-llm-warden-code"] == "tool_not_allowed"
    elif shape == "ollama_chat":
        assert isinstance(exc, ollama.ResponseError), repr(exc)
        assert exc.status_code == 403 and "tool_not_allowed" in exc.error
    else:
        raise KeyError(shape)


@pytest.mark.parametrize("shape", SHAPES)
def test_offered_tools_outside_policy_never_reach_upstream(envoy_with, mock, shape):
    envoy = envoy_with(POLICY["block"])
    answer = offer_with_sdk(shape, envoy.url, harness.script(REPLY), ALL_TOOLS)
    assert answer is not None
    assert offered_upstream(mock) == ["get_weather", "fetch_url"]


@pytest.mark.parametrize("shape", SHAPES)
def test_offered_tools_rejected_with_on_offered_reject(envoy_with, mock, shape):
    envoy = envoy_with(REJECT_POLICY)
    exc = harness.raised(
        lambda: offer_with_sdk(shape, envoy.url, harness.script(REPLY), ALL_TOOLS))
    assert_sdk_refused(shape, exc)
    assert mock.requests() == []
    # Only allowed tools offered: the request goes through unchanged.
    offer_with_sdk(shape, envoy.url, harness.script(REPLY), OFFERED)
    assert offered_upstream(mock) == OFFERED


@dataclass(frozen=True)
class SmuggleCase:
    name: str
    caller: dict  # identity headers (CALLER_POLICY)
    body: dict  # request fields besides model, stream and messages
    refused: str  # the tool name that must not be offered to the model


SMUGGLE_CASES = [
    SmuggleCase("tools-key", {}, {"Tools": openai_tools(["get_weather", "send_money"])},
                "send_money"),
    SmuggleCase("tools-key-upper", {}, {"TOOLS": openai_tools(["send_money"])}, "send_money"),
    # The definition's own `Name`: the filter reads no name, governs the entry as `function`,
    # which `default: allow` admits.
    SmuggleCase("name-key", {"x-user-group": "admins"},
                {"tools": [{"type": "function", "function": {
                    "Name": "delete_file", "parameters": {"type": "object"}}}]}, "delete_file"),
]


def go_names(body: dict) -> list[str]:
    """Tool names a Go decoder (case-insensitive keys, last match wins) reads from a request."""
    def get(d: dict, key: str) -> Any:
        found = None
        for k, v in d.items():
            if k.lower() == key:
                found = v
        return found
    return [get(get(t, "function") or {}, "name") for t in get(body, "tools") or []]


# REGRESSION: Go's encoding/json reads `Tools`/`Name` as `tools`/`name`; the filter did not.
@pytest.mark.parametrize("case", SMUGGLE_CASES, ids=lambda c: c.name)
def test_case_variant_tool_keys_are_not_smuggled(envoy_with, mock, case):
    envoy = envoy_with(CALLER_POLICY)
    body = {"model": PINNED, "stream": False, "messages": MESSAGES, **case.body}
    r = harness.post(envoy.url, "/api/chat", body, headers=case.caller)
    offered = [n for q in mock.requests() for n in go_names(json.loads(q["body"]))]
    assert case.refused not in offered, (r.status_code, offered)


@dataclass(frozen=True)
class DefinitionCase:
    name: str
    shape: str
    key: str  # `tools` or the legacy `functions`
    offered: list[dict]
    upstream: list[dict]


DEFINITION_CASES = [
    # Hosted tools have no function name: they are governed under their type (Responses) or
    # name (Anthropic server tools), so a policy that does not allow them strips them.
    DefinitionCase("responses-hosted", "openai_responses", "tools",
                   [{"type": "web_search"},
                    {"type": "code_interpreter", "container": {"type": "auto"}},
                    *responses_tools(["get_weather", "send_money"])],
                   responses_tools(["get_weather"])),
    DefinitionCase("anthropic-server-tools", "anthropic_messages", "tools",
                   [{"type": "web_search_20250305", "name": "web_search"},
                    {"type": "bash_20250124", "name": "bash"}, *anthropic_tools(["get_weather"])],
                   anthropic_tools(["get_weather"])),
    DefinitionCase("openai-legacy-functions", "openai_chat", "functions",
                   [{"name": "get_weather", "parameters": {"type": "object"}},
                    {"name": "send_money", "parameters": {"type": "object"}}],
                   [{"name": "get_weather", "parameters": {"type": "object"}}]),
]


@pytest.mark.parametrize("case", DEFINITION_CASES, ids=lambda c: c.name)
def test_hosted_and_legacy_tool_definitions_are_governed(envoy_with, mock, case):
    envoy = envoy_with(POLICY["block"])
    r = harness.send(envoy.url, case.shape, "weather?", headers=harness.script(REPLY),
                     **{case.key: case.offered})
    assert r.status_code == 200, r.text
    assert json.loads(mock.last_request()["body"])[case.key] == case.upstream


@dataclass(frozen=True)
class ChoiceCase:
    name: str
    shape: str
    tool_choice: Any
    refused: bool
    offered: tuple[str, ...] = tuple(ALL_TOOLS)
    # What the upstream gets when the request passes: the tools left, and the tool_choice
    # (absent when no tool is left for it to refer to).
    upstream_tools: tuple[str, ...] = ("get_weather", "fetch_url")
    upstream_choice_kept: bool = True


CHOICE_CASES = [
    ChoiceCase("openai-forces-stripped", "openai_chat",
               {"type": "function", "function": {"name": "send_money"}}, True),
    ChoiceCase("responses-forces-stripped", "openai_responses",
               {"type": "function", "name": "send_money"}, True),
    ChoiceCase("anthropic-forces-stripped", "anthropic_messages",
               {"type": "tool", "name": "delete_file"}, True),
    ChoiceCase("openai-forces-allowed", "openai_chat",
               {"type": "function", "function": {"name": "get_weather"}}, False),
    ChoiceCase("anthropic-forces-allowed", "anthropic_messages",
               {"type": "tool", "name": "get_weather"}, False),
    ChoiceCase("openai-required", "openai_chat", "required", False),
    # Every offered tool stripped: a choice demanding some tool would make the upstream refuse
    # the request, so it goes with them.
    ChoiceCase("openai-required-none-left", "openai_chat", "required", False,
               offered=("send_money",), upstream_tools=(), upstream_choice_kept=False),
    ChoiceCase("anthropic-any-none-left", "anthropic_messages", {"type": "any"}, False,
               offered=("send_money", "delete_file"), upstream_tools=(),
               upstream_choice_kept=False),
]


@pytest.mark.parametrize("case", CHOICE_CASES, ids=lambda c: c.name)
def test_tool_choice_forcing_a_refused_tool(envoy_with, mock, case):
    envoy = envoy_with(POLICY["block"])
    send = lambda: offer_with_sdk(case.shape, envoy.url, harness.script(REPLY),  # noqa: E731
                                  list(case.offered), tool_choice=case.tool_choice)
    if case.refused:
        assert_sdk_refused(case.shape, harness.raised(send))
        assert mock.requests() == []
        return
    send()
    body = json.loads(mock.last_request()["body"])
    assert offered_upstream(mock) == list(case.upstream_tools)
    if case.upstream_choice_kept:
        assert body["tool_choice"] == case.tool_choice
    else:
        assert "tool_choice" not in body and "tools" not in body


def test_tool_choice_refusal_in_raw_error_shapes(envoy_with, mock):
    """The same refusal over plain HTTP: OpenAI's error object, Anthropic's error envelope."""
    envoy = envoy_with(POLICY["block"])
    r = raw(envoy.url, "openai_chat", False, {}, ALL_TOOLS,
            tool_choice={"type": "function", "function": {"name": "send_money"}})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "tool_not_allowed"
    assert r.headers["x-llm-warden-code"] == "tool_not_allowed"
    r = raw(envoy.url, "anthropic_messages", False, {}, ALL_TOOLS,
            tool_choice={"type": "tool", "name": "send_money"})
    assert r.status_code == 403
    assert r.json()["type"] == "error" and r.json()["error"]["type"] == "permission_error"
    assert mock.requests() == []


# -- 4. two callers, two tool sets ------------------------------------------------------------

@dataclass(frozen=True)
class Caller:
    name: str
    headers: dict
    offered_upstream: list[str]
    calls_received: list[str]
    policy: str


CALLERS = [
    Caller("admins", {"x-user-group": "admins"}, ["get_weather", "send_money"],
           ["get_weather", "send_money"], "admins"),
    Caller("no-identity", {}, ["get_weather"], ["get_weather"], "default"),
    Caller("other-group", {"x-user-group": "users"}, ["get_weather"], ["get_weather"],
           "default"),
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
def test_callers_get_different_tool_sets(envoy_with, mock, caller, shape):
    envoy = envoy_with(CALLER_POLICY)
    mark = envoy.log_mark()
    # `Delete_File`: deny globs match case-insensitively, also under `default: allow`.
    headers = {**harness.script(REPLY, tools=[WEATHER_PARIS, SEND_MONEY, DELETE_FILE,
                                              call("Delete_File", path="/tmp/x")],
                                piece_chars=3), **caller.headers}
    answer = SDK[shape](envoy.url, headers, True,
                        ["get_weather", "send_money", "delete_file", "Delete_File"])
    assert offered_upstream(mock) == caller.offered_upstream
    assert answer.error is None
    assert [n for n, _ in answer.calls] == caller.calls_received
    decisions = envoy.decisions(mark, wait=2.0)
    assert decisions and {d["policy"] for d in decisions} == {caller.policy}


# REGRESSION: max_calls was counted per body chunk, not per answer.
@pytest.mark.parametrize("shape", SHAPES)
def test_max_calls_per_answer(envoy_with, mock, shape):
    envoy = envoy_with(CALLER_POLICY)
    mark = envoy.log_mark()
    # The delay between events only makes each event its own body callback (deterministic
    # chunking); nothing is timed.
    headers = {**harness.script(REPLY, tools=[WEATHER_PARIS, WEATHER_ROME], piece_chars=3,
                                delay_ms=20),
               "x-user-group": "limited"}
    answer = SDK[shape](envoy.url, headers, True, ["get_weather"])
    assert answer.error is None
    assert answer.calls == [("get_weather", WEATHER_PARIS["arguments"])]
    assert answer.end == CLEAN_END[shape][0]
    assert [(d["rule"], d["action"]) for d in envoy.decisions(mark, wait=2.0)] == [
        ("policies.limited.tools.max_calls", "strip")]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("shape", SHAPES)
def test_monitor_policy_lets_calls_through_and_logs(envoy_with, mock, shape, stream):
    envoy = envoy_with(CALLER_POLICY)
    mark = envoy.log_mark()
    headers = {**harness.script(REPLY, tools=[WEATHER_PARIS, SEND_MONEY], piece_chars=3),
               "x-user-group": "observed"}
    answer = SDK[shape](envoy.url, headers, stream, ["get_weather", "send_money"])
    assert answer.error is None
    assert answer.calls == [(c["name"], c["arguments"]) for c in (WEATHER_PARIS, SEND_MONEY)]
    assert offered_upstream(mock) == ["get_weather", "send_money"]
    events = envoy.decisions(mark, wait=2.0, at_least=2)
    assert [(d["rule"], d["phase"], d["action"], d["policy"]) for d in events] == [
        ("policies.observed.tools.default", "request_body", "monitor", "observed"),
        ("policies.observed.tools.default", "response_body", "monitor", "observed")]


# -- 5. audit and metrics ---------------------------------------------------------------------

BLOCKED_COUNTER = "wasmcustom.llm_warden_tool_calls_blocked_total"


@dataclass(frozen=True)
class AuditCase:
    name: str
    on_call: str
    stream: bool
    # (rule, action) per decision, in order.
    expected: list[tuple[str, str]]


AUDIT_CASES = [
    AuditCase("strip-stream", "strip", True,
              [("tools.default", "strip"), ("tools.deny[0]", "strip")]),
    AuditCase("strip-plain", "strip", False,
              [("tools.default", "strip"), ("tools.deny[0]", "strip")]),
    AuditCase("block-stream", "block", True, [("tools.default", "block")]),
    AuditCase("block-plain", "block", False, [("tools.default", "block")]),
]


@pytest.mark.parametrize("case", AUDIT_CASES, ids=lambda c: c.name)
def test_audit_lines_and_blocked_counter(envoy_with, mock, case):
    envoy = envoy_with(POLICY[case.on_call])
    before = envoy.stat(BLOCKED_COUNTER)
    mark = envoy.log_mark()
    r = raw(envoy.url, "openai_chat", case.stream,
            harness.script(REPLY, tools=MIXES[0].calls, piece_chars=2), OFFERED)
    assert r.status_code == 200
    tool_decisions = [d for d in envoy.decisions(mark, wait=2.0, at_least=len(case.expected))
                      if d["category"] == "tool"]
    assert [(d["rule"], d["action"]) for d in tool_decisions] == case.expected
    assert all(d["phase"] == "response_body" and d["policy"] == "default"
               for d in tool_decisions)
    # The log names rules and places, never the arguments.
    log = envoy.log_since(mark)
    assert "mallory" not in log and "/etc/passwd" not in log
    assert envoy.stat(BLOCKED_COUNTER) - before == len(case.expected)


def test_offered_tool_strip_is_audited_and_counted(envoy_with, mock):
    envoy = envoy_with(POLICY["strip"])
    before = envoy.stat(BLOCKED_COUNTER)
    mark = envoy.log_mark()
    offer_with_sdk("openai_chat", envoy.url, harness.script(REPLY), ALL_TOOLS)
    decisions = [d for d in envoy.decisions(mark, wait=2.0, at_least=2) if d["category"] == "tool"]
    assert sorted((d["rule"], d["action"], d["phase"], d["location"]) for d in decisions) == [
        ("tools.default", "strip", "request_body", "tools[send_money]"),
        ("tools.deny[0]", "strip", "request_body", "tools[delete_file]"),
    ]
    assert envoy.stat(BLOCKED_COUNTER) - before == 2
