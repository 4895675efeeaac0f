"""Every shipped Envoy config is valid for the Envoy we ship against (`envoy --mode validate`
loads the module and runs the filter's on_configure), the compose deployment keeps Ollama
behind Envoy with pinned images, and the harness changes only what it says it changes."""

from __future__ import annotations

import copy
import shutil
import subprocess

import pytest
import yaml

import harness

SHIPPED = sorted(p for p in harness.ENVOY_DIR.glob("*.yaml") if p.name != "docker-compose.yaml")
COMPOSE = harness.ENVOY_DIR / "docker-compose.yaml"


def wasm_filters(cfg: dict) -> list[dict]:
    return [n for n in harness._walk(cfg) if n.get("name") == harness.WASM_FILTER_NAME]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_config_validates(path):
    cfg = yaml.safe_load(path.read_text())
    if wasm_filters(cfg):
        if not harness.WASM.exists():
            pytest.skip(f"filter module not built: {harness.WASM} (run `make build`)")
        # Paths that only exist in their deployment (the compose mount), or a module chosen by
        # LLM_WARDEN_WASM, point at the module under test; the shipped relative path is kept
        # when it resolves to it.
        for f in wasm_filters(cfg):
            local = f["typed_config"]["config"]["vm_config"]["code"]["local"]
            if (harness.REPO / local["filename"]).resolve() != harness.WASM.resolve():
                local["filename"] = str(harness.WASM)
    # Validated from the repository root, as scripts/run.sh runs them (relative module path).
    result = harness.validate_envoy_config(cfg)
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_filter_config_validates(validate_config):
    result = validate_config({})
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_envoy_config_differs_from_envoy_yaml_only_in_upstream_and_module():
    base = yaml.safe_load((harness.ENVOY_DIR / "envoy.yaml").read_text())
    compose = yaml.safe_load((harness.ENVOY_DIR / "envoy-compose.yaml").read_text())
    norm = copy.deepcopy(compose)
    for f in wasm_filters(norm):
        f["typed_config"]["config"]["vm_config"]["code"]["local"]["filename"] = (
            "target/wasm32-wasip1/release/llm_warden_filter.wasm")
    for node in harness._walk(norm["static_resources"]["clusters"]):
        if "socket_address" in node:
            assert node["socket_address"]["address"] == "ollama"
            node["socket_address"]["address"] = "127.0.0.1"
    assert norm == base


@pytest.mark.parametrize("template", [harness.ENVOY_WITH_FILTER, harness.ENVOY_NOWASM],
                         ids=["envoy.yaml", "envoy-nowasm.yaml"])
def test_harness_renders_only_ports_upstream_module_and_config(template):
    original = yaml.safe_load(template.read_text())
    rendered = harness.render_envoy_config(
        template, listener_port=1111, admin_port=2222, upstream=("127.0.0.9", 3333),
        filter_config={"mode": "x"})
    assert rendered["admin"]["address"]["socket_address"]["port_value"] == 2222
    back = copy.deepcopy(rendered)
    back["admin"] = original["admin"]
    back["static_resources"]["listeners"][0]["address"] = (
        original["static_resources"]["listeners"][0]["address"])
    back["static_resources"]["clusters"] = original["static_resources"]["clusters"]
    orig_wasm, back_wasm = wasm_filters(original), wasm_filters(back)
    for o, b in zip(orig_wasm, back_wasm):
        assert b["typed_config"]["config"]["configuration"]["value"] == '{"mode": "x"}'
        b["typed_config"]["config"] = o["typed_config"]["config"]
    assert back == original


# -- docker compose ---------------------------------------------------------------------------

def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_images_are_pinned():
    for name, svc in compose()["services"].items():
        image = svc["image"]
        repo, _, tag = image.rpartition(":")
        assert repo and tag and "/" not in tag, f"{name}: image {image} has no tag"
        assert tag != "latest" and any(c.isdigit() for c in tag), f"{name}: {image} floats"
    images = {n: s["image"] for n, s in compose()["services"].items()}
    assert images["envoy"].startswith("envoyproxy/envoy:v1.40.")
    assert images["ollama"].startswith("ollama/ollama:")
    assert images["open-webui"].startswith("ghcr.io/open-webui/open-webui:")


def test_compose_ollama_is_reachable_only_through_envoy():
    services = compose()["services"]
    ollama = services["ollama"]
    assert "ports" not in ollama and "network_mode" not in ollama
    ollama_nets = set(ollama.get("networks", []))
    assert ollama_nets, "ollama must be on an explicit network shared only with envoy"
    for name, svc in services.items():
        if name in ("ollama", "envoy"):
            continue
        assert not ollama_nets & set(svc.get("networks", [])), f"{name} can reach ollama directly"
    envoy_cfg = yaml.safe_load((harness.ENVOY_DIR / "envoy-compose.yaml").read_text())
    addrs = [n["socket_address"] for n in harness._walk(envoy_cfg["static_resources"]["clusters"])
             if "socket_address" in n]
    assert addrs == [{"address": "ollama", "port_value": 11434}]


def test_compose_open_webui_points_at_envoy_for_both_apis():
    env = compose()["services"]["open-webui"]["environment"]
    assert env["OLLAMA_BASE_URL"] == "http://envoy:10000"
    assert env["OPENAI_API_BASE_URL"] == "http://envoy:10000/v1"


def test_compose_envoy_mounts_config_and_module():
    vols = compose()["services"]["envoy"]["volumes"]
    assert "./envoy-compose.yaml:/etc/envoy/envoy.yaml:ro" in vols
    assert any(v.endswith(":/etc/envoy/llm_warden_filter.wasm:ro")
               and "target/wasm32-wasip1/release/llm_warden_filter.wasm" in v for v in vols)


def test_compose_file_validates_with_docker_compose():
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose not installed (scripts/setup.sh --compose installs Debian's)")
    r = subprocess.run([exe, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
