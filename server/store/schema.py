"""The database schema's version: Alembic migrations, run as a release step, checked at start-up.

Workers never create tables. ``upgrade`` is the one place that changes the schema (the Procfile's
``release:`` line, ``onoffice-mail-link db upgrade``, or demo mode on its own SQLite file, once,
in gunicorn's master before any worker forks); every process checks at start-up that the
database is at the newest revision and stops with one line naming the command otherwise.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

UPGRADE_COMMAND = "onoffice-mail-link db upgrade"
# Alembic logs a line per plugin and step at INFO; our callers report the outcome in one line.
logging.getLogger("alembic").setLevel(logging.WARNING)
# Releases before migrations created these tables themselves: such a database is at 0001.
_PRE_MIGRATION_TABLES = {"audit_log", "sessions", "auth_flows", "handover_codes"}


class SchemaError(RuntimeError):
    """The database cannot be used as it is; the message is one line an admin can act on."""


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("server.store") / "migrations"))
    return cfg


def head() -> str:
    """The newest revision this code knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None, "no migrations packaged"
    return revision


def current(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty (never migrated) database."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise SchemaError(f"DATABASE_URL: cannot connect ({_reason(exc)})") from None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the newest revision; returns (before, after).

    Safe to run from several processes at once (release steps of several instances, demo
    workers started without gunicorn's master): one migrates, the others wait and find it done.
    """
    with _sqlite_file_lock(engine):
        before = current(engine)
        if before is not None and not _known(before):
            raise SchemaError(_newer(before))  # alembic would fail with a traceback
        cfg = _config()
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    # Persistent per file: set once here, so workers never race for it at connect.
                    conn.execute(text("PRAGMA journal_mode=WAL"))
                elif conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                cfg.attributes["connection"] = conn
                at = MigrationContext.configure(conn).get_current_revision()  # under the lock
                if at is None and set(inspect(conn).get_table_names()) >= _PRE_MIGRATION_TABLES:
                    command.stamp(cfg, "0001")
                command.upgrade(cfg, "head")
        except SQLAlchemyError as exc:
            raise SchemaError(f"DATABASE_URL: migration failed ({_reason(exc)})") from None
    return before, head()


_PG_LOCK_KEY = 0x6F6D6C  # any constant that no other advisory lock of this database uses


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def check(engine: Engine) -> None:
    """Raise :class:`SchemaError` unless the database is at the newest revision."""
    at, want = current(engine), head()
    if at == want:
        return
    if at is None:
        raise SchemaError(f"DATABASE_URL: the database has no tables yet; run: {UPGRADE_COMMAND}")
    if not _known(at):
        raise SchemaError(_newer(at))
    raise SchemaError(f"DATABASE_URL: the database is at revision {at}, this version needs {want}; "
                      f"run: {UPGRADE_COMMAND}")


def _known(revision: str) -> bool:
    return revision in {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def _newer(revision: str) -> str:
    return (f"DATABASE_URL: the database is at revision {revision}, which this version does not "
            "know (a newer release migrated it); run that release or restore it")


def _reason(exc: SQLAlchemyError) -> str:
    # The driver's first line names the problem (host, auth, missing database) without the URL.
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0][:300] if str(orig).strip() else type(orig).__name__
