"""The sandbox's action implementations, with onOffice's documented error codes."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from . import data

if TYPE_CHECKING:
    from .onoffice import SandboxOnOffice

class ActionFailed(Exception):
    """One action refused with onOffice's errorcode; the other actions of the request go on."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class Matches(NamedTuple):
    """A read's records and how many matched in all (onOffice's ``cntabsolute``)."""

    records: list[dict[str, Any]]
    total: int


MIN_SEARCH = 2  # onOffice's minimum is undocumented (error 151); two characters here


def _mail(sb: SandboxOnOffice, identity: Any, message_id: Any, folder: Any, uid: Any) -> data.Mail:
    for value, code, name in ((identity, 50, "emailidentity"), (message_id, 58, "messageid"),
                              (uid, 59, "uid"), (folder, 60, "folder")):
        if value in (None, ""):
            raise ActionFailed(code, f"Missing parameter: {name}")
    if identity not in sb.identities:
        raise ActionFailed(51, f"Invalid email identity {identity}")
    in_box = [m for m in sb.mails if m.mailbox == sb.identities[identity]]
    if folder not in {m.folder for m in in_box} | {"INBOX"}:
        raise ActionFailed(94, f'Unknown email folder "{folder}"')
    try:
        uid = int(uid)
    except (TypeError, ValueError):
        raise ActionFailed(59, "uid must be an integer") from None
    found = [m for m in in_box if m.folder == folder and m.uid == uid]
    if not found:
        raise ActionFailed(62, "The email does not exist (anymore)")
    if found[0].message_id != message_id:
        raise ActionFailed(63, "Mismatching message id")
    return found[0]


def _int_param(params: dict[str, Any], key: str, code: int) -> int | None:
    if key not in params:
        return None
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ActionFailed(code, f"Wrong format for {key}")
    return value


def link(sb: SandboxOnOffice, p: dict[str, Any]) -> list[dict[str, Any]]:
    mail = _mail(sb, p.get("emailidentity"), p.get("messageid"), p.get("folder"), p.get("uid"))
    if "addressid" in p and "addressIds" in p:
        raise ActionFailed(297, "Either addressId or addressIds may be given, not both")
    address_id = _int_param(p, "addressid", 64)
    estate_id = _int_param(p, "estateid", 65)
    address_ids = p.get("addressIds")
    if address_ids is not None and not sb.address_lists:
        raise ActionFailed(294, "Invalid parameter: addressIds")
    if address_ids is not None:
        if not isinstance(address_ids, list):
            raise ActionFailed(298, "addressIds must be an array")
        if any(isinstance(i, bool) or not isinstance(i, int) for i in address_ids):
            raise ActionFailed(299, "addressIds values must be integers")
        if len(address_ids) > 500:
            raise ActionFailed(302, "Only up to 500 ids are allowed")
    wanted = address_ids if address_ids is not None else [address_id] if address_id else []
    for i in wanted:
        if i not in sb.addresses:
            raise ActionFailed(292, f"Unknown address record id {i}")
    if estate_id and estate_id not in sb.estates:
        raise ActionFailed(293, f"Unknown estate record id {estate_id}")
    state = sb.links.setdefault((mail.mailbox, mail.message_id), {"addresses": [], "estate": None})
    if address_ids is not None or address_id is not None:
        # addressIds replaces the whole list ([] clears it); the seed's addressid links one.
        state["addresses"] = list(dict.fromkeys(wanted))
    if estate_id is not None:
        state["estate"] = estate_id or None
    sb.applied.append((mail.mailbox, mail.message_id,
                       {k: p[k] for k in ("addressid", "addressIds", "estateid") if k in p}))
    return [{"id": 0, "type": "", "elements": {"success": "success"}}]


def email_info(sb: SandboxOnOffice, p: dict[str, Any]) -> list[dict[str, Any]]:
    mail = _mail(sb, p.get("emailIdentity"), p.get("messageId"), p.get("folder"), p.get("uid"))
    state = sb.links.get((mail.mailbox, mail.message_id), {"addresses": [], "estate": None})
    addresses = [_email_info_address(sb.addresses[i]) for i in state["addresses"]]
    estates = [_email_info_estate(sb, sb.estates[state["estate"]])] if state["estate"] else []
    elements = {"isPortalRequest": "immobilienscout24" in mail.message_id,
                "addresses": addresses, "estates": estates, "actions": []}
    return [{"id": mail.message_id, "type": "emailInfo", "elements": elements}]


