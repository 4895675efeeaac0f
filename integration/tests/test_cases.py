"""The project's conformance cases (testdata/cases/**/*.json) end to end through a real Envoy.

`llm-warden test testdata/cases` replays each case through the engine; this file sends the SAME
files through Envoy with the filter, so one case proves both the engine and the deployed filter
(the format and its semantics: cli/case.schema.json, cli/src/case.rs, cli/src/report.rs). For each
case file (one test item, id = its path under testdata/cases):

- its effective config (its own `config`, else the nearest `config.json` in its folder or above,
  else `{}`) configures the filter (`envoy_with`);
- the case's response is preloaded into the mock as a canned answer (`POST /__mock/canned`), and
  the request is sent through Envoy exactly as the case says (method, path, headers, body as
  compact JSON with the keys in the order written, or `body_text`);
- every `expect` field is checked on what Envoy delivered (status, code, client_contains/excludes
  on the raw client body, upstream_contains/excludes on the body the mock received, rules from the
  filter's audit log lines, verdict computed from the observable effects as report.rs does);
- what Envoy delivered is compared with what the engine replay (`llm-warden test --format json`,
  one run for all cases) says each side receives: status, verdict, code, the client body byte
  for byte, the upstream body, and the (rule, phase, action) audit events;
- all of it at the case's own `split` (absent: the body in one piece with `content-length`) and
  at split 1, one byte per HTTP chunk, the engine replay at the same split.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness

CASES_DIR = harness.REPO / "testdata" / "cases"


def cli_binary() -> Path:
    """LLM_WARDEN_CLI, else the newest of the release and debug builds (`make unit` builds the
    debug one), so that the engine replay is as recent as the module under test."""
    if env := os.environ.get("LLM_WARDEN_CLI"):
        return Path(env)
    built = [p for p in (harness.REPO / "target" / profile / "llm-warden"
                         for profile in ("release", "debug")) if p.exists()]
    return max(built, key=lambda p: p.stat().st_mtime,
               default=harness.REPO / "target" / "release" / "llm-warden")


CLI_BIN = cli_binary()

# Network-level split sizes run through Envoy besides the case's own (1 = one byte per chunk).
EXTRA_SPLITS = (1,)


# --------------------------------------------------------------------------------------------
# Case files (mirrors cli/src/case.rs)


def discover(root: Path = CASES_DIR) -> list[Path]:
    """Every case file under `root`; `config.json` files are folder defaults, not cases."""
    return sorted(p for p in root.rglob("*.json") if p.name != "config.json")


def folder_config(case: Path, root: Path = CASES_DIR) -> Path | None:
    """The nearest `config.json` in the case's folder or above it, up to `root`."""
    d = case.parent
    while True:
        if (d / "config.json").is_file():
            return d / "config.json"
        if d == root or d.parent == d:
            return None
        d = d.parent


@dataclass
class Case:
    file: Path
    doc: dict
    # The filter configuration: a dict, or the text of a folder's config.json (byte for byte).
    config: dict | str

    @property
    def rel(self) -> str:
        return self.file.relative_to(CASES_DIR).as_posix()

    @property
    def expect(self) -> dict:
        return self.doc["expect"]

    def splits(self) -> list[int | None]:
        """The network splits to run: the case's own (None: whole) and EXTRA_SPLITS. Without a
        response body there is nothing to split."""
        own = self.doc.get("split")
        if not response_body(self.doc):
            return [own]
        return [own, *(s for s in EXTRA_SPLITS if s != own)]


def load_case(file: Path) -> Case:
    doc = json.loads(file.read_text(), object_pairs_hook=dict)
    if "config" in doc:
        config: dict | str = doc["config"]
    elif (cfg := folder_config(file)) is not None:
        text = cfg.read_text()
        if not text.lstrip().startswith("{"):
            pytest.fail(f"{cfg}: only plain JSON folder configs are supported here")
        config = text
    else:
        config = {}
    return Case(file, doc, config)


