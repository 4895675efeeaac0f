"""MCP (Model Context Protocol) end to end: the official `mcp` SDK on both sides.

An MCPServer (integration/mcp_server.py, streamable HTTP, SSE answers or JSON answers) sits behind
a real Envoy, with the wasm filter and with the ext_proc server (the same engine), and the SDK's
`Client` talks to it through Envoy, in both protocol revisions (the 2025 initialize handshake, and
2026-07-28 with its Mcp-Method / Mcp-Name headers). What it proves:

- an allowed call works, and its answer reaches the client unchanged;
- a call outside the tool policy raises the SDK's MCPError with the filter's stable code, and the
  server never sees it; so does a call whose arguments break an argument rule;
- `tools/list` is filtered: the denied tool and the tool with a poisoned description are gone;
- an injection in a tool result is blocked (the SDK raises), a secret in a tool result is
  redacted in `content[].text` and `structuredContent`;
- a batch holding a refused call is refused whole with one JSON-RPC error per request, and a
  header that disagrees with the body is refused with -32020; the server sees neither.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import extproc_harness
import harness

from mcp import Client  # noqa: E402  (the SDK is pinned in integration/requirements.txt)
from mcp.shared.exceptions import MCPError  # noqa: E402

SERVER = Path(__file__).resolve().parent.parent / "mcp_server.py"
sys.path.insert(0, str(SERVER.parent))
import mcp_server  # noqa: E402

CONFIG = {
    "mcp": {"routes": [{"path_prefix": "/mcp"}]},
    "tools": {
        "default": "deny",
        "allow": ["get_weather", "read_file", "echo"],
        "arguments": [{"tool": "read_file", "pointer": "/path", "allow": ["/srv/docs/[^.].*"]}],
    },
}
MODES = ["legacy", "2026-07-28"]


class McpServer:
    def __init__(self, json_response: bool):
        self.port = harness.free_port()
        self.calls = Path(tempfile.mkdtemp(prefix="llm-warden-mcp-")) / "calls.jsonl"
        self.calls.touch()
        cmd = [sys.executable, str(SERVER), "--port", str(self.port), "--calls", str(self.calls)]
        if json_response:
            cmd.append("--json")
        self.log = self.calls.with_name("server.log")
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log)
        harness._PROCS.append(self.proc)
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/mcp", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise harness.HarnessError(f"MCP server did not start:\n{self.log.read_text()}")
                time.sleep(0.1)

    def seen(self) -> list[dict]:
        return [json.loads(line) for line in self.calls.read_text().splitlines() if line]

    def stop(self) -> None:
        harness._stop(self.proc)


@pytest.fixture(scope="module", params=["sse", "json"])
def server(request):
    s = McpServer(json_response=request.param == "json")
    yield s
    s.stop()


@pytest.fixture(scope="module", params=["wasm", "extproc"])
def gateway(request, server):
    upstream = ("127.0.0.1", server.port)
    if request.param == "wasm":
        if not harness.WASM.exists():
            harness.missing(f"filter module not built: {harness.WASM}")
        g = harness.Envoy(harness.ENVOY_WITH_FILTER, upstream, CONFIG).start()
    else:
        extproc_harness.need_server()
        g = extproc_harness.start_extproc_envoy(upstream, CONFIG)
    yield g
    g.stop()


def run(gateway, mode: str, work) -> Any:
    """Runs `work(client)` on a connected SDK client. An MCPError it raises is raised here as it
    is (the client's task group would otherwise wrap it in an exception group)."""
    async def go():
        async with Client(f"{gateway.url}/mcp", mode=mode, read_timeout_seconds=20) as client:
            try:
                return await work(client)
            except MCPError as e:
                return e
    out = asyncio.run(go())
    if isinstance(out, MCPError):
        raise out
    return out


def text_of(result) -> str:
    return json.dumps(result.model_dump(mode="json"))


@pytest.mark.parametrize("mode", MODES)
def test_allowed_call_works(gateway, server, mode):
    result = run(gateway, mode, lambda c: c.call_tool("get_weather", {"city": f"Paris-{mode}"}))
    assert not result.is_error
    assert f"Sunny, 21 C in Paris-{mode}" in text_of(result)
    assert {"tool": "get_weather", "arguments": {"city": f"Paris-{mode}"}} in server.seen()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,arguments", [
    ("send_money", {"to": "attacker", "amount": 1000}),
    ("read_file", {"path": "/etc/passwd"}),
])
def test_refused_call_raises_and_never_reaches_the_server(gateway, server, mode, name, arguments):
    arguments = {**arguments}
    with pytest.raises(MCPError) as err:
        run(gateway, mode, lambda c: c.call_tool(name, arguments))
    assert "tool_not_allowed" in str(err.value)
    assert not [s for s in server.seen() if s["tool"] == name and s["arguments"] == arguments]


@pytest.mark.parametrize("mode", MODES)
def test_list_is_filtered_and_poisoned_tool_stripped(gateway, mode):
    result = run(gateway, mode, lambda c: c.list_tools())
    names = {t.name for t in result.tools}
    assert names == {"get_weather", "read_file"}, names


@pytest.mark.parametrize("mode", MODES)
def test_injection_in_result_is_blocked(gateway, mode):
    with pytest.raises(MCPError) as err:
        run(gateway, mode, lambda c: c.call_tool("get_weather", {"city": "Injected"}))
    assert "prompt_injection_detected" in str(err.value)


@pytest.mark.parametrize("mode", MODES)
def test_secret_in_result_is_redacted(gateway, mode):
    result = run(gateway, mode, lambda c: c.call_tool("get_weather", {"city": "Leaky"}))
    text = text_of(result)
    assert "Debug token" in text
    assert mcp_server.LEAKED_TOKEN not in text
    assert mcp_server.LEAKED_TOKEN[:12] not in text


def post(gateway, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{gateway.url}/mcp", content=json.dumps(body), timeout=20, headers={
        "content-type": "application/json",
        "accept": "application/json, text/event-stream",
        **(headers or {}),
    })


def call(i: int, name: str, arguments: dict) -> dict:
    return {"jsonrpc": "2.0", "id": i, "method": "tools/call",
            "params": {"name": name, "arguments": arguments}}


def test_batch_with_a_refused_call_is_refused_whole(gateway, server):
    batch = [call(1, "get_weather", {"city": "Batch"}), call(2, "send_money", {"to": "b", "amount": 2})]
    r = post(gateway, batch)
    assert r.status_code == 403, r.text
    errors = r.json()
    assert [e["id"] for e in errors] == [1, 2]
    assert all(e["error"]["data"]["code"] == "tool_not_allowed" for e in errors)
    assert not [s for s in server.seen() if s["arguments"] in ({"city": "Batch"}, {"to": "b", "amount": 2})]


@pytest.mark.parametrize("headers", [
    {"mcp-method": "tools/call", "mcp-name": "get_weather"},
    {"mcp-method": "tools/list"},
    {"mcp-name": "get_weather"},
])
def test_header_body_mismatch_is_refused(gateway, server, headers):
    body = call(7, "read_file", {"path": "/srv/docs/mismatch.txt"})
    r = post(gateway, body, {"mcp-protocol-version": "2026-07-28", **headers})
    assert r.status_code == 400, r.text
    assert r.json()["id"] == 7
    assert r.json()["error"]["code"] == -32020
    assert not [s for s in server.seen() if s["arguments"] == {"path": "/srv/docs/mismatch.txt"}]
