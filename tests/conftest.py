"""Shared fixtures, in the shape of Flask's tutorial: `app`, `client`, plus a real-HTTP onOffice."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from server import create_app
from server.drainer import stop_all
from server.locate.sandbox import SandboxLocator
from server.sandbox import data
from server.sandbox.onoffice import SandboxOnOffice
from server.store import schema
from server.store.db import engine_for

from .pg import INSTALL as PG_INSTALL
from .pg import SEARCH_DIRS as PG_DIRS
from .pg import Postgres, make_postgres
from .servers import require_binary, serve

TOKEN = "0123456789abcdef0123456789abcdef"
SECRET = "f" * 64
SECRET_KEY = "test-secret-key-" + "x" * 32
ANNA = "anna.schmidt@makler-demo.de"
MID = "<20261118093412.4F2A1@mueller-partner.de>"

_LEAKY = ("ONOFFICE_", "ENTRA_", "IMAP_", "IDENTITY_", "DATABASE_URL", "SECRET_KEY", "PUBLIC_URL",
          "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "HTTP_PROXY", "HTTPS_PROXY")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own configuration."""
    for name in list(os.environ):
        if name.upper().startswith(_LEAKY):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def tmp_instance_folder(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Apps made in tests keep their instance folder (default SQLite file, demo secret key) in a
    temporary directory, never in the checkout's ``instance/``, which belongs to the developer."""
    from flask import Flask

    folder = tmp_path_factory.mktemp("instance")
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))


@pytest.fixture(autouse=True)
def no_drainer_outlives_its_test() -> Iterator[None]:
    """Every app drains its outbox in a background thread from its first request on."""
    yield
    stop_all()


@pytest.fixture
def sandbox() -> SandboxOnOffice:
    return SandboxOnOffice(TOKEN, SECRET)


@pytest.fixture
def onoffice_url(sandbox: SandboxOnOffice) -> Iterator[str]:
    """The sandbox onOffice on a real socket, as production talks to onOffice."""
    with serve(sandbox) as base:
        yield base + "/api/stable/api.php"


def migrated(url: str) -> str:
    """Run the migrations on ``url``, as the release step does before a deployment starts."""
    engine = engine_for(url)
    try:
        schema.upgrade(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One real PostgreSQL for the whole run; tests take fresh databases from it."""
    for name in ("initdb", "pg_ctl", "postgres"):
        require_binary(name, PG_INSTALL, PG_DIRS)
    server = make_postgres()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def pg_migrated_template(postgres: Postgres) -> str:
    """The name of a database at the newest revision, to copy (CREATE DATABASE … TEMPLATE)."""
    url = migrated(postgres.create_database())
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty database of each kind, never migrated."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def migrated_url(database_url: str, request: pytest.FixtureRequest) -> str:
    """``database_url`` at the newest revision, as after the release step."""
    if database_url.startswith("sqlite"):
        return migrated(database_url)
    return request.getfixturevalue("postgres").create_database(
        request.getfixturevalue("pg_migrated_template"))


# Outside demo mode a mail server is required; the app fixture swaps in the sandbox mailbox,
# so this one is never contacted (port 9 is "discard").
NO_IMAP = {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": "9", "IMAP_TLS": "none", "IMAP_AUTH": "password",
           "IMAP_PASSWORD": "unused"}


@pytest.fixture
def config(onoffice_url: str, tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A non-demo configuration against the sandbox over HTTP. Auth tests add ENTRA_* to it."""
    return {**NO_IMAP,
        "PUBLIC_URL": "https://onoffice-link.makler-demo.test",
        "ONOFFICE_API_URL": onoffice_url,
        "ONOFFICE_API_TOKEN": TOKEN,
        "ONOFFICE_API_SECRET": SECRET,
        "SECRET_KEY": SECRET_KEY,
        "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
        "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000",
        "ENTRA_CLIENT_SECRET": "client-secret-for-tests",
        "ENTRA_AUTHORITY_HOST": "https://127.0.0.1:9",
        "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'test.sqlite3'}"),
        "ONOFFICE_CONNECT_TIMEOUT": "2",
        "ONOFFICE_READ_TIMEOUT": "2",
    }


@pytest.fixture
def app(config: dict[str, str]):  # type: ignore[no-untyped-def]
    app = create_app(config)
    app.config["TESTING"] = True
    # The sandbox onOffice reads the sample mailbox; locate mails in that same mailbox.
    app.extensions["onoffice_mail_link"].use_locator(SandboxLocator(data.MAILS))
    yield app
    app.extensions["onoffice_mail_link"].drainer.stop()
    app.extensions["onoffice_mail_link"].onoffice.close()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def session_token(app) -> str:  # type: ignore[no-untyped-def]
    """A session token for Anna, issued the way /auth/callback issues them."""
    svc = app.extensions["onoffice_mail_link"]
    token, _ = svc.sessions.issue("tid:oid-anna", ANNA, "Anna Schmidt", "session")
    return token


@pytest.fixture
def auth(session_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {session_token}"}


@pytest.fixture
def demo_app(tmp_path):  # type: ignore[no-untyped-def]
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})


@pytest.fixture
def demo_client(demo_app):  # type: ignore[no-untyped-def]
    return demo_app.test_client()
