"""The lint's check of what a diagram declares against the vocabulary: a mistyped property is no silent no-op."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from . import vocabulary as v
from .dialect import CAMUNDA_NS
from .lint_text import KINDS, Found, label

PROPERTY = f"{{{CAMUNDA_NS}}}property"


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def _near(name: str, kind: str) -> str:
    known = v.names_of(kind)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f" Did you mean {close[0]}?"
    if name.lower().startswith("status"):
        return " A status sentence is written status.<code>, like status.registered."
    return f" Batho reads: {', '.join(known)}."


def _place(term: v.Term) -> str:
    return v.PLACES[term.elements]


def _is_process_start(element: Any) -> bool:
    parent = element.getparent()
    return _local(element) == "startEvent" and parent is not None and _local(parent) == "process"


def _on_right_element(term: v.Term, element: Any) -> bool:
    if term.elements == v.PROCESS_START:
        return _is_process_start(element)
    return _local(element) in term.elements


def _declared(owner: Any, name: str, value: str, kind: str, field: str = "") -> Iterator[Found]:
    """Problems with one declaration `name`=`value` on `owner` (on its form field `field`, if given)."""
    of_field = f'form field "{field}", ' if field else ""
    where = f"{label(owner)}: {of_field}property"
    term = v.term(name, kind)
    if term is None:
        if difflib.get_close_matches(name, v.names_of(kind), n=1, cutoff=0.6) or name.lower().startswith("status"):
            # Nearly one of ours: a typo that would silently do nothing.
            yield Found(owner, "property", f'{where} "{name}" is not one Batho knows, so it would do nothing.'
                                           f"{_near(name, kind)}")
        else:
            # Camunda keeps any property for Java code and plugins; a diagram made for it may carry its own.
            yield Found(owner, "property", f'{where} "{name}" is not one Batho knows; Batho ignores it (in Camunda '
                                           f"it would be read by Java code or a plugin).{_near(name, kind)}",
                        severity="warning")
        return
    if not field and not _on_right_element(term, owner):  # a field property always sits on its form field
        yield Found(owner, "property", f'{where} "{name}" only works on {_place(term)}, so here it would do '
                                       "nothing. Move it there or remove it.")
        return
    problem = v.code(name[len(term.name):]) if term.prefix else None
    if problem:
        yield Found(owner, "property", f'{where} "{name}": after the dot comes the status code; {problem}.')
    problem = term.check(value)
    if problem:
        yield Found(owner, "property", f'{label(owner)}: {of_field}{name} is "{value}", which Batho cannot use: '
                                       f"{problem}.")


def _field_owner(form_field: Any) -> Any:
    """The task or event whose form the field belongs to (named in the message) and the field's own label."""
    node = form_field
    while node is not None and _local(node) not in KINDS:
        node = node.getparent()
    return node if node is not None else form_field


def _element_properties(root: Any) -> Iterator[Found]:
    for props in root.iter(f"{{{CAMUNDA_NS}}}properties"):
        holder = props.getparent()  # extensionElements, or a formField
        if holder is None:
            continue
        if _local(holder) == "formField":
            owner = _field_owner(holder)
            for prop in props.iter(PROPERTY):
                name = prop.get("id") or prop.get("name") or ""
                yield from _field_property(owner, holder, name, prop.get("value") or "")
            continue
        owner = holder.getparent()
        if owner is None:
            continue
        for prop in props.iter(PROPERTY):
            yield from _declared(owner, prop.get("name") or "", prop.get("value") or "", "property")


def _field_property(owner: Any, form_field: Any, name: str, value: str) -> Iterator[Found]:
    field = form_field.get("label") or form_field.get("id") or "(no id)"
    yield from _declared(owner, name, value, "field property", field)


def _attributes(root: Any) -> Iterator[Found]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in element.attrib:
            qname = etree.QName(attribute)
            if qname.namespace != CAMUNDA_NS or qname.localname not in v.names_of("attribute"):
                continue
            term = v.term(qname.localname, "attribute")
            if term is not None and not _on_right_element(term, element):
                yield Found(element, "property", f"{label(element)}: camunda:{qname.localname} only works on "
                                                 f"{_place(term)}, so here it would do nothing. Move it there.")


def _properties_of(element: Any) -> dict[str, str]:
    found = element.iterfind(f"./{{*}}extensionElements/{{{CAMUNDA_NS}}}properties/{{{CAMUNDA_NS}}}property")
    return {prop.get("name") or "": prop.get("value") or "" for prop in found}


def _status_sentences(root: Any) -> Iterator[Found]:
    """Once a process writes sentences for its statuses, every status it sets needs one (registered too)."""
    for process in (el for el in root.iter() if _local(el) == "process"):
        starts = [el for el in process if _local(el) == "startEvent"]
        declared = {v.status_code(name) for start in starts for name in _properties_of(start)} - {None}
        if not declared:
            continue
        if "registered" not in declared:
            yield Found(starts[0], "property", f"{label(starts[0])}: every case starts as registered; add "
                                               "status.registered with the sentence citizens read for it.")
        for node in process.iter():
            status = _properties_of(node).get(v.CASE_STATUS) if _local(node) in v.NODES else None
            if status and status not in declared:
                yield Found(node, "property", f'{label(node)} sets the status "{status}", which has no sentence '
                                              f"for citizens. Add status.{status} to the start event of "
                                              f"{label(process)}.")


def _references(root: Any) -> Iterator[Found]:
    """`shows` names fields some form of the diagram asks for; `assignTo` names a user or manual task of it."""
    fields = {f.get("id") for f in root.iter(f"{{{CAMUNDA_NS}}}formField")}
    tasks = {el.get("id") for el in root.iter() if _local(el) in v.HUMAN_TASKS}
    for node in (el for el in root.iter() if _local(el) in v.HUMAN_TASKS):
        props = _properties_of(node)
        unknown = [n.strip() for n in props.get(v.SHOWS, "").split(",") if n.strip() and n.strip() not in fields]
        if unknown and not v.data_names(props[v.SHOWS]):
            yield Found(node, "property", f"{label(node)}: shows names {', '.join(unknown)}, which no form of this "
                                          "diagram asks for, so nothing would be shown. Use a form field's id.")
        rule = v.ASSIGN_RULE.match(props.get(v.ASSIGN_TO, "").strip())
        if rule and rule.group(1) not in tasks:
            yield Found(node, "property", f"{label(node)}: assignTo names {rule.group(1)}, which is not a user "
                                          "task of this diagram, so the task would go to the whole group. Use the "
                                          "id of the earlier task.")


def vocabulary_problems(root: Any) -> Iterator[Found]:
    """Unknown property names, properties on elements that do not read them, and values Batho cannot use."""
    yield from _element_properties(root)
    yield from _attributes(root)
    yield from _status_sentences(root)
    yield from _references(root)
