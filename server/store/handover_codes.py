"""One-time codes for the Thunderbird hand-over: /auth/callback -> extension -> POST /auth/token.

The redirect to the extension carries only a random code, never the session token. The
code lives two minutes, can be exchanged once, and only together with the redirect URI it
was sent to. The database holds its SHA-256, so a leaked database row is not a usable code.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update

from .db import Database
from .models import HandoverCodeRow


class CodeRefused(Exception):
    """The code cannot be exchanged; ``code`` says why (machine-readable), the message for people."""

    def __init__(self, code: str, message: str, session_id: str | None = None):
        super().__init__(message)
        self.code, self.message, self.session_id = code, message, session_id


@dataclass(frozen=True)
class Redeemed:
    session_id: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class HandoverCodes:
    def __init__(self, db: Database, lifetime: timedelta = timedelta(minutes=2)):
        self._db = db
        self.lifetime = lifetime

    def __repr__(self) -> str:
        return f"HandoverCodes(lifetime={self.lifetime})"

    def issue(self, session_id: str, redirect_uri: str) -> str:
        """A new code for ``session_id``, redeemable once at ``redirect_uri``; returns the code."""
        code = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self._db.session() as s:
            s.execute(delete(HandoverCodeRow).where(HandoverCodeRow.expires_at < now))
            s.add(HandoverCodeRow(code_hash=_hash(code), session_id=session_id,
                                  redirect_uri=redirect_uri, expires_at=now + self.lifetime))
        return code

    def redeem(self, code: str, redirect_uri: str) -> Redeemed:
        """Mark the code used and return its session; raises :class:`CodeRefused`.

        A code presented a second time raises with ``session_id`` set, so the caller can
        end the session that the first exchange handed out.
        """
        key, now = _hash(code), datetime.now(UTC)
        with self._db.session() as s:
            row = s.get(HandoverCodeRow, key)
            if row is None:
                raise CodeRefused("code_invalid", "This sign-in code is unknown; please sign in again.")
            if row.used_at is not None:
                raise CodeRefused("code_used", "This sign-in code was already used; the session it "
                                  "yielded has been ended. Please sign in again.", row.session_id)
            if row.expires_at <= now:
                raise CodeRefused("code_expired", "This sign-in code has expired; please sign in again.")
            if row.redirect_uri != redirect_uri:
                raise CodeRefused("code_invalid", "This sign-in code was issued for another "
                                  "redirect URI; please sign in again.")
            taken = s.execute(update(HandoverCodeRow)
                              .where(HandoverCodeRow.code_hash == key,
                                     HandoverCodeRow.used_at.is_(None))
                              .values(used_at=now)).rowcount
            if taken != 1:  # a concurrent exchange won the race: treat this one as the replay
                raise CodeRefused("code_used", "This sign-in code was already used; the session "
                                  "it yielded has been ended. Please sign in again.", row.session_id)
            return Redeemed(row.session_id)
