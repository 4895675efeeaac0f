#!/usr/bin/env bash
# Coverage-guided fuzzing of the engine with libFuzzer (the targets are in fuzz/, their code in
# testkit/src/fuzz_targets.rs, the same functions engine/tests/fuzz_seeded.rs runs seeded in `cargo test`).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 60 s for each of the eight targets
#   scripts/fuzz.sh 3600 exchange             # the longer run: an hour on the whole Exchange
#
# Needs a nightly toolchain for the sanitizer-coverage flags (`rustup toolchain install nightly`);
# without one it falls back to the pinned stable toolchain with RUSTC_BOOTSTRAP=1 (the same
# flags, no AddressSanitizer). With `cargo-fuzz` installed, `cd fuzz && cargo +nightly fuzz run
# <target>` works too. Corpora grow in fuzz/corpus/<target>/, crashes land in
# fuzz/artifacts/<target>/; reproduce one with `fuzz/target/.../<target> <crash-file>` and add its
# hex to REGRESSION in engine/tests/fuzz_seeded.rs.
#
# Environment: FUZZ_JOBS (parallel libFuzzer workers per target, default 1),
# FUZZ_SANITIZER (address | none; default address on nightly), FUZZ_TOOLCHAIN (default nightly).
set -euo pipefail

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(config request framers stream_redactor normalization tool_calls exchange slowness)
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"

toolchain=${FUZZ_TOOLCHAIN:-nightly}
sanitizer=${FUZZ_SANITIZER:-address}
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  echo "fuzz.sh: no $toolchain toolchain; using the pinned stable one with RUSTC_BOOTSTRAP=1" >&2
  toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")
  export RUSTC_BOOTSTRAP=1
  sanitizer=none
fi

host=$(rustup run "$toolchain" rustc -vV | sed -n 's/^host: //p')
# The flags cargo-fuzz passes: libFuzzer's inline 8-bit counters, PC table and comparison
# tracing, `cfg(fuzzing)`, and debug assertions / overflow checks in the optimised build.
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
flags+=" -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares"
flags+=" --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
if [ "$sanitizer" = address ]; then
  flags+=" -Zsanitizer=address"
fi
# --target keeps these flags off build scripts and proc macros (serde_derive).
RUSTFLAGS="$flags" cargo "+$toolchain" build --release --target "$host" --bins \
  $(printf -- '--bin %s ' "${targets[@]}")

status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  echo "== $t: ${seconds}s"
  parallel=()
  if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
    parallel=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")  # workers log to fuzz/fuzz-<n>.log
  fi
  # `slowness` is after slow inputs, not crashes: a short unit (it is repeated to 64 KiB), a
  # per-input time limit that fails the run, and every input over a second reported.
  limits=(-timeout=10 -max_len=8192)
  if [ "$t" = slowness ]; then
    limits=(-timeout=2 -report_slow_units=1 -max_len=256)
  fi
  if ! "target/$host/release/$t" -max_total_time="$seconds" "${limits[@]}" -rss_limit_mb=2048 \
      "${parallel[@]}" -artifact_prefix="artifacts/$t/" -print_final_stats=1 \
      "corpus/$t"; then
    echo "fuzz.sh: $t FAILED; crash input in fuzz/artifacts/$t/" >&2
    status=1
  fi
done
exit $status
