"""The server as deployed: ``python -m gunicorn -c python:server.gunicorn_conf server.wsgi:app``
in its own process, on a free port, from a directory outside the checkout."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from .pg import free_port

COMMAND = [sys.executable, "-m", "gunicorn", "-c", "python:server.gunicorn_conf"]
# The access log names the worker's pid, so a test can tell which workers answered.
PID_LOG = ["--access-logformat", "pid=%(p)s %(U)s %(s)s"]


@dataclass
class Instance:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> set[str]:
        return set(re.findall(r"pid=<?(\d+)>?", self.log))

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError(f"gunicorn did not answer within {timeout} s:\n{self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown; SIGTERM waits for keep-alives

    def wait_stopped(self) -> None:
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def environment(config: dict[str, str]) -> dict[str, str]:
    """The test's configuration as the process environment (nothing of the developer's)."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "CI", "TMPDIR")}
    return {**keep, **config}


def run(config: dict[str, str], cwd: Path, *extra: str,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Start gunicorn and wait for it to end (for starts that must be refused)."""
    return subprocess.run([*COMMAND, *extra, "server.wsgi:app"], cwd=cwd, env=environment(
        {"BIND": f"127.0.0.1:{free_port()}", **config}), capture_output=True, text=True, timeout=timeout)


def start(config: dict[str, str], cwd: Path, *extra: str) -> Instance:
    """Start a server (not waiting for it); its log (stdout and stderr) goes to a file in ``cwd``."""
    port = free_port()
    log_path = cwd / f"gunicorn-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([*COMMAND, *PID_LOG, *extra, "server.wsgi:app"], cwd=cwd,
                                env=environment({"BIND": f"127.0.0.1:{port}", **config}),
                                stdout=log, stderr=subprocess.STDOUT)
    return Instance(f"http://127.0.0.1:{port}", proc, log_path)


@contextmanager
def instance(config: dict[str, str], cwd: Path, *extra: str, timeout: float = 60) -> Iterator[Instance]:
    """A running server; waits until /healthz answers, stops it afterwards."""
    inst = start(config, cwd, *extra)
    try:
        inst.wait_healthy(timeout)
        yield inst
    finally:
        inst.stop()
        inst.wait_stopped()
