"""Engine and sessions for SQLite (default) or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from . import schema
from .schema import SchemaError


def engine_for(url: str) -> Engine:
    """An engine for DATABASE_URL; a malformed URL or a missing driver is a one-line SchemaError."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SchemaError("DATABASE_URL: not a database URL "
                          "(e.g. postgresql+psycopg://user@host/db)") from None
    kwargs: dict = {"pool_pre_ping": True}
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"check_same_thread": False, "timeout": 15}}
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        hint = " (pip install 'onoffice-mail-link[postgres]')" if "postgres" in parsed.drivername else ""
        raise SchemaError(f"DATABASE_URL: no driver for {parsed.drivername}{hint}: {exc}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    def __init__(self, url: str, *, migrate: bool = False):
        """Open the database; ``migrate`` upgrades it (demo mode), otherwise it must be current."""
        self.engine: Engine = engine_for(url)
        if migrate:
            schema.upgrade(self.engine)
        else:
            schema.check(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Per connection and lock-free; WAL itself is set once by the migration (schema.upgrade).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
