"""Exceptions raised by the onOffice client.

One root, with "could not reach onOffice" kept apart from "onOffice answered no"::

    OnOfficeError
    ├── TransportError            the request did not get an onOffice answer (safe to retry reads)
    │   ├── ConnectError          DNS, refused connection, TLS failure
    │   ├── Timeout               connect or read timeout
    │   └── BadResponse           3xx, 5xx without JSON, a body that is not onOffice's envelope
    └── APIError                  onOffice answered and refused (carries its errorcode and message)
        ├── AuthenticationError   token, secret, HMAC, clock, IP: the operator must fix the setup
        ├── PermissionDenied      the API user lacks a right in onOffice enterprise
        ├── MailNotFound          the (identity, folder, uid, message id) does not name a mail
        ├── RecordNotFound        unknown address or estate id
        └── InvalidRequest        anything else; a bug on our side or a bad value
"""

from __future__ import annotations


class OnOfficeError(Exception):
    """Root of every onOffice client error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransportError(OnOfficeError):
    """No usable answer from onOffice."""


class ConnectError(TransportError):
    """onOffice could not be reached at all."""


class Timeout(TransportError):
    """onOffice did not answer within the configured time."""


class BadResponse(TransportError):
    """Something answered, but not with onOffice's JSON envelope."""


class APIError(OnOfficeError):
    """onOffice refused a request or an action; ``code`` is onOffice's errorcode."""

    def __init__(self, code: int, message: str, *, action: str = "", hint: str = ""):
        super().__init__(message)
        self.code = code
        self.action = action
        self.hint = hint

    def __str__(self) -> str:
        where = f" in {self.action}" if self.action else ""
        return f"onOffice error {self.code}{where}: {self.message}"


class AuthenticationError(APIError):
    """Credentials, signature or clock rejected: an operator problem, never retried."""


class PermissionDenied(APIError):
    """The onOffice API user lacks a read or write right."""


class MailNotFound(APIError):
    """onOffice cannot find the mail under that identity, folder and uid."""


class RecordNotFound(APIError):
    """The address or estate id does not exist (or is not visible to the API user)."""


class InvalidRequest(APIError):
    """onOffice rejected the request's shape or a value in it."""


class AddressListUnsupported(InvalidRequest):
    """onOffice refused ``addressIds`` (API versions before 05/2024 know only ``addressid``)."""

    HINT = ("onOffice refused the list of addresses (addressIds), which older onOffice API "
            "versions do not know. Set ONOFFICE_ADDRESS_LINKS=single to link one address per "
            "mail with the older addressid parameter.")

    @classmethod
    def from_error(cls, exc: APIError) -> AddressListUnsupported:
        return cls(exc.code, exc.message, action=exc.action, hint=cls.HINT)


_AUTH = {22, 41, 42, 43, 49, 136, 137, 153, 158, 243}
_PERMISSION = {149, 156, 170, 174, 253, 261, 262}
_MAIL = {61, 62, 63, 94, 133, 276, 283, 285, 287}
_RECORD = {80, 235, 292, 293}

# Codes after which the mail has probably moved: forget the cached location, look again.
STALE_LOCATION_CODES = frozenset({62, 63, 94, 133, 283, 287})

_HINTS = {
    137: "Check ONOFFICE_API_SECRET (64 characters) and ONOFFICE_API_TOKEN (32 characters).",
    22: "Check ONOFFICE_API_TOKEN and ONOFFICE_API_SECRET, and the API user's rights.",
    136: "The server clock is off by more than two minutes: enable NTP on this host.",
    158: "onOffice refuses this server's IP address: allow it for the API user in enterprise.",
    50: "The mailbox has no onOffice e-mail identity: check IDENTITY_MAP / IDENTITY_PATTERN.",
    51: "onOffice does not know this e-mail identity for the API user: "
    "assign the mailbox to the API user in enterprise, or fix IDENTITY_MAP.",
}


def api_error(code: int, message: str, action: str = "") -> APIError:
    """Map an onOffice errorcode to the fitting exception class (the one place that does)."""
    if code in _AUTH:
        cls: type[APIError] = AuthenticationError
    elif code in _PERMISSION:
        cls = PermissionDenied
    elif code in _MAIL:
        cls = MailNotFound
    elif code in _RECORD:
        cls = RecordNotFound
    else:
        cls = InvalidRequest
    return cls(code, message, action=action, hint=_HINTS.get(code, ""))
