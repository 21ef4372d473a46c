"""Instance state with SpiffWorkflow's own serializer, minus the spec (stored once per version), compressed."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState

from .call_binding import CALL_CONVERTERS
from .camunda_loops import LOOP_CONVERTERS
from .scripting import RestrictedScriptEngine
from .specs import ParsedProcess
from .workflow import Workflow

# Issue 14: a finished subprocess (its task in the parent completed, its data already copied back) is never run
# again; SpiffWorkflow starts a new one when the flow comes back to the subprocess task, as a reopened complaint
# does. It was half of a closed complaint's state, so it is not stored; what the case page's diagram reads of it
# (the elements it completed, with their names) is kept under this key and handed back as `PRUNED_ATTRIBUTE`.
PRUNED_KEY = "pruned_done"
PRUNED_ATTRIBUTE = "batho_pruned_done"


def finished_subprocesses(workflow: BpmnWorkflow) -> set[UUID]:
    """The subprocesses whose own task completed after they finished, and every subprocess inside them."""
    finished: set[UUID] = set()
    for task_id, sub in workflow.subprocesses.items():
        owner = workflow.get_task_from_id(task_id)
        if sub.completed and owner is not None and owner.state == TaskState.COMPLETED:
            finished.add(task_id)
    nested = True
    while nested:  # a subprocess inside a finished one goes with it
        nested = False
        for task_id, sub in workflow.subprocesses.items():
            parent = sub.parent_workflow
            if task_id not in finished and parent is not workflow and parent.parent_task_id in finished:
                finished.add(task_id)
                nested = True
    return finished


def completed_elements(workflow: BpmnWorkflow, subprocess_ids: set[UUID]) -> dict[str, str]:
    """Element id -> name of every completed element of these subprocesses, with those pruned before."""
    done: dict[str, str] = dict(getattr(workflow, PRUNED_ATTRIBUTE, {}))
    for task_id in subprocess_ids:
        for task in workflow.subprocesses[task_id].get_tasks(state=TaskState.COMPLETED, skip_subprocesses=True):
            bpmn_id = getattr(task.task_spec, "bpmn_id", None)
            if bpmn_id:
                done[bpmn_id] = getattr(task.task_spec, "bpmn_name", None) or bpmn_id.replace("_", " ")
    return done


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """The top workflow without `spec` and `subprocess_specs` (the caller supplies them when loading), and without
    its finished subprocesses (the elements they completed are kept)."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
        finished = finished_subprocesses(workflow)
        dct["subprocesses"] = self.mapping_to_dict({k: v for k, v in workflow.subprocesses.items()
                                                    if k not in finished})
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        done = completed_elements(workflow, finished)
        if done:
            dct[PRUNED_KEY] = done
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None,
                  script_engine: Any = None) -> BpmnWorkflow:
        workflow = self.target_class(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        setattr(workflow, PRUNED_ATTRIBUTE, dct.pop(PRUNED_KEY, {}))
        return workflow


class CompactEncoder(json.JSONEncoder):
    """JSON without the spaces after separators (the state column is written on every step)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "separators": (",", ":")})


# Stored state is the zlib-compressed JSON as bytes (a binary column: about a sixth of the JSON's size). Rows
# written before are read as they are: text "z:" and the base64 of the compressed JSON (before migration 0026, which
# converts them), or plain JSON (before compression), which always starts with "{" (zlib's output never does).
COMPRESSED = "z:"


def pack(text: str) -> bytes:
    """The JSON text of a state as it is stored."""
    return zlib.compress(text.encode(), 6)


def unpack(stored: bytes | memoryview | str) -> str:
    """The JSON text of a stored state: compressed bytes, or an older row's "z:" base64 text or plain JSON."""
    if isinstance(stored, str):
        if stored.startswith(COMPRESSED):
            return zlib.decompress(base64.b64decode(stored[len(COMPRESSED):])).decode()
        return stored
    raw = bytes(stored)
    if raw.startswith(b"{"):
        return raw.decode()
    if raw.startswith(COMPRESSED.encode()):
        return zlib.decompress(base64.b64decode(raw[len(COMPRESSED):])).decode()
    return zlib.decompress(raw).decode()


class StateCodec:
    """Turns a workflow into JSON text and back; the spec is supplied by the caller, never stored."""

    def __init__(self, script_engine: RestrictedScriptEngine) -> None:
        self.registry = BpmnWorkflowSerializer.configure({**DEFAULT_CONFIG, **LOOP_CONVERTERS, **CALL_CONVERTERS,
                                                         BpmnWorkflow: SpeclessWorkflowConverter})
        self.serializer = BpmnWorkflowSerializer(self.registry, json_encoder_cls=CompactEncoder)
        self.script_engine = script_engine

    @property
    def version(self) -> str:
        return str(self.serializer.VERSION)

    def dump(self, workflow: Workflow) -> bytes:
        """The workflow's tasks, data and events as stored: compressed JSON, without its spec."""
        return pack(str(self.serializer.serialize_json(workflow.bpmn)))

    def as_json(self, stored: bytes | memoryview | str) -> dict[str, Any]:
        """A stored state as the serializer's dictionary (for reading it, not for running it)."""
        return json.loads(unpack(stored), cls=self.serializer.json_decoder_cls)  # type: ignore[no-any-return]

    def load(self, text: bytes | memoryview | str, process: ParsedProcess) -> Workflow:
        """Rebuild a workflow on `process`'s spec (from its stored state, compressed or not) and attach the
        restricted script engine."""
        dct = self.as_json(text)
        # Rows written before the state carried its version were all written by this version (the row says so).
        dct.setdefault(self.serializer.VERSION_KEY, self.version)
        self.serializer.migrate(dct)
        dct.setdefault("typename", self.registry.typenames[BpmnWorkflow])
        bpmn = self.serializer.from_dict(dct, spec=process.spec, subprocess_specs=process.subprocess_specs,
                                         script_engine=self.script_engine)
        # Belt and braces: never run a loaded workflow with the default (unrestricted) engine.
        bpmn.script_engine = self.script_engine
        return Workflow(bpmn, self.script_engine.limits)

    def new(self, process: ParsedProcess) -> Workflow:
        """A fresh workflow of `process`, ready for its first engine steps."""
        bpmn = BpmnWorkflow(process.spec, process.subprocess_specs, script_engine=self.script_engine)
        return Workflow(bpmn, self.script_engine.limits)

    def reload(self, workflow: Workflow, process: ParsedProcess) -> Workflow:
        """A save/load round trip onto `process`: it drops timers that a reset or migration can leave behind
        (SpiffWorkflow 3.2)."""
        return self.load(self.dump(workflow), process)
