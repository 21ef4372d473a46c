"""Process owners' work on processes: the overview, versions, checks, deploys and roll-backs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..authz import Identity, require_owner
from ..bpmn.change_details import change_details, steps_added_removed, untranslated
from ..bpmn.dialect import safe_xml
from ..bpmn.tolerance_flow import processes_run
from ..composition import Batho
from ..errors import Conflict, DeploymentError, NotFound
from ..models import ProcessDraft, ProcessInstance, ProcessVersion, User, VersionChange
from ..models.enums import InstanceStatus
from . import decisions
from .deployment import Deployed, check_files, deploy_files


@dataclass(frozen=True)
class ProcessSummary:
    key: str
    name: str
    latest: int
    deployed_at: datetime
    deployed_by: str | None
    running: int


@dataclass(frozen=True)
class VersionRow:
    """One line of a process's version list."""

    id: int
    key: str
    version: int
    name: str
    deployed_at: datetime
    deployed_by: str | None
    summary: dict[str, Any]
    restored_from: int | None
    running: int
    is_latest: bool
    files: list[str]


def _running_counts(session: Session) -> dict[int, int]:
    query = (select(ProcessInstance.version_id, func.count()).where(ProcessInstance.status == InstanceStatus.RUNNING)
             .group_by(ProcessInstance.version_id))
    return {version_id: count for version_id, count in session.execute(query)}


def processes(app: Batho, who: Identity) -> list[ProcessSummary]:
    """Every deployed process with its newest version and how many instances run (on any version)."""
    require_owner(who)
    with app.db.reading() as session:
        newest = select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)
        rows = session.execute(select(ProcessVersion, User.full_name).outerjoin(User, User.id ==
                                                                                ProcessVersion.deployed_by_id)
                               .where(ProcessVersion.id.in_(newest)).order_by(ProcessVersion.name))
        running: dict[str, int] = {}
        for key, count in session.execute(select(ProcessVersion.key, func.count()).join(
                ProcessInstance, ProcessInstance.version_id == ProcessVersion.id)
                .where(ProcessInstance.status == InstanceStatus.RUNNING).group_by(ProcessVersion.key)):
            running[key] = count
        return [ProcessSummary(v.key, v.name, v.version, v.deployed_at, name, running.get(v.key, 0))
                for v, name in rows]


def versions(app: Batho, who: Identity, key: str) -> list[VersionRow]:
    """The versions of `key`, newest first, each with who deployed it, when, and what it changed."""
    require_owner(who)
    with app.db.reading() as session:
        restored = aliased(ProcessVersion)
        rows = list(session.execute(
            select(ProcessVersion, User.full_name, VersionChange, restored.version)
            .outerjoin(User, User.id == ProcessVersion.deployed_by_id)
            .outerjoin(VersionChange, VersionChange.version_id == ProcessVersion.id)
            .outerjoin(restored, restored.id == VersionChange.restored_from_version_id)
            .where(ProcessVersion.key == key).order_by(ProcessVersion.version.desc())))
        if not rows:
            raise NotFound(f"No process called {key!r} is deployed.")
        counts = _running_counts(session)
        latest = rows[0][0].version
        return [VersionRow(id=v.id, key=v.key, version=v.version, name=v.name, deployed_at=v.deployed_at,
                           deployed_by=author, summary=change.summary if change else {}, restored_from=was,
                           running=counts.get(v.id, 0), is_latest=v.version == latest,
                           files=sorted({**v.bpmn_files, **v.dmn_files}))
                for v, author, change, was in rows]


def _version(session: Session, key: str, number: int) -> ProcessVersion:
    row = session.scalars(select(ProcessVersion).where(ProcessVersion.key == key,
                                                       ProcessVersion.version == number)).first()
    if row is None:
        raise NotFound(f"Process {key!r} has no version {number}.")
    return row


def version_files(app: Batho, who: Identity, key: str, number: int) -> dict[str, str]:
    """The BPMN and DMN files of one deployed version (to open in the modeler or download)."""
    require_owner(who)
    with app.db.reading() as session:
        row = _version(session, key, number)
        return {**row.bpmn_files, **row.dmn_files, **(row.form_files or {})}


def check(app: Batho, who: Identity, files: dict[str, str]) -> list[dict[str, str]]:
    """Every problem the lint finds in `files`, without deploying anything."""
    require_owner(who)
    _require_files(files)
    with app.db.transaction() as session:
        return check_files(session, files, app.specs.unassigned_role)


