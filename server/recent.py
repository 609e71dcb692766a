"""What a user linked lately: ids from the audit log, titles fresh from onOffice. No Flask."""

from __future__ import annotations

from typing import Any

from . import onoffice, records
from .onoffice import actions as act
from .store import AuditLog

MAX_EACH = 10


class RecentRecords:
    def __init__(self, client: onoffice.OnOfficeClient, audit: AuditLog):
        self._client = client
        self._audit = audit

    def for_user(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        address_ids = self._audit.recent_ids(user_id, "address_id", MAX_EACH)
        estate_ids = self._audit.recent_ids(user_id, "estate_id", MAX_EACH)
        batch = ([act.read_addresses(address_ids)] if address_ids else []) + (
            [act.read_estates(estate_ids)] if estate_ids else [])
        results = iter(self._client.call(batch))  # one POST for both, titles as they are now
        addresses = _in_order(address_ids, next(results).unwrap() if address_ids else [],
                              records.from_address_read)
        estates = _in_order(estate_ids, next(results).unwrap() if estate_ids else [],
                            records.from_estate_read)
        return {"addresses": addresses, "estates": estates}


def _in_order(ids: list[int], found: list[onoffice.Record], shape: Any) -> list[dict[str, Any]]:
    """Newest first, as the audit log says; records onOffice no longer has are left out."""
    by_id = {int(r.id): r for r in found}
    return [shape(by_id[i]) for i in ids if i in by_id]
