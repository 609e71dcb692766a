"""Client for the onOffice enterprise API (smart 2.5, HMAC v2). No Flask in here."""

from .client import EmailLinks, OnOfficeClient, Record, Result
from .errors import (
    STALE_LOCATION_CODES,
    AddressListUnsupported,
    APIError,
    AuthenticationError,
    BadResponse,
    ConnectError,
    InvalidRequest,
    MailNotFound,
    OnOfficeError,
    PermissionDenied,
    RecordNotFound,
    Timeout,
    TransportError,
)
from .signing import hmac_v2

__all__ = [
    "STALE_LOCATION_CODES", "AddressListUnsupported", "APIError", "AuthenticationError",
    "BadResponse", "ConnectError",
    "EmailLinks", "InvalidRequest", "MailNotFound", "OnOfficeClient", "OnOfficeError",
    "PermissionDenied", "Record", "RecordNotFound", "Result", "Timeout", "TransportError",
    "hmac_v2",
]
