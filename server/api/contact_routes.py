"""/api/v1/addresses (a new contact from the mail) and /api/v1/recent (what this user linked)."""

from __future__ import annotations

from typing import Any

from .. import onoffice
from ..contacts import AddressExists, ContactService, NewContact
from ..errors import ApiError
from ..recent import RecentRecords
from . import schemas as s
from .context import identity, json_body, principal, services
from .routes import bp

_new_in, _record_out, _recent_out = s.NewAddressSchema(), s.RecordSchema(), s.RecentSchema()

WRITE_RIGHT = ("The onOffice API user may not create addresses. Your administrator must grant "
               "it the right to write addresses (Adressen: Schreiben) in onOffice enterprise.")


@bp.post("/addresses")
def create_address() -> Any:
    who, ident = principal(), identity()
    body = json_body(_new_in)
    new = NewContact(email=body["email"], first_name=body.get("firstName", ""),
                     last_name=body.get("lastName", ""), title=body.get("title", ""),
                     salutation=body.get("salutation", ""), company=body.get("company", ""),
                     phone=body.get("phone", ""))
    svc = services()
    try:
        record = ContactService(svc.onoffice, svc.audit).create(who, ident, new)
    except AddressExists as exc:
        raise ApiError(409, "address_exists",
                       f"onOffice already has a contact with {exc.email}: link that one instead.",
                       {"addressIds": exc.ids, "email": exc.email}) from None
    except onoffice.PermissionDenied as exc:
        raise ApiError(502, "onoffice_refused", f"{WRITE_RIGHT} (onOffice error {exc.code})",
                       {"onofficeCode": exc.code, "onofficeMessage": exc.message}) from None
    return _record_out.dump(record), 201


@bp.get("/recent")
def recent() -> Any:
    who = principal()
    svc = services()
    return _recent_out.dump(RecentRecords(svc.onoffice, svc.audit).for_user(who.user_id))
