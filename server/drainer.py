"""The drainer: applies queued clicks once onOffice answers again. Plain Python, no Flask.

One runs as a background thread in every web process (under gevent, a green thread), and
``onoffice-mail-link outbox work`` runs one on its own; any number may run against one database.

Why nothing is applied twice, and nothing out of order:

* A click is applied only by the holder of its lease (``OutboxStore.claim``), and only while it
  is the oldest queued click of its (identity, Message-ID). The next click of that mail becomes
  claimable only when the transaction that records the older one's outcome has committed, so a
  mail's clicks reach onOffice one after the other, in the order they were made. A new click
  made while older ones wait is queued behind them without calling onOffice (``LinkService``).
* A crash between onOffice's success and the commit that deletes the row leaves the row
  queued; after the lease expires it is sent again. That is safe because the action *sets*
  state: ``emailassignments`` with ``addressid``/``addressIds``/``estateid`` makes the mail's
  links equal to the values sent, and an ``addAddressIds``/``removeAddressIds`` click is merged
  with what ``emailInfo`` reports under the mail's lock (adding a present id or removing an
  absent one changes nothing), so sending the same click twice in a row ends where sending it
  once does. Order is what matters, and the crashed click is still the head of its mail's
  queue, so no later click has been applied in between. After a timed-out attempt the drainer
  first asks ``emailInfo`` and sends nothing when onOffice already shows the click's result.

While onOffice is down the drainer probes with one click at a time, every few seconds
(capped, jittered back-off); the first success releases every queued click at once, so the
queue drains within seconds of the recovery. A click older than ``OUTBOX_MAX_AGE`` is marked
failed instead of being sent.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from . import onoffice
from .linking import RETRYABLE, LinkService, outcome_of
from .locate import LocateError
from .store.outbox import OutboxStore, QueuedClick

log = logging.getLogger(__name__)

PROBE_CAP = 3.0  # seconds between probes of a down onOffice, at most (recovery within ~5 s)
ROW_CAP = 30.0  # a single click's back-off, at most
IDLE_POLL = 1.0  # how often an idle drainer looks for clicks queued by other processes
CONCURRENCY = 16  # clicks of different mails applied at once by one drainer


_RUNNING: weakref.WeakSet[Drainer] = weakref.WeakSet()


def stop_all() -> None:
    """Stop every drainer of this process (tests end each app's with it)."""
    for drainer in list(_RUNNING):
        drainer.stop()


def backoff(attempts: int, cap: float) -> float:
    """Capped exponential back-off with jitter (half to full), from 0.25 s."""
    return min(cap, 0.25 * 2 ** max(attempts, 0)) * random.uniform(0.5, 1.0)


class Drainer:
    def __init__(self, links: LinkService, outbox: OutboxStore, *, max_age: timedelta,
                 concurrency: int = CONCURRENCY, batch: int = 32,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self._links, self._outbox = links, outbox
        self.max_age, self._clock = max_age, clock
        self._concurrency, self._batch = concurrency, batch
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._down_probes = 0  # > 0 while onOffice is believed down: consecutive failed probes
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self.name = f"drainer-{secrets.token_hex(3)}"

    def __repr__(self) -> str:
        return f"Drainer({self.name}, running={self.running})"

    def use_links(self, links: LinkService) -> None:
        """Apply clicks through another link service (tests swap the locator)."""
        self._links = links

    # -- LinkListener: what the web requests tell us -----------------------------------------

    def queued(self) -> None:
        if not self._down_probes:
            self._wake.set()

    def answered(self) -> None:
        if self._down_probes:
            self._wake.set()  # onOffice answered a request: probe now instead of waiting

    # -- life cycle ------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start_once(self) -> None:
        """Start unless running or stopped on purpose (web processes call this on each request)."""
        if not self.running and not self._stop.is_set():
            self.start()

    def start(self) -> None:
        with self._starting:
            if self.running:
                return
            self._stop.clear()
            self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix=self.name)
            self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
            self._thread.start()
            _RUNNING.add(self)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _RUNNING.discard(self)

    def run(self) -> None:
        """The loop: drain what is due, then sleep until woken, a probe is due or a poll."""
        while not self._stop.is_set():
            try:
                worked = self.drain_once()
            except Exception:  # the database hiccuped: log, wait, go on; the rows stay queued
                log.exception("outbox drainer: pass failed")
                worked = 0
            if worked and not self._down_probes:
                continue
            wait = backoff(self._down_probes, PROBE_CAP) if self._down_probes else IDLE_POLL
            self._wake.wait(wait)
            self._wake.clear()

    # -- one pass --------------------------------------------------------------------------

    def drain_once(self) -> int:
        """Claim due clicks and settle them; returns how many were claimed."""
        probing = self._down_probes > 0
        claimed = self._outbox.claim(1 if probing else self._batch, ignore_schedule=probing)
        if not claimed:
            return 0
        if self._pool is None or len(claimed) == 1:
            results = [self._settle(c) for c in claimed]
        else:
            results = list(self._pool.map(self._settle, claimed))
        if any(r == "ok" for r in results):
            if self._down_probes:
                log.info("outbox: onOffice answers again; releasing the queue")
                self._outbox.release_all()
            self._down_probes = 0
        elif any(r == "retry" for r in results):
            self._down_probes += 1
        return len(claimed)

    def _settle(self, click: QueuedClick) -> str:
        """Apply one claimed click and record what happened: "ok", "retry" or "failed"."""
        if click.created_at < self._clock() - self.max_age:
            self._outbox.fail(click, outcome="failed", code=None, keep=True,
                              detail=f"not applied within OUTBOX_MAX_AGE ({self.max_age}); "
                              f"last error: {click.last_error or 'none'}")
            return "failed"
        try:
            done = self._links.apply_queued(click)
        except RETRYABLE as exc:
            self._outbox.defer(click, kind=outcome_of(exc), error=str(exc),
                               delay=backoff(click.attempts + 1, ROW_CAP))
            return "retry"
        except Exception as exc:  # onOffice refused, the mail is gone, or a bug: settle as failed
            if not isinstance(exc, onoffice.APIError | LocateError):
                log.exception("outbox: click %d failed unexpectedly", click.id)
            code = exc.code if isinstance(exc, onoffice.APIError) else None
            self._outbox.fail(click, outcome="failed", code=code, detail=str(exc), keep=True)
            return "failed"
        self._outbox.done(click, folder=done.location.folder, uid=done.location.uid,
                          added=done.added, removed=done.removed)
        return "ok"
