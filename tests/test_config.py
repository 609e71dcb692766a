"""Start-up validation: a bad value stops the app with one line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from server import ConfigError, create_app
from server.config import load_settings

ROOT = Path(__file__).resolve().parent.parent


def settings(**env):
    return load_settings(env, "/tmp/instance")


def test_no_credentials_is_demo_mode():
    s = settings()
    assert s.demo and s.onoffice_api_url.startswith("https://api.onoffice.de/")
    assert s.identity_pattern == "{mailbox}" and s.public_url == "http://localhost:5000"


@pytest.mark.parametrize(("env", "variable"), [
    ({"ONOFFICE_API_TOKEN": "t"}, "ONOFFICE_API_SECRET"),
    ({"ONOFFICE_API_SECRET": "s"}, "ONOFFICE_API_TOKEN"),
    ({"ONOFFICE_API_TOKEN": "t", "ONOFFICE_API_SECRET": "s"}, "SECRET_KEY"),
    ({"ONOFFICE_API_TOKEN": "t", "ONOFFICE_API_SECRET": "s", "SECRET_KEY": "k" * 40},
     "ENTRA_TENANT_ID"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"PUBLIC_URL": "localhost:5000"}, "PUBLIC_URL"),
    ({"PUBLIC_URL": "https://crm.makler-demo.de/onoffice"}, "PUBLIC_URL"),
    ({"ONOFFICE_API_URL": "ftp://x"}, "ONOFFICE_API_URL"),
    ({"IMAP_PORT": "abc"}, "IMAP_PORT"),
    ({"IMAP_PORT": "70000"}, "IMAP_PORT"),
    ({"IMAP_TLS": "maybe"}, "IMAP_TLS"),
    ({"IMAP_AUTH": "kerberos"}, "IMAP_AUTH"),
    ({"IMAP_HOST": "mail", "IMAP_AUTH": "password", "IMAP_USERNAME": "admin"}, "IMAP_USERNAME"),
    ({"IMAP_USERNAME": "{mailbox}*{master}"}, "IMAP_USERNAME"),
    ({"IMAP_USERNAME": "{user}"}, "IMAP_USERNAME"),
    ({"IMAP_HOST": "mail", "IMAP_AUTH": "password", "IMAP_USERNAME": "{mailbox}"}, "IMAP_PASSWORD"),
    ({"IMAP_HOST": "mail"}, "ENTRA_CLIENT_SECRET"),
    ({"IDENTITY_MAP": "/nonexistent/map.txt"}, "IDENTITY_MAP"),
    ({"IDENTITY_PATTERN": "{user}@x.de"}, "IDENTITY_PATTERN"),
    ({"IDENTITY_PATTERN": "no-at-sign"}, "IDENTITY_PATTERN"),
    ({"ONOFFICE_READ_TIMEOUT": "-1"}, "ONOFFICE_READ_TIMEOUT"),
    ({"SESSION_DAYS": "0"}, "SESSION_DAYS"),
    ({"ENTRA_TENANT_ID": "abc"}, "ENTRA_TENANT_ID"),
    ({"ENTRA_TENANT_ID": "contoso.onmicrosoft.com",
      "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000"}, "ENTRA_TENANT_ID"),
    ({"PUBLIC_URL": "https://x.test/\r\nSet-Cookie: a"}, "PUBLIC_URL"),
])
def test_bad_values_name_their_variable(env, variable):
    with pytest.raises(ConfigError) as info:
        settings(**env)
    message = str(info.value)
    assert message.startswith(variable) or variable in message.split(":")[0]
    assert "\n" not in message


def test_secrets_are_not_in_the_settings_repr():
    guid = "11111111-2222-3333-4444-555555555555"
    s = settings(ONOFFICE_API_TOKEN="tok-" + "a" * 28, ONOFFICE_API_SECRET="sec-" + "b" * 60,
                 SECRET_KEY="key-" + "c" * 40, ENTRA_TENANT_ID=guid, ENTRA_CLIENT_ID=guid,
                 ENTRA_CLIENT_SECRET="client-secret-value", IMAP_HOST="mail", IMAP_AUTH="password",
                 IMAP_PASSWORD="imap-pw")
    text = repr(s)
    for secret in ("a" * 28, "b" * 60, "c" * 40, "client-secret-value", "imap-pw"):
        assert secret not in text


def test_misconfigured_server_exits_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONOFFICE", "ENTRA", "IMAP"))}
    env.update(ONOFFICE_API_TOKEN="t" * 32, PATH=os.environ["PATH"])
    proc = subprocess.run([sys.executable, "-c", "import server.wsgi"], cwd=tmp_path, env={
        **env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == ["configuration error: ONOFFICE_API_SECRET: must be set together with its "
                     "partner (or both unset for demo)"]


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("PUBLIC_URL=https://crm.makler-demo.de\n")
    monkeypatch.chdir(tmp_path)
    app = create_app()
    assert app.config["PUBLIC_URL"] == "https://crm.makler-demo.de"


@pytest.mark.parametrize("content", [
    "anna.schmidt@makler-demo.de = anna.schmidt@makler-demo.de\nbroken line here\n",
    "a@makler-demo.de = a@makler-demo.de\nA@Makler-Demo.de = b@makler-demo.de\n",
])
def test_broken_identity_map_line_is_a_config_error(tmp_path, content):
    path = tmp_path / "identities.txt"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        settings(IDENTITY_MAP=str(path))
    message = str(info.value)
    assert message.startswith(f"IDENTITY_MAP: {path}:2: ") and "\n" not in message


def _gunicorn(tmp_path: Path, **extra: str) -> list[str]:
    """The Procfile's command, from a directory that is not the checkout; its output lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONOFFICE", "ENTRA", "IMAP"))}
    env.update(ONOFFICE_API_TOKEN="t" * 32, ONOFFICE_API_SECRET="s" * 64, WEB_CONCURRENCY="3",
               BIND="127.0.0.1:0", DATABASE_URL=f"sqlite:///{tmp_path / 'g.sqlite3'}")
    env.update(extra)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.run([str(gunicorn), "-c", "python:server.gunicorn_conf", "server.wsgi:app"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    return [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]


REAL = {"SECRET_KEY": "k" * 40, "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
        "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000", "ENTRA_CLIENT_SECRET": "x",
        "IMAP_HOST": "127.0.0.1", "IMAP_AUTH": "password", "IMAP_PASSWORD": "pw"}


def test_misconfigured_gunicorn_exits_with_one_line(tmp_path):
    """The README's way to run it: gunicorn stops before forking workers, with one line."""
    assert _gunicorn(tmp_path) == [
        "configuration error: SECRET_KEY: required when onOffice credentials are set"]


@pytest.mark.parametrize(("url", "expected"), [
    (None, "DATABASE_URL: the database has no tables yet; run: onoffice-mail-link db upgrade"),
    ("nonsense", "DATABASE_URL: not a database URL"),
    ("postgresql+psycopg://nobody@127.0.0.1:9/none", "DATABASE_URL: cannot connect ("),
])
def test_unusable_database_stops_gunicorn_with_one_line(tmp_path, url, expected):
    extra = {**REAL, **({"DATABASE_URL": url} if url else {})}
    lines = _gunicorn(tmp_path, **extra)
    assert len(lines) == 1 and lines[0].startswith(f"configuration error: {expected}"), lines


def test_missing_mail_server_outside_demo_is_a_config_error():
    env = {k: v for k, v in REAL.items() if not k.startswith("IMAP_")}
    with pytest.raises(ConfigError) as info:
        settings(ONOFFICE_API_TOKEN="t" * 32, ONOFFICE_API_SECRET="s" * 64, **env)
    assert str(info.value).startswith("IMAP_HOST: required outside demo mode")


@pytest.mark.parametrize(("env", "url"), [
    ({"PORT": "5077"}, "http://localhost:5077"),
    ({"BIND": "0.0.0.0:8123"}, "http://localhost:8123"),
    ({"BIND": "127.0.0.1:8124", "PORT": "1"}, "http://localhost:8124"),
    ({"PORT": "5077", "PUBLIC_URL": "https://link.example.de"}, "https://link.example.de"),
])
def test_demo_public_url_follows_the_port(env, url):
    assert settings(**env).public_url == url


def test_login_template_takes_mailbox_and_identity():
    s = settings(IMAP_USERNAME="{identity}*{mailbox}")
    assert s.imap_username == "{identity}*{mailbox}"
    assert settings().imap_username == "{mailbox}"


@pytest.mark.parametrize(("raw", "seconds"), [
    (None, 7 * 86400), ("90", 90), ("45s", 45), ("30m", 1800), ("12h", 43200), ("7d", 604800),
    (" 2D ", 172800),
])
def test_outbox_max_age_takes_seconds_or_a_unit(raw, seconds):
    s = settings(**({"OUTBOX_MAX_AGE": raw} if raw is not None else {}))
    assert s.outbox_max_age.total_seconds() == seconds


@pytest.mark.parametrize("raw", ["7w", "1.5h", "-1d", "0", "d", "400d"])
def test_a_bad_outbox_max_age_is_a_config_error(raw):
    with pytest.raises(ConfigError) as info:
        settings(OUTBOX_MAX_AGE=raw)
    assert str(info.value).startswith("OUTBOX_MAX_AGE: ")
