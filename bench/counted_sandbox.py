"""The sandbox onOffice for benches, plus ``GET /_bench/calls``: how many actions of each resource
type it received. Run it with ONE worker process, so the count covers every call. (The sandbox
keeps only its last actions for tests; this counts every one.)"""

from __future__ import annotations

import io
import json
import threading
from collections import Counter
from typing import Any

from server.sandbox.serve import app as sandbox

COUNTER_PATH = "/_bench/calls"
_counts: Counter[str] = Counter()
_lock = threading.Lock()


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    if environ.get("PATH_INFO") == COUNTER_PATH:
        with _lock:
            body = json.dumps(_counts).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    _count(raw)
    environ["wsgi.input"] = io.BytesIO(raw)
    return sandbox(environ, start_response)


def _count(raw: bytes) -> None:
    try:
        actions = json.loads(raw)["request"]["actions"]
        kinds = [str(a.get("resourcetype")) for a in actions]
    except (ValueError, KeyError, TypeError, AttributeError):
        kinds = ["(malformed)"]
    with _lock:
        _counts.update(kinds)
