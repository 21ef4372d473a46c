"""Instance state stored as bytes, and the events' indexes that earn their cost (issue 14).

`process_instances.state` becomes a binary column (`bytea` on PostgreSQL, `BLOB` on SQLite) holding the
zlib-compressed JSON itself, not "z:" and its base64 text: a quarter less per state. Rows are converted here:
"z:" rows to the bytes their base64 says, plain JSON rows (written before compression) to their UTF-8 bytes, which
engine/bpmn/state.py still reads (they start with "{", which compressed bytes never do). On PostgreSQL the type
change rewrites the table once (an exclusive lock for its duration) and STORAGE MAIN (0021) is set again, since a
new type takes its own default storage.

`case_events`: `ix_case_events_kind_at` and `ix_case_events_task_at` go (about 0.8 KB each per closed complaint),
`ix_case_events_instance_id` comes (the task list's "previous worker" look-up, by instance, kind and task name, read
all of a task name's events through `task_at`; and deleting an instance, whose events are SET NULL, scanned the
table). Every other query on events filters by case (`ix_case_events_case_at`) or counts the kinds 0024's partial
indexes hold (escalations, reopenings, applied adjustments): checked with EXPLAIN on PostgreSQL at 2.3 M events
(docs/performance-session20-storage.md).

Revision ID: 0026_state_bytes
Revises: 0025_call_binding
"""

import base64
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

import engine.models.base  # noqa: F401

revision = "0026_state_bytes"
down_revision = "0025_call_binding"
branch_labels = None
depends_on = None

TO_BYTES = ("CASE WHEN state LIKE 'z:%' THEN decode(substr(state, 3), 'base64') "
            "ELSE convert_to(state, 'UTF8') END")
# encode(..., 'base64') breaks its lines every 76 characters; the text form never had line breaks.
TO_TEXT = ("CASE WHEN get_byte(state, 0) = 123 THEN convert_from(state, 'UTF8') "
           "ELSE 'z:' || translate(encode(state, 'base64'), E'\\n', '') END")
BATCH = 500


def _as_bytes(value: bytes | str) -> bytes:
    raw = value if isinstance(value, bytes) else value.encode()
    if raw.startswith(b"z:"):
        return base64.b64decode(raw[2:])
    return raw  # plain JSON, or already compressed bytes


def _as_text(value: bytes | str) -> str:
    raw = value if isinstance(value, bytes) else value.encode()
    if raw.startswith((b"{", b"z:")):
        return raw.decode()
    return "z:" + base64.b64encode(raw).decode("ascii")


def _convert_sqlite(convert: Callable[[bytes | str], bytes | str]) -> None:
    """Every row's state rewritten by `convert` (SQLite keeps whatever a column was given, whatever its type)."""
    bind = op.get_bind()
    table = sa.table("process_instances", sa.column("id", sa.Integer), sa.column("state"))
    last = 0
    while True:
        rows = bind.execute(sa.text("SELECT id, state FROM process_instances WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            return
        for row_id, state in rows:
            bind.execute(table.update().where(table.c.id == row_id).values(state=convert(state)))
        last = rows[-1][0]


def upgrade() -> None:
    op.drop_index("ix_case_events_kind_at", table_name="case_events")
    op.drop_index("ix_case_events_task_at", table_name="case_events")
    op.create_index("ix_case_events_instance_id", "case_events", ["instance_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE process_instances ALTER COLUMN state TYPE bytea USING {TO_BYTES}")
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET STORAGE MAIN")
        return
    with op.batch_alter_table("process_instances") as batch:
        batch.alter_column("state", type_=sa.LargeBinary(), existing_type=sa.Text(), existing_nullable=False)
    _convert_sqlite(_as_bytes)


def downgrade() -> None:
    op.drop_index("ix_case_events_instance_id", table_name="case_events")
    op.create_index("ix_case_events_task_at", "case_events", ["task_name", "at"])
    op.create_index("ix_case_events_kind_at", "case_events", ["kind", "at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE process_instances ALTER COLUMN state TYPE text USING {TO_TEXT}")
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET STORAGE MAIN")
        return
    _convert_sqlite(_as_text)  # first: the table's copy casts to text, which compressed bytes are not
    with op.batch_alter_table("process_instances") as batch:
        batch.alter_column("state", type_=sa.Text(), existing_type=sa.LargeBinary(), existing_nullable=False)
