"""Clean-up the shared fixtures do not do: slips waiting for a run belong to no case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text

from engine.db import Database

# Rows no per-test clean-up of the shared conftest removes, and which would outlive (or block) it.
LEFTOVERS = ("suggestion_slips", "step_spans")


def _clear_leftovers(url: str) -> None:
    db = Database(url)
    try:
        with db.write_engine.begin() as conn:
            present = set(inspect(conn).get_table_names())
            for table in LEFTOVERS:
                if table in present:
                    conn.execute(text(f"DELETE FROM {table}"))
    finally:
        db.dispose()


@pytest.fixture(autouse=True)
def no_leftovers(migrated: str) -> Iterator[None]:
    """Runs before `batho` (autouse fixtures come first), and again after the test."""
    _clear_leftovers(migrated)
    yield
    _clear_leftovers(migrated)
