"""One real Thunderbird per session (Debian's, under Xvfb + openbox) with an IMAP account on a
test Dovecot and the add-on downloaded from the running backend.

The backend runs in-process on one loopback port; the app behind it can be switched between
demo mode (demo sign-in page) and an Entra deployment (the fake Entra over HTTPS, the sandbox
onOffice over HTTP), so one add-on, built for that URL, is tried against both. In both, mails
are located in Dovecot (IMAP_*), and the sandbox onOffice knows each seeded mail under the
folder and UID Dovecot reported, as onOffice would.
"""

from __future__ import annotations

import base64
import ssl
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from server import create_app
from server.addin.render import THUNDERBIRD_ADDON_ID
from server.sandbox.onoffice import SandboxOnOffice
from tests.fakes.entra import FakeEntra, FakeUser

from ..conftest import ANNA, SECRET, SECRET_KEY, TOKEN, migrated
from ..imap import conftest as imap
from ..imap.conftest import UMLAUT, Seeder, new_message_id, teach
from ..imap.dovecot import MASTER_PASSWORD, MASTER_USER, Dovecot, free_port
from ..servers import require_binary, serve
from . import chrome
from .driver import Driver, Mail
from .harness import Account, Display, Thunderbird, write_profile

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
CLIENT_SECRET = "client-secret-for-tests"
BINARIES = {"thunderbird": "thunderbird", "Xvfb": "xvfb", "openbox": "openbox", "xdotool": "xdotool"}


@pytest.fixture(scope="session")
def tb_workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="thunderbird-test-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def mails(dovecot: Dovecot) -> dict[str, Mail]:
    """Anna's mails from Dr. Müller: two in INBOX, one in Sent, one in Kunden/Müller."""
    seeder = Seeder(dovecot)
    out = {}
    for key, folder, subject in [("inbox", "INBOX", "Anfrage zu Objekt W-1024"),
                                 ("next", "INBOX", "Besichtigung am Freitag"),
                                 ("sent", "Sent", "Unterlagen zur Wohnung"),
                                 ("umlaut", UMLAUT, "Grundbuchauszug Müller")]:
        mid = new_message_id(key)
        name, uid, _ = seeder.append(folder, mid, subject=subject)
        out[key] = Mail(mid, name, uid, subject)
    return out


# The IMAP tests' session Dovecot (and the key minter it trusts for XOAUTH2), shared.
dovecot, minter = imap.dovecot, imap.minter