def _email_info_address(a: data.Address) -> dict[str, Any]:
    return {"addressId": a.id, "addressCustomerNo": a.customer_no, "addressFirstname": a.firstname,
            "addressSurname": a.surname, "addressCompany": a.company,
            "addressEmail": a.default_email}


def _email_info_estate(sb: SandboxOnOffice, e: data.Estate) -> dict[str, Any]:
    owner = sb.addresses.get(e.owner_id)
    return {"estateId": e.id, "estateExternalNo": e.external_no,
            "estateOwner": f"{owner.firstname} {owner.surname}" if owner else "",
            "estateStreet": f"{e.street} {e.houseno}", "estateCity": e.city}


def search(sb: SandboxOnOffice, kind: str, p: dict[str, Any]) -> list[dict[str, Any]]:
    text = str(p.get("input") or "").strip()
    if not text:
        raise ActionFailed(69, "The search cannot be empty")
    if len(text) < MIN_SEARCH:
        raise ActionFailed(151, "The search string has not enough characters")
    words = text.casefold().split()
    limit = int(p.get("listlimit") or 20)
    if kind == "address":
        contact = bool(p.get("includecontactdata"))
        hits = [a for a in sb.addresses.values()
                if all(w in _address_haystack(a, contact) for w in words)]
        return [_search_address(a) for a in hits[:limit]]
    if kind == "estate":
        hits = [e for e in sb.estates.values() if all(w in _estate_haystack(sb, e) for w in words)]
        return [_search_estate(sb, e) for e in hits[:limit]]
    raise ActionFailed(254, "resourceid must be address or estate")


def _address_haystack(a: data.Address, contact: bool) -> str:
    mails = a.emails if contact else a.emails[:1]
    return " ".join((a.firstname, a.surname, a.company, a.customer_no, *mails)).casefold()


def _estate_haystack(sb: SandboxOnOffice, e: data.Estate) -> str:
    owner = sb.addresses.get(e.owner_id)
    names = (owner.firstname, owner.surname) if owner else ()
    return " ".join((e.external_no, e.city, e.street, e.houseno, *names)).casefold()


def _search_address(a: data.Address) -> dict[str, Any]:
    return {"id": a.id, "type": "address", "elements": {
        "customerno": a.customer_no, "firstname": a.firstname, "surname": a.surname,
        "company": a.company, "addressDescription": f"{a.firstname} {a.surname}",
        "emailaddress": list(a.emails), "primaryEmail": a.default_email}}


def _search_estate(sb: SandboxOnOffice, e: data.Estate) -> dict[str, Any]:
    owner = sb.addresses.get(e.owner_id)
    return {"id": e.id, "type": "estate", "elements": {
        "externalestateno": e.external_no, "zipcode": e.zipcode, "city": e.city,
        "street": e.street, "houseno": e.houseno, "type": "estate",
        "owner": f"{owner.firstname} {owner.surname}" if owner else ""}}


ADDRESS_FIELDS = {"Vorname": "firstname", "Name": "surname", "Zusatz1": "company",
                  "Email": "default_email", "KdNr": "customer_no"}
ESTATE_FIELDS = {"Id": "id", "objekttitel": "title", "objektnr_extern": "external_no",
                 "strasse": "street", "hausnummer": "houseno", "plz": "zipcode", "ort": "city"}


def _fields(p: dict[str, Any], known: dict[str, str]) -> list[str]:
    fields = p.get("data") or list(known)
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ActionFailed(141, f"Unknown field: {unknown[0]}")
    return fields


def _listlimit(p: dict[str, Any]) -> int:
    try:
        return max(0, min(int(p.get("listlimit") or 20), 500))
    except (TypeError, ValueError):
        raise ActionFailed(255, "Invalid parameter: listlimit") from None


def _address_elements(a: data.Address, fields: list[str]) -> dict[str, Any]:
    elements: dict[str, Any] = {}
    for f in fields:
        if f == "email":  # the pseudo-field: every e-mail address, keyed as onOffice does
            elements.update({f"email__{i}": m for i, m in enumerate(a.emails, 1)})
        else:
            elements[f] = getattr(a, ADDRESS_FIELDS[f])
    return elements


