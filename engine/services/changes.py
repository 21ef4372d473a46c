"""What a new version changes against the one before it: tasks added, removed and changed, files changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bpmn.change_details import change_details, untranslated
from ..bpmn.diffs import step_changes
from ..bpmn.specs import ParsedProcess
from ..composition import Batho
from ..models import ProcessVersion, VersionChange


def summarize(app: Batho, old: ParsedProcess, new: ParsedProcess, old_files: dict[str, str],
              new_files: dict[str, str]) -> dict[str, Any]:
    """Steps added, removed and changed (top level and embedded subprocesses), and the files that differ."""
    out = step_changes(app.codec.registry, old, new)
    for key in out:
        out[key].sort(key=lambda step: (step["name"] or step["id"]).lower())
    files = sorted(name for name in {*old_files, *new_files} if old_files.get(name) != new_files.get(name))
    return {**out, "files": files, "details": change_details(old_files, new_files),
            "untranslated": untranslated(old_files, new_files, app.config.notify.catalogs)}


def _files(version: ProcessVersion) -> dict[str, str]:
    return {**version.bpmn_files, **version.dmn_files, **(version.form_files or {})}


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
