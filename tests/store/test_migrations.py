"""The schema's migrations on SQLite and PostgreSQL, and how start-up treats each database state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text

from server import ConfigError, preflight
from server.cli import main as cli
from server.store import Database, SchemaError, SessionStore, schema
from server.store.db import engine_for
from server.store.models import Base

from .. import gunicorn
from ..conftest import ANNA

TABLES = {"audit_log", "sessions", "auth_flows", "handover_codes"}
UPGRADE_LINE = ("configuration error: DATABASE_URL: the database has no tables yet; "
                "run: onoffice-mail-link db upgrade")


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    eng = engine_for(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def server_config(config: dict[str, str], database_url: str) -> dict[str, str]:
    """A non-demo configuration (demo mode would migrate by itself) on the un-migrated database."""
    return {**config, "DATABASE_URL": database_url}


def test_empty_database_upgrades_to_head(engine) -> None:  # type: ignore[no-untyped-def]
    assert schema.current(engine) is None
    with pytest.raises(SchemaError, match="no tables yet; run: onoffice-mail-link db upgrade"):
        schema.check(engine)
    assert schema.upgrade(engine) == (None, schema.head())
    assert schema.current(engine) == schema.head()
    schema.check(engine)
    assert set(inspect(engine).get_table_names()) == (
        TABLES | {"outbox", "idempotency_keys", "alembic_version"})
    assert schema.upgrade(engine) == (schema.head(), schema.head())  # a second release step is a no-op


def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    """What `alembic check` does: autogenerate finds nothing to add, drop or alter."""
    schema.upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                      "compare_server_default": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_db_commands(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of a checkout
    monkeypatch.setenv("DATABASE_URL", database_url)
    runner = CliRunner()
    before = runner.invoke(cli, ["db", "current"])
    assert before.exit_code == 1
    assert before.output == f"database at empty, this version needs {schema.head()}\n"
    up = runner.invoke(cli, ["db", "upgrade"])
    assert (up.exit_code, up.output) == (0, f"database at {schema.head()} (was empty)\n")
    after = runner.invoke(cli, ["db", "current"])
    assert after.exit_code == 0 and after.output.startswith(f"database at {schema.head()},")


def test_unmigrated_database_stops_the_server_with_one_line(server_config: dict[str, str],
                                                            tmp_path: Path) -> None:
    done = gunicorn.run(server_config, tmp_path)
    assert done.returncode == 3
    assert done.stderr.strip() == UPGRADE_LINE
    with pytest.raises(ConfigError, match="no tables yet"):
        preflight(server_config)


def test_database_of_a_newer_release_stops_the_server_with_one_line(
        server_config: dict[str, str], engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d1e5e'"))
    done = gunicorn.run(server_config, tmp_path)
    assert done.returncode == 3
    assert done.stderr.strip() == (
        "configuration error: DATABASE_URL: the database is at revision f00d1e5e, which this version "
        "does not know (a newer release migrated it); run that release or restore it")
    with pytest.raises(SchemaError, match="f00d1e5e"):
        schema.upgrade(engine)  # and the release step does not run unknown history backwards


def at_revision(engine, revision: str) -> None:  # type: ignore[no-untyped-def]
    """Migrate ``engine`` to an older ``revision``, as an earlier release left it."""
    cfg = schema._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_pre_migration_database_is_stamped_and_keeps_its_data(engine, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """A release before migrations made its tables with create_all: 0001's tables, no version."""
    at_revision(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO sessions (id, mailbox, name, user_id, method, created_at, "
                          "expires_at) VALUES ('old', :m, 'Anna', 'u', 'session', :now, :exp)"),
                     {"m": ANNA, "now": datetime.now(UTC), "exp": datetime.now(UTC) + timedelta(days=1)})
    assert schema.current(engine) is None
    with pytest.raises(SchemaError, match="run: onoffice-mail-link db upgrade"):
        schema.check(engine)
    assert schema.upgrade(engine) == (None, schema.head())
    db = Database(database_url)  # what a worker does: only checks
    try:
        record = SessionStore(db).get("old")
        assert record is not None and record.mailbox == ANNA and not record.revoked
    finally:
        db.engine.dispose()


def test_database_of_an_older_release_stops_the_server_until_upgraded(
        server_config: dict[str, str], engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    at_revision(engine, "0001")
    assert schema.head() != "0001", "needs a second migration to mean anything"
    done = gunicorn.run(server_config, tmp_path)
    assert done.returncode == 3
    assert done.stderr.strip() == (
        f"configuration error: DATABASE_URL: the database is at revision 0001, this version needs "
        f"{schema.head()}; run: onoffice-mail-link db upgrade")
    assert schema.upgrade(engine) == ("0001", schema.head())
    preflight(server_config)  # now it starts


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://app:pw-s3cret@127.0.0.1:1/linkdb",
    "not a url",
    "mysql+nosuchdriver://u@h/db",
])
def test_bad_database_url_is_one_line_without_the_password(config: dict[str, str], url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        preflight({**config, "DATABASE_URL": url})
    message = str(refused.value)
    assert message.startswith("DATABASE_URL: ") and "\n" not in message
    assert "pw-s3cret" not in message
