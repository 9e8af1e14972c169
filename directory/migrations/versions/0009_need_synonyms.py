"""need synonyms: the everyday words and phrases that mean each need in a search

Revision ID: 0009_need_synonyms
Revises: 0008_throttle_counts
Create Date: 2026-12-04 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_need_synonyms"
down_revision: str | Sequence[str] | None = "0008_throttle_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("need") as batch:
        batch.add_column(sa.Column("synonyms", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("need") as batch:
        batch.drop_column("synonyms")
