#!/usr/bin/env python3
"""Write the filter's OCI image as an OCI image layout, deterministically, with the stdlib only.

The image is what Istio (and Envoy Gateway, whose fetcher follows Istio's) pulls for an `oci://`
wasm URL: a `FROM scratch` image whose single layer is a gzip'd tar holding `plugin.wasm`. The same
image a `docker build` of istio/Containerfile gives, minus what makes docker builds differ run to
run (timestamps, history), so the same .wasm always gives the same manifest digest.

That digest (`sha256:<64 hex>`) is what a WasmPlugin's `sha256` and an EnvoyExtensionPolicy's
`code.image.sha256` carry, as bare hex: for OCI URLs both hosts compare it with the digest of the
image manifest they pulled, not with a hash of the .wasm.

Determinism: the tar entry has fixed mode, owner, mtime and no user/group names; the gzip member
has mtime 0 and no file name, and its deflate stream is made of stored (uncompressed) blocks
written here, so the bytes do not depend on which zlib (or zlib-ng) Python links; JSON documents
are written with a fixed key order and separators. The digest is a function of the module's bytes
alone: anyone can rebuild it from the published .wasm. (Stored blocks cost size: the layer is the
module's size plus a few bytes per 64 KiB, which for a module of ~1 MiB is a fair price.)

    python3 istio/oci_image.py build  [--wasm PATH] [--out DIR] [--tag TAG]  # writes the layout
    python3 istio/oci_image.py digest [--wasm PATH]                  # prints, writes nothing
    python3 istio/oci_image.py pin    [--wasm PATH] [FILE...]        # sets sha256 in manifests

Each prints the manifest digest `sha256:...` on stdout (and nothing else).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import struct
import sys
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WASM = REPO / "target" / "wasm32-wasip1" / "release" / "llm_warden_filter.wasm"
DEFAULT_OUT = REPO / "target" / "oci" / "llm-warden-filter"
DEFAULT_TAG = "0.1.0"
# The manifests that pin the image: WasmPlugins and the EnvoyExtensionPolicy.
PINNED_MANIFESTS = (
    REPO / "istio" / "wasmplugin-sidecar.yaml",
    REPO / "istio" / "wasmplugin-gateway.yaml",
    REPO / "istio" / "wasmplugin-mcp-sidecar.yaml",
    REPO / "istio" / "envoy-gateway-policy.yaml",
)

LAYER_FILE = "plugin.wasm"
MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
# Fixed: the digest must depend on the module's bytes only.
FIXED_MTIME = 0
STORED_BLOCK_MAX = 0xFFFF


@dataclass(frozen=True)
class Blob:
    media_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.data).hexdigest()

    def descriptor(self) -> dict:
        return {"mediaType": self.media_type, "digest": self.digest, "size": len(self.data)}


@dataclass(frozen=True)
class Image:
    config: Blob
    layer: Blob
    manifest: Blob

    @property
    def digest(self) -> str:
        """The manifest digest: what `sha256` in the manifests pins (without the prefix)."""
        return self.manifest.digest


def canonical_json(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).encode()


def layer_tar(wasm: bytes) -> bytes:
    """An uncompressed tar holding one regular file, `plugin.wasm`, owned by root, mode 0644."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(LAYER_FILE)
        info.size = len(wasm)
        info.mode = 0o644
        info.mtime = FIXED_MTIME
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.type = tarfile.REGTYPE
        tar.addfile(info, io.BytesIO(wasm))
    return buf.getvalue()


def gzip_stored(data: bytes) -> bytes:
    """A gzip member (RFC 1952) whose deflate stream (RFC 1951) is stored blocks only.

    Header: magic, method 8 (deflate), no flags, mtime 0, no extra flags, OS 255 (unknown).
    Each stored block: one byte holding BFINAL and BTYPE=00 (the rest of the byte is the
    alignment padding), LEN and its one's complement NLEN (little-endian), then LEN bytes.
    Trailer: CRC-32 and size modulo 2^32 of the uncompressed data."""
    out = bytearray(b"\x1f\x8b\x08\x00" + struct.pack("<I", FIXED_MTIME) + b"\x00\xff")
    starts = range(0, len(data), STORED_BLOCK_MAX) if data else [0]
    for start in starts:
        block = data[start:start + STORED_BLOCK_MAX]
        out.append(1 if start + STORED_BLOCK_MAX >= len(data) else 0)
        out += struct.pack("<HH", len(block), len(block) ^ 0xFFFF) + block
    out += struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return bytes(out)


