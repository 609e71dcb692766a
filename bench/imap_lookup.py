"""IMAP lookup latency against a throwaway Dovecot: cold, warm, cached, and a 100,000-mail INBOX.

Run from the repository root:  .venv/bin/python -m bench.imap_lookup  [--messages 100000]

The big INBOX is written as maildir files straight into Dovecot's mail home (100k APPENDs
would take minutes); Dovecot indexes them on the first SELECT. The 100k figure compares one
locator lookup (pipelined EXAMINE + UID SEARCH, then the confirming FETCH) with the same
``UID SEARCH HEADER Message-ID`` sent by bare imaplib, in the same run, alternating, medians
of several rounds: once on an already selected INBOX (the search alone), once after its own
SELECT (the least a correct lookup must do). The locator re-examines on every lookup because
Dovecot's SEARCH does not see mail delivered since the session's last sync; on a 100k maildir
that EXAMINE costs Dovecot ~100 ms, which is the gap to the search-alone figure.
Round trips are counted on the socket (``server/locate/roundtrips.py``).
"""

from __future__ import annotations

import argparse
import imaplib
import os
import pwd
import statistics
import time
from collections.abc import Callable

from server.locate.imap import ImapConfig, ImapLocator
from server.locate.roundtrips import RoundTrips
from tests.imap.conftest import Seeder
from tests.imap.dovecot import MASTER_PASSWORD, MASTER_USER, Dovecot, make_dovecot

SMALL, BIG = "anna.schmidt@makler-demo.de", "archiv@makler-demo.de"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def config(d: Dovecot) -> ImapConfig:
    return ImapConfig(d.host, d.port, "none", "password", f"{{mailbox}}*{MASTER_USER}",
                      MASTER_PASSWORD, timeout=120)


def write_maildir(d: Dovecot, mailbox: str, count: int) -> str:
    """``count`` mails as maildir files in cur/; returns the Message-ID of the newest."""
    user = pwd.getpwnam("dovecot")
    maildir = d.home(mailbox) / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    base = int(time.time()) - count
    for i in range(count):
        raw = (f"From: Kunde {i} <kunde{i}@example.test>\r\nTo: {mailbox}\r\n"
               f"Subject: Anfrage {i}\r\nMessage-ID: <bench.{i}@example.test>\r\n"
               f"Date: Wed, 18 Nov 2026 09:34:12 +0100\r\n\r\nNachricht {i}\r\n").encode()
        name = maildir / "cur" / f"{base + i}.M{i}P1.bench,S={len(raw)}:2,S"
        name.write_bytes(raw)
    for path in [d.home(mailbox), *d.home(mailbox).rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    return f"<bench.{count - 1}@example.test>"


def small_mailbox(d: Dovecot) -> list[tuple[str, str]]:
    seeder, mails = Seeder(d, SMALL), []
    for i in range(30):
        folder = ("INBOX", "Sent", "Kunden/M&APw-ller")[i % 3]
        mid = f"<small.{i}@example.test>"
        seeder.append(folder, mid)
        mails.append((folder, mid))
    return mails


def bench_small(d: Dovecot) -> None:
    mails = small_mailbox(d)
    trips = RoundTrips()
    cold = []
    for _, mid in mails[:9]:
        locator = ImapLocator(config(d), on_connect=trips.attach)
        cold.append(timed(lambda: locator.locate(SMALL, mid)))  # noqa: B023 - called at once
        locator.close()
    locator = ImapLocator(config(d), cache_ttl=0, on_connect=trips.attach)
    locator.locate(SMALL, mails[0][1])  # open and pool the connection
    warm, warm_trips = {}, {}
    for folder, mid in mails:
        trips.reset()
        warm.setdefault(folder, []).append(timed(lambda: locator.locate(SMALL, mid)))  # noqa: B023
        warm_trips.setdefault(folder, []).append(trips.count)
    cached = ImapLocator(config(d))
    cached.locate(SMALL, mails[0][1])
    hit = statistics.median(timed(lambda: cached.locate(SMALL, mails[0][1])) for _ in range(200))
    print(f"small mailbox ({len(mails)} mails in INBOX, Sent, Kunden/Müller):")
    print(f"  cold lookup (connect + login + lookup), median of 9: {ms(statistics.median(cold))}")
    for folder, times in warm.items():
        print(f"  warm lookup, hit in {folder:18} median: {ms(statistics.median(times))}"
              f"   round trips max {max(warm_trips[folder])}")
    print(f"  cached lookup (TTL cache hit), median:           {ms(hit)}")
    locator.close()
    cached.close()


def bench_big(d: Dovecot, count: int, rounds: int) -> None:
    started = time.perf_counter()
    target = write_maildir(d, BIG, count)
    print(f"\n{count:,} mails written as maildir files in {time.perf_counter() - started:.1f} s")
    bare = imaplib.IMAP4(d.host, d.port)
    bare.login(f"{BIG}*{MASTER_USER}", MASTER_PASSWORD)
    index = timed(lambda: bare.select("INBOX", readonly=True))
    print(f"Dovecot indexed them on the first SELECT in {index:.1f} s")
    quoted = bare._quote(target)

    def bare_search() -> None:
        typ, data = bare.uid("SEARCH", "HEADER", "Message-ID", quoted)
        assert typ == "OK" and data[0], (typ, data)

    def bare_select_search() -> None:
        bare.select("INBOX", readonly=True)
        bare_search()

    trips = RoundTrips()
    locator = ImapLocator(config(d), cache_ttl=0, on_connect=trips.attach)
    first = timed(bare_search)
    print(f"first header search (Dovecot reads and caches the headers): {first:.1f} s")
    locator.locate(BIG, target)
    ours, search_only, select_search, counted = [], [], [], []
    for _ in range(rounds):
        search_only.append(timed(bare_search))
        select_search.append(timed(bare_select_search))
        trips.reset()
        ours.append(timed(lambda: locator.locate(BIG, target)))
        counted.append(trips.count)
    a, b, c = (statistics.median(x) for x in (ours, search_only, select_search))
    print(f"lookup in the {count:,}-mail INBOX, medians of {rounds} alternating rounds:")
    print(f"  bare imaplib UID SEARCH, INBOX already selected:  {ms(b)}")
    print(f"  bare imaplib SELECT, then UID SEARCH:             {ms(c)}")
    print(f"  locator (EXAMINE+SEARCH pipelined, then FETCH):   {ms(a)}   round trips {max(counted)}")
    print(f"  ratio locator / bare SEARCH alone:       {a / b:.3f}   (target <= 1.1)")
    print(f"  ratio locator / bare SELECT + SEARCH:    {a / c:.3f}")
    bare.logout()
    locator.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    total = time.perf_counter()
    # tmpfs when there is one: creating 100k files on a busy ext4 disk takes minutes
    d = make_dovecot("/", parent="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        d.start()
        bench_small(d)
        bench_big(d, args.messages, args.rounds)
    finally:
        d.cleanup()
    print(f"\nwhole bench: {time.perf_counter() - total:.0f} s")


if __name__ == "__main__":
    main()
