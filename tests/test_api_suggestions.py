"""POST /api/v1/suggestions with the mail body, against the sandbox onOffice over a socket."""

import logging

import pytest

from server.suggest.mailtext import MAX_BODY_BYTES, body_references, cut

INQUIRY = "Ich interessiere mich für die Wohnung in der Venloer Str. 312, 50823 Köln."


def post(client, auth, **body):
    return client.post("/api/v1/suggestions", headers=auth,
                       json={"from": "sabine.kraemer@web.de", **body})


def test_body_names_an_estate_with_its_reason(client, auth):
    r = post(client, auth, subject="Frage", body=INQUIRY)
    assert r.status_code == 200
    data = r.get_json()
    assert [(a["id"], a["reason"]) for a in data["addresses"]] == [
        (602, {"kind": "sender", "text": "sabine.kraemer@web.de"})]
    assert [(e["id"], e["reason"]) for e in data["estates"]] == [
        (2649, {"kind": "body", "text": "Venloer Str. 312"})]


def test_subject_wins_the_reason_and_participants_are_marked(client, auth):
    r = post(client, auth, subject="Objekt W-1024", body="Objekt W-1024, Venloer Straße 312",
             participants=["b.weiss@weiss-immobilien.de", "anna.schmidt@makler-demo.de"])
    data = r.get_json()
    assert {a["id"]: a["reason"]["kind"] for a in data["addresses"]} == {602: "sender",
                                                                        605: "participant"}
    assert [(e["id"], e["reason"]) for e in data["estates"]] == [
        (2649, {"kind": "subject", "text": "W-1024"})]


def test_everything_goes_in_one_onoffice_post(client, auth, sandbox, caplog):
    caplog.set_level(logging.INFO, logger="server.onoffice.client")
    post(client, auth, subject="W-1045", participants="b.weiss@weiss-immobilien.de",
         body="Objekt-Nr. W-1031 und Kirchweg 5a")
    posts = [r for r in caplog.records if "-> HTTP" in r.getMessage()]
    assert len(posts) == 1
    kinds = [(a["resourcetype"], a["resourceid"]) for a in sandbox.received]
    assert kinds == [("address", ""), ("address", ""), ("search", "estate"),
                     ("search", "estate"), ("search", "estate")]


def test_long_body_is_cut_not_refused(client, auth, sandbox):
    filler = "Lorem ipsum dolor sit amet. " * 2000  # ~56 KB before the address
    r = post(client, auth, body=filler + INQUIRY)
    assert r.status_code == 200 and r.get_json()["estates"] == []
    r = post(client, auth, body=INQUIRY + filler * 8)  # ~450 KB, still answered
    assert r.status_code == 200 and [e["id"] for e in r.get_json()["estates"]] == [2649]


