"""Multi-instance activities as Camunda Modeler writes them: camunda:collection="${reviewers}", a cardinality or a
completion condition in ${…}; the lint refuses a collection that is not one variable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference

from .dialect import CAMUNDA_NS
from .lint_text import Found, compile_problem, label

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ONE_VARIABLE = re.compile(r"^\s*[$#]\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\s*$")


def adopt_collections(task_specs: Any) -> None:
    """`${reviewers}` as a multi-instance collection is the variable reviewers (SpiffWorkflow reads the text as
    the variable's name)."""
    for spec in task_specs:
        reference = getattr(spec, "data_output", None)
        if isinstance(reference, TaskDataReference):
            found = ONE_VARIABLE.match(reference.bpmn_id or "")
            if found:
                spec.data_output = TaskDataReference(found.group(1))


def loop_problems(root: Any) -> Iterator[Found]:
    """A collection that is not a variable, and a cardinality or completion condition that cannot be used."""
    for loop in root.iter(f"{{{BPMN_NS}}}multiInstanceLoopCharacteristics"):
        activity = loop.getparent()
        collection = (loop.get(f"{{{CAMUNDA_NS}}}collection") or "").strip()
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

