"""The systemd unit and its settings file in docs/ stay in step with the Procfile and the code."""

from __future__ import annotations

import configparser
import re

from dotenv import dotenv_values

from server.config import load_settings

from . import ROOT, procfile

DOCS = ROOT / "docs"
VENV_BIN = "/opt/onoffice-mail-link/bin/"


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string((DOCS / "onoffice-mail-link.service").read_text())
    return unit


def test_the_unit_runs_the_procfiles_release_and_web_lines() -> None:
    service, lines = _unit()["Service"], procfile()
    assert service["ExecStartPre"] == VENV_BIN + lines["release"]
    assert service["ExecStart"] == VENV_BIN + lines["web"]
    assert service["EnvironmentFile"] == "/etc/onoffice-mail-link.env"


def test_every_variable_in_the_settings_example_is_one_the_server_reads() -> None:
    text = (DOCS / "onoffice-mail-link.env").read_text()
    names = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.M))
    read = "".join(p.read_text() for p in (ROOT / "server").glob("*.py"))
    assert {"PUBLIC_URL", "SECRET_KEY", "DATABASE_URL", "IMAP_USERNAME"} <= names
    assert sorted(n for n in names if f'"{n}"' not in read) == []


def test_the_settings_example_is_a_valid_configuration_once_filled_in(tmp_path) -> None:
    env = {k: v or "" for k, v in dotenv_values(DOCS / "onoffice-mail-link.env").items()}
    filled = {"SECRET_KEY": "s" * 40, "ONOFFICE_API_TOKEN": "t" * 32, "ONOFFICE_API_SECRET": "x" * 64,
              "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
              "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000"}
    settings = load_settings({**env, **filled}, tmp_path)
    assert not settings.demo and settings.imap_auth == "xoauth2"
    assert settings.database_url.startswith("postgresql+psycopg://")
