"""The kinds of case events and the states of process instances (the columns stay strings; these equal them)."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """What a `CaseEvent` records."""

    STARTED = "started"
    CAPTURED = "captured"  # a staff member typed the citizen's case in (phone, walk-in, counter)
    COMPLETED = "completed"
    CLAIMED = "claimed"
    UNCLAIMED = "unclaimed"
    REASSIGNED = "reassigned"
    TIMER = "timer"
    ESCALATION = "escalation"
    STATUS = "status"
    PUBLIC_UPDATE = "public_update"
    ERROR = "error"
    CLOSED = "closed"
    RETRIED = "retried"
    CANCELLED = "cancelled"
    MIGRATED = "migrated"
    LINKED_CASE = "linked_case"
    CREDIT_HOLD = "credit_hold"
    DEVIATION = "deviation"
    RATED = "rated"
    COMMENT = "comment"  # a staff note on the case, not seen by the citizen
    MESSAGE = "message"  # a note to the citizen, shown on the status page
    RECEIVED = "received"  # a BPMN message or signal from outside reached the instance (engine/services/messages.py)
    REOPENED = "reopened"  # the citizen said "still not fixed" and the case went back to its department
    CITIZEN_NOTE = "citizen_note"  # the citizen added information to the open case (with the access code)
    CODE_RESENT = "code_resent"  # the access code was sent again to the contact on file
    EXTERNAL = "external"  # a worker completed, failed or threw a BPMN error from an external task


class InstanceStatus(StrEnum):
    """Where a `ProcessInstance` stands."""

    RUNNING = "running"
    COMPLETED = "completed"
    ERROR = "error"
    CANCELLED = "cancelled"


# A person acted on the case: the first of these sets `cases.acknowledged_at`.
ACKNOWLEDGING_KINDS = (EventKind.CLAIMED, EventKind.COMPLETED)
# Events Open311 may publish (in fixed wording).
PUBLIC_KINDS = (EventKind.STATUS, EventKind.PUBLIC_UPDATE, EventKind.CLOSED)
# The case status of a case closed as a repeat of another: the figures count it apart, never as resolved.
DUPLICATE_STATUS = "duplicate"
