"""server/auth/msal_client.py against the fake: app tokens cached, secrets kept out of sight."""

from __future__ import annotations

import logging

import jwt
import pytest

from server.auth import AuthError, SignInUnavailable
from server.auth.msal_client import EntraClient

from .conftest import CLIENT_ID, CLIENT_SECRET, TENANT

IMAP_SCOPE = "https://outlook.office365.com/.default"


def _client(entra, secret=CLIENT_SECRET, ca=True) -> EntraClient:
    return EntraClient(tenant_id=TENANT, client_id=CLIENT_ID, client_secret=secret,
                       authority_host=entra.base, imap_scope=IMAP_SCOPE,
                       ca_bundle=entra.ca_pem if ca else None)


def test_imap_token_provider_returns_a_cached_app_token(entra):
    provider = _client(entra).imap_token_provider()
    first, second = provider(), provider()
    assert first == second
    claims = jwt.decode(first, options={"verify_signature": False})
    assert claims["aud"] == "https://outlook.office365.com" and claims["roles"] == ["IMAP.AccessAsApp"]
    assert entra.requests.count("grant:client_credentials") == 1


def test_app_claims_of_the_fake_reach_the_token(entra):
    entra.app_claims = {"roles": ["IMAP.AccessAsApp"], "email": "anna@makler-demo.de"}
    token = _client(entra).app_token(IMAP_SCOPE)
    assert jwt.decode(token, options={"verify_signature": False})["email"] == "anna@makler-demo.de"


def test_wrong_secret_is_an_auth_error_without_the_secret(entra, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as info:
        _client(entra, secret="not-the-secret").app_token(IMAP_SCOPE)
    assert "invalid_client" in info.value.message and "not-the-secret" not in info.value.message
    assert "not-the-secret" not in caplog.text


def test_environment_ca_variables_do_not_override_our_bundle(entra, monkeypatch, tmp_path):
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bogus))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(bogus))
    assert _client(entra).app_token(IMAP_SCOPE)


def test_untrusted_certificate_is_unavailable_not_a_crash(entra):
    with pytest.raises(SignInUnavailable):
        _client(entra, ca=False).app_token(IMAP_SCOPE)


def test_repr_has_no_secret(entra):
    client = _client(entra)
    assert CLIENT_SECRET not in repr(client) and CLIENT_ID in repr(client)


def test_no_entra_contact_until_first_use(entra):
    _client(entra)
    assert entra.requests == []
