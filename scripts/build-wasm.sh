#!/usr/bin/env bash
# The filter module: cargo's release build for wasm32-wasip1, then binaryen's `wasm-opt -O3`
# (Debian package `binaryen`, installed by scripts/setup.sh). wasm-opt removes what LLVM leaves
# for a wasm host (about 10% of the module) and V8 compiles a smaller module sooner, which is
# Envoy's start-up time with the filter; integration/bench/README.md measures both.
#
# cargo copies its raw module (deps/) to release/ on every build, fresh or not; the optimised one is kept
# as release/llm_warden_filter.opt.wasm with the raw module's sha256 beside it, so wasm-opt runs
# only when cargo built something new, and then replaces cargo's copy. `CARGO_TARGET_DIR` is
# honoured (the reproducibility test builds in a fresh one); arguments go to cargo (`--features`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo=${CARGO:-cargo}
dir=${CARGO_TARGET_DIR:-target}/wasm32-wasip1/release
"$cargo" build --release --locked --target wasm32-wasip1 -p llm-warden-filter "$@"
raw=$dir/deps/llm_warden_filter.wasm
out=$dir/llm_warden_filter.wasm
opt=$dir/llm_warden_filter.opt.wasm
stamp=$opt.raw.sha256
# The features rustc enables for wasm32-wasip1 (SIMD only when a build asks for it), all of which
# Envoy's V8 runs. `--converge` repeats -O3 until the module stops shrinking (about 400 bytes,
# 4 more seconds; no pass that trades speed for size, which `--merge-similar-functions` would:
# 7.8 KB).
flags=(-O3 --converge --enable-bulk-memory --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types --enable-simd)
# The stamp names the raw module and the flags: either changing runs wasm-opt again.
want="$(sha256sum "$raw" | cut -d' ' -f1) ${flags[*]}"
if [[ ! -f "$opt" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  if ! command -v wasm-opt >/dev/null 2>&1; then
    echo "build-wasm: wasm-opt not found (Debian package binaryen; scripts/setup.sh installs it)" >&2
    exit 1
  fi
  wasm-opt "${flags[@]}" "$raw" -o "$opt.tmp"
  mv "$opt.tmp" "$opt"
  echo "$want" > "$stamp"
fi
# A copy, not a link: cargo rewrites its own file in place.
rm -f "$out"
cp "$opt" "$out"
