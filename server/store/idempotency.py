"""Idempotency-Key: the first answer to a request, kept 24 hours per signed-in user.

``begin`` inserts the key as "running"; the primary key makes exactly one of several
concurrent requests the first. The others see the row: the same body gets the stored answer
(or waits for it), another body is a reuse of the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import IdempotencyRow

_T = IdempotencyRow.__table__
LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Stored:
    """What the key holds: ``status`` None while the first request runs."""

    body_hash: str
    status: int | None
    response: str | None


class IdempotencyStore:
    def __init__(self, db: Database, lifetime: timedelta = LIFETIME):
        self._db = db
        self.lifetime = lifetime

    def __repr__(self) -> str:
        return f"IdempotencyStore(lifetime={self.lifetime})"

    def begin(self, user_id: str, key: str, body_hash: str) -> Stored | None:
        """Claim the key for this request (None), or return what an earlier request left."""
        now = datetime.now(UTC)
        with self._db.engine.begin() as conn:
            # Expired keys of this user go first, so an old key may be used afresh.
            conn.execute(delete(_T).where(_T.c.user_id == user_id,
                                          _T.c.created_at < now - self.lifetime))
        try:
            with self._db.engine.begin() as conn:
                conn.execute(insert(_T), {"user_id": user_id, "key": key, "body_hash": body_hash,
                                          "created_at": now, "status": None, "response": None})
            return None
        except IntegrityError:
            found = self.get(user_id, key)
            if found is None:  # it expired or was abandoned between the two statements
                return self.begin(user_id, key, body_hash)
            return found

    def get(self, user_id: str, key: str) -> Stored | None:
        with self._db.engine.connect() as conn:
            row = conn.execute(select(_T.c.body_hash, _T.c.status, _T.c.response)
                               .where(_T.c.user_id == user_id, _T.c.key == key)).first()
        return Stored(*row) if row else None

    def finish(self, user_id: str, key: str, status: int, response: str) -> None:
        with self._db.engine.begin() as conn:
            conn.execute(update(_T).where(_T.c.user_id == user_id, _T.c.key == key)
                         .values(status=status, response=response))

    def abandon(self, user_id: str, key: str) -> None:
        """The first request ended without an answer worth repeating: free the key."""
        with self._db.engine.begin() as conn:
            conn.execute(delete(_T).where(_T.c.user_id == user_id, _T.c.key == key,
                                          _T.c.status.is_(None)))
