"""Reporting periods: a month, a calendar year, a municipal financial year (July to June) or a date range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..errors import ValidationFailed

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")
FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
PERIOD_HELP = ("Period: write a month (2026-10), a year (2026), a financial year (2025/26) "
               "or a range of days (2026-10-01..2026-10-31).")


@dataclass(frozen=True)
class Period:
    """Days `first` to `last` inclusive, in the municipality's time zone."""

    first: date
    last: date
    kind: str  # month, year, financial_year, range

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "year":
            return f"{self.first:%Y}"
        if self.kind == "financial_year":
            return f"{self.first.year}/{(self.first.year + 1) % 100:02d}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.first:%B %Y}"
        if self.kind == "year":
            return f"the year {self.first:%Y}"
        if self.kind == "financial_year":
            return f"the financial year {self.code}"
        return f"{self.first:%d %B %Y} to {self.last:%d %B %Y}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day to local midnight after the last."""
        zone = ZoneInfo(tz)
        start = datetime.combine(self.first, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        return start, end

    def previous(self) -> Period:
        """The period of the same kind just before this one (for trends)."""
        if self.kind == "month":
            last = self.first - timedelta(days=1)
            return Period(last.replace(day=1), last, "month")
        if self.kind in ("year", "financial_year"):
            return Period(self.first.replace(year=self.first.year - 1), self.first - timedelta(days=1), self.kind)
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1), "range")


def month(year: int, number: int) -> Period:
    first = date(year, number, 1)
    following = date(year + (number == 12), number % 12 + 1, 1)
    return Period(first, following - timedelta(days=1), "month")


def parse_period(text: str | None, today: date) -> Period:
    """A period from its code; an empty code means the current month."""
    value = (text or "").strip()
    if not value:
        return month(today.year, today.month)
    try:
        return _parse(value)
    except ValueError:
        raise ValidationFailed({"period": PERIOD_HELP}) from None


def _parse(value: str) -> Period:
    if found := MONTH.match(value):
        return month(int(found[1]), int(found[2]))
    if found := YEAR.match(value):
        year = int(found[1])
        return Period(date(year, 1, 1), date(year, 12, 31), "year")
    if found := FINANCIAL_YEAR.match(value):
        start = int(found[1])
        if (start + 1) % 100 != int(found[2]):
            raise ValueError(value)
        return Period(date(start, 7, 1), date(start + 1, 6, 30), "financial_year")
    if found := RANGE.match(value):
        first, last = date.fromisoformat(found[1]), date.fromisoformat(found[2])
        if last < first or (last - first).days > 3700:
            raise ValueError(value)
        return Period(first, last, "range")
    raise ValueError(value)
