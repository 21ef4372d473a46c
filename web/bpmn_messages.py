"""A Babel extractor for diagrams: the start forms' labels and choices, so citizens read them translated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"


def extract_bpmn(fileobj: Any, keywords: Any, comment_tags: Any,
                 options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, function, message, comments) for every start event form label, help text and option,
    and every publicNote (the updates citizens read; keep its $names as they are)."""
    root = ElementTree.parse(fileobj).getroot()
    for prop in root.iter(f"{CAMUNDA}property"):
        if prop.get("name") == "publicNote" and prop.get("value"):
            yield 0, "gettext", prop.get("value", ""), ["public note: keep every $name unchanged"]
    for start in root.iter(f"{BPMN}startEvent"):
        for form_field in start.iter(f"{CAMUNDA}formField"):
            label = form_field.get("label")
            if label:
                yield 0, "gettext", label, [f"form field {form_field.get('id')}"]
            for prop in form_field.iter(f"{CAMUNDA}property"):
                if prop.get("id") == "help" and prop.get("value"):
                    yield 0, "gettext", prop.get("value", ""), ["help text"]
            for value in form_field.iter(f"{CAMUNDA}value"):
                if value.get("name"):
                    yield 0, "gettext", value.get("name", ""), [f"choice {value.get('id')}"]
