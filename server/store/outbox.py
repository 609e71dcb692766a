"""The outbox: every link and unlink, kept until onOffice has answered it (transactional outbox).

A click is written here together with its audit row, in one transaction, before onOffice is
called. The row is deleted in the transaction that records onOffice's answer in the audit log,
so the database never holds a confirmed click as queued or a queued click without its audit row.

Order: clicks of one (identity, Message-ID) apply in ``id`` order. A row may be applied only
while it is the oldest queued row of its mail (``_HEAD``), and only by whoever holds its lease.
Ids of one mail are handed out in commit order: SQLite serialises writers, and on PostgreSQL
``enqueue`` takes a transaction-scoped advisory lock on the mail first, so a click can never see
"nothing older" while an older one of the same mail is still uncommitted.

Claims: a claimer sets ``lease_owner``/``lease_until`` on due head rows in one UPDATE that
re-checks the lease, so two processes never hold the same row; PostgreSQL first locks the
candidates with ``FOR UPDATE SKIP LOCKED``, so claimers pass each other instead of queueing.
A lease outlives any one attempt (it is longer than the onOffice client's time limits), and a
crashed holder's rows are taken over once it expires.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, insert, or_, select, text, update
from sqlalchemy.orm import aliased

from .audit import _FINISH
from .audit import _text as _ids_text
from .db import Database
from .models import AuditRow, OutboxRow

_T = OutboxRow.__table__
_A = AuditRow.__table__
# Built once with bind parameters (compiled once): enqueue and done sit on every click's path.
_INSERT_AUDIT, _INSERT_CLICK = insert(_A), insert(_T)
_OLDER_QUEUED = select(exists().where(
    _T.c.identity == bindparam("identity"), _T.c.message_id == bindparam("message_id"),
    _T.c.state == "queued", _T.c.id < bindparam("click_id")))
_DELETE = delete(_T).where(_T.c.id == bindparam("click_id"))
# Older queued clicks of the mail that nobody is applying right now: they wait for onOffice.
_OLDER_WAITING = select(exists().where(
    _T.c.identity == bindparam("identity"), _T.c.message_id == bindparam("message_id"),
    _T.c.state == "queued", _T.c.id < bindparam("click_id"),
    or_(_T.c.lease_until.is_(None), _T.c.lease_until < bindparam("now"))))
_older = aliased(OutboxRow)
# No older click of the same mail is still queued: this row is the head of its mail's queue.
_HEAD = ~exists().where(_older.identity == OutboxRow.identity,
                        _older.message_id == OutboxRow.message_id,
                        _older.state == "queued", _older.id < OutboxRow.id)


@dataclass(frozen=True)
class QueuedClick:
    id: int
    audit_id: int
    created_at: datetime
    user_id: str
    by_mailbox: str
    mailbox: str
    identity: str
    message_id: str
    folder: str | None
    uid: int | None
    action: str
    form: dict[str, Any]
    state: str
    attempts: int
    last_kind: str | None
    last_error: str | None
    last_code: int | None
    next_at: datetime
    lease: str | None = None  # set on clicks handed out by enqueue/claim: the holder's token


@dataclass(frozen=True)
class Enqueued:
    click: QueuedClick
    behind: bool  # older clicks of this mail are still queued
    # ``click.lease`` is None when those wait for onOffice (the drainer takes this one after
    # them); set when they are being applied right now (the caller may wait its turn).


_FIELDS = [f for f in QueuedClick.__dataclass_fields__ if f not in ("form", "lease")]


def _click(row: Any, lease: str | None = None) -> QueuedClick:
    """A click from a Core result row's mapping."""
    return QueuedClick(**{f: row[f] for f in _FIELDS}, form=json.loads(row["form"]), lease=lease)


