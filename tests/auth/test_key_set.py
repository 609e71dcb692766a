"""The JWKS cache: fetched once, refreshed on an unknown kid, never more than once a minute."""

from __future__ import annotations

import threading

import pytest

from server.auth.entra import EntraTokenValidator
from server.tls import trust_context
from tests.fakes.entra import new_key

from .conftest import CLIENT_ID, TENANT, bearer


def _me(client, token):
    return client.get("/api/v1/me", headers=bearer(token))


def test_key_set_is_fetched_once_and_then_cached(client, entra):
    for _ in range(5):
        assert _me(client, entra.mint()).status_code == 200
    assert entra.jwks_fetches == 1


def test_rotated_key_is_picked_up(client, entra, clock):
    assert _me(client, entra.mint()).status_code == 200
    old_kid = entra.active_kid
    clock(61)
    entra.rotate()
    assert _me(client, entra.mint()).status_code == 200
    assert entra.jwks_fetches == 2
    assert _me(client, entra.mint(kid=old_kid, key=entra.keys[old_kid])).status_code == 200
    assert entra.jwks_fetches == 2


def test_rotation_within_the_minute_waits_for_the_cap(client, entra, clock):
    assert _me(client, entra.mint()).status_code == 200
    entra.rotate()
    early = _me(client, entra.mint())
    assert early.status_code == 401 and "unknown key" in early.json["error"]["message"]
    assert entra.jwks_fetches == 1
    clock(60.5)
    assert _me(client, entra.mint()).status_code == 200
    assert entra.jwks_fetches == 2


def test_unknown_kids_cannot_make_us_fetch_more_than_once_a_minute(client, entra, clock):
    assert _me(client, entra.mint()).status_code == 200
    clock(61)
    for i in range(20):
        forged = entra.mint(kid=f"forged-{i}", key=new_key() if i == 0 else None)
        r = _me(client, forged)
        assert r.status_code == 401 and "unknown key" in r.json["error"]["message"]
        clock(2)  # 40 s in all: still inside one minute
    assert entra.jwks_fetches == 2
    clock(21)
    assert _me(client, entra.mint(kid="forged-late")).status_code == 401
    assert entra.jwks_fetches == 3


def test_concurrent_unknown_kids_cause_one_fetch(entra):
    validator = _validator(entra)
    errors: list[str] = []

    def attempt(i: int) -> None:
        try:
            validator.validate(entra.mint(kid=f"burst-{i}"))
        except Exception as exc:  # every one must be refused
            errors.append(type(exc).__name__)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == ["AuthError"] * 16
    assert entra.jwks_fetches == 1


def test_stale_key_set_is_refreshed_after_an_hour(entra):
    validator, now = _validator(entra), [0.0]
    validator.keys.clock = lambda: now[0]
    validator.validate(entra.mint())
    now[0] = 3601
    validator.validate(entra.mint())
    assert entra.jwks_fetches == 2


def test_unreachable_key_set_is_503_not_401(client, entra, app):
    svc = app.extensions["onoffice_mail_link"]
    svc.authenticator.entra.keys.uri = "https://127.0.0.1:9/nothing/discovery/v2.0/keys"
    r = _me(client, entra.mint())
    assert r.status_code == 503 and r.json["error"]["code"] == "signin_unavailable"


def test_cached_keys_survive_an_outage(entra, clock, svc, client):
    assert _me(client, entra.mint()).status_code == 200
    fetched = entra.jwks_fetches
    svc.authenticator.entra.keys.uri = "https://127.0.0.1:9/nothing/discovery/v2.0/keys"
    clock(4000)  # stale: a refresh is tried, fails, the old keys stay in use
    r = _me(client, entra.mint())
    assert r.status_code == 200 and r.json["mailbox"] == "anna.schmidt@makler-demo.de", r.json
    assert entra.jwks_fetches == fetched  # the refresh went to the dead URI, not the fake


def test_key_set_is_fetched_over_verified_tls(entra):
    validator = EntraTokenValidator.create(
        tenant_id=TENANT, client_id=CLIENT_ID, authority_host=entra.base,
        scope="access_as_user", ssl_context=trust_context({}))  # system CAs: the fake is unknown
    with pytest.raises(Exception, match="cannot be fetched"):
        validator.validate(entra.mint())
    assert entra.jwks_fetches == 0


def _validator(entra) -> EntraTokenValidator:
    return EntraTokenValidator.create(
        tenant_id=TENANT, client_id=CLIENT_ID, authority_host=entra.base,
        scope="access_as_user", ssl_context=trust_context({"SSL_CERT_FILE": entra.ca_pem}))
