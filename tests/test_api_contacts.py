"""POST /api/v1/addresses and GET /api/v1/recent against the sandbox onOffice over a socket."""

import pytest
from sqlalchemy import select

from server.store.models import AuditRow
from tests.conftest import ANNA, MID

CREATE = "urn:onoffice-de-ns:smart:2.5:smartml:action:create"
NEW = {"email": "lena.brandt@example.de", "firstName": "Lena", "lastName": "Brandt",
       "title": "Dr.", "salutation": "Frau", "company": "Brandt Consulting", "phone": "+49 221 123"}


def audit_rows(app):
    with app.extensions["onoffice_mail_link"].db.session() as s:
        return list(s.scalars(select(AuditRow).order_by(AuditRow.id)))


def test_create_sends_onoffice_fields_and_answers_a_record(client, auth, sandbox, app):
    r = client.post("/api/v1/addresses", headers=auth, json=NEW)
    assert r.status_code == 201
    rec = r.get_json()
    assert rec["kind"] == "address" and rec["title"] == "Lena Brandt"
    assert rec["email"] == "lena.brandt@example.de" and "Brandt Consulting" in rec["subtitle"]
    sent = [a for a in sandbox.received if a["actionid"] == CREATE]
    assert len(sent) == 1
    assert sent[0]["parameters"] == {"Anrede": "Frau", "Titel": "Dr.", "Vorname": "Lena",
                                     "Name": "Brandt", "Zusatz1": "Brandt Consulting",
                                     "email": "lena.brandt@example.de", "phone": "+49 221 123"}
    created = sandbox.addresses[rec["id"]]
    assert (created.salutation, created.title, created.emails) == ("Frau", "Dr.",
                                                                   ("lena.brandt@example.de",))
    row = audit_rows(app)[-1]
    assert (row.action, row.outcome, row.address_id, row.mailbox) == (
        "create_address", "ok", rec["id"], ANNA)
    # The new contact can be linked at once, as the pane does in the same click.
    link = client.post("/api/v1/links", headers=auth, json={"messageId": MID, "addressId": rec["id"]})
    assert link.status_code == 200


def test_bare_email_is_enough(client, auth, sandbox):
    r = client.post("/api/v1/addresses", headers=auth, json={"email": "neu@example.de"})
    assert r.status_code == 201 and r.get_json()["title"] == f"#{r.get_json()['id']}"
    sent = [a for a in sandbox.received if a["actionid"] == CREATE][0]["parameters"]
    assert sent == {"email": "neu@example.de"}


def test_existing_email_in_any_contact_field_is_409(client, auth, sandbox):
    # 601's second address, not its main one: the lookup reads every e-mail of every contact.
    r = client.post("/api/v1/addresses", headers=auth, json={"email": "Juergen.Mueller@gmx.de"})
    assert r.status_code == 409
    err = r.get_json()["error"]
    assert err["code"] == "address_exists" and err["details"]["addressIds"] == [601]
    assert not [a for a in sandbox.received if a["actionid"] == CREATE]
    assert not any("checkDuplicate" in a["parameters"] for a in sandbox.received)


@pytest.mark.parametrize(("body", "field"), [
    ({}, "email"),
    ({"email": "not-an-address"}, "email"),
    ({"email": "a@example.de", "lastName": "x" * 101}, "lastName"),
    ({"email": "a@example.de", "company": "y" * 101}, "company"),
    ({"email": "a@example.de", "firstName": "Lena\nBcc: x"}, "firstName"),
    ({"email": "a@example.de", "phone": "call me"}, "phone"),
    ({"email": "a@example.de", "Vorname": "Lena"}, "Vorname"),
    ({"email": "a@example.de", "checkDuplicate": True}, "checkDuplicate"),
    ({"email": ["a@example.de"]}, "email"),
])
def test_bad_input_is_422_and_nothing_is_sent(client, auth, sandbox, body, field):
    r = client.post("/api/v1/addresses", headers=auth, json=body)
    assert r.status_code == 422
    assert field in r.get_json()["error"]["details"]
    assert sandbox.received == []


def test_hundred_characters_are_fine(client, auth):
    r = client.post("/api/v1/addresses", headers=auth,
                    json={"email": "lang@example.de", "lastName": "ß" * 100})
    assert r.status_code == 201


