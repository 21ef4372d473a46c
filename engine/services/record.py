"""The case record: each completed step with who, when and the values it recorded, in the words of its form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bpmn.forms import Field
from ..bpmn.specs import ParsedProcess
from ..bpmn.vocabulary import SHOWS
from ..composition import Batho
from ..formatting import date_time, long_date, money
from ..models import Case, CaseEvent, ProcessInstance, User
from ..models.enums import EventKind

HIDDEN = "[contact details hidden]"
# An approval's decision, said as the history says it (the diagrams' decision choices are approve and reject).
VERDICTS = {"approve": "approved", "reject": "rejected"}


@dataclass(frozen=True)
class Value:
    """One recorded value: its field id, the form's label, the stored value and how people read it."""

    id: str
    label: str
    value: Any
    display: str
    long: bool = False  # text of several lines: shown with its line breaks and paragraphs


@dataclass(frozen=True)
class Entry:
    """One step of the record: the lodged form or a completed task."""

    event_id: int
    step: str
    title: str
    by: str | None
    at: datetime
    when: str
    values: tuple[Value, ...]
    recorded: frozenset[str]  # every field the step answered, blank ones too (a blank answer replaces an old one)
    verdict: str | None = None
    comment: str | None = None

    def value(self, field_id: str) -> Value | None:
        return next((v for v in self.values if v.id == field_id), None)


@dataclass(frozen=True)
class Shown:
    """An earlier value a task shows first (its `shows` property), with the step that recorded it."""

    entry: Entry
    value: Value

    def as_json(self) -> dict[str, Any]:
        return {"id": self.value.id, "label": self.value.label, "value": self.value.value,
                "display": self.value.display, "step": self.entry.step, "by": self.entry.by, "at": self.entry.at}


@dataclass(frozen=True)
class Record:
    entries: tuple[Entry, ...] = ()

    def latest(self, field_id: str) -> Shown | None:
        """The newest answer to `field_id`; None when there is none or the newest one left it blank."""
        for entry in reversed(self.entries):
            if field_id in entry.recorded:
                found = entry.value(field_id)
                return Shown(entry, found) if found else None
        return None

    def shown(self, names: str | None) -> list[Shown]:
        """The values a `shows` property names (comma-separated), newest answer of each, in its order."""
        wanted = [n.strip() for n in (names or "").split(",") if n.strip()]
        return [s for s in (self.latest(n) for n in wanted) if s is not None]

    @property
    def verdicts(self) -> dict[int, tuple[str, str | None]]:
        """Event id -> (approved or rejected, the comment), for the history."""
        return {e.event_id: (e.verdict, e.comment) for e in self.entries if e.verdict}

    def as_json(self) -> list[dict[str, Any]]:
        return [{"step": e.step, "title": e.title, "by": e.by, "at": e.at, "verdict": e.verdict,
                 "values": [{"id": v.id, "label": v.label, "value": v.value, "display": v.display}
                            for v in e.values]} for e in self.entries]


def _is_money(field: Field) -> bool:
    # The form says so (field property money=true) or, in diagrams written before it, its label names rand.
    return field.type == "decimal" and (field.money or "rand" in field.label.lower())


