"""The deployed versions a late call binds to, looked up in the caller's session (engine/bpmn/call_binding.py)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import NoInspectionAvailable
from sqlalchemy.orm import Session, object_session

from ..models import DecisionVersion, ProcessVersion
from .call_binding import CAMUNDA_NS, Bound, Wanted
from .dialect import safe_xml
from .dmn import Table, read_decisions
from .tolerance import tolerate_dmn

_tables: dict[int, Mapping[str, Table]] = {}  # decision version id -> the tables of its file (never changes)
_tables_lock = threading.Lock()


class Parsed(Protocol):
    def parsed(self, version: Any) -> Any: ...

    def cached(self, version_id: int) -> Any: ...


def session_of(version: Any) -> Session | None:
    """The session a ProcessVersion row was loaded in (None for a detached row or another object)."""
    try:
        return object_session(version)
    except NoInspectionAvailable:
        return None
    except Exception:  # noqa: BLE001 - SQLAlchemy's UnmappedInstanceError for objects that are no rows
        return None


def _tag_of(version: ProcessVersion) -> str | None:
    """camunda:versionTag of the version's own process element."""
    for source in version.bpmn_files.values():
        for el in safe_xml(source).iter("{*}process"):
            if el.get("id") == version.key:
                return el.get(f"{{{CAMUNDA_NS}}}versionTag")
    return None


def deployed_version(session: Session, wanted: Wanted) -> ProcessVersion | None:
    """The newest version of `wanted.key` (or its version number, or the newest with its version tag)."""
    query = select(ProcessVersion).where(ProcessVersion.key == wanted.key)
    if wanted.version is not None:
        query = query.where(ProcessVersion.version == wanted.version)
    if wanted.tag is None:
        return session.scalars(query.order_by(ProcessVersion.version.desc()).limit(1)).first()
    return next((row for row in session.scalars(query.order_by(ProcessVersion.version.desc()))
                 if _tag_of(row) == wanted.tag), None)


def newest_decision(session: Session, decision_id: str) -> DecisionVersion | None:
    """The newest deployed version of a decision."""
    return session.scalars(select(DecisionVersion).where(DecisionVersion.decision_id == decision_id)
                           .order_by(DecisionVersion.version.desc()).limit(1)).first()


class VersionBinder:
    """Finds the version a call asks for among the deployed ones, and the decisions' newest tables."""

    def __init__(self, session: Session, specs: Parsed) -> None:
        self.session = session
        self.specs = specs

    def process(self, wanted: Wanted) -> Bound | None:
        """The version `wanted` names, parsed (None: not deployed)."""
        row = deployed_version(self.session, wanted)
        return Bound(row.id, self.specs.parsed(row)) if row is not None else None

    def process_by_id(self, version_id: int) -> Bound:
        """The version a restored call called."""
        cached = self.specs.cached(version_id)
        if cached is not None:
            return Bound(version_id, cached)
        row = self.session.get(ProcessVersion, version_id)
        if row is None:
            raise LookupError(f"Process version {version_id}, which a case called, is not in the database.")
        return Bound(version_id, self.specs.parsed(row))

    def decision(self, decision_id: str) -> tuple[int, Mapping[str, Table]] | None:
        """The newest deployed version of a decision: its id and the tables of its file."""
        row = newest_decision(self.session, decision_id)
        if row is None:
            return None
        tables = _tables.get(row.id)
        if tables is None:
            tables, _ = read_decisions(tolerate_dmn(safe_xml(row.source)))
            with _tables_lock:
                _tables[row.id] = tables
        return row.id, tables
