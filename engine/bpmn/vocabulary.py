"""Every camunda:property and camunda attribute Batho reads from a diagram: meaning, place, value check, reader."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from string import Template

# Property names (camunda:property name="..." in camunda:properties); readers use these constants.
CASE_STATUS = "caseStatus"
PUBLIC_NOTE = "publicNote"
ESCALATE_TO = "escalateTo"
CLOSES_CASE = "closesCase"
REOPENS_CASE = "reopensCase"
CANDIDATE_DEPARTMENT = "candidateDepartment"
SHOWS = "shows"
SHOWS_REPORT = "showsReport"
ASSIGN_TO = "assignTo"
START_PROCESS = "startProcess"
START_DATA = "startData"
LINK_SLIP = "linkSlip"
CREDIT_HOLD = "creditHold"
CREDIT_HOLD_GRACE_DAYS = "creditHoldGraceDays"
DEVIATION = "deviation"
FILE_SLIP = "fileSlip"
COLLECT_SLIPS = "collectSlips"
RECORD_SLIP = "recordSlip"
LODGE = "lodge"
TITLE = "title"
INTRODUCTION = "introduction"
ORDER = "order"
STATUS_PREFIX = "status."
OPEN_DETAILS = "openDetails"
CONTACT_REQUIRED = "contactRequired"
OPEN311 = "open311"
# Form-field properties (camunda:property id="..." inside a camunda:formField).
MULTILINE = "multiline"
HELP = "help"
CASE_REFERENCE = "caseReference"
MONEY = "money"
# Attributes of bpmn:process (Camunda 7's own names).
STARTER_GROUPS = "candidateStarterGroups"
STARTER_USERS = "candidateStarterUsers"

LODGE_VALUES = ("citizen", "staff", "system")
CASE_REFERENCE_VALUES = ("open_or_recent",)
DEFAULT_LODGE = "staff"
DEFAULT_ORDER = 100

# Elements whose camunda:properties Batho's parser reads (engine/bpmn/dialect.py and SpiffWorkflow's Camunda
# parser); on any other element (a service task, a gateway, a path) a property would silently do nothing.
NODES = ("userTask", "manualTask", "task", "businessRuleTask", "scriptTask", "callActivity", "subProcess",
         "transaction", "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
         "boundaryEvent")
HUMAN_TASKS = ("userTask", "manualTask")
PROCESS_START = ("startEvent",)  # the start event of the process itself, not of a subprocess
FORM_FIELD = ("formField",)
PROCESS = ("process",)

Check = Callable[[str], str | None]
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def one_of(*values: str, ignore_case: bool = False) -> Check:
    """A check that the value is one of `values`."""
    def check(value: str) -> str | None:
        given = value.strip().lower() if ignore_case else value
        return None if given in values else f"use {', '.join(values[:-1])} or {values[-1]}"
    return check


def data_name(value: str) -> str | None:
    return None if NAME.match(value.strip()) else "name one data field (letters, digits and _), like slip"


def code(value: str) -> str | None:
    return None if CODE.match(value) else "write a code in small letters, digits and _, like action_scheduled"


def text(value: str) -> str | None:
    return None if value.strip() else "write the text citizens read"


def note(value: str) -> str | None:
    if not value.strip():
        return "write the message the citizen reads"
    if not Template(value).is_valid():
        return "write fields as $name or ${name}, and a dollar sign itself as $$"
    return None


def whole_number(value: str) -> str | None:
    return None if value.strip().isdigit() else "write a whole number of days, like 21"


def mapping(value: str) -> str | None:
    for part in value.split(","):
        target, _, source = part.strip().partition("=")
        if not NAME.match(target.strip()) or (source and not NAME.match(source.strip())):
            return "write field=data_name pairs separated by commas, like category=slip_category, description"
    return None


def data_names(value: str) -> str | None:
    parts = [p.strip() for p in value.split(",")]
    if all(NAME.match(p) for p in parts):
        return None
    return "name data fields separated by commas, like findings, corrective_action"


ASSIGN_RULE = re.compile(r"^previous:([A-Za-z_][A-Za-z0-9_.-]*)$")


def assign_rule(value: str) -> str | None:
    return None if ASSIGN_RULE.match(value.strip()) else "write previous: and the id of an earlier task, like " \
                                                             "previous:Task_investigate"


def names(value: str) -> str | None:
    return None  # any comma-separated list; the lint checks that groups are roles


TRUE_FALSE = one_of("true", "false", ignore_case=True)


def case_rule(value: str) -> str | None:
    return None if value in CASE_REFERENCE_VALUES else "use open_or_recent (the only rule so far)"


@dataclass(frozen=True)
class Term:
    """One thing a diagram may declare: its name, meaning, where it goes, its values and who reads it."""

    name: str
    meaning: str
    elements: tuple[str, ...]
    values: str
    check: Check
    readers: tuple[str, ...]
    kind: str = "property"  # "property", "field property" (camunda:property id=...) or "attribute"

    @property
    def prefix(self) -> bool:
        return self.name.endswith(".")


TERMS: tuple[Term, ...] = (
    Term(CASE_STATUS, "The case status once this step is done (citizens read the start event's `status.<code>`).",
         NODES, "a code: small letters, digits, _", code, ("engine.effects",)),
    Term(PUBLIC_NOTE, "A message to the citizen, recorded on the case; $name fields come from the task data.",
         NODES, "text with $name fields", note, ("engine.effects", "web.bpmn_messages")),
    Term(ESCALATE_TO, "Records an escalation of the case to this level (supervisor, manager).", NODES,
         "a code", code, ("engine.effects",)),
    Term(CLOSES_CASE, "The case is closed here (its closing date set and a closed event recorded) though the process "
         "goes on, e.g. waiting 30 days for the citizen to say it is not fixed; without it a case closes when its "
         "process ends.", NODES, "true, false", TRUE_FALSE, ("engine.effects",)),
    Term(REOPENS_CASE, "A closed case opens again here (its closing date cleared, a reopened event recorded).", NODES,
         "true, false", TRUE_FALSE, ("engine.effects",)),
    Term(CANDIDATE_DEPARTMENT, "The data field naming the department whose staff may work this task.", HUMAN_TASKS,
         "a data name", data_name, ("engine.tasklist",)),
    Term(SHOWS, "The earlier values this task shows first, above its form (what is being approved or answered); "
         "the newest answer of each, with who gave it and when.", HUMAN_TASKS, "data names, comma-separated",
         data_names, ("engine.services.record",)),
    Term(SHOWS_REPORT, "The data field holding a link to a Council report (`/reports/council?period=2026`): the task "
         "page opens with that report and what its figures suggest changing (standards often missed, categories "
         "that grew).", HUMAN_TASKS, "a data name", data_name, ("engine.services.tasks",)),
    Term(ASSIGN_TO, "Gives the task to the person who last completed that earlier task of the case, if they may "
         "still work it (a rejected proposal goes back to the one who made it); otherwise to the lane's group.",
         HUMAN_TASKS, "previous:<task id>", assign_rule, ("engine.tasklist",)),
    Term(START_PROCESS, "Opens a new case of this process, linked to this one.", NODES, "a process key",
         data_name, ("engine.node_actions",)),
    Term(START_DATA, "What the new case of startProcess is given: its start-form fields from this step's data.",
         NODES, "field=data_name, ...", mapping, ("engine.node_actions",)),
    Term(LINK_SLIP, "The data holding a suggestion slip: the new case of startProcess takes its contact details.",
         NODES, "a data name", data_name, ("engine.node_actions",)),
    Term(CREDIT_HOLD, "Starts or ends the credit-control hold on the disputed amount (MSA s102(2)).", NODES,
         "start, end", one_of("start", "end"), ("engine.node_actions",)),
    Term(CREDIT_HOLD_GRACE_DAYS, "With creditHold=end: calendar days the hold lasts after this step.", NODES,
         "a whole number", whole_number, ("engine.node_actions",)),
    Term(DEVIATION, "Opens a deviation (the resolution standard was missed) or records its reason and remedy.",
         NODES, "open, record", one_of("open", "record"), ("engine.node_actions",)),
    Term(FILE_SLIP, "Files the paper slip typed into this step's data in the suggestion box (the slip's channel).",
         NODES, "a channel code, like paper", code, ("engine.node_actions",)),
    Term(COLLECT_SLIPS, "Puts every slip not yet in a run into this run, in this data field.", NODES, "a data name",
         data_name, ("engine.node_actions",)),
    Term(RECORD_SLIP, "Records the classification of the slip in this data field and publishes its outcome.",
         NODES, "a data name", data_name, ("engine.node_actions",)),
    Term(LODGE, "Who starts the process: citizens (web form, Open311), staff only, or only Batho itself.",
         PROCESS_START, f"{', '.join(LODGE_VALUES)} (default {DEFAULT_LODGE})", one_of(*LODGE_VALUES),
         ("engine.services.catalog", "engine.bpmn.specs")),
    Term(TITLE, "What citizens choose on the start page, and the title of its form.", PROCESS_START, "text",
         text, ("engine.services.catalog", "web.bpmn_messages")),
    Term(INTRODUCTION, "The line under the title on the citizen start page.", PROCESS_START, "text", text,
         ("engine.services.catalog", "web.bpmn_messages")),
    Term(ORDER, "Where the process comes on the citizen start page, lower first.", PROCESS_START,
         f"a whole number (default {DEFAULT_ORDER})", whole_number, ("engine.services.catalog",)),
    Term(STATUS_PREFIX, "The sentence a citizen reads for a case status (`status.registered` for registered).",
         PROCESS_START, "text", text, ("engine.services.catalog", "web.bpmn_messages")),
    Term(OPEN_DETAILS, "The public lists show the description and address of its cases (the form says so).",
         PROCESS_START, "true, false (default false)", TRUE_FALSE, ("engine.services.catalog",)),
    Term(CONTACT_REQUIRED, "The citizen must give an email address or a phone number.", PROCESS_START,
         "true, false (default false)", TRUE_FALSE, ("engine.services.cases",)),
    Term(OPEN311, "false keeps the process out of the Open311 service list.", PROCESS_START,
         "true, false (default true)", TRUE_FALSE, ("engine.services.catalog",)),
    Term(MULTILINE, "The text field is a box of several lines.", FORM_FIELD, "true, false", TRUE_FALSE,
         ("engine.bpmn.forms",), "field property"),
    Term(HELP, "A help text shown under the field (and as the Open311 attribute's description).", FORM_FIELD,
         "text", text, ("engine.bpmn.forms", "web.bpmn_messages"), "field property"),
    Term(CASE_REFERENCE, "On a task's form: the reference of the case this one repeats, open or closed within the "
         "last 90 days and not itself a duplicate, checked when the task is completed; the two cases are linked both "
         "ways and the task data gets `<field>_status`, the sentence of that case's status.", FORM_FIELD,
         "open_or_recent", case_rule,
         ("engine.bpmn.forms", "engine.services.duplicates"), "field property"),
    Term(MONEY, "The decimal field is an amount in rand: it takes 45 000,00 or R45 000, asks before reading 45,000, "
         "and shows as R 45 000,00 on pages, notes and messages.", FORM_FIELD, "true, false", TRUE_FALSE,
         ("engine.bpmn.forms", "engine.effects"), "field property"),
    Term(STARTER_GROUPS, "The roles whose members may start the process by hand (empty: no one).", PROCESS,
         "role keys, comma-separated", names, ("engine.bpmn.dialect", "engine.authz"), "attribute"),
    Term(STARTER_USERS, "The usernames that may start the process by hand.", PROCESS, "usernames, comma-separated",
         names, ("engine.bpmn.dialect", "engine.authz"), "attribute"),
)


PLACES = {NODES: "tasks (not service, send or receive tasks), events, subprocesses",
          HUMAN_TASKS: "user and manual tasks", PROCESS_START: "the process's start event", FORM_FIELD: "form fields",
          PROCESS: "the process"}
HOW = {"property": "camunda:property name", "field property": "form field camunda:property id",
       "attribute": "camunda: attribute"}


def markdown_table() -> str:
    """The README's table of diagram properties, generated from `TERMS` so the two cannot drift."""
    lines = ["| Name | Declared as | On | Values | Meaning | Read by |", "|---|---|---|---|---|---|"]
    for t in TERMS:
        shown = "status.<code>" if t.prefix else t.name
        readers = ", ".join(f"`{r}`" for r in t.readers)
        lines.append(f"| `{shown}` | {HOW[t.kind]} | {PLACES[t.elements]} | {t.values} | {t.meaning} | {readers} |")
    return "\n".join(lines) + "\n"


def term(name: str, kind: str = "property") -> Term | None:
    """The term a property (or field property, or attribute) name stands for; status.<code> is one term."""
    for candidate in TERMS:
        if candidate.kind != kind:
            continue
        if candidate.name == name or (candidate.prefix and name.startswith(candidate.name)):
            return candidate
    return None


def names_of(kind: str) -> list[str]:
    return [t.name for t in TERMS if t.kind == kind]


def status_code(name: str) -> str | None:
    """`registered` for the property name status.registered; None for any other name."""
    return name[len(STATUS_PREFIX):] if name.startswith(STATUS_PREFIX) else None


if __name__ == "__main__":  # python -m engine.bpmn.vocabulary: the README's table
    print(markdown_table(), end="")
