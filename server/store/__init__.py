"""The database (SQLAlchemy): audit log, outbox, sessions, idempotency keys; nothing else touches it."""

from .audit import AuditEntry, AuditLog
from .db import Database
from .schema import SchemaError
from .sessions import SessionRecord, SessionStore

__all__ = ["AuditEntry", "AuditLog", "Database", "SchemaError", "SessionRecord", "SessionStore"]
