"""The whole XOAUTH2 chain: the app's EntraClient (msal) gets a client-credentials token from the
fake Entra over HTTPS, logs in to Dovecot with it, and Dovecot validates the JWT itself
against the fake's public key (local_validation_key_dict, no call back to the IdP)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.entra import FakeEntra

from ..conftest import ANNA
from ..servers import require_binary
from .conftest import Seeder, new_message_id, teach
from .dovecot import Dovecot, make_dovecot
from .test_api_imap import LINKS, make_client

TENANT = "11111111-2222-3333-4444-555555555555"  # as in tests/conftest.py's config
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
CLIENT_SECRET = "client-secret-for-tests"


@pytest.fixture(scope="module")
def entra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeEntra]:
    with FakeEntra(TENANT, CLIENT_ID, CLIENT_SECRET, workdir=tmp_path_factory.mktemp("entra")) as fake:
        # Exchange takes the mailbox from user= and checks the app's mailbox permission;
        # Dovecot instead needs the mailbox in a claim, so the app token carries it here.
        fake.app_claims = {"roles": ["IMAP.AccessAsApp"], "email": ANNA}
        yield fake


@pytest.fixture(scope="module")
def dovecot_entra(entra: FakeEntra) -> Iterator[Dovecot]:
    require_binary("dovecot", "apt-get install dovecot-imapd")
    d = make_dovecot("/", azp=CLIENT_ID, kid=entra.active_kid, public_pem=entra.public_pem(),
                     issuer=entra.issuer)
    try:
        d.start()
        yield d
    finally:
        d.cleanup()


def env(config, entra, dovecot):  # type: ignore[no-untyped-def]
    return {**config, "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem,
            "IMAP_HOST": "127.0.0.1", "IMAP_PORT": str(dovecot.port), "IMAP_TLS": "none",
            "IMAP_AUTH": "xoauth2", "IMAP_XOAUTH2_SCOPE": "https://outlook.office365.com/.default"}


def test_link_with_an_entra_app_token_that_dovecot_validates(config, entra, dovecot_entra, sandbox):
    mid = new_message_id("entra")
    folder, uid, _ = Seeder(dovecot_entra).append("Kunden/M&APw-ller", mid)
    teach(sandbox, folder, uid, mid)
    app, client, auth = make_client(env(config, entra, dovecot_entra))
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 200, r.json
    assert (r.json["folder"], r.json["uid"]) == ("Kunden/M&APw-ller", uid)
    assert "grant:client_credentials" in entra.requests
    app.extensions["onoffice_mail_link"].locator.close()


def test_token_signed_with_an_unknown_key_is_refused_by_dovecot(config, entra, dovecot_entra, sandbox):
    # Dovecot (module-scoped) trusts only the key it started with; the fake must sign with that
    # key again afterwards, or every later test here fails (reset() would make yet another key).
    saved = dict(entra.keys), entra.active_kid
    entra.rotate(keep_old=False)  # Dovecot's key directory still holds only the old key
    try:
        app, client, auth = make_client(env(config, entra, dovecot_entra))
        r = client.post(LINKS, json={"messageId": new_message_id(), "addressId": 601}, headers=auth)
        assert r.status_code == 502 and r.json["error"]["code"] == "mail_server_refused", r.json
        assert "Bad signature" in dovecot_entra.log or "oauth2 failed" in dovecot_entra.log
        assert sandbox.received == []
        app.extensions["onoffice_mail_link"].locator.close()
    finally:
        entra.keys, entra.active_kid = saved
