"""Creating a contact (onOffice address) from a mail's sender. Plain Python, no Flask.

onOffice's own duplicate check (``checkDuplicate``) overwrites the existing address unless told
not to, so this looks first, by every e-mail address of every contact, and refuses a second
contact with the same e-mail. The attempt is in the audit log before onOffice is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import onoffice, records
from .auth import Principal
from .store import AuditLog


@dataclass(frozen=True)
class NewContact:
    email: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    salutation: str = ""
    company: str = ""
    phone: str = ""

    def fields(self) -> dict[str, str]:
        """onOffice's address field names (reference §15)."""
        return {"Anrede": self.salutation, "Titel": self.title, "Vorname": self.first_name,
                "Name": self.last_name, "Zusatz1": self.company}


class AddressExists(Exception):
    """A contact with this e-mail address is already in onOffice."""

    def __init__(self, email: str, ids: list[int]):
        super().__init__(f"an address with {email} exists: {ids}")
        self.email, self.ids = email, ids


class ContactService:
    def __init__(self, client: onoffice.OnOfficeClient, audit: AuditLog):
        self._client = client
        self._audit = audit

    def create(self, who: Principal, identity: str, new: NewContact) -> dict[str, Any]:
        existing = sorted({int(r.id) for r in self._client.addresses_by_email(new.email, limit=20)})
        if existing:
            raise AddressExists(new.email, existing)
        entry = self._audit.start(user_id=who.user_id, mailbox=who.mailbox, identity=identity,
                                  message_id="", action="create_address", address_id=None,
                                  estate_id=None)
        try:
            new_id = self._client.create_address(new.fields(), new.email, new.phone)
        except Exception as exc:
            code = exc.code if isinstance(exc, onoffice.APIError) else None
            self._audit.finish(entry, "refused" if code else "error", code=code, detail=str(exc))
            raise
        self._audit.finish(entry, "ok")
        self._audit.attach_address(entry, new_id)
        return records.address(new_id, new.first_name, new.last_name, new.company, new.email)
