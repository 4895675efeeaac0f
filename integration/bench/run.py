"""The performance suite: what llm-warden costs, measured against its floors in the same run.

Targets (each an Envoy with ONE worker, pinned by taskset to core 0; wrk, this script and the mock
upstream share core 1):
  baseline   envoy/envoy-nowasm.yaml: the physical limit of the proxy
  noop       envoy/envoy.yaml with bench/noop-filter (holds the request body, passes every response
             chunk, does nothing else): the floor of any wasm body filter
  noop-read  the same module built with its `read` feature: also copies every header map and body
             chunk into the VM (what any inspecting filter must do), deciding nothing
  filter     envoy/envoy.yaml with llm-warden, default policy `{}`
  extproc    envoy/envoy-extproc.yaml + llm-warden-extproc (its server pinned to core 0 as well),
             when the binary and the config exist
  opt-s, opt-z, simd128, regex-dfa
             the filter built with opt-level "s" / "z" / `+simd128` / `--features regex-dfa`
             (separate target dirs); size
             and chat-4k throughput only (--variants, on by default except with --quick)

Targets checked (each met, or missed by how much, in the results' first table; the floor is noop):
  streams   SSE and NDJSON answers of 300 events, all in one upstream write and one event per
            write (its own HTTP chunk): filter req/s at least 0.60x the floor's under wrk load,
            with Envoy CPU per event
  chat-4k   a 4 KiB chat request with a ~1 KiB JSON answer: at least 0.85x the floor's req/s
  chat-64k, chat-1m
            a 64 KiB / 1 MiB prompt at 1 connection: at most 0.5 / 8 ms added p50
  agent     the realistic agent request (testdata/bench/agent-request.json: a framework's system
            prompt, 36 tool definitions, 20 messages, ~29 KB): at most 0.3 ms added p50
  start     Envoy ready (first request answered) with the filter at most 0.3 s after the floor;
            the .wasm at most 1.5 MiB
Added latency is over the floor (the cost of llm-warden itself); over baseline is shown beside it.

Sections:
  start       .wasm sizes; time from Envoy's start to its first proxied answer, per module; the
              `envoy --mode validate` log phases (module compile, VM + config compile)
  throughput  wrk (16 connections): chat-4k and the four 300-event streams, interleaved runs
  latency     chat-4k / chat-64k / chat-1m / agent at 1 connection: p50 added over the floor and
              over baseline, and the in-VM scan rate (request bytes / added p50)
  streaming   300 SSE events and 300 NDJSON lines: added time to first token (paced stream, so a
              held token would show as a whole event interval), added wall time per event
              (unpaced), Envoy CPU per event with one body callback per event (paced 1 ms), and
              byte-for-byte pass-through (the bytes the client reads equal baseline's)
  memory      bytes per open stream at 500 concurrent never-ending streams (tcmalloc allocated and
              RSS), and growth over N requests after warm-up
  engine      criterion (engine/benches/pipeline.rs): scan rates, per-event cost, config compile,
              hold-back bound
  profile     where the added cost goes: the engine natively under callgrind for each target's
              scenario (instructions per call, share per engine stage, top functions) and the
              code per crate behind the module compile, next to the targets table (about a
              minute, plus a build of wasm_timing with symbols when the engine changed)

    make bench                        # the full suite (about 30 minutes on 2 cores)
    scripts/bench.sh --quick          # a smoke run, 2-3 minutes
    scripts/bench.sh --only throughput,latency --runs 5

Results: integration/bench/results/<UTC date-time>.json and .md (the .md table is what the
README's performance section quotes).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402

REPO = harness.REPO
RESULTS = Path(__file__).resolve().parent / "results"
NOOP_DIR = REPO / "bench" / "noop-filter"
NOOP_WASM = NOOP_DIR / "target" / "wasm32-wasip1" / "release" / "noop_filter.wasm"
# The same with feature `read`: copies every header map and body chunk into the VM.
NOOP_READ_WASM = NOOP_DIR / "target" / "read" / "wasm32-wasip1" / "release" / "noop_filter.wasm"
EXTPROC_YAML = harness.ENVOY_DIR / "envoy-extproc.yaml"
# Variants of the filter build: name -> (target dir, extra environment).
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "opt-s": ("target/bench-opt-s", {"CARGO_PROFILE_RELEASE_OPT_LEVEL": "s"}),
    "opt-z": ("target/bench-opt-z", {"CARGO_PROFILE_RELEASE_OPT_LEVEL": "z"}),
    "simd128": ("target/bench-simd128", {"RUSTFLAGS": "-C target-feature=+simd128"}),
    # Built-in injection rules on the regex crate's lazy DFA (engine/src/injection/matcher.rs).
    "regex-dfa": ("target/bench-regex-dfa", {"LLM_WARDEN_FEATURES": "regex-dfa"}),
}
SECTIONS = ["start", "throughput", "latency", "streaming", "memory", "engine", "profile"]

FILLER = ("The committee reviewed the quarterly report on river sediment, noting seasonal "
          "variation in turbidity and recommending additional sampling upstream of the weir. ")
ANSWER_1K = ("Sediment sampling upstream of the weir is a sensible next step; turbidity varies by "
             "season, so plan one campaign in spring and one after the autumn rains. ") * 7
STREAM_MARK = "Zeta"  # the first event's text: found in the raw stream, it marks the first token


def filler(n: int) -> str:
    return (FILLER * (max(0, n) // len(FILLER) + 1))[: max(0, n)]


AGENT_REQUEST = REPO / "testdata" / "bench" / "agent-request.json"
STREAM_EVENTS = 300  # text events per streamed answer (the stream adds its framing events)


def chat_body(size: int, stream: bool = False) -> dict:
    """An OpenAI chat request whose serialized JSON is `size` bytes of benign text (at most)."""
    body = harness.openai_chat("", stream=stream, system="You are a concise assistant.")
    overhead = len(json.dumps(body))
    body["messages"][-1]["content"] = filler(size - overhead)
    return body


def ollama_body(size: int) -> dict:
    body = harness.ollama_chat("", stream=True)
    overhead = len(json.dumps(body))
    body["messages"][-1]["content"] = filler(size - overhead)
    return body


@dataclass
class Scenario:
    name: str
    path: str
    body: dict
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""
    events: int = 0  # text events of a streamed answer (0: a plain answer)

    @property
    def size(self) -> int:
        return len(json.dumps(self.body))


ANSWER_HEADERS = harness.script(ANSWER_1K[:1000])
SIZED = {
    "chat-4k": Scenario("chat-4k", "/v1/chat/completions", chat_body(4096), ANSWER_HEADERS,
                        "OpenAI chat, 4 KiB request, ~1 KiB plain JSON answer"),
    "chat-64k": Scenario("chat-64k", "/v1/chat/completions", chat_body(65536), ANSWER_HEADERS,
                         "OpenAI chat, 64 KiB request (long context), ~1 KiB JSON answer"),
    "chat-1m": Scenario("chat-1m", "/v1/chat/completions", chat_body(1 << 20), ANSWER_HEADERS,
                        "OpenAI chat, 1 MiB request (the default body limit), ~1 KiB JSON answer"),
    "agent": Scenario("agent", "/v1/chat/completions", json.loads(AGENT_REQUEST.read_text()),
                      ANSWER_HEADERS, "the realistic agent request (testdata/bench/"
                      "agent-request.json: system prompt, 36 tools, 20 messages), ~1 KiB JSON "
                      "answer"),
}


def stream_reply(events: int) -> str:
    """`events` pieces of 4 characters, the first one STREAM_MARK."""
    body = (FILLER * (events * 4 // len(FILLER) + 2)).replace("Z", "z")
    return (STREAM_MARK + body)[: events * 4]


def stream_scenarios(events: int, chunk_delay_ms: int = 1) -> dict[str, Scenario]:
    """SSE (OpenAI chat) and NDJSON (Ollama chat) answers of `events` text events, sent by the
    mock all in one network write (one HTTP chunk), or one event per write `chunk_delay_ms`
    apart. The pause makes each event its own body callback in Envoy, as a model's tokens are
    (tens of ms apart); back to back (0), Envoy reads several events at once whenever it is
    busy."""
    reply = stream_reply(events)
    out: dict[str, Scenario] = {}
    for fmt, path, body in (("sse", "/v1/chat/completions", chat_body(300, stream=True)),
                            ("ndjson", "/api/chat", ollama_body(300))):
        for how, per_write, delay, what in (
                ("body", events + 10, None, "all in one upstream write"),
                ("chunks", 1, chunk_delay_ms or None,
                 "one event per upstream write, " + (f"{chunk_delay_ms} ms apart"
                                                     if chunk_delay_ms else "back to back"))):
            name = f"{fmt}-{events}-{how}"
            out[name] = Scenario(name, path, body,
                                 harness.script(reply, piece_chars=4, events_per_write=per_write,
                                                delay_ms=delay),
                                 f"{fmt.upper()} answer of {events} events of 4 characters, "
                                 f"{what}", events)
    return out


STREAMS = stream_scenarios(STREAM_EVENTS)

# --------------------------------------------------------------------------------------------
# Targets


@dataclass
class Target:
    name: str
    envoy: Any
    wasm: Path | None = None
    note: str = ""

    @property
    def url(self) -> str:
        return self.envoy.url

    @property
    def port(self) -> int:
        return self.envoy.port

    def pids(self) -> list[int]:
        """The processes whose CPU is the target's cost: Envoy, and the ext_proc server."""
        out = [self.envoy.proc.pid]
        server = getattr(self.envoy, "server", None)
        if server is not None and server.proc is not None:
            out.append(server.proc.pid)
        return out


def extproc_available() -> tuple[bool, str]:
    if not EXTPROC_YAML.exists():
        return False, f"{EXTPROC_YAML.relative_to(REPO)} missing"
    try:
        import extproc_harness
        extproc_harness.extproc_binary()
    except (ImportError, FileNotFoundError) as e:
        return False, str(e)
    return True, ""


