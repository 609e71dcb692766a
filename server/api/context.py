"""Access to the app's services and the signed-in user from inside a request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, request
from marshmallow import Schema
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth import Authenticator, Principal, SessionTokens
from ..config import Settings
from ..drainer import Drainer
from ..errors import ApiError
from ..identities import IdentityResolver, Resolution
from ..linking import LinkService
from ..locate import Locator
from ..onoffice import OnOfficeClient
from ..shared_mailboxes import SharedMailboxes
from ..store import AuditLog, Database, SessionStore
from ..store.idempotency import IdempotencyStore
from ..store.outbox import OutboxStore


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
    outbox: OutboxStore
    drainer: Drainer
    idempotency: IdempotencyStore
    shared: SharedMailboxes = field(default_factory=SharedMailboxes)

    def __repr__(self) -> str:
        return f"Services(demo={self.settings.demo})"

    def use_locator(self, locator: Locator) -> None:
        """Swap the message locator (tests hand in Dovecot-backed or sandbox locators)."""
        self.locator = locator
        self.links = self.links.with_locator(locator)
        self.drainer.use_links(self.links)


def services() -> Services:
    return current_app.extensions["onoffice_mail_link"]


def principal() -> Principal:
    """The signed-in user of this request; authenticates on first use."""
    if "principal" not in g:
        g.principal = services().authenticator.authenticate(request.headers.get("Authorization"))
    return g.principal


def account(mailbox: str | None = None) -> Resolution:
    """The mailbox this request acts in and its onOffice identity (derived, never sent).

    ``mailbox`` is the one the client says the mail sits in: absent or the user's own means
    their own; any other needs a SHARED_MAILBOXES grant, checked before anything is looked up.
    """
    if "account" not in g:
        own = principal().mailbox
        target = own if mailbox is None or mailbox.lower() == own.lower() else mailbox.lower()
        if target != own and not services().shared.allows(own, target):
            raise mailbox_not_allowed(own, target)
        g.account = services().identities.resolve(target)
    return g.account


def mailbox_not_allowed(user: str, shared: str) -> ApiError:
    line = services().shared.line_to_add(user, shared)
    return ApiError(403, "mailbox_not_allowed",
                    f"You may not link mails in {shared.lower()}. An administrator can allow it "
                    f"with this line in the SHARED_MAILBOXES file: {line}",
                    {"mailbox": shared.lower(), "line": line})


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
