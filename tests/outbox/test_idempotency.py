"""Idempotency-Key on POST /api/v1/links: one upstream call per key, the first answer repeated."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import ANNA, MID
from tests.outbox.conftest import Scene

LINKS = "/api/v1/links"


def links_sent(sandbox) -> int:  # type: ignore[no-untyped-def]
    return [a["resourcetype"] for a in sandbox.received].count("emailassignments")


def test_the_same_key_twice_calls_onoffice_once_and_answers_the_same(client, auth, sandbox):
    headers = {**auth, "Idempotency-Key": "click-1"}
    first = client.post(LINKS, json={"messageId": MID, "addressId": 601}, headers=headers)
    again = client.post(LINKS, json={"messageId": MID, "addressId": 601}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert links_sent(sandbox) == 1


def test_a_refusal_is_repeated_too_without_asking_onoffice_again(client, auth, sandbox):
    headers = {**auth, "Idempotency-Key": "click-2"}
    first = client.post(LINKS, json={"messageId": MID, "addressId": 999}, headers=headers)
    again = client.post(LINKS, json={"messageId": MID, "addressId": 999}, headers=headers)
    assert first.status_code == again.status_code == 422
    assert first.json == again.json and first.json["error"]["code"] == "record_not_found"
    assert links_sent(sandbox) == 1


def test_the_same_key_with_another_body_is_422(client, auth, sandbox):
    headers = {**auth, "Idempotency-Key": "click-3"}
    assert client.post(LINKS, json={"messageId": MID, "addressId": 601},
                       headers=headers).status_code == 200
    r = client.post(LINKS, json={"messageId": MID, "addressId": 602}, headers=headers)
    assert r.status_code == 422 and r.json["error"]["code"] == "idempotency_key_reused"
    assert links_sent(sandbox) == 1


def test_keys_belong_to_their_user(app, client, auth, sandbox):
    svc = app.extensions["onoffice_mail_link"]
    jonas, _ = svc.sessions.issue("tid:oid-jonas", "jonas.weber@makler-demo.de", "Jonas", "session")
    body = {"messageId": "<b7e1f0a2@gross-hausverwaltung.de>", "addressId": 606}
    assert client.post(LINKS, json={"messageId": MID, "addressId": 601},
                       headers={**auth, "Idempotency-Key": "k"}).status_code == 200
    r = client.post(LINKS, json=body, headers={"Authorization": f"Bearer {jonas}",
                                               "Idempotency-Key": "k"})
    assert r.status_code == 200 and r.json["identity"] == "jonas.weber@makler-demo.de"
    assert links_sent(sandbox) == 2


def test_bad_keys_are_400_and_nothing_is_sent(client, auth, sandbox):
    for key in ("k" * 256, "   "):
        r = client.post(LINKS, json={"messageId": MID, "addressId": 601},
                        headers={**auth, "Idempotency-Key": key})
        assert r.status_code == 400, key
        assert "Idempotency-Key" in r.json["error"]["details"]
    assert links_sent(sandbox) == 0
    r = client.post(LINKS, json={"messageId": MID, "addressId": 601},
                    headers={**auth, "Idempotency-Key": "k" * 255})
    assert r.status_code == 200


def test_the_same_key_concurrently_calls_onoffice_once(scene: Scene):
    scene.sandbox.latency = 0.3  # the first request is still running when the others arrive
    mail = scene.mails[0]
    headers = {**scene.auth(mail.mailbox), "Idempotency-Key": "same-click"}
    gate = threading.Barrier(8)

    def send(_: int):  # type: ignore[no-untyped-def]
        with scene.http() as http:
            gate.wait()
            return http.post(LINKS, json={"messageId": mail.message_id, "addressId": 603},
                             headers=headers)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    assert {r.status_code for r in answers} == {200}
    assert len({r.text for r in answers}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in answers) == 7
    assert len(scene.sandbox.applied) == 1


def test_a_queued_click_repeated_is_still_one_click(scene: Scene):
    mail = scene.mails[3]
    scene.sandbox.set_mode("5xx")
    headers = {**scene.auth(mail.mailbox), "Idempotency-Key": "queued-click"}
    with scene.http() as http:
        answers = [http.post(LINKS, json={"messageId": mail.message_id, "estateId": 2651},
                             headers=headers) for _ in range(3)]
    assert [r.status_code for r in answers] == [202] * 3
    assert answers[0].json() == answers[2].json()
    assert scene.svc.outbox.stats()[0] == 1
    scene.sandbox.set_mode("up")
    scene.wait_drained(10)
    assert scene.sandbox.applied == [(mail.mailbox, mail.message_id, {"estateid": 2651})]
    assert ANNA in {m.mailbox for m in scene.mails}
