"""`flask doctor` reports on the IMAP server: reachable, login for a mailbox, its folders."""

from __future__ import annotations

from server import create_app

from ..conftest import ANNA
from .conftest import UMLAUT
from .dovecot import free_port
from .test_api_imap import imap_env


def doctor(env, *args):  # type: ignore[no-untyped-def]
    app = create_app({**env, "PUBLIC_URL": "https://mail-link.example"})
    with app.app_context():  # the `flask` command pushes one; the bare test runner does not
        result = app.test_cli_runner().invoke(args=["doctor", *args])
    app.extensions["onoffice_mail_link"].locator.close()
    app.extensions["onoffice_mail_link"].onoffice.close()
    return result


def test_doctor_logs_in_and_lists_folders(config, dovecot, seeder):
    seeder.folder(UMLAUT)
    result = doctor(imap_env(config, dovecot.port), "--mailbox", ANNA)
    assert "FAIL IMAP" not in result.output, result.output  # Entra checks fail here: no IdP
    assert "ok   IMAP reachable: 127.0.0.1" in result.output and "Dovecot" in result.output
    assert f"ok   IMAP login: logged in for {ANNA} as {ANNA}*" in result.output
    assert "Kunden/Müller (Kunden/M&APw-ller)" in result.output and "\\Sent = Sent" in result.output


def test_doctor_takes_the_mailbox_from_the_environment(config, dovecot, monkeypatch):
    monkeypatch.setenv("DOCTOR_MAILBOX", ANNA)
    assert "IMAP login: logged in" in doctor(imap_env(config, dovecot.port)).output


def test_doctor_without_mailbox_warns(config, dovecot):
    result = doctor(imap_env(config, dovecot.port))
    assert "WARN IMAP login: not tried" in result.output, result.output
    assert "FAIL IMAP" not in result.output


def test_doctor_reports_refused_login(config, dovecot):
    result = doctor(imap_env(config, dovecot.port, password="bad-pw-123"), "--mailbox", ANNA)
    assert result.exit_code == 1
    assert "FAIL IMAP login" in result.output and "IMAP_USERNAME" in result.output
    assert "bad-pw-123" not in result.output


def test_doctor_reports_unreachable_server(config):
    result = doctor(imap_env(config, free_port()), "--mailbox", ANNA)
    assert result.exit_code == 1 and "FAIL IMAP reachable" in result.output
