"""The identity a request acts under always comes from the token, never from the client."""

from __future__ import annotations

from server import create_app
from server.locate.sandbox import SandboxLocator
from server.sandbox import data
from tests.conftest import MID
from tests.fakes.entra import FakeUser

from .conftest import ANNA, JONAS, bearer

JONAS_USER = FakeUser(JONAS, "Jonas Weber")


def test_jonas_cannot_link_annas_mail(client, entra, sandbox):
    r = client.post("/api/v1/links", json={"messageId": MID, "addressId": 601},
                    headers=bearer(entra.mint(user=JONAS_USER)))
    assert r.status_code == 404 and r.json["error"]["details"]["mailbox"] == JONAS
    assert sandbox.links == {}


def test_jonas_cannot_name_annas_location_either(client, entra, sandbox):
    r = client.post("/api/v1/links", json={"messageId": MID, "addressId": 601, "folder": "INBOX",
                                           "uid": 17}, headers=bearer(entra.mint(user=JONAS_USER)))
    # onOffice, asked under Jonas's identity, knows no such mail of his: a 404, not any error.
    assert r.status_code == 404 and r.json["error"]["code"] == "message_not_found", r.json
    assert (ANNA, MID) not in sandbox.links
    acted = [a["parameters"].get("emailidentity") for a in sandbox.received
             if a.get("resourcetype") == "emailassignments"]
    assert ANNA not in acted


def test_an_identity_field_from_the_client_is_a_422(client, entra, sandbox):
    for field in ("identity", "emailidentity", "emailIdentity"):
        r = client.post("/api/v1/links", headers=bearer(entra.mint(user=JONAS_USER)),
                        json={"messageId": MID, "addressId": 601, field: ANNA})
        assert r.status_code == 422 and field in r.json["error"]["details"], field
    # Naming another user's mailbox needs a SHARED_MAILBOXES grant, which Jonas lacks.
    r = client.post("/api/v1/links", headers=bearer(entra.mint(user=JONAS_USER)),
                    json={"messageId": MID, "addressId": 601, "mailbox": ANNA})
    assert r.status_code == 403 and r.json["error"]["code"] == "mailbox_not_allowed"
    assert sandbox.links == {} and sandbox.received == []


def test_mapped_identity_comes_from_the_map_file(config, entra, tmp_path, sandbox):
    """onOffice is told the mapped identity; the mail is found in Jonas's own mailbox."""
    identity = "j.weber@my-onoffice.de"
    sandbox.identities[identity] = JONAS  # onOffice reads Jonas's mailbox under that name
    jonas_mail = next(m for m in data.MAILS if m.mailbox == JONAS)
    mapping = tmp_path / "identities.txt"
    mapping.write_text(f"# Büro\nJonas.Weber@Makler-Demo.de = {identity}\n", encoding="utf-8")
    app = create_app({**config, "IDENTITY_MAP": str(mapping), "IDENTITY_PATTERN": ""})
    app.extensions["onoffice_mail_link"].use_locator(SandboxLocator(data.MAILS))
    c = app.test_client()
    me = c.get("/api/v1/me", headers=bearer(entra.mint(user=JONAS_USER)))
    assert me.json == {"mailbox": JONAS, "identity": identity, "name": "Jonas Weber"}
    r = c.post("/api/v1/links", json={"messageId": jonas_mail.message_id, "addressId": 601},
               headers=bearer(entra.mint(user=JONAS_USER)))
    assert r.status_code == 200, r.json
    assert (r.json["identity"], r.json["uid"]) == (identity, jonas_mail.uid)
    sent = [a["parameters"] for a in sandbox.received if a.get("resourcetype") == "emailassignments"]
    assert sent[-1]["emailidentity"] == identity and sent[-1]["uid"] == jonas_mail.uid
    # An identity of its own means no fallback: Anna is unmapped here.
    unmapped = c.get("/api/v1/me", headers=bearer(entra.mint()))
    assert unmapped.status_code == 403 and unmapped.json["error"]["code"] == "identity_not_mapped"
    assert f"'{ANNA} = <onOffice identity>'" in unmapped.json["error"]["message"]
    app.extensions["onoffice_mail_link"].onoffice.close()


def test_identities_check_prints_mapping_and_source(config, entra, tmp_path):
    mapping = tmp_path / "identities.txt"
    mapping.write_text(f"{JONAS} = buero@makler-demo.de\n")
    app = create_app({**config, "IDENTITY_MAP": str(mapping), "IDENTITY_PATTERN": "{local}@onoffice.test"})
    out = app.test_cli_runner().invoke(args=["identities", "check", JONAS.upper(), ANNA])
    assert out.exit_code == 0
    assert f"{JONAS} -> buero@makler-demo.de  ({mapping} line 1; IMAP login {JONAS})" in out.output
    assert (f"{ANNA} -> anna.schmidt@onoffice.test  (IDENTITY_PATTERN {{local}}@onoffice.test; "
            f"IMAP login {ANNA})") in out.output
    strict = create_app({**config, "IDENTITY_MAP": str(mapping), "IDENTITY_PATTERN": ""})
    out = strict.test_cli_runner().invoke(args=["identities", "check", ANNA])
    assert out.exit_code == 1 and f"{ANNA} -> NOT MAPPED" in out.output
