"""Colleagues adding contacts to one mail at the same moment, through two app instances."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import httpx
import pytest

from server.sandbox.data import Address
from tests.conftest import MID, migrated

CLIENTS = 20
IDS = [900 + i for i in range(CLIENTS)]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def many_contacts(sandbox):  # type: ignore[no-untyped-def]
    for i in IDS:
        sandbox.addresses[i] = Address(i, f"K-{i}", "Kontakt", str(i), "", (f"k{i}@example.test",))
    sandbox.latency = 0.05  # every read-merge-write overlaps the others without the lock
    return sandbox


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request, config, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The database both instances use: the config's SQLite file, or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        return config["DATABASE_URL"]
    return migrated(request.getfixturevalue("postgres").create_database())


@contextmanager
def instance(config: dict[str, str]) -> Iterator[str]:
    env = {**os.environ, "TEST_APP_CONFIG": json.dumps(config)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.instance"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert port.isdigit(), "the instance did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()  # type: ignore[union-attr]


def add_all_at_once(bases: list[str], token: str) -> list[int]:
    barrier = threading.Barrier(CLIENTS)
    statuses: list[int] = [0] * CLIENTS

    def one(n: int) -> None:
        body = {"messageId": MID, "folder": "INBOX", "uid": 17, "addAddressIds": [IDS[n]]}
        with httpx.Client(base_url=bases[n % len(bases)], timeout=60) as http:
            barrier.wait()
            r = http.post("/api/v1/links", json=body, headers={"Authorization": f"Bearer {token}"})
            statuses[n] = r.status_code

    threads = [threading.Thread(target=one, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return statuses


def linked(sandbox) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(next(iter(sandbox.links.values()))["addresses"])


def test_twenty_colleagues_through_two_instances_all_end_up_linked(config, shared_database,
                                                                    many_contacts):
    from server import create_app
    app = create_app({**config, "DATABASE_URL": shared_database})
    svc = app.extensions["onoffice_mail_link"]
    token, _ = svc.sessions.issue("tid:oid-anna", "anna.schmidt@makler-demo.de", "Anna", "session")
    env = {**config, "DATABASE_URL": shared_database}
    try:
        with instance(env) as first, instance(env) as second:
            statuses = add_all_at_once([first, second], token)
        assert statuses == [200] * CLIENTS
        assert linked(many_contacts) == IDS
        audit = svc.audit.history("anna.schmidt@makler-demo.de", MID)
        assert sorted(i for e in audit for i in e.added_ids or []) == IDS
    finally:
        svc.onoffice.close()
        svc.db.engine.dispose()


def test_without_the_lock_additions_are_lost(app, session_token, many_contacts, monkeypatch):
    """The check above can fail: with the lock switched off, concurrent merges overwrite.

    The outbox applies a mail's clicks one after another too (a click waits for older ones
    other requests are applying), so that is switched off as well.
    """
    from server.store.mail_locks import MailLocks
    from server.store.outbox import OutboxStore
    monkeypatch.setattr(MailLocks, "hold", lambda self, identity, message_id: nullcontext())
    monkeypatch.setattr(OutboxStore, "wait_turn", lambda self, click, timeout: True)
    from tests.servers import serve
    with serve(app) as base:
        statuses = add_all_at_once([base], session_token)
    assert statuses == [200] * CLIENTS
    assert len(linked(many_contacts)) < CLIENTS
