"""onOffice's records (German field names, several shapes) -> the API's one Record shape."""

from __future__ import annotations

from typing import Any

from .onoffice import Record


def _join(*parts: Any, sep: str = " ") -> str:
    return sep.join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())


def address(id_: Any, firstname: Any, surname: Any, company: Any, email: Any,
            customer_no: Any = "") -> dict[str, Any]:
    person = _join(firstname, surname)
    title = person or _join(company) or f"#{id_}"
    subtitle = _join(company if person else "", email, customer_no, sep=" · ")
    return {"kind": "address", "id": int(id_), "title": title, "subtitle": subtitle,
            "email": str(email or "")}


def estate(id_: Any, street: Any, houseno: Any, city: Any,
           external_no: Any = "", extra: Any = "") -> dict[str, Any]:
    # Street, number and city only: emailInfo (the linked list) has no postcode, and the same
    # estate must carry the same title in links, suggestions and search.
    title = _join(_join(street, houseno), city, sep=", ") or f"#{id_}"
    return {"kind": "estate", "id": int(id_), "title": title,
            "subtitle": _join(external_no, extra, sep=" · ")}


def from_search(r: Record) -> dict[str, Any]:
    e = r.elements
    if r.type == "estate" or "externalestateno" in e:
        return estate(r.id, e.get("street"), e.get("houseno"), e.get("city"),
                      e.get("externalestateno"), e.get("owner"))
    return address(r.id, e.get("firstname"), e.get("surname"), e.get("company"),
                   e.get("primaryEmail"), e.get("customerno"))


def from_address_read(r: Record) -> dict[str, Any]:
    e = r.elements
    return address(r.id, e.get("Vorname"), e.get("Name"), e.get("Zusatz1"), e.get("Email"),
                   e.get("KdNr"))


def from_estate_read(r: Record) -> dict[str, Any]:
    e = r.elements
    return estate(r.id, e.get("strasse"), e.get("hausnummer"), e.get("ort"),
                  e.get("objektnr_extern"), e.get("objekttitel"))


def from_email_info_address(e: dict[str, Any]) -> dict[str, Any]:
    return address(e.get("addressId"), e.get("addressFirstname"), e.get("addressSurname"),
                   e.get("addressCompany"), e.get("addressEmail"), e.get("addressCustomerNo"))


def from_email_info_estate(e: dict[str, Any]) -> dict[str, Any]:
    return estate(e.get("estateId"), e.get("estateStreet"), "", e.get("estateCity"),
                  e.get("estateExternalNo"), e.get("estateOwner"))
