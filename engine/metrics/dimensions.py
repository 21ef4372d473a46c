"""What figures can be grouped and filtered by: case type, category, department, channel, officer, ward and town."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Case, Department, User
from ..services import catalog
from .credit import credited_to, join_credited

GROUPS = ("none", "case_type", "category", "department", "channel", "officer", "ward", "town")
GROUP_NAMES = {"none": "All cases", "case_type": "Case type", "category": "Category", "department": "Department",
               "channel": "Channel", "officer": "Officer", "ward": "Ward", "town": "Town"}
CASE_COLUMNS: dict[str, Any] = {"case_type": Case.case_type, "category": Case.category,
                                "department": Case.department_code, "channel": Case.channel, "ward": Case.ward,
                                "town": Case.town}
NONE_KEY = "(none)"


@dataclass(frozen=True)
class Scope:
    """The period, the grouping and the filters one set of figures is computed for."""

    start: datetime
    end: datetime
    now: datetime
    offset_minutes: int
    group: str = "none"
    filters: dict[str, str] = field(default_factory=dict)
    departments: frozenset[str] | None = None  # those the viewer may monitor; None: all (authz.monitored_departments)

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValidationFailed({"group": f"Group by one of: {', '.join(GROUPS)}."})
        unknown = set(self.filters) - set(GROUPS[1:])
        if unknown:
            raise ValidationFailed({"filter": f"Filter by one of: {', '.join(GROUPS[1:])}."})

    def grouped(self, query: Any, credit: str = "worked") -> Any:
        """`query` (over cases) with the group key as its first column, and the filters applied.

        `credit` names the rule (engine/metrics/credit.py) saying which officer a case counts for."""
        key: Any
        if self.group == "officer":
            query, key = join_credited(query, credit)
        elif self.group == "none":
            key = literal_column("'all'")
        else:
            key = CASE_COLUMNS[self.group]
        query = query.add_columns(key.label("group_key"))
        return self.filtered(query, credit)

    def filtered(self, query: Any, credit: str = "worked") -> Any:
        """`query` (over cases) narrowed to the filters and to the departments the viewer may monitor."""
        if self.departments is not None:
            query = query.where(Case.department_code.in_(sorted(self.departments)))
        for name, value in self.filters.items():
            if name == "officer":
                query = query.where(credited_to(credit, _int(value)))
            elif value == NONE_KEY:
                query = query.where(CASE_COLUMNS[name].is_(None))
            else:
                query = query.where(CASE_COLUMNS[name] == value)
        return query

    def with_group_value(self, value: str | None) -> Scope:
        """The same scope narrowed to one value of its grouping (for drilling down)."""
        if self.group == "none" or value is None:
            return self
        return replace(self, group="none", filters={**self.filters, self.group: value})


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed({"officer": "Officer: give the number of a staff member."}) from None


def group_key(value: Any) -> str:
    return NONE_KEY if value is None else str(value)


def labels(session: Session, group: str, keys: list[str]) -> dict[str, str]:
    """Readable names for group keys: department and officer names, tidied codes for the rest."""
    if group == "department":
        names = dict(session.execute(select(Department.code, Department.name)).all())
        return {k: names.get(k, k) for k in keys}
    if group == "officer":
        ids = [int(k) for k in keys if k.isdigit()]
        names = {str(i): n for i, n in session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))}
        return {k: names.get(k, k) for k in keys}
    if group == "none":
        return dict.fromkeys(keys, "All cases")
    if group == "case_type":  # the process catalog's names, as the deployed diagrams give them
        processes = catalog.names(session)
        return {k: processes.get(k) or k.replace("_", " ").capitalize() for k in keys}
    if group in ("ward", "town"):  # ward codes and town names as kept; ward names come from the ward file
        return {k: "No ward" if k == NONE_KEY and group == "ward" else "No town" if k == NONE_KEY else k
                for k in keys}
    return {k: k.replace("_", " ").capitalize() for k in keys}
