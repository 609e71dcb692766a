"""Demo mode: the Thunderbird add-on signs in through a demo page and a one-time code, as with Entra."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from server import create_app

from .conftest import CLIENT_ID, JONAS, TENANT, bearer
from .test_pages_security import _inline_scripts

TB = "https://3c9a5e0f1b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f.extensions.allizom.org/"
LOGIN = {"client": "thunderbird", "redirect_uri": TB}
HTML = {"Accept": "text/html"}


def _code(r) -> str:  # type: ignore[no-untyped-def]
    assert r.status_code == 303, r.get_data(as_text=True)
    back = urlsplit(r.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == TB and not back.fragment
    (code,) = parse_qs(back.query)["code"]
    return code


def test_login_shows_the_demo_mailboxes_on_a_script_free_page(demo_client):
    r = demo_client.get("/auth/login", query_string=LOGIN, headers={"Accept-Language": "en"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert re.findall(r'name="mailbox" value="([^"]+)"', html) == [
        "anna.schmidt@makler-demo.de", JONAS]
    assert f'name="redirect_uri" value="{TB}"' in html and "Demo sign-in" in html
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "base-uri 'none'" in csp
    assert "form-action 'self' https://3c9a5e0f1b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f." in csp
    assert _inline_scripts(html) == [] and r.headers["Cache-Control"] == "no-store"
    de = demo_client.get("/auth/login", query_string=LOGIN, headers={"Accept-Language": "de-DE"})
    assert '<html lang="de">' in de.get_data(as_text=True) and "Demo-Anmeldung" in de.get_data(as_text=True)


def test_picked_mailbox_gets_a_code_that_the_add_on_exchanges_once(demo_client):
    r = demo_client.post("/auth/demo/thunderbird", data={"mailbox": JONAS.upper(), "redirect_uri": TB})
    code = _code(r)
    assert r.headers["Cache-Control"] == "no-store"
    token = demo_client.post("/auth/token", json={"code": code, "redirectUri": TB})
    assert token.status_code == 200 and token.json["mailbox"] == JONAS
    me = demo_client.get("/api/v1/me", headers=bearer(token.json["token"]))
    assert me.status_code == 200 and (me.json["mailbox"], me.json["name"]) == (JONAS, "Jonas Weber")
    again = demo_client.post("/auth/token", json={"code": code, "redirectUri": TB})
    assert again.status_code == 401 and again.json["error"]["code"] == "code_used"


def test_code_is_bound_to_the_redirect_it_was_sent_to(demo_client):
    code = _code(demo_client.post("/auth/demo/thunderbird", data={"mailbox": JONAS, "redirect_uri": TB}))
    other = "https://0123456789abcdef.extensions.allizom.org/"
    r = demo_client.post("/auth/token", json={"code": code, "redirectUri": other})
    assert r.status_code == 401 and r.json["error"]["code"] == "code_invalid"


@pytest.mark.parametrize(("form", "status", "code"), [
    ({"mailbox": "mallory@evil.example", "redirect_uri": TB}, 422, "validation_failed"),
    ({"redirect_uri": TB}, 422, "validation_failed"),
    ({"mailbox": JONAS, "redirect_uri": "https://evil.example/"}, 400, "bad_request"),
    ({"mailbox": JONAS}, 400, "bad_request"),
])
def test_bad_picks_are_refused_and_send_nothing_anywhere(demo_client, form, status, code):
    r = demo_client.post("/auth/demo/thunderbird", data=form, headers={"Accept": "application/json"})
    assert (r.status_code, r.json["error"]["code"]) == (status, code)
    assert "Location" not in r.headers


def test_login_without_a_valid_redirect_is_refused_in_demo_mode(demo_client):
    r = demo_client.get("/auth/login", query_string={**LOGIN, "redirect_uri": "https://evil.example/"},
                        headers=HTML)
    assert r.status_code == 400 and "evil.example" not in r.headers.get("Content-Security-Policy", "")


def test_other_clients_have_no_demo_page(demo_client):
    r = demo_client.get("/auth/login?client=browser", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def test_no_demo_sign_in_with_entra_configured(client, entra):
    """A real deployment sends Thunderbird to Microsoft and has no demo hand-over."""
    r = client.get("/auth/login", query_string=LOGIN)
    assert r.status_code == 302 and r.headers["Location"].startswith(entra.base)
    r = client.post("/auth/demo/thunderbird", data={"mailbox": JONAS, "redirect_uri": TB},
                    headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def test_no_demo_sign_in_in_demo_mode_with_entra_settings(tmp_path, entra):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
                      "ENTRA_TENANT_ID": TENANT, "ENTRA_CLIENT_ID": CLIENT_ID,
                      "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem})
    c = app.test_client()
    assert c.get("/auth/login", query_string=LOGIN, headers=HTML).status_code == 404
    r = c.post("/auth/demo/thunderbird", data={"mailbox": JONAS, "redirect_uri": TB}, headers=HTML)
    assert r.status_code == 404 and "Location" not in r.headers
