"""Model admission end to end: the real Envoy with the filter in front of the mock
upstream, driven with the official `ollama`, `openai` and `anthropic` clients.

The policy approves one pinned chat model and one pinned embedding model, requires pinned tags,
and maps the alias `fast` to the pinned chat model. Named policies, selected by the
`x-model-policy` header, cover what the top level cannot show at once: `family` admits every
llama3.2 tag, so a floating tag is refused as `model_not_pinned` rather than `model_not_allowed`;
`ops` lets `/api/pull` through for approved, pinned names only; `denylist` admits everything but
two names; `digest` admits one digest of the pinned model; `quiet` does not name alternatives in
refusals.

Every refusal is checked three ways: the status and error document in the API's own shape, the
exception the SDK raises, and the mock's journal (a refused request never reaches the upstream).
Known engine bugs are `xfail(strict=True)` with the input, what happens and what should.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import anthropic
import httpx
import ollama
import openai
import pytest

import harness

PINNED = "llama3.2:3b-instruct-q4_K_M"
EMBED = "nomic-embed-text:v1.5"
APPROVED = {PINNED, EMBED}
# The digest /api/tags reports for PINNED (the mock's listing).
DIGEST = "e96ceb4031704a216e7b8583eef3a77ecfe5c55585dcee2b27edbe0134edbc50"
OTHER_DIGEST = "0" * 64

CONFIG = {
    "models": {"allow": [PINNED, EMBED], "require_pinned": True, "aliases": {"fast": PINNED}},
    "policies": {
        "family": {"models": {"allow": ["llama3.2:*", "nomic-embed-text:*"],
                              "require_pinned": True}},
        "ops": {"models": {"allow": [PINNED], "require_pinned": True,
                           "allow_admin": ["/api/pull"]}},
        "denylist": {"models": {"deny": ["qwen2.5", "llama3.2:latest"]}},
        "digest": {"models": {"allow": [f"{PINNED}@sha256:{DIGEST}"]}},
        "quiet": {"models": {"allow": [PINNED], "disclose_alternatives": False}},
    },
    "routes": [{"match": {"header": {"name": "x-model-policy", "value": name}}, "policy": name}
               for name in ("family", "ops", "denylist", "digest", "quiet")],
}
FAMILY = {"x-model-policy": "family"}
OPS = {"x-model-policy": "ops"}
DENYLIST = {"x-model-policy": "denylist"}
DIGEST_POLICY = {"x-model-policy": "digest"}


@pytest.fixture
def envoy(envoy_with):
    return envoy_with(CONFIG)


# -- admission of the requested model ---------------------------------------------------------

@dataclass(frozen=True)
class ModelCase:
    name: str
    model: str
    # None: admitted; else the refusal code.
    code: str | None
    # The model the upstream must see when admitted (default: as sent).
    upstream: str | None = None
    headers: dict | None = None
    # In the OpenAI and Anthropic shapes a name without `:` is an opaque id, compared as given
    # (models.schema.json), so it cannot match an Ollama glob: the refusal code there.
    opaque_code: str | None = None

    def code_in(self, shape: str) -> str | None:
        if self.opaque_code and not shape.startswith("ollama"):
            return self.opaque_code
        return self.code


MODEL_CASES = [
    ModelCase("pinned", PINNED, None),
    ModelCase("floating-latest", "llama3.2:latest", "model_not_allowed"),
    ModelCase("no-tag", "llama3.2", "model_not_allowed"),
    ModelCase("full-name-latest", "registry.ollama.ai/library/llama3.2:latest",
              "model_not_allowed"),
    ModelCase("other-tag", "llama3.2:1b", "model_not_allowed"),
    ModelCase("other-model", "qwen2.5:7b", "model_not_allowed"),
    ModelCase("opaque-id", "gpt-4o", "model_not_allowed"),
    ModelCase("other-registry", f"evil.example.com/library/{PINNED}", "model_not_allowed"),
    ModelCase("other-namespace", f"attacker/{PINNED}", "model_not_allowed"),
    # Ollama name normalisation: defaults registry.ollama.ai and library, case-insensitive.
    ModelCase("full-name", f"registry.ollama.ai/library/{PINNED}", None),
    ModelCase("namespace", f"library/{PINNED}", None),
    ModelCase("case", "Llama3.2:3B-Instruct-Q4_K_M", None),
    ModelCase("alias", "fast", None, upstream=PINNED),
    ModelCase("alias-case", "FAST", None, upstream=PINNED),
    # `family` admits every llama3.2 tag, so a floating one is refused for not being pinned.
    ModelCase("family-latest", "llama3.2:latest", "model_not_pinned", headers=FAMILY),
    ModelCase("family-no-tag", "llama3.2", "model_not_pinned", headers=FAMILY,
              opaque_code="model_not_allowed"),
    ModelCase("family-full-name-latest", "registry.ollama.ai/library/llama3.2:latest",
              "model_not_pinned", headers=FAMILY),
    ModelCase("family-other-tag", "llama3.2:1b", None, headers=FAMILY),
    # A deny entry names an Ollama model; the same model asked for by any spelling is refused.
    ModelCase("deny-no-tag", "qwen2.5", "model_not_allowed", headers=DENYLIST),
    ModelCase("deny-latest", "qwen2.5:latest", "model_not_allowed", headers=DENYLIST),
    ModelCase("deny-full-name", "registry.ollama.ai/library/qwen2.5:latest", "model_not_allowed",
              headers=DENYLIST),
    ModelCase("deny-implicit-latest", "llama3.2", "model_not_allowed", headers=DENYLIST),
    ModelCase("deny-other-tag-admitted", "qwen2.5:7b", None, headers=DENYLIST),
    # An `@sha256:` suffix is parsed: an allow entry without one admits any digest of the name;
    # one with a digest admits only that digest.
    ModelCase("digest-suffix", f"{PINNED}@sha256:{DIGEST}", None),
    ModelCase("digest-entry-same", f"{PINNED}@sha256:{DIGEST}", None, headers=DIGEST_POLICY),
    ModelCase("digest-entry-other", f"{PINNED}@sha256:{OTHER_DIGEST}", "model_not_allowed",
              headers=DIGEST_POLICY),
    ModelCase("digest-entry-none", PINNED, "model_not_allowed", headers=DIGEST_POLICY),
]

# Request shapes that name a model, by API family (the error shape a refusal uses).
CHAT_SHAPES = ["openai_chat", "openai_responses", "openai_completions", "anthropic_messages",
               "ollama_chat", "ollama_generate"]


def assert_refusal_document(family: str, r, code: str) -> None:
    """403 with the API's error shape and the stable code."""
    assert r.status_code == 403, (r.status_code, r.text)
    assert r.headers["x-llm-warden-code"] == code
    body = r.json()
    if family == "openai":
        assert body["error"]["code"] == code and body["error"]["type"] == "permission_error"
        message = body["error"]["message"]
    elif family == "anthropic":
        assert body["type"] == "error" and body["error"]["type"] == "permission_error", body
        message = body["error"]["message"]
        assert f"({code})" in message
    elif family == "ollama":
        assert set(body) == {"error"}, body
        message = body["error"]
        assert f"({code})" in message
    else:
        raise KeyError(family)
    assert message.startswith("llm-warden: ")


