from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """A signed-in user: ``user_id`` is ``tid:oid`` for Entra users, the mailbox is lower case."""

    user_id: str
    mailbox: str
    name: str
    method: str  # "entra", "session", "demo"
