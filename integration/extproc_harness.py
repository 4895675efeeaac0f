"""End-to-end pieces for the ext_proc path: the `llm-warden-extproc` server and a real Envoy
running envoy/envoy-extproc.yaml in front of the mock upstream.

`start_extproc_envoy(upstream, config)` returns a started `ExtProcEnvoy`: the same interface as
`harness.Envoy` (`url`, `admin_url`, `log_text()`, `log_mark()`, `log_since()`, `decisions()`,
`stats()`, `stop()`), so end-to-end tests can be parametrised over the wasm filter and ext_proc.
The engine's audit lines (`llm-warden audit {json} request_id=ID`, the wasm filter's format) come
from the server's stderr here, not from
Envoy's log, so `log_mark`/`log_since`/`decisions` read the server's log; `log_text()` is both.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

import harness

ENVOY_EXTPROC = harness.ENVOY_DIR / "envoy-extproc.yaml"
EXTPROC_CLUSTER = "llm_warden_extproc"


def extproc_binary() -> Path:
    """The server binary: $LLM_WARDEN_EXTPROC, else the release build, else the debug build."""
    env = os.environ.get("LLM_WARDEN_EXTPROC")
    if env:
        return Path(env)
    for profile in ("release", "debug"):
        p = harness.REPO / "target" / profile / "llm-warden-extproc"
        if p.exists():
            return p
    raise FileNotFoundError(
        "llm-warden-extproc not built (cargo build --release -p llm-warden-extproc)")


def need_server() -> None:
    """In a test: skip it (or fail it, see harness.missing) when the server is not built."""
    try:
        extproc_binary()
    except FileNotFoundError as e:
        harness.missing(str(e))


def _config_text(config: dict | str | None) -> str:
    if config is None:
        return "{}"
    return config if isinstance(config, str) else json.dumps(config)


def run_refusing(config: dict | str, timeout: float = 20) -> subprocess.CompletedProcess:
    """Runs the server with a config it must refuse; returns the finished process (exit code and
    stderr). A server that starts anyway is stopped and reported by its `LISTENING` line."""
    with tempfile.TemporaryDirectory(prefix="llm-warden-extproc-") as d:
        path = Path(d) / "config.json"
        path.write_text(_config_text(config))
        return subprocess.run(
            [str(extproc_binary()), "--config", str(path), "--listen", "127.0.0.1:0"],
            capture_output=True, text=True, timeout=timeout,
        )


class ExtProcServer:
    """A started `llm-warden-extproc` on free loopback ports (gRPC and /healthz)."""

    def __init__(self, config: dict | str | None = None, binary: Path | None = None):
        self.binary = binary or extproc_binary()
        self.workdir = Path(tempfile.mkdtemp(prefix="llm-warden-extproc-"))
        self.config_path = self.workdir / "config.json"
        self.config_path.write_text(_config_text(config))
        self.log_path = self.workdir / "extproc.log"
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.health_port = 0

    def start(self, timeout: float = 20.0) -> "ExtProcServer":
        cmd = [str(self.binary), "--config", str(self.config_path),
               "--listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0"]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
        harness._PROCS.append(self.proc)
        assert self.proc.stdout is not None
        lines = [self.proc.stdout.readline().strip(), self.proc.stdout.readline().strip()]
        m = re.fullmatch(r"LISTENING (\d+)", lines[0])
        h = re.fullmatch(r"HEALTH (\d+)", lines[1])
        if not (m and h):
            self.stop()
            raise harness.HarnessError(
                f"llm-warden-extproc did not start: {lines!r}\n{harness._tail(self.log_path)}")
        self.port, self.health_port = int(m.group(1)), int(h.group(1))
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if time.monotonic() > deadline:
                raise harness.HarnessError("llm-warden-extproc /healthz never answered 200")
            time.sleep(0.05)
        return self

    def healthy(self) -> bool:
        try:
            return httpx.get(self.health_url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.health_port}/healthz"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        harness._stop(self.proc)

    def kill(self) -> None:
        """SIGKILL: the server vanishes without a goodbye (what fail-closed must survive)."""
        if self.running():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


class ExtProcEnvoy(harness.Envoy):
    """A real Envoy (envoy-extproc.yaml) whose ext_proc filter talks to its own server."""

    def __init__(self, upstream: tuple[str, int], filter_config: dict | str | None = None,
                 server: ExtProcServer | None = None, **kwargs: Any):
        super().__init__(ENVOY_EXTPROC, upstream, None, **kwargs)
        self.server = server or ExtProcServer(filter_config)

    def start(self, ready_timeout: float = 60.0) -> "ExtProcEnvoy":
        if not self.server.running():
            self.server.start()
        # harness.Envoy.start renders the template with harness.render_envoy_config, which points
        # every cluster at the upstream; point the ext_proc cluster back at the server.
        render = harness.render_envoy_config
        server_port = self.server.port

        def render_with_server(template: Path, **kw: Any) -> dict:
            cfg = render(template, **kw)
            for cluster in cfg["static_resources"]["clusters"]:
                if cluster["name"] == EXTPROC_CLUSTER:
                    for node in harness._walk(cluster["load_assignment"]):
                        if "socket_address" in node:
                            node["socket_address"].update(address="127.0.0.1",
                                                          port_value=server_port)
            return cfg

        harness.render_envoy_config = render_with_server
        try:
            super().start(ready_timeout)
        finally:
            harness.render_envoy_config = render
        return self

    def stop(self) -> None:
        super().stop()
        self.server.stop()

    def log_text(self) -> str:
        return super().log_text() + "\n" + self.server.log_text()

    # Audit lines live in the server's log: marks are positions in it.
    def log_mark(self) -> int:
        try:
            return self.server.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, mark: int = 0) -> str:
        try:
            with self.server.log_path.open("rb") as f:
                f.seek(mark)
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    # Each decision carries its line's request id (the x-request-id Envoy sent the server).
    def _event(self, event: dict, request_id: str) -> dict:
        return {**event, "request_id": request_id}


def start_extproc_envoy(upstream: tuple[str, int],
                        config: dict | str | None = None, **kwargs: Any) -> ExtProcEnvoy:
    """A started ext_proc server with `config` and a started Envoy using it."""
    return ExtProcEnvoy(upstream, config, **kwargs).start()
