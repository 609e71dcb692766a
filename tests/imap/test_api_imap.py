"""End to end: the links API with the IMAP locator wired from IMAP_* settings, real Dovecot
and the sandbox onOffice over HTTP. The sandbox learns each seeded mail with the folder and
uid Dovecot reported (APPENDUID), exactly as onOffice would see the mailbox."""

from __future__ import annotations

import pytest

from server import create_app
from server.locate.imap import ImapLocator

from ..conftest import ANNA
from .conftest import UMLAUT, new_message_id, teach
from .dovecot import MASTER_PASSWORD, MASTER_USER, free_port

LINKS = "/api/v1/links"


def imap_env(config, port, password=MASTER_PASSWORD):  # type: ignore[no-untyped-def]
    return {**config, "IMAP_HOST": "127.0.0.1", "IMAP_PORT": str(port), "IMAP_TLS": "none",
            "IMAP_AUTH": "password", "IMAP_USERNAME": f"{{mailbox}}*{MASTER_USER}",
            "IMAP_PASSWORD": password}


def make_client(env):  # type: ignore[no-untyped-def]
    app = create_app(env)
    svc = app.extensions["onoffice_mail_link"]
    assert isinstance(svc.locator, ImapLocator)  # wired from IMAP_* by services.py
    token, _ = svc.sessions.issue("tid:oid-anna", ANNA, "Anna Schmidt", "session")
    return app, app.test_client(), {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(config, dovecot):  # type: ignore[no-untyped-def]
    app, client, auth = make_client(imap_env(config, dovecot.port))
    yield client, auth
    app.extensions["onoffice_mail_link"].locator.close()
    app.extensions["onoffice_mail_link"].onoffice.close()


def test_link_with_only_a_message_id_finds_the_umlaut_folder(api, seeder, sandbox):
    client, auth = api
    mid = new_message_id("e2e")
    folder, uid, _ = seeder.append(UMLAUT, mid)
    teach(sandbox, folder, uid, mid)
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 200, r.json
    assert (r.json["folder"], r.json["uid"]) == ("Kunden/M&APw-ller", uid)
    params = sandbox.received[-1]["parameters"]
    assert (params["folder"], params["uid"], params["messageid"]) == ("Kunden/M&APw-ller", uid, mid)
    assert sandbox.links[(ANNA, mid)]["addresses"] == [601]


def test_bare_message_id_gets_brackets_and_is_found(api, seeder, sandbox):
    client, auth = api
    mid = new_message_id("bare")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    r = client.post(LINKS, json={"messageId": mid.strip("<>"), "estateId": 2649}, headers=auth)
    assert r.status_code == 200, r.json
    assert (r.json["messageId"], r.json["uid"]) == (mid, uid)


def test_moved_mail_stale_cache_is_forgotten_and_found_again(api, seeder, sandbox):
    client, auth = api
    mid = new_message_id("moved")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    assert client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth).status_code == 200
    target, new_uid = seeder.move(folder, uid, UMLAUT, mid)  # the agent files the mail away
    teach(sandbox, target, new_uid, mid)
    sandbox.received.clear()
    r = client.post(LINKS, json={"messageId": mid, "addressId": 602}, headers=auth)
    assert r.status_code == 200, r.json
    assert (r.json["folder"], r.json["uid"]) == (target, new_uid)
    sent = [(a["parameters"]["folder"], a["parameters"]["uid"]) for a in sandbox.received]
    assert sent == [("INBOX", uid), (target, new_uid)]  # cached try refused (62), then the fresh one


def test_stale_client_location_falls_back_to_the_imap_lookup(api, seeder, sandbox):
    client, auth = api
    mid = new_message_id("client")
    folder, uid, _ = seeder.append(UMLAUT, mid)
    teach(sandbox, folder, uid, mid)
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601, "folder": "INBOX",
                                 "uid": 99999}, headers=auth)  # Thunderbird's view was out of date
    assert r.status_code == 200, r.json
    sent = [(a["parameters"]["folder"], a["parameters"]["uid"]) for a in sandbox.received]
    assert sent == [("INBOX", 99999), (folder, uid)]


