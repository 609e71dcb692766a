"""Audit rows name the mailbox the mail sits in and which address ids a click added and removed.

Revision ID: 0002_audit_shared
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_audit_shared"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot drop columns in place (downgrade), PostgreSQL alters directly.
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("in_mailbox", sa.String(320)))
        batch.add_column(sa.Column("added_ids", sa.Text))
        batch.add_column(sa.Column("removed_ids", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        for column in ("removed_ids", "added_ids", "in_mailbox"):
            batch.drop_column(column)
