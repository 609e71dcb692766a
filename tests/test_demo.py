"""Demo mode: the README's run command, end to end, and its guard rails."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ANNA, MID
from tests.test_onoffice_client import closed_port

ROOT = Path(__file__).resolve().parent.parent


def demo_token(client, mailbox=None) -> dict[str, str]:
    r = client.post("/auth/demo", json={"mailbox": mailbox} if mailbox else {})
    assert r.status_code == 200, r.json
    return {"Authorization": f"Bearer {r.json['token']}"}


def test_demo_sign_in_and_messages(demo_client):
    auth = demo_token(demo_client)
    assert demo_client.get("/api/v1/me", headers=auth).json == {
        "mailbox": ANNA, "identity": ANNA, "name": "Anna Schmidt"}
    messages = demo_client.get("/demo/messages").json["messages"]
    assert {m["folder"] for m in messages} >= {"INBOX", "Sent", "Kunden/M&APw-ller"}
    assert all(m["uid"] > 0 and m["messageId"].startswith("<") for m in messages)
    # The pane's demo picker says whose mailbox a mail is in (the shared one belongs to nobody).
    assert {(m["mailbox"], m["mailboxName"]) for m in messages} == {
        (ANNA, "Anna Schmidt"), ("jonas.weber@makler-demo.de", "Jonas Weber"),
        ("vermietung@makler-demo.de", "")}


def test_demo_mailbox_must_be_a_demo_mailbox(demo_client):
    r = demo_client.post("/auth/demo", json={"mailbox": "ceo@example.com"})
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation_failed"
    assert r.json["error"]["details"] == {"mailbox": ["ceo@example.com"]}
    assert "token" not in r.json


def test_demo_suggestions_for_sender_and_subject(demo_client):
    auth = demo_token(demo_client)
    r = demo_client.get("/api/v1/suggestions", headers=auth, query_string={
        "from": "j.mueller@mueller-partner.de", "subject": "Anfrage zu Objekt W-1024",
        "participants": "b.weiss@weiss-immobilien.de," + ANNA})
    assert [a["id"] for a in r.json["addresses"]] == [601, 605]
    assert [e["id"] for e in r.json["estates"]] == [2649]


def test_demo_search_handles_umlauts(demo_client):
    auth = demo_token(demo_client)
    r = demo_client.get("/api/v1/search", headers=auth, query_string={"kind": "address", "q": "weiß"})
    assert [x["title"] for x in r.json["results"]] == ["Brigitte Weiß"]
    r = demo_client.get("/api/v1/search", headers=auth, query_string={"kind": "estate", "q": "x"})
    assert r.status_code == 422 and "q" in r.json["error"]["details"], r.json


def test_another_mailbox_cannot_see_annas_mail(demo_client):
    auth = demo_token(demo_client, "jonas.weber@makler-demo.de")
    r = demo_client.post("/api/v1/links", json={"messageId": MID, "addressId": 601}, headers=auth)
    assert r.status_code == 404
    assert "jonas.weber@makler-demo.de" in r.json["error"]["message"]


def test_no_demo_sign_in_with_real_credentials(client):
    for r in (client.post("/auth/demo", json={}), client.get("/demo/messages"),
              client.get("/demo/records/address/601")):
        assert r.status_code == 404 and r.json["error"]["code"] == "not_found", r.json
        assert "token" not in r.json and "messages" not in r.json


def test_no_demo_sign_in_when_entra_is_configured(tmp_path):
    from server import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
                      "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
                      "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000"})
    r = app.test_client().post("/auth/demo", json={})
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found" and "token" not in r.json


@pytest.fixture
def gunicorn_demo(tmp_path):
    port = closed_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONOFFICE", "ENTRA", "IMAP"))}
    # A SECRET_KEY of its own: else demo mode keeps one in the checkout's instance/ folder.
    env.update(BIND=f"127.0.0.1:{port}", DATABASE_URL=f"sqlite:///{tmp_path / 'g.sqlite3'}",
               PUBLIC_URL=f"http://127.0.0.1:{port}", SECRET_KEY="gunicorn-demo-test-" + "k" * 32)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "-c", "python:server.gunicorn_conf", "server.wsgi:app"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + proc.stdout.read().decode())
    yield base
    proc.terminate()
    output = proc.communicate(timeout=30)[0].decode()
    assert "DEMO MODE" in output
    assert f"Try the pane at {base}/taskpane.html" in output  # where a newcomer goes next
    assert "Bearer" not in output and "oml." not in output  # tokens never logged
    # The master imports nothing that gevent must patch in the workers (it checks in a child).
    assert "MonkeyPatchWarning" not in output, output


def test_readme_flow_under_gunicorn(gunicorn_demo):
    """Demo sign-in, link a demo mail to an address and an estate, unlink, read the links."""
    with httpx.Client(base_url=gunicorn_demo, timeout=10) as http:
        readme_flow(http)


def readme_flow(http: httpx.Client) -> None:
    token = http.post("/auth/demo", json={}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    r = http.post("/api/v1/links", json={"messageId": MID, "addressId": 601, "estateId": 2649},
                  headers=auth)
    assert r.status_code == 200 and r.json()["uid"] == 17
    view = http.get("/api/v1/links", params={"messageId": MID}, headers=auth).json()
    assert [a["id"] for a in view["addresses"]] == [601]
    assert [e["id"] for e in view["estates"]] == [2649]
    r = http.post("/api/v1/links", json={"messageId": MID, "addressId": 0, "estateId": 0},
                  headers=auth)
    assert r.status_code == 200 and (r.json()["addressId"], r.json()["estateId"]) == (0, 0)
    view = http.get("/api/v1/links", params={"messageId": MID}, headers=auth).json()
    assert view["addresses"] == [] and view["estates"] == []
    assert [(h["action"], h["outcome"]) for h in view["history"]] == [("unlink", "ok"), ("link", "ok")]
    assert http.get("/api/openapi.json").json()["openapi"].startswith("3.")


@pytest.mark.parametrize("participants", ["not-an-address", "a@b.de,\r\nx", ",".join(["a@b.de"] * 21)])
def test_bad_participants_are_422(demo_client, participants):
    auth = demo_token(demo_client)
    r = demo_client.get("/api/v1/suggestions", headers=auth, query_string={
        "from": "j.mueller@mueller-partner.de", "participants": participants})
    assert r.status_code == 422 and "participants" in r.json["error"]["details"]


def test_apps_in_tests_keep_their_instance_folder_out_of_the_checkout():
    """Demo mode without DATABASE_URL or SECRET_KEY writes both into the instance folder."""
    from server import create_app

    checkout = ROOT / "instance"
    before = sorted(checkout.iterdir()) if checkout.exists() else []
    app = create_app({})
    app.test_client().post("/auth/demo", json={})
    assert not Path(app.instance_path).is_relative_to(ROOT)
    assert (Path(app.instance_path) / "demo-secret-key").exists()
    assert (sorted(checkout.iterdir()) if checkout.exists() else []) == before
