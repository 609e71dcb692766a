"""onOffice down: every click answers 202, is kept, and is applied once, in order, when it returns.

The sandbox onOffice runs on a real socket and is switched off (HTTP 503 pages, a hang, a body
that is not onOffice's); the backend runs on its own socket with its in-process drainer.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.outbox.conftest import (
    Scene,
    add_mailboxes,
    applied_per_mail,
    as_sent,
    extra_mails,
    intended,
    random_click,
    scene_for,
)

LINKS = "/api/v1/links"


def post(scene: Scene, http, mail, click, key: str | None = None):  # type: ignore[no-untyped-def]
    headers = {**scene.auth(mail.mailbox), "Idempotency-Key": key or uuid.uuid4().hex}
    return http.post(LINKS, json={"messageId": mail.message_id, **click}, headers=headers)


def test_200_clicks_during_an_outage_are_applied_once_each_in_click_order(scene: Scene):
    rng = random.Random(9)
    plan: dict = defaultdict(list)
    for i in range(200):  # every mail at least once, then at random
        plan[scene.mails[i] if i < len(scene.mails) else rng.choice(scene.mails)].append(
            random_click(rng))
    scene.sandbox.set_mode("5xx")
    statuses: list[int] = []

    def one_mail(mail) -> None:  # type: ignore[no-untyped-def]
        with scene.http() as http:
            for click in plan[mail]:  # a mail's clicks one after the other, as an agent makes them
                statuses.append(post(scene, http, mail, click).status_code)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one_mail, plan))
    assert statuses == [202] * 200
    assert scene.sandbox.applied == []
    assert scene.svc.outbox.stats()[0] == 200
    assert len({m.mailbox for m in plan}) == 3

    scene.sandbox.set_mode("up")
    scene.wait_drained(10)

    applied = applied_per_mail(scene.sandbox)
    for mail, clicks in plan.items():
        assert applied[mail.message_id] == [as_sent(c) for c in clicks], mail.message_id
        assert scene.sandbox.links[(mail.mailbox, mail.message_id)] == intended(clicks)
    assert len(scene.sandbox.applied) == 200


@pytest.mark.parametrize("mode", ["hang", "garbage", "5xx"])
def test_a_click_onoffice_does_not_answer_is_queued_then_applied(scene: Scene, mode: str):
    mail = scene.mails[0]
    scene.sandbox.set_mode(mode)
    with scene.http() as http:
        r = post(scene, http, mail, {"addressId": 601, "estateId": 2649})
        assert r.status_code == 202, r.text
        assert r.json()["status"] == "queued"
        assert r.json()["pending"]["attempts"] == 1 and r.json()["pending"]["lastError"]
        # A read while down is still a 503/504, and it names the clicks that wait.
        r = http.get(LINKS, params={"messageId": mail.message_id}, headers=scene.auth(mail.mailbox))
        assert r.status_code in (503, 504)
        pending = r.json()["error"]["details"]["pending"]
        assert [(p["addressId"], p["estateId"], p["by"]) for p in pending] == [
            (601, 2649, mail.mailbox)]
        scene.sandbox.set_mode("up")
        scene.wait_drained(10)
        view = http.get(LINKS, params={"messageId": mail.message_id},
                        headers=scene.auth(mail.mailbox)).json()
    assert [a["id"] for a in view["addresses"]] == [601]
    assert view["pending"] == []
    assert view["history"][0]["outcome"] == "ok"
    assert scene.sandbox.applied == [(mail.mailbox, mail.message_id,
                                      {"addressid": 601, "estateid": 2649})]


def test_a_new_click_queues_behind_older_ones_even_when_onoffice_is_up(scene: Scene):
    mail = scene.mails[1]
    scene.sandbox.set_mode("5xx")
    with scene.http() as http:
        assert post(scene, http, mail, {"addressId": 601}).status_code == 202
        scene.svc.drainer.stop()  # hold the queue still (stopped on purpose, requests leave it)
        scene.sandbox.set_mode("up")
        r = post(scene, http, mail, {"addressId": 0})
        assert r.status_code == 202  # the unlink waits for the older link: never overtakes it
        assert scene.sandbox.applied == []
        scene.svc.drainer.start()
        scene.wait_drained(10)
    assert [p for _, _, p in scene.sandbox.applied] == [{"addressid": 601}, {"addressid": 0}]
    assert scene.sandbox.links[(mail.mailbox, mail.message_id)]["addresses"] == []


def test_a_queued_click_onoffice_later_refuses_shows_as_failed_with_its_code(scene: Scene):
    mail = scene.mails[2]
    scene.sandbox.set_mode("5xx")
    scene.sandbox.addresses.pop(608)  # deleted in onOffice while the click waits
    with scene.http() as http:
        assert post(scene, http, mail, {"addressId": 608}).status_code == 202
        scene.sandbox.set_mode("up")
        scene.wait_drained(10)
        view = http.get(LINKS, params={"messageId": mail.message_id},
                        headers=scene.auth(mail.mailbox)).json()
    assert view["pending"] == []
    assert (view["history"][0]["outcome"], view["history"][0]["errorCode"]) == ("failed", 292)
    assert scene.sandbox.applied == []
    [kept] = scene.svc.outbox.all()
    assert kept.state == "failed" and kept.last_code == 292


def test_a_click_older_than_outbox_max_age_is_marked_failed_not_sent(config, sandbox):
    mails = extra_mails(3)
    add_mailboxes(sandbox, mails)
    for scene in scene_for(config, sandbox, mails, OUTBOX_MAX_AGE="1s"):
        scene.sandbox.set_mode("5xx")
        with scene.http() as http:
            assert post(scene, http, mails[0], {"estateId": 2650}).status_code == 202
            time.sleep(1.2)
            scene.sandbox.set_mode("up")
            scene.wait_drained(10)
            view = http.get(LINKS, params={"messageId": mails[0].message_id},
                            headers=scene.auth(mails[0].mailbox)).json()
        assert view["history"][0]["outcome"] == "failed"
        assert view["estates"] == [] and scene.sandbox.applied == []
        assert "OUTBOX_MAX_AGE" in scene.svc.outbox.all()[0].last_error
