"""SQL for working days: a timestamp's local day, and durations as differences of the calendar's `seq`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class local_day(FunctionElement[Any]):  # noqa: N801 - reads like the SQL function it compiles to
    """The local calendar day of a UTC timestamp column, for a fixed offset (South Africa has no DST)."""

    type = Date()
    inherit_cache = True
    name = "local_day"

    def __init__(self, column: Any, offset_minutes: int) -> None:
        super().__init__(column, literal_column(f"'{int(offset_minutes):+d} minutes'"))


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: Any, **kw: Any) -> str:
    column, offset = list(element.clauses)
    return f"date({compiler.process(column, **kw)}, {compiler.process(offset, **kw)})"


@compiles(local_day, "postgresql")
def _local_day_postgresql(element: local_day, compiler: Any, **kw: Any) -> str:
    column, offset = list(element.clauses)
    return f"CAST(({compiler.process(column, **kw)} + INTERVAL {compiler.process(offset, **kw)}) AS DATE)"


def offset_minutes(tz: str) -> int:
    """The zone's offset from UTC now, in minutes."""
    offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0
