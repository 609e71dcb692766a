"""What the backend adds to one link click, against onOffice with 50 ms latency.

Runs, in one go and on this machine:
  * the sandbox onOffice in its own gunicorn, answering after SANDBOX_LATENCY_MS (50 ms);
  * the backend under gunicorn (worker class from --worker-class), non-demo configuration, on a
    SQLite file or a PostgreSQL cluster (--database; bench/databases.py);
  * a bare pass-through WSGI app (bench/passthrough.py) under the same gunicorn settings.
Prints p50/p99 of POST /api/v1/links next to the same onOffice call made directly with httpx,
and requests/s at concurrency 64 (wrk) for the backend next to the pass-through.

    .venv/bin/python bench/link_overhead.py [--worker-class gthread|gevent|sync] [--seconds 10]
                                            [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import KINDS, database  # noqa: E402
from server import create_app  # noqa: E402
from server.onoffice import OnOfficeClient  # noqa: E402

TOKEN, SECRET = "0123456789abcdef0123456789abcdef", "f" * 64
MID = "<20261118093412.4F2A1@mueller-partner.de>"
BODY = f'{{"messageId": "{MID}", "addressId": 601, "folder": "INBOX", "uid": 17}}'
# Under load, clicks spread over this many mails (agents click different mails): clicks on one
# mail apply one after another (the outbox keeps their order), so 64 at once on a single mail
# would measure that queue, not the backend.
MAILS = 5000


def body(i: int) -> str:
    """A link click on the i-th of the sandbox's MAILS bench mails (SANDBOX_BENCH_MAILS)."""
    n = i % MAILS
    return (f'{{"messageId": "<bench-{n}@makler-demo.test>", "addressId": 601, '
            f'"folder": "INBOX", "uid": {100_000 + n}}}')

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# gunicorn closes idle connections after 2 s; the backend's httpx pool keeps them 5 s, and a close
# that crosses a request on a loaded machine is an error the bench would count against the backend.
SANDBOX_KEEPALIVE = ["--keep-alive", "75"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_args(worker_class: str) -> list[str]:
    if worker_class == "gevent":
        return ["-k", "gevent", "-w", "2", "--worker-connections", "1000"]
    if worker_class == "sync":
        return ["-k", "sync", "-w", "4", "--threads", "1"]  # threads > 1 would make it gthread
    return ["-k", "gthread", "-w", "2", "--threads", "32"]


@contextmanager
def gunicorn(app: str, args: list[str], env: dict[str, str]):
    """``app`` under gunicorn on a free port; its warnings and errors go to a file named on stderr."""
    port = free_port()
    cmd = [GUNICORN, "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--access-logfile",
           "/dev/null", *args, app]
    fd, log = tempfile.mkstemp(prefix=f"bench-{app.split(':')[0]}-", suffix=".log")
    print(f"  ({app} on port {port} logs to {log})", file=sys.stderr)
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env, "PYTHONWARNINGS": "ignore"},
                            stdout=fd, stderr=subprocess.STDOUT)
    os.close(fd)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def backend_env(onoffice_api_url: str, database_url: str) -> dict[str, str]:
    """A non-demo configuration; clients send folder and uid, so the mail server is never asked."""
    return {"ONOFFICE_API_URL": onoffice_api_url, "ONOFFICE_API_TOKEN": TOKEN,
            "ONOFFICE_API_SECRET": SECRET, "SECRET_KEY": "bench-" + "k" * 40,
            "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
            "ENTRA_CLIENT_ID": "66666666-7777-8888-9999-000000000000",
            "ENTRA_CLIENT_SECRET": "bench", "DATABASE_URL": database_url,
            "IMAP_HOST": "127.0.0.1", "IMAP_PORT": "9", "IMAP_TLS": "none",
            "IMAP_AUTH": "password", "IMAP_PASSWORD": "unused", "PUBLIC_URL": "https://bench.test"}


