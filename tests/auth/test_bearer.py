"""Entra access tokens as bearer tokens: the valid one works, every bad one is a 401."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives import serialization

from tests.conftest import MID
from tests.fakes.entra import FakeUser, new_key

from .conftest import ANNA, CLIENT_ID, CLIENT_SECRET, TENANT, bearer

HOUR = 3600


def test_valid_token_reads_me(client, entra):
    r = client.get("/api/v1/me", headers=bearer(entra.mint()))
    assert r.status_code == 200, r.json
    assert r.json == {"mailbox": ANNA, "identity": ANNA, "name": "Anna Schmidt"}


def test_valid_token_links_under_the_mapped_identity(client, entra, sandbox, svc):
    r = client.post("/api/v1/links", json={"messageId": MID, "addressId": 601},
                    headers=bearer(entra.mint()))
    assert r.status_code == 200, r.json
    assert (r.json["identity"], r.json["folder"], r.json["uid"]) == (ANNA, "INBOX", 17)
    assert sandbox.links[(ANNA, MID)]["addresses"] == [601]
    entry = svc.audit.history(ANNA, MID)[0]
    assert entry.outcome == "ok" and entry.mailbox == ANNA


def test_mailbox_claim_is_lower_cased_and_user_is_tid_oid(entra, svc):
    user = FakeUser("Anna.Schmidt@Makler-Demo.DE", "Anna", "oid-123")
    who = svc.authenticator.entra.validate(entra.mint(user=user))
    assert (who.mailbox, who.user_id, who.method) == (ANNA, f"{TENANT}:oid-123", "entra")


@pytest.mark.parametrize("claim", ["upn", "email"])
def test_mailbox_falls_back_to_upn_then_email(entra, svc, claim):
    token = entra.mint(**{"preferred_username": None, "email": None, claim: ANNA.upper()})
    assert svc.authenticator.entra.validate(token).mailbox == ANNA


def test_v1_token_with_app_id_uri_audience_is_accepted(entra, svc):
    token = entra.mint(ver="1.0", aud=f"api://{CLIENT_ID}", iss=f"https://sts.windows.net/{TENANT}/",
                       preferred_username=None, upn=ANNA)
    assert svc.authenticator.entra.validate(token).mailbox == ANNA


def test_v1_token_for_the_office_sso_app_id_uri_in_the_manifest_is_accepted(entra, svc, app):
    # The XML manifest's WebApplicationInfo names api://<host>/<client-id>; tokens Office SSO
    # gets for that resource must pass the same validator.
    resource = app.test_client().get("/addin/outlook/manifest.xml").get_data(as_text=True)
    uri = f"api://onoffice-link.makler-demo.test/{CLIENT_ID}"
    assert f"<Resource>{uri}</Resource>" in resource
    token = entra.mint(ver="1.0", aud=uri, iss=f"https://sts.windows.net/{TENANT}/",
                       preferred_username=None, upn=ANNA)
    assert svc.authenticator.entra.validate(token).mailbox == ANNA


def _hs256_with_public_key(entra):
    return entra.mint(alg="HS256", key=entra.public_pem())


def _other_key(entra):
    return entra.mint(key=new_key())  # the published kid, a key Entra never had


BAD_TOKENS = {
    "garbage": lambda e: "not-a-jwt",
    "garbage_three_parts": lambda e: "abc.def.ghi",
    "expired": lambda e: e.mint(exp=int(time.time()) - HOUR, iat=int(time.time()) - 2 * HOUR),
    "not_yet_valid": lambda e: e.mint(nbf=int(time.time()) + HOUR),
    "issued_in_future": lambda e: e.mint(iat=int(time.time()) + HOUR),
    "wrong_audience_graph": lambda e: e.mint(aud="00000003-0000-0000-c000-000000000000"),
    "v2_with_app_id_uri_audience": lambda e: e.mint(aud=f"api://{CLIENT_ID}"),
    "wrong_issuer": lambda e: e.mint(iss=f"https://evil.example/{TENANT}/v2.0"),
    "v1_issuer_on_v2_token": lambda e: e.mint(iss=f"https://sts.windows.net/{TENANT}/"),
    "unknown_version": lambda e: e.mint(ver="3.0"),
    "another_tenant": lambda e: e.mint(tid="9188040d-6c67-4c5b-b112-36a304b66dad",
                                       iss=f"{e.base}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"),
    "missing_tid": lambda e: e.mint(tid=None),
    "missing_scope": lambda e: e.mint(scp=None),
    "other_scope": lambda e: e.mint(scp="User.Read access_as_admin"),
    "app_only": lambda e: e.mint(scp=None, roles=["IMAP.AccessAsApp"]),
    "missing_exp": lambda e: e.mint(exp=None),
    "missing_oid": lambda e: e.mint(oid=None),
    "missing_mailbox": lambda e: e.mint(preferred_username=None, email=None),
    "signed_by_another_key": _other_key,
    "alg_none": lambda e: e.mint(alg="none"),
    "hs256_with_public_key": _hs256_with_public_key,
    "rs512": lambda e: e.mint(alg="RS512"),
    "no_kid": lambda e: e.mint(headers={"kid": None}),
    "unknown_kid": lambda e: e.mint(kid="no-such-kid", key=new_key()),
}


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_token_is_refused_with_401(client, entra, name):
    token = BAD_TOKENS[name](entra)
    for path, method in (("/api/v1/me", "get"), ("/api/v1/links", "post")):
        r = getattr(client, method)(path, headers=bearer(token),
                                    json={"messageId": MID, "addressId": 601})
        assert r.status_code == 401, (name, r.json)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        error = r.json["error"]
        assert set(error) == {"code", "message", "details"} and error["code"] == "unauthorized"
        assert token not in r.get_data(as_text=True)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==",
                                    "Bearer a b", "bearer", "Token abc"])
def test_missing_or_malformed_header_is_401(client, entra, header):
    headers = {} if header is None else {"Authorization": header}
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"
    assert r.json["error"]["message"]


def test_refusals_name_the_reason(client, entra):
    def message(token):
        return client.get("/api/v1/me", headers=bearer(token)).json["error"]["message"]

    assert "expired" in message(BAD_TOKENS["expired"](entra))
    assert "another application" in message(BAD_TOKENS["wrong_audience_graph"](entra))
    assert "another tenant" in message(BAD_TOKENS["another_tenant"](entra))
    assert "issuer" in message(BAD_TOKENS["wrong_issuer"](entra))
    assert "access_as_user" in message(BAD_TOKENS["missing_scope"](entra))
    assert "app-only" in message(BAD_TOKENS["app_only"](entra))
    assert "RS256" in message(BAD_TOKENS["alg_none"](entra))
    assert "signature" in message(BAD_TOKENS["signed_by_another_key"](entra))
    assert "unknown key" in message(BAD_TOKENS["unknown_kid"](entra))


def test_private_key_material_never_leaks_into_the_error(client, entra):
    pem = entra.keys[entra.active_kid].private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    r = client.get("/api/v1/me", headers=bearer(_hs256_with_public_key(entra)))
    body = r.get_data(as_text=True)
    assert CLIENT_SECRET not in body and pem[40:80] not in body
