#!/usr/bin/env bash
# The benchmark: filter vs. Envoy without it, same machine, same run (integration/bench/run.py).
# Arguments are passed on (e.g. --quick, --runs 5, --duration 20, --scenario chat-4k).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python integration/bench/run.py "$@"
