"""A Babel extractor for diagrams: what citizens read (start forms, titles, introductions, statuses, notes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from engine.bpmn import vocabulary as v

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"


def extract_bpmn(fileobj: Any, keywords: Any, comment_tags: Any,
                 options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, function, message, comments) for every start event form label, help text and option, its
    title, introduction and status sentences, and every publicNote (keep its $names as they are)."""
    root = ElementTree.parse(fileobj).getroot()
    yield from _process_names(root)
    for prop in root.iter(f"{CAMUNDA}property"):
        found = _citizen_text(prop.get("name") or "", prop.get("value") or "")
        if found:
            yield 0, "gettext", found[0], [found[1]]
    for start in root.iter(f"{BPMN}startEvent"):
        for form_field in start.iter(f"{CAMUNDA}formField"):
            label = form_field.get("label")
            if label:
                yield 0, "gettext", label, [f"form field {form_field.get('id')}"]
            for prop in form_field.iter(f"{CAMUNDA}property"):
                if prop.get("id") == v.HELP and prop.get("value"):
                    yield 0, "gettext", prop.get("value", ""), ["help text"]
            for value in form_field.iter(f"{CAMUNDA}value"):
                if value.get("name"):
                    yield 0, "gettext", value.get("name", ""), [f"choice {value.get('id')}"]


def _process_names(root: ElementTree.Element) -> Iterator[tuple[int, str, str, list[str]]]:
    """The kind of case (`Complaint`): the printed slip and the status page name it."""
    for process in root.iter(f"{BPMN}process"):
        if process.get("name"):
            yield 0, "gettext", process.get("name", ""), ["process name"]


def _citizen_text(name: str, value: str) -> tuple[str, str] | None:
    """A node property citizens read, with the comment for translators; None for any other property."""
    if not value:
        return None
    if name == v.PUBLIC_NOTE:
        return value, "public note: keep every $name unchanged"
    if name in (v.TITLE, v.INTRODUCTION):
        return value, f"process {name}"
    code = v.status_code(name)
    return (value, f"status {code}") if code else None



def extract_dmn(fileobj: Any, keywords: Any, comment_tags: Any,
                options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield the rule descriptions of service-standard tables (those with a resolution_days output): the
    transparency page lists them as "what it is about"."""
    root = ElementTree.parse(fileobj).getroot()
    for table in root.iter():
        if not table.tag.endswith("decisionTable"):
            continue
        outputs = [c.get("name") for c in table if c.tag.endswith("output")]
        if "resolution_days" not in outputs:
            continue
        for rule in (c for c in table if c.tag.endswith("rule")):
            for description in (d for d in rule if d.tag.endswith("description")):
                text = (description.text or "").strip()
                if text:
                    yield 0, "gettext", text, [f"service standard {rule.get('id')}"]