def build_image(wasm: bytes) -> Image:
    tar = layer_tar(wasm)
    layer = Blob(MEDIA_LAYER, gzip_stored(tar))
    # linux/amd64 is what `docker build` of the Containerfile on a common host records; the
    # wasm fetchers read only the layer, and some registries and tools want a platform.
    config = Blob(MEDIA_CONFIG, canonical_json({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar).hexdigest()]},
    }))
    manifest = Blob(MEDIA_MANIFEST, canonical_json({
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": config.descriptor(),
        "layers": [layer.descriptor()],
    }))
    return Image(config, layer, manifest)


def write_layout(image: Image, out: Path, tag: str) -> None:
    """Write an OCI image layout (oci-layout, index.json, blobs/sha256/*) holding the image, named
    `tag` in index.json. Blobs of earlier builds are removed: the layout holds exactly one image."""
    blobs = out / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    keep = set()
    for blob in (image.config, image.layer, image.manifest):
        name = blob.digest.split(":", 1)[1]
        keep.add(name)
        (blobs / name).write_bytes(blob.data)
    for old in blobs.iterdir():
        if old.name not in keep:
            old.unlink()
    (out / "oci-layout").write_bytes(canonical_json({"imageLayoutVersion": "1.0.0"}))
    entry = image.manifest.descriptor()
    entry["annotations"] = {"org.opencontainers.image.ref.name": tag}
    (out / "index.json").write_bytes(canonical_json({
        "schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": [entry],
    }))


# `sha256: <hex or empty>` on a line of its own, at any indentation (WasmPlugin spec.sha256 and
# EnvoyExtensionPolicy spec.wasm[].code.image.sha256). Comments after the value are kept.
SHA_LINE = re.compile(
    r'^(?P<lead>\s*sha256:\s*)(?P<q>"?)(?P<hex>[0-9a-f]*)(?P=q)(?P<tail>\s*(#.*)?)$', re.MULTILINE)


def pin(paths: list[Path], digest: str) -> list[Path]:
    """Set every `sha256:` line of these manifests to the digest's hex; returns those changed."""
    hexdigest = digest.split(":", 1)[1]
    changed = []
    for path in paths:
        text = path.read_text()
        new, count = SHA_LINE.subn(
            lambda m: f'{m["lead"]}{m["q"]}{hexdigest}{m["q"]}{m["tail"]}', text)
        if count == 0:
            raise SystemExit(f"{path}: no sha256 line to pin")
        if new != text:
            path.write_text(new)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "digest", "pin"):
        p = sub.add_parser(name)
        p.add_argument("--wasm", type=Path, default=DEFAULT_WASM, help="the filter module")
        if name == "build":
            p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="layout directory")
            p.add_argument("--tag", default=DEFAULT_TAG, help="ref name in index.json")
        if name == "pin":
            p.add_argument("files", nargs="*", type=Path, default=list(PINNED_MANIFESTS))
    args = parser.parse_args(argv)
    if not args.wasm.is_file():
        print(f"{args.wasm}: not found (build it: cargo build --release --target wasm32-wasip1 "
              "-p llm-warden-filter)", file=sys.stderr)
        return 1
    image = build_image(args.wasm.read_bytes())
    if args.command == "build":
        write_layout(image, args.out, args.tag)
        print(f"wrote {args.out} ({args.tag})", file=sys.stderr)
    elif args.command == "pin":
        for path in pin(args.files, image.digest):
            print(f"pinned {path}", file=sys.stderr)
    print(image.digest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
