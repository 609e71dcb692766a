"""Two gunicorn workers on a fresh SQLite file always boot (they raced in create_all and on
PRAGMA journal_mode=WAL before the schema moved to the release step: 10 failed starts in 30)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from .. import gunicorn
from ..conftest import migrated

STARTS, AT_ONCE = 15, 3  # three servers boot side by side: more contention, less waiting


def both_workers_answer(inst: gunicorn.Instance, timeout: float = 60) -> set[str]:
    """Ask /healthz on fresh connections until two worker pids have answered: both booted."""
    deadline = time.monotonic() + timeout
    while len(inst.worker_pids()) < 2 and time.monotonic() < deadline:
        assert inst.process.poll() is None, inst.log
        httpx.get(inst.url + "/healthz", timeout=5, headers={"Connection": "close"})
    return inst.worker_pids()


def test_two_workers_on_a_fresh_sqlite_file_always_boot(config: dict[str, str], tmp_path: Path) -> None:
    for batch in range(0, STARTS, AT_ONCE):
        started = []
        try:
            for n in range(batch, batch + AT_ONCE):
                url = migrated(f"sqlite:///{tmp_path / f'fresh-{n}.sqlite3'}")  # the release step
                started.append(gunicorn.start({**config, "DATABASE_URL": url, "WEB_CONCURRENCY": "2"},
                                              tmp_path))
            for n, inst in enumerate(started, batch):
                inst.wait_healthy()
                pids = both_workers_answer(inst)
                assert len(pids) == 2, f"start {n}: only {pids} answered\n{inst.log}"
                assert "Worker failed to boot" not in inst.log and "Traceback" not in inst.log, inst.log
        finally:
            for inst in started:
                inst.stop()
            for inst in started:
                inst.wait_stopped()
