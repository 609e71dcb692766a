"""The database (SQLAlchemy): audit log and sign-in sessions. The only module that touches it."""

from .audit import AuditEntry, AuditLog
from .db import Database
from .sessions import SessionRecord, SessionStore

__all__ = ["AuditEntry", "AuditLog", "Database", "SessionRecord", "SessionStore"]
