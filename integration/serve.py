"""`make run`: Envoy with the filter on :10000 in front of the demo upstream (the mock, started
here) or, with OLLAMA=host:port, in front of that Ollama. Ctrl-C stops everything.

Environment: OLLAMA=host:port (real upstream), LLM_WARDEN_CONFIG=path/to/config.json (filter
configuration; default `{}`), PORT (default 10000), ADMIN_PORT (default 9901).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    port = int(os.environ.get("PORT", "10000"))
    admin = int(os.environ.get("ADMIN_PORT", "9901"))
    config_path = os.environ.get("LLM_WARDEN_CONFIG")
    config = json.loads(Path(config_path).read_text()) if config_path else {}
    mock = None
    if ollama := os.environ.get("OLLAMA"):
        host, _, p = ollama.rpartition(":")
        upstream = (host or "127.0.0.1", int(p))
        what = f"Ollama at {ollama}"
    else:
        mock = harness.Mock().start()
        upstream = ("127.0.0.1", mock.port)
        what = f"the mock upstream at {mock.url}"
    envoy = harness.Envoy(harness.ENVOY_WITH_FILTER, upstream, config, port=port,
                          admin_port=admin, concurrency=2)
    try:
        envoy.start()
    except Exception as e:  # noqa: BLE001 - report and stop the mock
        print(f"run: {e}", file=sys.stderr)
        if mock:
            mock.stop()
        return 1
    print(f"llm-warden: Envoy with the filter on {envoy.url} (admin {envoy.admin_url}) in front "
          f"of {what}; filter config {json.dumps(config)}")
    print(f"  try: curl -s {envoy.url}/api/chat -d "
          "'{\"model\":\"llama3.2:3b-instruct-q4_K_M\",\"messages\":[{\"role\":\"user\","
          "\"content\":\"hello\"}]}'")
    print(f"  Envoy log: {envoy.log_path}  (Ctrl-C stops)")
    offset = 0
    try:
        while envoy.proc is not None and envoy.proc.poll() is None:
            text = envoy.log_since(offset)
            offset += len(text.encode())
            for line in text.splitlines():
                if any(tag in line for tag in ("][wasm]", "][error]", "][critical]")):
                    print(line)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        envoy.stop()
        if mock:
            mock.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
