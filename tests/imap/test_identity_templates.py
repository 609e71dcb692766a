"""A brokerage whose onOffice identity differs from the mailbox: ``anna.schmidt@makler-demo.de =
a.schmidt@my-onoffice.de``. For both IMAP_USERNAME templates and both IMAP_AUTH kinds, a link
through the API logs in to real Dovecot under the rendered login, reads the UID from that store,
and onOffice (the sandbox, over HTTP) is told the identity.

``{mailbox}…`` reads the user's own mailbox; ``{identity}…`` is for mail servers that name the
store after the identity. The other store holds a decoy of the same mail in Sent, so reading the
wrong one would answer another folder and UID.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from server.auth.msal_client import EntraClient

from ..conftest import ANNA
from .conftest import Seeder, new_message_id, teach
from .dovecot import MASTER_PASSWORD, MASTER_USER
from .test_api_imap import LINKS, make_client

IDENTITY = "a.schmidt@my-onoffice.de"


@dataclass(frozen=True)
class Case:
    auth: str  # IMAP_AUTH
    template: str  # IMAP_USERNAME
    store: str  # the Dovecot user whose mail the rendered login opens

    @property
    def login(self) -> str:
        return self.template.replace("{mailbox}", ANNA).replace("{identity}", IDENTITY)

    @property
    def other_store(self) -> str:
        return IDENTITY if self.store == ANNA else ANNA


CASES = [
    Case("password", f"{{mailbox}}*{MASTER_USER}", ANNA),
    Case("password", f"{{identity}}*{MASTER_USER}", IDENTITY),
    Case("xoauth2", "{mailbox}", ANNA),
    Case("xoauth2", "{identity}", IDENTITY),
]
IDS = [f"{c.auth}-{c.template.split('}')[0].strip('{')}" for c in CASES]


@pytest.fixture
def mapped(config, dovecot, tmp_path, sandbox):  # type: ignore[no-untyped-def]
    """Environment for one case: the identity map, and onOffice reading Anna's mail under IDENTITY."""
    mapping = tmp_path / "identities.txt"
    mapping.write_text(f"{ANNA} = {IDENTITY}\n", encoding="utf-8")
    sandbox.identities[IDENTITY] = ANNA

    def env(case: Case, **extra: str) -> dict[str, str]:
        return {**config, "IDENTITY_MAP": str(mapping), "IDENTITY_PATTERN": "", "IMAP_HOST": "127.0.0.1",
                "IMAP_PORT": str(dovecot.port), "IMAP_TLS": "none", "IMAP_AUTH": case.auth,
                "IMAP_USERNAME": case.template, "IMAP_PASSWORD": MASTER_PASSWORD, **extra}

    return env


def app_token_for(monkeypatch, minter, user: str) -> None:  # type: ignore[no-untyped-def]
    """The app token Dovecot accepts only with ``user=<user>`` in the XOAUTH2 string (Exchange
    instead checks the app's permission on the mailbox named there)."""
    monkeypatch.setattr(EntraClient, "app_token", lambda self, scope: minter.mint(user))


def _logins(dovecot, user: str, method: str, *, at_least: int = 0) -> int:  # type: ignore[no-untyped-def]
    """Dovecot's logins as ``user``; its log process writes a moment later, so wait for ``at_least``."""
    deadline = time.monotonic() + 5
    while True:
        count = dovecot.log.count(f"Login: user=<{user}>, method={method}")
        if count >= at_least or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_link_lands_with_the_identity_and_the_uid_from_the_logins_store(
        case, mapped, dovecot, sandbox, minter, monkeypatch):  # type: ignore[no-untyped-def]
    mid = new_message_id("mapped")
    folder, uid, _ = Seeder(dovecot, case.store).append("INBOX", mid)
    Seeder(dovecot, case.other_store).append("Sent", mid)  # the decoy
    teach(sandbox, folder, uid, mid)  # onOffice knows the mail where the login's store has it
    if case.auth == "xoauth2":
        app_token_for(monkeypatch, minter, case.login)
    method = "XOAUTH2" if case.auth == "xoauth2" else "PLAIN"
    before = _logins(dovecot, case.store, method)
    app, client, auth = make_client(mapped(case))
    try:
        r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    finally:
        app.extensions["onoffice_mail_link"].locator.close()
    assert r.status_code == 200, r.json
    assert (r.json["identity"], r.json["folder"], r.json["uid"]) == (IDENTITY, "INBOX", uid)
    sent = [a["parameters"] for a in sandbox.received if a.get("resourcetype") == "emailassignments"]
    assert [(p["emailidentity"], p["folder"], p["uid"], p["messageid"]) for p in sent] == [
        (IDENTITY, "INBOX", uid, mid)]
    assert sandbox.links[(ANNA, mid)]["addresses"] == [601]
    # Dovecot saw a login into that store (other tests' lines may still arrive: at least one).
    assert _logins(dovecot, case.store, method, at_least=before + 1) > before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_refused_login_names_the_login_and_the_identity_apart(
        case, mapped, dovecot, sandbox, minter, monkeypatch):  # type: ignore[no-untyped-def]
    if case.auth == "xoauth2":
        app_token_for(monkeypatch, minter, "someone.else@makler-demo.de")  # user= will not match
    app, client, auth = make_client(mapped(case, IMAP_PASSWORD="not-the-master-pw-4711"))
    try:
        r = client.post(LINKS, json={"messageId": new_message_id(), "addressId": 601}, headers=auth)
    finally:
        app.extensions["onoffice_mail_link"].locator.close()
    assert r.status_code == 502, r.json
    err = r.json["error"]
    assert err["code"] == "mail_server_refused" and err["details"]["mailbox"] == ANNA
    assert f"refused the IMAP login {case.login} (mailbox {ANNA}, onOffice identity {IDENTITY})" in (
        err["message"])
    assert "not-the-master-pw-4711" not in r.get_data(True)
    assert sandbox.received == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_identities_check_prints_the_rendered_login(case, mapped) -> None:  # type: ignore[no-untyped-def]
    from server import create_app

    app = create_app(mapped(case))
    out = app.test_cli_runner().invoke(args=["identities", "check", ANNA.upper()])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"{ANNA} -> {IDENTITY}  (")
    assert out.output.rstrip().endswith(f"; IMAP login {case.login})")
