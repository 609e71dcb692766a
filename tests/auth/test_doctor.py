"""`flask doctor` checks Entra: discovery reachable, client credentials accepted, IMAP permission."""

from __future__ import annotations

from server import create_app

from .conftest import CLIENT_SECRET


def _doctor(app):
    return app.test_cli_runner().invoke(args=["doctor"])


def test_doctor_passes_against_the_fake_entra(app, entra):
    result = _doctor(app)
    assert result.exit_code == 0, result.output
    assert f"ok   Entra discovery: reachable; issuer {entra.issuer}" in result.output
    assert "ok   Entra client credentials: accepted: app token for api://" in result.output
    assert result.output.strip().splitlines()[-1].endswith(" passed, 0 failed")
    assert entra.requests.count("grant:client_credentials") == 1


def test_doctor_names_the_fix_for_a_wrong_client_secret(config, entra):
    app = create_app({**config, "ENTRA_CLIENT_SECRET": "wrong-secret-value"})
    result = _doctor(app)
    assert result.exit_code == 1
    assert "FAIL Entra client credentials:" in result.output and "invalid_client" in result.output
    assert "fix: ENTRA_CLIENT_SECRET wrong or expired?" in result.output
    assert "wrong-secret-value" not in result.output and CLIENT_SECRET not in result.output


def test_doctor_reports_a_wrong_tenant(config, entra):
    app = create_app({**config, "ENTRA_TENANT_ID": "99999999-2222-3333-4444-555555555555"})
    result = _doctor(app)
    assert "FAIL Entra discovery: https://127.0.0.1:" in result.output
    assert "fix: check ENTRA_TENANT_ID" in result.output


def test_doctor_reports_an_untrusted_certificate(config, entra):
    app = create_app({k: v for k, v in config.items() if k != "SSL_CERT_FILE"})
    result = _doctor(app)
    assert "FAIL Entra discovery:" in result.output and "(SSLError)" in result.output
    assert "FAIL Entra client credentials: Entra not reachable" in result.output


def test_doctor_checks_the_imap_app_permission(config, entra):
    imap = {**config, "IMAP_HOST": "127.0.0.1", "IMAP_AUTH": "xoauth2"}
    result = _doctor(create_app(imap))
    assert "ok   Entra client credentials: accepted: app token for https://outlook.office365.com/.default" \
        in result.output
    assert "IMAP app permission" not in result.output
    entra.app_claims = {"roles": []}
    result = _doctor(create_app(imap))
    assert "FAIL IMAP app permission: the IMAP token lacks IMAP.AccessAsApp" in result.output


def test_doctor_in_demo_mode_without_entra(demo_app):
    result = _doctor(demo_app)
    assert "ok   Entra ID: not configured: demo sign-in only" in result.output
