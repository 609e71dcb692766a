"""Tables. Times are timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way out, whatever the database kept (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class AuditRow(Base):
    """One link or unlink attempt, written before onOffice is called and completed after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    user_id: Mapped[str] = mapped_column(String(120))
    mailbox: Mapped[str] = mapped_column(String(320), index=True)
    # Who clicked, by name: colleagues read "linked by Anna Schmidt", not a mailbox address.
    name: Mapped[str | None] = mapped_column(String(200))
    identity: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(1000), index=True)
    folder: Mapped[str | None] = mapped_column(String(1000))
    uid: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    address_id: Mapped[int | None] = mapped_column(Integer)
    estate_id: Mapped[int | None] = mapped_column(Integer)
    # The mailbox the mail sits in when it is not the user's own (a shared or delegated one).
    in_mailbox: Mapped[str | None] = mapped_column(String(320))
    # Comma-separated address ids the click added and removed (None: not known, e.g. a failure).
    added_ids: Mapped[str | None] = mapped_column(Text)
    removed_ids: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(32), default="pending")
    onoffice_code: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)


class SessionRow(Base):
    """A session token's server-side half: revoking the row kills the token."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[str] = mapped_column(String(120))
    method: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuthFlowRow(Base):
    """A pending sign-in (msal auth-code flow with PKCE verifier and nonce): single use, expiring."""

    __tablename__ = "auth_flows"

    state: Mapped[str] = mapped_column(String(128), primary_key=True)
    flow: Mapped[str] = mapped_column(Text)
    client: Mapped[str] = mapped_column(String(16))
    redirect_uri: Mapped[str | None] = mapped_column(String(2000))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class HandoverCodeRow(Base):
    """A one-time code that the Thunderbird add-on exchanges for its session token.

    Only the code's SHA-256 is kept. A used code stays (``used_at`` set) until it expires, so
    a replay is recognised and the session it yielded can be revoked.
    """

    __tablename__ = "handover_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class OutboxRow(Base):
    """A click that onOffice has not confirmed yet: written with its audit row, before onOffice
    is called, and deleted in the same transaction that records the outcome.

    ``form`` is the request's address form and ``estateId`` as JSON, kept as sent, so any form
    the API takes travels unchanged. Clicks of one (identity, Message-ID) apply in ``id`` order;
    ``lease_owner``/``lease_until`` say who is applying a row right now (a web request or a
    drainer), ``next_at`` when it may be tried again.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_key", "identity", "message_id", "id"),
                      Index("ix_outbox_due", "state", "next_at"),
                      {"sqlite_autoincrement": True})  # ids never come back: admins name them

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    user_id: Mapped[str] = mapped_column(String(120))
    by_mailbox: Mapped[str] = mapped_column(String(320))
    mailbox: Mapped[str] = mapped_column(String(320))
    identity: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(1000))
    folder: Mapped[str | None] = mapped_column(String(1000))
    uid: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    form: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_kind: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_code: Mapped[int | None] = mapped_column(Integer)
    next_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class IdempotencyRow(Base):
    """The first answer to a POST with an ``Idempotency-Key``, per signed-in user, for 24 hours.

    ``status`` is NULL while the first request still runs.
    """

    __tablename__ = "idempotency_keys"

    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)
