"""Staff accounts: phone and temporary passwords, role and department descriptions, the staff audit and acting
appointments (issue 13).

Revision ID: 0011_staff_accounts
Revises: 0010_form_submissions
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0011_staff_accounts"
down_revision = "0010_form_submissions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("roles") as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("departments") as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("categories", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("supervisor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_departments_supervisor_id_users"), "users", ["supervisor_id"], ["id"],
                                    ondelete="SET NULL")
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_staff_audit_actor_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subject_id"], ["users.id"], name=op.f("fk_staff_audit_subject_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_audit")),
    )
    op.create_index(op.f("ix_staff_audit_at"), "staff_audit", ["at"])
    op.create_index(op.f("ix_staff_audit_subject_id"), "staff_audit", ["subject_id"])
    op.create_table(
        "acting_appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absent_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("ends_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("ended_at", engine.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["absent_id"], ["users.id"], name=op.f("fk_acting_appointments_absent_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["deputy_id"], ["users.id"], name=op.f("fk_acting_appointments_deputy_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_acting_appointments_created_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acting_appointments")),
    )
    op.create_index("ix_acting_appointments_deputy_period", "acting_appointments",
                    ["deputy_id", "starts_at", "ends_at"])


def downgrade() -> None:
    op.drop_index("ix_acting_appointments_deputy_period", table_name="acting_appointments")
    op.drop_table("acting_appointments")
    op.drop_index(op.f("ix_staff_audit_subject_id"), table_name="staff_audit")
    op.drop_index(op.f("ix_staff_audit_at"), table_name="staff_audit")
    op.drop_table("staff_audit")
    with op.batch_alter_table("departments") as batch_op:
        batch_op.drop_constraint(op.f("fk_departments_supervisor_id_users"), type_="foreignkey")
        batch_op.drop_column("supervisor_id")
        batch_op.drop_column("categories")
        batch_op.drop_column("description")
    with op.batch_alter_table("roles") as batch_op:
        batch_op.drop_column("description")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("phone")
