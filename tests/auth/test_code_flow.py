"""/auth/login -> Entra (the fake, via msal over HTTPS) -> /auth/callback -> a session token."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import MID

from .conftest import ANNA, CLIENT_ID, CLIENT_SECRET, bearer

TB_REDIRECT = "https://3c9a5e0f1b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f.extensions.allizom.org/"
HTML = {"Accept": "text/html"}


def _login(client, entra, query="client=browser"):
    r = client.get(f"/auth/login?{query}")
    assert r.status_code == 302, r.get_data(as_text=True)
    auth_uri = r.headers["Location"]
    assert auth_uri.startswith(f"{entra.base}/{entra.tenant_id}/oauth2/v2.0/authorize?")
    return entra.follow_authorize(auth_uri)


def _callback(client, answer, **headers):
    return client.post("/auth/callback", data=answer, headers={**HTML, **headers})


def _page_data(r) -> dict:
    block = re.search(r'<script type="application/json" id="sign-in-result">(.*?)</script>',
                      r.get_data(as_text=True), re.S)
    assert block, r.get_data(as_text=True)
    return json.loads(unescape(block.group(1)))


def _token_from_page(r) -> dict:
    return _page_data(r)["result"]


def test_authorize_request_uses_pkce_form_post_and_our_api_scope(client, entra, config):
    r = client.get("/auth/login?client=browser")
    q = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()}
    assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) >= 43
    assert q["response_mode"] == "form_post" and q["client_id"] == CLIENT_ID
    assert q["redirect_uri"] == f"{config['PUBLIC_URL']}/auth/callback"
    assert f"api://{CLIENT_ID}/access_as_user" in q["scope"].split()
    assert CLIENT_SECRET not in r.headers["Location"]


def test_browser_flow_yields_a_session_token_that_links(client, entra, sandbox):
    r = _callback(client, _login(client, entra))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["Cache-Control"] == "no-store"
    result = _token_from_page(r)
    assert result["mailbox"] == ANNA and result["token"].startswith("oml.")
    me = client.get("/api/v1/me", headers=bearer(result["token"]))
    assert me.status_code == 200 and me.json["identity"] == ANNA
    link = client.post("/api/v1/links", json={"messageId": MID, "addressId": 601},
                       headers=bearer(result["token"]))
    assert link.status_code == 200 and sandbox.links[(ANNA, MID)]["addresses"] == [601]
    assert entra.requests.count("grant:authorization_code") == 1


def test_session_from_the_flow_is_killed_by_sessions_revoke(app, client, entra):
    token = _token_from_page(_callback(client, _login(client, entra)))["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    out = app.test_cli_runner().invoke(args=["sessions", "revoke", ANNA.upper()])
    assert out.exit_code == 0 and f"revoked 1 session(s) of {ANNA}" in out.output
    r = client.get("/api/v1/me", headers=bearer(token))
    assert r.status_code == 401 and "ended by an administrator" in r.json["error"]["message"]


def test_outlook_flow_hands_the_token_to_the_dialog_parent(client, entra):
    r = _callback(client, _login(client, entra, "client=outlook"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"' in html
    assert 'src="/static/js/auth/done.js"' in html and _page_data(r)["office"] is True
    result = _token_from_page(r)
    assert set(result) == {"token", "mailbox", "expiresAt"}
    assert client.get("/api/v1/me", headers=bearer(result["token"])).status_code == 200


def _tb_code(client, entra, redirect=TB_REDIRECT) -> str:
    r = _callback(client, _login(client, entra, f"client=thunderbird&redirect_uri={redirect}"))
    assert r.status_code == 303, r.get_data(as_text=True)
    assert r.headers["Cache-Control"] == "no-store" and r.headers["Referrer-Policy"] == "no-referrer"
    target = urlsplit(r.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == redirect and not target.fragment
    query = parse_qs(target.query)
    assert set(query) == {"code"}
    return query["code"][0]


def _exchange(client, code, redirect=TB_REDIRECT):
    return client.post("/auth/token", json={"code": code, "redirectUri": redirect})


def test_thunderbird_redirect_carries_a_one_time_code_not_the_session(client, entra, svc):
    code = _tb_code(client, entra)
    assert not code.startswith("oml.") and len(code) >= 40
    with svc.db.session() as s:  # only the code's hash is stored
        from server.store.models import HandoverCodeRow

        assert all(code not in (r.code_hash, r.session_id) for r in s.query(HandoverCodeRow))
    r = _exchange(client, code)
    assert r.status_code == 200, r.json
    assert r.headers["Cache-Control"] == "no-store"
    assert set(r.json) == {"token", "mailbox", "expiresAt"} and r.json["mailbox"] == ANNA
    assert client.get("/api/v1/me", headers=bearer(r.json["token"])).status_code == 200


def test_replayed_code_is_refused_and_ends_the_session_it_yielded(client, entra, svc):
    code = _tb_code(client, entra)
    token = _exchange(client, code).json["token"]
    again = _exchange(client, code)
    assert again.status_code == 401 and again.json["error"]["code"] == "code_used"
    assert "oml." not in again.get_data(as_text=True)
    svc.session_store._cache.clear()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_expired_code_is_refused(client, entra, svc):
    from datetime import timedelta

    svc.extras["handover_codes"].lifetime = timedelta(seconds=-1)
    r = _exchange(client, _tb_code(client, entra))
    assert r.status_code == 401 and r.json["error"]["code"] == "code_expired"


def test_code_lives_at_most_two_minutes(svc):
    from datetime import timedelta

    assert svc.extras["handover_codes"].lifetime <= timedelta(minutes=2)


def test_code_only_works_with_its_redirect_uri(client, entra):
    code = _tb_code(client, entra)
    other = "https://ffff.extensions.allizom.org/"
    r = _exchange(client, code, other)
    assert r.status_code == 401 and r.json["error"]["code"] == "code_invalid"
    assert _exchange(client, code).status_code == 200  # a wrong guess does not burn the code


def test_code_of_a_revoked_session_yields_nothing(app, client, entra):
    code = _tb_code(client, entra)
    app.test_cli_runner().invoke(args=["sessions", "revoke", ANNA])
    r = _exchange(client, code)
    assert r.status_code == 401 and "oml." not in r.get_data(as_text=True)


@pytest.mark.parametrize("body", [None, "not json", [], {}, {"code": "x"}, {"redirectUri": TB_REDIRECT},
                                  {"code": 5, "redirectUri": TB_REDIRECT},
                                  {"code": "x" * 201, "redirectUri": TB_REDIRECT},
                                  {"code": "x", "redirectUri": TB_REDIRECT, "mailbox": ANNA}])
def test_malformed_exchange_is_a_400_in_json(client, entra, body):
    kwargs = {"data": body} if isinstance(body, str | None) else {"json": body}
    r = client.post("/auth/token", headers={"Accept": "text/html"}, **kwargs)
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_request"


def test_unknown_code_is_a_401_in_json(client, entra):
    r = client.post("/auth/token", json={"code": "guessed", "redirectUri": TB_REDIRECT},
                    headers={"Accept": "text/html"})
    assert r.status_code == 401 and r.json["error"]["code"] == "code_invalid"
    assert set(r.json["error"]) == {"code", "message", "details"}


def test_loopback_redirect_is_allowed_for_thunderbird(client, entra):
    code = _tb_code(client, entra, "http://127.0.0.1:8765/cb")
    r = _exchange(client, code, "http://127.0.0.1:8765/cb")
    assert r.status_code == 200 and r.json["mailbox"] == ANNA and r.json["token"].startswith("oml.")


@pytest.mark.parametrize("target", [
    "https://evil.example/", "https://extensions.allizom.org.evil.example/",
    "https://x.extensions.allizom.org.evil.example/", "https://a@x.extensions.allizom.org/",
    "http://x.extensions.allizom.org/", "https://x.extensions.allizom.org:444/",
    "https://x.extensions.allizom.org/?next=https://evil.example",
    "http://localhost:8765/", "http://127.0.0.2/", "javascript:alert(1)", "//evil.example/", ""])
def test_thunderbird_redirect_must_be_an_extension_or_loopback_url(client, entra, target):
    r = client.get(f"/auth/login?client=thunderbird&redirect_uri={target}",
                   headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_request"
    assert "Location" not in r.headers and entra.requests.count("authorize") == 0


def test_other_clients_may_not_send_a_redirect_uri(client, entra):
    r = client.get(f"/auth/login?client=browser&redirect_uri={TB_REDIRECT}", headers=HTML)
    assert r.status_code == 400 and "text/html" in r.headers["Content-Type"]
    assert client.get("/auth/login?client=mutt", headers=HTML).status_code == 400


def test_forged_state_is_refused(client, entra):
    answer = _login(client, entra)
    r = _callback(client, {**answer, "state": "forged-state"})
    assert r.status_code == 400 and "already used or expired" in r.get_data(as_text=True)
    assert entra.requests.count("grant:authorization_code") == 0
    j = client.post("/auth/callback", data={**answer, "state": "x"},
                    headers={"Accept": "application/json"})
    assert j.status_code == 400 and j.json["error"]["code"] == "sign_in_expired"


def test_missing_state_is_refused(client, entra):
    answer = _login(client, entra)
    r = _callback(client, {"code": answer["code"]})
    assert r.status_code == 400
    assert _page_data(r)["result"]["error"]["code"] == "sign_in_expired"
    assert entra.requests.count("grant:authorization_code") == 0


def test_replayed_code_is_refused(client, entra):
    answer = _login(client, entra)
    assert _callback(client, answer).status_code == 200
    again = _callback(client, answer)
    assert again.status_code == 400 and "oml." not in again.get_data(as_text=True)
    assert entra.requests.count("grant:authorization_code") == 1


def test_code_replayed_into_a_new_flow_is_refused_by_entra(client, entra):
    used = _login(client, entra)
    assert _callback(client, used).status_code == 200
    fresh = _login(client, entra)
    r = _callback(client, {"code": used["code"], "state": fresh["state"]})
    assert r.status_code == 401 and "invalid_grant" in r.get_data(as_text=True)
    assert "oml." not in r.get_data(as_text=True)


def test_code_of_another_flow_fails_pkce(client, entra):
    first, second = _login(client, entra), _login(client, entra)
    r = _callback(client, {"code": first["code"], "state": second["state"]})
    assert r.status_code == 401 and "invalid_grant" in r.get_data(as_text=True)


def test_user_declining_consent_gets_a_page_not_a_crash(client, entra):
    entra.user = None
    answer = _login(client, entra)
    r = _callback(client, answer, **{"Accept-Language": "de-DE,de;q=0.9"})
    html = r.get_data(as_text=True)
    assert r.status_code == 401 and "access_denied" in html
    assert "Die Anmeldung hat nicht geklappt." in html and 'lang="de"' in html


def test_pages_speak_english_when_asked(client, entra):
    r = _callback(client, _login(client, entra), **{"Accept-Language": "en-US,en;q=0.8"})
    assert "You are signed in as" in r.get_data(as_text=True)
    r = _callback(client, _login(client, entra), **{"Accept-Language": "de"})
    assert "Sie sind angemeldet als" in r.get_data(as_text=True)


def test_unmapped_mailbox_gets_403_and_no_session(app, client, entra, config):
    from server import create_app

    strict = create_app({**config, "IDENTITY_PATTERN": ""})
    c = strict.test_client()
    r = _callback(c, _login(c, entra), **{"Accept-Language": "en"})
    assert r.status_code == 403 and "identity map" in r.get_data(as_text=True)
    store = strict.extensions["onoffice_mail_link"].session_store
    assert store.active(ANNA) == []
    strict.extensions["onoffice_mail_link"].onoffice.close()


def test_expired_flow_is_refused(client, entra, svc):
    from datetime import timedelta

    svc.extras["auth_flows"].lifetime = timedelta(seconds=-1)
    r = _callback(client, _login(client, entra))
    assert r.status_code == 400 and "already used or expired" in r.get_data(as_text=True)
    assert entra.requests.count("grant:authorization_code") == 0


def test_no_refresh_token_is_kept(client, entra, svc):
    _callback(client, _login(client, entra))
    cache = svc.extras["entra"]._msal().token_cache
    assert list(cache.search("RefreshToken")) == [] and list(cache.search("AccessToken")) == []


def test_callback_also_takes_a_query_mode_answer(client, entra):
    r = client.get("/auth/login?client=outlook")
    state = parse_qs(urlsplit(r.headers["Location"]).query)["state"][0]
    page = client.get(f"/auth/callback?error=access_denied&error_description=AADSTS65004&state={state}",
                      headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 401 and "access_denied" in html
    data = _page_data(page)  # done.js passes it to messageParent: the pane learns of it
    assert data["office"] is True and data["result"]["error"]["code"] == "sign_in_failed"


def test_openapi_lists_the_code_exchange(client):
    op = client.get("/api/openapi.json").json["paths"]["/auth/token"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema.endswith("/TokenRequest") and "security" not in op
