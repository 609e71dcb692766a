"""Secrets never appear in logs, error bodies or reprs."""

import logging

from tests.conftest import MID, SECRET, TOKEN


def test_no_secret_in_logs_or_bodies_across_a_failing_and_a_working_flow(
        app, client, auth, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    bodies = [client.post("/api/v1/links", json={"messageId": MID, "addressId": 601}, headers=auth)]
    sandbox._secret = "0" * 64
    bodies.append(client.post("/api/v1/links", json={"messageId": MID, "addressId": 601},
                              headers=auth))
    bodies.append(client.get("/api/v1/me", headers={"Authorization": "Bearer oml.forged"}))
    svc = app.extensions["onoffice_mail_link"]
    text = caplog.text + "".join(b.get_data(as_text=True) for b in bodies)
    text += repr(svc) + repr(svc.onoffice) + repr(svc.sessions) + repr(svc.settings) + repr(svc.db)
    token = auth["Authorization"].split()[1]
    for secret in (TOKEN, SECRET, token, token[4:], svc.settings.secret_key,
                   svc.settings.entra_client_secret):
        assert secret not in text
    assert bodies[1].status_code == 502  # the failing path did run
