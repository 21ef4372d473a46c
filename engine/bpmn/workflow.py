"""A running workflow as Batho sees it: ready manual tasks, engine steps, where it waits, and what failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from . import budget
from .forms import Field, fields_of

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
# Shown as "waiting" when active: events (timers, messages) and subprocesses (embedded ones parse as call
# activities), as opposed to steps someone works on.
WAITING_KINDS = (CatchingEvent, ThrowingEvent, SubWorkflowTask)


class Step:
    """One task of a workflow: the diagram element it runs, its lane and properties, and its data."""

    __slots__ = ("task",)

    def __init__(self, task: Any) -> None:
        self.task = task

    @property
    def id(self) -> str:
        return str(self.task.id)

    @property
    def element(self) -> str | None:
        """The BPMN id of the element (None for the library's synthetic start and end tasks)."""
        return getattr(self.task.task_spec, "bpmn_id", None)

    @property
    def name(self) -> str | None:
        return getattr(self.task.task_spec, "bpmn_name", None)

    @property
    def title(self) -> str | None:
        return self.name or self.element

    @property
    def lane(self) -> str | None:
        return getattr(self.task.task_spec, "lane", None)

    @property
    def properties(self) -> dict[str, str]:
        """The element's camunda:properties."""
        return getattr(self.task.task_spec, "extensions", None) or {}

    @property
    def data(self) -> dict[str, Any]:
        return self.task.data  # type: ignore[no-any-return]

    @property
    def form(self) -> tuple[Field, ...]:
        return fields_of(getattr(self.task.task_spec, "form", None))

    @property
    def is_timer(self) -> bool:
        return isinstance(getattr(self.task.task_spec, "event_definition", None), TimerEventDefinition)


@dataclass(frozen=True)
class Position:
    """Where a workflow stands: active and completed elements, their names, and the active ones that wait."""

    active: list[str]
    done: list[str]
    names: dict[str, str]
    waiting: list[str]


Hook = Callable[[Step], None]


class Workflow:
    """One instance's workflow; `bpmn` is the library's object, for the state codec only."""

    def __init__(self, bpmn: BpmnWorkflow, limits: budget.Limits) -> None:
        self.bpmn = bpmn
        self.limits = limits
        self.failed: Exception | None = None  # what the diagram raised while a task was being completed

    @property
    def completed(self) -> bool:
        return bool(self.bpmn.completed)

    def seed(self, data: dict[str, Any]) -> None:
        """Put the start data on the ready tasks of a new workflow."""
        for task in self.bpmn.get_tasks(state=TaskState.READY):
            task.data.update(data)

    def ready_manual_tasks(self) -> list[Step]:
        return [Step(t) for t in self.bpmn.get_tasks(state=TaskState.READY, manual=True)]

    def task(self, task_id: str) -> Step | None:
        """The task with this id in whatever state, or None when the workflow has none."""
        try:
            return Step(self.bpmn.get_task_from_id(UUID(task_id)))
        except Exception:  # a malformed id or a task that is gone (reset, migrated, predicted and dropped)
            return None

    def ready_manual_task(self, task_id: str) -> Step | None:
        """The READY manual task with this id; None when it was completed, cancelled or never was."""
        step = self.task(task_id)
        if step is None or step.task.state != TaskState.READY or not step.task.task_spec.manual:
            return None
        return step

    def complete(self, step: Step, values: dict[str, Any]) -> None:
        """Run a manual task with the submitted values (the caller checked it is ready and the user's). What the
        diagram does as the task completes (an input/output mapping, a timer or condition of the next step that
        fails on the data) stops the instance in the next `run`, as other diagram errors do: the completion is
        kept, not lost with a crash."""
        step.task.set_data(**values)
        try:
            step.task.run()
        except Exception as exc:  # the diagram's own error (MappingFailed, SpiffWorkflow's kinds), not the user's
            self.failed = exc

    def run(self, before: Hook, after: Hook, refresh_timers: bool = False) -> None:
        """Engine steps until the workflow waits; `before` and `after` see every node that runs."""

        def will_run(task: Any) -> None:
            budget.check_call_depth(task)
            before(Step(task))

        if self.failed is not None:
            failed, self.failed = self.failed, None
            raise failed
        with budget.step(self.limits):  # diagram code of this step shares one CPU budget
            if refresh_timers:
                self.bpmn.refresh_timers()
            self.bpmn.do_engine_steps(will_complete_task=will_run, did_complete_task=lambda task: after(Step(task)))

    def next_timer(self) -> datetime | None:
        """The earliest time a waiting timer is due, if any."""
        times = []
        for task in self.bpmn.event_manager.tasks.values():  # the waiting catching events
            definition = task.task_spec.event_definition
            if isinstance(definition, MultipleEventDefinition):  # an event-based gateway keeps its timer's time
                if not any(isinstance(d, TimerEventDefinition) for d in definition.event_definitions):
                    continue
                value = task.internal_data.get("event_value")
            elif isinstance(definition, TimerEventDefinition):
                value = definition.details(task).value
            else:
                continue
            try:
                due = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            except ValueError:
                continue
            if due.tzinfo is not None:
                times.append(due)
        return min(times) if times else None

    def position(self) -> Position:
        """Active and completed elements (each once), and which active ones are events or subprocesses."""
        active: list[str] = []
        done: list[str] = []
        names: dict[str, str] = {}
        waiting: set[str] = set()
        for task in self.bpmn.get_tasks():
            bpmn_id = getattr(task.task_spec, "bpmn_id", None)
            if not bpmn_id:
                continue
            names[bpmn_id] = getattr(task.task_spec, "bpmn_name", None) or bpmn_id.replace("_", " ")
            if isinstance(task.task_spec, WAITING_KINDS):
                waiting.add(bpmn_id)
            if task.state & ACTIVE:
                active.append(bpmn_id)
            elif task.state == TaskState.COMPLETED:
                done.append(bpmn_id)
        # A finished subprocess is not stored (engine/bpmn/state.py): the elements it completed are kept on the side.
        for bpmn_id, name in getattr(self.bpmn, "batho_pruned_done", {}).items():
            names.setdefault(bpmn_id, name)
            done.append(bpmn_id)
        active = list(dict.fromkeys(active))
        return Position(active=active, done=[d for d in dict.fromkeys(done) if d not in active], names=names,
                        waiting=[a for a in active if a in waiting])

    def retry_failed(self, data: dict[str, Any]) -> str | None:
        """Reset every failed task with `data` added; return the element of the first (None: nothing failed).

        Follow with a codec round trip: a reset can leave stale timers behind (SpiffWorkflow 3.2).
        """
        failed = list(self.bpmn.get_tasks(state=TaskState.ERROR))
        for task in failed:
            # The reset step takes its data from the step before it again, so the correction goes there.
            if task.parent is not None:
                task.parent.data.update(data)
            self.bpmn.reset_from_task_id(task.id, {**task.data, **data})
        return Step(failed[0]).element if failed else None
