"""need roles: what each need triggers in the matcher's rules, and which kind of recipient a referral
for it goes to, as columns of the needs taxonomy

The rows already there get the roles and recipients the code gave them until now, so a database that
is migrated but not re-seeded matches exactly as before.

Revision ID: 0007_need_roles
Revises: 0006_sign_in_sessions
Create Date: 2026-12-04 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_need_roles"
down_revision: str | Sequence[str] | None = "0006_sign_in_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The taxonomy as it stood at this revision (seeds/needs.csv then); later changes come from seeding.
ROLES = {
    "RISK_SUICIDE_NOW": ["life_at_risk", "immediate_risk"],
    "MH_CRISIS": ["life_at_risk", "crisis"],
    "DA_HIGH": ["domestic_abuse"],
    "DA_STANDARD": ["domestic_abuse"],
    "SUBST_CONTINUITY": ["survival"],
    "NO_BED_TONIGHT": ["survival", "housing"],
    "HOUSING_RISK": ["housing"],
    "FOOD_ESSENTIALS": ["survival"],
    "GP_UNREGISTERED": ["gp_registration"],
    "MH_SEVERE": ["secondary_care"],
    "VETERAN": ["veteran"],
}
RECIPIENTS = {
    "health": [
        "RISK_SUICIDE_NOW",
        "RISK_SELFHARM",
        "MH_CRISIS",
        "SUBST_CONTINUITY",
        "GP_UNREGISTERED",
        "MH_COMMON",
        "MH_SEVERE",
        "SUBST_DRUGS",
        "SUBST_ALCOHOL",
        "LD",
        "NEURODIV",
        "PHYS_HEALTH",
    ],
    "housing": ["NO_BED_TONIGHT", "HOUSING_RISK"],
    "safeguarding": ["DA_HIGH", "DA_STANDARD", "SAFEGUARD_CHILD", "EXPLOITATION"],
}


def upgrade() -> None:
    with op.batch_alter_table("need") as batch:
        batch.add_column(sa.Column("roles", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch.add_column(
            sa.Column("recipient", sa.String(length=20), server_default="community", nullable=False)
        )
    need = sa.table(
        "need", sa.column("code", sa.String()), sa.column("roles", sa.JSON()), sa.column("recipient")
    )
    for code, roles in ROLES.items():
        op.execute(need.update().where(need.c.code == code).values(roles=roles))
    for kind, codes in RECIPIENTS.items():
        op.execute(need.update().where(need.c.code.in_(codes)).values(recipient=kind))


def downgrade() -> None:
    with op.batch_alter_table("need") as batch:
        batch.drop_column("recipient")
        batch.drop_column("roles")
