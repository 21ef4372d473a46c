"""Staff case search: phone, email and account-number keys on cases, and a reference-prefix index (issue 12).

Revision ID: 0009_case_search
Revises: 0008_sessions
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009_case_search"
down_revision = "0008_sessions"
branch_labels = None
depends_on = None

CASES = sa.table("cases", sa.column("id", sa.Integer), sa.column("citizen_phone", sa.String),
                 sa.column("citizen_phone_key", sa.String))


def _phone_key(raw: str) -> str | None:
    """engine.lodging.phone_key as it was written for this revision (a migration keeps its own copy)."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("270") and len(digits) == 12:
        digits = digits[2:]
    elif digits.startswith("27") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits[:20] or None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("citizen_phone_key", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("citizen_email_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("account_number", sa.String(length=30), nullable=True))
        batch.create_index(op.f("ix_cases_citizen_phone_key"), ["citizen_phone_key"])
        batch.create_index(op.f("ix_cases_citizen_email_key"), ["citizen_email_key"])
        batch.create_index(op.f("ix_cases_account_number"), ["account_number"])
    if op.get_context().dialect.name == "postgresql":
        op.create_index("ix_cases_reference_prefix", "cases", ["reference"],
                        postgresql_ops={"reference": "varchar_pattern_ops"})
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE cases SET citizen_email_key = lower(trim(citizen_email)) "
                               "WHERE citizen_email IS NOT NULL"))
    # Until now the account number lived only in process data and on the credit-control hold placed at registration.
    connection.execute(sa.text("UPDATE cases SET account_number = (SELECT upper(replace(h.account_number, ' ', '')) "
                               "FROM credit_holds h WHERE h.case_id = cases.id) WHERE case_type = 'account_query'"))
    phones = connection.execute(sa.select(CASES.c.id, CASES.c.citizen_phone)
                                .where(CASES.c.citizen_phone.is_not(None))).all()
    keys = [{"case_id": case_id, "key": _phone_key(phone)} for case_id, phone in phones]
    if keys:
        connection.execute(CASES.update().where(CASES.c.id == sa.bindparam("case_id"))
                           .values(citizen_phone_key=sa.bindparam("key")), keys)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_index("ix_cases_reference_prefix", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(op.f("ix_cases_account_number"))
        batch.drop_index(op.f("ix_cases_citizen_email_key"))
        batch.drop_index(op.f("ix_cases_citizen_phone_key"))
        batch.drop_column("account_number")
        batch.drop_column("citizen_email_key")
        batch.drop_column("citizen_phone_key")
