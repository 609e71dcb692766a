"""POST/GET /api/v1/links against the sandbox onOffice over HTTP, good and bad input."""

import json
import time

import pytest

from tests.conftest import ANNA, MID

LINKS = "/api/v1/links"


def link(client, auth, **body):
    return client.post(LINKS, json={"messageId": MID, **body}, headers=auth)


def test_link_address_and_estate_then_unlink(client, auth, sandbox):
    r = link(client, auth, addressId=601, estateId=2649)
    assert r.status_code == 200
    assert r.json == {"messageId": MID, "folder": "INBOX", "uid": 17, "identity": ANNA,
                      "mailbox": ANNA, "addressId": 601, "estateId": 2649}
    sent = sandbox.received[-1]
    assert sent["resourcetype"] == "emailassignments"
    assert sent["parameters"] == {"emailidentity": ANNA, "folder": "INBOX", "messageid": MID,
                                  "uid": 17, "addressid": 601, "estateid": 2649}

    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    assert [a["id"] for a in view["addresses"]] == [601]
    assert view["addresses"][0]["title"] == "Jürgen Müller"
    assert view["addresses"][0]["linkedBy"] == ANNA
    assert view["estates"][0]["id"] == 2649
    assert view["history"][0]["outcome"] == "ok"

    assert link(client, auth, addressId=0, estateId=0).status_code == 200
    view = client.get(LINKS, query_string={"messageId": MID}, headers=auth).json
    assert view["addresses"] == [] and view["estates"] == []
    assert [h["action"] for h in view["history"]] == ["unlink", "link"]


def test_bare_message_id_gets_its_brackets(client, auth):
    r = client.post(LINKS, json={"messageId": MID.strip("<>"), "estateId": 2649}, headers=auth)
    assert r.status_code == 200 and r.json["messageId"] == MID


def test_neither_address_nor_estate_is_refused_before_onoffice(client, auth, sandbox):
    r = link(client, auth)
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation_failed"
    assert sandbox.received == []


@pytest.mark.parametrize(("body", "field"), [
    ({"addressId": "601"}, "addressId"),
    ({"addressId": 601.0}, "addressId"),
    ({"addressId": 1.5}, "addressId"),
    ({"addressId": True}, "addressId"),
    ({"addressId": -1}, "addressId"),
    ({"estateId": 2**31}, "estateId"),
    ({"estateId": 10**30}, "estateId"),
    ({"addressId": 601, "identity": "boss@makler-demo.de"}, "identity"),
    ({"addressId": 601, "emailidentity": "boss@makler-demo.de"}, "emailidentity"),
    ({"addressId": 601, "uid": "17", "folder": "INBOX"}, "uid"),
    ({"addressId": 601, "uid": 0, "folder": "INBOX"}, "uid"),
    ({"addressId": 601, "folder": "INBOX\r\nA1 LOGOUT", "uid": 3}, "folder"),
    ({"addressId": 601, "uid": 17}, "uid"),
])
def test_bad_values_are_422_and_nothing_is_sent(client, auth, sandbox, body, field):
    r = link(client, auth, **body)
    assert r.status_code == 422, r.json
    assert field in r.json["error"]["details"]
    assert sandbox.received == []


@pytest.mark.parametrize("message_id", [
    "<abc@example.test>\r\nBcc: victim@example.test",
    "<abc@example.test>\nA1 LOGOUT",
    "<abc\x00@example.test>",
    "<" + "a" * 990 + "@example.test>",
    "md5:3f2a9c",
    "no-at-sign",
    '<a"b@example.test>  <c@d>',
    "",
    "<>",
])
def test_hostile_message_ids(client, auth, sandbox, message_id):
    r = client.post(LINKS, json={"messageId": message_id, "addressId": 601}, headers=auth)
    assert r.status_code == 422
    assert "messageId" in r.json["error"]["details"]
    assert sandbox.received == []


def test_md5_id_says_the_mail_has_no_message_id(client, auth):
    r = client.post(LINKS, json={"messageId": "md5:abc", "addressId": 601}, headers=auth)
    assert "no Message-ID" in r.json["error"]["details"]["messageId"][0]


def test_missing_message_id(client, auth):
    r = client.post(LINKS, json={"addressId": 601}, headers=auth)
    assert r.status_code == 422 and "messageId" in r.json["error"]["details"]


