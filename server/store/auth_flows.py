"""Pending sign-ins between /auth/login and /auth/callback: each can be taken exactly once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete

from .db import Database
from .models import AuthFlowRow


@dataclass(frozen=True)
class PendingSignIn:
    flow: dict[str, Any]
    client: str
    redirect_uri: str | None


class AuthFlowStore:
    def __init__(self, db: Database, lifetime: timedelta = timedelta(minutes=10)):
        self._db = db
        self.lifetime = lifetime

    def __repr__(self) -> str:
        return f"AuthFlowStore(lifetime={self.lifetime})"

    def put(self, flow: dict[str, Any], client: str, redirect_uri: str | None) -> None:
        now = datetime.now(UTC)
        with self._db.session() as s:
            s.execute(delete(AuthFlowRow).where(AuthFlowRow.expires_at < now))
            s.add(AuthFlowRow(state=flow["state"], flow=json.dumps(flow), client=client,
                              redirect_uri=redirect_uri, expires_at=now + self.lifetime))

    def take(self, state: str) -> PendingSignIn | None:
        """Remove and return the pending sign-in for ``state``; None if unknown, used or expired."""
        with self._db.session() as s:
            row = s.get(AuthFlowRow, state)
            if row is None:
                return None
            gone = s.execute(delete(AuthFlowRow).where(AuthFlowRow.state == state)).rowcount
            expires = row.expires_at
            if gone != 1 or expires <= datetime.now(UTC):
                return None  # a concurrent callback took it first, or it is too old
            return PendingSignIn(json.loads(row.flow), row.client, row.redirect_uri)
