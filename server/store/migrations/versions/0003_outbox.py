"""The outbox of clicks onOffice has not confirmed yet, and the first answers to Idempotency-Keys.

Revision ID: 0003_outbox
Revises: 0002_audit_shared
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.store.models import UtcDateTime

revision = "0003_outbox"
down_revision = "0002_audit_shared"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.String(120), nullable=False),
        sa.Column("by_mailbox", sa.String(320), nullable=False),
        sa.Column("mailbox", sa.String(320), nullable=False),
        sa.Column("identity", sa.String(320), nullable=False),
        sa.Column("message_id", sa.String(1000), nullable=False),
        sa.Column("folder", sa.String(1000)),
        sa.Column("uid", sa.Integer),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("form", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_kind", sa.String(16)),
        sa.Column("last_error", sa.Text),
        sa.Column("last_code", sa.Integer),
        sa.Column("next_at", UtcDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", UtcDateTime()),
        sqlite_autoincrement=True,  # an id is never handed out twice: admins and panes name them
    )
    # The order key of a mail's clicks, and the drainer's scan of what is due.
    op.create_index("ix_outbox_key", "outbox", ["identity", "message_id", "id"])
    op.create_index("ix_outbox_due", "outbox", ["state", "next_at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.String(120), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("response", sa.Text),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("outbox")