def test_cut_never_splits_a_character():
    text = "ü" * MAX_BODY_BYTES
    assert cut(text) == "ü" * (MAX_BODY_BYTES // 2)
    assert cut("kurz") == "kurz"


@pytest.mark.parametrize("body", [
    "<html><body><div><p>Venloer Straße 312</p><p>W-1024</p></div></body></html>",
    "\x00\x01\x02PK\x03\x04 Venloer Straße 312 W-1024" + "\x00" * 50,
    "\ufffd" * 200 + "W-1024",
])
def test_html_and_binary_bodies_degrade_to_no_estates(client, auth, body):
    r = post(client, auth, body=body)
    assert r.status_code == 200
    assert r.get_json()["estates"] == [] and r.get_json()["addresses"][0]["id"] == 602


@pytest.mark.parametrize(("payload", "field"), [
    ({"body": 12}, "body"),
    ({"body": ["Venloer Straße 312"]}, "body"),
    ({"participants": ["not an address"]}, "participants"),
    ({"participants": [f"p{i}@example.de" for i in range(21)]}, "participants"),
    ({"bcc": "x@example.de"}, "bcc"),
    ({"from": "nobody"}, "from"),
])
def test_bad_fields_are_422_and_nothing_is_sent(client, auth, sandbox, payload, field):
    r = client.post("/api/v1/suggestions", headers=auth,
                    json={"from": "sabine.kraemer@web.de", **payload})
    assert r.status_code == 422
    assert field in r.get_json()["error"]["details"]
    assert sandbox.received == []


def test_body_is_never_logged_or_stored(client, auth, caplog, app):
    secret_text = "Geheimwort Zebrafink, Venloer Straße 312"
    caplog.set_level(logging.DEBUG)
    post(client, auth, body=secret_text)
    assert "Zebrafink" not in caplog.text
    with app.extensions["onoffice_mail_link"].db.engine.connect() as conn:
        dump = "\n".join(conn.connection.iterdump())
    assert "Zebrafink" not in dump


def test_get_keeps_working(client, auth):
    r = client.get("/api/v1/suggestions", headers=auth,
                   query_string={"from": "j.mueller@mueller-partner.de",
                                 "subject": "Hausgeldabrechnung Schloßallee 7"})
    assert r.status_code == 200
    assert [e["reason"] for e in r.get_json()["estates"]] == [
        {"kind": "subject", "text": "Schloßallee 7"}]


def test_recogniser_ignores_quotes_and_signatures_but_keeps_forwards():
    body = ("Bitte die Leopoldstraße 88 ansehen.\n\nMit freundlichen Grüßen\nX\nBergstraße 14\n"
            "> Venloer Straße 312\n")
    assert [r.query for r in body_references(body)] == ["Leopoldstraße 88"]
    forward = "Zur Info.\n\n---------- Weitergeleitete Nachricht ----------\nObjekt-Nr.: H-2031\n"
    assert [r.query for r in body_references(forward)] == ["H-2031"]


def test_portal_inquirer_and_forwarded_sender_are_looked_up_from_the_body(client, auth):
    body = ("Anbieter-Objekt-ID: W-1045\n\nKontaktdaten des Interessenten:\n"
            "E-Mail: Oezlem.Yildiz@gmx.de\n\n> E-Mail: j.mueller@mueller-partner.de\n"
            "Von: Anna Schmidt <anna.schmidt@makler-demo.de>\n")
    r = client.post("/api/v1/suggestions", headers=auth,
                    json={"from": "kontaktanfrage@immobilienscout24.de", "body": body})
    data = r.get_json()
    # Quoted lines and the signed-in mailbox itself are not contacts to suggest.
    assert [(a["id"], a["reason"]) for a in data["addresses"]] == [
        (603, {"kind": "body", "text": "oezlem.yildiz@gmx.de"})]
    assert [e["id"] for e in data["estates"]] == [2651]


def test_own_mailbox_is_never_suggested(client, auth, sandbox):
    r = client.post("/api/v1/suggestions", headers=auth,
                    json={"from": "anna.schmidt@makler-demo.de",
                          "participants": ["b.weiss@weiss-immobilien.de"]})
    assert [a["id"] for a in r.get_json()["addresses"]] == [605]
    asked = [a["parameters"]["filter"]["email"][0]["val"] for a in sandbox.received]
    assert asked == ["b.weiss@weiss-immobilien.de"]


def test_outlook_forward_keeps_the_original_below_the_forwarders_greeting():
    body = ("Zur Info, bitte übernehmen.\n\nViele Grüße\nJonas\n\n"
            "Von: Ralf Dietrich <r.dietrich@dietrich-invest.de>\nGesendet: Montag, 23. November 2026\n"
            "An: Jonas Weber\nBetreff: Anfrage\n\nWir interessieren uns für MFH-0815.\n\n"
            "Mit freundlichen Grüßen\nRalf Dietrich\nLuxemburger Straße 299\n")
    assert [r.query for r in body_references(body, "WG: Anfrage")] == ["MFH-0815"]
    assert body_references(body, "AW: Anfrage") == []  # a reply: the mail below is quoted
