"""Real Dovecot for the IMAP locator tests: one server with "/" and one with "." as delimiter.

Both are session-scoped (start-up ~30 ms each); every test seeds its own mails under fresh
Message-IDs, so tests never see each other's data.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import trustme
from imapclient import IMAPClient

from server.locate.imap import ImapConfig, ImapLocator
from server.locate.roundtrips import RoundTrips
from server.sandbox.data import Mail
from server.sandbox.onoffice import SandboxOnOffice

from ..conftest import ANNA
from ..servers import require_binary
from .dovecot import MASTER_PASSWORD, MASTER_USER, Dovecot, make_dovecot
from .tokens import TokenMinter

pytestmark = pytest.mark.dovecot
UMLAUT = "Kunden/M&APw-ller"  # "Kunden/Müller" in modified UTF-7


@pytest.fixture(scope="session")
def minter() -> TokenMinter:
    return TokenMinter()


def _start(separator: str, minter: TokenMinter, tls: tuple[bytes, bytes] | None = None
           ) -> Iterator[Dovecot]:
    require_binary("dovecot", "apt-get install dovecot-imapd")
    d = make_dovecot(separator, azp=minter.azp, kid=minter.kid, public_pem=minter.public_pem, tls=tls)
    try:
        d.start()
        yield d
    finally:
        d.cleanup()


@pytest.fixture(scope="session")
def dovecot(minter: TokenMinter) -> Iterator[Dovecot]:
    yield from _start("/", minter)


@pytest.fixture(scope="session")
def dovecot_dot(minter: TokenMinter) -> Iterator[Dovecot]:
    yield from _start(".", minter)


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(tls_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="session")
def dovecot_tls(minter: TokenMinter, tls_ca: trustme.CA) -> Iterator[Dovecot]:
    """imaps on ``tls_port`` and STARTTLS on ``port``; certificate for 127.0.0.1 from ``tls_ca``."""
    leaf = tls_ca.issue_cert("127.0.0.1", "localhost")
    chain = b"".join(p.bytes() for p in leaf.cert_chain_pems)
    yield from _start("/", minter, tls=(chain, leaf.private_key_pem.bytes()))


def new_message_id(tag: str = "m") -> str:
    return f"<{tag}.{uuid.uuid4().hex}@mueller-partner.de>"


@dataclass
class Seeder:
    """APPENDs mails as the master user and reports where Dovecot put them (APPENDUID)."""

    server: Dovecot
    mailbox: str = ANNA

    def client(self) -> IMAPClient:
        c = IMAPClient(self.server.host, self.server.port, ssl=False, timeout=10)
        c.folder_encode = False
        c.login(f"{self.mailbox}*{MASTER_USER}", MASTER_PASSWORD)
        return c

    def folder(self, path: str) -> str:
        """``path`` uses "/"; returns the name in this server's spelling, created if missing."""
        name = path.replace("/", self.server.separator)
        with self.client() as c:
            if not c.folder_exists(name):
                c.create_folder(name)
        return name

    def append(self, path: str, message_id: str, *, header: str | None = None,
               subject: str = "Anfrage") -> tuple[str, int, int]:
        """Append a mail; returns (folder as the server spells it, uid, uidvalidity)."""
        folder = self.folder(path)
        raw = (f"From: Dr. Jürgen Müller <j.mueller@mueller-partner.de>\r\nTo: {self.mailbox}\r\n"
               f"Subject: {subject}\r\nMessage-ID: {header or message_id}\r\n"
               "Date: Wed, 18 Nov 2026 09:34:12 +0100\r\n\r\nGuten Tag,\r\n").encode()
        with self.client() as c:
            answer = c.append(folder, raw)
        validity, uid = map(int, re.search(rb"APPENDUID (\d+) (\d+)", answer).groups())
        return folder, uid, validity

    def move(self, folder: str, uid: int, target_path: str, message_id: str) -> tuple[str, int]:
        """MOVE a mail as a mail client would; returns its new folder and uid."""
        target = self.folder(target_path)
        with self.client() as c:
            c.select_folder(folder)
            c.move([uid], target)
            c.select_folder(target, readonly=True)
            (new_uid,) = c.search(["HEADER", "Message-ID", message_id])
        return target, new_uid


@pytest.fixture
def seeder(dovecot: Dovecot) -> Seeder:
    return Seeder(dovecot)


@pytest.fixture
def seeder_dot(dovecot_dot: Dovecot) -> Seeder:
    return Seeder(dovecot_dot)


def password_config(server: Dovecot, **kw: object) -> ImapConfig:
    return ImapConfig(server.host, server.port, "none", "password", f"{{mailbox}}*{MASTER_USER}",
                      MASTER_PASSWORD, timeout=5, **kw)  # type: ignore[arg-type]


@pytest.fixture
def round_trips() -> RoundTrips:
    return RoundTrips()


@pytest.fixture
def make_locator(round_trips: RoundTrips) -> Iterator[Callable[..., ImapLocator]]:
    made: list[ImapLocator] = []

    def make(config: ImapConfig, **kw: object) -> ImapLocator:
        loc = ImapLocator(config, on_connect=round_trips.attach, **kw)  # type: ignore[arg-type]
        made.append(loc)
        return loc

    yield make
    for loc in made:
        loc.close()


@pytest.fixture
def locator(make_locator: Callable[..., ImapLocator], dovecot: Dovecot) -> ImapLocator:
    return make_locator(password_config(dovecot))


def teach(sandbox: SandboxOnOffice, folder: str, uid: int, message_id: str) -> None:
    """Let the sandbox onOffice know a Dovecot mail under the folder and uid Dovecot reported.

    Dovecot's uids may collide with the sandbox's sample mails; the Dovecot mail wins.
    """
    sandbox.mails[:] = [m for m in sandbox.mails if m.message_id != message_id
                        and (m.mailbox, m.folder, m.uid) != (ANNA, folder, uid)]
    sandbox.mails.append(sandbox_mail(folder, uid, message_id))


def sandbox_mail(folder: str, uid: int, message_id: str) -> Mail:
    """The same mail as the sandbox onOffice knows it, so it accepts this folder and uid."""
    return Mail(ANNA, folder, uid, message_id, "Anfrage", ("Dr. Jürgen Müller",
                "j.mueller@mueller-partner.de"), (("Anna Schmidt", ANNA),), "2026-11-18T09:34:12+01:00")
