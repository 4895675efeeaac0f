#!/usr/bin/env bash
# The performance suite (integration/bench/run.py): Envoy without a filter, with a do-nothing wasm
# filter (the floor), with llm-warden (and with the ext_proc server when built), same machine, same
# run; plus the engine's criterion suite and its callgrind profile per target. Writes
# integration/bench/results/<UTC date-time>.json and .md: each target (stream and chat throughput
# against the floor, added latency of large and agent requests, Envoy start, module size) met or
# missed by how much, the profile of where the added cost goes, then the tables.
#
#   scripts/bench.sh            the full suite (about 30 minutes on 2 cores; `make bench`)
#   scripts/bench.sh --quick    a smoke run of every section (2-3 minutes)
#   scripts/bench.sh --only latency,streaming --runs 5
#
# It measures target/wasm32-wasip1/release/llm_warden_filter.wasm as built (`make build`); the
# do-nothing filter (bench/noop-filter, its own workspace) is built here.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --target wasm32-wasip1 --manifest-path bench/noop-filter/Cargo.toml
exec .venv/bin/python integration/bench/run.py "$@"