def test_good_client_location_needs_no_lookup(api, sandbox, dovecot):
    client, auth = api
    before = dovecot.log.count("Login:")
    mid = "<20261118093412.4F2A1@mueller-partner.de>"  # INBOX uid 17 in the sandbox
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601, "folder": "INBOX", "uid": 17},
                    headers=auth)
    assert r.status_code == 200 and r.json["uid"] == 17
    assert dovecot.log.count("Login:") == before


def test_missing_mail_is_404_and_onoffice_is_not_called(api, sandbox):
    client, auth = api
    r = client.post(LINKS, json={"messageId": new_message_id("nowhere"), "addressId": 601},
                    headers=auth)
    assert r.status_code == 404, r.json
    err = r.json["error"]
    assert err["code"] == "message_not_found" and ANNA in err["message"]
    assert "onOffice reads" in err["message"] and err["details"]["mailbox"] == ANNA
    assert sandbox.received == []


def test_get_links_locates_too(api, seeder, sandbox):
    client, auth = api
    mid = new_message_id("get")
    folder, uid, _ = seeder.append("Sent", mid)
    teach(sandbox, folder, uid, mid)
    r = client.get(LINKS, query_string={"messageId": mid}, headers=auth)
    assert r.status_code == 200, r.json
    assert (r.json["folder"], r.json["uid"]) == ("Sent", uid)


HOSTILE = [
    "<a@b>\r\nA1 LOGOUT",
    "<a@b>\nA1 LOGOUT",
    "<a@b>\x00",
    '"',
    "md5:0123456789abcdef0123456789abcdef",
    "<" + "x" * 992 + "@b.de>",  # 999 characters, one over the limit
    "<a b@c>",
    "<a@b> <c@d>",
    "",
]


@pytest.mark.parametrize("mid", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_message_ids_are_refused_and_dovecot_keeps_serving(api, seeder, sandbox, mid):
    client, auth = api
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 422, r.json
    assert sandbox.received == []
    _dovecot_still_serves(client, auth, seeder, sandbox)


ODD = ['<a"b@c.de>', "<a\\b@c.de>", '<"quoted\\"local"@c.de>', "<a(b)%*{5}]@c.de>",
       "<" + "y" * 980 + "@long.example>"]


@pytest.mark.parametrize("mid", ODD, ids=range(len(ODD)))
def test_odd_but_valid_message_ids_reach_dovecot_quoted_and_are_found(api, seeder, sandbox, mid):
    client, auth = api
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 200, r.json
    assert r.json["uid"] == uid
    _dovecot_still_serves(client, auth, seeder, sandbox)


def _dovecot_still_serves(client, auth, seeder, sandbox):  # type: ignore[no-untyped-def]
    mid = new_message_id("after")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 200 and r.json["uid"] == uid, r.json


def test_mail_server_down_is_503_for_a_read_and_queues_a_link(config, sandbox):
    app, client, auth = make_client(imap_env(config, free_port()))
    mid = new_message_id()
    r = client.get(LINKS, query_string={"messageId": mid}, headers=auth)
    assert r.status_code == 503, r.json
    assert r.json["error"]["code"] == "mail_server_unreachable"
    # A click is kept and looked up once the mail server answers (issue 9).
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 202, r.json
    assert r.json["pending"]["lastError"] and (r.json["folder"], r.json["uid"]) == (None, None)
    app.extensions["onoffice_mail_link"].drainer.stop()
    assert sandbox.received == []


def test_wrong_imap_password_is_502_mail_server_refused(config, dovecot, sandbox):
    app, client, auth = make_client(imap_env(config, dovecot.port, password="nope-not-it"))
    r = client.post(LINKS, json={"messageId": new_message_id(), "addressId": 601}, headers=auth)
    assert r.status_code == 502, r.json
    err = r.json["error"]
    assert err["code"] == "mail_server_refused" and "127.0.0.1" in err["message"]
    assert "not something you did wrong" in err["message"] and "nope-not-it" not in r.get_data(True)
    assert sandbox.received == []


def xoauth2_env(config, port):  # type: ignore[no-untyped-def]
    return {**config, "IMAP_HOST": "127.0.0.1", "IMAP_PORT": str(port), "IMAP_TLS": "none",
            "IMAP_AUTH": "xoauth2"}


def test_xoauth2_uses_the_entra_app_token(config, dovecot, seeder, sandbox, minter, monkeypatch):
    """IMAP_AUTH=xoauth2 logs in with EntraClient's client-credentials token for IMAP_XOAUTH2_SCOPE."""
    from server.auth.msal_client import EntraClient

    scopes = []

    def app_token(self, scope):  # type: ignore[no-untyped-def]
        scopes.append(scope)
        return minter.mint(ANNA)  # Dovecot validates it against the minter's key

    monkeypatch.setattr(EntraClient, "app_token", app_token)
    mid = new_message_id("entra")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    app, client, auth = make_client(xoauth2_env(config, dovecot.port))
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601}, headers=auth)
    assert r.status_code == 200 and r.json["uid"] == uid, r.json
    assert scopes == ["https://outlook.office365.com/.default"]
    app.extensions["onoffice_mail_link"].locator.close()


