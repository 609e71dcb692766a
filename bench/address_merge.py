"""What several contacts per mail cost a click, against onOffice with 50 ms latency.

In one run on this machine, with the sandbox onOffice on a real socket answering after 50 ms
and the backend in-process (Flask test client, SQLite file), medians of sequential clicks:
  * the onOffice calls made directly: one `emailassignments` do, and `emailInfo` + do;
  * POST /api/v1/links with `addressId` (one call, under the mail's lock) and with
    `addAddressIds` (read, merge, write under the lock);
  * the ratios against the direct calls of the same shape (target <= 1.1 each): what the lock,
    the merge and the rest of the backend (sign-in check, two audit writes) add;
  * the mail's lock on its own (in-process lock plus the byte-range lock of the SQLite side file).

    .venv/bin/python bench/address_merge.py [--clicks 60]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app  # noqa: E402
from server.onoffice import OnOfficeClient  # noqa: E402
from server.sandbox.onoffice import SandboxOnOffice  # noqa: E402
from server.store.mail_locks import MailLocks  # noqa: E402
from tests.conftest import NO_IMAP, migrated  # noqa: E402
from tests.servers import serve  # noqa: E402

TOKEN, SECRET = "0123456789abcdef0123456789abcdef", "f" * 64
ANNA, MID = "anna.schmidt@makler-demo.de", "<20261118093412.4F2A1@mueller-partner.de>"
WHERE = {"messageId": MID, "folder": "INBOX", "uid": 17}


def medians_ms(fns: list[Callable[[int], object]], n: int) -> list[float]:
    """Median time of each function; they take turns click by click, so a busy moment of the
    shared machine hits all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn(0)  # warm-up: connections, compiled statements
    for i in range(1, n + 1):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn(i)
            out.append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=60)
    n = parser.parse_args().clicks
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    sandbox = SandboxOnOffice(TOKEN, SECRET, latency=0.05)
    with tempfile.TemporaryDirectory() as tmp, serve(sandbox) as base:
        url = base + "/api/stable/api.php"
        app = create_app({**NO_IMAP, "ONOFFICE_API_URL": url, "ONOFFICE_API_TOKEN": TOKEN,
                          "ONOFFICE_API_SECRET": SECRET, "SECRET_KEY": "bench-" + "k" * 40,
                          "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
                          "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000",
                          "ENTRA_CLIENT_SECRET": "bench", "ENTRA_AUTHORITY_HOST": "https://127.0.0.1:9",
                          "DATABASE_URL": migrated(f"sqlite:///{Path(tmp) / 'b.sqlite3'}")})
        svc = app.extensions["onoffice_mail_link"]
        token, _ = svc.sessions.issue("bench", ANNA, "Anna", "session")
        http, auth = app.test_client(), {"Authorization": f"Bearer {token}"}
        direct = OnOfficeClient(url, TOKEN, SECRET)
        ids = [601 + i % 8 for i in range(n + 2)]  # the sandbox's eight addresses, in turn

        def post(body: dict) -> None:
            r = http.post("/api/v1/links", json={**WHERE, **body}, headers=auth)
            assert r.status_code == 200, r.json

        def direct_read_write(i: int) -> None:
            now = direct.email_links(ANNA, MID, "INBOX", 17)
            linked = [int(a["addressId"]) for a in now.addresses]
            direct.link_email(ANNA, MID, "INBOX", 17, address_ids=[*linked[-3:], ids[i]])

        one, seed, two, add = medians_ms([
            lambda i: direct.link_email(ANNA, MID, "INBOX", 17, address_id=ids[i]),
            lambda i: post({"addressId": ids[i]}),
            direct_read_write,
            # Add, then remove again: the list stays short, as agents' clicks keep it.
            lambda i: post({"addAddressIds": [ids[i]]} if i % 2 else {"removeAddressIds": [ids[i - 1]]}),
        ], n)
        lock = lock_ms(MailLocks(svc.db))
        direct.close()
        svc.onoffice.close()
    print(f"onOffice latency 50 ms; {n} sequential clicks each; medians")
    print(f"  direct: do                       {one:7.1f} ms")
    print(f"  direct: emailInfo + do           {two:7.1f} ms")
    print(f"  backend: addressId               {seed:7.1f} ms   ratio to direct do {seed / one:.3f}")
    print(f"  backend: add/removeAddressIds    {add:7.1f} ms   "
          f"ratio to direct emailInfo + do {add / two:.3f}")
    print(f"  the mail's lock alone (SQLite)   {lock:7.3f} ms   ratio to direct do {lock / one:.4f}")


def lock_ms(locks: MailLocks, rounds: int = 2000) -> float:
    started = time.perf_counter()
    for i in range(rounds):
        with locks.hold(ANNA, f"<{i}@bench>"):
            pass
    return (time.perf_counter() - started) * 1000 / rounds


if __name__ == "__main__":
    main()
