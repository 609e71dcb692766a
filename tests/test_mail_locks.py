"""The per-mail lock on SQLite: held across processes, per mail, and given up after a wait."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from server.store.db import Database
from server.store.mail_locks import MailBusy, MailLocks
from tests.conftest import migrated

HOLD = """
import sys, time
from server.store.db import Database
from server.store.mail_locks import MailLocks
with MailLocks(Database(sys.argv[1])).hold("info@makler-demo.de", "<m@x>"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(migrated(f"sqlite:///{tmp_path / 'locks.sqlite3'}"))


def test_another_process_holding_the_mail_makes_us_wait_then_give_up(db, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db.engine.url), "1.5"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"  # type: ignore[union-attr]
        locks = MailLocks(db, wait_seconds=0.3)
        with pytest.raises(MailBusy), locks.hold("INFO@makler-demo.de", "<m@x>"):
            pass
        with locks.hold("info@makler-demo.de", "<other@x>"):  # another mail is free
            pass
        started = time.monotonic()
        with MailLocks(db, wait_seconds=10).hold("info@makler-demo.de", "<m@x>"):
            waited = time.monotonic() - started
        assert 0.5 < waited < 5  # got it once the other process let go
    finally:
        holder.wait(10)
        holder.stdout.close()  # type: ignore[union-attr]


def test_threads_of_one_process_take_turns_and_writes_go_on(db):
    locks, inside, most = MailLocks(db), [0], [0]

    def work() -> None:
        with locks.hold("a@makler-demo.de", "<m@x>"):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            time.sleep(0.01)
            inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    with locks.hold("a@makler-demo.de", "<held@x>"):
        for t in threads:
            t.start()
        # While a mail is held, the database still takes writes (the audit log needs them).
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
    for t in threads:
        t.join(10)
    assert most[0] == 1
