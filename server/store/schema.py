"""The database schema's version: Alembic migrations, run as a release step, checked at start-up.

Workers never create tables. ``upgrade`` is the one place that changes the schema (the Procfile's
``release:`` line, ``onoffice-mail-link db upgrade``, or demo mode on its own SQLite file, once,
in gunicorn's master before any worker forks); every process checks at start-up that the
database is at the newest revision and stops with one line naming the command otherwise.
"""

from __future__ import annotations

import logging
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
    """Bring the database to the newest revision; returns (before, after)."""
    before = current(engine)
    if before is not None and not _known(before):
        raise SchemaError(_newer(before))  # alembic would fail with a traceback
    cfg = _config()
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # Persistent per file: set once here, so workers never race for it at connect.
                conn.execute(text("PRAGMA journal_mode=WAL"))
            cfg.attributes["connection"] = conn
            if before is None and set(inspect(conn).get_table_names()) >= _PRE_MIGRATION_TABLES:
                command.stamp(cfg, "0001")
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise SchemaError(f"DATABASE_URL: migration failed ({_reason(exc)})") from None
    return before, head()


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
