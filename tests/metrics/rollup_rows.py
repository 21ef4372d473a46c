"""Roll-up rows summed per period and dimensions, for comparing two sets of rows (daily and monthly, kept and
rebuilt) in the roll-up tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.models.rollups import DIMENSIONS


def summed(conn: Any, table: Any, per_month: bool = False, drop_empty: bool = False
           ) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The rows of `table` summed per day (or per month: a day's month's first day) and dimensions, with zero
    histogram entries left out; `drop_empty` leaves out the rows whose figures are all zero too."""
    total: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in conn.execute(select(table)):
        day = row.day.replace(day=1) if per_month else row.day
        into = total.setdefault((str(day), *(getattr(row, d) for d in DIMENSIONS)), {})
        for name, value in row._mapping.items():
            if name in ("id", "day", *DIMENSIONS):
                continue
            if isinstance(value, dict):
                hist = into.setdefault(name, {})
                for days, count in value.items():
                    hist[days] = hist.get(days, 0) + count
            else:
                into[name] = into.get(name, 0) + value
    cleaned = {k: {n: ({d: c for d, c in v.items() if c} if isinstance(v, dict) else v) for n, v in row.items()}
               for k, row in total.items()}
    return {k: row for k, row in cleaned.items() if not drop_empty or any(row.values())}