@pytest.mark.parametrize(("case", "shape"), [
    pytest.param(c, s, id=f"{c.name}-{s}")
    for c in MODEL_CASES for s in CHAT_SHAPES])
def test_model_admission_in_every_shape(envoy, mock, case, shape):
    s = harness.SHAPES[shape]
    r = harness.send(envoy.url, shape, "hello", headers=case.headers, model=case.model)
    if case.code_in(shape):
        assert_refusal_document(s.family, r, case.code_in(shape))
        assert mock.requests() == []
        return
    assert r.status_code == 200, r.text
    sent = json.loads(mock.last_request()["body"])
    assert sent["model"] == (case.upstream or case.model)
    assert r.json()["model"] == (case.upstream or case.model)  # the mock echoes it


def sdk_openai(base: str, headers: dict | None = None) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key="sk-test-not-a-secret", max_retries=0,
                         timeout=30, default_headers=headers or {})


def sdk_ollama(base: str, headers: dict | None = None) -> ollama.Client:
    return ollama.Client(host=base, headers=headers or {}, timeout=30)


MESSAGES = [{"role": "user", "content": "hello"}]


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda c: c.name)
def test_model_admission_with_ollama_client(envoy, mock, case):
    client = sdk_ollama(envoy.url, case.headers)
    calls = [
        lambda: client.chat(model=case.model, messages=MESSAGES, stream=False),
        lambda: list(client.chat(model=case.model, messages=MESSAGES, stream=True)),
        lambda: client.generate(model=case.model, prompt="hello", stream=False),
    ]
    for send in calls:
        mock.clear()
        if case.code:
            e = harness.raised(send)
            assert isinstance(e, ollama.ResponseError), repr(e)
            assert e.status_code == 403 and f"({case.code})" in e.error
            assert mock.requests() == []
        else:
            send()
            assert json.loads(mock.last_request()["body"])["model"] == (case.upstream
                                                                        or case.model)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in MODEL_CASES])
