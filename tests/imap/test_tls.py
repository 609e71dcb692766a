"""IMAP_TLS=ssl and starttls against Dovecot with a throwaway CA; an untrusted server is refused."""

from __future__ import annotations

import ssl

import pytest

from server.locate import MailServerUnreachable
from server.locate.imap import ImapConfig
from server.tls import trust_context

from ..conftest import ANNA
from .conftest import Seeder, new_message_id
from .dovecot import MASTER_PASSWORD, MASTER_USER
from .test_api_imap import LINKS, imap_env, make_client


def tls_config(d, mode, context):  # type: ignore[no-untyped-def]
    port = d.tls_port if mode == "ssl" else d.port
    return ImapConfig("127.0.0.1", port, mode, "password", f"{{mailbox}}*{MASTER_USER}",
                      MASTER_PASSWORD, ssl_context=context, timeout=5)


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_lookup_over_tls(make_locator, dovecot_tls, ca_file, mode):
    mid = new_message_id(mode)
    _, uid, _ = Seeder(dovecot_tls).append("INBOX", mid)
    context = trust_context({"SSL_CERT_FILE": ca_file})
    assert make_locator(tls_config(dovecot_tls, mode, context)).locate(ANNA, mid).uid == uid


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_untrusted_certificate_is_unreachable_not_ignored(make_locator, dovecot_tls, mode):
    context = ssl.create_default_context()  # the system store does not know the test CA
    with pytest.raises(MailServerUnreachable) as err:
        make_locator(tls_config(dovecot_tls, mode, context)).locate(ANNA, new_message_id())
    assert "TLS failed" in err.value.message


def test_app_trusts_ssl_cert_file_for_imap(config, dovecot_tls, ca_file, sandbox):
    from .conftest import teach

    mid = new_message_id("app-tls")
    folder, uid, _ = Seeder(dovecot_tls).append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    env = {**imap_env(config, dovecot_tls.tls_port), "IMAP_TLS": "ssl", "SSL_CERT_FILE": ca_file}
    app, client, auth = make_client(env)
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 200 and r.json["uid"] == uid, r.json
    app.extensions["onoffice_mail_link"].locator.close()
