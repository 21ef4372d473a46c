"""Sessions and sign-in throttling kept on the server (placeholder: filled by the sessions work).

Revision ID: 0008_sessions
Revises: 0007_access_code
"""

revision = "0008_sessions"
down_revision = "0007_access_code"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
