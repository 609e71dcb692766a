"""A bounded, thread-safe pool of authenticated connections, keyed by mailbox.

Opening an IMAP connection costs a TCP (and TLS) handshake, the greeting and a login: more
than the lookup itself. Keeping a few logged-in connections per mailbox makes a warm lookup
cost only the commands of the lookup. Bounds: at most ``max_open`` connections in use plus
idle, ``max_idle_per_key`` idle ones per mailbox, ``max_idle`` idle ones overall, and idle
ones older than ``idle_timeout`` are closed instead of reused (servers drop idle clients).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

C = TypeVar("C")


class PoolExhausted(Exception):
    """Every connection slot stayed busy for the whole wait."""


class ConnectionPool(Generic[C]):
    def __init__(self, opener: Callable[[str], C], closer: Callable[[C], None], *,
                 max_open: int = 32, max_idle_per_key: int = 2, max_idle: int = 16,
                 idle_timeout: float = 60.0, wait: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self._open, self._close, self._clock = opener, closer, clock
        self._max_idle_per_key, self._max_idle = max_idle_per_key, max_idle
        self._idle_timeout, self._wait = idle_timeout, wait
        self._slots = threading.BoundedSemaphore(max_open)
        self._idle: dict[str, list[tuple[float, C]]] = {}  # newest last
        self._lock = threading.Lock()

    def acquire(self, key: str) -> tuple[C, bool]:
        """A connection for ``key`` and whether it was reused (True) or just opened."""
        if not self._slots.acquire(timeout=self._wait):
            raise PoolExhausted(f"all connection slots busy for {self._wait} s")
        try:
            conn = self._take_idle(key)
            return (conn, True) if conn is not None else (self._open(key), False)
        except BaseException:
            self._slots.release()
            raise

    def release(self, key: str, conn: C) -> None:
        """Give a healthy connection back for reuse."""
        with self._lock:
            self._idle.setdefault(key, []).append((self._clock(), conn))
            surplus = self._trim()
        self._slots.release()
        self._close_all(surplus)

    def discard(self, conn: C) -> None:
        """Close a connection that must not be reused (broken, or in an unknown state)."""
        self._slots.release()
        self._close_all([conn])

    def close(self) -> None:
        with self._lock:
            conns = [c for entries in self._idle.values() for _, c in entries]
            self._idle.clear()
        self._close_all(conns)

    def idle_count(self, key: str | None = None) -> int:
        with self._lock:
            if key is not None:
                return len(self._idle.get(key, []))
            return sum(len(v) for v in self._idle.values())

    def _take_idle(self, key: str) -> C | None:
        with self._lock:
            expired = self._expire()
            entries = self._idle.get(key)
            conn = entries.pop()[1] if entries else None
        self._close_all(expired)
        return conn

    def _expire(self) -> list[C]:
        """Drop idle connections past the idle timeout (caller holds the lock)."""
        limit, expired = self._clock() - self._idle_timeout, []
        for key, entries in list(self._idle.items()):
            expired += [c for since, c in entries if since <= limit]
            entries[:] = [(since, c) for since, c in entries if since > limit]
            if not entries:
                del self._idle[key]
        return expired

    def _trim(self) -> list[C]:
        """Enforce the idle bounds, closing the longest-idle first (caller holds the lock)."""
        surplus = self._expire()
        for entries in self._idle.values():
            while len(entries) > self._max_idle_per_key:
                surplus.append(entries.pop(0)[1])
        everything = sorted((since, key) for key, entries in self._idle.items() for since, _ in entries)
        for _, key in everything[:max(0, len(everything) - self._max_idle)]:
            surplus.append(self._idle[key].pop(0)[1])
        for key in [k for k, v in self._idle.items() if not v]:
            del self._idle[key]
        return surplus

    def _close_all(self, conns: list[C]) -> None:
        for conn in conns:
            with contextlib.suppress(Exception):  # closing a dead connection may fail; fine
                self._close(conn)
