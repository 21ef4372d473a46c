"""The service standards in force: read from the decision tables of the newest deployed process versions."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bpmn.dialect import safe_xml
from ..models import ProcessVersion

OUTPUTS = ("department", "ack_days", "resolution_days")


@dataclass(frozen=True)
class Standard:
    """One row of a standards table: which cases, who answers, and in how many working days."""

    case_type: str
    category: str
    department: str | None
    ack_days: int | None
    resolution_days: int | None
    description: str


def _text(element: etree._Element) -> str:
    found = [t for t in element.iter() if etree.QName(t).localname == "text"]
    return (found[0].text or "").strip().strip('"') if found else ""


def _rows(source: str, case_type: str) -> list[Standard]:
    root = safe_xml(source)
    result = []
    for table in (el for el in root.iter() if etree.QName(el).localname == "decisionTable"):
        children = list(table)
        inputs = [_text(c) for c in children if etree.QName(c).localname == "input"]
        outputs = [c.get("name") for c in children if etree.QName(c).localname == "output"]
        if "resolution_days" not in outputs:
            continue
        for rule in (c for c in children if etree.QName(c).localname == "rule"):
            ins = [_text(e) for e in rule if etree.QName(e).localname == "inputEntry"]
            outs = dict(zip(outputs, [_text(e) for e in rule if etree.QName(e).localname == "outputEntry"],
                            strict=False))
            given = dict(zip(inputs, ins, strict=False))
            description = next((d.text or "" for d in rule if etree.QName(d).localname == "description"), "")
            result.append(Standard(given.get("case_type") or case_type, given.get("category") or "any",
                                   outs.get("department") or None, _int(outs.get("ack_days")),
                                   _int(outs.get("resolution_days")), description.strip()))
    return result


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "", "-") else None
    except ValueError:
        return None


def standards_in_force(session: Session) -> list[Standard]:
    """Every standard of the newest version of each deployed process, one row per category."""
    newest = select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)
    seen: dict[tuple[str, str], Standard] = {}
    for version in session.scalars(select(ProcessVersion).where(ProcessVersion.id.in_(newest))
                                   .order_by(ProcessVersion.key)):
        for source in version.dmn_files.values():
            for row in _rows(source, version.key):
                previous = seen.get((row.case_type, row.category))
                if previous is None or (previous.department is None and row.department):
                    seen[(row.case_type, row.category)] = row
    return sorted(seen.values(), key=lambda s: (s.case_type, s.department or "", s.category))