def test_missing_write_right_is_502_naming_the_right(client, auth, sandbox, app):
    sandbox.address_write_right = False
    r = client.post("/api/v1/addresses", headers=auth, json=NEW)
    assert r.status_code == 502
    err = r.get_json()["error"]
    assert err["details"]["onofficeCode"] == 261
    assert "write addresses" in err["message"] and "onOffice enterprise" in err["message"]
    row = audit_rows(app)[-1]
    assert (row.action, row.outcome, row.onoffice_code) == ("create_address", "refused", 261)


def test_create_needs_a_token(client):
    assert client.post("/api/v1/addresses", json=NEW).status_code == 401


# -- recent -------------------------------------------------------------------------


def link(client, auth, **ids):
    r = client.post("/api/v1/links", headers=auth, json={"messageId": MID, **ids})
    assert r.status_code == 200, r.get_json()


def test_recent_is_newest_first_unique_and_fresh(client, auth, sandbox):
    assert client.get("/api/v1/recent", headers=auth).get_json() == {"addresses": [], "estates": []}
    for address, estate in ((601, 2649), (602, 2650), (601, 2651)):
        link(client, auth, addressId=address, estateId=estate)
    link(client, auth, addressId=0)  # an unlink is not a record someone linked
    sandbox.received.clear()
    data = client.get("/api/v1/recent", headers=auth).get_json()
    assert [a["id"] for a in data["addresses"]] == [601, 602]
    assert [e["id"] for e in data["estates"]] == [2651, 2650, 2649]
    assert data["addresses"][0]["title"] == "Jürgen Müller"
    # One title per estate everywhere (records.estate): emailInfo, behind the linked list, has no postcode.
    assert data["estates"][0]["title"] == "Leopoldstraße 88, München"
    assert len(sandbox.received) == 2  # both reads, in one batched POST
    assert {a["resourcetype"] for a in sandbox.received} == {"address", "estate"}


def test_recent_is_per_user_and_at_most_ten(app, client, auth):
    svc = app.extensions["onoffice_mail_link"]
    for i, address in enumerate([601, 602, 603, 604, 605, 606, 607, 608, 609, 610, 611]):
        entry = svc.audit.start(user_id="tid:oid-anna", mailbox=ANNA, identity=ANNA,
                                message_id=f"<m{i}@x>", action="link", address_id=address,
                                estate_id=None)
        svc.audit.finish(entry, "ok")
    entry = svc.audit.start(user_id="tid:oid-jonas", mailbox="jonas.weber@makler-demo.de",
                            identity="jonas.weber@makler-demo.de", message_id="<j@x>",
                            action="link", address_id=606, estate_id=2653)
    svc.audit.finish(entry, "ok")
    failed = svc.audit.start(user_id="tid:oid-anna", mailbox=ANNA, identity=ANNA,
                             message_id="<f@x>", action="link", address_id=None, estate_id=2652)
    svc.audit.finish(failed, "refused", code=293)
    data = client.get("/api/v1/recent", headers=auth).get_json()
    assert [a["id"] for a in data["addresses"]] == [611, 610, 609, 608, 607, 606, 605, 604, 603, 602]
    assert data["estates"] == []


def test_recent_leaves_out_records_onoffice_no_longer_has(client, auth, sandbox):
    link(client, auth, addressId=603, estateId=2652)
    del sandbox.estates[2652]
    data = client.get("/api/v1/recent", headers=auth).get_json()
    assert [a["id"] for a in data["addresses"]] == [603] and data["estates"] == []


def test_openapi_documents_the_new_operations(client):
    spec = client.get("/api/openapi.json").json
    assert set(spec["paths"]["/api/v1/suggestions"]) == {"get", "post"}
    assert "201" in spec["paths"]["/api/v1/addresses"]["post"]["responses"]
    assert "409" in spec["paths"]["/api/v1/addresses"]["post"]["responses"]
    assert "get" in spec["paths"]["/api/v1/recent"]
    new = spec["components"]["schemas"]["NewAddress"]
    assert new["required"] == ["email"]
    assert new["properties"]["lastName"]["maxLength"] == 100
    assert "body" in spec["components"]["schemas"]["SuggestionsBody"]["properties"]


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/addresses", {"email": "not-an-address", "Vorname": "x"}),
    ("/api/v1/suggestions", {"body": 12}),
])
def test_strangers_get_401_before_any_validation(client, sandbox, path, body):
    r = client.post(path, json=body)
    assert r.status_code == 401 and sandbox.received == []
