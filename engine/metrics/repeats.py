"""Repeat complaints at one place, and the hotspots of each category: cases whose location, normalised, matches.

A location is typed by citizens and staff ("12 Main Street, Ext 4", "12 main st ext. 4"), so it is compared
normalised: lower case, punctuation dropped, spaces collapsed, the usual street words abbreviated. The place shown
is that normalised text; the lists show references, categories, departments and dates, never who complained.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..models import Case
from .dimensions import Scope
from .drill import CaseLine, lines_of

ABBREVIATIONS = {"street": "st", "road": "rd", "avenue": "ave", "drive": "dr", "extension": "ext", "ext": "ext",
                 "number": "no", "corner": "cnr", "crescent": "cres", "lane": "ln"}
MIN_REPEATS = 2  # a place counts as a repeat from its second case in the period
HOTSPOTS_PER_CATEGORY = 3
LISTED = 10  # places on the dashboard's small list


def normalised(location: str | None) -> str:
    """The location as compared: lower case, letters and digits only, street words abbreviated."""
    words = re.sub(r"[^0-9a-z]+", " ", (location or "").lower()).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


@dataclass(frozen=True)
class Place:
    """A place with more than one case in the period (of one category, for a hotspot)."""

    place: str
    category: str | None
    cases: int


def _located(session: Session, scope: Scope) -> list[tuple[int, str, str | None]]:
    """(id, normalised place, category) of the cases opened in the period that name a location (read once per
    session for the repeats and the hotspots, over ix_cases_located_opened)."""
    key = (scope.start, scope.end, tuple(sorted(scope.filters.items())), scope.departments)
    cache: dict[Any, list[tuple[int, str, str | None]]] = session.info.setdefault("located_cases", {})
    if key not in cache:
        query = scope.filtered(select(Case.id, Case.location, Case.category)
                               .where(and_(Case.opened_at >= scope.start, Case.opened_at < scope.end),
                                      Case.location.is_not(None)))
        cache[key] = [(i, p, c) for i, loc, c in session.execute(query) if (p := normalised(loc))]
    return cache[key]


def repeats(session: Session, scope: Scope, limit: int = LISTED) -> list[Place]:
    """Places with repeat cases in the period, any category, the most cases first."""
    counts = Counter(place for _, place, _ in _located(session, scope))
    found = [Place(p, None, n) for p, n in counts.items() if n >= MIN_REPEATS]
    return sorted(found, key=lambda p: (-p.cases, p.place))[:limit]


def hotspots(session: Session, scope: Scope, per_category: int = HOTSPOTS_PER_CATEGORY) -> list[Place]:
    """The top places of each category (those with repeat cases), by category then most cases first."""
    counts = Counter((category, place) for _, place, category in _located(session, scope))
    by_category: dict[str | None, list[Place]] = {}
    for (category, place), n in counts.items():
        if n >= MIN_REPEATS:
            by_category.setdefault(category, []).append(Place(place, category, n))
    return [p for c in sorted(by_category, key=lambda c: c or "")
            for p in sorted(by_category[c], key=lambda p: (-p.cases, p.place))[:per_category]]


def cases_at(session: Session, scope: Scope, place: str, tz: str) -> list[CaseLine]:
    """The cases of the period at `place` (as normalised; of the scope's category filter when given)."""
    wanted = normalised(place)
    ids = [i for i, p, _ in _located(session, scope) if p == wanted]
    found: list[Any] = list(session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.opened_at.desc())))
    return lines_of(session, found, scope.now, tz)
