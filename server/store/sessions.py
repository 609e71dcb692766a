"""Server-side half of session tokens: lets an admin revoke them."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from .db import Database
from .models import SessionRow


@dataclass(frozen=True)
class SessionRecord:
    id: str
    mailbox: str
    name: str
    user_id: str
    method: str
    expires_at: datetime
    revoked: bool


class SessionStore:
    """Sessions in the database, with a short in-process cache of live ones.

    The cache keeps the database off every request's path; a revocation from another
    process (``sessions revoke``, another instance) therefore takes effect within
    ``cache_seconds`` (SESSION_CACHE_SECONDS, default 30; 0 asks the database every time).
    """

    def __init__(self, db: Database, cache_seconds: float = 30.0):
        self._db = db
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, SessionRecord]] = {}

    def create(self, *, mailbox: str, name: str, user_id: str, method: str,
               lifetime: timedelta) -> SessionRecord:
        row = SessionRow(id=secrets.token_urlsafe(24), mailbox=mailbox, name=name,
                         user_id=user_id, method=method,
                         expires_at=datetime.now(UTC) + lifetime)
        with self._db.session() as s:
            s.add(row)
        return SessionRecord(row.id, mailbox, name, user_id, method, row.expires_at, False)

    def get(self, session_id: str) -> SessionRecord | None:
        cached = self._cache.get(session_id)
        if cached and time.monotonic() - cached[0] < self._cache_seconds:
            return cached[1]
        record = self._load(session_id)
        if record is not None and not record.revoked:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[session_id] = (time.monotonic(), record)
        return record

    def _load(self, session_id: str) -> SessionRecord | None:
        with self._db.session() as s:
            row = s.get(SessionRow, session_id)
            if row is None:
                return None
            expires = row.expires_at
            return SessionRecord(row.id, row.mailbox, row.name, row.user_id, row.method,
                                 expires, row.revoked_at is not None)

    def revoke(self, session_id: str) -> None:
        """Revoke one session (a replayed hand-over code ends the session it yielded)."""
        self._cache.pop(session_id, None)
        stmt = (update(SessionRow)
                .where(SessionRow.id == session_id, SessionRow.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC)))
        with self._db.session() as s:
            s.execute(stmt)

    def revoke_mailbox(self, mailbox: str) -> int:
        """Revoke every live session of a mailbox; returns how many."""
        mailbox = mailbox.lower()
        for sid, (_, record) in list(self._cache.items()):
            if record.mailbox == mailbox:
                self._cache.pop(sid, None)
        stmt = (update(SessionRow)
                .where(SessionRow.mailbox == mailbox.lower(), SessionRow.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC)))
        with self._db.session() as s:
            return s.execute(stmt).rowcount or 0

    def active(self, mailbox: str) -> list[SessionRecord]:
        """Live (unrevoked, unexpired) sessions of a mailbox."""
        query = select(SessionRow).where(SessionRow.mailbox == mailbox.lower(),
                                         SessionRow.revoked_at.is_(None),
                                         SessionRow.expires_at > datetime.now(UTC))
        with self._db.session() as s:
            rows = list(s.scalars(query))
        return [SessionRecord(r.id, r.mailbox, r.name, r.user_id, r.method, r.expires_at, False)
                for r in rows]
