"""What a click does: locate the mail, call onOffice, record it. Plain Python, no Flask.

The location comes from the client when it sent folder and uid, otherwise from the
locator. When onOffice says the mail is not where we said (moved, stale uid), the cached
location is forgotten and the mail is looked up once more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from . import address_forms, onoffice, records
from .address_forms import AddressForm
from .auth import Principal
from .identities import Resolution
from .locate import LocateError, Location, LocationRequired, Locator, MailServerUnreachable
from .onoffice import actions as act
from .store import AuditEntry, AuditLog
from .store.mail_locks import MailLocks
from .store.outbox import OutboxStore, QueuedClick

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
class LinkOutcome:
    """Applied (``location``) or kept in the outbox for later (``queued``)."""

    location: Location | None
    queued: QueuedClick | None = None


class LinkListener(Protocol):
    def queued(self) -> None:
        """A click was left in the outbox."""

    def answered(self) -> None:
        """onOffice confirmed a click: it is reachable."""


# What leaves a click queued instead of failed: no usable answer from onOffice or the mail server.
RETRYABLE = (onoffice.TransportError, MailServerUnreachable)


@dataclass(frozen=True)
class CurrentLinks:
    location: Location
    addresses: list[dict[str, Any]]
    estates: list[dict[str, Any]]
    history: list[AuditEntry]


class LinkService:
    def __init__(self, client: onoffice.OnOfficeClient, locator: Locator, audit: AuditLog,
                 locks: MailLocks, address_links: str = "list", *, outbox: OutboxStore,
                 listener: LinkListener | None = None):
        self._client = client
        self._locator = locator
        self._audit = audit
        self._locks = locks
        self._single = address_links == "single"  # ONOFFICE_ADDRESS_LINKS
        self.outbox = outbox
        self.listener = listener
        # How long a click waits for older ones of its mail that other requests are applying.
        self._wait = client.read_timeout + client.connect_timeout

    def with_locator(self, locator: Locator) -> LinkService:
        return LinkService(self._client, locator, self._audit, self._locks,
                           "single" if self._single else "list", outbox=self.outbox,
                           listener=self.listener)

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

    def link(self, who: Principal, account: Resolution, req: LinkRequest) -> LinkOutcome:
        """Keep the click in the outbox, then apply it now unless older clicks of the mail wait.

        No usable answer from onOffice (or the mail server) leaves it queued for the drainer;
        onOffice's own refusals and a mail that is not there are reported as before. ``who`` is
        audited; the mail sits in ``account.mailbox``.
        """
        enq = self.outbox.enqueue(
            user_id=who.user_id, by_mailbox=who.mailbox, name=who.name, mailbox=account.mailbox,
            identity=account.identity, message_id=req.message_id, action=req.action,
            form=req.form(), address_id=req.address_id, estate_id=req.estate_id,
            folder=req.folder, uid=req.uid,
            in_mailbox=account.mailbox if account.mailbox != who.mailbox else None)
        click = enq.click
        if enq.behind and (click.lease is None or not self.outbox.wait_turn(click, self._wait)):
            # Older clicks of this mail wait for onOffice: this one never overtakes them.
            self._tell("queued")
            return LinkOutcome(None, replace(click, lease=None))
        try:
            done = self.write(account, req)
        except RETRYABLE as exc:
            self.outbox.defer(click, kind=outcome_of(exc), error=str(exc), delay=0.5)
            self._tell("queued")
            return LinkOutcome(None, replace(click, attempts=1, last_kind=outcome_of(exc),
                                             last_error=str(exc), lease=None))
        except Exception as exc:
            code = exc.code if isinstance(exc, onoffice.APIError) else None
            self.outbox.fail(click, outcome=outcome_of(exc), code=code, detail=str(exc),
                             keep=False)
            raise
        self.outbox.done(click, folder=done.location.folder, uid=done.location.uid,
                         added=done.added, removed=done.removed)
        self._tell("answered")
        return LinkOutcome(done.location)

    def apply_queued(self, click: QueuedClick) -> Written:
        """Apply a click from the outbox (the drainer); raises like :meth:`link` would.

        After an attempt that timed out, onOffice may have applied the click already: when
        emailInfo shows the mail as the click wants it, nothing is sent again.
        """
        account = Resolution(click.mailbox, click.identity, "outbox")
        if click.last_kind == "timeout" and click.folder is not None and click.uid is not None:
            loc = Location(click.folder, click.uid, source="outbox")
            now = self._client.email_links(click.identity, click.message_id, loc.folder, loc.uid)
            if satisfied(click.form, now):
                return Written(loc)
        req = LinkRequest(click.message_id, address_forms.from_fields(click.form),
                          click.form.get("estateId"), click.folder, click.uid)
        return self.write(account, req)

    def _tell(self, what: str) -> None:
        if self.listener is not None:
            getattr(self.listener, what)()

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


def outcome_of(exc: Exception) -> str:
    if isinstance(exc, onoffice.Timeout):
        return "timeout"
    if isinstance(exc, onoffice.TransportError | MailServerUnreachable):
        return "unreachable"
    if isinstance(exc, onoffice.APIError):
        return "refused"
    if isinstance(exc, LocateError):
        return "not_located"
    return "error"


def satisfied(form: dict[str, Any], links: onoffice.EmailLinks) -> bool:
    """Does onOffice already show the mail as ``form`` wants it? (False when unsure.)"""
    addresses = {int(a.get("addressId", -1)) for a in links.addresses}
    estates = {int(e.get("estateId", -1)) for e in links.estates}
    checks = []
    if "addressId" in form:
        checks.append(addresses == ({form["addressId"]} if form["addressId"] else set()))
    if "addressIds" in form:
        checks.append(addresses == set(form["addressIds"]))
    if "addAddressIds" in form or "removeAddressIds" in form:
        checks.append(set(form.get("addAddressIds", ())) <= addresses
                      and not set(form.get("removeAddressIds", ())) & addresses)
    if "estateId" in form:
        checks.append(estates == ({form["estateId"]} if form["estateId"] else set()))
    return bool(checks) and all(checks)
