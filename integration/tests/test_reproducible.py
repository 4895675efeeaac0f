"""The filter's own supply chain: two release builds of the same source give the same .wasm bytes
(cargo's build and binaryen's wasm-opt after it, as `make wasm` runs them).

The second build runs in a fresh target directory, so nothing is shared with the first but the
source, the lock file and the toolchain. The digest printed by `make build` (and written beside the
module as `.sha256`) is what a `WasmPlugin`'s `sha256` pins for an `https://`/`file://` URL.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parents[2]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_release_wasm_is_reproducible(tmp_path):
    first = harness.WASM
    assert first.exists(), "make build first"
    env = dict(os.environ, CARGO_TARGET_DIR=str(tmp_path / "target"))
    # The same build as `make wasm`: cargo, then wasm-opt (scripts/build-wasm.sh).
    subprocess.run(
        ["scripts/build-wasm.sh"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=1200,
    )
    second = tmp_path / "target" / "wasm32-wasip1" / "release" / "llm_warden_filter.wasm"
    assert sha256(first) == sha256(second), "two builds of the same commit differ"


def test_build_records_the_digest():
    recorded = Path(str(harness.WASM) + ".sha256")
    assert recorded.exists(), "make build writes the module's sha256 beside it"
    assert recorded.read_text().split()[0] == sha256(harness.WASM)
