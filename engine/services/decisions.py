"""Decision tables kept with the processes that call them: later diagrams find them, a DMN-only upload updates them.

A business rule task names a decision by id (camunda:decisionRef). A diagram deployed without the DMN file of a
decision it calls gets that file from the newest deployed version that holds it; a DMN-only upload becomes a new
version of every process whose newest version holds one of its decisions (running cases stay on theirs).
"""

from __future__ import annotations

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bpmn.dialect import CAMUNDA_NS, safe_xml
from ..bpmn.tolerance import file_kind
from ..errors import DeploymentError
from ..models import ProcessVersion


def decisions_in(source: str) -> set[str]:
    """The decision ids one DMN file defines (none when it cannot be read: the lint says why)."""
    try:
        root = safe_xml(source)
    except (etree.XMLSyntaxError, ValueError):
        return set()
    return {el.get("id") for el in root.iter("{*}decision") if el.get("id")}


def _used_in(source: str) -> set[str]:
    try:
        root = safe_xml(source)
    except (etree.XMLSyntaxError, ValueError):
        return set()
    return {ref for el in root.iter() if isinstance(el.tag, str) and (ref := el.get(f"{{{CAMUNDA_NS}}}decisionRef"))}


def newest_versions(session: Session) -> list[ProcessVersion]:
    """The newest deployed version of every process, newest deployments first."""
    newest = select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)
    return list(session.scalars(select(ProcessVersion).where(ProcessVersion.id.in_(newest))
                                .order_by(ProcessVersion.id.desc())))


def with_deployed_decisions(session: Session, files: dict[str, str]) -> dict[str, str]:
    """`files` plus, for each decision a diagram calls that no uploaded DMN file defines, the deployed file that
    defines it (from the newest version holding it)."""
    defined = set().union(*(decisions_in(s) for n, s in files.items() if file_kind(n) == "dmn"))
    missing = set().union(*(_used_in(s) for n, s in files.items() if file_kind(n) == "bpmn")) - defined
    if not missing:
        return files
    found = dict(files)
    for version in newest_versions(session):
        for name, source in version.dmn_files.items():
            have = decisions_in(source) & missing
            if have and name not in found:
                found[name] = source
                missing -= have
    return found


def updated_processes(session: Session, files: dict[str, str]) -> list[dict[str, str]]:
    """For a DMN-only upload: the files of each process whose newest version holds one of its decisions, with the
    uploaded tables in place of the ones they replace. DeploymentError when no process uses any of them."""
    uploaded = {name: decisions_in(source) for name, source in files.items()}
    ids = set().union(*uploaded.values())
    bundles = []
    for version in newest_versions(session):
        kept = {n: s for n, s in version.dmn_files.items() if not decisions_in(s) & ids}
        if len(kept) == len(version.dmn_files):
            continue
        bundles.append({**version.bpmn_files, **(version.form_files or {}), **kept, **files})
    if not bundles:
        names = ", ".join(sorted(files))
        raise DeploymentError([{"file": name, "element_id": "", "message": (
            f"{names}: no deployed process calls {', '.join(sorted(ids)) or 'these decisions'} yet, and Batho keeps "
            "decision tables with the processes that call them. Upload the file together with the diagram whose "
            "business rule task calls it; later uploads of the file alone update every process that uses it.")}
            for name in sorted(files)][:1])
    return bundles
