"""What a click does: locate the mail, call onOffice, record it. Plain Python, no Flask.

The location comes from the client when it sent folder and uid, otherwise from the
locator. When onOffice says the mail is not where we said (moved, stale uid), the cached
location is forgotten and the mail is looked up once more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from . import onoffice, records
from .auth import Principal
from .identities import Resolution
from .locate import LocateError, Location, LocationRequired, Locator
from .onoffice import actions as act
from .store import AuditEntry, AuditLog

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class LinkRequest:
    message_id: str
    address_id: int | None
    estate_id: int | None
    folder: str | None = None
    uid: int | None = None


@dataclass(frozen=True)
class CurrentLinks:
    location: Location
    addresses: list[dict[str, Any]]
    estates: list[dict[str, Any]]
    history: list[AuditEntry]


class LinkService:
    def __init__(self, client: onoffice.OnOfficeClient, locator: Locator, audit: AuditLog):
        self._client = client
        self._locator = locator
        self._audit = audit

    def current(self, account: Resolution, message_id: str, folder: str | None,
                uid: int | None) -> CurrentLinks:
        """onOffice's links of a mail in ``account.mailbox``, asked under ``account.identity``."""
        identity = account.identity
        loc, links = self._at_location(
            account, message_id, folder, uid,
            lambda loc: self._client.email_links(identity, message_id, loc.folder, loc.uid))
        history = self._audit.history(identity, message_id)
        return CurrentLinks(loc, [records.from_email_info_address(a) for a in links.addresses],
                            [records.from_email_info_estate(e) for e in links.estates], history)

    def link(self, who: Principal, account: Resolution, req: LinkRequest) -> Location:
        identity = account.identity
        unlink = not req.address_id and not req.estate_id
        entry = self._audit.start(user_id=who.user_id, mailbox=who.mailbox, name=who.name,
                                  identity=identity,
                                  message_id=req.message_id, action="unlink" if unlink else "link",
                                  address_id=req.address_id, estate_id=req.estate_id)
        ids = {k: v for k, v in (("address_id", req.address_id), ("estate_id", req.estate_id))
               if v is not None}
        try:
            loc, _ = self._at_location(
                account, req.message_id, req.folder, req.uid,
                lambda loc: self._client.link_email(identity, req.message_id, loc.folder,
                                                    loc.uid, **ids))
        except Exception as exc:
            code = exc.code if isinstance(exc, onoffice.APIError) else None
            self._audit.finish(entry, _outcome(exc), code=code, detail=str(exc))
            raise
        self._audit.finish(entry, "ok", folder=loc.folder, uid=loc.uid)
        return loc

    def _at_location(self, account: Resolution, message_id: str, folder: str | None,
                     uid: int | None, call: Callable[[Location], T]) -> tuple[Location, T]:
        # The mail is looked up where it sits (the mailbox); onOffice is told the identity.
        mailbox, identity = account.mailbox, account.identity
        if folder is not None and uid is not None:
            loc = Location(folder, uid, source="client")
        else:
            loc = self._locator.locate(mailbox, message_id, folder, identity=identity)
        try:
            return loc, call(loc)
        except onoffice.APIError as exc:
            if exc.code not in onoffice.STALE_LOCATION_CODES:
                raise
            log.info("onOffice error %d at %s/%s: looking the mail up again", exc.code,
                     loc.folder, loc.uid)
            self._locator.forget(mailbox, message_id)
            try:
                fresh = self._locator.locate(mailbox, message_id, loc.folder, identity=identity)
            except LocationRequired:
                raise exc from None
            if fresh.folder == loc.folder and fresh.uid == loc.uid:
                raise
            return fresh, call(fresh)

    def search(self, kind: act.RecordKind, text: str, limit: int) -> list[dict[str, Any]]:
        return [records.from_search(r) for r in self._client.search(kind, text, limit)]


def _outcome(exc: Exception) -> str:
    if isinstance(exc, onoffice.Timeout):
        return "timeout"
    if isinstance(exc, onoffice.TransportError):
        return "unreachable"
    if isinstance(exc, onoffice.APIError):
        return "refused"
    if isinstance(exc, LocateError):
        return "not_located"
    return "error"
