"""No client secret, code, Microsoft token or session token in our logs, bodies or reprs."""

from __future__ import annotations

import logging

from .conftest import CLIENT_SECRET, bearer
from .test_code_flow import _callback, _login, _token_from_page


def test_code_flow_and_bearer_calls_leak_nothing(app, client, entra, caplog, svc):
    caplog.set_level(logging.DEBUG)
    answer = _login(client, entra)
    page = _callback(client, answer)
    session = _token_from_page(page)["token"]
    microsoft = entra.mint()
    bodies = [client.get("/api/v1/me", headers=bearer(microsoft)),
              client.get("/api/v1/me", headers=bearer(microsoft[:-4] + "AAAA")),
              _callback(client, answer)]
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("server", "msal")))
    text = ours + "".join(b.get_data(as_text=True) for b in bodies)
    text += repr(svc.authenticator.entra) + repr(svc.extras["entra"]) + repr(svc.extras["auth_flows"])
    for secret in (CLIENT_SECRET, answer["code"], microsoft, microsoft.split(".")[2], session[4:]):
        assert secret not in text


def test_thunderbird_code_and_its_session_never_reach_logs_or_bodies(client, entra, caplog, svc):
    from .test_code_flow import _exchange, _tb_code

    caplog.set_level(logging.DEBUG)
    code = _tb_code(client, entra)
    token = _exchange(client, code).json["token"]
    replay = _exchange(client, code)
    text = caplog.text + replay.get_data(as_text=True) + repr(svc.extras["handover_codes"])
    for secret in (code, token, token[4:]):
        assert secret not in text
    assert "its session is revoked" in caplog.text  # the replay was noticed, quietly