def read_addresses(sb: SandboxOnOffice, p: dict[str, Any]) -> Matches:
    fields = _fields(p, {**ADDRESS_FIELDS, "email": "emails"})
    flt = p.get("filter") or {}
    hits = list(sb.addresses.values())
    recordids = p.get("recordids")
    if isinstance(recordids, list):
        hits = [a for a in hits if a.id in recordids]
    for key, main_only in (("email", False), ("Email", True)):
        for cond in flt.get(key, []):
            wanted = str(cond.get("val", "")).casefold()
            hits = [a for a in hits
                    if wanted in [m.casefold() for m in (a.emails[:1] if main_only else a.emails)]]
    records = [{"id": a.id, "type": "address", "elements": _address_elements(a, fields)}
               for a in hits[:_listlimit(p)]]
    return Matches(records, len(hits))


def read_estates(sb: SandboxOnOffice, resourceid: str, p: dict[str, Any]) -> Matches:
    fields = _fields(p, ESTATE_FIELDS)
    if resourceid:  # one record by its id, as onOffice reads a single estate
        if not resourceid.isdigit() or int(resourceid) not in sb.estates:
            raise ActionFailed(293, f"Unknown estate record id {resourceid}")
        hits = [sb.estates[int(resourceid)]]
    else:
        ids: list[Any] = []
        for cond in (p.get("filter") or {}).get("Id", []):
            val = cond.get("val")
            ids.extend(val if isinstance(val, list) else [val])
        hits = [sb.estates[i] for i in ids if i in sb.estates] if ids else list(sb.estates.values())
    records = [{"id": e.id, "type": "estate",
                "elements": {f: getattr(e, ESTATE_FIELDS[f]) for f in fields}}
               for e in hits[:_listlimit(p)]]
    return Matches(records, len(hits))


# Address fields a create may set (as active in the sample brokerage's enterprise), and the
# fixed contact parameters; anything else is an unknown field (onOffice error 141).
CREATE_FIELDS = {"Vorname": "firstname", "Name": "surname", "Zusatz1": "company",
                 "Titel": "title", "Anrede": "salutation"}
CREATE_CONTACT = {"email", "phone"}
CREATE_FLAGS = {"checkDuplicate", "noOverrideByDuplicate"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_address(sb: SandboxOnOffice, p: dict[str, Any]) -> list[dict[str, Any]]:
    unknown = sorted(set(p) - set(CREATE_FIELDS) - CREATE_CONTACT - CREATE_FLAGS)
    if unknown:
        raise ActionFailed(141, f"Unknown field: {unknown[0]}")
    if not sb.address_write_right:
        raise ActionFailed(261, "Missing write right for addresses")
    values = {attr: str(p.get(f) or "") for f, attr in CREATE_FIELDS.items()}
    email = str(p.get("email") or "").strip()
    if email and not _EMAIL.match(email):
        raise ActionFailed(255, "Invalid parameter: email")
    if p.get("checkDuplicate") and email:
        same = sorted(a.id for a in sb.addresses.values()
                      if email.casefold() in (m.casefold() for m in a.emails))
        if same:
            if p.get("noOverrideByDuplicate"):
                return [{"id": same[0], "type": "address", "elements": []}]
            # onOffice overwrites the lowest-id duplicate: the reason the backend never asks this.
            sb.addresses[same[0]] = dataclasses.replace(sb.addresses[same[0]], **values)
            return [{"id": same[0], "type": "address", "elements": []}]
    new_id = sb.take_address_id()
    phones = (str(p["phone"]),) if p.get("phone") else ()
    sb.addresses[new_id] = data.Address(new_id, f"K-{new_id + 400}", emails=(email,) if email else (),
                                        phones=phones, **values)
    return [{"id": new_id, "type": "address", "elements": []}]


def own_user(sb: SandboxOnOffice, p: dict[str, Any]) -> list[dict[str, Any]]:
    if p.get("userfilter") != "onlyOwn":
        raise ActionFailed(149, "The API user may only read its own user record")
    mailbox = data.MAILBOXES[0]
    user = data.USERS[mailbox]
    return [{"id": user["id"], "type": "user", "elements": {**user, "email": mailbox}}]


def get_link(sb: SandboxOnOffice, kind: str, p: dict[str, Any]) -> list[dict[str, Any]]:
    record_id = p.get("recordId")
    table: dict[int, Any] = {"address": sb.addresses, "estate": sb.estates}.get(kind, {})
    if kind not in ("address", "estate"):
        raise ActionFailed(254, "resourceid must be address or estate")
    if record_id not in table:
        raise ActionFailed(292 if kind == "address" else 293, f"Unknown {kind} record id")
    return [{"id": record_id, "type": "link",
             "elements": {"url": f"{sb.link_base}/{kind}/{record_id}"}}]
