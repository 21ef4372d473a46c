"""Deploying BPMN and DMN files as process versions: unchanged files make no new version."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bpmn.dialect import CAMUNDA_NS, safe_xml
from ..bpmn.lint import is_warning, lint
from ..bpmn.specs import ParsedProcess, element_problem, parse
from ..bpmn.tolerance import DEFAULT_UNASSIGNED_ROLE, file_kind
from ..composition import Batho
from ..errors import DeploymentError
from ..models import Department, ProcessInstance, ProcessVersion, Role, User
from ..models.enums import InstanceStatus
from . import decisions
from .changes import record_change
from .identity import ensure_reference_data

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deployed:
    key: str
    version: int
    created: bool
    warnings: tuple[dict[str, str], ...] = ()  # the lint's warnings on its files: said, not blocking
    kind: str = "process"  # or "decision": `key` is then a DMN decision's id (engine/services/decisions.py)


def blocking(problems: list[dict[str, str]]) -> list[dict[str, str]]:
    """The problems that stop a deploy (warnings do not)."""
    return [p for p in problems if not is_warning(p)]


def warnings_of(problems: list[dict[str, str]]) -> list[dict[str, str]]:
    """The problems said as warnings: the deploy goes ahead."""
    return [p for p in problems if is_warning(p)]


def _decisions_defined(dmn_source: str) -> set[str]:
    root = safe_xml(dmn_source)
    return {el.get("id") for el in root.iter("{*}decision")}  # by tag: XML comments have none


def _decisions_used(bpmn_source: str) -> set[str]:
    root = safe_xml(bpmn_source)
    return {el.get(f"{{{CAMUNDA_NS}}}decisionRef") for el in root.iter()
            if el.get(f"{{{CAMUNDA_NS}}}decisionRef")}


def _processes_defined(bpmn_source: str) -> set[str]:
    return {el.get("id") for el in safe_xml(bpmn_source).iter("{*}process")}


def _processes_called(bpmn_source: str) -> set[str]:
    return {el.get("calledElement") for el in safe_xml(bpmn_source).iter("{*}callActivity")
            if el.get("calledElement")}


def _with_called(name: str, bpmn_files: dict[str, str]) -> dict[str, str]:
    """The BPMN file `name` plus every file defining a process it calls (call activities), transitively."""
    defined_in = {key: file for file, source in bpmn_files.items() for key in _processes_defined(source)}
    bundle, todo = {name: bpmn_files[name]}, [name]
    while todo:
        for called in _processes_called(bpmn_files[todo.pop()]):
            file = defined_in.get(called)
            if file is not None and file not in bundle:
                bundle[file] = bpmn_files[file]
                todo.append(file)
    return bundle


def _problem(filename: str, exc: Exception) -> dict[str, str]:
    found = element_problem(exc)
    if found is not None:
        element, message = found
        return {"file": filename, "element_id": element, "message": message}
    if isinstance(exc, etree.XMLSyntaxError):
        return {"file": filename, "element_id": "", "message": f"{filename} is not well-formed XML: {exc}"}
    return {"file": filename, "element_id": "", "message": f"{filename}: {exc}"}


def _bundle(files: dict[str, str]) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """Each BPMN file with exactly the DMN files its decisionRefs need."""
    dmn_by_decision: dict[str, tuple[str, str]] = {}
    problems = []
    for name, source in files.items():
        if file_kind(name) == "dmn":
            try:
                for decision in _decisions_defined(source):
                    dmn_by_decision[decision] = (name, source)
            except (etree.XMLSyntaxError, ValueError) as exc:
                problems.append(_problem(name, exc))
    bundles = []
    bpmn_files = {name: source for name, source in files.items() if file_kind(name) == "bpmn"}
    for name in sorted(bpmn_files):
        try:
            bpmn = _with_called(name, bpmn_files)
            used = set().union(*(_decisions_used(source) for source in bpmn.values()))
        except (etree.XMLSyntaxError, ValueError) as exc:
            problems.append(_problem(name, exc))
            continue
        dmns = dict(dmn_by_decision[d] for d in sorted(used) if d in dmn_by_decision)
        bundles.append((name, bpmn, dmns))
    if problems:
        raise DeploymentError(problems)
    return bundles


def _content_hash(bpmn: dict[str, str], dmn: dict[str, str], forms: dict[str, str] | None = None) -> str:
    contents: dict[str, list[str]] = {"bpmn": sorted(bpmn.values()), "dmn": sorted(dmn.values())}
    if forms:  # Camunda Forms shown by the diagram (a version without any keeps its hash)
        contents["form"] = sorted(forms.values())
    payload = json.dumps(contents)
    return hashlib.sha256(payload.encode()).hexdigest()


def _parse_bundle(app: Batho, name: str, bpmn: dict[str, str], dmn: dict[str, str],
                  forms: dict[str, str] | None = None) -> dict[str, ParsedProcess]:
    try:
        parsed = parse(bpmn, dmn, app.specs.unassigned_role, forms)
    except Exception as exc:  # every parser failure becomes a problem the owner can read
        raise DeploymentError([_problem(name, exc)]) from exc
    if not parsed:  # unticked processes run when none is ticked (engine/bpmn/tolerance_flow.py): there is none
        raise DeploymentError([{"file": name, "element_id": "",
                                "message": f"{name} defines no process: draw one (a pool or a plain diagram) in "
                                           "the modeler."}])
    return parsed


def check_files(session: Session, files: dict[str, str],
                unassigned_role: str = DEFAULT_UNASSIGNED_ROLE) -> list[dict[str, str]]:
    """The lint's problems with `files`, against the roles in the database (deployable when none blocks: see
    `blocking`); a task nobody is named for goes to `unassigned_role`, said as a warning."""
    ensure_reference_data(session)  # lanes name roles: the built-in ones exist before anything is deployed
    roles = [(str(key), str(name)) for key, name in session.execute(select(Role.key, Role.name))]
    # an assignee, candidate users and candidate groups (role:department) name people and departments that exist
    users = [str(name) for name in session.scalars(select(User.username))]
    departments = [str(code) for code in session.scalars(select(Department.code))]
    # a diagram may call a decision deployed before (it is deployed with that file): the lint sees it too
    if any(file_kind(name) == "bpmn" for name in files):
        files = decisions.with_deployed_decisions(session, files)
    found = [problem.as_dict() for problem in lint(files, roles, users, departments, unassigned_role)]
    return decisions.found_nowhere(session, found)  # the lint sees only the files: say what is deployed


def deploy_files(app: Batho, session: Session, files: dict[str, str], actor_id: int | None,
                 with_decisions: bool = False) -> list[Deployed]:
    """Check, then deploy every process in `files` (name -> XML text) inside the caller's transaction, and a
    version of every decision its DMN files define (listed first, kind "decision", when `with_decisions`); DMN
    files alone also update the processes that call their decisions (engine/services/decisions.py)."""
    deployed = _deploy(app, session, files, actor_id)
    return deployed if with_decisions else [d for d in deployed if d.kind == "process"]


def _deploy(app: Batho, session: Session, files: dict[str, str], actor_id: int | None) -> list[Deployed]:
    only_decisions = bool(files) and not any(file_kind(name) == "bpmn" for name in files)
    if not only_decisions:
        return _deploy_processes(app, session, files, actor_id, record=True)
    problems = check_files(session, files, app.specs.unassigned_role)
    if blocking(problems):
        raise DeploymentError(blocking(problems))
    return [*_decisions_deployed(session, files, actor_id, app.now()),
            *(d for bundle in decisions.updated_processes(session, files)
              for d in _deploy_processes(app, session, bundle, actor_id, record=False))]


def _decisions_deployed(session: Session, files: dict[str, str], actor_id: int | None,
                        now: datetime) -> list[Deployed]:
    return [Deployed(d.decision_id, d.version, d.created, kind="decision")
            for d in decisions.record(session, files, actor_id, now)]


def _deploy_processes(app: Batho, session: Session, uploaded: dict[str, str], actor_id: int | None,
                      record: bool) -> list[Deployed]:
    files = decisions.with_deployed_decisions(session, uploaded)
    problems = check_files(session, files, app.specs.unassigned_role)
    if blocking(problems):
        raise DeploymentError(blocking(problems))
    recorded = _decisions_deployed(session, uploaded, actor_id, app.now()) if record else []
    result = []
    for name, bpmn, dmn in _bundle(files):
        forms = {n: source for n, source in files.items() if file_kind(n) == "form"}  # .form files, JSON
        parsed = _parse_bundle(app, name, bpmn, dmn, forms)
        digest = _content_hash(bpmn, dmn, forms)
        own = _processes_defined(bpmn[name])
        for key, process in parsed.items():
            if key not in own:  # a called process is deployed from its own file
                continue
            latest = session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                                     .order_by(ProcessVersion.version.desc()).limit(1)).first()
            said = tuple(p for p in warnings_of(problems) if p.get("file") == name)
            if latest is not None and latest.content_hash == digest:
                result.append(Deployed(key, latest.version, created=False, warnings=said))
                continue
            number = (session.scalar(select(func.max(ProcessVersion.version))
                                     .where(ProcessVersion.key == key)) or 0) + 1
            row = ProcessVersion(key=key, version=number, name=process.name, bpmn_files=bpmn, dmn_files=dmn,
                                 form_files=forms,
                                 content_hash=digest, deployed_by_id=actor_id, deployed_at=app.now())
            session.add(row)
            session.flush()
            app.specs.put(row.id, process)
            record_change(app, session, row, latest, process)
            result.append(Deployed(key, number, created=True, warnings=said))
    return [*recorded, *result]


def deploy_directory(app: Batho, path: Path, actor_id: int | None = None,
                     with_decisions: bool = False) -> list[Deployed]:
    """Deploy all BPMN and DMN files of a directory (or one file, with the DMN files beside it) in one
    transaction; Camunda's names (x.bpmn20.xml, x.dmn11.xml) count as such files."""
    def kind(p: Path) -> str | None:
        return file_kind(p.name) if p.is_file() else None

    paths = [path] if path.is_file() else sorted(p for p in path.iterdir() if kind(p))
    if path.is_file() and kind(path) == "bpmn":
        paths += sorted(p for p in path.parent.iterdir() if kind(p) == "dmn")
    return deploy_sources(app, {p.name: p.read_text(encoding="utf-8") for p in paths}, actor_id, with_decisions)


