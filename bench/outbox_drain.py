"""How fast the outbox empties once onOffice answers again, after clicks piled up while it was down.

In one run, on this machine:
  * the sandbox onOffice on a loopback socket with 50 ms latency, switched off (HTTP 503 pages);
  * the backend app (non-demo configuration, SQLite) takes 1,000 clicks on 200 mails of three
    users, each answered 202 and kept in the outbox;
  * onOffice comes back; the app's own drainer (as in a web process) applies them.
Prints how long after the recovery the last click was applied, the clicks per second drained
while draining, and as the baseline the same 1,000 links sent straight to the sandbox with the
onOffice client at the drainer's concurrency, measured in the same run.

    .venv/bin/python bench/outbox_drain.py [--clicks 1000] [--mails 200] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app  # noqa: E402
from server.drainer import CONCURRENCY  # noqa: E402
from server.onoffice import OnOfficeClient  # noqa: E402
from server.sandbox import data  # noqa: E402
from server.sandbox.onoffice import SandboxOnOffice  # noqa: E402
from server.store import schema  # noqa: E402
from server.store.db import engine_for  # noqa: E402

TOKEN, SECRET = "0123456789abcdef0123456789abcdef", "f" * 64
USERS = (*data.MAILBOXES, "lena.koch@makler-demo.de")


def mails(count: int) -> list[data.Mail]:
    return [data.Mail(USERS[i % 3], "INBOX", 5000 + i, f"<drain-{i}@kunden.example>", f"Anfrage {i}",
                      ("Kunde", "kunde@kunden.example"), (), "2026-11-30T10:00:00+01:00")
            for i in range(count)]


def clicks(all_mails: list[data.Mail], count: int) -> list[tuple[data.Mail, dict[str, int]]]:
    rng = random.Random(1)
    ids = [a.id for a in data.ADDRESSES]
    return [(all_mails[i % len(all_mails)],
             rng.choice([{"addressId": rng.choice(ids)}, {"addressId": 0, "estateId": 0},
                         {"estateId": rng.choice([e.id for e in data.ESTATES])}]))
            for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clicks", type=int, default=1000)
    parser.add_argument("--mails", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=50)
    opts = parser.parse_args()
    sandbox = SandboxOnOffice(TOKEN, SECRET, latency=opts.latency_ms / 1000)
    the_mails = mails(opts.mails)
    sandbox.mails.extend(the_mails)
    sandbox.identities.update({u: u for u in USERS})
    server = make_server("127.0.0.1", 0, sandbox, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/api/stable/api.php"
    database = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-drain-')) / 'd.sqlite3'}"
    engine = engine_for(database)
    schema.upgrade(engine)
    engine.dispose()
    app = create_app({
        "ONOFFICE_API_URL": url, "ONOFFICE_API_TOKEN": TOKEN, "ONOFFICE_API_SECRET": SECRET,
        "SECRET_KEY": "bench-" + "k" * 40, "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
        "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000", "ENTRA_CLIENT_SECRET": "bench",
        "IMAP_HOST": "127.0.0.1", "IMAP_PORT": "9", "IMAP_TLS": "none", "IMAP_AUTH": "password",
        "IMAP_PASSWORD": "unused", "DATABASE_URL": database, "PUBLIC_URL": "https://bench.test"})
    svc = app.extensions["onoffice_mail_link"]
    client = app.test_client()
    tokens = {u: svc.sessions.issue(f"bench:{u}", u, u, "session")[0] for u in USERS}
    plan = clicks(the_mails, opts.clicks)

    sandbox.set_mode("5xx")
    started = time.perf_counter()
    for mail, click in plan:
        r = client.post("/api/v1/links", headers={"Authorization": f"Bearer {tokens[mail.mailbox]}"},
                        json={"messageId": mail.message_id, "folder": "INBOX", "uid": mail.uid, **click})
        assert r.status_code == 202, r.text
    queued_in = time.perf_counter() - started
    assert svc.outbox.stats()[0] == opts.clicks
    time.sleep(2)  # the drainer is probing a down onOffice now, as in a real outage

    sandbox.set_mode("up")
    recovered = time.perf_counter()
    first = None
    while svc.outbox.stats()[0]:
        if first is None and len(sandbox.applied):
            first = time.perf_counter()
        time.sleep(0.01)
    done = time.perf_counter()
    svc.drainer.stop()
    assert len(sandbox.applied) == opts.clicks, len(sandbox.applied)
    first = first or done
    drained_rate = opts.clicks / (done - first) if done > first else float("inf")

    direct = OnOfficeClient(url, TOKEN, SECRET)
    concurrency = CONCURRENCY

    def send(item: tuple[data.Mail, dict[str, int]]) -> None:
        mail, click = item
        kwargs = {"address_id" if k == "addressId" else "estate_id": v for k, v in click.items()}
        direct.link_email(mail.mailbox, mail.message_id, "INBOX", mail.uid, **kwargs)

    base_start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, plan))
    base_rate = opts.clicks / (time.perf_counter() - base_start)
    direct.close()
    server.shutdown()

    print(f"{opts.clicks} clicks on {opts.mails} mails of 3 users, queued while onOffice was down "
          f"(all 202, {queued_in:.1f} s); onOffice latency {opts.latency_ms} ms; SQLite")
    print(f"  all applied {done - recovered:6.2f} s after onOffice answered again "
          f"(first after {first - recovered:.2f} s; target: within 5 s of recovery)")
    print(f"  drained          {drained_rate:7.1f} clicks/s")
    print(f"  direct baseline  {base_rate:7.1f} clicks/s (the same links, {concurrency} at a time, "
          "no outbox, no order)")
    print(f"  ratio drained/direct {drained_rate / base_rate:.3f}")


if __name__ == "__main__":
    main()