@pytest.mark.parametrize("data", ["not json", "[1, 2]", '"text"', "{", "\xff\xfe"])
def test_non_json_bodies_are_400(client, auth, data):
    r = client.post(LINKS, data=data, headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json["error"]["code"] == "bad_request"


def test_oversized_body_is_413(client, auth, sandbox):
    body = json.dumps({"messageId": MID, "addressId": 601, "pad": "x" * 100_000})
    r = client.post(LINKS, data=body, headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json["error"]["code"] == "request_entity_too_large"
    assert sandbox.received == []


def test_unknown_record_is_reported_with_onoffice_code(client, auth):
    r = link(client, auth, addressId=999999)
    assert r.status_code == 422
    assert r.json["error"]["code"] == "record_not_found"
    assert r.json["error"]["details"]["onofficeCode"] == 292


def test_onoffice_refusing_is_502_with_its_code(app, client, auth, sandbox):
    sandbox._secret = "0" * 64  # the API user's secret was rotated in onOffice
    r = link(client, auth, addressId=601)
    assert r.status_code == 502
    assert r.json["error"]["code"] == "onoffice_refused"
    assert r.json["error"]["details"]["onofficeCode"] == 137
    # The pane words the refusal from this, in the user's language, without a "Try again".
    assert r.json["error"]["details"]["reason"] == "credentials"
    history = app.extensions["onoffice_mail_link"].audit.history(ANNA, MID)
    assert history[0].outcome == "refused" and history[0].onoffice_code == 137


def test_onoffice_unreachable_is_503(app, config, auth):
    from server import create_app
    from tests.test_onoffice_client import closed_port

    broken = create_app({**config, "ONOFFICE_API_URL": f"http://127.0.0.1:{closed_port()}/api.php"})
    svc = broken.extensions["onoffice_mail_link"]
    token, _ = svc.sessions.issue("u", ANNA, "Anna", "session")
    r = broken.test_client().get("/api/v1/search", query_string={"kind": "address", "q": "Mü"},
                                 headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 503
    assert r.json["error"]["code"] == "onoffice_unreachable"


def test_onoffice_too_slow_queues_a_link_and_a_read_is_504_within_one_deadline(
        client, auth, sandbox):
    sandbox.latency = 3  # the app's read timeout is 2 s in tests
    r = link(client, auth, addressId=601)
    assert r.status_code == 202, r.json
    assert r.json["status"] == "queued" and r.json["pending"]["lastError"]
    sandbox.received.clear()
    started = time.monotonic()
    r = client.get("/api/v1/search", query_string={"kind": "address", "q": "Mü"}, headers=auth)
    assert r.status_code == 504
    assert r.json["error"]["code"] == "onoffice_timeout"
    # One deadline for all attempts: no second try once the first used up the read timeout.
    assert [a["resourcetype"] for a in sandbox.received].count("search") == 1
    assert time.monotonic() - started < 2 * 2


def test_client_supplied_location_is_used(client, auth, sandbox):
    r = link(client, auth, addressId=601, folder="INBOX", uid=17)
    assert r.status_code == 200 and r.json["uid"] == 17
    assert sandbox.received[-1]["parameters"]["uid"] == 17


def test_stale_client_location_falls_back_to_lookup(client, auth, sandbox):
    r = link(client, auth, addressId=601, folder="INBOX", uid=18)  # uid of another mail
    assert r.status_code == 200
    assert r.json["uid"] == 17
    assert [a["parameters"]["uid"] for a in sandbox.received] == [18, 17]


def test_mail_onoffice_does_not_know_is_404(client, auth, sandbox):
    r = client.post(LINKS, json={"messageId": "<unknown@example.test>", "addressId": 601},
                    headers=auth)
    assert r.status_code == 404
    assert r.json["error"]["code"] == "message_not_found"
    assert ANNA in r.json["error"]["message"]
    assert sandbox.received == []


def test_unmapped_mailbox_is_403(app, config):
    from server import create_app

    strict = create_app({**config, "IDENTITY_PATTERN": ""})
    token, _ = strict.extensions["onoffice_mail_link"].sessions.issue("u", ANNA, "Anna", "session")
    r = strict.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json["error"]["code"] == "identity_not_mapped"
    assert "identity map" in r.json["error"]["message"]


def test_identity_map_file_wins_over_pattern(config, tmp_path):
    from server import create_app

    mapping = tmp_path / "identities.txt"
    mapping.write_text("# mailbox = identity\nAnna.Schmidt@Makler-Demo.de = jonas.weber@makler-demo.de\n")
    app = create_app({**config, "IDENTITY_MAP": str(mapping)})
    token, _ = app.extensions["onoffice_mail_link"].sessions.issue("u", ANNA, "Anna", "session")
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json
    assert me["identity"] == "jonas.weber@makler-demo.de"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "Bearer a b", "Bearer garbage",
                                    "Bearer oml.garbage"])
def test_requests_without_a_valid_token_are_401(client, header):
    headers = {"Authorization": header} if header is not None else {}
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401
    assert r.json["error"]["code"] == "unauthorized"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_session_is_401(app, client, auth):
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    app.extensions["onoffice_mail_link"].session_store.revoke_mailbox(ANNA)
    r = client.get("/api/v1/me", headers=auth)
    assert r.status_code == 401 and "ended by an administrator" in r.json["error"]["message"]


def test_unknown_route_and_method_use_the_json_shape(client, auth):
    assert client.get("/api/v1/nope", headers=auth).json["error"]["code"] == "not_found"
    r = client.delete(LINKS, headers=auth)
    assert r.status_code == 405 and r.json["error"]["code"] == "method_not_allowed"


def test_folder_alone_is_a_hint(client, auth, sandbox):
    r = link(client, auth, addressId=601, folder="Kunden/M&APw-ller")
    assert r.status_code == 200 and (r.json["folder"], r.json["uid"]) == ("INBOX", 17)
