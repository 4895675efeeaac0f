#!/usr/bin/env bash
# Build the filter's OCI image (a FROM scratch image whose one layer holds plugin.wasm, the layout
# Istio and Envoy Gateway pull) as an OCI image layout, and print its manifest digest.
#
#   istio/build-image.sh            # target/oci/llm-warden-filter, tag = workspace version
#   istio/build-image.sh --pin      # also write the digest into the istio/ manifests' sha256
#
# Environment: WASM (module, default the release build), OUT (layout directory), TAG.
# Push the layout with skopeo (Debian package), keeping the digest the manifests pin:
#   skopeo copy --preserve-digests oci:target/oci/llm-warden-filter:$TAG \
#       docker://ghcr.io/llm-warden/llm-warden-filter:$TAG
set -euo pipefail
cd "$(dirname "$0")/.."

WASM=${WASM:-target/wasm32-wasip1/release/llm_warden_filter.wasm}
OUT=${OUT:-target/oci/llm-warden-filter}
TAG=${TAG:-$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)}

if [[ ! -f $WASM ]]; then
  cargo build --release --locked --target wasm32-wasip1 -p llm-warden-filter >&2
fi
python3 istio/oci_image.py build --wasm "$WASM" --out "$OUT" --tag "$TAG"
if [[ ${1:-} == --pin ]]; then
  python3 istio/oci_image.py pin --wasm "$WASM" >/dev/null
fi
