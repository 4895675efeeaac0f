#!/usr/bin/env bash
# Envoy with the llm-warden filter on :10000 in front of the mock upstream, or of a real Ollama
# with OLLAMA=host:port. Expects `make setup build` done (`make run` does both).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python integration/serve.py
