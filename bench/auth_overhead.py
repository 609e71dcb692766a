"""What does checking an Entra bearer token cost per request? (warm key set, in-process)

Runs the app in demo mode with Entra configured against the HTTPS fake Entra of the test
suite, warms the key set with one request, then times, in interleaved rounds:

  validate   EntraTokenValidator.validate(token) alone (signature + claims)
  session    SessionTokens.verify(session token) alone (HS256 + one DB read), for comparison
  no auth    GET /healthz through the Flask test client (a request with no auth at all)
  me         GET /api/v1/me with the Entra bearer token (auth + identity map + JSON)

and prints medians in microseconds and the ratios. Run: .venv/bin/python bench/auth_overhead.py
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app  # noqa: E402
from tests.fakes.entra import FakeEntra, FakeUser  # noqa: E402

TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
ANNA = "anna.schmidt@makler-demo.de"
ROUNDS, PER_ROUND = 15, 200


def per_call_us(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp, FakeEntra(TENANT, CLIENT_ID, "bench-secret",
                                                         workdir=Path(tmp)) as entra:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                          "ENTRA_TENANT_ID": TENANT, "ENTRA_CLIENT_ID": CLIENT_ID,
                          "ENTRA_AUTHORITY_HOST": entra.base, "SSL_CERT_FILE": entra.ca_pem})
        svc = app.extensions["onoffice_mail_link"]
        client = app.test_client()
        token = entra.mint(user=FakeUser(ANNA, "Anna Schmidt"))
        session, _ = svc.sessions.issue("bench", ANNA, "Anna Schmidt", "session")
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/me", headers=headers).status_code == 200  # warms the key set
        validator = svc.authenticator.entra
        cases: dict[str, Callable[[], object]] = {
            "validate": lambda: validator.validate(token),
            "session": lambda: svc.sessions.verify(session),
            "no auth": lambda: client.get("/healthz"),
            "me": lambda: client.get("/api/v1/me", headers=headers),
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        started = time.perf_counter()
        for _ in range(ROUNDS):
            for name, fn in cases.items():
                samples[name].append(per_call_us(fn, PER_ROUND))
        elapsed = time.perf_counter() - started
        report({k: statistics.median(v) for k, v in samples.items()}, entra.jwks_fetches, elapsed)


def report(us: dict[str, float], fetches: int, elapsed: float) -> None:
    print(f"auth overhead: median of {ROUNDS} rounds x {PER_ROUND} calls, {elapsed:.1f} s")
    for name, value in us.items():
        print(f"  {name:<9} {value:9.1f} us")
    print(f"  Entra validation / request without auth : {us['validate'] / us['no auth']:.2f}")
    print(f"  GET /api/v1/me    / request without auth : {us['me'] / us['no auth']:.2f}")
    print(f"  Entra validation / session verification  : {us['validate'] / us['session']:.2f}")
    print(f"  JWKS fetches during the run: {fetches} (warm key set: expected 1)")


if __name__ == "__main__":
    main()
