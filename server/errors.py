"""The one JSON error shape of the HTTP API, and the one place that maps errors to statuses.

Every failure leaves as ``{"error": {"code", "message", "details"}}``. Errors of the plain
Python layers (onOffice client, locator, auth, identities) are translated here, so those
layers stay free of HTTP.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from . import onoffice
from .address_forms import SingleAddressOnly
from .auth import AuthError, SignInUnavailable
from .identities import IdentityNotMapped
from .locate import (
    LocateError,
    LocationRequired,
    MailServerRefused,
    MailServerUnreachable,
    MessageNotFound,
)
from .messageid import InvalidMessageId
from .store.mail_locks import MailBusy

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with its HTTP status, machine code and a sentence a user can act on."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}

    def response(self):  # type: ignore[no-untyped-def]
        body = {"error": {"code": self.code, "message": self.message, "details": self.details}}
        resp = jsonify(body)
        resp.status_code = self.status
        if self.status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="onoffice-mail-link"'
        return resp


def _onoffice_error(exc: onoffice.OnOfficeError) -> ApiError:
    if isinstance(exc, onoffice.Timeout):
        return ApiError(504, "onoffice_timeout",
                        "onOffice did not answer in time. Please try again in a moment.")
    if isinstance(exc, onoffice.TransportError):
        return ApiError(503, "onoffice_unreachable",
                        "onOffice cannot be reached right now. Please try again later; "
                        "if it persists, tell your administrator.")
    assert isinstance(exc, onoffice.APIError)
    details = {"onofficeCode": exc.code, "onofficeMessage": exc.message}
    if exc.hint:
        details["hint"] = exc.hint
    if isinstance(exc, onoffice.MailNotFound):
        return ApiError(404, "message_not_found",
                        "onOffice cannot find this mail in the mailbox it reads. Has it been "
                        "moved or deleted, or is the mailbox not connected to onOffice?", details)
    if isinstance(exc, onoffice.AddressListUnsupported):
        return ApiError(502, "onoffice_refused", f"{exc.HINT} (onOffice error {exc.code})", details)
    if isinstance(exc, onoffice.RecordNotFound):
        return ApiError(422, "record_not_found",
                        "That address or estate does not exist in onOffice (or the API user "
                        "may not see it).", details)
    # details["reason"] lets a client word the refusal without knowing onOffice's code table.
    reason, message = {
        onoffice.AuthenticationError: ("credentials", "onOffice refused this server's credentials. "
                                       "Your administrator must check the onOffice API settings."),
        onoffice.PermissionDenied: ("permission", "The onOffice API user lacks a right for this. "
                                    "Your administrator must grant it in onOffice enterprise."),
    }.get(type(exc), ("refused", "onOffice refused the request."))
    details["reason"] = reason
    return ApiError(502, "onoffice_refused", f"{message} (onOffice error {exc.code})", details)


def _locate_error(exc: LocateError) -> ApiError:
    details = {k: v for k, v in (("mailbox", exc.mailbox), ("server", exc.server)) if v}
    if isinstance(exc, MessageNotFound):
        return ApiError(404, "message_not_found", exc.message, details)
    if isinstance(exc, LocationRequired):
        return ApiError(422, "location_required", exc.message, details)
    if isinstance(exc, MailServerUnreachable):
        return ApiError(503, "mail_server_unreachable", exc.message, details)
    if isinstance(exc, MailServerRefused):
        return ApiError(502, "mail_server_refused", exc.message, details)
    return ApiError(502, "mail_server_error", exc.message, details)


def to_api_error(exc: Exception) -> ApiError:
    """Map any exception to the API error a client sees; unknown ones become a bare 500."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, onoffice.OnOfficeError):
        return _onoffice_error(exc)
    if isinstance(exc, LocateError):
        return _locate_error(exc)
    if isinstance(exc, AuthError):
        return ApiError(401, exc.code, exc.message)
    if isinstance(exc, SignInUnavailable):
        return ApiError(503, "signin_unavailable", exc.message)
    if isinstance(exc, IdentityNotMapped):
        return ApiError(403, "identity_not_mapped",
                        f"Your mailbox {exc.mailbox} has no onOffice e-mail identity here. "
                        f"Ask your administrator to add '{exc.mailbox} = <onOffice identity>' "
                        "to the identity map.", {"mailbox": exc.mailbox})
    if isinstance(exc, SingleAddressOnly):
        return ApiError(422, "validation_failed", str(exc), {"addressIds": [str(exc)]})
    if isinstance(exc, MailBusy):
        return ApiError(409, "mail_busy", "A colleague's change to this mail is still being "
                        "applied. Please try again in a moment.")
    if isinstance(exc, InvalidMessageId):
        return ApiError(422, "validation_failed", str(exc), {"messageId": [str(exc)]})
    if isinstance(exc, ValidationError):
        return ApiError(422, "validation_failed", "Some fields are missing or invalid.",
                        _flatten(exc.messages))
    if isinstance(exc, HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_").replace("'", "")
        return ApiError(exc.code or 500, code, exc.description or exc.name or "Error")
    return ApiError(500, "internal_error",
                    "Something went wrong on the server. It has been logged; please try again.")


def _flatten(messages: Any) -> dict[str, Any]:
    if isinstance(messages, dict):
        return {str(k): v for k, v in messages.items()}
    return {"_schema": messages}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(Exception)
    def _handle(exc: Exception):  # type: ignore[no-untyped-def]
        error = to_api_error(exc)
        if error.status >= 500:
            if error.code == "internal_error":
                log.exception("unhandled error")
            else:
                log.warning("%s: %s", error.code, exc)
        return error.response()