def _require_files(files: dict[str, str]) -> None:
    if not files:
        raise DeploymentError([{"file": "", "element_id": "", "element_name": "", "rule": "file-type",
                                "message": "There is nothing to deploy: add a .bpmn file."}])


def _process_keys(files: dict[str, str]) -> list[tuple[str, str]]:
    """(id, name) of every executable process the BPMN files define."""
    found = []
    for name in sorted(files):
        if not name.endswith((".bpmn", ".bpmn20.xml")):
            continue
        try:
            root = safe_xml(files[name])
        except Exception:  # the lint reports unreadable files
            continue
        for el in processes_run(root):  # an unticked process runs when none is ticked (bpmn/tolerance_flow.py)
            found.append((str(el.get("id")), str(el.get("name") or el.get("id"))))
    return found


@dataclass(frozen=True)
class ProcessPreview:
    """What deploying would do to one process: the version it replaces, what changes, who stays behind."""

    key: str
    name: str
    current: int | None
    unchanged: bool
    added: list[str]
    removed: list[str]
    details: list[str]
    untranslated: list[dict[str, Any]]
    running: int


def preview(app: Batho, who: Identity, files: dict[str, str]) -> tuple[list[dict[str, str]], list[ProcessPreview]]:
    """The lint's problems and, per process, the change against its newest version and how many running cases
    stay on older versions — what a process owner confirms before a deploy goes live."""
    require_owner(who)
    _require_files(files)
    with app.db.transaction() as session:
        problems = check_files(session, files, app.specs.unassigned_role)
        out = []
        for key, name in _process_keys(files):
            latest = session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                                     .order_by(ProcessVersion.version.desc()).limit(1)).first()
            running = session.scalar(select(func.count()).select_from(ProcessInstance).join(
                ProcessVersion, ProcessVersion.id == ProcessInstance.version_id).where(
                ProcessVersion.key == key, ProcessInstance.status == InstanceStatus.RUNNING)) or 0
            old = {**latest.bpmn_files, **latest.dmn_files} if latest else {}
            mine = {n: s for n, s in files.items() if n in old} if latest else files
            relevant = {**mine, **{n: s for n, s in files.items() if n not in old}}
            added, removed = steps_added_removed(old, relevant) if latest else ([], [])
            out.append(ProcessPreview(
                key=key, name=name, current=latest.version if latest else None,
                unchanged=bool(latest) and all(old.get(n) == s for n, s in relevant.items()),
                added=added, removed=removed, details=change_details(old, relevant) if latest else [],
                untranslated=untranslated(old, relevant, app.config.notify.catalogs), running=int(running)))
        return problems, out


def decision_preview(app: Batho, who: Identity, files: dict[str, str]) -> list[dict[str, Any]]:
    """Per decision in the DMN files: new, a new version of a deployed one, or unchanged."""
    require_owner(who)
    with app.db.reading() as session:
        return decisions.preview_in(session, files)


def deploy(app: Batho, who: Identity, files: dict[str, str], draft_id: int | None = None,
           note: str = "", with_decisions: bool = False) -> list[Deployed]:
    """Check and deploy `files` as new versions by `who`; a deployed draft is removed from the drafts. `note` is
    the owner's own words on what changed and why, kept with each new version's change record (`with_decisions`:
    the decisions' versions listed too, see deployment.deploy_files)."""
    require_owner(who)
    _require_files(files)
    with app.db.transaction() as session:
        result = deploy_files(app, session, files, who.id, with_decisions)
        if note.strip():
            for deployed in (d for d in result if d.created):
                change = session.scalars(select(VersionChange).join(
                    ProcessVersion, ProcessVersion.id == VersionChange.version_id).where(
                    ProcessVersion.key == deployed.key, ProcessVersion.version == deployed.version)).first()
                if change is not None:
                    change.summary = {**change.summary, "note": note.strip()[:2000]}
        if draft_id is not None:
            draft = session.get(ProcessDraft, draft_id)
            if draft is not None:
                session.delete(draft)
        return result


def rollback(app: Batho, who: Identity, key: str, number: int) -> Deployed:
    """Deploy version `number` of `key` again, as the newest version; running instances are not moved."""
    require_owner(who)
    with app.db.transaction() as session:
        row = _version(session, key, number)
        latest = session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.key == key))
        if latest == number:
            raise Conflict(f"Version {number} is already the newest version of {row.name}.")
        files = {**row.bpmn_files, **row.dmn_files, **(row.form_files or {})}
        deployed = [d for d in deploy_files(app, session, files, who.id) if d.key == key]
        if not deployed:
            raise Conflict(f"Version {number} of {row.name} could not be deployed again.")
        return deployed[0]
