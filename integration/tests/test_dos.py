"""No request holds the worker: with a 1 MiB adversarial request in flight on a one-worker Envoy
(`--concurrency 1`), a benign request completes within 50 ms of its usual latency, through the
wasm filter and through the ext_proc server. The adversarial shapes are the slow paths found
before (card-number-like runs, repeated PEM headers) and shapes the work budget exists for (dense
JWT keywords, hex pairs); each is answered (passed, redacted, or refused 413
`inspection_budget_exceeded`), never left to time out.

The engine's deterministic version of this is engine/tests/scaling.rs (counted work at two sizes);
this file checks the deployed filter on the real host.
"""

from __future__ import annotations

import statistics
import threading
import time

import pytest

import harness

ADVERSARIAL = [
    ("card groups", "4111 1111 1111 1111 "),
    ("pem headers", "-----BEGIN RSA PRIVATE KEY-----\n"),
    ("jwt keywords", "eyJ."),
    ("hex pairs", "12 34 56 "),
]
SIZE = (1 << 20) - 4096  # the text limit (max_inspected_text_bytes) less the JSON around it
SLACK_S = 0.050


def _post(url: str, body: dict, timeout: float = 60.0):
    return harness.HTTP.post(f"{url}/v1/chat/completions", json=body, timeout=timeout)


def _usual_latency(url: str) -> float:
    samples = []
    for _ in range(7):
        t = time.perf_counter()
        r = _post(url, harness.openai_chat("hello"))
        samples.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    return statistics.median(samples)


def _check(url: str) -> None:
    usual = _usual_latency(url)
    slow = []
    for name, unit in ADVERSARIAL:
        text = (unit * (SIZE // len(unit) + 1))[:SIZE]
        result: dict = {}

        def attack() -> None:
            t = time.perf_counter()
            r = _post(url, harness.openai_chat(text))
            result["status"] = r.status_code
            result["code"] = r.headers.get("x-llm-warden-code", "")
            result["took"] = time.perf_counter() - t

        thread = threading.Thread(target=attack)
        thread.start()
        time.sleep(0.01)  # the 1 MiB body is on its way or being inspected
        t = time.perf_counter()
        r = _post(url, harness.openai_chat("hello"))
        benign = time.perf_counter() - t
        thread.join(timeout=60)
        assert r.status_code == 200, r.text
        assert result.get("status") in (200, 413), f"{name}: {result}"
        if result["status"] == 413:
            assert result["code"] == "inspection_budget_exceeded", f"{name}: {result}"
        print(f"{name}: benign {benign * 1e3:.1f} ms (usual {usual * 1e3:.1f} ms), adversarial "
              f"{result['took'] * 1e3:.0f} ms -> {result['status']} {result['code']}")
        if benign > usual + SLACK_S:
            slow.append(
                f"{name}: a benign request took {benign * 1e3:.1f} ms (usual "
                f"{usual * 1e3:.1f} ms) with the adversarial one in flight "
                f"({result['took'] * 1e3:.0f} ms)")
    assert not slow, "\n".join(slow)


@pytest.fixture(scope="module")
def one_worker_envoy(mock_server):
    conftest_need = harness.WASM.exists()
    if not conftest_need:
        harness.missing(f"filter module not built: {harness.WASM} (run `make build`)")
    e = harness.Envoy(harness.ENVOY_WITH_FILTER, ("127.0.0.1", mock_server.port), {},
                      concurrency=1).start()
    yield e
    e.stop()


@pytest.fixture(scope="module")
def one_worker_extproc(mock_server):
    import extproc_harness

    extproc_harness.need_server()
    e = extproc_harness.start_extproc_envoy(("127.0.0.1", mock_server.port), {}, concurrency=1)
    yield e
    e.stop()


# Not met yet in V8: measured 2026-12-06 on a shared 2-core machine with the wasm-opt'd module,
# sixteen runs: at best a benign request waited 73 ms behind 1 MiB of card groups, 47 ms behind
# PEM headers, 31 ms behind dense JWT keywords (refused by the budget) and 57 ms behind hex pairs,
# and up to twice that while other builds ran (before the per-byte cuts: 89, 186, 48 and 99 ms).
# What is left is spread over the whole request scan (1 MiB of card groups natively, by
# callgrind's shares: the learned detector's features ~12 ms, the decoders and their nested
# layers ~11 ms, secret triggers at every number ~15 ms, normalising ~3 ms); meeting 50 ms on
# every shape needs further per-byte cuts there or the inspection of one large text split across
# callbacks. The ext_proc server meets it. A base64 chain that cannot decode to UTF-8 is now
# rejected from its first bytes (1 MiB of card groups natively 700 -> 658 M instructions per
# request); three runs of the rebuilt module while two other engineers built (not comparable with
# the best of sixteen above): card groups 142-211 ms, hex pairs 139-166, PEM 87-97, JWT 69-118.
# Two later runs at load average 2.5: card groups 64 and 111 ms, hex pairs 60 and 66, PEM 46 and
# 78, JWT 34 and 34.
@pytest.mark.xfail(reason="wasm: a 1 MiB text of card groups or hex pairs still holds the worker "
                          "57-73 ms at best (PEM headers ~47 ms, JWT keywords ~31 ms)",
                   strict=False)
def test_wasm_worker_keeps_serving(one_worker_envoy):
    _check(one_worker_envoy.url)


def test_extproc_keeps_serving(one_worker_extproc):
    _check(one_worker_extproc.url)
