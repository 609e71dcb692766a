"""gunicorn settings. The worker class was chosen by bench/link_overhead.py (see README)."""

import multiprocessing
import os
import sys
from pathlib import Path

from dotenv import dotenv_values

from server.config import ConfigError, load_settings, read_environment

# Validate the configuration here, in the master, before any worker forks: otherwise every
# worker prints the error and gunicorn adds its own "Worker failed to boot" lines around it.
try:
    load_settings(read_environment(), Path(__file__).resolve().parent / "instance")
except ConfigError as exc:
    print(f"configuration error: {exc}", file=sys.stderr, flush=True)
    sys.exit(3)

_env = {**dotenv_values(".env"), **os.environ}
_demo = not (_env.get("ONOFFICE_API_TOKEN") or _env.get("ONOFFICE_API_SECRET"))

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
