"""The fake itself behaves like Entra where our code depends on it (others reuse it)."""

from __future__ import annotations

import base64
import hashlib

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from .conftest import CLIENT_ID, CLIENT_SECRET, TENANT


def _pkce() -> tuple[str, str]:
    verifier = "v" * 50
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _code(entra, challenge, redirect="https://app.test/cb"):
    url = (f"{entra.base}/{TENANT}/oauth2/v2.0/authorize?client_id={CLIENT_ID}&response_type=code"
           f"&redirect_uri={redirect}&scope=api://{CLIENT_ID}/access_as_user+openid&state=s1"
           f"&code_challenge={challenge}&code_challenge_method=S256")
    answer = entra.follow_authorize(url)
    assert answer["state"] == "s1"
    return answer["code"]


def _token(entra, **form):
    return entra.session().post(f"{entra.base}/{TENANT}/oauth2/v2.0/token",
                                data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form})


def test_code_redeems_once_with_the_right_verifier_and_refreshes(entra):
    verifier, challenge = _pkce()
    code = _code(entra, challenge)
    grant = {"grant_type": "authorization_code", "code": code, "redirect_uri": "https://app.test/cb"}
    wrong = _token(entra, **grant, code_verifier="x" * 50)
    assert wrong.status_code == 400 and wrong.json()["error_codes"] == [501481]
    code = _code(entra, challenge)
    ok = _token(entra, **{**grant, "code": code}, code_verifier=verifier)
    assert ok.status_code == 200 and ok.json()["access_token"]
    replay = _token(entra, **{**grant, "code": code}, code_verifier=verifier)
    assert replay.json()["error"] == "invalid_grant" and replay.json()["error_codes"] == [54005]
    refreshed = _token(entra, grant_type="refresh_token", refresh_token=ok.json()["refresh_token"])
    assert refreshed.status_code == 200 and refreshed.json()["access_token"]
    again = _token(entra, grant_type="refresh_token", refresh_token=ok.json()["refresh_token"])
    assert again.status_code == 400  # refresh tokens rotate


def test_minted_tokens_verify_with_public_pem(entra):
    token = entra.mint(azp="some-client", email="anna@example.test")
    key = load_pem_public_key(entra.public_pem())
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=CLIENT_ID, issuer=entra.issuer)
    assert claims["azp"] == "some-client" and claims["email"] == "anna@example.test"
    assert jwt.get_unverified_header(token)["kid"] == entra.active_kid


def test_rotation_publishes_both_keys_unless_told_otherwise(entra):
    old = entra.active_kid
    new = entra.rotate()
    kids = {k["kid"] for k in entra.session().get(entra.jwks_uri).json()["keys"]}
    assert kids == {old, new}
    entra.rotate(keep_old=False)
    assert len(entra.session().get(entra.jwks_uri).json()["keys"]) == 1
    assert entra.jwks_fetches == 2