def compact(value: Any) -> bytes:
    """JSON as serde_json writes it: compact, keys in order, non-ASCII as UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def body_of(part: dict | None) -> bytes:
    if not part:
        return b""
    if "body" in part:
        return compact(part["body"])
    return part.get("body_text", "").encode()


def request_body(doc: dict) -> bytes:
    return body_of(doc["request"])


def response_body(doc: dict) -> bytes:
    return body_of(doc.get("response"))


def sniff_content_type(body: bytes) -> str:
    """The content type recording.rs infers for a response body without one."""
    t = body.decode(errors="replace").lstrip()
    if any(t.startswith(p) for p in ("data:", "event:", "id:", "retry:", ":")):
        return "text/event-stream"
    lines = [line for line in t.splitlines() if line.strip()]

    def is_object(line: str) -> bool:
        try:
            return isinstance(json.loads(line), dict)
        except ValueError:
            return False

    if lines and all(is_object(line) for line in lines) and (len(lines) > 1 or '"done"' in t):
        return "application/x-ndjson"
    try:
        json.loads(t)
        return "application/json"
    except ValueError:
        return "text/plain"


def canned_response(doc: dict) -> dict:
    """The mock's canned answer for a case: absent response = 200 with no body."""
    resp = doc.get("response") or {}
    body = response_body(doc)
    headers = {k.lower(): v for k, v in (resp.get("headers") or {}).items()}
    if "content-type" not in headers and body:
        headers = {"content-type": sniff_content_type(body), **headers}
    return {"status": resp.get("status", 200), "headers": headers, "body_b64": harness.b64(body)}


def client_headers(doc: dict) -> dict[str, str]:
    """The request headers as case.rs/recording.rs build them (`:authority` llm.local unless
    given, `content-type: application/json` for a body unless given; the client sets
    `content-length`)."""
    given = {k.lower(): v for k, v in (doc["request"].get("headers") or {}).items()}
    headers: dict[str, str] = {}
    authority = given.pop(":authority", None) or given.pop("host", None) or "llm.local"
    headers["host"] = authority
    if request_body(doc) and "content-type" not in given:
        headers["content-type"] = "application/json"
    headers.update({k: v for k, v in given.items() if k != "content-length"})
    return headers


def code_in_body(body: bytes) -> str | None:
    """The stable code in an error body the engine wrote (report.rs `code_in_body`)."""
    text = body.decode(errors="replace")
    at = text.rfind("llm-warden: ")
    if at < 0:
        return None
    tail = text[at:]
    close = tail.find(')"')
    if close < 0:
        return None
    open_ = tail[:close].rfind("(")
    if open_ < 0:
        return None
    code = tail[open_ + 1:close]
    return code if all(c.islower() and c.isascii() or c == "_" for c in code) else None


# --------------------------------------------------------------------------------------------
# What Envoy did


def event_keys(events: list[dict]) -> set[tuple[str, str, str]]:
    return {(e["rule"], e["phase"], e["action"]) for e in events}


@dataclass
class Observed:
    """One exchange through Envoy, condensed the way report.rs condenses a replay."""
    status: int
    headers: httpx.Headers
    client_body: bytes
    upstream_body: bytes | None  # None: the request never reached the upstream
    events: list[dict] = field(default_factory=list)
    verdict: str = ""
    code: str | None = None
    # Anything odd about the exchange itself (e.g. the upstream saw other requests).
    notes: list[str] = field(default_factory=list)

    @property
    def rules(self) -> list[str]:
        out: list[str] = []
        for e in self.events:
            if e["rule"] not in out:
                out.append(e["rule"])
        return out


