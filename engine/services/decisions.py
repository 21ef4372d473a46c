"""Deployed decisions: every DMN upload makes versions of its decisions, and later diagrams call the newest.

A business rule task names a decision by id (camunda:decisionRef). Every deploy that carries DMN files records a
version of each decision they define (decision_versions; an unchanged file makes none). A diagram deployed without
the DMN file of a decision it calls gets the file of that decision's newest version; one deployed nowhere yet is
looked for when a case reaches the task (engine/bpmn/call_binding.py). A DMN-only upload also becomes
a new version of every process whose newest version holds one of its decisions (running cases stay on theirs).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..authz import Identity, require_owner
from ..bpmn.call_binding import Wanted
from ..bpmn.call_versions import deployed_version, newest_decision
from ..bpmn.dialect import CAMUNDA_NS, safe_xml
from ..bpmn.lint import is_warning
from ..bpmn.tolerance import file_kind
from ..composition import Batho
from ..errors import NotFound
from ..models import DecisionVersion, ProcessVersion, User


@dataclass(frozen=True)
class DecisionDeployed:
    decision_id: str
    version: int
    created: bool


@dataclass(frozen=True)
class DecisionRow:
    """One deployed version of one decision, for the process owners' list."""

    decision_id: str
    name: str
    version: int
    file_name: str
    deployed_at: datetime
    deployed_by: str | None


def _decisions(source: str) -> dict[str, str]:
    """id -> name of the decisions one DMN file defines (none when it cannot be read: the lint says why)."""
    try:
        root = safe_xml(source)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    return {str(el.get("id")): str(el.get("name") or el.get("id")) for el in root.iter("{*}decision") if el.get("id")}


def decisions_in(source: str) -> set[str]:
    """The decision ids one DMN file defines."""
    return set(_decisions(source))


def _used_in(source: str) -> set[str]:
    try:
        root = safe_xml(source)
    except (etree.XMLSyntaxError, ValueError):
        return set()
    return {ref for el in root.iter() if isinstance(el.tag, str) and (ref := el.get(f"{{{CAMUNDA_NS}}}decisionRef"))}


def record(session: Session, files: dict[str, str], actor_id: int | None, now: datetime) -> list[DecisionDeployed]:
    """A new version of each decision the DMN files in `files` define, unless its newest version came from the
    same file unchanged."""
    result = []
    for file_name, source in sorted(files.items()):
        if file_kind(file_name) != "dmn":
            continue
        digest = hashlib.sha256(source.encode()).hexdigest()
        for decision_id, name in sorted(_decisions(source).items()):
            latest = newest_decision(session, decision_id)
            if latest is not None and latest.content_hash == digest:
                result.append(DecisionDeployed(decision_id, latest.version, created=False))
                continue
            number = (latest.version if latest else 0) + 1
            session.add(DecisionVersion(decision_id=decision_id, version=number, name=name[:200],
                                        file_name=file_name, source=source, content_hash=digest,
                                        deployed_by_id=actor_id, deployed_at=now))
            session.flush()
            result.append(DecisionDeployed(decision_id, number, created=True))
    return result


def newest_versions(session: Session) -> list[ProcessVersion]:
    """The newest deployed version of every process, newest deployments first."""
    newest = select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)
    return list(session.scalars(select(ProcessVersion).where(ProcessVersion.id.in_(newest))
                                .order_by(ProcessVersion.id.desc())))


def with_deployed_decisions(session: Session, files: dict[str, str]) -> dict[str, str]:
    """`files` plus, for each decision a diagram calls that no uploaded DMN file defines, the file of its newest
    deployed version (from decision_versions; for decisions deployed before that table, the newest process
    version holding it). A decision found nowhere is left to the lint, which names the file and the task."""
    defined = set().union(*(decisions_in(s) for n, s in files.items() if file_kind(n) == "dmn"))
    missing = set().union(*(_used_in(s) for n, s in files.items() if file_kind(n) == "bpmn")) - defined
    found = dict(files)
    for decision_id in sorted(missing):
        row = newest_decision(session, decision_id)
        if row is not None and row.file_name not in found:
            found[row.file_name] = row.source
            missing -= decisions_in(row.source)
    if not missing:
        return found
    for version in newest_versions(session):
        for name, source in version.dmn_files.items():
            have = decisions_in(source) & missing
            if have and name not in found:
                found[name] = source
                missing -= have
    return found


