"""Messages and signals from outside: what a workflow waits for, delivering one, and message start events."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from .specs import ParsedProcess
from .workflow import Workflow

MESSAGE = "message"
SIGNAL = "signal"
KINDS = (MESSAGE, SIGNAL)


def _kind(definition: Any) -> str | None:
    if isinstance(definition, MessageEventDefinition):
        return MESSAGE
    if isinstance(definition, SignalEventDefinition):
        return SIGNAL
    return None


def _definitions(definition: Any) -> list[Any]:
    # An event-based gateway waits for its events itself, holding their definitions in one "multiple" definition.
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition]


def waits(workflow: Workflow) -> set[tuple[str, str]]:
    """The (kind, name) of every message and signal the workflow waits for now (tasks, events, gateways,
    boundary events and event subprocesses alike: the library keeps them all in one place)."""
    found = set()
    waiting = workflow.bpmn.event_manager.tasks.values()
    definitions = [d for task in waiting for d in _definitions(task.task_spec.event_definition)]
    for definition in definitions + (_triggers(workflow) if not workflow.completed else []):
        kind = _kind(definition)
        if kind is not None and definition.name:
            found.add((kind, definition.name))
    return found


def correlation_data(workflow: Workflow, kind: str, name: str) -> list[dict[str, Any]]:
    """The data of the tasks that would catch `name` (an event subprocess it starts: the data of the tasks running
    now), for telling correlations apart."""
    found = [task.data for task, _ in _catchers(workflow, kind, name)]
    if found or not any(_named(d, kind, name) for d in _triggers(workflow)):
        return found
    return [task.data for task in workflow.bpmn.get_tasks(state=TaskState.READY | TaskState.WAITING)]


def _catchers(workflow: Workflow, kind: str, name: str) -> list[tuple[Any, Any]]:
    """The waiting tasks that catch `name`, each with the definition that does."""
    out = []
    for task in list(workflow.bpmn.event_manager.tasks.values()):
        for definition in _definitions(task.task_spec.event_definition):
            if _kind(definition) == kind and definition.name == name:
                out.append((task, definition))
                break
    return out


def _payload(definition: Any, variables: dict[str, Any]) -> dict[str, Any]:
    # The Camunda dialect's message definition keeps its payload under a result variable; the others set it as data.
    if hasattr(definition, "result_var"):
        return {"payload": dict(variables), "result_var": "message_variables"}
    return dict(variables)


def _triggers(workflow: Workflow) -> list[Any]:
    """The start-event definitions of the top-level event subprocesses: the library starts one when its event comes."""
    bpmn = workflow.bpmn
    found = []
    for name in getattr(bpmn.spec.start, "trigger_specs", None) or ():
        spec = bpmn.subprocess_specs.get(name)
        found += [start.event_definition for start in getattr(spec, "bpmn_start_events", ())]
    return found


def _named(definition: Any, kind: str, name: str) -> bool:
    return any(_kind(d) == kind and d.name == name for d in _definitions(definition))


def deliver(workflow: Workflow, kind: str, name: str, variables: dict[str, Any]) -> int:
    """Deliver the message or signal to the waiting tasks that catch it and the event subprocesses that start with
    it, `variables` merged into their data (and so into the instance from there on); the number of tasks that
    caught it. Run engine steps after."""
    found = _catchers(workflow, kind, name)
    definition = found[0][1] if found else next((d for d in _triggers(workflow) if _named(d, kind, name)), None)
    if definition is None:
        return 0
    caught = workflow.bpmn.event_manager.catch(BpmnEvent(definition, _payload(definition, variables)),
                                               internal=False)
    for task in workflow.bpmn.get_tasks(state=TaskState.READY):
        # A catching task took its data from its parent as it became ready: what the sender gave wins.
        if _named(getattr(task.task_spec, "event_definition", None), kind, name):
            task.data.update(variables)
    return int(caught)


def start_waits(process: ParsedProcess) -> set[tuple[str, str]]:
    """The (kind, name) of the message and signal start events of the top-level process."""
    found = set()
    for task_spec in process.spec.start.outputs:
        definition: Any = getattr(task_spec, "event_definition", None)
        kind = _kind(definition)
        if kind is not None and definition.name:
            found.add((kind, definition.name))
    return found
