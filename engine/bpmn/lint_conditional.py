"""The lint's rule for conditional events: the condition they wait for is written, and can be evaluated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .lint_text import Found, compile_problem, label

EXAMPLE = "for example ${approved} or amount > 1000"


def conditional_problems(root: Any) -> Iterator[Found]:
    """A conditional event with no condition, an empty one or one that cannot be used. Camunda 7 refuses the first
    at deploy ("must contain an expression") and stops with an error at the others when the event is reached."""
    for definition in root.iter("{*}conditionalEventDefinition"):
        event = definition.getparent()
        conditions = [child for child in definition if isinstance(child.tag, str) and child.tag.endswith("}condition")]
        text = (conditions[0].text or "").strip() if conditions else ""
        if not text:
            yield Found(event, "condition", f"{label(event)} waits for a condition, but its condition is empty: "
                                            "Camunda 7 cannot run it either. Write the condition in the modeler "
                                            f"({EXAMPLE}), or delete the event.")
            continue
        problem = compile_problem(text, "expression")
        if problem:
            yield Found(event, "condition", f"{label(event)}: the condition it waits for cannot be used: {problem}")
