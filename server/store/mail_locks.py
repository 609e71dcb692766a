"""A lock per mail that holds across worker processes and instances: read, merge, write safely.

Adding a contact means reading onOffice's links, merging and writing the whole list. Two
colleagues doing that at once would each overwrite the other's addition, so the three steps
run under a lock per mail (identity and Message-ID, as onOffice sees it):

- inside a process: one of a fixed set of locks, so threads and gevent greenlets queue
  cooperatively;
- PostgreSQL (several instances): a transaction-scoped advisory lock on a 64-bit hash of the mail;
- SQLite (one host, several worker processes): a POSIX byte-range lock at the hash's offset in
  a side file next to the database file. Unlike SQLite's own write lock (``BEGIN IMMEDIATE``)
  it leaves every other write alone while onOffice is slow, and a waiting greenlet polls instead
  of blocking its whole gevent worker in SQLite's busy handler.

Nothing here writes to the database, so a holder may write its audit rows freely.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from .db import Database

_STRIPES = 1024  # in-process locks; the same mail always maps to the same one
_POLL = 0.02


class MailBusy(RuntimeError):
    """Another click on the same mail held the lock for longer than we wait."""


def lock_key(identity: str, message_id: str) -> int:
    digest = hashlib.sha256(f"{identity.lower()}\n{message_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)  # PostgreSQL's bigint


class MailLocks:
    def __init__(self, db: Database, wait_seconds: float = 30.0):
        self._db = db
        self._wait = wait_seconds
        self._local = [threading.Lock() for _ in range(_STRIPES)]
        self._path = _side_file(db)
        self._fd: int | None = None
        self._open = threading.Lock()

    def __repr__(self) -> str:
        return f"MailLocks({self._db.dialect})"

    @contextmanager
    def hold(self, identity: str, message_id: str) -> Iterator[None]:
        """Hold the lock of one mail; raises :class:`MailBusy` after ``wait_seconds``."""
        key = lock_key(identity, message_id)
        deadline = time.monotonic() + self._wait
        local = self._local[key % _STRIPES]
        if not local.acquire(timeout=self._wait):
            raise MailBusy("another change to this mail is still running")
        try:
            if self._db.dialect == "postgresql":
                with self._advisory(key, deadline):
                    yield
            elif self._path is not None:
                with self._byte_range(key % 2**31, deadline):
                    yield
            else:  # an in-memory database lives in this one process
                yield
        finally:
            local.release()

    @contextmanager
    def _advisory(self, key: int, deadline: float) -> Iterator[None]:
        left_ms = max(1, int((deadline - time.monotonic()) * 1000))
        with self._db.engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT set_config('lock_timeout', :ms, true)"), {"ms": f"{left_ms}ms"})
            try:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            except OperationalError as exc:
                raise MailBusy("another change to this mail is still running") from exc
            yield  # the lock ends with the transaction

    @contextmanager
    def _byte_range(self, offset: int, deadline: float) -> Iterator[None]:
        fd = self._file()
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
                break
            except OSError:  # held by another process
                if time.monotonic() >= deadline:
                    raise MailBusy("another change to this mail is still running") from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset)

    def _file(self) -> int:
        # One descriptor per process, never closed: closing any descriptor of a file drops all
        # of the process's POSIX locks on it, including those other threads hold.
        with self._open:
            if self._fd is None:
                assert self._path is not None
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            return self._fd


def _side_file(db: Database) -> Path | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.mail-locks")
