"""A shared mailbox on real Dovecot, reached through the master user like any other mailbox."""

from __future__ import annotations

import pytest

from server import create_app
from server.sandbox.data import SHARED_MAILBOX, Mail

from ..conftest import ANNA
from .conftest import Seeder, new_message_id
from .test_api_imap import imap_env
from .test_doctor_imap import doctor

LINKS = "/api/v1/links"


@pytest.fixture
def grants(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "shared.txt"
    path.write_text(f"{SHARED_MAILBOX} = {ANNA}\n")
    return str(path)


@pytest.fixture
def shared_seeder(dovecot) -> Seeder:  # type: ignore[no-untyped-def]
    return Seeder(dovecot, mailbox=SHARED_MAILBOX)


def test_a_granted_user_links_a_mail_found_in_the_shared_mailbox(config, dovecot, grants, seeder,
                                                                   shared_seeder, sandbox):
    mid = new_message_id("shared")
    seeder.append("INBOX", new_message_id("padding"))  # Anna's own INBOX differs
    folder, uid, _ = shared_seeder.append("INBOX", mid)
    sandbox.mails.append(Mail(SHARED_MAILBOX, folder, uid, mid, "Anfrage",
                              ("Sabine Krämer", "sabine.kraemer@web.de"), (), "2026-11-23"))
    app = create_app({**imap_env(config, dovecot.port), "SHARED_MAILBOXES": grants})
    svc = app.extensions["onoffice_mail_link"]
    token, _ = svc.sessions.issue("tid:oid-anna", ANNA, "Anna Schmidt", "session")
    auth = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    try:
        own = client.post(LINKS, json={"messageId": mid, "addAddressIds": [602]}, headers=auth)
        assert own.status_code == 404  # not in Anna's own mailbox
        r = client.post(LINKS, json={"messageId": mid, "mailbox": SHARED_MAILBOX,
                                     "addAddressIds": [602]}, headers=auth)
        assert r.status_code == 200, r.json
        assert (r.json["folder"], r.json["uid"], r.json["identity"]) == (
            folder, uid, SHARED_MAILBOX)
        write = sandbox.received[-1]["parameters"]
        assert (write["emailidentity"], write["uid"], write["addressIds"]) == (
            SHARED_MAILBOX, uid, [602])
    finally:
        svc.locator.close()
        svc.onoffice.close()


def test_doctor_logs_in_to_the_shared_mailbox_granted_to_the_doctor_mailbox(config, dovecot, grants,
                                                                               shared_seeder):
    shared_seeder.folder("INBOX")
    result = doctor({**imap_env(config, dovecot.port), "SHARED_MAILBOXES": grants}, "--mailbox", ANNA)
    assert f"ok   IMAP login (shared {SHARED_MAILBOX}): logged in for {SHARED_MAILBOX} as " \
           f"{SHARED_MAILBOX}*" in result.output, result.output
    named = doctor({**imap_env(config, dovecot.port), "SHARED_MAILBOXES": grants},
                   "--mailbox", SHARED_MAILBOX)
    assert f"ok   IMAP login: logged in for {SHARED_MAILBOX}" in named.output, named.output
    assert f"ok   Shared mailbox: {SHARED_MAILBOX} is shared (SHARED_MAILBOXES line 1: {ANNA})" \
        in named.output
