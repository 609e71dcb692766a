"""Where a finished sign-in may send the session token: never an open redirect.

Only two kinds of target are accepted for the Thunderbird add-on, both of which only the
add-on itself (or a process on the user's own machine) can receive:

* ``https://<id>.extensions.allizom.org/...`` - what ``messenger.identity.getRedirectURL()``
  returns; Thunderbird intercepts it and never loads it from the network;
* ``http://127.0.0.1[:port]/...`` - a loopback listener (RFC 8252 §7.3).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_EXTENSION_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.extensions\.allizom\.org")
_PATH = re.compile(r"/[A-Za-z0-9._~/\-]*")


def extension_redirect(uri: str | None) -> str | None:
    """The normalised ``uri`` if it is an allowed extension/loopback target, else None."""
    if not uri or len(uri) > 500:
        return None
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return None
    if parts.username or parts.password or parts.query or parts.fragment or "\\" in uri:
        return None
    path = parts.path or "/"
    if not _PATH.fullmatch(path):
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and port is None and _EXTENSION_HOST.fullmatch(host):
        return f"https://{host}{path}"
    if parts.scheme == "http" and host == "127.0.0.1":
        return f"http://127.0.0.1{f':{port}' if port else ''}{path}"
    return None
