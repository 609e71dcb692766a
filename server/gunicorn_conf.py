"""gunicorn settings, inside the package so the Procfile works from any directory:
``gunicorn -c python:server.gunicorn_conf server.wsgi:app``. The worker class was chosen by
bench/link_overhead.py (see README)."""

import multiprocessing
import os
import subprocess
import sys

# psycopg picks its wait function at import: the C one blocks a gevent worker whole on every
# PostgreSQL round trip (four concurrent 0.5 s queries took 2.1 s). wait_poll looks up select.poll
# when called, which gevent has patched in the worker by then; other worker classes lose nothing.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_poll")

# Check configuration, package data and database once, before any worker forks: otherwise every
# worker prints the error and gunicorn adds its own "Worker failed to boot" lines around it. Demo
# mode migrates its own SQLite file there, once, so workers never race for it. The check runs in a
# child process: it imports the whole app (PyJWT, ssl, psycopg), and what the master imports stays
# unpatched in gevent workers (gevent's MonkeyPatchWarning at every start).
_CHECK = """
import sys
from server import ConfigError, preflight
try:
    settings = preflight()
except ConfigError as exc:
    print(f"configuration error: {exc}", file=sys.stderr, flush=True)
    sys.exit(3)
print("demo" if settings.demo else "configured")
"""
_check = subprocess.run([sys.executable, "-c", _CHECK], stdout=subprocess.PIPE, text=True)
if _check.returncode:
    sys.exit(_check.returncode)
_demo = _check.stdout.strip().endswith("demo")

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '5000')}")
# Every request mostly waits on onOffice (and IMAP), so cheap green threads carry the
# concurrency: gevent beat gthread and sync in bench/link_overhead.py (README has figures).
# Demo mode keeps one process because the sandbox onOffice lives in that process's memory.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
workers = 1 if _demo else int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count(), 4)))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))  # gthread only
worker_connections = 1000  # gevent: concurrent requests per worker
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
# No query strings in the access log: they hold Message-IDs and sender addresses.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# gunicorn >= 25.1 opens a control socket at one per-user path by default; two instances on one
# machine (blue/green, two instances behind a balancer) would fight over it, and nothing uses it.
control_socket_disable = True