def test_model_admission_with_openai_client(envoy, mock, case):
    client = sdk_openai(envoy.url, case.headers)
    code = case.code_in("openai_chat")
    if code:
        e = harness.raised(
            lambda: client.chat.completions.create(model=case.model, messages=MESSAGES))
        assert isinstance(e, openai.PermissionDeniedError), repr(e)
        assert e.status_code == 403 and e.code == code
        e = harness.raised(lambda: list(client.chat.completions.create(
            model=case.model, messages=MESSAGES, stream=True)))
        assert isinstance(e, openai.PermissionDeniedError) and e.code == code
        e = harness.raised(lambda: client.responses.create(model=case.model, input="hello"))
        assert isinstance(e, openai.PermissionDeniedError) and e.code == code
        assert mock.requests() == []
        return
    r = client.chat.completions.create(model=case.model, messages=MESSAGES)
    assert r.model == (case.upstream or case.model)
    assert json.loads(mock.last_request()["body"])["model"] == (case.upstream or case.model)


@pytest.mark.parametrize("model,code", [("claude-3-5-sonnet-20241022", "model_not_allowed"),
                                        ("claude-3-5-sonnet-latest", "model_not_allowed"),
                                        ("llama3.2:latest", "model_not_allowed")])
def test_denied_model_in_anthropic_shape(envoy, mock, model, code):
    client = anthropic.Anthropic(base_url=envoy.url, api_key="test-key", max_retries=0,
                                 timeout=30)
    e = harness.raised(
        lambda: client.messages.create(model=model, max_tokens=64, messages=MESSAGES))
    assert isinstance(e, anthropic.PermissionDeniedError), repr(e)
    assert e.status_code == 403
    assert e.body["type"] == "error" and e.body["error"]["type"] == "permission_error"
    assert f"({code})" in e.body["error"]["message"]
    assert e.response.headers["x-llm-warden-code"] == code
    assert mock.requests() == []
    # The alias works in this shape too, and the upstream gets the pinned name.
    m = client.messages.create(model="fast", max_tokens=64, messages=MESSAGES)
    assert m.model == PINNED
    assert json.loads(mock.last_request()["body"])["model"] == PINNED


def test_refusal_names_the_allowed_alternatives(envoy, mock):
    """`disclose_alternatives` (default true): the message says what to ask for instead."""
    e = harness.raised(lambda: sdk_ollama(envoy.url).chat(model="llama3.2:latest",
                                                          messages=MESSAGES, stream=False))
    assert isinstance(e, ollama.ResponseError)
    assert "allowed models: fast, llama3.2:3b-instruct-q4_K_M, nomic-embed-text:v1.5" in e.error
    # `disclose_alternatives: false`: the refusal names no model but the one asked for.
    e = harness.raised(lambda: sdk_ollama(envoy.url, {"x-model-policy": "quiet"}).chat(
        model="llama3.2:latest", messages=MESSAGES, stream=False))
    assert isinstance(e, ollama.ResponseError) and "(model_not_allowed)" in e.error
    assert PINNED not in e.error and "allowed models" not in e.error


