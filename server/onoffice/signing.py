"""HMAC v2 request signing for the onOffice API.

Only the values timestamp, token, resource type and action id are signed, concatenated
without separators; parameters are not. The clock is read once per action by the caller
and the same value goes into both the ``timestamp`` field and the signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

HMAC_VERSION = 2


def hmac_v2(token: str, secret: str, timestamp: int, resourcetype: str, actionid: str) -> str:
    """Return the standard-Base64 HMAC-SHA256 that onOffice expects in ``hmac``."""
    message = f"{timestamp}{token}{resourcetype}{actionid}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")

