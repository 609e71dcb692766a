"""The database a bench's backend runs on: a SQLite file, or a throwaway PostgreSQL cluster
(Debian's binaries via tests/pg.py, durable settings as in production), migrated as the release
step would."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.store import schema  # noqa: E402
from server.store.db import engine_for  # noqa: E402
from tests.pg import make_postgres  # noqa: E402

KINDS = ("sqlite", "postgres")


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A migrated, empty database of ``kind``; yields its DATABASE_URL."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        _upgrade(url)
        yield url
        return
    try:
        server = make_postgres(durable=True)
    except FileNotFoundError as exc:
        sys.exit(str(exc))
    try:
        server.start()
        url = server.create_database()
        _upgrade(url)
        yield url
    finally:
        server.cleanup()


def _upgrade(url: str) -> None:
    engine = engine_for(url)
    try:
        schema.upgrade(engine)
    finally:
        engine.dispose()


def audit_outcomes(url: str) -> dict[str, int]:
    """How many audit rows there are per outcome."""
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT outcome, count(*) FROM audit_log GROUP BY outcome"))
            return {outcome: int(n) for outcome, n in rows}
    finally:
        engine.dispose()