# REGRESSION: Go's encoding/json reads `Model` as `model`; the filter read only `model`.
@pytest.mark.parametrize("path", ["/api/chat", "/api/generate", "/v1/chat/completions"])
@pytest.mark.parametrize("keys", [{"Model": "qwen2.5:7b"},
                                  {"model": PINNED, "Model": "qwen2.5:7b"},
                                  {"model": PINNED, "MODEL": "qwen2.5:7b"}],
                         ids=["only-variant", "exact-then-variant", "exact-then-upper"])
def test_case_variant_model_key_is_not_smuggled(envoy, mock, path, keys):
    body = {**keys, "stream": False, "prompt": "hi",
            "messages": [{"role": "user", "content": "hi"}]}
    r = harness.post(envoy.url, path, body)
    assert r.status_code in (400, 403), (r.status_code, r.text[:200])
    assert mock.requests() == []


# -- embeddings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class EmbedCase:
    name: str
    model: str
    code: str | None


EMBED_CASES = [
    EmbedCase("pinned", EMBED, None),
    EmbedCase("floating", "nomic-embed-text", "model_not_allowed"),
    EmbedCase("latest", "nomic-embed-text:latest", "model_not_allowed"),
    EmbedCase("other", "mxbai-embed-large:335m", "model_not_allowed"),
    EmbedCase("opaque", "text-embedding-3-small", "model_not_allowed"),
]

# (name, how the SDK embeds, path the upstream sees)
EMBEDDERS: list[tuple[str, Callable[[str, str], Any], str]] = [
    ("openai-v1-embeddings",
     lambda base, m: sdk_openai(base).embeddings.create(model=m, input=["a", "b"]),
     "/v1/embeddings"),
    ("ollama-api-embed",
     lambda base, m: sdk_ollama(base).embed(model=m, input=["a", "b"]), "/api/embed"),
    ("ollama-api-embeddings",
     lambda base, m: sdk_ollama(base).embeddings(model=m, prompt="a"), "/api/embeddings"),
]


@pytest.mark.parametrize("embedder", EMBEDDERS, ids=lambda e: e[0])
@pytest.mark.parametrize("case", EMBED_CASES, ids=lambda c: c.name)
def test_embeddings_are_governed(envoy, mock, case, embedder):
    _, embed, path = embedder
    if case.code is None:
        embed(envoy.url, case.model)
        req = mock.last_request()
        assert req["path"] == path and json.loads(req["body"])["model"] == case.model
        return
    e = harness.raised(lambda: embed(envoy.url, case.model))
    if isinstance(e, openai.APIError):
        assert isinstance(e, openai.PermissionDeniedError) and e.code == case.code
    else:
        assert isinstance(e, ollama.ResponseError), repr(e)
        assert e.status_code == 403 and f"({case.code})" in e.error
    assert mock.requests() == []


# -- model-changing and account endpoints -----------------------------------------------------

@dataclass(frozen=True)
class AdminCase:
    name: str
    call: Callable[[ollama.Client], Any]


ADMIN_CASES = [
    AdminCase("pull", lambda c: c.pull(PINNED, stream=False)),
    AdminCase("pull-stream", lambda c: list(c.pull("llama3.2:latest", stream=True))),
    AdminCase("push", lambda c: c.push(PINNED, stream=False)),
    AdminCase("create", lambda c: c.create(model=PINNED, from_="qwen2.5:7b", stream=False)),
    AdminCase("copy", lambda c: c.copy("qwen2.5:7b", PINNED)),
    AdminCase("delete", lambda c: c.delete(PINNED)),
]


@pytest.mark.parametrize("case", ADMIN_CASES, ids=lambda c: c.name)
def test_model_changes_refused_with_ollama_client(envoy, mock, case):
    e = harness.raised(lambda: case.call(sdk_ollama(envoy.url)))
    assert isinstance(e, ollama.ResponseError), repr(e)
    assert e.status_code == 403 and "(model_change_not_allowed)" in e.error
    assert mock.requests() == []


