"""Two instances on one PostgreSQL drain one outbox together: no click applied twice."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from tests.conftest import migrated
from tests.outbox.conftest import (
    add_mailboxes,
    applied_per_mail,
    as_sent,
    extra_mails,
    intended,
    random_click,
    scene_for,
)


def test_two_instances_on_one_postgresql_apply_each_click_once_in_order(
        config, sandbox, postgres):
    config = {**config, "DATABASE_URL": migrated(postgres.create_database())}
    mails = extra_mails(50)
    add_mailboxes(sandbox, mails)
    with ExitStack() as stack:
        scenes = [stack.enter_context(_scene(config, sandbox, mails)) for _ in range(2)]
        rng = random.Random(11)
        plan: dict = defaultdict(list)
        for i in range(200):
            plan[mails[i] if i < len(mails) else rng.choice(mails)].append(random_click(rng))
        sandbox.set_mode("5xx")
        statuses: list[int] = []

        def one_mail(mail) -> None:  # type: ignore[no-untyped-def]
            for click in plan[mail]:  # each click through either instance, as a balancer sends
                scene = rng.choice(scenes)
                with scene.http() as http:
                    r = http.post("/api/v1/links", json={"messageId": mail.message_id, **click},
                                  headers={**scene.auth(mail.mailbox),
                                           "Idempotency-Key": uuid.uuid4().hex})
                statuses.append(r.status_code)

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(one_mail, plan))
        assert statuses == [202] * 200
        assert scenes[0].svc.outbox.stats()[0] == 200
        assert all(s.svc.drainer.running for s in scenes)
        sandbox.set_mode("up")
        scenes[0].wait_drained(10)

    applied = applied_per_mail(sandbox)
    for mail, clicks in plan.items():
        assert applied[mail.message_id] == [as_sent(c) for c in clicks], mail.message_id
        assert sandbox.links[(mail.mailbox, mail.message_id)] == intended(clicks)
    assert len(sandbox.applied) == 200


def _scene(config, sandbox, mails):  # type: ignore[no-untyped-def]
    from contextlib import contextmanager

    return contextmanager(scene_for)(config, sandbox, mails)
