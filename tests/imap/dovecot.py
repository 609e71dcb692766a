"""A throwaway Debian Dovecot for tests and the bench (recipe: test-infrastructure.md §1).

One instance = one temp dir with its own config, passwd files, XOAUTH2 key directory and
mail homes, started with ``dovecot -F`` in its own process group so teardown is instant.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

MASTER_USER, MASTER_PASSWORD = "master", "master-secret-pw"
USER_PASSWORD = "user-secret-pw"
TENANT = "11111111-2222-3333-4444-555555555555"
ISSUER = f"https://login.test/{TENANT}/v2.0"


@dataclass
class Dovecot:
    root: Path
    port: int
    separator: str
    tls_port: int = 0  # imaps; 0 = no TLS (then STARTTLS is off too)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    host = "127.0.0.1"

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def home(self, mailbox: str) -> Path:
        return self.root / "home" / mailbox

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)

    def start(self) -> None:
        self.process = subprocess.Popen(["dovecot", "-F", "-c", str(self.root / "dovecot.conf")],
                                        start_new_session=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        _wait_for_port(self)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(d: Dovecot, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if d.process is not None and d.process.poll() is not None:
            raise RuntimeError(f"dovecot exited with {d.process.returncode}:\n{d.log}")
        try:
            with socket.create_connection((d.host, d.port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"dovecot did not listen on {d.port} within {timeout} s:\n{d.log}")


def make_dovecot(separator: str = "/", *, azp: str = "", kid: str = "", public_pem: bytes = b"",
                 parent: str | None = None, tls: tuple[bytes, bytes] | None = None,
                 issuer: str = ISSUER) -> Dovecot:
    """Write a config into a fresh temp dir (mode 755: the mail user must enter it)."""
    root = Path(tempfile.mkdtemp(prefix="dovecot-", dir=parent))
    os.chmod(root, 0o755)
    d = Dovecot(root, free_port(), separator, tls_port=free_port() if tls else 0)
    if tls:  # (certificate chain PEM, private key PEM); Dovecot's master reads them as root
        (root / "cert.pem").write_bytes(tls[0])
        (root / "key.pem").write_bytes(tls[1])
    mail_user = pwd.getpwnam("dovecot")
    for sub in ("run", "state", "home", "keys"):
        (root / sub).mkdir()
    os.chown(root / "home", mail_user.pw_uid, mail_user.pw_gid)
    (root / "master-users").write_text(f"{MASTER_USER}:{{PLAIN}}{MASTER_PASSWORD}::::::\n")
    if public_pem:
        keydir = root / "keys" / azp / "RS256"
        keydir.mkdir(parents=True)
        (keydir / kid).write_bytes(public_pem)
    (root / "oauth2.conf.ext").write_text(
        "introspection_mode = local\n"
        f"local_validation_key_dict = fs:posix:prefix={root}/keys/\n"
        "username_attribute = email\n"
        f"issuers = {issuer}\n")
    (root / "dovecot.conf").write_text(_config(d, mail_user.pw_uid, mail_user.pw_gid))
    for path in root.rglob("*"):
        if path.is_file():
            path.chmod(0o600 if path.name == "key.pem" else 0o644)
    return d


def _ssl(d: Dovecot) -> str:
    if not d.tls_port:
        return "ssl = no"
    return f"ssl = yes\nssl_cert = <{d.root}/cert.pem\nssl_key = <{d.root}/key.pem"


def _config(d: Dovecot, uid: int, gid: int) -> str:
    r = d.root
    return f"""\
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
{_ssl(d)}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
auth_verbose = yes
auth_master_user_separator = *
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = {uid}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = {d.separator}
  prefix =
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {d.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {d.tls_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {r}/oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/master-users
  master = yes
  mechanisms = plain login
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/home/%u
}}
"""