BLOB = "sha256:" + "ab" * 32


@pytest.mark.parametrize("method,path,body", [
    ("POST", "/api/pull", {"model": PINNED}),
    ("POST", "/api/push", {"model": PINNED}),
    ("POST", "/api/create", {"model": PINNED, "from": "qwen2.5:7b"}),
    ("POST", "/api/copy", {"source": "qwen2.5:7b", "destination": PINNED}),
    ("DELETE", "/api/delete", {"model": PINNED}),
    ("POST", f"/api/blobs/{BLOB}", b"GGUF\x00binary"),
    ("HEAD", f"/api/blobs/{BLOB}", None),
    ("POST", "/api/me", {}),
    ("POST", "/api/signin", {}),
    ("POST", "/api/signout", {}),
])
def test_model_changes_refused_raw(envoy, mock, method, path, body):
    content = json.dumps(body).encode() if isinstance(body, dict) else body
    r = httpx.request(method, f"{envoy.url}{path}", content=content, timeout=30)
    assert r.status_code == 403
    assert r.headers["x-llm-warden-code"] == "model_change_not_allowed"
    if method != "HEAD":
        assert set(r.json()) == {"error"} and "(model_change_not_allowed)" in r.json()["error"]
    assert mock.requests() == []


# Spellings of /api/pull that Ollama's router (Go net/http + gin: decoded path, trailing-slash
# redirects) may still route to the endpoint; Envoy forwards them as they are (--path-as-is).
PULL_SPELLINGS = ["/api/pull/", "//api/pull", "/api/pull?insecure=true", "/api/%70ull",
                  "/API/PULL", "/api/./pull", "/api/x/../pull", "/api/pull%2F"]


@pytest.mark.parametrize("path", PULL_SPELLINGS)
def test_model_change_path_spellings_refused(envoy, mock, path):
    with httpx.Client(base_url=envoy.url, timeout=30) as c:
        req = c.build_request("POST", "/", content=json.dumps({"model": PINNED}))
        req.url = req.url.copy_with(raw_path=path.encode())
        r = c.send(req)
    assert r.status_code == 403, (r.status_code, r.text[:200])
    assert r.headers["x-llm-warden-code"] == "model_change_not_allowed"
    assert mock.requests() == []


@pytest.mark.parametrize("body", [{"name": "qwen2.5:7b"},
                                  {"model": PINNED, "name": "qwen2.5:7b"},
                                  {"name": PINNED, "model": "qwen2.5:7b"}],
                         ids=["legacy-name", "model-and-other-name", "name-and-other-model"])
def test_allowed_admin_endpoint_checks_every_name_field(envoy, mock, body):
    """Ollama's pull still reads the deprecated `name` when `model` is empty: every name field
    of an allowed administrative request must be admitted."""
    r = harness.post(envoy.url, "/api/pull", {**body, "stream": False}, headers=OPS)
    assert r.status_code == 403, r.text
    assert "(model_not_allowed)" in r.json()["error"]
    assert mock.requests() == []


@pytest.mark.parametrize("model,code", [(PINNED, None),
                                        ("llama3.2:latest", "model_not_allowed"),
                                        ("qwen2.5:7b", "model_not_allowed")])
def test_allowed_admin_endpoint_still_checks_the_name(envoy, mock, model, code):
    """`ops` lets `/api/pull` through, for approved pinned names only; `/api/create` stays shut."""
    client = sdk_ollama(envoy.url, OPS)
    if code is None:
        assert client.pull(model, stream=False).status == "success"
        req = mock.last_request()
        assert req["path"] == "/api/pull" and json.loads(req["body"])["model"] == model
    else:
        e = harness.raised(lambda: client.pull(model, stream=False))
        assert isinstance(e, ollama.ResponseError) and e.status_code == 403
        assert f"({code})" in e.error
        assert mock.requests() == []
    mock.clear()
    e = harness.raised(lambda: client.create(model=PINNED, from_="qwen2.5:7b", stream=False))
    assert isinstance(e, ollama.ResponseError) and "(model_change_not_allowed)" in e.error
    assert mock.requests() == []