def make_target(name: str, mock: harness.Mock, args, wasm: Path | None = None) -> Target:
    up = ("127.0.0.1", mock.port)
    common = dict(concurrency=1, taskset=args.envoy_cpu, log_level="warning")
    if name == "baseline":
        return Target(name, harness.Envoy(harness.ENVOY_NOWASM, up, **common))
    if name in ("noop", "noop-read"):
        w = NOOP_WASM if name == "noop" else NOOP_READ_WASM
        return Target(name, harness.Envoy(harness.ENVOY_WITH_FILTER, up, {}, wasm=w, **common), w)
    if name == "extproc":
        import extproc_harness
        return Target(name, extproc_harness.ExtProcEnvoy(up, args.filter_config, **common))
    w = wasm or harness.WASM
    return Target(name, harness.Envoy(harness.ENVOY_WITH_FILTER, up, args.filter_config, wasm=w,
                                      **common), w)


def start_target(t: Target, args) -> Target:
    t.envoy.start()
    server = getattr(t.envoy, "server", None)
    if server is not None and server.proc is not None:
        # The ext_proc server does the filter's work: it gets the filter's core (all threads).
        subprocess.run(["taskset", "-a", "-p", "-c", args.envoy_cpu, str(server.proc.pid)],
                       capture_output=True, check=False)
    return t


def cpu_ns(pids: list[int]) -> int:
    """CPU time (ns) used so far by every thread of these processes (/proc schedstat)."""
    total = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return total


def process_cpu_ns(pids: list[int]) -> int:
    """CPU time (ns, clock-tick resolution) of these processes, including threads that have
    exited since (/proc/<pid>/stat utime + stime): for the mock, one thread per connection."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) * 1_000_000_000 // tick
        except (OSError, ValueError, IndexError):
            continue
    return total


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


# --------------------------------------------------------------------------------------------
# wrk

LUA = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {{\\"requests\\":%d,\\"duration_us\\":%d,\\"errors\\":%d,\\"non2xx\\":%d,"
    .. "\\"p50_us\\":%d,\\"p99_us\\":%d,\\"mean_us\\":%.1f}}\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


# Every request's newest message is new, as a user's next turn is: a counter leads its text, so
# the detector's memo of judged texts (engine/src/injection/memo.rs) helps only with what a real
# conversation repeats (system prompt, tool definitions, history), never with the turn itself.
FRESH_LUA = """
local prefix = {prefix}
local suffix = {suffix}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
init = function(args)
  counter = (tid or 0) * 1000000000
end
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, prefix .. "turn " .. counter .. ": " .. suffix)
end
"""
NONCE = "@@NEWEST_TURN@@"


def fresh_turn(body) -> tuple[str, str] | None:
    """The body's JSON split where the newest message's text starts, or None without one."""
    msgs = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(msgs, list):
        return None
    for i in reversed(range(len(msgs))):
        if isinstance(msgs[i], dict) and isinstance(msgs[i].get("content"), str):
            marked = json.loads(json.dumps(body))
            marked["messages"][i]["content"] = NONCE + msgs[i]["content"]
            prefix, suffix = json.dumps(marked).split(NONCE, 1)
            return prefix, suffix
    return None


def write_lua(s: Scenario, d: Path) -> Path:
    headers = "\n".join(f'wrk.headers["{k}"] = [==[{v}]==]' for k, v in s.headers.items())
    p = d / f"{s.name}.lua"
    text = LUA.format(body="[==[" + json.dumps(s.body) + "]==]", headers=headers)
    split = fresh_turn(s.body)
    if split:
        text += FRESH_LUA.format(prefix="[==[" + split[0] + "]==]",
                                 suffix="[==[" + split[1] + "]==]")
    p.write_text(text)
    return p


def run_wrk(url: str, lua: Path, duration: float, connections: int, args) -> dict:
    cmd = ["taskset", "-c", args.load_cpu, "wrk", "-t", "1", "-c", str(connections),
           "-d", f"{max(1, round(duration))}s", "--timeout", "10s", "-s", str(lua), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            r = json.loads(line[len("RESULT "):])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
            return r
    raise RuntimeError(f"wrk gave no result: {out.stdout}\n{out.stderr}")


def median(xs: list[float]) -> float:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")


def spread(xs: list[float]) -> float:
    """(max - min) / median, a simple relative spread of the runs."""
    m = median(xs)
    return (max(xs) - min(xs)) / m if xs and m else 0.0


def interleaved(targets: list[Target], runs: int, fn: Callable[[Target], dict],
                label: str) -> dict[str, list[dict]]:
    """fn(target) for every target, `runs` times, order reversed every other run."""
    raw: dict[str, list[dict]] = {t.name: [] for t in targets}
    for i in range(runs):
        order = targets if i % 2 == 0 else list(reversed(targets))
        for t in order:
            r = fn(t)
            raw[t.name].append(r)
            print(f"  {label:22} {t.name:9} run {i + 1}: " + ", ".join(
                f"{k} {v:.4g}" for k, v in r.items() if isinstance(v, (int, float))
                and k in ("rps", "p50_us", "p99_us", "ttft_ms", "total_ms", "cpu_us_per_event",
                          "cpu_us_per_req", "cpu_util",
                          "errors", "non2xx")), flush=True)
    return raw


def wrk_section(targets: list[Target], scenarios: list[Scenario], connections: int, args,
                tmp: Path) -> dict:
    out: dict = {}
    for s in scenarios:
        lua = write_lua(s, tmp)
        for t in targets if not args.quick else []:  # warm-up (pools, VM, caches), not recorded
            run_wrk(t.url + s.path, lua, 1, connections, args)
        def one(t: Target) -> dict:
            c0, m0, w0 = cpu_ns(t.pids()), process_cpu_ns(args.mock_pids), time.perf_counter()
            r = run_wrk(t.url + s.path, lua, args.duration, connections, args)
            used, wall = cpu_ns(t.pids()) - c0, time.perf_counter() - w0
            r["cpu_us_per_req"] = used / 1000 / max(1, r["requests"])
            r["cpu_util"] = used / 1e9 / wall
            r["mock_cpu_us_per_req"] = ((process_cpu_ns(args.mock_pids) - m0) / 1000
                                        / max(1, r["requests"]))
            return r

        raw = interleaved(targets, args.runs, one, f"{s.name} c={connections}")
        out[s.name] = {"request_bytes": s.size, "note": s.note, "connections": connections,
                       "events": s.events,
                       "targets": {n: {"rps": median([r["rps"] for r in rs]),
                                       "rps_spread": spread([r["rps"] for r in rs]),
                                       "p50_ms": median([r["p50_us"] for r in rs]) / 1000,
                                       "p50_spread": spread([r["p50_us"] for r in rs]),
                                       "p99_ms": median([r["p99_us"] for r in rs]) / 1000,
                                       "errors": sum(r["errors"] + r["non2xx"] for r in rs),
                                       "cpu_us_per_req": median([r["cpu_us_per_req"]
                                                                 for r in rs]),
                                       "cpu_util": median([r["cpu_util"] for r in rs]),
                                       "mock_cpu_us_per_req": median([r["mock_cpu_us_per_req"]
                                                                      for r in rs]),
                                       "runs": rs}
                                   for n, rs in raw.items()}}
    return out


# --------------------------------------------------------------------------------------------
# Streams over raw sockets (the client's view, byte by byte)


def http_request(path: str, body: bytes, headers: dict[str, str],
                 keep_alive: bool = False) -> bytes:
    head = [f"POST {path} HTTP/1.1", "Host: bench", "Content-Type: application/json",
            f"Content-Length: {len(body)}"] + ([] if keep_alive else ["Connection: close"])
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def stream_once(port: int, req: bytes, mark: bytes) -> dict:
    """Sends one request; returns time to the first token (first `mark`) and to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buf = bytearray()
        t0 = time.perf_counter()
        s.sendall(req)
        ttft = None
        while True:
            d = s.recv(1 << 16)
            if not d:
                break
            buf += d
            if ttft is None and mark in buf:
                ttft = time.perf_counter() - t0
        total = time.perf_counter() - t0
    status = bytes(buf[:12]).split(b" ")[1:2]
    return {"ttft_ms": (ttft or float("nan")) * 1000, "total_ms": total * 1000,
            "bytes": len(buf), "ok": status == [b"200"] and ttft is not None}


