"""feeds: curated fields, feed hash, taxonomy mapping

Revision ID: 0002_oruk
Revises: 0001_foundation
Create Date: 2026-11-22 23:02:23.617843
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_oruk"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taxonomy_mapping",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("taxonomy", sa.String(length=100), nullable=False),
        sa.Column("term", sa.String(length=255), nullable=False),
        sa.Column("term_name", sa.String(length=255), nullable=False),
        sa.Column("need_code", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["need_code"], ["need.code"], name=op.f("fk_taxonomy_mapping_need_code_need")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_mapping")),
        sa.UniqueConstraint("taxonomy", "term", "need_code", name="uq_taxonomy_mapping_term_need"),
    )
    with op.batch_alter_table("taxonomy_mapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taxonomy_mapping_taxonomy"), ["taxonomy"], unique=False)

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("curated_fields", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(sa.Column("feed_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("feed_hash")
        batch_op.drop_column("curated_fields")

    with op.batch_alter_table("taxonomy_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taxonomy_mapping_taxonomy"))

    op.drop_table("taxonomy_mapping")