@pytest.mark.parametrize("model,code", [(PINNED, None), ("fast", None),
                                        ("qwen2.5:7b", "model_not_allowed"),
                                        ("llama3.2", "model_not_allowed")])
def test_show_is_governed(envoy, mock, model, code):
    """`/api/show` names a model too: details of unapproved models are not disclosed."""
    client = sdk_ollama(envoy.url)
    if code is None:
        assert client.show(model).details.family == "llama"
        assert json.loads(mock.last_request()["body"])["model"] == PINNED
        return
    e = harness.raised(lambda: client.show(model))
    assert isinstance(e, ollama.ResponseError) and e.status_code == 403
    assert f"({code})" in e.error
    assert mock.requests() == []


# -- listings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [None, FAMILY], ids=["top-level", "family"])
def test_listings_show_only_approved_models(envoy, mock, headers):
    """Under `family`, every llama3.2 tag is allowed but `require_pinned` still hides the
    floating `llama3.2:latest`: a UI must not offer what the gateway refuses."""
    # The upstream lists more than that.
    upstream = {m.model for m in sdk_ollama(mock.url).list().models}
    assert upstream > APPROVED and "llama3.2:latest" in upstream
    # Every approved model, and nothing else but (where the policy has them) its aliases, which
    # a UI may offer since the gateway admits them.
    aliases = set(CONFIG["models"]["aliases"]) if headers is None else set()
    tags = sdk_ollama(envoy.url, headers).list().models
    assert APPROVED <= {m.model for m in tags} <= APPROVED | aliases
    assert all(m.digest and m.details for m in tags if m.model in APPROVED)  # entries pass whole
    ids = {m.id for m in sdk_openai(envoy.url, headers).models.list()}
    assert APPROVED <= ids <= APPROVED | aliases


@pytest.mark.parametrize("model", [
    pytest.param(PINNED, id="approved"),
    # REGRESSION: GET /v1/models/{id} showed a model the listing hides.
    pytest.param("qwen2.5:7b", id="unapproved"),
])
def test_model_retrieve_shows_only_approved_models(envoy, mock, model):
    client = sdk_openai(envoy.url)
    if model in APPROVED:
        assert client.models.retrieve(model).id == model
        return
    e = harness.raised(lambda: client.models.retrieve(model))
    assert isinstance(e, (openai.PermissionDeniedError, openai.NotFoundError)), repr(e)


# -- audit and metrics ------------------------------------------------------------------------

def test_model_decisions_are_audited_and_counted(envoy, mock):
    stat = envoy.stat
    before = {k: stat(f"wasmcustom.{k}") for k in (
        "llm_warden_blocked.model_not_allowed", "llm_warden_blocked.model_not_pinned",
        "llm_warden_blocked.model_change_not_allowed", "llm_warden_models_rewritten_total")}
    mark = envoy.log_mark()
    harness.send(envoy.url, "ollama_chat", "hi", model="llama3.2:latest")
    harness.send(envoy.url, "ollama_chat", "hi", model="llama3.2:latest", headers=FAMILY)
    harness.post(envoy.url, "/api/pull", {"model": PINNED})
    harness.send(envoy.url, "openai_chat", "hi", model="fast")
    events = [(e["rule"], e["category"], e["action"], e["policy"])
              for e in envoy.decisions(mark, wait=2.0, at_least=4)]
    assert events == [
        ("models.allow", "model", "block", "default"),
        ("policies.family.models.require_pinned", "model", "block", "family"),
        ("models.allow_admin", "model", "block", "default"),
        ("models.aliases", "model", "rewrite", "default"),
    ]
    after = {k: stat(f"wasmcustom.{k}") for k in before}
    assert {k: after[k] - before[k] for k in before} == {
        "llm_warden_blocked.model_not_allowed": 1, "llm_warden_blocked.model_not_pinned": 1,
        "llm_warden_blocked.model_change_not_allowed": 1,
        "llm_warden_models_rewritten_total": 1}
