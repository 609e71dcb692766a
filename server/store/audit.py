"""The audit log: who linked which mail to what, when, and what onOffice answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, insert, select, update

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
    in_mailbox: str | None = None  # set when the mail sits in another (shared) mailbox
    added_ids: list[int] | None = None
    removed_ids: list[int] | None = None
    name: str = ""  # the user's display name at the time of the click


_TABLE = AuditRow.__table__
# Built once with bind parameters so SQLAlchemy compiles them once (they run on every click).
_INSERT = insert(_TABLE)
_FINISH = (update(_TABLE).where(_TABLE.c.id == bindparam("entry"))
           .values(outcome=bindparam("outcome"), onoffice_code=bindparam("onoffice_code"),
                   detail=bindparam("detail"),
                   folder=func.coalesce(bindparam("folder"), _TABLE.c.folder),
                   uid=func.coalesce(bindparam("uid"), _TABLE.c.uid),
                   added_ids=bindparam("added_ids"), removed_ids=bindparam("removed_ids")))


def _ids(text: str | None) -> list[int] | None:
    return None if text is None else [int(i) for i in text.split(",") if i]


def _text(ids: list[int] | None) -> str | None:
    return None if ids is None else ",".join(str(i) for i in ids)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.mailbox, row.identity, row.message_id, row.folder,
                      row.uid, row.action, row.address_id, row.estate_id, row.outcome,
                      row.onoffice_code, row.in_mailbox, _ids(row.added_ids),
                      _ids(row.removed_ids), row.name or "")


class AuditLog:
    def __init__(self, db: Database):
        self._db = db

    def start(self, *, user_id: str, mailbox: str, identity: str, message_id: str,
              action: str, address_id: int | None, estate_id: int | None,
              in_mailbox: str | None = None, name: str = "") -> int:
        """Record the attempt before anything is sent, so even a crash leaves a trace.

        ``mailbox`` is the user who acted; ``in_mailbox`` the shared mailbox the mail sits in.
        """
        # Core statements, not the ORM: this sits on every click's path (see bench/).
        row = {"at": datetime.now(UTC), "user_id": user_id, "mailbox": mailbox, "name": name[:200],
               "identity": identity, "message_id": message_id, "action": action,
               "address_id": address_id, "estate_id": estate_id, "outcome": "pending",
               "in_mailbox": in_mailbox}
        with self._db.engine.begin() as conn:
            return int(conn.execute(_INSERT, row).inserted_primary_key[0])

    def finish(self, entry_id: int, outcome: str, *, folder: str | None = None,
               uid: int | None = None, code: int | None = None, detail: str = "",
               added: list[int] | None = None, removed: list[int] | None = None) -> None:
        values = {"entry": entry_id, "outcome": outcome, "onoffice_code": code,
                  "detail": detail[:2000] or None, "folder": folder, "uid": uid,
                  "added_ids": _text(added), "removed_ids": _text(removed)}
        with self._db.engine.begin() as conn:
            conn.execute(_FINISH, values)

    def history(self, identity: str, message_id: str, limit: int = 50) -> list[AuditEntry]:
        query = (select(AuditRow)
                 .where(AuditRow.identity == identity, AuditRow.message_id == message_id)
                 .order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit))
        with self._db.session() as s:
            return [_entry(r) for r in s.scalars(query)]

    def _recent_addresses(self, user_id: str, limit: int, scan: int = 500) -> list[int]:
        # Clicks with an address list record what they added in added_ids (a text column),
        # the seed's form in address_id: read the user's newest successful clicks and merge.
        query = (select(_TABLE.c.address_id, _TABLE.c.added_ids)
                 .where(_TABLE.c.user_id == user_id, _TABLE.c.action == "link",
                        _TABLE.c.outcome == "ok", (_TABLE.c.address_id > 0) | (_TABLE.c.added_ids.is_not(None)
                                                     & (_TABLE.c.added_ids != "")))
                 .order_by(_TABLE.c.at.desc(), _TABLE.c.id.desc()).limit(scan))
        found: dict[int, None] = {}
        with self._db.engine.connect() as conn:
            for address_id, added in conn.execute(query):
                for i in reversed(_ids(added) or ([address_id] if address_id else [])):
                    found.setdefault(i)
        return list(found)[:limit]

    def attach_address(self, entry_id: int, address_id: int) -> None:
        """The id onOffice gave a created address, known only once it answered."""
        with self._db.engine.begin() as conn:
            conn.execute(update(_TABLE).where(_TABLE.c.id == entry_id)
                         .values(address_id=address_id))

    def recent_ids(self, user_id: str, column: str, limit: int = 10) -> list[int]:
        """Record ids this user linked (successfully), the most recently linked first."""
        if column == "address_id":
            return self._recent_addresses(user_id, limit)
        col = _TABLE.c[column]
        newest = func.max(_TABLE.c.at)
        query = (select(col).where(_TABLE.c.user_id == user_id, _TABLE.c.action == "link",
                                   _TABLE.c.outcome == "ok", col.is_not(None), col > 0)
                 .group_by(col).order_by(newest.desc(), func.max(_TABLE.c.id).desc())
                 .limit(limit))
        with self._db.engine.connect() as conn:
            return [int(i) for i in conn.execute(query).scalars()]
