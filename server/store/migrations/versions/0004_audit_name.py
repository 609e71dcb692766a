"""The audit log keeps the clicking user's display name, so "linked by" names a person.

Revision ID: 0004_audit_name
Revises: 0003_outbox
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_audit_name"
down_revision = "0003_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: rows from before this revision have no name; the API then shows the mailbox.
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("name", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("name")
