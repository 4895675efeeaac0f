"""pytest fixtures for the end-to-end suite (see harness.py for the pieces).

Fixtures:
- `mock_server` (session): the mock upstream process; `mock` (per test): the same, cleared first.
- `envoy_with(config)` (session factory): a started Envoy with the filter (envoy/envoy.yaml)
  and that filter configuration (dict or JSON string), cached per config for the session.
- `extproc_with(config)` (session factory): the same behind the ext_proc server
  (envoy/envoy-extproc.yaml + extproc/), for running one test against both adapters.
- `envoy`: `envoy_with({})`, the secure default. `envoy_nowasm`: the baseline without filter.
- `validate_config(config)`: `envoy --mode validate` of envoy.yaml with that filter config.

Tests that need the filter module skip with a clear reason when it is not built, unless
LLM_WARDEN_REQUIRE_FILTER=1 (set by `make test`), which turns the skip into a failure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


def _need_module() -> None:
    if not harness.WASM.exists():
        harness.missing(f"filter module not built: {harness.WASM} (run `make build`)")


@pytest.fixture(scope="session")
def mock_server():
    m = harness.Mock().start()
    yield m
    m.stop()


@pytest.fixture
def mock(mock_server):
    mock_server.clear()
    return mock_server


@pytest.fixture(scope="session")
def envoy_with(mock_server):
    started: dict[str, harness.Envoy] = {}

    def make(config: dict | str | None = None) -> harness.Envoy:
        _need_module()
        config = {} if config is None else config
        key = config if isinstance(config, str) else json.dumps(config, sort_keys=True)
        if key not in started:
            e = harness.Envoy(harness.ENVOY_WITH_FILTER, ("127.0.0.1", mock_server.port), config)
            started[key] = e.start()
        return started[key]

    yield make
    for e in started.values():
        e.stop()


@pytest.fixture(scope="session")
def extproc_with(mock_server):
    """Factory: a started ext_proc server + an Envoy using it (envoy/envoy-extproc.yaml) for a
    config, cached per config for the session."""
    import extproc_harness

    started: dict[str, extproc_harness.ExtProcEnvoy] = {}

    def make(config: dict | str | None = None) -> extproc_harness.ExtProcEnvoy:
        extproc_harness.need_server()
        config = {} if config is None else config
        key = config if isinstance(config, str) else json.dumps(config, sort_keys=True)
        if key not in started:
            started[key] = extproc_harness.start_extproc_envoy(
                ("127.0.0.1", mock_server.port), config)
        return started[key]

    yield make
    for e in started.values():
        e.stop()


@pytest.fixture
def envoy(envoy_with):
    return envoy_with({})


@pytest.fixture(scope="session")
def envoy_nowasm(mock_server):
    e = harness.Envoy(harness.ENVOY_NOWASM, ("127.0.0.1", mock_server.port)).start()
    yield e
    e.stop()


@pytest.fixture(scope="session")
def validate_config():
    def run(config: dict | str):
        _need_module()
        cfg = harness.render_envoy_config(
            harness.ENVOY_WITH_FILTER, listener_port=harness.free_port(),
            admin_port=harness.free_port(), upstream=("127.0.0.1", 11434), filter_config=config,
        )
        return harness.validate_envoy_config(cfg)

    return run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, attach the tail of every running Envoy's log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for e in harness.STARTED:
            if e.proc is not None and e.proc.poll() is None:
                tail = "\n".join(e.log_text().splitlines()[-40:])
                report.sections.append((f"envoy log ({e.template.name}, {e.url})", tail))
