"""Checks a process owner's BPMN and DMN files before anything reaches citizens, in words they understand.

Order: safe, well-formed XML; the BPMN/DMN schema; our rules (conditions, scripts and DMN cells compile in the
restricted environment, timers, lanes and roles, forms, references, dead ends); SpiffWorkflow's own parse.
Every problem names the file, the element's name and id, and the rule it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .call_binding import called_specs
from .camunda_forms import CamundaForm, FormRefused, read_form
from .camunda_forms import form_problems as camunda_form_problems
from .dialect import BathoParser, UnsafeXml, safe_xml
from .lint_calls import call_cycles
from .lint_dmn import dmn_problems
from .lint_events import event_problems
from .lint_external import external_problems
from .lint_forms import form_problems
from .lint_java import java_problems
from .lint_rules import Found, Located, bpmn_problems, decision_ids, process_ids
from .lint_unsupported import unsupported_problems
from .tolerance import DEFAULT_UNASSIGNED_ROLE, file_kind, repeated_tool_attributes, tolerate_bpmn, tolerate_dmn

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one element of one file."""

    file: str
    element_id: str
    element_name: str
    message: str
    rule: str
    severity: str = "error"  # "warning": said in the modeler and the deploy answer, but it does not block a deploy

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def is_warning(problem: Mapping[str, Any]) -> bool:
    """The problem is said but does not stop a deploy."""
    return problem.get("severity") == "warning"


def _problem(file: str, found: Found) -> Problem:
    return Problem(file=file, element_id=found.element_id, element_name=found.element_name,
                   message=found.message, rule=found.rule, severity=found.severity)


def _file_problem(file: str, rule: str, message: str, element_id: str = "", name: str = "") -> Problem:
    return Problem(file=file, element_id=element_id, element_name=name, message=message, rule=rule)


def read_xml(file: str, source: str) -> tuple[Any, Problem | None]:
    """The parsed root of one file, or the problem that stopped it being read (size, entities, syntax)."""
    try:
        return safe_xml(source), None
    except UnsafeXml as exc:
        return None, _file_problem(file, f"xml-{exc.reason}", f"{file}: {exc}")
    except etree.XMLSyntaxError as exc:
        line = f" on line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        text = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
        return None, _file_problem(file, "xml-syntax", f"{file} is not well-formed XML{line}: {text}. "
                                                      "Save it again from the modeler or fix that line.")


def _kind_of(file: str, root: Any) -> str | None:
    ns = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "definitions":
        return None
    if ns == BPMN_NS:
        return "bpmn"
    if "DMN" in ns.upper():
        return "dmn"
    return None


def _spiff_problem(file: str, exc: ValidationException, names: Mapping[str, str], rule: str) -> Problem:
    element = getattr(exc, "id", None) or ""
    name = getattr(exc, "name", None) or names.get(element, "")
    text = str(exc.args[0]).strip() if exc.args else str(exc)
    if rule == "schema":  # the schema validator's words, without namespaces and the list of what it expected
        text = re.sub(r"\{[^}]*\}", "", re.sub(r"\s*Expected is (one of )?\(.*?\)\.?", "", text, flags=re.S))
    line = getattr(exc, "line_number", None)
    where = f' (element "{name or element}", id {element})' if element else (f" (line {line})" if line else "")
    prefix = "does not follow the BPMN/DMN schema" if rule == "schema" else "cannot be run"
    return _file_problem(file, rule, f"{file} {prefix}: {text}{where}", element, name)


def _names(roots: Iterable[Any]) -> dict[str, str]:
    return {el.get("id"): el.get("name") or "" for root in roots for el in root.iter() if el.get("id")}


class _Files:
    """The readable files of one check, sorted by kind."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.problems: list[Problem] = []
        self.bpmn: dict[str, tuple[str, Any]] = {}
        self.dmn: dict[str, tuple[str, Any]] = {}
        self.forms: list[CamundaForm] = []  # Camunda Forms (.form): JSON, read apart from the XML
        for file, source in sorted(files.items()):
            expected = file_kind(file)
            if expected == "form":
                self._add_form(file, source)
                continue
            if expected is None:
                self.problems.append(_file_problem(file, "file-type", f"{file}: only .bpmn, .dmn and .form files "
                                                                     "(also .bpmn20.xml, .dmn11.xml) can be "
                                                                     "deployed."))
                continue
            root, problem = read_xml(file, source)
            if problem is not None:
                self.problems.append(problem)
                continue
            self._say_repeated_attributes(file, source)
            kind = _kind_of(file, root)
            if kind != expected:
                self.problems.append(_file_problem(file, "schema", f"{file} is not a {expected.upper()} file: its "
                                                                   f"root element is <{etree.QName(root).localname}>."))
                continue
            # As found: comments, flows without ids and implicit ends are made explicit (engine/bpmn/tolerance.py);
            # what Batho assumed to do so is said as warnings
            assumed: list[Found] = []
            root = tolerate_bpmn(root, assumed) if kind == "bpmn" else tolerate_dmn(root)
            self.problems += [_problem(file, found) for found in assumed]
            (self.bpmn if kind == "bpmn" else self.dmn)[file] = (source, root)


    def _say_repeated_attributes(self, file: str, source: str) -> None:
        """safe_xml read past Camunda Modeler's metadata written twice on <definitions>: say so."""
        _, repeated = repeated_tool_attributes(source.encode("utf-8"))
        if repeated:
            self.problems.append(Problem(
                file=file, element_id="", element_name="", rule="xml-repeated-attribute", severity="warning",
                message=f"{file}: Camunda Modeler wrote {' and '.join(repeated)} twice on <definitions>, which is "
                        "not well-formed XML; Batho reads the first value and ignores the copy (the stored file "
                        "stays as uploaded). Save it again from the modeler to write them once."))

    def _add_form(self, file: str, source: str) -> None:
        try:
            form = read_form(file, source)
        except FormRefused as refused:
            self.problems.append(_file_problem(file, "form", str(refused)))
            return
        self.problems += [_file_problem(file, "form", problem) for problem in camunda_form_problems(form)]
        self.forms.append(form)


