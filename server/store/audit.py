"""The audit log: who linked which mail to what, when, and what onOffice answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from .db import Database
from .models import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    mailbox: str
    identity: str
    message_id: str
    folder: str | None
    uid: int | None
    action: str
    address_id: int | None
    estate_id: int | None
    outcome: str
    onoffice_code: int | None


def _entry(row: AuditRow) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)  # SQLite drops the zone
    return AuditEntry(row.id, at, row.mailbox, row.identity, row.message_id, row.folder,
                      row.uid, row.action, row.address_id, row.estate_id, row.outcome,
                      row.onoffice_code)


class AuditLog:
    def __init__(self, db: Database):
        self._db = db

    def start(self, *, user_id: str, mailbox: str, identity: str, message_id: str,
              action: str, address_id: int | None, estate_id: int | None) -> int:
        """Record the attempt before anything is sent, so even a crash leaves a trace."""
        with self._db.session() as s:
            row = AuditRow(user_id=user_id, mailbox=mailbox, identity=identity,
                           message_id=message_id, action=action, address_id=address_id,
                           estate_id=estate_id, outcome="pending")
            s.add(row)
            s.flush()
            return row.id

    def finish(self, entry_id: int, outcome: str, *, folder: str | None = None,
               uid: int | None = None, code: int | None = None, detail: str = "") -> None:
        with self._db.session() as s:
            row = s.get(AuditRow, entry_id)
            if row is None:
                return
            row.outcome, row.onoffice_code, row.detail = outcome, code, detail[:2000] or None
            if folder is not None:
                row.folder, row.uid = folder, uid

    def history(self, identity: str, message_id: str, limit: int = 50) -> list[AuditEntry]:
        query = (select(AuditRow)
                 .where(AuditRow.identity == identity, AuditRow.message_id == message_id)
                 .order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit))
        with self._db.session() as s:
            return [_entry(r) for r in s.scalars(query)]
