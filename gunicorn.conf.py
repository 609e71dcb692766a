"""gunicorn settings. The worker class was chosen by bench/link_overhead.py (see README)."""

import multiprocessing
import os

from dotenv import dotenv_values

_env = {**dotenv_values(".env"), **os.environ}
_demo = not (_env.get("ONOFFICE_API_TOKEN") or _env.get("ONOFFICE_API_SECRET"))

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '5000')}")
# Every request waits on onOffice (and IMAP): I/O-bound, so threads, not processes, carry
# the concurrency. Demo mode keeps one process because the sandbox onOffice lives in memory.
worker_class = "gthread"
workers = 1 if _demo else int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count(), 4)))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
# No query strings in the access log: they hold Message-IDs and sender addresses.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