def _add_dmn(parser: BathoParser, files: _Files, names: Mapping[str, str]) -> list[Problem]:
    problems = []
    for file, (_, root) in files.dmn.items():
        try:
            parser.add_dmn_xml(root, file)  # Batho's decision tables (engine/bpmn/dmn.py) read every decision
        except ValidationException as exc:
            problems.append(_spiff_problem(file, exc, names, "schema" if exc.line_number else "parse"))
        except (AttributeError, KeyError, IndexError) as exc:
            problems.append(_file_problem(file, "parse", f"{file} has no usable decision table ({exc})."))
    return problems


def _called_files(file: str, files: _Files) -> list[str]:
    """`file` and the files defining the processes its call activities call, as deploy bundles them."""
    defined_in = {key: name for name, (_, root) in files.bpmn.items() for key in process_ids(root)}
    bundle, todo = [file], [file]
    while todo:
        root = files.bpmn[todo.pop()][1]
        for call in root.iter(f"{{{BPMN_NS}}}callActivity"):
            other = defined_in.get(call.get("calledElement") or "")
            if other and other not in bundle:
                bundle.append(other)
                todo.append(other)
    return bundle


def _parse_bpmn(file: str, files: _Files, names: Mapping[str, str]) -> list[Problem]:
    """Schema validation and SpiffWorkflow's own parse of one BPMN file with the files it needs."""
    parser = BathoParser()
    _add_dmn(parser, files, names)
    for name in _called_files(file, files):
        try:
            parser.add_bpmn_xml(etree.ElementTree(files.bpmn[name][1]), name)
        except ValidationException as exc:
            return [_spiff_problem(file, exc, names, "schema")] if name == file else []
        except KeyError:  # a business rule task without decisionRef: the reference rule has said so
            return []
    root = files.bpmn[file][1]
    executable = [p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("isExecutable") == "true"]
    if not executable:  # engine/bpmn/tolerance_flow.py runs unticked processes: this file defines none
        return [_file_problem(file, "parse", f"{file} defines no process: draw one (a pool or a plain diagram) "
                                             "in the modeler.")]
    problems = []
    for key in executable:
        try:
            called_specs(parser, parser.get_spec(key))  # those outside the files: bound when reached
        except ValidationException as exc:
            problems.append(_spiff_problem(file, exc, names, "parse"))
        except Exception as exc:  # the parser's own crash on odd input is still the owner's to fix
            problems.append(_file_problem(file, "parse", f"{file}: process {key} cannot be read: {exc}"))
    return problems


def _spiff_parse(files: _Files, names: Mapping[str, str]) -> list[Problem]:
    problems = _add_dmn(BathoParser(), files, names)
    for file in files.bpmn:
        problems += _parse_bpmn(file, files, names)
    return problems


def lint(files: Mapping[str, str], roles: Iterable[tuple[str, str]], users: Iterable[str] | None = None,
         departments: Iterable[str] | None = None, unassigned_role: str = DEFAULT_UNASSIGNED_ROLE) -> list[Problem]:
    """Every problem in `files` (name -> XML text); `roles` are the (key, name) pairs lanes and candidate groups
    may name, `users` and `departments` those an assignee, candidate users and groups may name (None: unchecked);
    `unassigned_role` works the tasks nobody is named for (said as a warning)."""
    found = _Files(files)
    problems = list(found.problems)
    decisions = {d for _, root in found.dmn.values() for d in decision_ids(root)}
    processes = {p for _, root in found.bpmn.values() for p in process_ids(root)}
    names = _names(root for _, root in [*found.bpmn.values(), *found.dmn.values()])
    role_list = list(roles)
    user_set = set(users) if users is not None else None
    department_set = set(departments) if departments is not None else None
    forms = {f.file: f.id for f in found.forms}  # the Camunda Forms deployed with the diagrams
    for file, (_, root) in found.bpmn.items():
        context = Located(decisions=decisions, processes=processes, roles=role_list, users=user_set,
                          departments=department_set, unassigned_role=unassigned_role)
        problems += [_problem(file, f) for f in bpmn_problems(root, context)]
        problems += [_problem(file, f) for f in [*java_problems(root), *unsupported_problems(root),
                                                      *external_problems(root), *form_problems(root, forms),
                                                      *event_problems(root)]]
    for file, (_, root) in found.dmn.items():
        problems += [_problem(file, f) for f in dmn_problems(root)]
    problems += [_problem(file, f) for file, f in call_cycles({file: root for file, (_, root) in found.bpmn.items()})]
    # Spiff's parse mostly repeats one of ours in its own words: keep ours, which say what to do.
    troubled = {p.file for p in problems if p.severity != "warning"}
    problems += [p for p in _spiff_parse(found, names) if p.rule == "schema" or p.file not in troubled]
    return problems