def test_xoauth2_token_refused_by_entra_is_502(config, dovecot, sandbox, monkeypatch):
    from server.auth.errors import AuthError
    from server.auth.msal_client import EntraClient

    def refused(self, scope):  # type: ignore[no-untyped-def]
        raise AuthError("Microsoft refused: invalid_client (secret-ish detail)", "app_token_refused")

    monkeypatch.setattr(EntraClient, "app_token", refused)
    app, client, auth = make_client(xoauth2_env(config, dovecot.port))
    r = client.post(LINKS, json={"messageId": new_message_id(), "addressId": 601}, headers=auth)
    assert r.status_code == 502 and r.json["error"]["code"] == "mail_server_refused", r.json
    assert "secret-ish" not in r.get_data(True)
    assert sandbox.received == []


HOSTILE_FOLDERS = ['INBOX" A1 LOGOUT', "INBOX\\", "Entwürfe", "{5}", "INBOX\t", "*", "%", "a" * 1000]


@pytest.mark.parametrize("hint", HOSTILE_FOLDERS, ids=range(len(HOSTILE_FOLDERS)))
def test_hostile_folder_hints_stay_one_quoted_argument(api, seeder, sandbox, hint):
    """The folder hint reaches EXAMINE quoted; a name the server cannot hold is just no hit,
    and the lookup goes on to INBOX (never a 500, never a second command)."""
    client, auth = api
    mid = new_message_id("hint")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    r = client.post(LINKS, json={"messageId": mid, "addressId": 601, "folder": hint}, headers=auth)
    assert r.status_code == 200 and (r.json["folder"], r.json["uid"]) == ("INBOX", uid), r.json
    _dovecot_still_serves(client, auth, seeder, sandbox)


def test_adding_a_contact_to_a_moved_mail_reads_and_writes_where_it_is_now(api, seeder, sandbox):
    client, auth = api
    mid = new_message_id("moved-add")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    assert client.post(LINKS, json={"messageId": mid, "addAddressIds": [601]},
                       headers=auth).status_code == 200
    target, new_uid = seeder.move(folder, uid, UMLAUT, mid)
    teach(sandbox, target, new_uid, mid)
    sandbox.received.clear()
    r = client.post(LINKS, json={"messageId": mid, "addAddressIds": [602]}, headers=auth)
    assert r.status_code == 200, r.json
    sent = [(a["resourcetype"], a["parameters"]["folder"], int(a["parameters"]["uid"]))
            for a in sandbox.received]
    # The cached location is refused (62) on the read; read and write then go to the fresh one.
    assert sent == [("emailInfo", "INBOX", uid), ("emailInfo", target, new_uid),
                    ("emailassignments", target, new_uid)]
    assert sandbox.received[-1]["parameters"]["addressIds"] == [601, 602]
