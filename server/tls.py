"""TLS trust for outgoing connections: SSL_CERT_FILE / REQUESTS_CA_BUNDLE, else the system's."""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping


def ca_bundle(env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        if env.get(name):
            return env[name]
    return None


def trust_context(env: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """A verifying client context that trusts the configured bundle (or the system store)."""
    return ssl.create_default_context(cafile=ca_bundle(env))
