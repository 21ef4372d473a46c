"""The lint's rule for what only a Java engine runs: delegate classes, bean expressions, connectors, listeners.

Camunda 7 runs these inside its own JVM; Batho runs no Java, and SpiffWorkflow would pass over them silently,
so a diagram that relies on them is refused with the way out (an external task a worker fetches through the API).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from .dialect import CAMUNDA_NS
from .lint_text import Found, label

JAVA = {"class": "a Java class", "delegateExpression": "a Java delegate expression",
        "expression": "a Java expression"}
# Elements Camunda runs with a delegate: tasks, and message events that send.
DELEGATING = {"serviceTask", "sendTask", "businessRuleTask", "messageEventDefinition"}
EXTERNAL = "make it an external task (Implementation: External, with a topic) so a worker can do it."


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def _owner(el: Any) -> Any:
    """The flow element an event definition or extension belongs to."""
    node = el
    while node is not None and _local(node) in ("messageEventDefinition", "extensionElements", "connector"):
        node = node.getparent()
    return node if node is not None else el


def _delegates(root: Any) -> Iterator[Found]:
    for el in root.iter():
        if _local(el) not in DELEGATING:
            continue
        for attribute, what in JAVA.items():
            value = el.get(f"{{{CAMUNDA_NS}}}{attribute}")
            # On a message event, camunda:expression is the message's payload (SpiffWorkflow's reading), not Java.
            if value is None or (attribute == "expression" and _local(el) == "messageEventDefinition"):
                continue
            owner = _owner(el)
            yield Found(owner, "java", f"{label(owner)} uses {what} (camunda:{attribute}=\"{value[:60]}\"). Batho "
                                       f"runs no Java; {EXTERNAL}")


def _connectors(root: Any) -> Iterator[Found]:
    for connector in root.iter(f"{{{CAMUNDA_NS}}}connector"):
        owner = _owner(connector)
        ids = [(c.text or "").strip() for c in connector if _local(c) == "connectorId"]
        yield Found(owner, "java", f"{label(owner)} uses a Camunda connector (camunda:connector"
                                   f"{' ' + ids[0] if ids and ids[0] else ''}), which runs in Camunda's Java "
                                   f"engine. Batho runs no Java; {EXTERNAL}")


def _listener_problem(listener: Any) -> str:
    kind = "task listener" if _local(listener) == "taskListener" else "execution listener"
    event = listener.get("event") or "start"
    for attribute, what in JAVA.items():
        if listener.get(attribute) is not None:
            return (f"has a{'n' if kind[0] == 'e' else ''} {kind} on {event} with {what} ({attribute}="
                    f"\"{listener.get(attribute)[:60]}\"). Batho runs no Java and no listeners")
    scripts = [child for child in listener if _local(child) == "script"]
    language = (scripts[0].get("scriptFormat") if scripts else "") or "a script"
    return (f"has a{'n' if kind[0] == 'e' else ''} {kind} on {event} written in {language}. Batho does not run "
            "listeners")


def _listeners(root: Any) -> Iterator[Found]:
    for tag in ("executionListener", "taskListener"):
        for listener in root.iter(f"{{{CAMUNDA_NS}}}{tag}"):
            owner = listener.getparent().getparent() if listener.getparent() is not None else listener
            yield Found(owner, "java", f"{label(owner)} {_listener_problem(listener)}; remove the listener and do "
                                       "its work in a script task (Python), or in an external task a worker does.")


def java_problems(root: Any) -> list[Found]:
    """Everything in one BPMN document that needs Camunda's Java engine to run."""
    return [*_delegates(root), *_connectors(root), *_listeners(root)]
