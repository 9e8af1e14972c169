"""search indexes: freshness (updated_at), location bounding box, open-now lookups

Revision ID: 0002_search
Revises: 0002_oruk
Create Date: 2026-11-22 22:59:58.992744

Numbered 0003 in chain order; the revision id keeps its first name because deployed
databases store it in ``alembic_version``.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_search"
down_revision: str | Sequence[str] | None = "0002_oruk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("location", "ix_location_latitude_longitude", ["latitude", "longitude"]),
    ("location", "ix_location_updated_at", ["updated_at"]),
    ("organization", "ix_organization_updated_at", ["updated_at"]),
    ("schedule_exception", "ix_schedule_exception_day", ["day", "service_id"]),
    ("schedule_session", "ix_schedule_session_weekday", ["weekday", "service_id"]),
    ("service", "ix_service_updated_at", ["updated_at"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
