"""Multi-instance activities as Camunda 7 runs them.

Camunda Modeler writes camunda:collection="${reviewers}" with camunda:elementVariable="reviewer", a loop cardinality
or a completion condition in ${…}; BPMN's own loopDataInputRef and inputDataItem say the same (Camunda reads them as
the collection and the element variable). Camunda 7 runs one instance per element of the collection (or `cardinality`
times) and gives the expressions inside each instance and on the loop loopCounter (the instance's index, from 0),
nrOfInstances, nrOfActiveInstances and nrOfCompletedInstances. The element variable and these four are the
instance's own: they are not left in the case's data when the loop ends, and the collection is not changed.

The lint refuses what Camunda 7 refuses too (a loop with neither a cardinality nor a collection) and a collection that
is not one variable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sized
from copy import deepcopy
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.serializer.default.task_spec import MultiInstanceTaskConverter
from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.camunda.specs.multiinstance_task import ParallelMultiInstanceTask, SequentialMultiInstanceTask
from SpiffWorkflow.util.task import TaskState

from .lint_text import Found, compile_problem, label

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"  # as engine/bpmn/dialect.py, which imports this module
ONE_VARIABLE = re.compile(r"^\s*[$#]\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\s*$")
LOOP_VARIABLES = ("loopCounter", "nrOfInstances", "nrOfActiveInstances", "nrOfCompletedInstances")
MULTI = f"{{{BPMN_NS}}}multiInstanceLoopCharacteristics"
COLLECTION = f"{{{CAMUNDA_NS}}}collection"
ELEMENT = f"{{{CAMUNDA_NS}}}elementVariable"


def adopt_loop_inputs(root: Any) -> Any:
    """BPMN's loopDataInputRef and inputDataItem read as Camunda 7 reads them: the collection and the element
    variable (SpiffWorkflow's Camunda parser knows only camunda:collection). Changes `root` in place; returns it."""
    for loop in root.iter(MULTI):
        data_input = loop.find(f"{{{BPMN_NS}}}loopDataInputRef")
        if loop.get(COLLECTION) is None and data_input is not None and (data_input.text or "").strip():
            loop.set(COLLECTION, data_input.text.strip())
        item = loop.find(f"{{{BPMN_NS}}}inputDataItem")
        name = (item.get("name") or item.get("id") or "").strip() if item is not None else ""
        if loop.get(ELEMENT) is None and name:
            loop.set(ELEMENT, name)
    return root


class _CamundaLoop:
    """What Camunda 7 gives a multi-instance activity, on top of SpiffWorkflow's Camunda loop: the loop variables
    in each instance's data and in the completion condition; a collection read, not written back; the element
    variable and the loop variables left out of the case's data when an instance ends."""

    cardinality: Any
    condition: Any
    data_input: Any
    data_output: Any
    input_item: Any
    output_item: Any
    task_spec: str

    def _loop_update(self, my_task: Any, plain: Any) -> Any:
        """`plain` is SpiffWorkflow's own BPMN loop: with a collection only, the Camunda loop's run-time rewrite of
        the spec (shared by every case of the version) is not needed, so the loop runs on the spec as parsed."""
        if self.cardinality is not None:
            result = super()._update_hook(my_task)  # type: ignore[misc]
        else:
            if my_task.state != TaskState.WAITING:
                BpmnSpecMixin._update_hook(self, my_task)  # type: ignore[arg-type]
                my_task._set_state(TaskState.WAITING)
            result = plain._update_hook(self, my_task)
        self._share_counts(my_task)
        return result

    def _total(self, my_task: Any, instances: list[Any]) -> int:
        if self.data_input is not None and isinstance(self.data_input.get(my_task), Sized):
            return len(self.data_input.get(my_task))
        cardinality = my_task.internal_data.get("cardinality")
        return cardinality if isinstance(cardinality, int) else len(instances)

    def _counts(self, my_task: Any) -> dict[str, int]:
        instances = list(self._instances(my_task))  # type: ignore[attr-defined]
        done = len(my_task.internal_data.get("merged", []))
        active = sum(1 for c in instances if not c.has_state(TaskState.FINISHED_MASK))
        return {"nrOfInstances": self._total(my_task, instances), "nrOfActiveInstances": active,
                "nrOfCompletedInstances": done}

    def _share_counts(self, my_task: Any) -> None:
        """Every running instance sees its loopCounter and the loop's current counts."""
        counts = self._counts(my_task)
        for index, child in enumerate(self._instances(my_task)):  # type: ignore[attr-defined]
            if child.has_state(TaskState.FINISHED_MASK):
                continue
            if "loop_counter" not in child.internal_data:
                child.internal_data["loop_counter"] = index
                self._give_element(my_task, child, index)
            child.data.update(counts, loopCounter=child.internal_data["loop_counter"])

    def _give_element(self, my_task: Any, child: Any, index: int) -> None:
        """With a cardinality and a collection, Camunda 7 gives instance n the collection's element n."""
        collection, element = getattr(self, "camunda_collection", None), getattr(self, "camunda_element", None)
        if collection is None or element is None:
            return
        items = collection.get(my_task)
        if not isinstance(items, list) or index >= len(items):
            size = f"has {len(items)} items" if isinstance(items, list) else "is not a list"
            raise WorkflowDataException(f"The loop's collection {collection.bpmn_id} {size}; with its cardinality "
                                        f"the loop needs an item for instance {index + 1}", my_task)
        child.data[element.bpmn_id] = deepcopy(items[index])

    def _local_names(self) -> set[str]:
        names = set(LOOP_VARIABLES)
        if self.input_item is not None and self.data_output is None:
            names.add(self.input_item.bpmn_id)  # the element variable is the instance's own
        element = getattr(self, "camunda_element", None)
        if element is not None:
            names.add(element.bpmn_id)
        return names

    def merge_child(self, workflow: Any, child: Any) -> None:
        counter = child.data.get("loopCounter", child.internal_data.get("loop_counter"))
        for name in self._local_names():
            child.data.pop(name, None)
        child.internal_data["loop_counter_done"] = counter
        super().merge_child(workflow, child)  # type: ignore[misc]
        my_task = child.parent
        for name in LOOP_VARIABLES:
            my_task.data.pop(name, None)
        self._share_counts(my_task)

    def check_completion_condition(self, my_task: Any) -> Any:
        """The completion condition, evaluated on the last ended instance with the loop's counts (Camunda's
        nrOfCompletedInstances and the others)."""
        merged = my_task.internal_data.get("merged", [])
        if not merged or self.condition is None:
            return None
        last = next(c for c in my_task.children if str(c.id) == merged[-1])
        counts = {**self._counts(my_task), "loopCounter": last.internal_data.get("loop_counter_done")}
        return my_task.workflow.script_engine.evaluate(last, self.condition, external_context=counts)


class CamundaSequentialLoop(_CamundaLoop, SequentialMultiInstanceTask):
    def _update_hook(self, my_task: Any) -> Any:
        return self._loop_update(my_task, SequentialMultiInstanceTask.__mro__[1])


class CamundaParallelLoop(_CamundaLoop, ParallelMultiInstanceTask):
    def _update_hook(self, my_task: Any) -> Any:
        return self._loop_update(my_task, ParallelMultiInstanceTask.__mro__[1])


LOOPS = {SequentialMultiInstanceTask: CamundaSequentialLoop, ParallelMultiInstanceTask: CamundaParallelLoop}
# For the serializer's registry (engine/bpmn/state.py): the change summary compares specs through it.
LOOP_CONVERTERS = {CamundaSequentialLoop: MultiInstanceTaskConverter, CamundaParallelLoop: MultiInstanceTaskConverter}


def adopt_collections(task_specs: Any) -> None:
    """Multi-instance specs run as Camunda 7 runs them (CamundaSequentialLoop, CamundaParallelLoop): `${reviewers}`
    as a collection is the variable reviewers; a collection without a cardinality is read (one instance per
    element, the element in the element variable) and not written back, with a cardinality too (instance n gets
    element n); each loop is linked to the ends of its
    instances."""
    for spec in task_specs:
        loop = LOOPS.get(type(spec))
        if loop is None:
            continue
        spec.__class__ = loop
        # A case loaded after a restart runs on freshly parsed specs: SpiffWorkflow links an instance's end to the
        # loop only when it creates an instance (its spec serializer would relink, Batho does not store specs).
        child = spec._wf_spec.task_specs[spec.task_spec]
        if not child.completed_event.is_connected(spec.merge_child):
            child.completed_event.connect(spec.merge_child)
        reference = spec.data_output
        if isinstance(reference, TaskDataReference):
            found = ONE_VARIABLE.match(reference.bpmn_id or "")
            if found:
                spec.data_output = reference = TaskDataReference(found.group(1))
        if isinstance(reference, TaskDataReference) and spec.cardinality is None:
            spec.data_input, spec.data_output = reference, None
            spec.input_item, spec.output_item = spec.output_item, None
        elif isinstance(reference, TaskDataReference):  # a cardinality and a collection: element n to instance n
            spec.camunda_collection, spec.camunda_element = reference, spec.output_item
            spec.data_output = spec.output_item = None


def loop_problems(root: Any) -> Iterator[Found]:
    """A loop that says neither how often nor over what, a collection that is not a variable, a cardinality or
    completion condition that cannot be used, and an output collection that would stay empty."""
    for loop in root.iter(MULTI):
        activity = loop.getparent()
        collection = (loop.get(COLLECTION) or "").strip()
        data_input = (loop.findtext(f"{{{BPMN_NS}}}loopDataInputRef") or "").strip()
        cardinality = (loop.findtext(f"{{{BPMN_NS}}}loopCardinality") or "").strip()
        if not (collection or data_input or cardinality):
            yield Found(activity, "multi-instance", f"{label(activity)} is a multi-instance loop that says neither "
                                                    "how many times it runs nor over which list (Camunda 7 refuses "
                                                    "it too). In the panel, under Multi-instance, set Loop "
                                                    "cardinality (a number such as 3, or ${count}) or Collection "
                                                    "(a list variable such as ${reviewers}) with an Element "
                                                    "variable (reviewer).")
        if collection.startswith(("${", "#{")) and not ONE_VARIABLE.match(collection):
            yield Found(activity, "multi-instance", f"{label(activity)}: its collection {collection} is not one "
                                                    "variable. Name the list variable, for example ${reviewers}, and "
                                                    "compute the list in a script task before it.")
        for part in ("loopCardinality", "completionCondition"):
            for element in loop.iter(f"{{{BPMN_NS}}}{part}"):
                text = (element.text or "").strip()
                problem = compile_problem(text, "expression") if text else None
                if problem:
                    what = "cardinality" if part == "loopCardinality" else "completion condition"
                    yield Found(activity, "multi-instance", f"{label(activity)}: its {what} cannot be used: {problem}")
        if (loop.findtext(f"{{{BPMN_NS}}}loopDataOutputRef") or "").strip() and not cardinality:
            yield Found(activity, "multi-instance", f"{label(activity)} names an output collection "
                                                    "(loopDataOutputRef), which Batho, like Camunda 7, does not "
                                                    "fill. Each instance's form values and script results are kept "
                                                    "in the case's data.", severity="warning")

