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
    assert c.post("/auth/demo", json={}).status_code == 404
    assert c.get("/api/v1/me", headers=bearer(entra.mint())).status_code == 200
    assert c.get("/auth/login?client=browser", headers={"Accept": "application/json"}).json[
        "error"]["code"] == "not_found"  # no client secret: no code flow


def test_demo_session_dies_when_entra_is_configured(tmp_path, entra):
    db = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    demo = create_app({"DATABASE_URL": db})
    token = demo.test_client().post("/auth/demo", json={}).json["token"]
    assert demo.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200
    later = create_app({"DATABASE_URL": db, "ENTRA_TENANT_ID": TENANT, "ENTRA_CLIENT_ID": CLIENT_ID,
                        "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem})
    r = later.test_client().get("/api/v1/me", headers=bearer(token))
    assert r.status_code == 401 and "Demo sessions are not accepted" in r.json["error"]["message"]


def test_demo_mode_still_signs_in_without_entra(demo_client):
    r = demo_client.post("/auth/demo", json={})
    assert r.status_code == 200
    assert demo_client.get("/api/v1/me", headers=bearer(r.json["token"])).status_code == 200
    assert demo_client.get("/auth/login", headers={"Accept": "application/json"}).status_code == 404
