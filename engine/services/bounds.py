"""Date-time bounds of list filters, kept where the database (and a conversion to UTC) can hold them."""

from __future__ import annotations

from datetime import UTC, datetime

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def clamped(value: datetime) -> datetime:
    """A filter bound: before 1900 means from the beginning, after 9000 until the end (year 1 with a positive
    offset cannot even be converted to UTC, so such bounds would otherwise fail instead of meaning 'all')."""
    return min(max(value, EARLIEST), LATEST)
