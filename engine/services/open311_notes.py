"""The notes Open311 publishes: fixed wording only, never a value staff or the citizen typed (POPIA).

A diagram's public note may fill in task data (a referral reason, an amount credited); the citizen reads
it on the status page with the access code and in our messages. The public list, which needs no code,
shows the note as written only when it fills in nothing but the reference and the due date; otherwise
it shows the sentence of the status the case had reached at that step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from string import Template

from ..models import CaseEvent
from ..models.enums import EventKind

# Values the system fills in itself: the case reference and the date we aim to resolve it by.
SYSTEM_VALUES = {"reference", "due_date"}
UPDATE = "Update from the municipality."


@dataclass(frozen=True)
class Note:
    datetime: datetime
    description: str
    type: str


def fixed_wording(event: CaseEvent) -> bool:
    """Whether a public update's text comes from the diagram alone (no task data filled in)."""
    source = event.data if isinstance(event.data, dict) else {}
    template = source.get("note")
    if not isinstance(template, str):
        return False  # written before note sources were kept: its text may carry typed values
    return set(Template(template).get_identifiers()) <= SYSTEM_VALUES


def public_notes(events: Iterable[CaseEvent], statuses: Mapping[str, str] | None = None) -> list[Note]:
    """The notes of one case's `PUBLIC_KINDS` events (in time order) as Open311 may publish them; `statuses` are
    the sentences its diagram writes for each status (the process catalog's)."""
    sentences = statuses or {}
    notes: list[Note] = []
    status: str | None = None
    for event in events:
        if event.kind == EventKind.STATUS:
            status = (event.data or {}).get("status") if isinstance(event.data, dict) else event.message
        elif event.kind == EventKind.CLOSED:
            notes.append(Note(event.at, "Closed.", "closed"))
        elif event.kind == EventKind.PUBLIC_UPDATE:
            text = event.message or "" if fixed_wording(event) else sentences.get(status or "", UPDATE)
            notes.append(Note(event.at, text, "update"))
    return notes
