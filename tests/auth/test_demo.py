"""Demo sign-in exists only in demo mode without Entra settings."""

from __future__ import annotations

from server import create_app

from .conftest import CLIENT_ID, TENANT, bearer


def test_demo_sign_in_refused_when_entra_is_configured(client, entra):
    r = client.post("/auth/demo", json={})
    assert r.status_code == 404 and "Demo sign-in exists only" in r.json["error"]["message"]


def test_demo_mode_with_entra_settings_has_no_demo_sign_in(tmp_path, entra):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
                      "ENTRA_TENANT_ID": TENANT, "ENTRA_CLIENT_ID": CLIENT_ID,
                      "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem})
    c = app.test_client()
    r = c.post("/auth/demo", json={})
    assert r.status_code == 404 and "token" not in r.json
    assert c.get("/api/v1/me", headers=bearer(entra.mint())).json["mailbox"] == "anna.schmidt@makler-demo.de"
    assert c.get("/auth/login?client=browser", headers={"Accept": "application/json"}).json[
        "error"]["code"] == "not_found"  # no client secret: no code flow


def test_demo_session_dies_when_entra_is_configured(tmp_path, entra):
    db = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    demo = create_app({"DATABASE_URL": db})
    token = demo.test_client().post("/auth/demo", json={}).json["token"]
    assert demo.test_client().get("/api/v1/me", headers=bearer(token)).json["name"] == "Anna Schmidt"
    later = create_app({"DATABASE_URL": db, "ENTRA_TENANT_ID": TENANT, "ENTRA_CLIENT_ID": CLIENT_ID,
                        "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem})
    r = later.test_client().get("/api/v1/me", headers=bearer(token))
    assert r.status_code == 401 and "Demo sessions are not accepted" in r.json["error"]["message"]


def test_demo_mode_still_signs_in_without_entra(demo_client):
    r = demo_client.post("/auth/demo", json={})
    assert r.status_code == 200 and r.json["mailbox"] == "anna.schmidt@makler-demo.de"
    me = demo_client.get("/api/v1/me", headers=bearer(r.json["token"]))
    assert me.json == {"mailbox": "anna.schmidt@makler-demo.de",
                       "identity": "anna.schmidt@makler-demo.de", "name": "Anna Schmidt"}
    login = demo_client.get("/auth/login", headers={"Accept": "application/json"})
    assert login.status_code == 404 and login.json["error"]["code"] == "not_found"
