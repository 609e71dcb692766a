"""An outage scene: the sandbox onOffice over a socket with 50 extra mails in three mailboxes,
the backend on its own socket, and a session for each of the three users."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from server import create_app
from server.locate.sandbox import SandboxLocator
from server.sandbox import data
from server.sandbox.data import Mail
from server.sandbox.onoffice import SandboxOnOffice
from tests.servers import serve

USERS = (*data.MAILBOXES, "lena.koch@makler-demo.de")
ADDRESS_IDS = [a.id for a in data.ADDRESSES]
ESTATE_IDS = [e.id for e in data.ESTATES]


def extra_mails(count: int) -> list[Mail]:
    """``count`` mails spread over the three users' inboxes."""
    return [Mail(USERS[i % 3], "INBOX", 1000 + i, f"<outage-{i}@kunden.example>", f"Anfrage {i}",
                 ("Kunde", f"kunde{i}@kunden.example"), (), "2026-11-30T10:00:00+01:00")
            for i in range(count)]


def add_mailboxes(sandbox: SandboxOnOffice, mails: list[Mail]) -> None:
    sandbox.mails.extend(mails)
    for user in USERS:
        sandbox.identities[user] = user


@dataclass
class Scene:
    app: Any
    url: str
    sandbox: SandboxOnOffice
    mails: list[Mail]
    tokens: dict[str, str]

    @property
    def svc(self) -> Any:
        return self.app.extensions["onoffice_mail_link"]

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def auth(self, mailbox: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[mailbox]}"}

    def wait_drained(self, timeout: float) -> float:
        """Seconds until the outbox holds no queued click; fails after ``timeout``."""
        started = time.monotonic()
        while self.svc.outbox.stats()[0]:
            if time.monotonic() - started > timeout:
                pytest.fail(f"outbox not drained after {timeout} s: "
                            f"{self.svc.outbox.stats()[0]} clicks queued")
            time.sleep(0.05)
        return time.monotonic() - started


def scene_for(config: dict[str, str], sandbox: SandboxOnOffice, mails: list[Mail],
              **env: str) -> Iterator[Scene]:
    app = create_app({**config, **env})
    svc = app.extensions["onoffice_mail_link"]
    svc.use_locator(SandboxLocator(sandbox.mails))
    tokens = {m: svc.sessions.issue(f"tid:{m}", m, m, "session")[0] for m in USERS}
    try:
        with serve(app) as url:
            yield Scene(app, url, sandbox, mails, tokens)
    finally:
        svc.drainer.stop()
        svc.onoffice.close()
        svc.db.engine.dispose()


@pytest.fixture
def scene(config: dict[str, str], sandbox: SandboxOnOffice) -> Iterator[Scene]:
    mails = extra_mails(50)
    add_mailboxes(sandbox, mails)
    yield from scene_for(config, sandbox, mails)


def random_click(rng: random.Random) -> dict[str, int]:
    """A link, a change or an unlink of the address, the estate or both."""
    kind = rng.choice(["address", "estate", "both", "unlink", "unlink_address"])
    if kind == "address":
        return {"addressId": rng.choice(ADDRESS_IDS)}
    if kind == "estate":
        return {"estateId": rng.choice(ESTATE_IDS)}
    if kind == "both":
        return {"addressId": rng.choice(ADDRESS_IDS), "estateId": rng.choice(ESTATE_IDS)}
    if kind == "unlink":
        return {"addressId": 0, "estateId": 0}
    return {"addressId": 0}


def intended(clicks: list[dict[str, int]]) -> dict[str, Any]:
    """The mail's links after ``clicks`` in order, as the sandbox keeps them."""
    state: dict[str, Any] = {"addresses": [], "estate": None}
    for c in clicks:
        if "addressId" in c:
            state["addresses"] = [c["addressId"]] if c["addressId"] else []
        if "estateId" in c:
            state["estate"] = c["estateId"] or None
    return state


def as_sent(click: dict[str, int]) -> dict[str, int]:
    """A click as the sandbox records the parameters it was applied with."""
    names = {"addressId": "addressid", "estateId": "estateid"}
    return {names[k]: v for k, v in click.items()}


def applied_per_mail(sandbox: SandboxOnOffice) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for _mailbox, message_id, params in sandbox.applied:
        out.setdefault(message_id, []).append(params)
    return out

