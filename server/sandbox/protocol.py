"""onOffice's wire protocol as the sandbox's own statement of it, written from the reference
(``shared/reference/onoffice-api.md`` §2, §3, §6), not taken from the client.

The sandbox must not share the client's code: a wrong action id or signature in the client
would otherwise be checked against itself and pass every test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

ACTION_URN = "urn:onoffice-de-ns:smart:2.5:smartml:action:"
READ = ACTION_URN + "read"
GET = ACTION_URN + "get"
DO = ACTION_URN + "do"
CREATE = ACTION_URN + "create"

TIMESTAMP_WINDOW = 120  # seconds either side of the server clock


def expected_hmac(secret: str, timestamp: int, token: str, resourcetype: str, actionid: str) -> str:
    """Base64 (standard alphabet) of HMAC-SHA256 over timestamp+token+resourcetype+actionid."""
    message = "".join((str(timestamp), token, resourcetype, actionid)).encode("utf-8")
    mac = hmac.new(secret.encode("utf-8"), message, digestmod=hashlib.sha256)
    return base64.standard_b64encode(mac.digest()).decode("ascii")


def hmac_matches(received: object, secret: str, timestamp: int, token: str, resourcetype: str,
                 actionid: str) -> bool:
    """Constant-time comparison of a received ``hmac`` with the expected one."""
    if not isinstance(received, str):
        return False  # onOffice: error 243, "HMAC invalid, value should be a string"
    wanted = expected_hmac(secret, timestamp, token, resourcetype, actionid)
    return hmac.compare_digest(wanted.encode("ascii"), received.encode("utf-8", "replace"))