class _Switch:
    """The WSGI app behind the backend's port; tests pick which deployment answers."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


@dataclass
class Backend:
    base: str
    switch: _Switch
    apps: dict[str, Any] = field(default_factory=dict)
    sandboxes: dict[str, SandboxOnOffice] = field(default_factory=dict)

    def use(self, name: str) -> SandboxOnOffice:
        self.switch.app = self.apps[name]
        return self.sandboxes[name]


def _imap_env(d: Dovecot) -> dict[str, str]:
    return {"IMAP_HOST": d.host, "IMAP_PORT": str(d.port), "IMAP_TLS": "none", "IMAP_AUTH": "password",
            "IMAP_USERNAME": f"{{mailbox}}*{MASTER_USER}", "IMAP_PASSWORD": MASTER_PASSWORD}


@pytest.fixture(scope="session")
def fake_entra(tb_workdir: Path) -> Iterator[FakeEntra]:
    with FakeEntra(TENANT, CLIENT_ID, CLIENT_SECRET, workdir=tb_workdir) as fake:
        fake.user = FakeUser(ANNA, "Anna Schmidt")
        yield fake


@pytest.fixture(scope="session")
def backend(tb_workdir: Path, dovecot: Dovecot, mails: dict[str, Mail],
            fake_entra: FakeEntra) -> Iterator[Backend]:
    switch = _Switch()
    entra_sandbox = SandboxOnOffice(TOKEN, SECRET)
    with serve(switch) as base, serve(entra_sandbox) as onoffice:
        common = {"PUBLIC_URL": base, **_imap_env(dovecot)}
        demo = create_app({**common, "DATABASE_URL": migrated(f"sqlite:///{tb_workdir / 'demo.db'}")})
        entra = create_app({
            **common, "DATABASE_URL": migrated(f"sqlite:///{tb_workdir / 'entra.db'}"),
            "ONOFFICE_API_URL": f"{onoffice}/api/stable/api.php", "ONOFFICE_API_TOKEN": TOKEN,
            "ONOFFICE_API_SECRET": SECRET, "SECRET_KEY": SECRET_KEY, "ENTRA_TENANT_ID": TENANT,
            "ENTRA_CLIENT_ID": CLIENT_ID, "ENTRA_CLIENT_SECRET": CLIENT_SECRET,
            "ENTRA_AUTHORITY_HOST": fake_entra.base, "SSL_CERT_FILE": fake_entra.ca_pem})
        b = Backend(base, switch, {"demo": demo, "entra": entra},
                    {"demo": demo.extensions["onoffice_mail_link"].extras["sandbox"],
                     "entra": entra_sandbox})
        for sandbox in b.sandboxes.values():
            for m in mails.values():
                teach(sandbox, m.folder, m.uid, m.message_id)
        b.use("demo")
        try:
            yield b
        finally:
            for app in b.apps.values():
                svc = app.extensions["onoffice_mail_link"]
                svc.locator.close()
                svc.onoffice.close()


@pytest.fixture(scope="session")
def thunderbird(tb_workdir: Path, dovecot: Dovecot, backend: Backend,
                fake_entra: FakeEntra) -> Iterator[Driver]:
    for binary, package in BINARIES.items():
        require_binary(binary, f"apt-get install -y --no-install-recommends {package}")
    with urllib.request.urlopen(f"{backend.base}/addin/thunderbird.xpi", timeout=10) as r:
        assert r.headers.get_content_type() == "application/x-xpinstall"
        xpi = r.read()
    display = Display(tb_workdir)
    tb: Thunderbird | None = None
    try:
        display.start()
        port = free_port()
        account = Account(dovecot.port, f"{ANNA}*{MASTER_USER}", ANNA, "Anna Schmidt")
        profile = write_profile(tb_workdir, marionette_port=port, account=account,
                                addon_id=THUNDERBIRD_ADDON_ID, xpi=xpi)
        tb = Thunderbird(display, tb_workdir, profile, port)
        tb.start()
        tb.js(chrome.ADD_LOGIN_AND_DISCOVER, f"imap://{account.host}", account.user, MASTER_PASSWORD)
        der = ssl.PEM_cert_to_DER_cert(Path(fake_entra.ca_pem).read_text())
        tb.js(chrome.TRUST_CA, base64.b64encode(der).decode())  # as an admin deploys a company CA
        yield Driver(tb, display, THUNDERBIRD_ADDON_ID, tb.js(chrome.ROOT_FOLDER_URI))
    finally:
        if tb is not None:
            tb.stop()
        display.stop()


@pytest.fixture
def tb(thunderbird: Driver, backend: Backend) -> Iterator[Driver]:
    """The session's Thunderbird, popup closed, no message tabs, demo backend; after the test,
    no errors or warnings from the add-on or the backend's pages in Thunderbird's consoles."""
    thunderbird.close_popup()
    thunderbird.close_message_tabs()
    backend.use("demo")
    mark = thunderbird.console_mark()
    yield thunderbird
    errors = thunderbird.addon_errors(mark, backend.base)
    assert errors == [], errors


@pytest.fixture
def screenshot(thunderbird: Driver) -> Any:
    def take(name: str) -> Path:
        path = SCREENSHOTS / f"thunderbird-real-{name}.png"
        thunderbird.screenshot(path)
        return path

    return take
