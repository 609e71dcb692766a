"""The sandbox onOffice for benches, plus ``GET /_bench/calls``: how many actions of each resource
type it received. Run it with ONE worker process, so the count covers every call."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from server.sandbox.serve import app as sandbox

COUNTER_PATH = "/_bench/calls"


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    if environ.get("PATH_INFO") != COUNTER_PATH:
        return sandbox(environ, start_response)
    counts = Counter(str(a.get("resourcetype")) for a in list(sandbox.received))
    body = json.dumps(counts).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