def display(field: Field | None, value: Any) -> str:
    """A value as people read it: choice names, Yes/No, rand as R 45 000,00, dates in words."""
    if field is None:
        return str(value)
    if field.type == "enum":
        return next((o.name for o in field.options if o.id == str(value)), str(value))
    if field.type == "boolean":
        return "Yes" if value is True or str(value).lower() == "true" else "No"
    if _is_money(field):
        return money(value)
    if field.type == "date":
        try:
            return long_date(str(value))
        except ValueError:
            return str(value)
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Redactor:
    """Hides the citizen's name, email and phone inside recorded text from those who may not see them (POPIA)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        parts = [re.escape(s) if not _is_phone(s) else _phone_pattern(s) for s in secrets if s and s.strip()]
        self.pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __call__(self, text: str) -> str:
        return self.pattern.sub(HIDDEN, text) if self.pattern else text


def _is_phone(text: str) -> bool:
    return sum(c.isdigit() for c in text) >= 7 and not re.search(r"[A-Za-z@]", text)


def _phone_pattern(phone: str) -> str:
    # 058 813 9700, 0588139700 and 058-813-9700 are the same number.
    return r"[\s()-]*".join(re.escape(d) for d in phone if d.isdigit())


def hidden_contact(case: Case | None, may_see: bool) -> tuple[str, ...]:
    """The contact details to hide from this viewer (none when they may see them)."""
    if case is None or may_see:
        return ()
    return tuple(s for s in (case.citizen_name, case.citizen_email, case.citizen_phone) if s)


def _values(fields: tuple[Field, ...], data: dict[str, Any], redact: _Redactor) -> tuple[Value, ...]:
    by_id = {f.id: f for f in fields}
    order = [f.id for f in fields if f.id in data] + [k for k in data if k not in by_id]
    result = []
    for key in order:
        raw, field = data[key], by_id.get(key)
        if _blank(raw) or (field is not None and field.readonly):
            continue
        shown = redact(display(field, raw))
        value = raw if shown == display(field, raw) else shown
        result.append(Value(key, field.label if field else key, value, shown, bool(field and field.multiline)))
    return tuple(result)


def _verdict(fields: tuple[Field, ...], values: tuple[Value, ...]) -> tuple[str | None, str | None]:
    enums = {f.id for f in fields if f.type == "enum"}
    verdict = next((VERDICTS[str(v.value)] for v in values if v.id in enums and str(v.value) in VERDICTS), None)
    if verdict is None:
        return None, None
    texts = {f.id for f in fields if f.type == "string"}
    return verdict, next((v.display for v in values if v.id in texts), None)


def _start_values(case: Case, event: CaseEvent, process: ParsedProcess) -> dict[str, Any]:
    stored = (event.data or {}).get("values")
    if isinstance(stored, dict):
        return stored
    # Cases lodged before the start event kept its values: what the case row itself holds.
    own = {"category": case.category, "description": case.summary, "location": case.location}
    return {f.id: own[f.id] for f in process.start_form if f.id in own}


def _entry(app: Batho, case: Case, event: CaseEvent, by: str | None, process: ParsedProcess,
           redact: _Redactor) -> Entry | None:
    if event.kind == EventKind.STARTED:
        fields, data = process.start_form, _start_values(case, event, process)
        step, title = getattr(process.start_event, "bpmn_id", None) or "start", f"{process.name} lodged"
        by = by or "The citizen"
    else:
        try:
            fields = process.form_of(event.task_name or "")
        except KeyError:  # a step of an older diagram than the one its instance was moved to
            fields = ()
        data, step, title = dict(event.data or {}), event.task_name or "", event.title or event.task_name or ""
    values = _values(fields, data, redact)
    if event.kind == EventKind.STARTED and not values:
        return None
    verdict, comment = _verdict(fields, values)
    return Entry(event.id, step, title, by, event.at, date_time(event.at, tz=app.config.timezone), values,
                 frozenset(data), verdict, comment)


def record_in(app: Batho, session: Session, case: Case | None, hide: tuple[str, ...] = ()) -> Record:
    """The record of `case` in the caller's session; `hide`: contact details to keep out of it."""
    if case is None:
        return Record()
    rows = session.execute(select(CaseEvent, User.full_name).outerjoin(User, User.id == CaseEvent.actor_id)
                           .where(CaseEvent.case_id == case.id,
                                  CaseEvent.kind.in_((EventKind.STARTED, EventKind.COMPLETED)))
                           .order_by(CaseEvent.at, CaseEvent.id))
    processes: dict[int, ParsedProcess] = {}
    redact = _Redactor(hide)
    entries = []
    for event, by in rows:
        if event.instance_id is None:
            continue
        if event.instance_id not in processes:
            instance = session.get(ProcessInstance, event.instance_id)
            if instance is None:
                continue
            processes[event.instance_id] = app.specs.get(instance.version)
        entry = _entry(app, case, event, by, processes[event.instance_id], redact)
        if entry is not None:
            entries.append(entry)
    return Record(tuple(entries))


def shows_of(properties: dict[str, str]) -> str | None:
    """A task's `shows` property: the earlier values it shows first."""
    return properties.get(SHOWS)
