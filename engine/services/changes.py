"""What a new version changes against the one before it: tasks added, removed and changed, files changed."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bpmn.specs import ParsedProcess
from ..composition import Batho
from ..models import ProcessVersion, VersionChange

# SpiffWorkflow's spec attributes, in the words of the modeler.
ATTRIBUTE_WORDS = {
    "bpmn_name": "name", "form": "form", "lane": "lane", "script": "script", "event_definition": "timer or event",
    "extensions": "properties", "cond_task_specs": "conditions", "default_task_spec": "default path",
    "decision_table": "decision table", "documentation": "documentation", "outputs": "next steps",
    "inputs": "previous steps", "typename": "kind of step", "prescript": "script", "postscript": "script",
    "manual": "kind of step", "cancel_activity": "interrupting", "data_input_associations": "data",
    "data_output_associations": "data", "io_specification": "data", "spec": "called process",
}
IGNORED = {"name", "description", "position"}


def _step(spec: Any) -> dict[str, str]:
    return {"id": spec.bpmn_id, "name": spec.bpmn_name or "", "kind": type(spec).__name__}


def _is_step(spec: Any) -> bool:
    """Diagram elements only: SpiffWorkflow adds synthetic Start/End/EndJoin specs without a BPMN id."""
    return spec is not None and getattr(spec, "bpmn_id", None) is not None


def _words(attributes: list[str]) -> list[str]:
    return sorted({ATTRIBUTE_WORDS.get(a, a.replace("_", " ")) for a in attributes if a not in IGNORED})


def _diff_specs(app: Batho, old: Any, new: Any, out: dict[str, list[dict[str, Any]]]) -> None:
    diff = SpecDiff(app.codec.registry, old, new)
    out["added"] += [_step(s) for s in diff.added if _is_step(s)]
    out["removed"] += [_step(s) for s in diff.removed if _is_step(s)]
    for spec, attributes in diff.changed.items():
        words = _words(attributes)
        if _is_step(spec) and words:
            out["changed"].append({**_step(diff.alignment.get(spec) or spec), "what": words})


def summarize(app: Batho, old: ParsedProcess, new: ParsedProcess, old_files: dict[str, str],
              new_files: dict[str, str]) -> dict[str, Any]:
    """Steps added, removed and changed (top level and embedded subprocesses), and the files that differ."""
    out: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "changed": []}
    _diff_specs(app, old.spec, new.spec, out)
    for name, spec in new.subprocess_specs.items():
        if name in old.subprocess_specs:
            _diff_specs(app, old.subprocess_specs[name], spec, out)
        else:
            out["added"] += [_step(s) for s in spec.task_specs.values() if _is_step(s)]
    for name, spec in old.subprocess_specs.items():
        if name not in new.subprocess_specs:
            out["removed"] += [_step(s) for s in spec.task_specs.values() if _is_step(s)]
    for key in out:
        out[key].sort(key=lambda step: (step["name"] or step["id"]).lower())
    files = sorted(name for name in {*old_files, *new_files} if old_files.get(name) != new_files.get(name))
    return {**out, "files": files}


def _files(version: ProcessVersion) -> dict[str, str]:
    return {**version.bpmn_files, **version.dmn_files}


def record_change(app: Batho, session: Session, row: ProcessVersion, previous: ProcessVersion | None,
                  process: ParsedProcess) -> VersionChange:
    """Store what `row` changes against `previous`; note when it restores an older version (a rollback)."""
    restored = session.scalars(select(ProcessVersion.id).where(
        ProcessVersion.key == row.key, ProcessVersion.content_hash == row.content_hash,
        ProcessVersion.id != row.id).order_by(ProcessVersion.version.desc()).limit(1)).first()
    if previous is None:
        summary: dict[str, Any] = {"added": [], "removed": [], "changed": [], "files": sorted(_files(row)),
                                   "first": True}
    else:
        summary = summarize(app, app.specs.get(previous), process, _files(previous), _files(row))
    change = VersionChange(version_id=row.id, previous_version_id=previous.id if previous else None,
                           restored_from_version_id=restored, summary=summary)
    session.add(change)
    return change
