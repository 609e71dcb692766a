"""Run WSGI apps on real loopback sockets for tests (and a CI-aware skip)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from werkzeug.serving import make_server


@contextmanager
def serve(app: Any, ssl_context: Any = None) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=ssl_context)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    scheme = "https" if ssl_context else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def require_binary(name: str, install: str, also_in: Iterable[str] = ()) -> str:
    """Path of a binary (on PATH or in ``also_in``); under CI a missing one fails, elsewhere skips."""
    path = shutil.which(name) or shutil.which(name, path=os.pathsep.join(also_in) or None)
    if path:
        return path
    message = f"{name} is not installed; run: {install}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
