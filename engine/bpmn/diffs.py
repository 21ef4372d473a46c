"""What changed between two versions of a process, and moving a running workflow onto the newer one.

SpiffWorkflow's diff aligns the instance's tasks with the new spec; `migrate_workflow` swaps the specs and resets
the ready and waiting branches (they get new ids, and a reset timer restarts). Follow a migration with a codec
round trip: it clears stale boundary timers (a known 3.2 bug).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from .specs import ParsedProcess
from .workflow import ACTIVE, Workflow

RESET = TaskState.READY | TaskState.WAITING  # what migrate_workflow resets (and so rebuilds on the new spec)
# The library's spec attributes, in the words of the modeler.
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
    return {"id": spec.bpmn_id, "name": spec.bpmn_name or "", "kind": type(spec).__name__}  # a label, not a check


def _is_step(spec: Any) -> bool:
    """Diagram elements only: the library adds synthetic Start/End/EndJoin specs without a BPMN id."""
    return spec is not None and getattr(spec, "bpmn_id", None) is not None


def _words(attributes: list[str]) -> list[str]:
    return sorted({ATTRIBUTE_WORDS.get(a, a.replace("_", " ")) for a in attributes if a not in IGNORED})


def _diff_specs(registry: Any, old: Any, new: Any, out: dict[str, list[dict[str, Any]]]) -> None:
    diff = SpecDiff(registry, old, new)
    out["added"] += [_step(s) for s in diff.added if _is_step(s)]
    out["removed"] += [_step(s) for s in diff.removed if _is_step(s)]
    for spec, attributes in diff.changed.items():
        words = _words(attributes)
        if _is_step(spec) and words:
            out["changed"].append({**_step(diff.alignment.get(spec) or spec), "what": words})


def step_changes(registry: Any, old: ParsedProcess, new: ParsedProcess) -> dict[str, list[dict[str, Any]]]:
    """Steps added, removed and changed, top level and in called or embedded subprocesses (unsorted)."""
    out: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "changed": []}
    _diff_specs(registry, old.spec, new.spec, out)
    for name, spec in new.subprocess_specs.items():
        if name in old.subprocess_specs:
            _diff_specs(registry, old.subprocess_specs[name], spec, out)
        else:
            out["added"] += [_step(s) for s in spec.task_specs.values() if _is_step(s)]
    for name, spec in old.subprocess_specs.items():
        if name not in new.subprocess_specs:
            out["removed"] += [_step(s) for s in spec.task_specs.values() if _is_step(s)]
    return out


def _title(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name)


@dataclass(frozen=True)
class Migration:
    """What moving a workflow to a target version would do; `blocked` says why it cannot move."""

    top: Any
    subs: dict[Any, Any]
    blocked: str | None
    open_steps: list[str]
    moves: list[str]


def _blocked(workflow: Any, top: Any, subs: dict[Any, Any]) -> str | None:
    # Tasks below a reset branch are rebuilt from the new spec; any other task must still exist in it.
    rebuilt = {d.id for t in workflow.get_tasks(state=RESET) for d in t if d.id != t.id}
    removed = [t for t in top.removed if t.id not in rebuilt]
    for sub_id, sub_diff in subs.items():
        if sub_diff is None:
            return f"its subprocess {workflow.subprocesses[sub_id].spec.name} no longer exists in the newest version."
        removed += [t for t in sub_diff.removed if t.id not in rebuilt]
    if removed:
        names = ", ".join(sorted({_title(t) for t in removed}))
        return f"steps it has reached or passed were removed ({names}); it stays on its version."
    return None


def plan_migration(registry: Any, workflow: Workflow, target: ParsedProcess) -> Migration:
    """The diff of `workflow` against `target`, whether it may move, and what happens to each open step."""
    bpmn = workflow.bpmn
    top, subs = diff_workflow(registry, bpmn, target.spec, target.subprocess_specs)
    blocked = _blocked(bpmn, top, subs)
    open_tasks = [t for t in bpmn.get_tasks(state=ACTIVE) if getattr(t.task_spec, "bpmn_id", None)]
    changed = {t.id for diff in [top, *subs.values()] if diff is not None for t in diff.changed}
    moves = []
    for task in open_tasks:
        if task.id in changed:
            moves.append(f"{_title(task)}: starts again on the new version (it changed).")
        else:
            moves.append(f"{_title(task)}: stays where it is (unchanged).")
    return Migration(top, subs, blocked, sorted({_title(t) for t in open_tasks}), moves)


def migrate_to(plan: Migration, workflow: Workflow, target: ParsedProcess) -> None:
    """Move `workflow` onto `target` as planned (the plan was not blocked)."""
    bpmn = workflow.bpmn
    migrate_workflow(plan.top, bpmn, target.spec)
    for sub_id, sub_diff in plan.subs.items():
        sub = bpmn.subprocesses[sub_id]
        migrate_workflow(sub_diff, sub, target.subprocess_specs[sub.spec.name])
    bpmn.subprocess_specs = target.subprocess_specs
