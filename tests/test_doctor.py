"""`flask doctor` and the other admin commands."""

import os
import subprocess
import sys
from pathlib import Path

from server import create_app
from tests.conftest import ANNA

ROOT = Path(__file__).resolve().parent.parent


def test_doctor_passes_against_the_sandbox(app):
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert "ok   onOffice credentials: accepted (API user aschmidt)" in result.output
    # The shared config points Entra at a closed port, so only the Entra checks may fail here;
    # tests/auth/test_doctor.py runs doctor against the HTTPS fake Entra and wants 0 failed.
    failed = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert failed and all(line.startswith("FAIL Entra") for line in failed), result.output


def test_doctor_names_the_fix_for_a_wrong_secret(config):
    app = create_app({**config, "ONOFFICE_API_SECRET": "e" * 64})
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL onOffice credentials: onOffice error 137" in result.output
    assert "fix: Check ONOFFICE_API_SECRET" in result.output
    assert "e" * 64 not in result.output


def test_doctor_warns_about_odd_credential_lengths(config):
    app = create_app({**config, "ONOFFICE_API_TOKEN": "short"})
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert "WARN onOffice token length: 5 characters" in result.output


def test_doctor_reports_unreachable_onoffice(config):
    from tests.test_onoffice_client import closed_port

    app = create_app({**config, "ONOFFICE_API_URL": f"http://127.0.0.1:{closed_port()}/x"})
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL onOffice credentials: not reachable" in result.output


def test_doctor_reports_a_malformed_identity_map_line(config, tmp_path):
    mapping = tmp_path / "map.txt"
    mapping.write_text("anna@x.de = anna@y.de\n")
    app = create_app({**config, "IDENTITY_MAP": str(mapping)})
    mapping.write_text("anna@x.de anna@y.de\n")  # broken after start-up
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert "FAIL identity map:" in result.output and "map.txt:1" in result.output


def test_sessions_revoke(app, client, auth):
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    result = app.test_cli_runner().invoke(args=["sessions", "revoke", ANNA.upper()])
    assert result.output.strip() == f"revoked 1 session(s) of {ANNA}"
    assert client.get("/api/v1/me", headers=auth).status_code == 401


def test_identities_check(config, tmp_path):
    mapping = tmp_path / "map.txt"
    mapping.write_text("# Kommentar\nanna@makler-demo.de = a.schmidt@my-onoffice.de  # Anna\n")
    app = create_app({**config, "IDENTITY_MAP": str(mapping), "IDENTITY_PATTERN": "{local}@my-onoffice.de",
                      "IMAP_USERNAME": "{identity}*{mailbox}"})
    out = app.test_cli_runner().invoke(args=["identities", "check", "Anna@Makler-Demo.de",
                                             "jonas@makler-demo.de"]).output
    assert (f"anna@makler-demo.de -> a.schmidt@my-onoffice.de  ({mapping} line 2; "
            "IMAP login a.schmidt@my-onoffice.de*anna@makler-demo.de)") in out
    assert ("jonas@makler-demo.de -> jonas@my-onoffice.de  (IDENTITY_PATTERN {local}@my-onoffice.de; "
            "IMAP login jonas@my-onoffice.de*jonas@makler-demo.de)") in out


def test_doctor_wants_https_for_outlook(config):
    app = create_app({**config, "PUBLIC_URL": "http://crm.makler-demo.test"})
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL public URL: http://crm.makler-demo.test is not https" in result.output
    assert "fix: Outlook loads add-ins only over https" in result.output


def test_doctor_output_is_one_line_per_check_without_log_noise(tmp_path):
    """On a terminal the request log used to interleave with the check lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONOFFICE", "ENTRA", "IMAP"))}
    env.update(FLASK_APP="server.wsgi", PYTHONPATH=str(ROOT),
               DATABASE_URL=f"sqlite:///{tmp_path / 'd.sqlite3'}")
    flask = Path(sys.executable).with_name("flask")
    proc = subprocess.run([str(flask), "doctor"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [line.split(":")[0] for line in proc.stdout.splitlines()][-1] == "8 passed, 0 failed"
    noise = [line for line in proc.stderr.splitlines() if "DEMO MODE" not in line]
    assert noise == []


def test_sessions_revoke_wants_an_address(app):
    result = app.test_cli_runner().invoke(args=["sessions", "revoke", "anna"])
    assert result.exit_code == 2 and "not a mailbox address" in result.output


def test_identities_check_shows_the_shared_mailbox_grants(config, tmp_path):
    grants = tmp_path / "shared.txt"
    grants.write_text("# Team\nVermietung@makler-demo.de = anna@makler-demo.de, *@filiale.de\n")
    app = create_app({**config, "SHARED_MAILBOXES": str(grants),
                      "IDENTITY_PATTERN": "{local}@my-onoffice.de"})
    result = app.test_cli_runner().invoke(args=["identities", "check", "anna@makler-demo.de"])
    out = result.output
    assert result.exit_code == 0, out
    assert "anna@makler-demo.de may act in: vermietung@makler-demo.de" in out
    assert ("shared vermietung@makler-demo.de (SHARED_MAILBOXES line 2): anna@makler-demo.de, "
            "*@filiale.de") in out
    assert "  vermietung@makler-demo.de -> vermietung@my-onoffice.de  (IDENTITY_PATTERN" in out
    # Without a mailbox argument only the grants are listed.
    alone = app.test_cli_runner().invoke(args=["identities", "check"])
    assert alone.exit_code == 0 and "shared vermietung@makler-demo.de" in alone.output
    assert "may act in" not in alone.output