def _mail_lock_key(identity: str, message_id: str) -> int:
    digest = hashlib.sha256(f"{identity}\0{message_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxStore:
    def __init__(self, db: Database, lease_seconds: float = 60.0):
        self._db = db
        self.lease = timedelta(seconds=lease_seconds)

    def __repr__(self) -> str:
        return f"OutboxStore(lease={self.lease})"

    # -- the click's own request -----------------------------------------------------------

    def enqueue(self, *, user_id: str, by_mailbox: str, mailbox: str, identity: str,
                message_id: str, action: str, form: dict[str, Any], address_id: int | None,
                estate_id: int | None, folder: str | None, uid: int | None,
                in_mailbox: str | None = None, name: str = "") -> Enqueued:
        """Write the click and its audit row; the caller holds the lease unless ``behind``."""
        now, lease = _now(), secrets.token_hex(16)
        audit = {"at": now, "user_id": user_id, "mailbox": by_mailbox, "name": name[:200],
                 "identity": identity,
                 "message_id": message_id, "action": action, "address_id": address_id,
                 "estate_id": estate_id, "outcome": "pending", "folder": folder, "uid": uid,
                 "in_mailbox": in_mailbox}
        row = {"created_at": now, "user_id": user_id, "by_mailbox": by_mailbox,
               "mailbox": mailbox, "identity": identity, "message_id": message_id,
               "folder": folder, "uid": uid, "action": action,
               "form": json.dumps(form, sort_keys=True), "state": "queued", "attempts": 0,
               "next_at": now, "lease_owner": lease, "lease_until": now + self.lease}
        with self._db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": _mail_lock_key(identity, message_id)})
            audit_id = int(conn.execute(_INSERT_AUDIT, audit).inserted_primary_key[0])
            click_id = int(conn.execute(_INSERT_CLICK, {**row, "audit_id": audit_id})
                           .inserted_primary_key[0])
            key = {"identity": identity, "message_id": message_id, "click_id": click_id}
            behind = bool(conn.execute(_OLDER_QUEUED, key).scalar())
            if behind and conn.execute(_OLDER_WAITING, {**key, "now": now}).scalar():
                # Older clicks wait for onOffice: the drainer takes this one after them.
                self._release(conn, click_id, audit_id)
                lease = None
        fields = {k: v for k, v in row.items() if k not in ("lease_owner", "lease_until")}
        click = QueuedClick(id=click_id, audit_id=audit_id, form=form, last_kind=None,
                            last_error=None, last_code=None, lease=lease,
                            **{k: v for k, v in fields.items() if k != "form"})
        return Enqueued(click, behind)

    def wait_turn(self, click: QueuedClick, timeout: float) -> bool:
        """Wait while older clicks of the mail are being applied by other requests.

        True: they are done and this click (still leased to the caller) is the mail's next;
        False: an older one now waits for onOffice, or ``timeout`` passed; this click was
        handed to the drainer.
        """
        key = {"identity": click.identity, "message_id": click.message_id, "click_id": click.id}
        deadline = time.monotonic() + timeout
        while True:
            with self._db.engine.connect() as conn:
                if not conn.execute(_OLDER_QUEUED, key).scalar():
                    return True
                waiting = conn.execute(_OLDER_WAITING, {**key, "now": _now()}).scalar()
            if waiting or time.monotonic() > deadline:
                with self._db.engine.begin() as conn:
                    self._release(conn, click.id, click.audit_id)
                return False
            time.sleep(0.02)

    @staticmethod
    def _release(conn: Any, click_id: int, audit_id: int) -> None:
        conn.execute(update(_T).where(_T.c.id == click_id).values(lease_owner=None,
                                                                  lease_until=None))
        conn.execute(update(_A).where(_A.c.id == audit_id).values(outcome="queued"))

    # -- the drainer ---------------------------------------------------------------------

    def claim(self, limit: int, *, ignore_schedule: bool = False) -> list[QueuedClick]:
        """Lease up to ``limit`` due head rows, oldest first; ``ignore_schedule`` probes early."""
        now, token = _now(), secrets.token_hex(16)
        free = or_(OutboxRow.lease_until.is_(None), OutboxRow.lease_until < now)
        due = [OutboxRow.state == "queued", free, _HEAD]
        if not ignore_schedule:
            due.append(OutboxRow.next_at <= now)
        with self._db.engine.begin() as conn:
            candidates = select(OutboxRow.id).where(*due).order_by(OutboxRow.id).limit(limit)
            if conn.dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True, of=OutboxRow)
            ids = list(conn.execute(candidates).scalars())
            if not ids:
                return []
            # Re-checked in the UPDATE itself: on SQLite nothing was locked by the SELECT.
            conn.execute(update(OutboxRow).where(OutboxRow.id.in_(ids), *due[:3])
                         .values(lease_owner=token, lease_until=now + self.lease))
            rows = conn.execute(select(_T).where(_T.c.lease_owner == token)
                                .order_by(_T.c.id)).mappings().all()
        return [_click(r, token) for r in rows]

    def done(self, click: QueuedClick, *, folder: str | None, uid: int | None,
             added: list[int] | None = None, removed: list[int] | None = None) -> None:
        """onOffice confirmed: the row goes, the audit row says ok, in one transaction."""
        with self._db.engine.begin() as conn:
            conn.execute(_DELETE, {"click_id": click.id})
            conn.execute(_FINISH, {"entry": click.audit_id, "outcome": "ok", "onoffice_code": None,
                                   "detail": None, "folder": folder, "uid": uid,
                                   "added_ids": _ids_text(added), "removed_ids": _ids_text(removed)})

    def fail(self, click: QueuedClick, *, outcome: str, code: int | None, detail: str,
             keep: bool) -> None:
        """Settled without success; ``keep`` leaves the row as failed for ``outbox retry``."""
        with self._db.engine.begin() as conn:
            if keep:
                conn.execute(update(_T).where(_T.c.id == click.id).values(
                    state="failed", last_error=detail[:2000], last_code=code,
                    lease_owner=None, lease_until=None))
            else:
                conn.execute(delete(_T).where(_T.c.id == click.id))
            conn.execute(_FINISH, {"entry": click.audit_id, "outcome": outcome,
                                   "onoffice_code": code, "detail": detail[:2000] or None,
                                   "folder": click.folder, "uid": click.uid,
                                   "added_ids": None, "removed_ids": None})

    def defer(self, click: QueuedClick, *, kind: str, error: str, delay: float,
              folder: str | None = None, uid: int | None = None) -> None:
        """Not settled (onOffice or the mail server did not answer): try again after ``delay``."""
        values: dict[str, Any] = {
            "attempts": _T.c.attempts + 1, "last_kind": kind, "last_error": error[:2000],
            "next_at": _now() + timedelta(seconds=delay), "lease_owner": None, "lease_until": None}
        if folder is not None and uid is not None:
            values.update(folder=folder, uid=uid)
        with self._db.engine.begin() as conn:
            conn.execute(update(_T).where(_T.c.id == click.id, _T.c.lease_owner == click.lease)
                         .values(**values))
            conn.execute(update(_A).where(_A.c.id == click.audit_id).values(outcome="queued"))

    def release_all(self) -> int:
        """onOffice answers again: every queued click is due now."""
        with self._db.engine.begin() as conn:
            return conn.execute(update(_T).where(_T.c.state == "queued", _T.c.next_at > _now())
                                .values(next_at=_now())).rowcount or 0

    # -- views and admin -----------------------------------------------------------------

    def pending(self, identity: str, message_id: str) -> list[QueuedClick]:
        query = (select(_T).where(_T.c.identity == identity, _T.c.message_id == message_id,
                                  _T.c.state == "queued").order_by(_T.c.id))
        with self._db.engine.connect() as conn:
            return [_click(r) for r in conn.execute(query).mappings()]

    def all(self) -> list[QueuedClick]:
        with self._db.engine.connect() as conn:
            return [_click(r) for r in conn.execute(select(_T).order_by(_T.c.id)).mappings()]

    def stats(self) -> tuple[int, datetime | None]:
        """How many clicks are queued, and when the oldest was made."""
        query = select(func.count(), func.min(OutboxRow.created_at)).where(
            OutboxRow.state == "queued")
        with self._db.engine.connect() as conn:
            count, oldest = conn.execute(query).one()
        if isinstance(oldest, str):  # SQLite's MIN() comes back untyped
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return int(count), oldest

    def retry(self, click_id: int) -> bool:
        """Queued: try now. Failed: queue again, behind the mail's newer clicks (a new id)."""
        now = _now()
        with self._db.session() as s:
            row = s.get(OutboxRow, click_id)
            if row is None:
                return False
            if row.state == "queued":
                row.next_at = now
                return True
            again = {c.key: getattr(row, c.key) for c in _T.columns if c.key != "id"}
            again.update(state="queued", next_at=now, created_at=now, last_code=None,
                         lease_owner=None, lease_until=None)
            s.delete(row)
            s.flush()
            s.add(OutboxRow(**again))
            s.execute(update(_A).where(_A.c.id == row.audit_id)
                      .values(outcome="queued", onoffice_code=None))
            return True

    def drop(self, click_id: int) -> bool:
        """Give up a click: the row goes, its audit row says dropped."""
        with self._db.engine.begin() as conn:
            row = conn.execute(select(_T.c.audit_id).where(_T.c.id == click_id)).first()
            if row is None:
                return False
            conn.execute(delete(_T).where(_T.c.id == click_id))
            conn.execute(update(_A).where(_A.c.id == row.audit_id, _A.c.outcome != "ok")
                         .values(outcome="dropped"))
        return True


__all__ = ["Enqueued", "OutboxStore", "QueuedClick"]
