"""The mock's Ollama answers, and the harness's Ollama requests, validate against Ollama's own
OpenAPI 3.1 description (testdata/schemas/ollama-openapi.yaml). The other
APIs are checked by their official SDKs (test_clients.py)."""

from __future__ import annotations

import json

import httpx
import jsonschema
import pytest
import yaml

import harness


# Vendored with its origin and licence (testdata/schemas/README.md), so every clone checks it.
OPENAPI = harness.REPO / "testdata" / "schemas" / "ollama-openapi.yaml"


@pytest.fixture(scope="module")
def validate():
    doc = yaml.safe_load(OPENAPI.read_text())

    def check(instance, component: str) -> None:
        # The whole document is the root so that internal $refs resolve; OpenAPI 3.1 schemas
        # are JSON Schema 2020-12.
        schema = {**doc, "$ref": f"#/components/schemas/{component}"}
        jsonschema.Draft202012Validator(schema).validate(instance)

    return check


TOOLS = [{"name": "get_weather", "arguments": {"city": "Paris"}}]

ANSWERS = [
    # (id, method, path, body, component of the streamed lines or the plain answer, stream)
    ("chat-plain", "POST", "/api/chat",
     harness.ollama_chat("hi", stream=False), "ChatResponse", False),
    ("chat-stream", "POST", "/api/chat", harness.ollama_chat("hi"), "ChatStreamEvent", True),
    ("generate-plain", "POST", "/api/generate",
     harness.ollama_generate("hi", stream=False), "GenerateResponse", False),
    ("generate-stream", "POST", "/api/generate", harness.ollama_generate("hi"),
     "GenerateStreamEvent", True),
    ("embed", "POST", "/api/embed", {"model": "nomic-embed-text:v1.5", "input": ["a", "b"]},
     "EmbedResponse", False),
    ("tags", "GET", "/api/tags", None, "ListResponse", False),
    ("ps", "GET", "/api/ps", None, "PsResponse", False),
    ("show", "POST", "/api/show", {"model": harness.DEFAULT_MODEL}, "ShowResponse", False),
    ("version", "GET", "/api/version", None, "VersionResponse", False),
    ("pull-plain", "POST", "/api/pull", {"model": "qwen2.5:7b", "stream": False},
     "StatusResponse", False),
    ("pull-stream", "POST", "/api/pull", {"model": "qwen2.5:7b"}, "StatusEvent", True),
    ("error", "POST", "/api/chat", harness.ollama_chat("hi", stream=False), "ErrorResponse",
     False),
]


@pytest.mark.parametrize("with_tools", [False, True], ids=["text", "tools"])
@pytest.mark.parametrize("case_id,method,path,body,component,stream", ANSWERS,
                         ids=[a[0] for a in ANSWERS])
def test_mock_ollama_answers_match_openapi(mock, validate, case_id, method, path, body,
                                           component, stream, with_tools):
    h = harness.script("Bonjour, ça va ?", tools=TOOLS if with_tools else None,
                       status=500 if case_id == "error" else None)
    content = json.dumps(body).encode() if body is not None else None
    r = httpx.request(method, mock.url + path, content=content, headers=h, timeout=10)
    objs = harness.ndjson_lines(r.content) if stream else [r.json()]
    assert objs
    for o in objs:
        validate(o, component)


REQUESTS = [
    ("chat", harness.ollama_chat("hi", system="be brief"), "ChatRequest"),
    ("chat-plain", harness.ollama_chat("hi", stream=False), "ChatRequest"),
    ("generate", harness.ollama_generate("hi", system="be brief"), "GenerateRequest"),
]


@pytest.mark.parametrize("case_id,body,component", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_harness_ollama_requests_match_openapi(validate, case_id, body, component):
    validate(body, component)


@pytest.mark.parametrize("instance,component", [
    ({"model": "m", "done": "yes"}, "ChatResponse"),
    ({"message": {"role": "robot", "content": "x"}}, "ChatResponse"),
    ({"models": [{"size": "big"}]}, "ListResponse"),
], ids=["done-not-bool", "bad-role", "size-not-int"])
def test_the_validator_bites(validate, instance, component):
    with pytest.raises(jsonschema.ValidationError):
        validate(instance, component)
