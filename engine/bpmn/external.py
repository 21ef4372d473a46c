"""External tasks: service and send tasks with camunda:type="external" wait, STARTED, until a worker reports back.

SpiffWorkflow leaves a task STARTED when its spec's run hook answers None; the worker's completion marks it
complete, its BPMN error is thrown to the error boundary events that catch its code, and a failure with no retries
left puts the task in ERROR (the instance's incident, which an administrator retries from the incidents page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.parser.event_parsers import SendTaskParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import ErrorEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from .camunda_io import MappingFailed
from .workflow import Workflow

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
TYPE = f"{{{CAMUNDA_NS}}}type"
TOPIC = f"{{{CAMUNDA_NS}}}topic"


class ExternalTask(ServiceTask):  # type: ignore[misc]
    """A service or send task a worker outside does: it stays STARTED until the worker completes it."""

    def __init__(self, wf_spec: Any, bpmn_id: str, topic: str = "", **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.topic = topic

    def _run_hook(self, my_task: Any) -> None:
        return None  # STARTED: the worker's answer moves it on


def _is_external(node: Any) -> bool:
    return node.get(TYPE) == "external"


def _external(parser: Any) -> ExternalTask:
    return ExternalTask(parser.spec, parser.bpmn_id, topic=(parser.node.get(TOPIC) or "").strip(),
                        **parser.bpmn_attributes)


class ServiceTaskParser(TaskParser):  # type: ignore[misc]
    """camunda:type="external" makes an external task; any other service task passes through."""

    def create_task(self) -> Any:
        return _external(self) if _is_external(self.node) else super().create_task()


class ExternalSendTaskParser(SendTaskParser):  # type: ignore[misc]
    """A send task with camunda:type="external" is an external task, as in Camunda 7."""

    def create_task(self) -> Any:
        return _external(self) if _is_external(self.node) else super().create_task()


@dataclass(frozen=True)
class Waiting:
    """One external task the workflow waits for: its task id, element, name and topic."""

    id: str
    element: str
    name: str
    topic: str


def waiting(workflow: Workflow) -> list[Waiting]:
    """The external tasks the workflow waits for now (STARTED, in any subprocess)."""
    return [Waiting(str(t.id), t.task_spec.bpmn_id, t.task_spec.bpmn_name or t.task_spec.bpmn_id, t.task_spec.topic)
            for t in workflow.bpmn.get_tasks(state=TaskState.STARTED) if isinstance(t.task_spec, ExternalTask)]


def declares(specs: list[Any]) -> bool:
    """Whether any of these process specs has an external task (else nothing of it needs keeping in step)."""
    return any(isinstance(t, ExternalTask) for spec in specs for t in spec.task_specs.values())


def _task(workflow: Workflow, task_id: str) -> Any:
    try:
        task = workflow.bpmn.get_task_from_id(UUID(task_id))
    except Exception:  # a malformed id, or a task that is gone
        return None
    if task is None or task.state != TaskState.STARTED or not isinstance(task.task_spec, ExternalTask):
        return None
    return task


def data_of(workflow: Workflow, task_id: str) -> dict[str, Any] | None:
    """The data the external task carries (None: it waits no more)."""
    task = _task(workflow, task_id)
    return dict(task.data) if task is not None else None


def complete(workflow: Workflow, task_id: str, variables: dict[str, Any]) -> bool:
    """Complete the external task with the worker's variables; False when it waits no more. Run engine steps after."""
    task = _task(workflow, task_id)
    if task is None:
        return False
    task.set_data(**variables)
    try:
        task.complete()
    except MappingFailed as exc:  # an output mapping failed on the variables: the next run stops the instance
        workflow.failed = exc
    return True


def _catchers(workflow: Workflow, task: Any, code: str) -> list[Any]:
    """The waiting error events of the task's workflow and the workflows around it that catch `code`."""
    scopes, scope = [], task.workflow
    while scope is not None:
        scopes.append(scope)
        scope = getattr(scope, "parent_workflow", None)
    thrown = ErrorEventDefinition(code, code=code)
    return [t for t in workflow.bpmn.event_manager.tasks.values()
            if isinstance(t.task_spec.event_definition, ErrorEventDefinition) and t.workflow in scopes
            and t.task_spec.event_definition.code in (None, thrown.code)]


def catches_error(workflow: Workflow, task_id: str, code: str) -> bool:
    """Whether an error boundary event (on the task or a subprocess around it) catches `code`."""
    task = _task(workflow, task_id)
    return task is not None and bool(_catchers(workflow, task, code))


def throw_error(workflow: Workflow, task_id: str, code: str, variables: dict[str, Any]) -> bool:
    """Throw the BPMN error `code` from the external task, `variables` set on it first; False when nothing catches
    it (the task then still waits). Run engine steps after."""
    task = _task(workflow, task_id)
    if task is None or not _catchers(workflow, task, code):
        return False
    task.set_data(**variables)
    definition = ErrorEventDefinition(code, code=code)
    workflow.bpmn.top_workflow.catch(BpmnEvent(definition, payload=dict(task.data), target=task.workflow))
    return True


def fail(workflow: Workflow, task_id: str) -> bool:
    """Put the external task in ERROR (its worker gave up): the instance's incident."""
    task = _task(workflow, task_id)
    if task is None:
        return False
    task.error()
    return True
