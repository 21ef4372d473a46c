"""Instance state stored as bytes (issue 14, migration 0026): old text rows convert, and the codec reads every form."""

from __future__ import annotations

import base64
import json
import zlib

from alembic import command
from sqlalchemy import text

from engine import schema
from engine.bpmn.state import pack, unpack
from tests.support.drive import do, instance, lodge, open_tasks


def _alembic(batho, action, revision: str) -> None:
    from sqlalchemy import create_engine

    batho.db.dispose()  # the app's pooled connections must not hold the table while it is altered
    engine = create_engine(batho.db.url)
    try:
        with engine.begin() as connection:
            cfg = schema._alembic_config(batho.db)
            cfg.attributes["connection"] = connection
            action(cfg, revision)
    finally:
        engine.dispose()


def _stored(batho, row_id: int):
    with batho.db.write_engine.connect() as connection:
        return connection.execute(text("SELECT state FROM process_instances WHERE id = :id"), {"id": row_id}).scalar()


def test_the_codec_reads_compressed_bytes_old_base64_text_and_plain_json():
    document = '{"tasks":{},"root":"x"}'
    packed = pack(document)
    assert isinstance(packed, bytes) and zlib.decompress(packed).decode() == document
    old_text = "z:" + base64.b64encode(packed).decode("ascii")
    for stored in (packed, memoryview(packed), old_text, old_text.encode(), document, document.encode()):
        assert unpack(stored) == document


def test_the_state_column_holds_bytes_a_quarter_smaller_than_the_base64_text(batho):
    row = instance(batho, lodge(batho))
    stored = _stored(batho, row.id)
    assert isinstance(stored, bytes | memoryview) and not bytes(stored).startswith((b"{", b"z:"))
    assert len(bytes(stored)) * 4 <= len(base64.b64encode(bytes(stored))) * 3 + 3


def test_text_rows_from_before_0026_are_converted_and_the_complaint_goes_on(batho, people):
    """Downgrade to 0025 (the state back to "z:" text), make one row plain JSON as before compression, upgrade:
    both rows become bytes, load, and their complaints go on to their next task."""
    compressed, plain = lodge(batho), lodge(batho)
    rows = {ref: instance(batho, ref) for ref in (compressed, plain)}
    before = {ref: batho.codec.as_json(row.state) for ref, row in rows.items()}
    _alembic(batho, command.downgrade, "0025_call_binding")
    try:
        assert _stored(batho, rows[compressed].id).startswith("z:")
        with batho.db.write_engine.begin() as connection:
            connection.execute(text("UPDATE process_instances SET state = :s WHERE id = :id"),
                               {"s": json.dumps(before[plain], separators=(",", ":")), "id": rows[plain].id})
        batho.db.dispose()
    finally:
        _alembic(batho, command.upgrade, "head")
    for ref, row in rows.items():
        stored = bytes(_stored(batho, row.id))
        assert stored.startswith(b"{") == (ref == plain)
        assert batho.codec.as_json(stored) == before[ref]
        do(batho, people["agent"], ref, "Task_triage", triage_outcome="accept")
        assert open_tasks(batho, ref) == ["Task_investigate"]
        assert not instance(batho, ref).state.startswith(b"{")  # written again, compressed