def session_token(env: dict[str, str]) -> str:
    """A session for Anna in the bench's database, as /auth/callback would issue it."""
    svc = create_app(env).extensions["onoffice_mail_link"]
    try:
        return svc.sessions.issue("bench", "anna.schmidt@makler-demo.de", "Anna", "session")[0]
    finally:
        svc.onoffice.close()
        svc.locator.close()
        svc.db.engine.dispose()


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def sequential(call, n: int) -> list[float]:
    for _ in range(10):
        call()  # warm connections
    out = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def wrk(url: str, token: str, seconds: int) -> float:
    script = Path(tempfile.mkdtemp()) / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        "math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))\n"
        "request = function()\n"
        f"  local i = math.random(0, {MAILS - 1})\n"
        "  return wrk.format(nil, nil, nil, string.format("
        """'{"messageId": "<bench-%d@makler-demo.test>", "addressId": 601, "folder": "INBOX", """
        """"uid": %d}', i, 100000 + i))\n"""
        "end\n")
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec"))
    non2xx = next((x for x in out.splitlines() if "Non-2xx" in x), "")
    if non2xx:
        print(f"  warning ({url}):", non2xx.strip())
    return float(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "gevent", "sync"])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--database", default="sqlite", choices=KINDS)
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="bench-link-"))
    with ExitStack() as stack:
        onoffice = stack.enter_context(gunicorn(
            "server.sandbox.serve:app", ["-k", "gthread", "-w", "2", "--threads", "128", *SANDBOX_KEEPALIVE],
            {"SANDBOX_TOKEN": TOKEN, "SANDBOX_SECRET": SECRET, "SANDBOX_LATENCY_MS": "50",
             "SANDBOX_BENCH_MAILS": str(MAILS)}))
        env = backend_env(onoffice + "/api.php", stack.enter_context(database(opts.database, tmp)))
        token = session_token(env)
        backend = stack.enter_context(gunicorn("server.wsgi:app", worker_args(opts.worker_class), env))
        passthrough = stack.enter_context(gunicorn(
            "bench.passthrough:app", worker_args(opts.worker_class), env))

        direct_client = OnOfficeClient(env["ONOFFICE_API_URL"], TOKEN, SECRET)
        http = httpx.Client(base_url=backend, headers={"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"})

        def via_backend() -> None:
            r = http.post("/api/v1/links", content=BODY)
            assert r.status_code == 200, r.text

        def direct() -> None:
            direct_client.link_email("anna.schmidt@makler-demo.de", MID, "INBOX", 17, address_id=601)

        d50, d99 = percentiles(sequential(direct, opts.requests))
        b50, b99 = percentiles(sequential(via_backend, opts.requests))
        print(f"worker class {opts.worker_class}; database {opts.database}; onOffice latency 50 ms; "
              f"{opts.requests} sequential links")
        print(f"  direct httpx call   p50 {d50:7.1f} ms   p99 {d99:7.1f} ms")
        print(f"  through backend     p50 {b50:7.1f} ms   p99 {b99:7.1f} ms")
        print(f"  ratio backend/direct p50 {b50 / d50:.3f} (target <= 1.05)   p99 {b99 / d99:.3f}")
        # Alternate the two, three rounds each, and compare medians: two shared, noisy cores
        # swing single runs by +-30 %.
        base_runs, back_runs = [], []
        for _ in range(3):
            base_runs.append(wrk(passthrough + "/", token, opts.seconds))
            back_runs.append(wrk(backend + "/api/v1/links", token, opts.seconds))
        base_rps, back_rps = statistics.median(base_runs), statistics.median(back_runs)
        print(f"throughput at concurrency 64 (median of 3 alternating {opts.seconds} s wrk runs)")
        print(f"  bare pass-through   {base_rps:8.1f} req/s")
        print(f"  backend             {back_rps:8.1f} req/s")
        print(f"  ratio backend/pass-through {back_rps / base_rps:.3f} (target >= 0.9)")
        http.close()
        direct_client.close()


if __name__ == "__main__":
    main()
