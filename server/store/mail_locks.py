"""A lock per mail that holds across worker processes and instances: read, merge, write safely.

Adding a contact means reading onOffice's links, merging and writing the whole list. Two
colleagues doing that at once would each overwrite the other's addition, so the three steps
run under a lock in the shared database:

- PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of (identity, Message-ID),
  so different mails never wait for each other;
- SQLite (one host, several processes): ``BEGIN IMMEDIATE``, the database's write lock. It is
  coarser (any two merges wait for each other, and other writes wait for the merge), which
  suits the single-instance deployments SQLite is meant for.

Callers must not write to the database while they hold the lock (SQLite would wait on itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from .db import Database


class MailBusy(RuntimeError):
    """Another click on the same mail held the lock for longer than we wait."""


def lock_key(identity: str, message_id: str) -> int:
    digest = hashlib.sha256(f"{identity.lower()}\n{message_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)  # PostgreSQL's bigint


class MailLocks:
    def __init__(self, db: Database, wait_seconds: float = 30.0):
        self._db = db
        self._wait = wait_seconds

    def __repr__(self) -> str:
        return f"MailLocks({self._db.dialect})"

    @contextmanager
    def hold(self, identity: str, message_id: str) -> Iterator[None]:
        """Hold the lock of one mail (as onOffice sees it: identity and Message-ID)."""
        if self._db.dialect == "postgresql":
            with self._postgres(lock_key(identity, message_id)):
                yield
        else:
            with self._sqlite():
                yield

    @contextmanager
    def _postgres(self, key: int) -> Iterator[None]:
        with self._db.engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT set_config('lock_timeout', :ms, true)"),
                         {"ms": f"{int(self._wait * 1000)}ms"})
            try:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            except OperationalError as exc:
                raise MailBusy("another change to this mail is still running") from exc
            yield  # the lock ends with the transaction

    @contextmanager
    def _sqlite(self) -> Iterator[None]:
        raw = self._db.engine.raw_connection()
        conn = raw.driver_connection
        previous = conn.isolation_level  # type: ignore[union-attr]
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]  # type: ignore[union-attr]
        try:
            conn.isolation_level = None  # type: ignore[union-attr]  # we say BEGIN/COMMIT ourselves
            conn.execute(f"PRAGMA busy_timeout = {int(self._wait * 1000)}")  # type: ignore[union-attr]
            try:
                conn.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
            except Exception as exc:  # sqlite3.OperationalError: database is locked
                raise MailBusy("another change to this mail is still running") from exc
            try:
                yield
            finally:
                conn.execute("COMMIT")  # type: ignore[union-attr]
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")  # type: ignore[union-attr]
            conn.isolation_level = previous  # type: ignore[union-attr]
            raw.close()