def through_envoy(envoy: harness.Envoy, mock: harness.Mock, case: Case, split: int | None,
                  wait_for: set[tuple[str, str, str]], wait_rules: set[str]) -> Observed:
    """Sends the case through Envoy at `split` and condenses what each side saw. `wait_for` and
    `wait_rules` are the audit events and rule ids expected, which the log is awaited for."""
    doc = case.doc
    canned = canned_response(doc)
    cid = httpx.post(f"{mock.url}/__mock/canned", json=canned, timeout=10).json()["id"]
    mock.clear()
    request_id = str(uuid.uuid4())
    headers = client_headers(doc)
    headers["x-request-id"] = request_id
    headers["x-mock-canned"] = cid
    if split is not None:
        headers["x-mock-chunk-bytes"] = str(split)
    body = request_body(doc)
    mark = envoy.log_mark()
    with httpx.Client(timeout=30) as client:
        req = client.build_request(doc["request"].get("method", "POST"),
                                   f"{envoy.url}{doc['request']['path']}",
                                   headers=headers, content=body or None)
        for default in ("accept", "accept-encoding", "user-agent"):
            if default not in headers and default in req.headers:
                del req.headers[default]
        r = client.send(req, stream=True)
        try:
            raw = b"".join(r.iter_raw())
        finally:
            r.close()
    received = mock.requests()
    seen = [q for q in received if q["headers"].get("x-mock-canned") == cid]
    upstream = seen[-1]["body"].encode() if seen else None
    notes = []
    if len(received) != len(seen) or len(seen) > 1:
        notes.append(f"the upstream received {len(received)} requests, {len(seen)} of them this "
                     f"case's: {[(q['method'], q['path']) for q in received]}")
    # The filter logs each decision before it lets the bytes go, but Envoy's log may reach the
    # file later: wait (bounded) until the events the case and the engine expect are there.

    def complete(evs: list[dict]) -> bool:
        return wait_for <= event_keys(evs) and wait_rules <= {e["rule"] for e in evs}

    events = envoy.decisions(mark, wait=3.0, request_id=request_id, at_least=0, until=complete)
    obs = Observed(r.status_code, r.headers, raw, upstream, events, notes=notes)
    blocked_in_audit = any(e["action"] == "block" for e in events)
    if upstream is None or blocked_in_audit:
        obs.verdict = "block"
    elif upstream != body or raw != base64.b64decode(canned["body_b64"]):
        obs.verdict = "modified"
    else:
        obs.verdict = "pass"
    header_code = r.headers.get("x-llm-warden-code")
    obs.code = header_code or (code_in_body(raw) if obs.verdict == "block" else None)
    if header_code and code_in_body(raw) != header_code:
        notes.append(f"x-llm-warden-code {header_code!r} but the error body says "
                     f"{code_in_body(raw)!r}")
    return obs


def check(expect: dict, obs: Observed) -> list[str]:
    """The case's expectations against what Envoy did (case.rs `check`, same wording)."""
    failures = []
    if obs.verdict != expect["verdict"]:
        failures.append(f"verdict: expected {expect['verdict']}, got {obs.verdict}")
    if "status" in expect and expect["status"] != obs.status:
        failures.append(f"status: expected {expect['status']}, got {obs.status}")
    if "code" in expect and expect["code"] != obs.code:
        failures.append(f"code: expected {expect['code']}, got {obs.code or 'none'}")
    for r in expect.get("rules", []):
        if r not in obs.rules:
            failures.append(f"rules: expected {r} in the audit, got [{', '.join(obs.rules)}]")
    upstream = (obs.upstream_body or b"").decode(errors="replace")
    client = obs.client_body.decode(errors="replace")
    for s in expect.get("upstream_contains", []):
        if obs.upstream_body is None:
            failures.append(f"upstream_contains: {s!r}, but the request never reached the upstream")
        elif s not in upstream:
            failures.append(f"upstream_contains: {s!r} not in the upstream request")
    for s in expect.get("upstream_excludes", []):
        if s in upstream:
            failures.append(f"upstream_excludes: {s!r} reached the upstream")
    for s in expect.get("client_contains", []):
        if s not in client:
            failures.append(f"client_contains: {s!r} not in the client response")
    for s in expect.get("client_excludes", []):
        if s in client:
            failures.append(f"client_excludes: {s!r} reached the client")
    return failures


# --------------------------------------------------------------------------------------------
# What the engine replay says (llm-warden test --format json)


def first_difference(a: bytes, b: bytes) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, i - 60)
    return (f"first difference at byte {i} (lengths {len(a)} vs {len(b)}):\n"
            f"      envoy: {a[lo:i + 60]!r}\n      engine: {b[lo:i + 60]!r}")


