"""The harness itself: fixtures cache Envoys per config, stats and logs are readable."""

from __future__ import annotations

import harness


def test_envoy_with_is_cached_per_config(envoy_with):
    a = envoy_with({})
    assert envoy_with({}) is a
    assert a.proc is not None and a.proc.poll() is None


def test_stats_and_log(envoy_nowasm, mock):
    before = envoy_nowasm.stat("http.llm.downstream_rq_completed")
    r = harness.send(envoy_nowasm.url, "ollama_chat", "hello", stream=False)
    assert r.status_code == 200
    assert envoy_nowasm.stat("http.llm.downstream_rq_completed") == before + 1
    assert envoy_nowasm.stats_matching("cluster.llm_upstream.upstream_rq_2xx")
    assert "starting main dispatch loop" in envoy_nowasm.log_text()
    assert len(mock.requests()) == 1


def test_filter_envoy_serves_through_the_module(envoy, mock):
    """The filter Envoy really runs the module (the wasm stats exist) and proxies."""
    r = harness.send(envoy.url, "openai_chat", "hello")
    assert r.status_code == 200
    assert any(k.startswith("wasm.") for k in envoy.stats())
    assert mock.last_request()["path"] == "/v1/chat/completions"
