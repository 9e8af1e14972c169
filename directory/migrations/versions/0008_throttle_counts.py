"""throttle counts: failed sign-ins and other throttled attempts counted in the database, so every
worker shares them

Revision ID: 0008_throttle_counts
Revises: 0007_need_roles
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_throttle_counts"
down_revision: str | Sequence[str] | None = "0007_need_roles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "throttle_count",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle_count")),
    )
    with op.batch_alter_table("throttle_count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_throttle_count_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("throttle_count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_throttle_count_expires_at"))
    op.drop_table("throttle_count")
