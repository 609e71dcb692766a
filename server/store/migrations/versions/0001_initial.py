"""The tables as they were before migrations: audit log, sessions, sign-in flows, hand-over codes.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.store.models import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("mailbox", sa.String(320), nullable=False),
        sa.Column("identity", sa.String(320), nullable=False),
        sa.Column("message_id", sa.String(1000), nullable=False),
        sa.Column("folder", sa.String(1000)),
        sa.Column("uid", sa.Integer),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("address_id", sa.Integer),
        sa.Column("estate_id", sa.Integer),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("onoffice_code", sa.Integer),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_mailbox", "audit_log", ["mailbox"])
    op.create_index("ix_audit_log_message_id", "audit_log", ["message_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("mailbox", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime()),
    )
    op.create_index("ix_sessions_mailbox", "sessions", ["mailbox"])
    op.create_table(
        "auth_flows",
        sa.Column("state", sa.String(128), primary_key=True),
        sa.Column("flow", sa.Text, nullable=False),
        sa.Column("client", sa.String(16), nullable=False),
        sa.Column("redirect_uri", sa.String(2000)),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_auth_flows_expires_at", "auth_flows", ["expires_at"])
    op.create_table(
        "handover_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("redirect_uri", sa.String(2000), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime()),
    )
    op.create_index("ix_handover_codes_expires_at", "handover_codes", ["expires_at"])


def downgrade() -> None:
    for table in ("handover_codes", "auth_flows", "sessions", "audit_log"):
        op.drop_table(table)
