"""The lint's rules for catch events: what a conditional or message event waits for is written and can be used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .lint_text import Found, compile_problem, label

EXAMPLE = "for example ${approved} or amount > 1000"
CATCHING = ("startEvent", "intermediateCatchEvent", "boundaryEvent")


def _local(el: Any) -> str:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def conditional_problems(root: Any) -> Iterator[Found]:
    """A conditional event with no condition, an empty one or one that cannot be used. Camunda 7 refuses the first
    at deploy ("must contain an expression") and stops with an error at the others when the event is reached."""
    for definition in root.iter("{*}conditionalEventDefinition"):
        event = definition.getparent()
        conditions = [child for child in definition if _local(child) == "condition"]
        text = (conditions[0].text or "").strip() if conditions else ""
        if not text:
            yield Found(event, "condition", f"{label(event)} waits for a condition, but its condition is empty: "
                                            "Camunda 7 cannot run it either. Write the condition in the modeler "
                                            f"({EXAMPLE}), or delete the event.")
            continue
        problem = compile_problem(text, "expression")
        if problem:
            yield Found(event, "condition", f"{label(event)}: the condition it waits for cannot be used: {problem}")


def message_problems(root: Any) -> Iterator[Found]:
    """A message event that waits for a message it does not name, and has no name of its own to be known by
    (SpiffWorkflow then knows it by its name): nothing could ever send it."""
    for definition in root.iter("{*}messageEventDefinition"):
        event = definition.getparent()
        if _local(event) in CATCHING and not definition.get("messageRef") and not (event.get("name") or "").strip():
            yield Found(event, "message", f"{label(event)} waits for a message but names none, so nothing could "
                                          "ever send it (Camunda 7 refuses it too: a message is required). Choose "
                                          "or create its message in the modeler (Message section).")


def event_problems(root: Any) -> list[Found]:
    return [*conditional_problems(root), *message_problems(root)]
