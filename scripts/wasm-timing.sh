#!/usr/bin/env bash
# The engine's cost per request natively and inside V8 (Node's WASI, the engine Envoy embeds),
# with the same code and no host calls: engine/examples/wasm_timing.rs built for both targets.
# What Envoy adds on top of these figures is the proxy's own work for the filter (host calls,
# buffering, re-encoding); see integration/bench/README.md.
#
#   scripts/wasm-timing.sh          # needs node >= 20 for the wasm run
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rustup target add wasm32-wasip1 >/dev/null 2>&1 || true
dir=target/timing
cargo build -q --release -p llm-warden-engine --example wasm_timing --target-dir "$dir"
cargo build -q --release --target wasm32-wasip1 -p llm-warden-engine --example wasm_timing \
  --target-dir "$dir"
echo "== native"
"$dir/release/examples/wasm_timing"
if ! command -v node >/dev/null; then
  echo "== wasm: node not found, skipped"
  exit 0
fi
echo "== wasm32-wasip1 in V8 (node $(node --version))"
runner="$(mktemp --suffix=.mjs)"
trap 'rm -f "$runner"' EXIT
cat >"$runner" <<'JS'
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
const wasi = new WASI({ version: 'preview1', args: [], env: {} });
const module = await WebAssembly.compile(await readFile(process.argv[2]));
wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
JS
node --no-warnings "$runner" "$dir/wasm32-wasip1/release/examples/wasm_timing.wasm"