# The lint's warning for a call or decision outside the files (engine/bpmn/call_binding.py), read back
_NOT_DEPLOYED = re.compile(r' (?:calls process|uses decision) "(?P<key>[^"]+)"(?: version "(?P<version>\d+)"| with '
                           r'version tag "(?P<tag>[^"]+)")?, which is not deployed yet:')


def _deployed(session: Session, message: str) -> bool:
    found = _NOT_DEPLOYED.search(message)
    if found is None:
        return False
    if " uses decision " in message[:found.end()]:
        return newest_decision(session, found["key"]) is not None
    version = int(found["version"]) if found["version"] else None
    return deployed_version(session, Wanted(found["key"], version=version, tag=found["tag"])) is not None


def found_nowhere(session: Session, problems: list[dict[str, str]]) -> list[dict[str, str]]:
    """`problems` without the lint's warnings that a called process or decision is not deployed yet where it is
    (the lint sees only the files; a case binds the deployed version when it reaches the step)."""
    return [p for p in problems if not (is_warning(p) and _deployed(session, p.get("message", "")))]


def updated_processes(session: Session, files: dict[str, str]) -> list[dict[str, str]]:
    """For a DMN-only upload: the files of each process whose newest version holds one of its decisions, with the
    uploaded tables in place of the ones they replace (none when no process calls them yet)."""
    ids = set().union(*(decisions_in(source) for source in files.values()))
    bundles = []
    for version in newest_versions(session):
        kept = {n: s for n, s in version.dmn_files.items() if not decisions_in(s) & ids}
        if len(kept) == len(version.dmn_files):
            continue
        bundles.append({**version.bpmn_files, **(version.form_files or {}), **kept, **files})
    return bundles


def deployed(app: Batho, who: Identity) -> list[DecisionRow]:
    """Every version of every deployed decision, by decision id, newest version first."""
    require_owner(who)
    with app.db.reading() as session:
        rows = session.execute(select(DecisionVersion, User.username)
                               .outerjoin(User, User.id == DecisionVersion.deployed_by_id)
                               .order_by(DecisionVersion.decision_id, DecisionVersion.version.desc()))
        return [DecisionRow(d.decision_id, d.name, d.version, d.file_name, d.deployed_at, author)
                for d, author in rows]


def version_file(app: Batho, who: Identity, decision_id: str, number: int) -> tuple[str, str]:
    """(file name, source) of one deployed version of a decision, to download."""
    require_owner(who)
    with app.db.reading() as session:
        row = session.scalars(select(DecisionVersion).where(DecisionVersion.decision_id == decision_id,
                                                            DecisionVersion.version == number)).first()
        if row is None:
            raise NotFound(f"Decision {decision_id!r} has no version {number}.")
        return row.file_name, row.source


def preview_in(session: Session, files: dict[str, str]) -> list[dict[str, Any]]:
    """What deploying `files` does to each decision its DMN files define: a new decision, a new version of one
    deployed already, or nothing (the same file again) — for the owner's confirmation before a deploy."""
    out = []
    for file_name, source in sorted(files.items()):
        if file_kind(file_name) != "dmn":
            continue
        digest = hashlib.sha256(source.encode()).hexdigest()
        for decision_id, name in sorted(_decisions(source).items()):
            latest = newest_decision(session, decision_id)
            out.append({"id": decision_id, "name": name, "file": file_name,
                        "current_version": latest.version if latest else None,
                        "unchanged": latest is not None and latest.content_hash == digest})
    return out