class KeepAlive:
    """One keep-alive HTTP/1.1 connection with TCP_NODELAY (wrk leaves Nagle on, which on
    loopback turns some sequential requests into 40 ms delayed-ACK waits)."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()

    def close(self) -> None:
        self.sock.close()

    def _fill(self) -> None:
        d = self.sock.recv(1 << 16)
        if not d:
            raise ConnectionError("connection closed mid-response")
        self.buf += d

    def _line(self) -> bytes:
        while (i := self.buf.find(b"\r\n")) < 0:
            self._fill()
        line = bytes(self.buf[:i])
        del self.buf[: i + 2]
        return line

    def _exact(self, n: int) -> None:
        while len(self.buf) < n:
            self._fill()
        del self.buf[:n]

    def request(self, req: bytes) -> int:
        """Sends `req`, reads the whole response, returns the status."""
        self.sock.sendall(req)
        status = int(self._line().split(b" ")[1])
        length, chunked = 0, False
        while line := self._line():
            k, _, v = line.partition(b":")
            k = k.strip().lower()
            if k == b"content-length":
                length = int(v)
            elif k == b"transfer-encoding" and b"chunked" in v.lower():
                chunked = True
        if not chunked:
            self._exact(length)
            return status
        while True:
            size = int(self._line().split(b";")[0], 16)
            if size == 0:
                while self._line():
                    pass
                return status
            self._exact(size + 2)


def latency_run(port: int, make_req, duration: float) -> dict:
    """Sequential requests on one connection for `duration` s: p50/p99 of each request's time.
    `make_req()` gives each request's bytes (built before its clock starts)."""
    c = KeepAlive(port)
    times: list[float] = []
    errors = 0
    end = time.perf_counter() + duration
    try:
        while time.perf_counter() < end:
            req = make_req()
            t0 = time.perf_counter()
            status = c.request(req)
            times.append(time.perf_counter() - t0)
            errors += status != 200
    finally:
        c.close()
    times.sort()
    n = len(times)
    return {"requests": n, "rps": n / duration, "errors": errors, "non2xx": 0,
            "p50_us": times[n // 2] * 1e6 if n else float("nan"),
            "p99_us": times[min(n - 1, n * 99 // 100)] * 1e6 if n else float("nan")}


def fresh_requests(s: Scenario):
    """A request maker for `s` whose newest message is new each time (as with wrk, FRESH_LUA):
    the detector's memo then helps only with what a conversation repeats."""
    counter = itertools.count(1)
    split = fresh_turn(s.body)
    if split is None:
        req = http_request(s.path, json.dumps(s.body).encode(), s.headers, keep_alive=True)
        return lambda: req
    prefix, suffix = split[0].encode(), split[1].encode()
    return lambda: http_request(s.path, prefix + f"turn {next(counter)}: ".encode() + suffix,
                                s.headers, keep_alive=True)


def latency_section(targets: list[Target], scenarios: list[Scenario], args) -> dict:
    out: dict = {}
    for s in scenarios:
        make_req = fresh_requests(s)
        for t in targets:  # warm-up
            latency_run(t.port, make_req, 0.5)
        def one(t: Target) -> dict:
            c0 = cpu_ns(t.pids())
            r = latency_run(t.port, make_req, args.latency_duration)
            r["cpu_us_per_req"] = (cpu_ns(t.pids()) - c0) / 1000 / max(1, r["requests"])
            return r

        raw = interleaved(targets, args.runs, one, f"{s.name} 1 connection")
        out[s.name] = {"request_bytes": s.size, "note": s.note, "connections": 1,
                       "targets": {n: {"rps": median([r["rps"] for r in rs]),
                                       "p50_ms": median([r["p50_us"] for r in rs]) / 1000,
                                       "p50_spread": spread([r["p50_us"] for r in rs]),
                                       "p99_ms": median([r["p99_us"] for r in rs]) / 1000,
                                       "errors": sum(r["errors"] for r in rs),
                                       "cpu_us_per_req": median([r["cpu_us_per_req"]
                                                                 for r in rs]),
                                       "runs": rs}
                                   for n, rs in raw.items()}}
    return out


def passthrough(targets: list[Target], path: str, body: bytes, events: int) -> dict[str, bool]:
    """Whether each target hands the client exactly baseline's body bytes for a benign stream
    (ids and clock fixed by the mock), sent all in one upstream write and one event per write."""
    same = {t.name: True for t in targets}
    reply = stream_reply(events)
    for per_write in (events + 10, 1):
        h = {"Content-Type": "application/json",
             **harness.script(reply, piece_chars=4, events_per_write=per_write,
                              deterministic=True)}
        got = {t.name: harness.HTTP.post(t.url + path, content=body, headers=h).content
               for t in targets}
        want = got.get("baseline")
        for n, b in got.items():
            same[n] = same[n] and want is not None and b == want
    return same


def streaming_section(targets: list[Target], args) -> dict:
    events = STREAM_EVENTS
    out: dict = {"events": events}
    shapes = {"sse": ("/v1/chat/completions", chat_body(300, stream=True)),
              "ndjson": ("/api/chat", ollama_body(300))}
    for fmt, (path, body) in shapes.items():
        raw_body = json.dumps(body).encode()
        reply = stream_reply(events)
        unpaced = http_request(path, raw_body, harness.script(reply, piece_chars=4))
        paced = http_request(path, raw_body, harness.script(reply, piece_chars=4, delay_ms=1))
        # Time to first token: events 5 ms apart; a token held until the next event arrives
        # would add 5 ms.
        ttft_req = http_request(path, raw_body, harness.script(STREAM_MARK + " ok done",
                                                               piece_chars=4, delay_ms=5))
        mark = STREAM_MARK.encode()
        for t in targets:
            stream_once(t.port, unpaced, mark)  # warm-up

        def unpaced_run(t: Target) -> dict:
            rs = [stream_once(t.port, unpaced, mark) for _ in range(args.stream_reps)]
            return {"total_ms": median([r["total_ms"] for r in rs]),
                    "ok": all(r["ok"] for r in rs), "bytes": rs[0]["bytes"]}

        def paced_run(t: Target) -> dict:
            before = cpu_ns(t.pids())
            r = stream_once(t.port, paced, mark)
            used = cpu_ns(t.pids()) - before
            return {"cpu_us_per_event": used / 1000 / events, "ttft_ms": r["ttft_ms"],
                    "total_ms": r["total_ms"], "ok": r["ok"]}

        def ttft_run(t: Target) -> dict:
            rs = [stream_once(t.port, ttft_req, mark) for _ in range(args.ttft_samples)]
            return {"ttft_ms": median([r["ttft_ms"] for r in rs]), "ok": all(r["ok"] for r in rs)}

        raw_u = interleaved(targets, args.runs, unpaced_run, f"{fmt} unpaced x{events}")
        raw_p = interleaved(targets, max(1, args.runs), paced_run, f"{fmt} paced 1ms x{events}")
        raw_t = interleaved(targets, args.runs, ttft_run, f"{fmt} ttft (5 ms pacing)")
        same = passthrough(targets, path, raw_body, events)
        res: dict = {}
        for t in targets:
            n = t.name
            res[n] = {"total_ms_unpaced": median([r["total_ms"] for r in raw_u[n]]),
                      "cpu_us_per_event_paced": median([r["cpu_us_per_event"] for r in raw_p[n]]),
                      "ttft_ms": median([r["ttft_ms"] for r in raw_t[n]]),
                      "ttft_ms_paced": median([r["ttft_ms"] for r in raw_p[n]]),
                      "ok": all(r["ok"] for r in raw_u[n] + raw_p[n] + raw_t[n]),
                      "bytes_as_baseline": same[n],
                      "runs": {"unpaced": raw_u[n], "paced": raw_p[n], "ttft": raw_t[n]}}
        out[fmt] = res
    return out


# --------------------------------------------------------------------------------------------
# Memory


def memory_allocated(t: Target) -> int:
    """tcmalloc's allocated bytes, read now (admin /memory); the `server.memory_allocated` gauge
    is only refreshed at each stats flush (5 s)."""
    r = harness.HTTP.get(f"{t.envoy.admin_url}/memory", timeout=10).json()
    return int(r.get("allocated", 0))


async def hold_streams(port: int, n: int, req: bytes, measure: Callable[[], dict]) -> dict:
    """Opens `n` streams that never end, waits until each has its first token, measures, closes."""
    async def one() -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        r, w = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        w.write(req)
        await w.drain()
        buf = b""
        try:
            while STREAM_MARK.encode() not in buf:
                d = await asyncio.wait_for(r.read(1 << 16), 20)
                if not d:
                    break
                buf += d
        except asyncio.TimeoutError:
            pass
        return r, w, STREAM_MARK.encode() in buf

    conns = []
    sem = asyncio.Semaphore(64)

    async def limited():
        async with sem:
            return await one()

    conns = await asyncio.gather(*(limited() for _ in range(n)), return_exceptions=True)
    open_ok = sum(1 for c in conns if isinstance(c, tuple) and c[2])
    await asyncio.sleep(0.5)
    m = measure()
    for c in conns:
        if isinstance(c, tuple):
            c[1].close()
    await asyncio.sleep(0.2)
    return {"open": open_ok, **m}


def memory_section(names: list[str], mock: harness.Mock, args) -> dict:
    """Each target freshly started (so the wasm VM's linear memory, which only grows, starts
    small), warmed with a few requests, then `args.streams` never-ending streams held open."""
    n = args.streams
    body = json.dumps(chat_body(1024, stream=True)).encode()
    # Never-ending SSE streams: headers and a first event, then the upstream keeps them open.
    h = harness.script(STREAM_MARK + " and then nothing more for a while", piece_chars=8,
                       never_end=True)
    req = http_request("/v1/chat/completions", body, h)
    warm = http_request("/v1/chat/completions", body, harness.script(STREAM_MARK + " ok"))
    out: dict = {"streams": n, "per_target": {}}
    for name in names:
        t = start_target(make_target(name, mock, args), args)
        try:
            for _ in range(20):
                stream_once(t.port, warm, STREAM_MARK.encode())
            time.sleep(0.5)
            before = {"allocated": memory_allocated(t), "rss": rss_bytes(t.pids())}

            def measure(t=t) -> dict:
                return {"allocated": memory_allocated(t), "rss": rss_bytes(t.pids()),
                        "active": int(t.envoy.stats().get("http.llm.downstream_rq_active", 0))}

            during = asyncio.run(hold_streams(t.port, n, req, measure))
        finally:
            t.envoy.stop()
        opened = max(1, during["open"])
        row = {"before": before, "during": during,
               "allocated_per_stream": (during["allocated"] - before["allocated"]) / opened,
               "rss_per_stream": (during["rss"] - before["rss"]) / opened}
        out["per_target"][name] = row
        print(f"  memory {name:9} open {during['open']}/{n} (active {during['active']}): "
              f"allocated/stream {row['allocated_per_stream']:.0f} B, "
              f"rss/stream {row['rss_per_stream']:.0f} B", flush=True)
    return out


def growth_section(filt: Target, args, tmp: Path) -> dict:
    """The filter's memory after warm-up vs after N more requests (chat-4k, 1 KiB answer)."""
    lua = write_lua(SIZED["chat-4k"], tmp)
    url = filt.url + SIZED["chat-4k"].path
    run_wrk(url, lua, 2, args.connections, args)
    time.sleep(1.0)
    base = {"allocated": memory_allocated(filt), "rss": rss_bytes(filt.pids())}
    done = errors = 0
    t0 = time.monotonic()
    while done < args.growth_requests:
        r = run_wrk(url, lua, 5 if args.growth_requests > 20000 else 2, args.connections, args)
        done += r["requests"]
        errors += r["errors"] + r["non2xx"]
    time.sleep(1.0)
    end = {"allocated": memory_allocated(filt), "rss": rss_bytes(filt.pids())}
    print(f"  growth over {done} requests: allocated {base['allocated']} -> "
          f"{end['allocated']}, rss {base['rss']} -> {end['rss']}", flush=True)
    return {"requests": done, "errors": errors, "seconds": time.monotonic() - t0,
            "after_warmup": base, "after_n": end,
            "allocated_delta": end["allocated"] - base["allocated"],
            "rss_delta": end["rss"] - base["rss"]}


# --------------------------------------------------------------------------------------------
# Size and start


LOG_TS = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})\]")


def _ts(line: str) -> float | None:
    m = LOG_TS.match(line)
    if not m:
        return None
    return dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp() * 1000


def validate_timed(cfg_path: Path) -> dict:
    """`envoy --mode validate` with wasm debug logs: wall time, and from the log's timestamps
    (ms resolution) the module phase (base VM created -> first worker VM created: V8 compiles
    the module and starts the base VM) and the VM phase (worker VM created -> the filter's
    `configuration loaded`: VM clone, on_vm_start, on_configure compiling the policy)."""
    t0 = time.perf_counter()
    p = subprocess.run([str(harness.envoy_binary()), "--mode", "validate", "-c", str(cfg_path),
                        "--disable-hot-restart", "-l", "debug", "--concurrency", "1"],
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    wall = (time.perf_counter() - t0) * 1000
    if p.returncode != 0:
        raise RuntimeError(f"validate failed for {cfg_path}: {p.stderr[-2000:]}")
    base = tl = loaded = None
    for line in (p.stdout + p.stderr).splitlines():
        if base is None and "Base Wasm created" in line:
            base = _ts(line)
        elif base is not None and tl is None and "Thread-Local Wasm created" in line:
            tl = _ts(line)
        elif tl is not None and loaded is None and "configuration loaded" in line:
            loaded = _ts(line)
    return {"wall_ms": wall,
            "module_ms": tl - base if base is not None and tl is not None else None,
            "vm_config_ms": loaded - tl if tl is not None and loaded is not None else None}


WASM_SECTIONS = {1: "type", 2: "import", 3: "function", 7: "export", 9: "elem", 10: "code",
                 11: "data"}


def wasm_sections(path: Path) -> dict[str, int]:
    """Bytes per section of a wasm module (custom sections by name), to see where size goes."""
    b = path.read_bytes()
    out: dict[str, int] = {}
    i = 8

    def leb(i: int) -> tuple[int, int]:
        r = shift = 0
        while True:
            x = b[i]
            i += 1
            r |= (x & 0x7F) << shift
            shift += 7
            if x < 0x80:
                return r, i

    while i < len(b):
        sid = b[i]
        n, i = leb(i + 1)
        if sid == 0:
            ln, j = leb(i)
            name = "custom:" + b[j:j + ln].decode(errors="replace")
        else:
            name = WASM_SECTIONS.get(sid, f"section{sid}")
        out[name] = out.get(name, 0) + n
        i += n
    return out


def status_once(port: int, req: bytes) -> int | None:
    """One request on a new connection: the response's status, or None if none came."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(req)
            head = b""
            while b"\r\n" not in head:
                d = s.recv(4096)
                if not d:
                    return None
                head += d
        return int(head.split(b" ")[1])
    except (OSError, ValueError, IndexError):
        return None


def time_to_ready(cfg_path: Path, port: int, args) -> float:
    """Envoy (one worker, pinned) started with `cfg_path`: ms until a benign chat request through
    its listener is answered 200 (the filter's module compiled, its VM started and configured,
    the listener serving), polled every 2 ms."""
    req = http_request("/v1/chat/completions", json.dumps(chat_body(1024)).encode(),
                       ANSWER_HEADERS)
    cmd = ["taskset", "-c", args.envoy_cpu, str(harness.envoy_binary()), "-c", str(cfg_path),
           "--concurrency", "1", "--disable-hot-restart", "-l", "warning"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        while time.perf_counter() - t0 < 60:
            if proc.poll() is not None:
                raise RuntimeError(f"envoy exited ({proc.returncode}) with {cfg_path}")
            if status_once(port, req) == 200:
                return (time.perf_counter() - t0) * 1000
            time.sleep(0.002)
        raise RuntimeError(f"envoy not ready in 60 s with {cfg_path}")
    finally:
        harness._stop(proc)


def start_section(args, tmp: Path, wasms: dict[str, Path], mock: harness.Mock) -> dict:
    import yaml

    def config(name: str, wasm: Path | None, up: tuple[str, int], stem: str) -> tuple[Path, int]:
        template = harness.ENVOY_NOWASM if wasm is None else harness.ENVOY_WITH_FILTER
        port = harness.free_port()
        cfg = harness.render_envoy_config(template, listener_port=port,
                                          admin_port=harness.free_port(), upstream=up,
                                          filter_config=args.filter_config,
                                          wasm=wasm or harness.WASM)
        p = tmp / f"{stem}-{name}.yaml"
        p.write_text(yaml.safe_dump(cfg, sort_keys=False))
        return p, port

    modules = [("baseline", None), *wasms.items()]
    cfgs = {name: config(name, wasm, ("127.0.0.1", 9), "validate")[0] for name, wasm in modules}
    ready_cfgs = {name: config(name, wasm, ("127.0.0.1", mock.port), "ready")
                  for name, wasm in modules}
    raw: dict[str, list[dict]] = {n: [] for n in cfgs}
    for i in range(args.validate_runs):
        for n in (list(cfgs) if i % 2 == 0 else list(reversed(list(cfgs)))):
            r = validate_timed(cfgs[n])
            r["ready_ms"] = time_to_ready(*ready_cfgs[n], args)
            raw[n].append(r)
    med = {n: {k: median([r[k] for r in rs if r[k] is not None])
               for k in ("ready_ms", "wall_ms", "module_ms", "vm_config_ms")}
           for n, rs in raw.items()}
    for n, m in med.items():
        print(f"  start {n:9} ready {m['ready_ms']:6.0f} ms  validate {m['wall_ms']:6.0f} ms  "
              f"module {fmt(m['module_ms'], 0):>5} ms  vm+config {fmt(m['vm_config_ms'], 0):>4} ms",
              flush=True)
    return {"validate": med, "validate_runs": raw,
            "filter_minus_baseline_ms": med["filter"]["wall_ms"] - med["baseline"]["wall_ms"],
            "wasm_bytes": {n: p.stat().st_size for n, p in wasms.items() if p.exists()},
            "wasm_sections": {n: wasm_sections(p) for n, p in wasms.items() if p.exists()}}


# --------------------------------------------------------------------------------------------
# Engine (criterion)


def criterion_run(args, extra: list[str], target_dir: Path, bench_filter: str | None) -> dict:
    """One `cargo bench --bench pipeline` run: median per benchmark (and MB/s or ns/event)."""
    crit = ["--warm-up-time", "0.2", "--measurement-time", "0.5", "--sample-size", "10"] \
        if args.quick else ["--warm-up-time", "1", "--measurement-time", "3", "--sample-size", "20"]
    cmd = ["cargo", "bench", "-p", "llm-warden-engine", *extra, "--bench", "pipeline", "--", *crit,
           *([bench_filter] if bench_filter else [])]
    t0 = time.monotonic()
    t0_wall = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=1800,
                       env={**os.environ, "CARGO_TARGET_DIR": str(target_dir)})
    if p.returncode != 0:
        return {"error": f"cargo bench failed: {p.stderr[-3000:]}"}
    holdback = next((int(line.split()[1]) for line in p.stdout.splitlines()
                     if line.startswith("HOLDBACK ")), None)
    res: dict = {"holdback_bytes": holdback, "seconds": time.monotonic() - t0, "bench": {}}
    for est in sorted((target_dir / "criterion").glob("pipeline_*/*/new/estimates.json")):
        bench = json.loads((est.parent / "benchmark.json").read_text())
        if est.stat().st_mtime < t0_wall:
            continue  # left from an earlier run (a bench removed or renamed since)
        ns = json.loads(est.read_text())["median"]["point_estimate"]
        row: dict = {"median_ns": ns}
        tp = bench.get("throughput") or {}
        if "Bytes" in tp:
            row["mb_per_s"] = tp["Bytes"] / (ns / 1e9) / 1e6
            row["bytes"] = tp["Bytes"]
        if "Elements" in tp:
            row["ns_per_element"] = ns / tp["Elements"]
        res["bench"][bench["full_id"]] = row
    return res


def engine_section(args) -> dict:
    res = criterion_run(args, [], REPO / "target", None)
    if "error" in res:
        return res
    if args.variants:
        # The same engine with the built-in rules on the regex crate's lazy DFA (feature
        # `regex-dfa`): scan rates and config compile, for the size-vs-speed comparison. A
        # variant like the module builds, so not with --no-variants or --quick.
        dfa = criterion_run(args, ["--features", "regex-dfa"], REPO / VARIANTS["regex-dfa"][0],
                            "pipeline/(config|injection|request)")
        for k, v in dfa.get("bench", {}).items():
            res["bench"][f"regex-dfa {k}"] = v
        res["seconds"] += dfa.get("seconds", 0)
    for k, v in res["bench"].items():
        extra = (f"{v['mb_per_s']:.1f} MB/s" if "mb_per_s" in v else
                 f"{v['ns_per_element']:.0f} ns/event" if "ns_per_element" in v else "")
        print(f"  engine {k:40} {v['median_ns'] / 1000:10.1f} us  {extra}", flush=True)
    return res


# --------------------------------------------------------------------------------------------
# Profile: where the added cost of each missed target goes (the engine natively, callgrind)

PROFILE_DIR = REPO / "target" / "bench-profile"
PROFILE_BIN = PROFILE_DIR / "release" / "examples" / "wasm_timing"
# Bench scenario -> (engine/examples/wasm_timing.rs row of the same shape, the target's check
# name prefix in `evaluate`). wasm_timing runs its rows in its own order, one profile part each.
PROFILE_ROWS = {
    "config": ("config", "Envoy start"),
    "chat-4k": ("4KiB", "chat-4k"),
    "agent": ("agent", "realistic agent request"),
    "chat-64k": ("64KiB", "64 KiB prompt"),
    "chat-1m": ("1MiB", "1 MiB prompt"),
    "sse-300-body": ("sse", "SSE, 300 events all in one upstream body"),
    "ndjson-300-body": ("ndjson", "NDJSON, 300 events all in one upstream body"),
}
# Engine stages by the function a cost is counted in (callgrind counts inlined code in the
# function it was inlined into); the first pattern that matches names the stage.
PROFILE_STAGES = [
    ("detector (model.rs)", r"injection::model::"),
    ("decoders (decode.rs)", r"injection::decode::"),
    ("normalise", r"injection::normalize"),
    ("config compile (automata, regexes)",
     r"config::|::compile|regex_lite::(nfa|hir)::|Regex::new|aho_corasick::(nfa|dfa|packed)::|"
     r"Builder::|builtin"),
    ("secrets scan", r"secrets::|_secrets"),
    ("injection rules and scan", r"injection::|aho_corasick::"),
    ("regexes at request time (regex_lite)", r"regex_lite::"),
    ("JSON parse and re-encode", r"serde_json|serde_core|serde::|::json::|::api::|indexmap|"
                                 r"hashbrown|core::hash|ryu|itoa"),
    ("response events and framing", r"::response::|::framing::"),
    ("exchange, audit", r"::exchange::|::audit|::replay::|::policy"),
    ("allocator", r"malloc|free|realloc|calloc|_int_|tcache|unlink_chunk|alloc::alloc|__rust_"
                  r"(alloc|dealloc|realloc)|raw_vec"),
    ("memcpy, memset, memcmp", r"mem(cpy|move|set|cmp|chr)|bcmp|strlen"),
]


def profile_build() -> None:
    """wasm_timing with line tables and symbols (the release profile strips them), in its own
    target dir: only rebuilt when the engine changed."""
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "llm-warden-engine",
                    "--example", "wasm_timing", "--target-dir", str(PROFILE_DIR)],
                   check=True, cwd=REPO,
                   env={**os.environ, "CARGO_PROFILE_RELEASE_DEBUG": "line-tables-only",
                        "CARGO_PROFILE_RELEASE_STRIP": "none"})


def callgrind_functions(part: Path) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Instructions per function (self cost, inlined code included) in one callgrind part
    written with --compress-strings=no --compress-pos=no: the cost lines under each `fn=`,
    except the line after a `calls=` (a call's inclusive cost, counted in its callee); and per
    callee, its callers with the inclusive cost of their calls."""
    costs: dict[str, int] = {}
    callers: dict[str, dict[str, int]] = {}
    func, callee, after_call = "?", "?", False
    with part.open() as f:
        for line in f:
            if line.startswith("fn="):
                func, after_call = re.sub(r"'\d+$", "", line[3:].strip()), False
            elif line.startswith("cfn="):
                callee = re.sub(r"'\d+$", "", line[4:].strip())
            elif line.startswith("calls="):
                after_call = True
            elif line[:1].isdigit() or line[:1] in "+-*":
                fields = line.split()
                if len(fields) < 2:
                    continue
                if after_call:
                    after_call = False
                    if callee != func:
                        by = callers.setdefault(callee, {})
                        by[func] = by.get(func, 0) + int(fields[-1])
                    continue
                costs[func] = costs.get(func, 0) + int(fields[-1])
    return costs, callers


# Stages whose functions serve every other stage: their cost is charged to the stage that called
# them (split by the callers' inclusive call costs, up to a few frames up).
SHARED_STAGES = ("allocator", "memcpy, memset, memcmp", "other")


def stage_shares(costs: dict[str, int], callers: dict[str, dict[str, int]]) -> dict[str, float]:
    """Each stage's share of the instructions, shared work (allocator, memory copies, library
    code of no stage) charged to the stage that called it."""
    stages: dict[str, float] = {}

    def charge(func: str, amount: float, depth: int) -> None:
        st = stage_of(func)
        by = callers.get(func, {})
        total = sum(by.values())
        if st not in SHARED_STAGES or depth >= 8 or total <= 0:
            stages[st] = stages.get(st, 0) + amount
            return
        for caller, c in by.items():
            charge(caller, amount * c / total, depth + 1)

    for func, c in costs.items():
        charge(func, c, 0)
    whole = sum(stages.values()) or 1
    return {k: v / whole for k, v in sorted(stages.items(), key=lambda kv: -kv[1])}


def stage_of(func: str) -> str:
    for label, pat in PROFILE_STAGES:
        if re.search(pat, func):
            return label
    return "other"


def short_name(func: str) -> str:
    """A function's path without the crate-internal noise (generic arguments dropped)."""
    f = re.sub(r"<[^<>]*>", "", re.sub(r"<[^<>]*>", "", func))
    parts = [p for p in f.split("::") if p and not p.startswith("{{")]
    return "::".join(parts[-2:]) if len(parts) >= 2 else f


def code_by_crate(binary: Path) -> dict[str, int]:
    """Code bytes per crate in the profile build (x86-64; the same LTO build as the module's
    engine, so the crates' shares are those V8 compiles, give or take the proxy-wasm glue)."""
    out = subprocess.run(["nm", "-S", "-C", "--size-sort", str(binary)], capture_output=True,
                         text=True, check=True).stdout
    sizes: dict[str, int] = {}
    for line in out.splitlines():
        f = line.split(None, 3)
        if len(f) < 4 or f[2] not in ("t", "T"):
            continue
        name = f[3].lstrip("<_")
        crate = re.split(r"::|[ <>(]", name, maxsplit=1)[0] or "?"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", crate):
            crate = "(C, libc)"
        sizes[crate] = sizes.get(crate, 0) + int(f[1], 16)
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def profile_section(args) -> dict:
    """The engine's work for each scenario of a missed target, natively under callgrind: one
    process runs every row (wasm_timing --profile), collecting inside `measured` only and dumping
    a part after each row; instructions per call, their share per engine stage and the top
    functions. Deterministic (instruction counts, fixed inputs); about a minute."""
    if shutil.which("valgrind") is None:
        return {"error": "valgrind not found (apt-get install valgrind)"}
    t0 = time.monotonic()
    profile_build()
    built_s = time.monotonic() - t0
    calls = 1 if args.quick else 3
    rows = [r for r, _ in PROFILE_ROWS.values()]
    with tempfile.TemporaryDirectory(prefix="llm-warden-profile-") as d:
        out = Path(d) / "cg.out"
        p = subprocess.run(["valgrind", "--tool=callgrind", "--compress-strings=no",
                            "--compress-pos=no", "--collect-atstart=no",
                            "--toggle-collect=wasm_timing::measured*",
                            "--dump-after=wasm_timing::scenario_done",
                            f"--callgrind-out-file={out}", str(PROFILE_BIN), "--profile",
                            str(calls), *rows], capture_output=True, text=True, cwd=REPO,
                           timeout=900)
        if p.returncode != 0:
            return {"error": f"callgrind run failed: {p.stderr[-2000:]}"}
        done = [ln.split() for ln in p.stdout.splitlines() if ln.startswith("profile ")]
        parts = sorted(Path(d).glob("cg.out.*"), key=lambda q: int(q.suffix[1:]))
        scenarios: dict[str, dict] = {}
        by_row = {r: s for s, (r, _) in PROFILE_ROWS.items()}
        for (_, row, n), part in zip(done, parts):
            n_calls = int(n.split("=")[1])
            costs, callers = callgrind_functions(part)
            total = sum(costs.values())
            shared = sum(c for f, c in costs.items() if stage_of(f) in SHARED_STAGES[:2])
            top = sorted(costs.items(), key=lambda kv: -kv[1])[:6]
            scenarios[by_row[row]] = {
                "row": row, "calls": n_calls, "instructions_per_call": total / n_calls,
                "stages": stage_shares(costs, callers),
                "allocator_and_copies": shared / total if total else 0,
                "top": [{"function": short_name(f), "share": c / total} for f, c in top if total],
            }
    try:
        crates = code_by_crate(PROFILE_BIN)
    except (OSError, subprocess.CalledProcessError):  # no nm: the scenarios still stand
        crates = {}
    return {"calls": calls, "build_s": round(built_s, 1),
            "run_s": round(time.monotonic() - t0 - built_s, 1),
            "valgrind": subprocess.run(["valgrind", "--version"], capture_output=True,
                                       text=True).stdout.strip(),
            "scenarios": scenarios, "code_by_crate": crates}


def profile_markdown(res: dict, checks: list[dict]) -> list[str]:
    pr = res.get("profile", {})
    if not pr.get("scenarios"):
        return ["", f"Profile failed: {pr['error'][:500]}"] if pr.get("error") else []
    md = ["", "## Where the added cost goes (profile of each target's scenario)", "",
          f"The engine alone, natively (x86-64, the module's LTO release build with symbols), "
          f"under {pr['valgrind']}: each scenario's wasm_timing row of the same shape, "
          f"{pr['calls']} call(s) after one warm-up (1 MiB: one call), instructions counted "
          "inside the call only. Stage = the engine function an instruction is counted in "
          "(inlined code in the function it was inlined into); V8 runs the same code about "
          "1.5-2x slower than native and Envoy adds its host calls and buffering (README). "
          "Deterministic: the same build gives the same counts (to about 0.01 %, hash seeds).", "",
          "| scenario | target | instructions per call | stages (share of instructions, with the "
          "allocations and copies each causes) | allocator + memcpy/memset/memcmp | top functions "
          "(own instructions) |", "|---|---|---|---|---|---|"]
    for scn, (row, prefix) in PROFILE_ROWS.items():
        d = pr["scenarios"].get(scn)
        if not d:
            continue
        c = next((c for c in checks if c["target"].startswith(prefix)), None)
        if c is None:
            target = "-"
        elif c["met"] is None:
            target = "not measured in this run"
        elif c["met"]:
            target = f"met ({fmt(c['value'])} {c['unit']})"
        else:
            target = (f"missed by {fmt(c.get('missed_by'))} {c['unit']} ({fmt(c['value'])} "
                      f"for {c['limit']:g})")
        if scn == "config":
            target += " (VM + config compile; see the code table below for the module compile)"
        stages = ", ".join(f"{k} {v * 100:.0f}%" for k, v in d["stages"].items() if v >= 0.02)
        top = ", ".join(f"`{t['function']}` {t['share'] * 100:.0f}%" for t in d["top"][:4])
        md.append(f"| {scn} (`{row}`) | {target} | {d['instructions_per_call'] / 1e6:.2f} M | "
                  f"{stages} | {d['allocator_and_copies'] * 100:.0f}% | {top} |")
    crates = pr.get("code_by_crate", {})
    total = sum(crates.values())
    if total:
        sz = res.get("start", {})
        v, secs = sz.get("validate", {}), sz.get("wasm_sections", {})
        note = ""
        if "filter" in v and "noop" in v and secs.get("filter", {}).get("code"):
            f_ms, n_ms = v["filter"].get("module_ms"), v["noop"].get("module_ms")
            f_kib = secs["filter"]["code"] / 1024
            n_kib = secs.get("noop", {}).get("code", 0) / 1024
            if f_ms and n_ms and f_kib > n_kib:
                note = (f" Module compile in this run: {f_ms:.0f} ms for {f_kib:.0f} KiB of "
                        f"code, the floor {n_ms:.0f} ms for {n_kib:.0f} KiB: "
                        f"{(f_ms - n_ms) / (f_kib - n_kib):.2f} ms per added KiB, so the start "
                        f"target (0.3 s) needs about {300 / ((f_ms - n_ms) / (f_kib - n_kib)):.0f}"
                        " KiB of code more than the floor at most (or a faster compile tier).")
        md += ["", "Start (module compile): V8 compiles the module's code before the first "
               "request, so its time follows the code's size. Code per crate in the same build "
               "(x86-64 symbols; shares, not wasm bytes):" + note, "",
               "| crate | code KiB | share |", "|---|---|---|"]
        for k, b in list(crates.items())[:10]:
            md.append(f"| {k} | {b / 1024:.0f} | {b / total * 100:.0f}% |")
    return md


# --------------------------------------------------------------------------------------------
# Builds


def build_noop() -> None:
    subprocess.run(["cargo", "build", "--release", "--target", "wasm32-wasip1", "--manifest-path",
                    str(NOOP_DIR / "Cargo.toml")], check=True, cwd=REPO)
    subprocess.run(["cargo", "build", "--release", "--target", "wasm32-wasip1", "--manifest-path",
                    str(NOOP_DIR / "Cargo.toml"), "--features", "read"], check=True, cwd=REPO,
                   env={**os.environ, "CARGO_TARGET_DIR": str(NOOP_DIR / "target" / "read")})


def build_variant(name: str) -> Path:
    target_dir, env = VARIANTS[name]
    env = dict(env)
    features = env.pop("LLM_WARDEN_FEATURES", None)
    subprocess.run(["scripts/build-wasm.sh", *(["--features", features] if features else [])],
                   check=True, cwd=REPO,
                   env={**os.environ, "CARGO_TARGET_DIR": str(REPO / target_dir), **env})
    return REPO / target_dir / "wasm32-wasip1" / "release" / "llm_warden_filter.wasm"


def variant_wasm(name: str) -> Path:
    return REPO / VARIANTS[name][0] / "wasm32-wasip1" / "release" / "llm_warden_filter.wasm"


# --------------------------------------------------------------------------------------------
# Summary: every target, met or missed by how much; then the checks kept beside them

# Below this share of a core busy, the floor's req/s under wrk is bound by the load generator or
# the mock (they share the other core), by the stream's pacing, or by other work on Envoy's core,
# not by Envoy: a req/s ratio then understates the filter's cost, and the capacity ratio (Envoy
# CPU per response, floor / filter) judges the target instead.
FLOOR_BUSY_MIN = 0.85


def check(name: str, value: float | None, limit: float, unit: str, higher_is_better: bool = False,
          note: str = "", kind: str = "target") -> dict:
    if value is None or value != value:  # None or NaN
        return {"target": name, "kind": kind, "value": None, "limit": limit, "unit": unit,
                "met": None, "note": note or "not measured"}
    met = value >= limit if higher_is_better else value <= limit
    miss = None if met else (limit - value if higher_is_better else value - limit)
    return {"target": name, "kind": kind, "value": value, "limit": limit, "unit": unit,
            "met": met, "missed_by": miss, "note": note}


def throughput_check(name: str, d: dict, limit: float) -> dict:
    """filter req/s / the floor's under wrk load; per event costs for a stream."""
    t = d.get("targets", {})
    if "filter" not in t or "noop" not in t:
        return check(name, None, limit, "x", higher_is_better=True)
    f, n = t["filter"], t["noop"]
    rps = f["rps"] / n["rps"] if n["rps"] else None
    cap = n["cpu_us_per_req"] / f["cpu_us_per_req"] if f["cpu_us_per_req"] else None
    parts = [f"capacity ratio (Envoy CPU per response, floor / filter) {fmt(cap)}",
             f"floor's Envoy core {n['cpu_util'] * 100:.0f}% busy"]
    ev = d.get("events") or 0
    if ev:
        parts.append(f"Envoy CPU per event: filter {f['cpu_us_per_req'] / ev:.2f} us, floor "
                     f"{n['cpu_us_per_req'] / ev:.2f} us, added "
                     f"{(f['cpu_us_per_req'] - n['cpu_us_per_req']) / ev:.2f} us")
    else:
        parts.append(f"added Envoy CPU per request {f['cpu_us_per_req'] - n['cpu_us_per_req']:.0f}"
                     " us")
    value = rps
    if n["cpu_util"] < FLOOR_BUSY_MIN:
        value = cap
        parts.insert(0, "judged on the capacity ratio: the floor did not keep Envoy's core busy, "
                        f"so its req/s (ratio {fmt(rps)}) is bound by the load, the mock or the "
                        "pacing, not by Envoy")
    else:
        parts.insert(0, "req/s ratio")
    return check(name, value, limit, "x", higher_is_better=True, note="; ".join(parts))


def evaluate(res: dict) -> list[dict]:
    rows: list[dict] = []
    tp = res.get("throughput", {})
    lat = res.get("latency", {})

    for scn in STREAMS.values():
        fmt_name = "SSE" if scn.name.startswith("sse") else "NDJSON"
        how = ("all in one upstream body" if scn.name.endswith("body")
               else "one event per upstream chunk")
        rows.append(throughput_check(f"{fmt_name}, {scn.events} events {how}: throughput vs the "
                                     "floor (wrk)", tp.get(scn.name, {}), 0.60))
    rows.append(throughput_check("chat-4k (4 KiB request, 1 KiB JSON answer): throughput vs the "
                                 "floor (wrk)", tp.get("chat-4k", {}), 0.85))

    def added_p50(scn: str) -> tuple[float | None, str]:
        t = lat.get(scn, {}).get("targets", {})
        if "filter" not in t or "noop" not in t:
            return None, ""
        f = t["filter"]
        note = (f"over baseline (no filter) {f['p50_ms'] - t['baseline']['p50_ms']:.3f} ms; "
                if "baseline" in t else "")
        note += (f"added Envoy CPU per request over the floor "
                 f"{f['cpu_us_per_req'] - t['noop']['cpu_us_per_req']:.0f} us")
        if f["errors"]:
            note += f"; {f['errors']} non-200 answers"
        return f["p50_ms"] - t["noop"]["p50_ms"], note

    for scn, limit, label in (("chat-64k", 0.5, "64 KiB prompt"), ("chat-1m", 8.0, "1 MiB prompt"),
                              ("agent", 0.3, "realistic agent request (~29 KB: system prompt, "
                                             "36 tools, 20 messages)")):
        v, note = added_p50(scn)
        rows.append(check(f"{label}: added p50 over the floor, 1 connection", v, limit, "ms",
                          note=note))
    sz = res.get("start", {})
    v = sz.get("validate", {})
    if "filter" in v and "noop" in v:
        f, n = v["filter"], v["noop"]
        rows.append(check("Envoy start to first answer: filter minus the floor",
                          (f["ready_ms"] - n["ready_ms"]) / 1000, 0.3, "s",
                          note=f"filter {f['ready_ms']:.0f} ms, floor {n['ready_ms']:.0f} ms; "
                               f"validate log: module compile {fmt(f['module_ms'], 0)} ms (floor "
                               f"{fmt(n['module_ms'], 0)}), VM + config compile "
                               f"{fmt(f['vm_config_ms'], 0)} ms (floor "
                               f"{fmt(n['vm_config_ms'], 0)})"))
    else:
        rows.append(check("Envoy start to first answer: filter minus the floor", None, 0.3, "s"))
    size = sz.get("wasm_bytes", {}).get("filter")
    rows.append(check(".wasm size", size / (1 << 20) if size else None, 1.5, "MiB",
                      note=f"{size} bytes" if size else ""))

    # Checks kept beside the targets: what the engine must not lose while it gets faster.
    st = res.get("streaming", {})
    for f_name in ("sse", "ndjson"):
        s = st.get(f_name, {})
        if "filter" in s and "baseline" in s:
            f, b = s["filter"], s["baseline"]
            rows.append(check(f"{f_name}: bytes the client reads equal baseline's",
                              1.0 if f.get("bytes_as_baseline") else 0.0, 1, "(1 = identical)",
                              higher_is_better=True,
                              note="deterministic benign stream, one body and one event per "
                                   "chunk", kind="check"))
            rows.append(check(f"{f_name}: added time to first token", f["ttft_ms"] - b["ttft_ms"],
                              1.0, "ms", note="5 ms between events: a held token would add 5 ms",
                              kind="check"))
    mem = res.get("memory", {})
    pt = mem.get("per_target", {})
    if "filter" in pt and "baseline" in pt:
        def held(r: dict) -> float:
            return max(r["allocated_per_stream"], r["rss_per_stream"])
        rows.append(check(f"added bytes held per open stream ({mem['streams']} streams)",
                          held(pt["filter"]) - held(pt["baseline"]), 64 * 1024, "B",
                          note="max(tcmalloc allocated, RSS) per stream, filter minus baseline "
                               "(wasm linear memory is outside tcmalloc); limit chosen here",
                          kind="check"))
    if "growth" in mem:
        g = mem["growth"]
        rows.append(check(f"memory growth over {g['requests']} requests (tcmalloc allocated)",
                          g["allocated_delta"], 1 << 20, "B",
                          note="no growth = within 1 MiB of noise", kind="check"))
    return rows


# --------------------------------------------------------------------------------------------
# Report


def fmt(v: Any, nd: int = 2) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def markdown(res: dict, checks: list[dict], meta: dict, command: str) -> str:
    md = [f"# llm-warden bench {meta['date']} ({meta['commit']})", "",
          f"Command: `{command}`", "",
          f"Envoy {meta['envoy_version']}, one worker on CPU {meta['envoy_cpu']}; wrk, the mock "
          f"and the stream clients on CPU {meta['load_cpu']}; {meta['runs']} interleaved runs "
          f"(throughput {meta['duration_s']} s each, latency {meta['latency_duration_s']} s each), "
          f"medians. Load average at start / end: {meta['load_start']} / "
          f"{meta['load_end']}. Filter config: `{json.dumps(meta['filter_config'])}`. "
          f"Targets: {', '.join(meta['targets'])}" + (f" ({meta['skipped']})" if meta['skipped']
                                                      else "") + ".", "",
          "## Targets", "",
          "\"The floor\" is noop (a wasm filter that buffers the request body and passes every "
          "response chunk, doing nothing else), measured in the same run.", "",
          "| target | measured | limit | met | how |", "|---|---|---|---|---|"]

    def row(c: dict) -> str:
        met = {True: "met", False: f"missed by {fmt(c.get('missed_by'))} {c['unit']}",
               None: "not measured"}[c["met"]]
        return (f"| {c['target']} | {fmt(c['value'])} {c['unit']} | {c['limit']:g} "
                f"{c['unit']} | {met} | {c.get('note', '')} |")

    md += [row(c) for c in checks if c.get("kind", "target") == "target"]
    md += ["", "Checks kept beside the targets (what must not be lost while it gets faster):", "",
           "| check | measured | limit | met | how |", "|---|---|---|---|---|"]
    md += [row(c) for c in checks if c.get("kind") == "check"]
    md += profile_markdown(res, checks)
    tp = res.get("throughput", {})
    if tp:
        md += ["", f"## Throughput (wrk, {meta['connections']} connections)", "",
               "| scenario | target | req/s | vs baseline | vs noop | p50 ms | p99 ms | spread | "
               "Envoy CPU us/req | Envoy CPU us/event | CPU 0 busy | mock CPU us/req | errors |",
               "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for scn, d in tp.items():
            t = d["targets"]
            b = t.get("baseline", {}).get("rps")
            nrps = t.get("noop", {}).get("rps")
            ev = d.get("events") or 0
            for n, r in t.items():
                md.append(f"| {scn} | {n} | {r['rps']:.0f} | {fmt(r['rps'] / b if b else None)} | "
                          f"{fmt(r['rps'] / nrps if nrps else None)} | {r['p50_ms']:.2f} | "
                          f"{r['p99_ms']:.2f} | {r['rps_spread'] * 100:.0f}% | "
                          f"{r['cpu_us_per_req']:.0f} | "
                          f"{fmt(r['cpu_us_per_req'] / ev if ev else None)} | "
                          f"{r['cpu_util'] * 100:.0f}% | {r.get('mock_cpu_us_per_req', 0):.0f} | "
                          f"{r['errors']} |")
        md += ["", "Scenarios: " + "; ".join(f"{k}: {d['note']} ({d['request_bytes']} B request)"
                                             for k, d in tp.items()) + "."]
    lat = res.get("latency", {})
    if lat:
        md += ["", "## Latency (1 connection)", "",
               "Added = over the floor (noop) for the wasm targets, over baseline for noop "
               "itself; the scan rates divide the request's bytes by those.", "",
               "| scenario | request | target | p50 ms | added p50 ms | over baseline ms | "
               "p99 ms | MB/s from added p50 | Envoy CPU us/req | added CPU us/req | "
               "MB/s from added CPU | errors |",
               "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for scn, d in lat.items():
            t = d["targets"]
            b = t["baseline"]["p50_ms"]
            for n, r in t.items():
                ref = t["baseline"] if n in ("baseline", "noop") or "noop" not in t else t["noop"]
                added = r["p50_ms"] - ref["p50_ms"]
                rate = (d["request_bytes"] / (added / 1000) / 1e6
                        if n != "baseline" and added > 0 else None)
                added_cpu = r["cpu_us_per_req"] - ref["cpu_us_per_req"]
                cpu_rate = (d["request_bytes"] / added_cpu if n != "baseline" and added_cpu > 0
                            else None)
                md.append(f"| {scn} | {d['request_bytes']} B | {n} | {r['p50_ms']:.3f} | "
                          f"{fmt(added if n != 'baseline' else None, 3)} | "
                          f"{fmt(r['p50_ms'] - b if n != 'baseline' else None, 3)} | "
                          f"{r['p99_ms']:.3f} | {fmt(rate, 0)} | {r['cpu_us_per_req']:.0f} | "
                          f"{fmt(added_cpu if n != 'baseline' else None, 0)} | "
                          f"{fmt(cpu_rate, 0)} | {r['errors']} |")
    st = res.get("streaming", {})
    if st:
        md += ["", f"## Streaming ({st['events']} events of 4 characters)", "",
               "| format | target | TTFT ms | added TTFT ms | unpaced total ms | added us/event "
               "(wall) | Envoy CPU us/event (paced) | added CPU us/event | ok | bytes as "
               "baseline |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        for f in ("sse", "ndjson"):
            d = st.get(f, {})
            b = d.get("baseline")
            for n, r in d.items():
                add_t = r["ttft_ms"] - b["ttft_ms"] if b and n != "baseline" else None
                add_w = ((r["total_ms_unpaced"] - b["total_ms_unpaced"]) * 1000 / st["events"]
                         if b and n != "baseline" else None)
                add_c = (r["cpu_us_per_event_paced"] - b["cpu_us_per_event_paced"]
                         if b and n != "baseline" else None)
                md.append(f"| {f} | {n} | {r['ttft_ms']:.2f} | {fmt(add_t, 3)} | "
                          f"{r['total_ms_unpaced']:.1f} | {fmt(add_w, 1)} | "
                          f"{r['cpu_us_per_event_paced']:.1f} | {fmt(add_c, 1)} | {r['ok']} | "
                          f"{r.get('bytes_as_baseline')} |")
    mem = res.get("memory", {})
    if mem:
        md += ["", f"## Memory ({mem.get('streams')} concurrent never-ending streams, each "
               "target freshly started)", "",
               "| target | streams open | tcmalloc allocated per stream | RSS per stream |",
               "|---|---|---|---|"]
        for n, r in mem.get("per_target", {}).items():
            md.append(f"| {n} | {r['during']['open']} | {r['allocated_per_stream']:.0f} B | "
                      f"{r['rss_per_stream']:.0f} B |")
        if "growth" in mem:
            g = mem["growth"]
            md += ["", f"Growth (filter, chat-4k, {g['requests']} requests after warm-up, "
                   f"{g['errors']} errors): tcmalloc allocated {g['after_warmup']['allocated']}"
                   f" -> {g['after_n']['allocated']} B ({g['allocated_delta']:+d} B), RSS "
                   f"{g['after_warmup']['rss']} -> {g['after_n']['rss']} B "
                   f"({g['rss_delta']:+d} B)."]
    sz = res.get("start", {})
    if sz:
        md += ["", "## Size and start", "",
               "| module | bytes | KiB | code KiB | data KiB | name section KiB | "
               "KiB without names (strip = \"symbols\") |", "|---|---|---|---|---|---|---|"]
        for n, b in sz.get("wasm_bytes", {}).items():
            secs = sz.get("wasm_sections", {}).get(n, {})
            md.append(f"| {n} | {b} | {b / 1024:.0f} | {secs.get('code', 0) / 1024:.0f} | "
                      f"{secs.get('data', 0) / 1024:.0f} | "
                      f"{secs.get('custom:name', 0) / 1024:.0f} | "
                      f"{(b - secs.get('custom:name', 0)) / 1024:.0f} |")
        md += ["", "Ready = Envoy (one worker, pinned) started until a benign chat request through "
               "its listener is answered 200, polled every 2 ms. `envoy --mode validate` "
               "(medians; phases from Envoy's wasm debug log "
               "timestamps, ms resolution): module = base VM created -> first worker VM created "
               "(V8 compiles the module, base VM starts); VM + config = worker VM created -> "
               "`configuration loaded` (VM clone, on_configure compiling the default policy).", "",
               "| config | ready ms | validate wall ms | module ms | VM + config ms |",
               "|---|---|---|---|---|"]
        for n, m in sz.get("validate", {}).items():
            md.append(f"| {n} | {fmt(m.get('ready_ms'), 0)} | {fmt(m['wall_ms'], 0)} | "
                      f"{fmt(m['module_ms'], 0)} | {fmt(m['vm_config_ms'], 0)} |")
    eng = res.get("engine", {})
    if eng.get("bench"):
        md += ["", "## Engine, native (criterion, engine/benches/pipeline.rs)", "",
               "| bench | median | rate |", "|---|---|---|"]
        for k, r in eng["bench"].items():
            rate = (f"{r['mb_per_s']:.1f} MB/s" if "mb_per_s" in r else
                    f"{r['ns_per_element']:.0f} ns/event" if "ns_per_element" in r else "")
            md.append(f"| {k} | {r['median_ns'] / 1000:.1f} us | {rate} |")
        md += ["", f"Hold-back bound of the default secret rules: {eng.get('holdback_bytes')} "
               "bytes (the most text a stream holds while a possible secret is pending)."]
    elif eng.get("error"):
        md += ["", f"Engine bench failed: {eng['error'][:500]}"]
    for name, err in res.get("errors", {}).items():
        md += ["", f"Section {name} failed: `{err[:400]}`"]
    md += ["", "Where the time goes for the missed targets, and how each figure is measured: "
           "integration/bench/README.md.", ""]
    return "\n".join(md)


def section(res: dict, name: str, fn: Callable[[], dict]) -> None:
    """Runs one section; a failure is recorded in the results and the suite goes on."""
    print(f"== {name}", flush=True)
    t0 = time.monotonic()
    try:
        res[name] = fn()
        res.setdefault("seconds", {})[name] = round(time.monotonic() - t0, 1)
    except Exception as e:  # noqa: BLE001 - one broken section must not lose the others
        import traceback
        traceback.print_exc()
        res.setdefault("errors", {})[name] = f"{type(e).__name__}: {e}"[:2000]


def canned(s: Scenario, mock: harness.Mock) -> Scenario:
    """The scenario with its answer preloaded into the mock as literal bytes (`x-mock-canned`):
    the mock's answer for the script, fetched once (ids and clock fixed), then sent whole with
    `content-length` in one write, so that under wrk the mock costs next to nothing per request
    (the load generator and the mock share a core; an upstream serving canned bodies)."""
    h = {"Content-Type": "application/json", **s.headers, "x-mock-deterministic": "1"}
    r = harness.HTTP.post(mock.url + s.path, content=json.dumps(s.body).encode(), headers=h)
    r.raise_for_status()
    doc = {"status": 200, "headers": {"content-type": r.headers["content-type"]},
           "body_b64": base64.b64encode(r.content).decode()}
    cid = harness.HTTP.post(mock.url + "/__mock/canned", json=doc).json()["id"]
    return Scenario(s.name, s.path, s.body, {"x-mock-canned": cid},
                    s.note + " (preloaded answer)", s.events)


def throughput_section(targets: list[Target], mock: harness.Mock, args, tmp: Path) -> dict:
    chat = canned(SIZED["chat-4k"], mock)
    # One event per write, 1 ms apart, needs the mock's own writer; the rest are preloaded.
    streams = [s if s.name.endswith("chunks") else canned(s, mock) for s in STREAMS.values()]
    tps = list(targets)
    try:
        if args.variants:
            for v in VARIANTS:
                t = start_target(make_target("filter", mock, args, variant_wasm(v)), args)
                t.name = v
                tps.append(t)
        out = wrk_section(tps, [chat], args.connections, args, tmp)
    finally:
        for t in tps[len(targets):]:
            t.envoy.stop()
    out.update(wrk_section(targets, streams, args.connections, args, tmp))
    return out


def load_avg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=float, default=8, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=16, help="wrk connections (throughput)")
    ap.add_argument("--only", help=f"comma-separated sections among {SECTIONS}")
    ap.add_argument("--quick", action="store_true", help="a smoke run of every section (2-3 min)")
    ap.add_argument("--variants", action=argparse.BooleanOptionalAction, default=None,
                    help="build and measure opt-level s/z and +simd128 (default: on unless "
                         "--quick)")
    ap.add_argument("--no-variant-build", action="store_true",
                    help="measure the variant modules already in target/bench-* as they are")
    ap.add_argument("--no-extproc", action="store_true")
    ap.add_argument("--envoy-cpu", default="0")
    ap.add_argument("--load-cpu", default="1", help="CPU for wrk, clients and the mock")
    ap.add_argument("--chunk-delay-ms", type=int, default=1,
                    help="ms between the events of the one-event-per-chunk streams (throughput); "
                         "0 sends them back to back")
    ap.add_argument("--config", help="filter configuration JSON file (default {})")
    ap.add_argument("--out", help="results file stem (default results/<UTC date-time>)")
    args = ap.parse_args()
    args.filter_config = json.loads(Path(args.config).read_text()) if args.config else {}
    global STREAMS
    STREAMS = stream_scenarios(STREAM_EVENTS, args.chunk_delay_ms)
    if args.quick:
        args.runs, args.duration = 1, 1
    args.stream_reps = 1 if args.quick else 3
    args.ttft_samples = 6 if args.quick else 20
    args.streams = 100 if args.quick else 500
    args.growth_requests = 5000 if args.quick else 100_000
    args.validate_runs = 1 if args.quick else 5
    args.latency_duration = 1.0 if args.quick else min(args.duration, 5.0)
    sections = args.only.split(",") if args.only else SECTIONS
    if args.variants is None:
        # Variants are measured by these sections only.
        args.variants = not args.quick and bool(set(sections) & {"start", "throughput", "engine"})
    if unknown := set(sections) - set(SECTIONS):
        print(f"bench: unknown sections {unknown}", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("bench: wrk not found (scripts/setup.sh --bench installs it)", file=sys.stderr)
        return 2
    if (os.cpu_count() or 1) < 2:
        args.envoy_cpu = args.load_cpu = "0"
    os.sched_setaffinity(0, {int(args.load_cpu)})
    command = "scripts/bench.sh " + " ".join(sys.argv[1:])
    load_start = load_avg()
    t_start = time.monotonic()

    if not (NOOP_WASM.exists() and NOOP_READ_WASM.exists()):
        build_noop()
    wasms = {"filter": harness.WASM, "noop": NOOP_WASM, "noop-read": NOOP_READ_WASM}
    if args.variants:
        for v in VARIANTS:
            if args.no_variant_build and variant_wasm(v).exists():
                wasms[v] = variant_wasm(v)
                continue
            print(f"bench: building variant {v}", flush=True)
            wasms[v] = build_variant(v)
    ext_ok, ext_why = (False, "--no-extproc") if args.no_extproc else extproc_available()
    names = ["baseline", "noop", "noop-read", "filter"] + (["extproc"] if ext_ok else [])
    skipped = "" if ext_ok else f"extproc skipped: {ext_why}"
    if skipped:
        print(f"bench: {skipped}", flush=True)

    res: dict = {}
    mock = harness.Mock(taskset=args.load_cpu).start()
    args.mock_pids = [mock.proc.pid] if mock.proc is not None else []
    targets: list[Target] = []
    try:
        with tempfile.TemporaryDirectory(prefix="llm-warden-bench-") as d:
            tmp = Path(d)
            if "start" in sections:
                section(res, "start", lambda: start_section(args, tmp, wasms, mock))
            if set(sections) & {"throughput", "latency", "streaming", "memory"}:
                targets = [start_target(make_target(n, mock, args), args) for n in names]
            if "throughput" in sections:
                section(res, "throughput", lambda: throughput_section(targets, mock, args, tmp))
            if "latency" in sections:
                section(res, "latency",
                        lambda: latency_section(targets, list(SIZED.values()), args))
            if "streaming" in sections:
                section(res, "streaming", lambda: streaming_section(targets, args))
            if "memory" in sections:
                section(res, "memory", lambda: {"growth": growth_section(
                    next(t for t in targets if t.name == "filter"), args, tmp)})
            for t in targets:
                t.envoy.stop()
            if "memory" in sections:
                mem_names = [n for n in names if n != "noop-read"]
                section(res, "memory", lambda: {**res.get("memory", {}),
                                                **memory_section(mem_names, mock, args)})
    finally:
        for t in targets:
            t.envoy.stop()
        mock.stop()
    if "engine" in sections:
        section(res, "engine", lambda: engine_section(args))
    if "profile" in sections:
        section(res, "profile", lambda: profile_section(args))

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "engine",
                            "filter"], capture_output=True, text=True).stdout.strip()
    meta = {"date": stamp, "commit": commit + ("+dirty" if dirty else ""), "command": command,
            "runs": args.runs, "duration_s": args.duration, "connections": args.connections,
            "latency_duration_s": args.latency_duration, "chunk_delay_ms": args.chunk_delay_ms,
            "envoy_cpu": args.envoy_cpu, "load_cpu": args.load_cpu, "envoy_concurrency": 1,
            "filter_config": args.filter_config, "targets": names, "skipped": skipped,
            "sections": sections, "load_start": load_start, "load_end": load_avg(),
            "seconds": round(time.monotonic() - t_start, 1),
            "envoy_version": next((w for w in subprocess.run(
                [str(harness.envoy_binary()), "--version"], capture_output=True, text=True
            ).stdout.split() if w.count(".") >= 2 and "/" in w), "?"),
            "wasm_sha256": subprocess.run(["sha256sum", str(harness.WASM)], capture_output=True,
                                          text=True).stdout.split()[:1]}
    checks = evaluate(res)
    md = markdown(res, checks, meta, command)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = Path(args.out) if args.out else RESULTS / (stamp + ("-quick" if args.quick else ""))
    stem.with_suffix(".json").write_text(json.dumps(
        {"meta": meta, "targets": checks, "results": res}, indent=2))
    stem.with_suffix(".md").write_text(md)
    print(md)
    print(f"written: {stem}.json and .md ({meta['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
