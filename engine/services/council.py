"""The yearly report to Council: deviations from the service standards with their remedial actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..composition import Batho
from ..effects import local_date
from ..models import Case, Deviation, User


@dataclass(frozen=True)
class DeviationLine:
    reference: str
    case_type: str
    category: str | None
    standard: str
    due_on: str
    detected_on: str
    reason: str | None
    remedial_action: str | None
    recorded_by: str | None


@dataclass(frozen=True)
class CouncilReport:
    year: int
    cases_by_type: dict[str, int]
    deviations: list[DeviationLine]

    @property
    def awaiting_reasons(self) -> int:
        return sum(1 for d in self.deviations if d.reason is None)


def _year_bounds(year: int, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return (datetime(year, 1, 1, tzinfo=zone).astimezone(UTC), datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC))


def council_report(app: Batho, year: int) -> CouncilReport:
    """Cases opened and deviations detected in `year` (municipal time), oldest first."""
    start, end = _year_bounds(year, app.config.timezone)
    tz = app.config.timezone
    with app.db.reading() as session:
        counts = dict(session.execute(select(Case.case_type, func.count()).where(Case.opened_at >= start,
                                                                                 Case.opened_at < end)
                                      .group_by(Case.case_type)).all())
        rows = session.execute(select(Deviation, Case.reference, Case.case_type, Case.category, User.full_name)
                               .join(Case, Case.id == Deviation.case_id)
                               .outerjoin(User, User.id == Deviation.recorded_by_id)
                               .where(Deviation.detected_at >= start, Deviation.detected_at < end)
                               .order_by(Deviation.detected_at, Deviation.id))
        lines = [DeviationLine(ref, ctype, cat, d.standard, local_date(d.due_at, tz), local_date(d.detected_at, tz),
                               d.reason, d.remedial_action, name) for d, ref, ctype, cat, name in rows]
    return CouncilReport(year=year, cases_by_type={str(k): int(v) for k, v in counts.items()}, deviations=lines)
