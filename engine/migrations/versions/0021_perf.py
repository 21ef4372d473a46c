"""Instance state kept in the row on PostgreSQL (issue 14).

The state is stored zlib-compressed (engine/bpmn/state.py), so PostgreSQL's own compression gains nothing, and a
state over about 2 KB went to the TOAST table, where every step's new copy took fresh pages. STORAGE MAIN keeps it
in the row (out of line only when a row would not fit a page), where the old copies of a row are pruned within its
page; a fill factor of 70 leaves room there for the next copy.

Revision ID: 0021_perf
Revises: 0020_external_tasks
"""

from alembic import op

revision = "0021_perf"
down_revision = "0020_external_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET STORAGE MAIN")
        op.execute("ALTER TABLE process_instances SET (fillfactor = 70)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instances RESET (fillfactor)")
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET STORAGE EXTENDED")
