"""Delivering BPMN messages and signals from outside to waiting instances, or starting the processes they start.

The shape follows Camunda 7's `POST /message`: a message name, a business key (here the case reference) or
correlation keys (process variables that must be equal), variables merged into the instance, and `all` to reach
every match. A message no instance waits for, or one that matches several without `all`, is refused with a sentence
(Camunda's MismatchingMessageCorrelationException). Signals reach every waiting instance and signal start event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import instances
from ..authz import Identity, require_event_sender
from ..bpmn import messages as bpmn_messages
from ..composition import Batho
from ..errors import DomainError, ValidationFailed
from ..lodging import latest_version, open_case
from ..models import Case, CaseEvent, EventWait, ProcessInstance, ProcessVersion
from ..models.enums import EventKind, InstanceStatus

MESSAGE, SIGNAL = bpmn_messages.MESSAGE, bpmn_messages.SIGNAL
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_VARIABLES = 50


class MismatchingCorrelation(DomainError):
    """No instance waits for the message, or several do and `all` was not asked for."""


@dataclass(frozen=True)
class Delivered:
    """One instance the message or signal reached (or started)."""

    instance_id: int
    process_key: str
    case_reference: str | None
    started: bool


def checked_variables(raw: Any, field: str = "processVariables") -> dict[str, Any]:
    """Variables as a JSON object of names to values; Camunda's typed form `{"x": {"value": 1, "type": "Integer"}}`
    is read as its value."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationFailed({field: f"{field} must be an object of variable names and values."})
    if len(raw) > MAX_VARIABLES:
        raise ValidationFailed({field: f"Send at most {MAX_VARIABLES} variables at a time."})
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if not NAME.match(name):
            raise ValidationFailed({field: f"{name!r} is not a variable name: use letters, digits and _, starting "
                                           "with a letter."})
        if isinstance(value, dict) and "value" in value:  # Camunda's typed value
            value = value["value"]
        if isinstance(value, str) and len(value) > 4000:
            raise ValidationFailed({field: f"{name} is too long: at most 4000 characters."})
        out[name] = value
    return out


def correlate(app: Batho, who: Identity | None, name: str, business_key: str | None = None,
              correlation_keys: dict[str, Any] | None = None, variables: dict[str, Any] | None = None,
              all_matches: bool = False) -> list[Delivered]:
    """Deliver the message `name` (an integration account or administrator sends it); which instances got it."""
    require_event_sender(who)
    with app.db.transaction() as session:
        return correlate_in(app, session, name, business_key, correlation_keys or {}, variables or {},
                            all_matches, who.id if who else None)


def _waiting(session: Session, kind: str, name: str, reference: str | None) -> list[int]:
    query = (select(EventWait.instance_id).join(ProcessInstance, ProcessInstance.id == EventWait.instance_id)
             .where(EventWait.kind == kind, EventWait.name == name, ProcessInstance.status == InstanceStatus.RUNNING))
    if reference is not None:
        query = query.join(Case, Case.id == ProcessInstance.case_id).where(Case.reference == reference.strip().upper())
    return sorted(set(session.scalars(query.order_by(EventWait.instance_id))))


def _matches(running: instances.Running, kind: str, name: str, keys: dict[str, Any]) -> bool:
    found = bpmn_messages.correlation_data(running.workflow, kind, name)
    return any(all(data.get(k) == v for k, v in keys.items()) for data in found)


def _deliver(app: Batho, session: Session, running: instances.Running, kind: str, name: str,
             variables: dict[str, Any], actor_id: int | None, started: bool) -> Delivered:
    bpmn_messages.deliver(running.workflow, kind, name, variables)
    session.add(CaseEvent(case_id=running.row.case_id, instance_id=running.row.id, kind=EventKind.RECEIVED,
                          actor_id=actor_id, at=app.now(), title=name,
                          data={"kind": kind, "name": name, "variables": sorted(variables)}))
    instances.advance(app, session, running, actor_id)
    return Delivered(running.row.id, running.row.version.key, running.case.reference if running.case else None,
                     started)


def correlate_in(app: Batho, session: Session, name: str, business_key: str | None, keys: dict[str, Any],
                 variables: dict[str, Any], all_matches: bool, actor_id: int | None) -> list[Delivered]:
    """`correlate` in the caller's transaction (the citizen's "still not fixed" sends its message this way)."""
    if not name.strip():
        raise ValidationFailed({"messageName": "Give the messageName the process waits for."})
    candidates = _waiting(session, MESSAGE, name, business_key)
    matched = []
    for instance_id in candidates:
        running = instances.load(app, session, instance_id)
        if _matches(running, MESSAGE, name, keys):
            matched.append(running)
    if len(matched) > 1 and not all_matches:
        raise MismatchingCorrelation(
            f"{len(matched)} process instances wait for the message {name!r}; send all: true to reach every one, or "
            "narrow it with businessKey (the case reference) or correlationKeys.")
    if matched:
        return [_deliver(app, session, r, MESSAGE, name, variables, actor_id, False) for r in matched]
    if business_key is None and not keys:
        started = _start_by(app, session, MESSAGE, name, variables, actor_id, all_matches)
        if started:
            return started
    which = f" for case {business_key.strip().upper()}" if business_key else " with those correlationKeys" if keys \
        else ""
    raise MismatchingCorrelation(f"No process instance waits for the message {name!r}{which}, and no process starts "
                                 "with it. Check the name and the reference, or whether the process has moved on.")


def _start_by(app: Batho, session: Session, kind: str, name: str, variables: dict[str, Any],
              actor_id: int | None, all_matches: bool = True) -> list[Delivered]:
    """Start the processes (newest versions) whose start event waits for `name`."""
    keys = sorted(set(session.scalars(select(ProcessVersion.key))))
    versions = [v for k in keys if (v := latest_version(session, k)) is not None
                and (kind, name) in bpmn_messages.start_waits(app.specs.get(v))]
    if kind == MESSAGE and len(versions) > 1 and not all_matches:
        raise MismatchingCorrelation(f"{len(versions)} processes start with the message {name!r}; send all: true to "
                                     "start each of them.")
    out: list[Delivered] = []

    def start_and_deliver(app: Batho, session: Session, version: ProcessVersion, case: Case | None,
                          data: dict[str, Any], actor_id: int | None) -> instances.Running:
        running = instances.start(app, session, version, case, data, actor_id)
        out.append(_deliver(app, session, running, kind, name, variables, actor_id, True))
        return running

    for version in versions:
        case = Case(summary=str(variables.get("description", ""))[:4000], category=None)
        open_case(app, session, version, case, {}, "api", actor_id, start_and_deliver)
    return out


def signal(app: Batho, who: Identity | None, name: str, variables: dict[str, Any] | None = None) -> list[Delivered]:
    """Broadcast the signal `name` to every instance waiting for it, and start processes that start with it."""
    require_event_sender(who)
    if not name.strip():
        raise ValidationFailed({"name": "Give the name of the signal."})
    actor_id = who.id if who else None
    with app.db.transaction() as session:
        reached = [_deliver(app, session, instances.load(app, session, i), SIGNAL, name, variables or {}, actor_id,
                            False) for i in _waiting(session, SIGNAL, name, None)]
        return reached + _start_by(app, session, SIGNAL, name, variables or {}, actor_id)
