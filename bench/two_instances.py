"""Several instances on one PostgreSQL: 2,000 links at concurrency 64 through two gunicorn
instances, next to the same through one, against the sandbox onOffice with 50 ms latency.

Runs, in one go and on this machine:
  * a PostgreSQL cluster (Debian's binaries, durable settings), migrated as the release step does;
  * the sandbox onOffice in its own gunicorn (one process, so it can count every call it gets);
  * two backend instances as deployed (``gunicorn -c python:server.gunicorn_conf``, the default
    worker class and count), non-demo configuration, both on that database.
Alternates rounds of one instance and of two (requests alternating between them), prints req/s,
their ratio, and checks every round: 0 errors, exactly N upstream emailassignments calls and N
new audit rows, all "ok". Exits 1 if a check fails.

    .venv/bin/python bench/two_instances.py [--links 2000] [--concurrency 64] [--rounds 3]
"""

from gevent import monkey

monkey.patch_all()  # the load generator: 64 green threads, one core's worth of CPU at most

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent.pool  # noqa: E402
import httpx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import link_overhead as lo  # noqa: E402
from bench.counted_sandbox import COUNTER_PATH  # noqa: E402
from bench.databases import audit_outcomes, database  # noqa: E402

LINKS = "/api/v1/links"


def upstream_links(sandbox: str) -> int:
    return int(httpx.get(sandbox + COUNTER_PATH, timeout=10).json().get("emailassignments", 0))


def load(bases: list[str], token: str, n: int, concurrency: int) -> tuple[float, Counter[str]]:
    """POST n links, request i to bases[i % len(bases)], at most ``concurrency`` at once."""
    # Idle connections are dropped before gunicorn's keep-alive (5 s) closes them under a request.
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency,
                          keepalive_expiry=2)
    clients = [httpx.Client(base_url=b, limits=limits, timeout=60, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"}) for b in bases]
    answers: Counter[str] = Counter()

    def one(i: int) -> None:
        try:
            answers[str(clients[i % len(clients)].post(LINKS, content=lo.body(i)).status_code)] += 1
        except httpx.HTTPError as exc:
            answers[type(exc).__name__] += 1

    start = time.perf_counter()
    gevent.pool.Pool(concurrency).map(one, range(n))
    elapsed = time.perf_counter() - start
    for c in clients:
        c.close()
    return n / elapsed, answers


def measured(name: str, bases: list[str], sandbox: str, url: str, token: str,
             opts: argparse.Namespace) -> tuple[float, bool]:
    """One round; returns (req/s, all checks passed)."""
    calls, rows = upstream_links(sandbox), audit_outcomes(url)
    rps, answers = load(bases, token, opts.links, opts.concurrency)
    calls = upstream_links(sandbox) - calls
    after = audit_outcomes(url)
    new_rows = {k: after.get(k, 0) - rows.get(k, 0) for k in after if after.get(k, 0) != rows.get(k, 0)}
    errors = opts.links - answers.get("200", 0)
    ok = errors == 0 and calls == opts.links and new_rows == {"ok": opts.links}
    print(f"  {name:14s} {rps:7.1f} req/s   errors {errors}  upstream emailassignments {calls}  "
          f"new audit rows {new_rows}  {'ok' if ok else 'CHECK FAILED ' + str(dict(answers))}",
          flush=True)
    return rps, ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-two-"))
    with ExitStack() as stack:
        url = stack.enter_context(database("postgres", tmp))
        sandbox = stack.enter_context(lo.gunicorn(
            "bench.counted_sandbox:app",
            ["-k", "gevent", "-w", "1", "--worker-connections", "1000", *lo.SANDBOX_KEEPALIVE],
            {"SANDBOX_TOKEN": lo.TOKEN, "SANDBOX_SECRET": lo.SECRET, "SANDBOX_LATENCY_MS": "50",
             "SANDBOX_BENCH_MAILS": str(lo.MAILS)}))
        env = lo.backend_env(sandbox + "/api.php", url)
        token = lo.session_token(env)
        deployed = ["-c", "python:server.gunicorn_conf"]  # worker class and count as deployed
        one = stack.enter_context(lo.gunicorn("server.wsgi:app", deployed, env))
        two = stack.enter_context(lo.gunicorn("server.wsgi:app", deployed, env))
        load([one, two], token, 4 * opts.concurrency, opts.concurrency)  # warm both
        print(f"{opts.links} links at concurrency {opts.concurrency}, onOffice latency 50 ms, "
              f"one PostgreSQL; rounds alternate", flush=True)
        singles, pairs, passed = [], [], True
        for _ in range(opts.rounds):
            rps, ok = measured("one instance", [one], sandbox, url, token, opts)
            singles.append(rps)
            passed &= ok
            rps, ok = measured("two instances", [one, two], sandbox, url, token, opts)
            pairs.append(rps)
            passed &= ok
        single, pair = statistics.median(singles), statistics.median(pairs)
        print(f"median: one instance {single:.1f} req/s, two instances {pair:.1f} req/s, "
              f"ratio two/one {pair / single:.2f}")
        print("checks: " + ("every round 0 errors, exactly one upstream call and one audit row per "
                            "link" if passed else "FAILED (see above)"))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
