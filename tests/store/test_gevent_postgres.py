"""gunicorn's gevent workers on PostgreSQL: a query waiting in the database must not stop the
worker's other requests. The master imports psycopg (preflight) before gevent patches a worker,
and psycopg's C wait function would then block the whole worker on every round trip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .. import gunicorn

# What a worker does: gunicorn reads the settings in the master (our preflight connects), forks,
# gevent patches, then requests run as greenlets. One greenlet waits on a lock in PostgreSQL that
# only another greenlet can release: with a blocking wait it times out instead.
WORKER = """
import gevent.monkey, os
import server.gunicorn_conf
gevent.monkey.patch_all()
import gevent, psycopg.waiting
from sqlalchemy import text
from server.store.db import engine_for

engine = engine_for(os.environ["DATABASE_URL"])
with engine.connect() as holder:
    holder.execute(text("SELECT pg_advisory_lock(8)"))
    def waiter():
        with engine.connect() as conn:
            conn.execute(text("SET lock_timeout = '5s'"))
            conn.execute(text("SELECT pg_advisory_lock(8)"))
            conn.execute(text("SELECT pg_advisory_unlock(8)"))
        return "got the lock"
    job = gevent.spawn(waiter)
    gevent.sleep(0.5)
    holder.execute(text("SELECT pg_advisory_unlock(8)"))
    holder.commit()
    job.join(30)
print(psycopg.waiting.wait.__name__, job.value or repr(job.exception).splitlines()[0])
engine.dispose()
"""


def test_a_query_waiting_in_postgres_leaves_the_gevent_worker_free(
        config: dict[str, str], postgres, pg_migrated_template: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {**config, "DATABASE_URL": postgres.create_database(pg_migrated_template),
           "GUNICORN_WORKER_CLASS": "gevent"}
    done = subprocess.run([sys.executable, "-c", WORKER], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=gunicorn.environment(env))
    assert done.returncode == 0, done.stderr
    wait_function, outcome = done.stdout.strip().split(" ", 1)
    assert outcome == "got the lock"
    assert wait_function != "wait_c"
