"""Several instances: two gunicorn servers (separate processes, own ports, one worker each, so
each has its own caches) on one PostgreSQL, real Dovecot and the sandbox onOffice over HTTP.
Requests alternate between them, as a load balancer would send them."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server import create_app
from server.sandbox.onoffice import SandboxOnOffice

from .. import gunicorn
from ..conftest import ANNA
from ..pg import Postgres
from .conftest import Seeder, new_message_id, teach
from .dovecot import Dovecot
from .test_api_imap import imap_env

CACHE_SECONDS = 2  # SESSION_CACHE_SECONDS: how long a process trusts a session it has seen
SLACK = 3.0  # a loaded machine's scheduling on top of that


@dataclass
class Cluster:
    env: dict[str, str]
    instances: tuple[gunicorn.Instance, gunicorn.Instance]
    auth: dict[str, str]
    cwd: Path

    def call(self, n: int, method: str, path: str, **kw: object) -> httpx.Response:
        """Request number ``n`` goes to instance n % 2."""
        url = self.instances[n % 2].url + path
        return httpx.request(method, url, headers=self.auth, timeout=30, **kw)  # type: ignore[arg-type]


@pytest.fixture
def cluster(config: dict[str, str], dovecot: Dovecot, postgres: Postgres, pg_migrated_template: str,
            tmp_path: Path) -> Iterator[Cluster]:
    env = {**imap_env(config, dovecot.port), "WEB_CONCURRENCY": "1",
           "DATABASE_URL": postgres.create_database(pg_migrated_template),
           "SESSION_CACHE_SECONDS": str(CACHE_SECONDS)}
    app = create_app(env)
    svc = app.extensions["onoffice_mail_link"]
    token, _ = svc.sessions.issue("tid:oid-anna", ANNA, "Anna Schmidt", "session")
    svc.onoffice.close()
    svc.locator.close()
    svc.db.engine.dispose()
    started = (gunicorn.start(env, tmp_path), gunicorn.start(env, tmp_path))
    try:
        for inst in started:
            inst.wait_healthy()
        yield Cluster(env, started, {"Authorization": f"Bearer {token}"}, tmp_path)
    finally:
        for inst in started:
            inst.stop()
        for inst in started:
            inst.wait_stopped()


def test_a_session_revoked_through_one_is_refused_by_both_within_the_delay(cluster: Cluster) -> None:
    for n in range(4):  # both instances have now seen (and cached) the live session
        assert cluster.call(n, "GET", "/api/v1/me").status_code == 200
    revoked = subprocess.run([sys.executable, "-m", "server", "sessions", "revoke", ANNA],
                             cwd=cluster.cwd, env=gunicorn.environment(cluster.env),
                             capture_output=True, text=True, timeout=60)
    assert revoked.stdout.strip() == f"revoked 1 session(s) of {ANNA}", revoked.stderr
    since, refused_after = time.monotonic(), {}
    n = 0
    while len(refused_after) < 2 and time.monotonic() - since < CACHE_SECONDS + SLACK:
        if cluster.call(n, "GET", "/api/v1/me").status_code == 401:
            refused_after.setdefault(n % 2, time.monotonic() - since)
        n += 1
        time.sleep(0.05)
    assert sorted(refused_after) == [0, 1], f"still accepted after {CACHE_SECONDS + SLACK} s"
    answers = [cluster.call(k, "GET", "/api/v1/me") for k in range(6)]
    assert [r.status_code for r in answers] == [401] * 6  # and it stays refused on both
    assert answers[0].json()["error"]["code"] and "Bearer" not in answers[0].text


def test_the_audit_history_written_by_both_shows_on_both(cluster: Cluster, seeder: Seeder,
                                                         sandbox: SandboxOnOffice) -> None:
    mid = new_message_id("two")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    assert cluster.call(0, "POST", "/api/v1/links", json={"messageId": mid, "addressId": 601}
                        ).status_code == 200
    assert cluster.call(1, "POST", "/api/v1/links", json={"messageId": mid, "estateId": 2649}
                        ).status_code == 200
    views = [cluster.call(n, "GET", "/api/v1/links", params={"messageId": mid}) for n in (0, 1)]
    assert [v.status_code for v in views] == [200, 200]
    histories = [[(h["action"], h["addressId"], h["estateId"], h["outcome"]) for h in v.json()["history"]]
                 for v in views]
    assert histories[0] == histories[1] == [("link", None, 2649, "ok"), ("link", 601, None, "ok")]
    assert {a["id"] for a in views[1].json()["addresses"]} == {601}
    assert {e["id"] for e in views[0].json()["estates"]} == {2649}


def test_a_mail_moved_after_both_cached_its_location_is_linked_right_by_both(
        cluster: Cluster, seeder: Seeder, sandbox: SandboxOnOffice) -> None:
    mid = new_message_id("moved")
    folder, uid, _ = seeder.append("INBOX", mid)
    teach(sandbox, folder, uid, mid)
    for n in (0, 1):  # each instance looks the mail up over IMAP and caches where it is
        r = cluster.call(n, "POST", "/api/v1/links", json={"messageId": mid, "addressId": 601})
        assert (r.status_code, r.json()["folder"], r.json()["uid"]) == (200, "INBOX", uid), r.text
    new_folder, new_uid = seeder.move(folder, uid, "Archiv/2026", mid)
    teach(sandbox, new_folder, new_uid, mid)  # onOffice now sees it only there
    before = len(sandbox.received)
    for n, address in ((1, 602), (0, 603)):
        r = cluster.call(n, "POST", "/api/v1/links", json={"messageId": mid, "addressId": address})
        assert r.status_code == 200, r.text
        assert (r.json()["folder"], r.json()["uid"]) == (new_folder, new_uid)
        sent = sandbox.received[-1]["parameters"]
        assert (sent["folder"], sent["uid"], sent["addressid"]) == (new_folder, new_uid, address)
    assert sandbox.links[(ANNA, mid)]["addresses"] == [603]
    # Both first tried the location they had cached; onOffice's "not there" made them look again.
    tried = [(a["parameters"]["folder"], a["parameters"]["uid"]) for a in list(sandbox.received)[before:]
             if a.get("resourcetype") == "emailassignments"]
    assert tried == [("INBOX", uid), (new_folder, new_uid)] * 2
    view = cluster.call(1, "GET", "/api/v1/links", params={"messageId": mid}).json()
    assert (view["folder"], view["uid"]) == (new_folder, new_uid)
    assert [h["addressId"] for h in view["history"]] == [603, 602, 601, 601]
