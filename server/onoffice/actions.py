"""Typed builders for the onOffice actions this product uses.

Each builder returns an :class:`Action`, the unsigned part of one entry in
``request.actions``. Signing happens in the client, at send time, so a retry is re-signed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

URN = "urn:onoffice-de-ns:smart:2.5:smartml:action:"
READ, GET, DO, CREATE = URN + "read", URN + "get", URN + "do", URN + "create"
SAFE_TO_RETRY = frozenset({READ, GET})

RecordKind = Literal["address", "estate"]
# onOffice's own checks of an addressIds list (297 both forms, 298 no array, 299 no integers,
# 302 over 500): an API that answers these knows the list form.
ADDRESS_IDS_CODES = frozenset({297, 298, 299, 302})

ADDRESS_FIELDS = ["Vorname", "Name", "Zusatz1", "Email", "KdNr"]
ESTATE_FIELDS = ["Id", "objekttitel", "objektnr_extern", "strasse", "hausnummer", "plz", "ort"]


@dataclass(frozen=True)
class Action:
    actionid: str
    resourcetype: str
    resourceid: str = ""
    identifier: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def retry_safe(self) -> bool:
        return self.actionid in SAFE_TO_RETRY

    def describe(self) -> str:
        return f"{self.resourcetype} {self.actionid.rsplit(':', 1)[-1]}"


def link_email(
    identity: str,
    message_id: str,
    folder: str,
    uid: int,
    *,
    address_id: int | None = None,
    estate_id: int | None = None,
    address_ids: Sequence[int] | None = None,
) -> Action:
    """``emailassignments`` do. ``0`` unlinks; ``address_ids`` replaces the whole list."""
    if address_id is not None and address_ids is not None:
        raise ValueError("pass address_id or address_ids, never both (onOffice error 297)")
    params: dict[str, Any] = {
        "emailidentity": identity,
        "folder": folder,
        "messageid": message_id,
        "uid": int(uid),
    }
    if address_id is not None:
        params["addressid"] = int(address_id)
    if address_ids is not None:
        params["addressIds"] = [int(i) for i in address_ids]
    if estate_id is not None:
        params["estateid"] = int(estate_id)
    return Action(DO, "emailassignments", parameters=dict(sorted(params.items())))


def email_info(identity: str, message_id: str, folder: str, uid: int) -> Action:
    """``emailInfo`` get: current links. camelCase parameters, uid as a string."""
    params = {"emailIdentity": identity, "folder": folder, "messageId": message_id, "uid": str(uid)}
    return Action(GET, "emailInfo", parameters=params)


def search(kind: RecordKind, text: str, limit: int = 10, contact_data: bool = False) -> Action:
    """Quick search (``search`` get) over addresses or estates."""
    params: dict[str, Any] = {"input": text, "listlimit": int(limit)}
    if kind == "address" and contact_data:
        params["includecontactdata"] = True
    return Action(GET, "search", resourceid=kind, identifier=kind, parameters=params)


def addresses_by_email(email: str, limit: int = 10) -> Action:
    """``address`` read filtered on the pseudo-field ``email`` (all addresses of a contact)."""
    params = {
        "data": ADDRESS_FIELDS,
        "filter": {"email": [{"op": "=", "val": email}]},
        "listlimit": int(limit),
    }
    return Action(READ, "address", parameters=params)


def read_addresses(ids: Sequence[int]) -> Action:
    """``address`` read of given record ids (titles for the recent list)."""
    ids = [int(i) for i in ids]
    return Action(READ, "address", parameters={
        "data": ADDRESS_FIELDS, "recordids": ids, "listlimit": min(max(len(ids), 1), 500)})


# Address fields the pane may set on a new contact; contact data goes in fixed parameters.
NEW_ADDRESS_FIELDS = ("Anrede", "Titel", "Vorname", "Name", "Zusatz1")


def create_address(fields: dict[str, str], email: str, phone: str = "") -> Action:
    """``address`` create. Never ``checkDuplicate``: without ``noOverrideByDuplicate`` onOffice
    would overwrite an existing contact with this e-mail; the caller looks first instead."""
    unknown = set(fields) - set(NEW_ADDRESS_FIELDS)
    if unknown:
        raise ValueError(f"not an address field for create: {sorted(unknown)}")
    params: dict[str, Any] = {k: v for k, v in fields.items() if v}
    params["email"] = email
    if phone:
        params["phone"] = phone
    return Action(CREATE, "address", parameters=dict(sorted(params.items())))


def read_estates(ids: Sequence[int]) -> Action:
    params = {
        "data": ESTATE_FIELDS,
        "filter": {"Id": [{"op": "in", "val": [int(i) for i in ids]}]},
        "listlimit": min(max(len(ids), 1), 500),
    }
    return Action(READ, "estate", parameters=params)


def own_user() -> Action:
    """``users`` get onlyOwn: the cheapest call that proves token, secret and clock."""
    return Action(GET, "users", parameters={"userfilter": "onlyOwn"})


def record_link(kind: RecordKind, record_id: int) -> Action:
    """``getlink`` get: a URL that opens the record in onOffice enterprise."""
    return Action(GET, "getlink", resourceid=kind, parameters={"recordId": int(record_id)})
