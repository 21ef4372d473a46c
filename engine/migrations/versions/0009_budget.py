"""Diagram evaluation budget (placeholder: filled by the budget work, or removed).

Revision ID: 0009_budget
Revises: 0008_sessions
"""

revision = "0009_budget"
down_revision = "0008_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
