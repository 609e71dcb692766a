"""A throwaway PostgreSQL cluster for tests and benches (recipe: test-infrastructure.md §9).

Debian's server binaries, ``initdb`` in a fresh temp dir owned by an unprivileged user (as root:
``postgres``, else ``nobody``), listening on 127.0.0.1 on a free port with its socket in that dir,
trust auth. Databases are cheap: ``CREATE DATABASE … TEMPLATE`` copies a migrated one in
milliseconds, so every test gets its own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

SEARCH_DIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest first
INSTALL = "apt-get install postgresql"
# Tests throw their data away: durability only costs time there (the bench keeps it).
FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")


def find_binary(name: str) -> str | None:
    """``name`` on PATH or in Debian's versioned /usr/lib/postgresql/*/bin."""
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(SEARCH_DIRS) or None)


def _owner() -> pwd.struct_passwd | None:
    """Who runs the server: nobody needs to when we are not root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, but neither a 'postgres' nor a 'nobody' user exists")


def _as(owner: pwd.struct_passwd | None, cmd: list[str]) -> list[str]:
    if owner is None:
        return cmd
    if owner.pw_name == "postgres" and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}", "--clear-groups",
            *cmd]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Postgres:
    root: Path
    port: int
    initdb: str
    pg_ctl: str
    owner: pwd.struct_passwd | None = field(default=None, repr=False)
    durable: bool = False

    host = "127.0.0.1"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> str:
        path = self.root / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        done = subprocess.run(_as(self.owner, list(args)), capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                               f"\n{self.log}")

    def start(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses={self.host} -c max_connections=200"
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.root / "postgres.log"),
                  "-o", options if self.durable else f"{options} {FAST}", "-w", "-t", "60", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        """Run one statement outside a transaction (CREATE DATABASE needs that)."""
        with psycopg.connect(host=self.host, port=self.port, user="postgres", dbname=database,
                             autocommit=True) as conn:
            cur = conn.execute(statement)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []

    def create_database(self, template: str = "template0") -> str:
        """A new, empty (or ``template``'s copy) database; returns its SQLAlchemy URL."""
        # FILE_COPY: a small database is copied faster than written through the WAL (PG 15+).
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return self.url(name)


def make_postgres(*, durable: bool = False) -> Postgres:
    """A cluster config in a fresh temp dir (not started); raises FileNotFoundError without binaries."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not (initdb and pg_ctl):
        raise FileNotFoundError(f"PostgreSQL server binaries (initdb, pg_ctl) are missing; run: {INSTALL}")
    owner = _owner()
    # Directly under /tmp: pytest's own tmp dirs are 0700 root-owned, the server user cannot enter.
    root = Path(tempfile.mkdtemp(prefix="pg-"))
    root.chmod(0o700)
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    return Postgres(root, free_port(), initdb, pg_ctl, owner, durable)
