"""Hostile attempts to act under another mailbox: look-alike claims, headers, forged sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.conftest import MID, SECRET_KEY
from tests.fakes.entra import FakeUser

from .conftest import ANNA, JONAS, bearer

KELVIN = "\u212a"  # KELVIN SIGN: "\u212a".lower() == "k"


@pytest.mark.parametrize("claims", [
    # A look-alike that .lower() folds onto a real address.
    {"preferred_username": None, "email": f"{KELVIN}laus@makler-demo.de"},
    {"preferred_username": "anna.schmidt@makler-dem\u043e.de"},  # Cyrillic o
    {"preferred_username": f" {ANNA}"}, {"preferred_username": f"{ANNA}\u00a0"},
    {"preferred_username": f"{ANNA}\n"}, {"preferred_username": f"jonas\x01{ANNA}"},
    {"preferred_username": "jonas.weber@makler-demo.de*master"},
    {"preferred_username": ["x@y.de"]},
    # A malformed first claim is refused, not skipped for a weaker one further down.
    {"preferred_username": "Jonas Weber", "email": ANNA},
    {"preferred_username": "+491701234567", "upn": ANNA},
])
def test_unusual_mailbox_claims_are_refused(client, entra, sandbox, claims):
    token = entra.mint(user=FakeUser(JONAS, "Jonas Weber", "oid-jonas"), **claims)
    for r in (client.get("/api/v1/me", headers=bearer(token)),
              client.post("/api/v1/links", headers=bearer(token),
                          json={"messageId": MID, "addressId": 601})):
        assert r.status_code == 401, (claims, r.json)
    assert sandbox.links == {}


def test_kelvin_sign_alone_would_have_matched(entra):
    """Why ASCII only: the fold the first case above relies on is real."""
    assert f"{KELVIN}laus@makler-demo.de".lower() == "klaus@makler-demo.de"


def test_headers_and_query_parameters_name_no_one(client, entra):
    spoof = {"X-Forwarded-User": ANNA, "X-Forwarded-Email": ANNA, "X-Forwarded-For": "127.0.0.1",
             "X-Forwarded-Host": "evil.example", "X-MS-CLIENT-PRINCIPAL-NAME": ANNA,
             "X-Remote-User": ANNA, "From": ANNA}
    token = entra.mint(user=FakeUser(JONAS, "Jonas Weber"))
    r = client.get(f"/api/v1/me?mailbox={ANNA}&identity={ANNA}",
                   headers={**bearer(token), **spoof})
    assert r.status_code == 200 and r.json["mailbox"] == JONAS and r.json["identity"] == JONAS
    assert client.get("/api/v1/me", headers=spoof).status_code == 401


def _session_claims(svc, mailbox=JONAS):
    token, _ = svc.sessions.issue("tid:oid-jonas", mailbox, "Jonas", "entra")
    return jwt.decode(token[4:], SECRET_KEY, algorithms=["HS256"],
                      audience="onoffice-mail-link/session")


def _none_token(claims):
    import base64
    import json

    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


@pytest.mark.parametrize("forge", [
    "alg_none", "other_key", "sub_swapped", "rs256_entra_key", "expired_but_live_row", "no_prefix",
])
def test_forged_session_tokens_are_refused(client, entra, svc, forge):
    claims = _session_claims(svc)
    claims["exp"] = int(claims["exp"])
    if forge == "alg_none":
        token = "oml." + _none_token({**claims, "sub": ANNA})
    elif forge == "other_key":
        token = "oml." + jwt.encode({**claims, "sub": ANNA}, "x" * 48, algorithm="HS256")
    elif forge == "sub_swapped":  # Jonas's own session row, re-labelled Anna with the real key
        token = "oml." + jwt.encode({**claims, "sub": ANNA}, SECRET_KEY, algorithm="HS256")
    elif forge == "rs256_entra_key":
        token = "oml." + entra.mint(sid=claims["sid"], sub=ANNA, aud="onoffice-mail-link/session")
    elif forge == "expired_but_live_row":
        old = datetime.now(UTC) - timedelta(minutes=1)
        token = "oml." + jwt.encode({**claims, "exp": old}, SECRET_KEY, algorithm="HS256")
    else:  # a session JWT without our prefix goes to the Entra validator and fails there
        token = jwt.encode(claims, SECRET_KEY, algorithm="HS256")
    r = client.get("/api/v1/me", headers=bearer(token))
    assert r.status_code == 401, (forge, r.json)