def agreement(obs: Observed, engine: dict) -> list[str]:
    """Differences between what Envoy delivered and what the engine replay says."""
    diffs = []
    res = engine["result"]
    if res is None:
        return [f"the engine could not run the case: {engine['failures']}"]
    for what, mine, theirs in (("status", obs.status, res["status"]),
                               ("verdict", obs.verdict, res["verdict"]),
                               ("code", obs.code, res["code"])):
        if mine != theirs:
            diffs.append(f"{what}: envoy {mine!r}, engine {theirs!r}")
    client = obs.client_body.decode(errors="replace").encode()
    engine_client = res["client_response"]["body"].encode()
    if client != engine_client:
        diffs.append("client body: " + first_difference(client, engine_client))
    up = res["upstream_request"]
    engine_up = None if up is None else up["body"].encode()
    if (obs.upstream_body is None) != (engine_up is None):
        diffs.append(f"upstream reached: envoy {obs.upstream_body is not None}, "
                     f"engine {engine_up is not None}")
    elif engine_up is not None and obs.upstream_body != engine_up:
        diffs.append("upstream body: " + first_difference(obs.upstream_body or b"", engine_up))
    mine_ev, theirs_ev = event_keys(obs.events), event_keys(
        [{"rule": e["rule"], "phase": e["phase"], "action": e["action"]} for e in res["events"]])
    if mine_ev != theirs_ev:
        diffs.append(f"audit (rule, phase, action): only envoy {sorted(mine_ev - theirs_ev)}, "
                     f"only engine {sorted(theirs_ev - mine_ev)}")
    return diffs


@pytest.fixture(scope="session")
def engine_results() -> dict[tuple[str, int | None], dict]:
    """`llm-warden test --format json` over every case at every split run here, in one CLI run:
    each variant is the case with its effective config inlined and `split` set."""
    if not CLI_BIN.exists():
        pytest.fail(f"no CLI binary {CLI_BIN}: run `cargo build --release -p llm-warden-cli`")
    with tempfile.TemporaryDirectory(prefix="llm-warden-cases-") as d:
        where: dict[str, tuple[str, int | None]] = {}
        for i, file in enumerate(discover()):
            case = load_case(file)
            for split in case.splits():
                doc = dict(case.doc)
                doc["config"] = (json.loads(case.config) if isinstance(case.config, str)
                                 else case.config)
                doc.pop("split", None)
                if split is not None:
                    doc["split"] = split
                path = Path(d) / f"{i:03d}-{split or 'whole'}.json"
                path.write_text(json.dumps(doc, ensure_ascii=False))
                where[str(path)] = (case.rel, split)
        run = subprocess.run([str(CLI_BIN), "test", d, "--format", "json"],
                             capture_output=True, text=True, timeout=120)
        if run.returncode not in (0, 1):
            pytest.fail(f"llm-warden test could not run ({run.returncode}): {run.stderr}")
        out = json.loads(run.stdout)
    return {where[c["file"]]: c for c in out["cases"]}


# --------------------------------------------------------------------------------------------


CASE_FILES = discover()


def test_cases_are_found():
    assert len(CASE_FILES) >= 30, CASE_FILES


@pytest.mark.parametrize("file", CASE_FILES, ids=[p.relative_to(CASES_DIR).as_posix()
                                                  for p in CASE_FILES])
@pytest.mark.parametrize("adapter", ["wasm", "extproc"])
def test_case(file, adapter, request, mock, engine_results):
    """Every case through the wasm filter and through the ext_proc server: the same
    expectations, and the same bytes as the engine's replay."""
    case = load_case(file)
    make = request.getfixturevalue("envoy_with" if adapter == "wasm" else "extproc_with")
    envoy = make(case.config)
    report = []
    for split in case.splits():
        label = f"split {split}" if split is not None else "whole body"
        engine = engine_results[(case.rel, split)]
        wait_for = event_keys([{"rule": e["rule"], "phase": e["phase"], "action": e["action"]}
                               for e in (engine["result"] or {}).get("events", [])])
        obs = through_envoy(envoy, mock, case, split, wait_for, set(case.expect.get("rules", [])))
        for f in obs.notes:
            report.append(f"[{label}] envoy: {f}")
        for f in check(case.expect, obs):
            report.append(f"[{label}] envoy vs case: {f}")
        for f in agreement(obs, engine):
            report.append(f"[{label}] envoy vs engine: {f}")
        for f in engine["failures"]:
            report.append(f"[{label}] engine vs case: {f}")
    assert not report, (f"{case.rel} ({case.doc['name']}):\n  " + "\n  ".join(report)
                        + f"\n  (built: {built(harness.WASM)}; {built(CLI_BIN)})")


def built(path: Path) -> str:
    """When a binary was built: an engine/CLI disagreement may be two builds of the engine."""
    try:
        stamp = time.strftime("%H:%M:%S", time.gmtime(path.stat().st_mtime))
    except OSError:
        stamp = "missing"
    return f"{path.name} {stamp} UTC"
