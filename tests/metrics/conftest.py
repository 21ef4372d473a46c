"""Metrics fixtures: the hand-built month on the real test database, with the clock at 5 October 2026."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.composition import Batho
from tests.conftest import make_batho

from . import dataset


@pytest.fixture
def month(migrated: str, batho: Batho, people, tmp_path: Path) -> Iterator[tuple[Batho, dict[str, str]]]:
    """A Batho whose clock is NOW, over the hand-built cases (the `batho` fixture emptied the tables)."""
    app = make_batho(migrated, tmp_path)
    app.clock = lambda: dataset.NOW
    refs = dataset.build(app, people)
    yield app, refs
    app.db.dispose()
