"""Instance state with SpiffWorkflow's own serializer, minus the spec (stored once per version)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG

from .scripting import RestrictedScriptEngine


class StateCodec:
    """Turns a workflow into JSON text and back; the spec is supplied by the caller, never stored."""

    def __init__(self, script_engine: RestrictedScriptEngine) -> None:
        self.registry = BpmnWorkflowSerializer.configure(DEFAULT_CONFIG)
        self.serializer = BpmnWorkflowSerializer(self.registry)
        self.script_engine = script_engine
        # The registry keeps partial(_obj_to_dict, typename, converter.to_dict): take the converter from it.
        to_dict = self.registry.convert_to_dict[self.registry.typenames[BpmnWorkflow]]
        self._converter = to_dict.args[1].__self__

    @property
    def version(self) -> str:
        return str(self.serializer.VERSION)

    def dump(self, workflow: BpmnWorkflow) -> str:
        """The workflow's tasks, data and events as JSON, without its spec."""
        conv = self._converter
        self.registry._encoder_mode = True
        try:
            dct = WorkflowConverter.to_dict(conv, workflow)
            dct["subprocesses"] = conv.mapping_to_dict(workflow.subprocesses)
            dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
            return json.dumps(dct, cls=self.serializer._encoder_cls, separators=(",", ":"))
        finally:
            self.registry._encoder_mode = False

    def load(self, text: str, spec: BpmnProcessSpec, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
        """Rebuild a workflow on `spec` and attach the restricted script engine."""
        conv = self._converter
        dct = json.loads(text, cls=self.serializer.json_decoder_cls)
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=self.script_engine, deserializing=True)
        workflow.tasks = conv.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        conv.set_default_attributes(workflow, dct)
        conv.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        # Belt and braces: never run a loaded workflow with the default (unrestricted) engine.
        workflow.script_engine = self.script_engine
        return workflow

    def new(self, spec: BpmnProcessSpec, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
        return BpmnWorkflow(spec, subprocess_specs, script_engine=self.script_engine)
