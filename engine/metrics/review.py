"""What a year's figures suggest changing in the Customer Care Policy: standards often missed, categories that grew."""

from __future__ import annotations

from dataclasses import dataclass

from ..authz import Identity
from ..composition import Batho
from .figures import PUBLIC_QUERIES
from .period import parse_period
from .report import TARGET_SHARE, council_report, require_report_reader
from .service import figures_for, scope_for, today

GROWTH = 0.25  # a category that grew by a quarter or more against the year before
GROWTH_MINIMUM = 3  # and by at least this many cases, so that 1 to 2 is not "doubled"


@dataclass(frozen=True)
class ReviewPoint:
    """One thing the figures suggest the process owner look at, in a sentence."""

    kind: str  # "missed" or "grew"
    sentence: str


@dataclass(frozen=True)
class PolicyReview:
    period_code: str
    period_label: str
    points: list[ReviewPoint]


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def _missed(app: Batho, who: Identity, code: str) -> list[ReviewPoint]:
    found = council_report(app, who, code)
    points = []
    for dept in found.departments:
        for line in dept.standards:
            share = line.now.within_standard_share if line.now else None
            if share is not None and share < TARGET_SHARE:
                points.append(ReviewPoint("missed", (
                    f"{dept.label}: {line.standard.description or line.standard.category} was resolved within "
                    f"{line.standard.resolution_days} working days in {_percent(share)} of cases against a target of "
                    f"{_percent(TARGET_SHARE)}: consider more capacity or a realistic standard.")))
    return points


def _grew(app: Batho, code: str) -> list[ReviewPoint]:
    period = parse_period(code, today(app))
    with app.db.reading() as session:
        _, now = figures_for(session, scope_for(app, period, "category"), PUBLIC_QUERIES[:1])
        _, before = figures_for(session, scope_for(app, period.previous(), "category"), PUBLIC_QUERIES[:1])

    earlier = {row.key: row.opened for row in before}
    points = []
    for row in now:
        was = earlier.get(row.key, 0)
        if row.opened - was >= GROWTH_MINIMUM and (was == 0 or (row.opened - was) / was >= GROWTH):
            points.append(ReviewPoint("grew", (
                f"{row.label or row.key}: {row.opened} cases against {was} the year before: check that its standard "
                "and the department's capacity still fit.")))
    return points


def policy_review(app: Batho, who: Identity | None, period_code: str | None) -> PolicyReview:
    """The year's report to look at and what its figures suggest changing, for the yearly policy review task."""
    who = require_report_reader(who)
    period = parse_period(period_code, today(app))
    return PolicyReview(period.code, period.label, _missed(app, who, period.code) + _grew(app, period.code))
