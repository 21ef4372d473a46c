"""What changed inside the steps, read from the files as the modeler wrote them: form fields and their labels,
conditions, timers, assignments, properties, scripts and decision-table cells, each as a sentence.

The spec diff (diffs.py) says which steps changed; this says how, in the words of the modeler's panel, so a process
owner checks before deploying that only what they meant changed. It also finds the citizen-facing words (start
forms, statuses and public notes) that are new and have no Sesotho or Afrikaans translation yet.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from .dialect import CAMUNDA_NS, safe_xml

C = f"{{{CAMUNDA_NS}}}"
ASSIGNMENT = {"assignee": "Assignee", "candidateGroups": "Candidate groups", "candidateUsers": "Candidate users",
              "dueDate": "Due date", "followUpDate": "Follow-up date", "priority": "Priority",
              "candidateStarterGroups": "Candidate starter groups", "candidateStarterUsers": "Candidate starter users",
              "formKey": "Form key", "formRef": "Form reference", "decisionRef": "Decision reference",
              "calledElement": "Called process", "topic": "Topic", "type": "Implementation"}
TIMER_KINDS = {"timeDuration": "duration", "timeDate": "date", "timeCycle": "cycle"}
# Texts a citizen reads: start-form labels and options, a process's title, introduction and statuses, public notes.
CITIZEN_PROPERTIES = ("title", "introduction", "publicNote")
LANGUAGES = {"st": "Sesotho", "af": "Afrikaans"}


def _local(el: Any) -> str:
    return str(etree.QName(el).localname)


def _text(el: Any) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _quote(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return "'" + (value if len(value) <= limit else value[:limit - 1] + "…") + "'"


@dataclass
class _Element:
    id: str
    kind: str
    name: str
    el: Any


def _elements(files: dict[str, str]) -> tuple[dict[str, _Element], dict[str, str]]:
    """Every flow element and decision by id, and the lane of each flow node (id → lane name)."""
    found: dict[str, _Element] = {}
    lanes: dict[str, str] = {}
    for _name, source in sorted(files.items()):
        try:
            root = safe_xml(source)
        except Exception:  # a file that cannot be read is reported by the lint, not here
            continue
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag.startswith(C):
                continue  # comments, processing instructions and the Camunda extensions inside elements
            local = _local(el)
            ident = el.get("id")
            if local == "lane":
                for ref in el:
                    if isinstance(ref.tag, str) and _local(ref) == "flowNodeRef" and ref.text:
                        lanes[ref.text.strip()] = el.get("name") or el.get("id") or ""
            if ident and local not in {"definitions", "laneSet", "lane", "extensionElements", "formData", "formField",
                                       "BPMNShape", "BPMNEdge", "BPMNDiagram", "BPMNPlane", "inputEntry",
                                       "outputEntry", "input", "output", "rule", "inputExpression",
                                       "decisionTable"}:
                found[ident] = _Element(ident, local, el.get("name") or "", el)
    return found, lanes


def _label(element: _Element, elements: dict[str, _Element]) -> str:
    if element.kind == "sequenceFlow":
        source = elements.get(element.el.get("sourceRef") or "")
        target = elements.get(element.el.get("targetRef") or "")
        path = f" {_quote(element.name)}" if element.name else ""
        return (f"the path{path} from {_quote(source.name or source.id) if source else '?'} to "
                f"{_quote(target.name or target.id) if target else '?'}")
    return _quote(element.name or element.id)


def _form_fields(el: Any) -> dict[str, Any]:
    """The element's own form fields (not those of the steps inside it, for a process or subprocess)."""
    found = el.findall(f"{{*}}extensionElements/{C}formData/{C}formField")
    return {f.get("id"): f for f in found if f.get("id")}


def _constraints(field: Any) -> dict[str, str]:
    return {c.get("name") or "": c.get("config") or "" for c in field.iter(f"{C}constraint")}


def _options(field: Any) -> dict[str, str]:
    return {v.get("id") or "": v.get("name") or "" for v in field.iter(f"{C}value")}


def _field_changes(step: str, old: Any, new: Any) -> list[str]:
    out: list[str] = []
    old_fields, new_fields = _form_fields(old), _form_fields(new)
    for fid in new_fields.keys() - old_fields.keys():
        out.append(f"Form of {step}: field {_quote(new_fields[fid].get('label') or fid)} added.")
    for fid in old_fields.keys() - new_fields.keys():
        out.append(f"Form of {step}: field {_quote(old_fields[fid].get('label') or fid)} removed.")
    for fid in sorted(old_fields.keys() & new_fields.keys()):
        out += _one_field(step, fid, old_fields[fid], new_fields[fid])
    return out


