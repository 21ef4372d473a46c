"""Deploying BPMN and DMN files as process versions: unchanged files make no new version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bpmn.dialect import CAMUNDA_NS, safe_xml
from ..bpmn.specs import ParsedProcess, parse
from ..composition import Batho
from ..errors import DeploymentError
from ..models import ProcessInstance, ProcessVersion


@dataclass(frozen=True)
class Deployed:
    key: str
    version: int
    created: bool


def _decisions_defined(dmn_source: str) -> set[str]:
    root = safe_xml(dmn_source)
    return {el.get("id") for el in root.iter() if etree.QName(el).localname == "decision"}


def _decisions_used(bpmn_source: str) -> set[str]:
    root = safe_xml(bpmn_source)
    return {el.get(f"{{{CAMUNDA_NS}}}decisionRef") for el in root.iter()
            if el.get(f"{{{CAMUNDA_NS}}}decisionRef")}


def _problem(filename: str, exc: Exception) -> dict[str, str]:
    if isinstance(exc, ValidationException):
        element = getattr(exc, "id", None) or ""
        name = getattr(exc, "name", None) or element
        where = f" (element {name!r}, id {element})" if element else ""
        return {"file": filename, "element_id": element, "message": f"{exc.args[0]}{where}"}
    if isinstance(exc, etree.XMLSyntaxError):
        return {"file": filename, "element_id": "", "message": f"{filename} is not well-formed XML: {exc}"}
    return {"file": filename, "element_id": "", "message": f"{filename}: {exc}"}


def _bundle(files: dict[str, str]) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """Each BPMN file with exactly the DMN files its decisionRefs need."""
    dmn_by_decision: dict[str, tuple[str, str]] = {}
    problems = []
    for name, source in files.items():
        if name.endswith(".dmn"):
            try:
                for decision in _decisions_defined(source):
                    dmn_by_decision[decision] = (name, source)
            except (etree.XMLSyntaxError, ValueError) as exc:
                problems.append(_problem(name, exc))
    bundles = []
    for name, source in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        try:
            used = _decisions_used(source)
        except (etree.XMLSyntaxError, ValueError) as exc:
            problems.append(_problem(name, exc))
            continue
        dmns = dict(dmn_by_decision[d] for d in sorted(used) if d in dmn_by_decision)
        bundles.append((name, {name: source}, dmns))
    if problems:
        raise DeploymentError(problems)
    return bundles


def _content_hash(bpmn: dict[str, str], dmn: dict[str, str]) -> str:
    payload = json.dumps({"bpmn": sorted(bpmn.values()), "dmn": sorted(dmn.values())})
    return hashlib.sha256(payload.encode()).hexdigest()


def _parse_bundle(name: str, bpmn: dict[str, str], dmn: dict[str, str]) -> dict[str, ParsedProcess]:
    try:
        parsed = parse(bpmn, dmn)
    except Exception as exc:  # every parser failure becomes a problem the owner can read
        raise DeploymentError([_problem(name, exc)]) from exc
    if not parsed:
        raise DeploymentError([{"file": name, "element_id": "",
                                "message": f"{name} has no executable process (isExecutable=\"true\")."}])
    return parsed


def deploy_files(app: Batho, session: Session, files: dict[str, str], actor_id: int | None) -> list[Deployed]:
    """Deploy every process in `files` (name -> XML text) inside the caller's transaction."""
    result = []
    for name, bpmn, dmn in _bundle(files):
        parsed = _parse_bundle(name, bpmn, dmn)
        digest = _content_hash(bpmn, dmn)
        for key, process in parsed.items():
            latest = session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                                     .order_by(ProcessVersion.version.desc()).limit(1)).first()
            if latest is not None and latest.content_hash == digest:
                result.append(Deployed(key, latest.version, created=False))
                continue
            number = (session.scalar(select(func.max(ProcessVersion.version))
                                     .where(ProcessVersion.key == key)) or 0) + 1
            row = ProcessVersion(key=key, version=number, name=process.name, bpmn_files=bpmn, dmn_files=dmn,
                                 content_hash=digest, deployed_by_id=actor_id, deployed_at=app.now())
            session.add(row)
            session.flush()
            app.specs.put(row.id, process)
            result.append(Deployed(key, number, created=True))
    return result


def deploy_directory(app: Batho, path: Path, actor_id: int | None = None) -> list[Deployed]:
    """Deploy all .bpmn and .dmn files of a directory (or one file) in one transaction."""
    paths = [path] if path.is_file() else sorted([*path.glob("*.bpmn"), *path.glob("*.dmn")])
    if path.is_file() and path.suffix == ".bpmn":
        paths += sorted(path.parent.glob("*.dmn"))
    return deploy_sources(app, {p.name: p.read_text(encoding="utf-8") for p in paths}, actor_id)


def deploy_sources(app: Batho, files: dict[str, str], actor_id: int | None = None) -> list[Deployed]:
    """Deploy `files` (name -> XML text) in a transaction of its own: all of them or none."""
    with app.db.transaction() as session:
        return deploy_files(app, session, files, actor_id)


def latest_version(session: Session, key: str) -> ProcessVersion | None:
    return session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                           .order_by(ProcessVersion.version.desc()).limit(1)).first()


def warm_spec_cache(app: Batho) -> int:
    """Parse, once, every version that new cases or running instances use, so requests never parse."""
    with app.db.reading() as session:
        in_use = select(ProcessInstance.version_id).where(ProcessInstance.status != "completed").distinct()
        newest = select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)
        versions = list(session.scalars(select(ProcessVersion).where(
            ProcessVersion.id.in_(in_use) | ProcessVersion.id.in_(newest))))
    for version in versions:
        app.specs.get(version)
    return len(versions)
