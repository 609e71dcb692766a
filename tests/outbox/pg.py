"""A throwaway PostgreSQL cluster for the outbox tests: Debian's binaries, a temp dir, a free port.

Minimal on purpose; the shared PostgreSQL fixture of the store tests replaces it once it lands.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tests.servers import require_binary

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


def _binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(BIN) or None)
    return found or require_binary(name, "apt-get install postgresql")


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres_server() -> Iterator[tuple[str, int]]:
    """Start a cluster; yields (host, port) and removes it afterwards."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    root = tempfile.mkdtemp(prefix="outbox-pg-")
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = f"{root}/data"
    run = lambda *a: subprocess.run(_as_owner(list(a)), check=True, capture_output=True,  # noqa: E731
                                    timeout=120)
    try:
        run(initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        run(pg_ctl, "-D", data, "-l", f"{root}/log", "-w", "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200", "start")
        yield "127.0.0.1", port
    finally:
        if os.path.exists(f"{data}/postmaster.pid"):
            run(pg_ctl, "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def new_database(host: str, port: int) -> str:
    """An empty database on the cluster; its SQLAlchemy URL."""
    name = f"outbox_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return f"postgresql+psycopg://postgres@{host}:{port}/{name}"
