"""What the filter costs: Envoy with the filter vs. Envoy without it, same machine, same run.

Both Envoys run with ONE worker (`--concurrency 1`) pinned by taskset to core 0; wrk and the
mock upstream share core 1. Every scenario runs against both Envoys several times, interleaved
(filter, baseline, filter, baseline, ...), so drift hits both alike. Reported per scenario:
requests/s and p50/p99 latency (medians over the runs) and the ratios filter/baseline. Results go
to integration/bench/results/<UTC date-time>.json and a markdown summary beside it.

    make bench                              # defaults: every scenario, 3 runs x 10 s
    scripts/bench.sh --quick                # 1 run x 3 s, for a smoke test
    scripts/bench.sh --scenario chat-4k --runs 5 --duration 20

Scenarios are rows of SCENARIOS: add one for a new request size, API or answer shape.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
FILLER = ("The committee reviewed the quarterly report on river sediment, noting seasonal "
          "variation in turbidity and recommending additional sampling upstream of the weir. ")


@dataclass
class Scenario:
    name: str
    path: str
    body: dict
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""


def chat_body(size: int, stream: bool = False) -> dict:
    """An OpenAI chat request whose serialized JSON is about `size` bytes of benign text."""
    body = harness.openai_chat("", stream=stream, system="You are a concise assistant.")
    overhead = len(json.dumps(body))
    text = (FILLER * (size // len(FILLER) + 1))[: max(0, size - overhead)]
    body["messages"][-1]["content"] = text
    return body


def ollama_body(size: int) -> dict:
    body = harness.ollama_chat("", stream=True)
    overhead = len(json.dumps(body))
    body["messages"][-1]["content"] = (FILLER * (size // len(FILLER) + 1))[: max(0, size - overhead)]
    return body


LONG_REPLY = ("Here is a longer answer that streams in many small events, as a model would, "
              "with nothing in it that a policy should act on. " * 8)

SCENARIOS = [
    Scenario("chat-4k", "/v1/chat/completions", chat_body(4096),
             note="OpenAI chat, 4 KiB request, plain JSON answer"),
    Scenario("chat-64k", "/v1/chat/completions", chat_body(65536),
             note="OpenAI chat, 64 KiB request (long context), plain JSON answer"),
    Scenario("chat-4k-sse", "/v1/chat/completions", chat_body(4096, stream=True),
             headers=harness.script(LONG_REPLY, piece_chars=4),
             note="OpenAI chat, 4 KiB request, ~230 SSE events of 4 chars each"),
    Scenario("ollama-4k-ndjson", "/api/chat", ollama_body(4096),
             headers=harness.script(LONG_REPLY, piece_chars=4),
             note="Ollama chat, 4 KiB request, ~230 NDJSON lines"),
]

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


def lua_string(s: str) -> str:
    return "[==[" + s + "]==]"


def write_lua(s: Scenario, d: Path) -> Path:
    headers = "\n".join(f'wrk.headers["{k}"] = {lua_string(v)}' for k, v in s.headers.items())
    p = d / f"{s.name}.lua"
    p.write_text(LUA.format(body=lua_string(json.dumps(s.body)), headers=headers))
    return p


def run_wrk(url: str, lua: Path, args) -> dict:
    cmd = ["taskset", "-c", args.load_cpu, "wrk", "-t", str(args.threads), "-c",
           str(args.connections), "-d", f"{args.duration}s", "--timeout", "10s", "-s", str(lua),
           url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 60)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            r = json.loads(line[len("RESULT "):])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
            return r
    raise RuntimeError(f"wrk gave no result: {out.stdout}\n{out.stderr}")


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--scenario", action="append", help="run only these (repeatable)")
    ap.add_argument("--quick", action="store_true", help="1 run x 3 s, chat-4k only")
    ap.add_argument("--envoy-cpu", default="0")
    ap.add_argument("--load-cpu", default="1", help="CPU for wrk and the mock")
    ap.add_argument("--config", help="filter configuration JSON file (default {})")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.duration = 1, 3
        args.scenario = args.scenario or ["chat-4k"]
    if shutil.which("wrk") is None:
        print("bench: wrk not found (scripts/setup.sh --bench installs it)", file=sys.stderr)
        return 2
    scenarios = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    if not scenarios:
        print(f"bench: no scenario among {[s.name for s in SCENARIOS]}", file=sys.stderr)
        return 2
    config = json.loads(Path(args.config).read_text()) if args.config else {}
    cpus = os.cpu_count() or 1
    if cpus < 2:
        args.envoy_cpu = args.load_cpu = "0"

    mock = harness.Mock(taskset=args.load_cpu).start()
    targets = {
        "filter": harness.Envoy(harness.ENVOY_WITH_FILTER, ("127.0.0.1", mock.port), config,
                                concurrency=1, taskset=args.envoy_cpu, log_level="warning"),
        "baseline": harness.Envoy(harness.ENVOY_NOWASM, ("127.0.0.1", mock.port),
                                  concurrency=1, taskset=args.envoy_cpu, log_level="warning"),
    }
    raw: dict[str, dict[str, list[dict]]] = {s.name: {t: [] for t in targets} for s in scenarios}
    try:
        for e in targets.values():
            e.start()
        with tempfile.TemporaryDirectory(prefix="llm-warden-bench-") as d:
            for s in scenarios:
                lua = write_lua(s, Path(d))
                # Warm-up (connection pools, VM, caches), not recorded.
                for e in targets.values():
                    run_wrk_quick = argparse.Namespace(**{**vars(args), "duration": 1})
                    run_wrk(e.url + s.path, lua, run_wrk_quick)
                for i in range(args.runs):
                    order = list(targets) if i % 2 == 0 else list(reversed(targets))
                    for t in order:
                        r = run_wrk(targets[t].url + s.path, lua, args)
                        raw[s.name][t].append(r)
                        print(f"{s.name:18} {t:8} run {i + 1}: {r['rps']:9.0f} req/s  "
                              f"p50 {r['p50_us'] / 1000:7.2f} ms  p99 {r['p99_us'] / 1000:7.2f} ms"
                              f"  errors {r['errors']} non2xx {r['non2xx']}", flush=True)
    finally:
        for e in targets.values():
            e.stop()
        mock.stop()

    summary = []
    for s in scenarios:
        row: dict = {"scenario": s.name, "note": s.note,
                     "request_bytes": len(json.dumps(s.body))}
        for t in targets:
            runs = raw[s.name][t]
            row[t] = {"rps": median([r["rps"] for r in runs]),
                      "p50_ms": median([r["p50_us"] for r in runs]) / 1000,
                      "p99_ms": median([r["p99_us"] for r in runs]) / 1000,
                      "errors": sum(r["errors"] for r in runs),
                      "non2xx": sum(r["non2xx"] for r in runs)}
        f, b = row["filter"], row["baseline"]
        row["ratio"] = {"rps": f["rps"] / b["rps"] if b["rps"] else None,
                        "p50": f["p50_ms"] / b["p50_ms"] if b["p50_ms"] else None,
                        "p99": f["p99_ms"] / b["p99_ms"] if b["p99_ms"] else None}
        summary.append(row)

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "-C", str(harness.REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    meta = {"date": stamp, "commit": commit, "runs": args.runs, "duration_s": args.duration,
            "connections": args.connections, "wrk_threads": args.threads,
            "envoy_cpu": args.envoy_cpu, "load_cpu": args.load_cpu, "envoy_concurrency": 1,
            "filter_config": config, "wasm_bytes": harness.WASM.stat().st_size,
            "envoy": subprocess.run([str(harness.envoy_binary()), "--version"],
                                    capture_output=True, text=True).stdout.strip(),
            "scenarios": [asdict(s) | {"body": f"<{len(json.dumps(s.body))} bytes>"}
                          for s in scenarios]}
    (RESULTS / f"{stamp}.json").write_text(json.dumps(
        {"meta": meta, "summary": summary, "raw": raw}, indent=2))
    md = [f"# llm-warden bench {stamp} ({commit})", "",
          f"Envoy 1 worker on CPU {args.envoy_cpu}; wrk ({args.threads} thread, "
          f"{args.connections} connections) and the mock on CPU {args.load_cpu}; "
          f"{args.runs} interleaved runs x {args.duration} s; medians. Filter config: "
          f"`{json.dumps(config)}`.", "",
          "| scenario | request | filter req/s | baseline req/s | ratio | filter p50 / p99 ms "
          "| baseline p50 / p99 ms | p99 ratio | errors |",
          "|---|---|---|---|---|---|---|---|---|"]
    for row in summary:
        f, b, r = row["filter"], row["baseline"], row["ratio"]
        md.append(
            f"| {row['scenario']} | {row['request_bytes']} B | {f['rps']:.0f} | {b['rps']:.0f} | "
            f"{r['rps']:.2f} | {f['p50_ms']:.2f} / {f['p99_ms']:.2f} | "
            f"{b['p50_ms']:.2f} / {b['p99_ms']:.2f} | {r['p99']:.2f} | "
            f"{f['errors'] + f['non2xx']} / {b['errors'] + b['non2xx']} |")
    md += ["", *[f"- {row['scenario']}: {row['note']}" for row in summary], "",
           "Ratios are filter / baseline (req/s below 1 and latency above 1 are the filter's "
           "cost). Streamed scenarios send every event as its own write from the mock, which "
           "shares a core with wrk: compare their ratios, not their absolute rates.", ""]
    (RESULTS / f"{stamp}.md").write_text("\n".join(md))
    print("\n".join(md))
    print(f"written: {RESULTS / (stamp + '.json')} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