def deploy_sources(app: Batho, files: dict[str, str], actor_id: int | None = None,
                   with_decisions: bool = False) -> list[Deployed]:
    """Deploy `files` (name -> XML text) in a transaction of its own: all of them or none (`with_decisions`:
    the decisions' versions listed too, see `deploy_files`)."""
    with app.db.transaction() as session:
        return deploy_files(app, session, files, actor_id, with_decisions)


def warm_spec_cache(app: Batho, in_background: bool = False) -> int:
    """Parse, once, every version that new cases or running instances use, so requests never parse; return how
    many. `in_background`: only the newest version of each process before returning, the older ones still in use
    in a thread (start-up is ready at once however many versions run; a request that needs one first parses it)."""
    with app.db.reading() as session:
        in_use = select(ProcessInstance.version_id).where(ProcessInstance.status != InstanceStatus.COMPLETED).distinct()
        newest_ids = set(session.scalars(select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)))
        versions = list(session.scalars(select(ProcessVersion).where(
            ProcessVersion.id.in_(in_use) | ProcessVersion.id.in_(newest_ids))))
    first = [v for v in versions if v.id in newest_ids] if in_background else versions
    for version in first:
        app.specs.get(version)
    older = [v for v in versions if v.id not in newest_ids] if in_background else []
    if older:
        threading.Thread(target=_parse_all, args=(app, older), name="batho-warm-specs", daemon=True).start()
    return len(versions)


def _parse_all(app: Batho, versions: list[ProcessVersion]) -> None:
    for version in versions:
        try:
            app.specs.get(version)
        except Exception:  # a version that no longer parses fails its own requests with the parser's sentence
            log.exception("version %s of %s did not parse at start-up", version.version, version.key)