def _pairs(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
    """(key, old value or None, new value or None) for every key whose value differs."""
    return [(k, before.get(k), after.get(k)) for k in sorted(before.keys() | after.keys())
            if before.get(k) != after.get(k)]


def _one_field(step: str, fid: str, a: Any, b: Any) -> list[str]:
    out: list[str] = []
    shown = _quote(b.get("label") or fid)
    for attribute, word in (("label", "label"), ("type", "type"), ("defaultValue", "default value")):
        if (a.get(attribute) or "") != (b.get(attribute) or ""):
            out.append(f"Form of {step}: field {_quote(fid)} {word} {_quote(a.get(attribute) or '')} → "
                       f"{_quote(b.get(attribute) or '')}.")
    for name, before, after in _pairs(_constraints(a), _constraints(b)):
        was = "none" if before is None else _quote(f"{name} {before}".strip())
        now = "none" if after is None else _quote(f"{name} {after}".strip())
        out.append(f"Form of {step}: field {shown} validation {was} → {now}.")
    for key, before, after in _pairs(_options(a), _options(b)):
        if before is None:
            out.append(f"Form of {step}: field {shown} option {_quote(after or key)} added.")
        elif after is None:
            out.append(f"Form of {step}: field {shown} option {_quote(before or key)} removed.")
        else:
            out.append(f"Form of {step}: field {shown} option {_quote(before)} → {_quote(after)}.")
    for key, before, after in _pairs(_properties(a), _properties(b)):
        out.append(f"Form of {step}: field {shown} property {key} {_quote(before or '')} → {_quote(after or '')}.")
    return out


def _properties(el: Any) -> dict[str, str]:
    """camunda:property name → value directly under this element's extensions (not its form fields')."""
    found = el.findall(f"{{*}}extensionElements/{C}properties/{C}property") + el.findall(f"{C}properties/{C}property")
    return {p.get("name"): p.get("value") or "" for p in found if p.get("name")}


def _timer(el: Any) -> dict[str, str]:
    out = {}
    for definition in el.findall("{*}timerEventDefinition"):
        for child in definition:
            if isinstance(child.tag, str) and _local(child) in TIMER_KINDS:
                out[TIMER_KINDS[_local(child)]] = _text(child)
    return out


def _condition(el: Any) -> str:
    found = [c for c in el if isinstance(c.tag, str) and _local(c) == "conditionExpression"]
    return _text(found[0]) if found else ""


def _script(el: Any) -> str:
    found = [c for c in el if isinstance(c.tag, str) and _local(c) == "script"]
    return (found[0].text or "").strip() if found else ""


def _naming_changes(step: str, old: _Element, new: _Element, old_lane: str | None,
                    new_lane: str | None) -> list[str]:
    """Renames, lane moves and the Camunda panel's assignment and implementation attributes."""
    out: list[str] = []
    if old.name != new.name and new.kind != "sequenceFlow":
        out.append(f"Step {_quote(old.name or old.id)} renamed to {_quote(new.name or new.id)}.")
    if old_lane != new_lane and new.kind != "sequenceFlow":
        out.append(f"{step} moved from lane {_quote(old_lane or 'none')} to lane {_quote(new_lane or 'none')}.")
    for attribute, word in ASSIGNMENT.items():
        before, after = old.el.get(f"{C}{attribute}") or "", new.el.get(f"{C}{attribute}") or ""
        if before != after:
            out.append(f"{word} of {step}: {_quote(before) if before else 'none'} → "
                       f"{_quote(after) if after else 'none'}.")
    return out


def _step_changes(old: _Element, new: _Element, old_lane: str | None, new_lane: str | None,
                  elements: dict[str, _Element]) -> list[str]:
    step = _label(new, elements)
    out = _naming_changes(step, old, new, old_lane, new_lane)
    if _condition(old.el) != _condition(new.el):
        out.append(f"Condition of {step}: {_quote(_condition(old.el) or 'none')} → "
                   f"{_quote(_condition(new.el) or 'none')}.")
    timer_a, timer_b = _timer(old.el), _timer(new.el)
    if timer_a != timer_b:
        before = ", ".join(f"{k} {_quote(v)}" for k, v in timer_a.items()) or "none"
        after = ", ".join(f"{k} {_quote(v)}" for k, v in timer_b.items()) or "none"
        out.append(f"Timer of {step}: {before} → {after}.")
    if _script(old.el) != _script(new.el):
        out.append(f"Script of {step} changed.")
    for key, was, now in _pairs(_properties(old.el), _properties(new.el)):
        out.append(f"Property {key} of {step}: {'none' if was is None else _quote(was)} → "
                   f"{'none' if now is None else _quote(now)}.")
    out += _field_changes(step, old.el, new.el)
    if new.kind == "decision":
        out += _table_changes(step, old.el, new.el)
    return out


def _cells(decision: Any) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for number, rule in enumerate(decision.iter("{*}rule"), start=1):
        for entry in rule:
            if isinstance(entry.tag, str) and _local(entry) in {"inputEntry", "outputEntry"}:
                text = [t for t in entry if isinstance(t.tag, str) and _local(t) == "text"]
                out[entry.get("id") or f"{rule.get('id')}-{len(out)}"] = (number, _text(text[0]) if text else "")
    return out


def _table_changes(step: str, old: Any, new: Any) -> list[str]:
    out = []
    rules_a = [r.get("id") for r in old.iter("{*}rule")]
    rules_b = [r.get("id") for r in new.iter("{*}rule")]
    added = [r for r in rules_b if r not in rules_a]
    removed = [r for r in rules_a if r not in rules_b]
    if added:
        out.append(f"Decision table {step}: {len(added)} rule{'s' if len(added) != 1 else ''} added.")
    if removed:
        out.append(f"Decision table {step}: {len(removed)} rule{'s' if len(removed) != 1 else ''} removed.")
    ca, cb = _cells(old), _cells(new)
    for cell in sorted(ca.keys() & cb.keys(), key=lambda c: cb[c][0]):
        if ca[cell][1] != cb[cell][1]:
            out.append(f"Decision table {step}, rule {cb[cell][0]}: {_quote(ca[cell][1] or '-')} → "
                       f"{_quote(cb[cell][1] or '-')}.")
    hit_a = [t.get("hitPolicy") or "UNIQUE" for t in old.iter("{*}decisionTable")]
    hit_b = [t.get("hitPolicy") or "UNIQUE" for t in new.iter("{*}decisionTable")]
    if hit_a != hit_b:
        out.append(f"Decision table {step}: hit policy {', '.join(hit_a)} → {', '.join(hit_b)}.")
    return out


def change_details(old_files: dict[str, str], new_files: dict[str, str]) -> list[str]:
    """Sentences saying how the steps present in both versions changed (added and removed steps are listed by
    the spec diff)."""
    old, old_lanes = _elements(old_files)
    new, new_lanes = _elements(new_files)
    out: list[str] = []
    for ident, element in new.items():
        before = old.get(ident)
        if before is None or before.kind != element.kind:
            continue
        out += _step_changes(before, element, old_lanes.get(ident), new_lanes.get(ident), new)
    return out


def citizen_texts(files: dict[str, str]) -> set[str]:
    """The diagram texts a citizen reads: start-form labels and options, the process's title, introduction and
    status sentences, and public notes."""
    texts: set[str] = set()
    elements, _ = _elements(files)
    for element in elements.values():
        if element.kind == "startEvent":
            for field in _form_fields(element.el).values():
                texts.add(field.get("label") or "")
                texts.update(_options(field).values())
            for key, value in _properties(element.el).items():
                if key in CITIZEN_PROPERTIES or key.startswith("status."):
                    texts.add(value)
        elif "publicNote" in _properties(element.el):
            texts.add(_properties(element.el)["publicNote"])
    return {t for t in texts if t.strip()}


def untranslated(old_files: dict[str, str], new_files: dict[str, str], catalogs: Path) -> list[dict[str, Any]]:
    """New or changed citizen-facing texts without a translation, each with the languages it lacks."""
    fresh = sorted(citizen_texts(new_files) - citizen_texts(old_files))
    if not fresh:
        return []
    translations = {code: gettext.translation("messages", localedir=str(catalogs), languages=[code], fallback=True)
                    for code in LANGUAGES}
    out = []
    for text in fresh:
        missing = [LANGUAGES[code] for code, catalog in translations.items() if catalog.gettext(text) == text]
        if missing:
            out.append({"text": text, "missing": missing})
    return out


STEP_KINDS = {"userTask", "task", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask",
              "businessRuleTask", "callActivity", "subProcess", "startEvent", "endEvent", "intermediateCatchEvent",
              "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
              "eventBasedGateway", "decision"}


def steps_added_removed(old_files: dict[str, str], new_files: dict[str, str]) -> tuple[list[str], list[str]]:
    """The names of the steps only the new files have, and of those only the old files have (from the XML, so it
    works on a draft that does not deploy yet)."""
    old, _ = _elements(old_files)
    new, _ = _elements(new_files)
    added = sorted((e.name or e.id) for i, e in new.items() if e.kind in STEP_KINDS and i not in old)
    removed = sorted((e.name or e.id) for i, e in old.items() if e.kind in STEP_KINDS and i not in new)
    return added, removed
