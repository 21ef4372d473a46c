"""The lint's rule for BPMN that SpiffWorkflow 3.2 cannot run, said plainly instead of as a parser crash."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from .lint_text import Found, label

COMPENSATION = ("SpiffWorkflow 3.2, which runs Batho's processes, has no compensation: an undo step would never "
                "run. Draw the undo as an ordinary path (a gateway after the step that fails, then the undo task), "
                "or use a transaction with a cancel end event and a cancel boundary event, which Batho runs.")


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def unsupported(root: Any) -> Iterator[Found]:
    """Compensation events and handlers (Batho runs link, cancel and transaction events; these it cannot)."""
    for definition in root.iter("{*}compensateEventDefinition"):
        event = definition.getparent()
        yield Found(event, "unsupported", f"{label(event)} is a compensation event. {COMPENSATION}")
    for handler in root.iter():
        if isinstance(handler.tag, str) and handler.get("isForCompensation") == "true":
            yield Found(handler, "unsupported", f"{label(handler)} is a compensation handler. {COMPENSATION}")


def unsupported_problems(root: Any) -> list[Found]:
    return list(unsupported(root))
