"""service inclusion criteria: groups of needs, at least one from each, a person must have

Revision ID: 0010_service_requires_needs
Revises: 0009_need_synonyms
Create Date: 2026-12-04 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_service_requires_needs"
down_revision: str | Sequence[str] | None = "0009_need_synonyms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.add_column(
            sa.Column("requires_needs", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.drop_column("requires_needs")
