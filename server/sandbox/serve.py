"""Serve the sandbox onOffice on its own: `python -m server.sandbox` or gunicorn `server.sandbox.serve:app`.

Useful for trying the real (non-demo) configuration against a local onOffice, and for the
benchmark. Credentials and an added latency come from SANDBOX_TOKEN, SANDBOX_SECRET and
SANDBOX_LATENCY_MS.
"""

from __future__ import annotations

import os

from .onoffice import SandboxOnOffice

DEFAULT_TOKEN = "0123456789abcdef0123456789abcdef"
DEFAULT_SECRET = "f" * 64


def build() -> SandboxOnOffice:
    return SandboxOnOffice(
        os.environ.get("SANDBOX_TOKEN", DEFAULT_TOKEN),
        os.environ.get("SANDBOX_SECRET", DEFAULT_SECRET),
        latency=int(os.environ.get("SANDBOX_LATENCY_MS", "0")) / 1000,
    )


app = build()
