"""The connection pool's bounds and the location cache's TTL, with fake connections and clocks."""

from __future__ import annotations

import threading

import pytest

from server.locate.cache import TTLCache
from server.locate.pool import ConnectionPool, PoolExhausted


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Conns:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.closed: list[str] = []

    def open(self, key: str) -> str:
        name = f"{key}#{len(self.opened)}"
        self.opened.append(name)
        return name

    def close(self, conn: str) -> None:
        self.closed.append(conn)


def make(conns: Conns, clock: Clock, **kw: object) -> ConnectionPool[str]:
    return ConnectionPool(conns.open, conns.close, clock=clock, **kw)  # type: ignore[arg-type]


def test_released_connections_are_reused_per_key():
    conns, clock = Conns(), Clock()
    pool = make(conns, clock)
    a, reused = pool.acquire("anna")
    assert not reused
    pool.release("anna", a)
    assert pool.acquire("anna") == (a, True)
    assert pool.acquire("jonas")[0] != a


def test_idle_connections_expire():
    conns, clock = Conns(), Clock()
    pool = make(conns, clock, idle_timeout=60)
    a, _ = pool.acquire("anna")
    pool.release("anna", a)
    clock.now += 61
    b, reused = pool.acquire("anna")
    assert not reused and b != a and conns.closed == [a]


def test_idle_bounds_per_key_and_overall():
    conns, clock = Conns(), Clock()
    pool = make(conns, clock, max_idle_per_key=2, max_idle=3)
    held = [pool.acquire("anna")[0] for _ in range(4)]
    for c in held:
        clock.now += 1
        pool.release("anna", c)
    assert pool.idle_count("anna") == 2 and conns.closed == held[:2]
    others = [pool.acquire(k)[0] for k in ("b", "c")]
    for k, c in zip(("b", "c"), others, strict=True):
        clock.now += 1
        pool.release(k, c)
    assert pool.idle_count() == 3 and held[2] in conns.closed  # longest idle went first


def test_open_connections_are_bounded():
    conns, clock = Conns(), Clock()
    pool = make(conns, clock, max_open=2, wait=0.05)
    first, _ = pool.acquire("a")
    pool.acquire("b")
    with pytest.raises(PoolExhausted):
        pool.acquire("c")
    pool.discard(first)
    assert pool.acquire("c")[0] == "c#2"


def test_failed_open_gives_the_slot_back():
    clock = Clock()

    def broken(key: str) -> str:
        raise OSError("refused")

    pool: ConnectionPool[str] = ConnectionPool(broken, lambda c: None, max_open=1, wait=0.05, clock=clock)
    for _ in range(3):
        with pytest.raises(OSError):
            pool.acquire("a")


def test_pool_is_thread_safe():
    conns, clock = Conns(), Clock()
    pool = make(conns, clock, max_open=4, max_idle_per_key=4, max_idle=4)
    in_use: set[str] = set()
    lock, errors = threading.Lock(), []

    def work() -> None:
        for _ in range(200):
            c, _ = pool.acquire("anna")
            with lock:
                if c in in_use:
                    errors.append(c)
                in_use.add(c)
            with lock:
                in_use.discard(c)
            pool.release("anna", c)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(conns.opened) <= 4


def test_cache_ttl_pop_and_size():
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(ttl=10, max_entries=2, clock=clock)
    cache.put("a", 1)
    assert cache.get("a") == 1
    clock.now += 11
    assert cache.get("a") is None
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert cache.get("a") is None and cache.get("c") == 3
    cache.pop("c")
    assert cache.get("c") is None
    off: TTLCache[str, int] = TTLCache(ttl=0)
    off.put("a", 1)
    assert off.get("a") is None
