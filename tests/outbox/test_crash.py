"""kill -9 of the outbox worker while it drains: after a restart nothing is lost, order kept."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from server import create_app
from tests.outbox.conftest import (
    add_mailboxes,
    applied_per_mail,
    as_sent,
    extra_mails,
    intended,
    random_click,
)


def collapse(items: list) -> list:  # type: ignore[type-arg]
    """Runs of equal items as one: a click re-sent after a crash shows twice in a row."""
    return [x for i, x in enumerate(items) if i == 0 or items[i - 1] != x]


def worker(env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    command = Path(sys.executable).with_name("onoffice-mail-link")
    with log.open("ab") as out:  # the child keeps its own descriptor
        return subprocess.Popen([str(command), "outbox", "work"], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def test_kill_9_of_the_worker_while_it_drains_loses_nothing(config, sandbox, tmp_path):
    config = {**config, "ONOFFICE_CONNECT_TIMEOUT": "1", "ONOFFICE_READ_TIMEOUT": "1"}
    mails = extra_mails(20)
    add_mailboxes(sandbox, mails)
    app = create_app(config)
    svc = app.extensions["onoffice_mail_link"]
    client = app.test_client()
    tokens = {m: svc.sessions.issue(f"tid:{m}", m, m, "session")[0] for m in {x.mailbox for x in mails}}
    rng, plan = random.Random(7), defaultdict(list)
    sandbox.set_mode("5xx")
    for i in range(120):
        mail = mails[i % len(mails)]
        click = random_click(rng)
        plan[mail].append(click)
        r = client.post("/api/v1/links", json={"messageId": mail.message_id, "folder": "INBOX",
                                               "uid": mail.uid, **click},
                        headers={"Authorization": f"Bearer {tokens[mail.mailbox]}"})
        assert r.status_code == 202
    svc.drainer.stop()  # from here on only the worker process drains
    assert svc.outbox.stats()[0] == 120

    env = {**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}, **config}
    log = tmp_path / "worker.log"
    sandbox.latency = 0.05
    sandbox.set_mode("up")
    first = worker(env, tmp_path, log)
    try:
        deadline = time.monotonic() + 30
        while len(sandbox.applied) < 30:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    left = svc.outbox.stats()[0]
    assert 0 < left < 120, "the kill did not land while the worker drained"

    second = worker(env, tmp_path, log)
    try:
        deadline = time.monotonic() + 40
        while svc.outbox.stats()[0]:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    assert second.returncode == 0, log.read_text()

    applied = applied_per_mail(sandbox)
    for mail, clicks in plan.items():
        sent = [as_sent(c) for c in clicks]
        assert collapse(applied[mail.message_id]) == collapse(sent), mail.message_id
        assert sandbox.links[(mail.mailbox, mail.message_id)] == intended(clicks)
    # Only the clicks in flight at the kill may have reached onOffice twice.
    assert 120 <= len(sandbox.applied) <= 120 + 32
    svc.onoffice.close()
