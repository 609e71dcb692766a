"""Serve the sandbox onOffice on its own: `python -m server.sandbox` or gunicorn `server.sandbox.serve:app`.

Useful for trying the real (non-demo) configuration against a local onOffice, and for the
benchmark. Credentials and an added latency come from SANDBOX_TOKEN, SANDBOX_SECRET and
SANDBOX_LATENCY_MS.
"""

from __future__ import annotations

import os

from . import data
from .onoffice import SandboxOnOffice

DEFAULT_TOKEN = "0123456789abcdef0123456789abcdef"
DEFAULT_SECRET = "f" * 64


def build() -> SandboxOnOffice:
    sandbox = SandboxOnOffice(
        os.environ.get("SANDBOX_TOKEN", DEFAULT_TOKEN),
        os.environ.get("SANDBOX_SECRET", DEFAULT_SECRET),
        latency=int(os.environ.get("SANDBOX_LATENCY_MS", "0")) / 1000,
    )
    sandbox.mails.extend(bench_mails(int(os.environ.get("SANDBOX_BENCH_MAILS", "0"))))
    return sandbox


def bench_mails(count: int) -> list[data.Mail]:
    """``count`` more mails in the first mailbox's INBOX (uid 100000 + i), so a load test can
    spread its clicks over many mails, as agents do, instead of clicking one mail 64 times at once."""
    return [data.Mail(data.MAILBOXES[0], "INBOX", 100_000 + i, f"<bench-{i}@makler-demo.test>",
                      f"Bench {i}", ("Bench", "bench@makler-demo.test"), (), "2026-11-30T10:00:00+01:00")
            for i in range(count)]


app = build()
