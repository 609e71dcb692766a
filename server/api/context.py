"""Access to the app's services and the signed-in user from inside a request."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request
from marshmallow import Schema
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth import Authenticator, Principal, SessionTokens
from ..config import Settings
from ..errors import ApiError
from ..identities import IdentityResolver, Resolution
from ..linking import LinkService
from ..locate import Locator
from ..onoffice import OnOfficeClient
from ..store import AuditLog, Database, SessionStore


@dataclass
class Services:
    settings: Settings
    db: Database
    audit: AuditLog
    session_store: SessionStore
    sessions: SessionTokens
    authenticator: Authenticator
    identities: IdentityResolver
    onoffice: OnOfficeClient
    locator: Locator
    links: LinkService
    extras: dict[str, Any]

    def __repr__(self) -> str:
        return f"Services(demo={self.settings.demo})"

    def use_locator(self, locator: Locator) -> None:
        """Swap the message locator (tests hand in Dovecot-backed or sandbox locators)."""
        self.locator = locator
        self.links = LinkService(self.onoffice, locator, self.audit)


def services() -> Services:
    return current_app.extensions["onoffice_mail_link"]


def principal() -> Principal:
    """The signed-in user of this request; authenticates on first use."""
    if "principal" not in g:
        g.principal = services().authenticator.authenticate(request.headers.get("Authorization"))
    return g.principal


def account() -> Resolution:
    """The mailbox this request acts in and its onOffice identity (derived, never sent)."""
    if "account" not in g:
        g.account = services().identities.resolve(principal().mailbox)
    return g.account


def identity() -> str:
    return account().identity


def json_body(schema: Schema) -> dict[str, Any]:
    raw = request.get_data(cache=False)
    limit = request.max_content_length
    if request.content_length is None and limit and len(raw) >= limit:
        # A chunked body is cut off at the limit without an error; say 413, not "not JSON".
        raise RequestEntityTooLarge()
    try:
        payload = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting fits in 64 KiB
        raise ApiError(400, "bad_request", "The request body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_request", "The request body must be a JSON object.")
    return schema.load(payload)


def query(schema: Schema) -> dict[str, Any]:
    return schema.load(request.args.to_dict())
