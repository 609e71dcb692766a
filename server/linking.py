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

from . import address_forms, onoffice, records
from .address_forms import AddressForm
from .auth import Principal
from .identities import Resolution
from .locate import LocateError, Location, LocationRequired, Locator
from .onoffice import actions as act
from .store import AuditEntry, AuditLog
from .store.mail_locks import MailLocks

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class LinkRequest:
    message_id: str
    addresses: AddressForm | None
    estate_id: int | None
    folder: str | None = None
    uid: int | None = None

    @property
    def address_id(self) -> int | None:
        """The seed's single address id, when the click used that form."""
        return self.addresses.ids[0] if self.addresses and self.addresses.kind == "one" else None

    @property
    def action(self) -> str:
        form = self.addresses
        links_address = form is not None and (form.add or (form.kind != "change" and any(form.ids)))
        return "link" if links_address or self.estate_id else "unlink"

    def form(self) -> dict[str, Any]:
        """The address form and estateId as the API took them (what a queue would keep);
        ``address_forms.from_fields`` turns it back into the form."""
        estate = {} if self.estate_id is None else {"estateId": self.estate_id}
        return {**(self.addresses.to_json() if self.addresses else {}), **estate}


@dataclass(frozen=True)
class Written:
    """Where a click was applied and which address ids it added and removed (None: unknown)."""

    location: Location
    added: list[int] | None = None
    removed: list[int] | None = None


@dataclass(frozen=True)
class CurrentLinks:
    location: Location
    addresses: list[dict[str, Any]]
    estates: list[dict[str, Any]]
    history: list[AuditEntry]


class LinkService:
    def __init__(self, client: onoffice.OnOfficeClient, locator: Locator, audit: AuditLog,
                 locks: MailLocks, address_links: str = "list"):
        self._client = client
        self._locator = locator
        self._audit = audit
        self._locks = locks
        self._single = address_links == "single"  # ONOFFICE_ADDRESS_LINKS

    def with_locator(self, locator: Locator) -> LinkService:
        return LinkService(self._client, locator, self._audit, self._locks,
                           "single" if self._single else "list")

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
        """Apply one click in ``account.mailbox`` under its identity; ``who`` is audited."""
        identity = account.identity
        entry = self._audit.start(
            user_id=who.user_id, mailbox=who.mailbox, name=who.name, identity=identity,
            message_id=req.message_id, action=req.action,
            address_id=req.address_id, estate_id=req.estate_id,
            in_mailbox=account.mailbox if account.mailbox != who.mailbox else None)
        try:
            done = self.write(account, req)
        except Exception as exc:
            code = exc.code if isinstance(exc, onoffice.APIError) else None
            self._audit.finish(entry, _outcome(exc), code=code, detail=str(exc))
            raise
        self._audit.finish(entry, "ok", folder=done.location.folder, uid=done.location.uid,
                           added=done.added, removed=done.removed)
        return done.location

    def write(self, account: Resolution, req: LinkRequest) -> Written:
        """Send one click to onOffice (no audit): the part a queue replays later."""
        identity, form = account.identity, req.addresses
        estate = {} if req.estate_id is None else {"estate_id": req.estate_id}
        if form is None:
            return Written(self._send(account, req, estate), [], [])
        # Every address write holds the mail's lock (another worker, another instance), so a
        # whole list never lands between a colleague's read and write. Only a change reads
        # first: addressId and addressIds replace what is there and cost one call, as before.
        with self._locks.hold(identity, req.message_id):
            if form.kind != "change":
                ids = {**self._address_params(form, []), **estate}
                return self._written(self._send(account, req, ids), None, ids)
            loc, links = self._at_location(
                account, req.message_id, req.folder, req.uid,
                lambda loc: self._client.email_links(identity, req.message_id, loc.folder,
                                                     loc.uid))
            before = [int(a["addressId"]) for a in links.addresses if "addressId" in a]
            ids = {**self._address_params(form, before), **estate}
            self._client.link_email(identity, req.message_id, loc.folder, loc.uid, **ids)
        return self._written(loc, before, ids)

    def _send(self, account: Resolution, req: LinkRequest, ids: dict[str, Any]) -> Location:
        loc, _ = self._at_location(
            account, req.message_id, req.folder, req.uid,
            lambda loc: self._client.link_email(account.identity, req.message_id, loc.folder,
                                                loc.uid, **ids))
        return loc

    @staticmethod
    def _written(loc: Location, before: list[int] | None, ids: dict[str, Any]) -> Written:
        after = ids.get("address_ids") or ([ids["address_id"]] if ids.get("address_id") else [])
        added, removed = address_forms.changes(before, after)
        return Written(loc, added, removed)

    def _address_params(self, form: AddressForm, before: list[int]) -> dict[str, Any]:
        if self._single:
            return {"address_id": address_forms.single_address_id(form, before)}
        if form.kind == "one":  # the seed's form goes out as the seed's addressid
            return {"address_id": form.ids[0]}
        return {"address_ids": form.apply(before)}

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
