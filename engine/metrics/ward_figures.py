"""Figures by ward and by town: every ward of the ward file (none left out for having no cases), counts only."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from ..services.wards import WardMap
from .dimensions import NONE_KEY, Scope
from .figures import COMPARISON_QUERIES, FigureQuery, Figures, compute
from .ward_names import NO_WARD


@dataclass(frozen=True)
class WardFigures:
    """One ward's figures for a period: `code` NONE_KEY for cases with no ward (no point given, none set)."""

    code: str
    number: int | None
    name: str
    town: str
    figures: Figures

    @property
    def known(self) -> bool:
        return self.code != NONE_KEY


def by_ward(session: Session, scope: Scope, wards: WardMap | None,
            queries: tuple[FigureQuery, ...] = COMPARISON_QUERIES) -> list[WardFigures]:
    """Each ward of the file in number order, then codes the file does not know, then cases with no ward."""
    rows = compute(session, replace(scope, group="ward"), queries)
    lines = []
    for ward in wards.wards if wards is not None else []:
        lines.append(WardFigures(ward.code, ward.number, ward.name, ward.town,
                                 rows.pop(ward.code, Figures(key=ward.code))))
    missing = rows.pop(NONE_KEY, None)
    lines += [WardFigures(code, None, code, "", row) for code, row in sorted(rows.items())]
    if missing is not None:
        lines.append(WardFigures(NONE_KEY, None, NO_WARD, "", missing))
    for line in lines:
        line.figures.label = line.name
    return lines


def by_town(session: Session, scope: Scope, queries: tuple[FigureQuery, ...] = COMPARISON_QUERIES
            ) -> list[Figures]:
    """Each town with cases, by name, then cases with no town."""
    rows = compute(session, replace(scope, group="town"), queries)
    for key, row in rows.items():
        row.label = "No town" if key == NONE_KEY else key
    return sorted(rows.values(), key=lambda r: (r.key == NONE_KEY, r.label.lower()))
