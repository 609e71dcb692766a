"""Sign-in tests run against a real HTTPS fake of Entra ID (tests/fakes/entra.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.entra import FakeEntra, FakeUser

TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
CLIENT_SECRET = "client-secret-for-tests"
ANNA = "anna.schmidt@makler-demo.de"
JONAS = "jonas.weber@makler-demo.de"


@pytest.fixture(scope="session")
def entra_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeEntra]:
    with FakeEntra(TENANT, CLIENT_ID, CLIENT_SECRET,
                   workdir=tmp_path_factory.mktemp("entra")) as fake:
        yield fake


@pytest.fixture
def entra(entra_server: FakeEntra) -> FakeEntra:
    """The fake, reset: one fresh key, no fetches counted, Anna signs in at /authorize."""
    entra_server.reset()
    entra_server.user = FakeUser(ANNA, "Anna Schmidt")
    return entra_server


@pytest.fixture
def config(config: dict[str, str], entra: FakeEntra) -> dict[str, str]:
    assert (config["ENTRA_TENANT_ID"], config["ENTRA_CLIENT_ID"]) == (TENANT, CLIENT_ID)
    return {**config, "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem}


@pytest.fixture
def svc(app: Any) -> Any:
    return app.extensions["onoffice_mail_link"]


@pytest.fixture
def clock(svc: Any) -> Callable[[float], None]:
    """``clock(seconds)`` moves the validator's key-set clock forward (no sleeping)."""
    now = [1_000_000.0]
    svc.authenticator.entra.keys.clock = lambda: now[0]

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
