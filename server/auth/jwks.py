"""Entra's signing keys (JWKS): fetched over verified TLS, cached, refreshed at most once a minute.

The key set is looked up by ``kid``. An unknown ``kid`` triggers a refresh (Entra rotates
keys), and so does a key set older than ``max_age``; but no trigger, however many tokens
arrive, fetches more often than every ``min_interval`` seconds. Failed attempts count too,
so an outage at Entra is not answered with a storm of requests.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt

from .errors import AuthError, SignInUnavailable

log = logging.getLogger(__name__)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_jwks(uri: str, ssl_context: ssl.SSLContext, timeout: float) -> dict[str, jwt.PyJWK]:
    """GET the key set; returns the signing keys by kid. Raises OSError/ValueError on failure."""
    opener = urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPSHandler(context=ssl_context))
    request = urllib.request.Request(uri, headers={"Accept": "application/json"})
    with opener.open(request, timeout=timeout) as response:
        payload = json.load(response)
    if not isinstance(payload, dict):
        raise ValueError("the key set is not a JSON object")
    keys = jwt.PyJWKSet.from_dict(payload).keys
    return {k.key_id: k for k in keys if k.key_id and k.key_type == "RSA"
            and k.public_key_use in (None, "sig")}


class KeySet:
    def __init__(self, uri: str, ssl_context: ssl.SSLContext, *, min_interval: float = 60.0,
                 max_age: float = 3600.0, timeout: float = 10.0,
                 clock: Callable[[], float] = time.monotonic,
                 fetch: Callable[[str, ssl.SSLContext, float], dict[str, jwt.PyJWK]] = fetch_jwks):
        self.uri = uri
        self.min_interval, self.max_age, self.timeout = min_interval, max_age, timeout
        self.clock = clock  # tests move time forward by replacing it
        self._ctx, self._fetch = ssl_context, fetch
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._tried_at: float | None = None  # last attempt, successful or not
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeySet({self.uri!r}, keys={sorted(self._keys)})"

    def key(self, kid: str) -> jwt.PyJWK:
        """The public key for ``kid``; refreshes the set when allowed, else refuses."""
        keys = self._keys  # replaced as a whole on refresh, so this read needs no lock
        if kid in keys and not self._stale():
            return keys[kid]
        if kid in keys:  # stale but usable: one thread refreshes, the others go on
            if self._lock.acquire(blocking=False):
                try:
                    self._refresh()
                finally:
                    self._lock.release()
            return self._keys.get(kid) or keys[kid]
        with self._lock:
            if kid not in self._keys:
                self._refresh()
            key = self._keys.get(kid)
        if key is None:
            raise AuthError(f"The token is signed with an unknown key (kid {kid!r}); "
                            "Microsoft does not publish it for this tenant.")
        return key

    def _stale(self) -> bool:
        return self._fetched_at is None or self.clock() - self._fetched_at > self.max_age

    def _refresh(self) -> None:
        """Fetch unless an attempt was made less than ``min_interval`` ago. Caller holds the lock."""
        now = self.clock()
        if self._tried_at is not None and now - self._tried_at < self.min_interval:
            return
        self._tried_at = now
        try:
            keys = self._fetch(self.uri, self._ctx, self.timeout)
        except (OSError, ValueError, jwt.PyJWTError) as exc:
            log.warning("cannot fetch Entra signing keys from %s: %s", self.uri,
                        type(exc).__name__)
            if not self._keys:
                raise SignInUnavailable(
                    "Microsoft sign-in keys cannot be fetched right now; please try again in "
                    "a minute. If it persists, your administrator should run 'flask doctor'."
                ) from None
            return
        self._keys, self._fetched_at = keys, now
        log.info("fetched %d Entra signing keys", len(keys))
