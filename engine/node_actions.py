"""Actions a diagram declares on an engine node, run just before the node runs (so it sees their results).

camunda:properties, beside those of effects.py:
- `startProcess` (a process key) with `startData` ("field=data_name, ..."): open a new case of that process,
  linked to this one (parent_case_id); its reference goes into the data as `started_reference`.
  `linkSlip` names the data holding a suggestion slip ({"slip_id": ...}): the new case takes the slip's
  contact details and the slip records the case it became.
- `creditHold`: `start` marks the disputed amount (`account_number`, `disputed_amount`) as in dispute (s102(2));
  `end` ends the hold, `creditHoldGraceDays` calendar days later (the appeal period).
- `deviation`: `open` records that the case missed its resolution standard; `record` adds the manager's
  `deviation_reason` and `remedial_action`.
- `fileSlip` (a channel): files the paper slip typed into the data (`paper_kind`, `paper_text`, `paper_area`,
  `paper_staff`) as a slip in the box.
- `collectSlips` (a data name): assigns every slip not yet in a run to this run and puts them in the data.
- `recordSlip` (a data name holding a slip): records its classification (`kind`) and, with `you_said` and
  `we_did`, publishes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .bpmn.workflow import Step
from .composition import Batho
from .errors import ValidationFailed
from .formatting import money
from .lodging import Contact, Starter, open_linked
from .models import Case, CaseEvent, CreditHold, Deviation, SuggestionSlip
from .models.enums import EventKind

Action = Callable[[Batho, Session, Case, Step, str, int | None], None]
START_PROCESS = "startProcess"


def parse_mapping(text: str) -> list[tuple[str, str]]:
    """ "category=complaint_category, description=slip_text" -> [("category", "complaint_category"), ...]."""
    pairs = []
    for part in text.split(","):
        target, _, source = part.strip().partition("=")
        if target.strip():
            pairs.append((target.strip(), (source or target).strip()))
    return pairs


def _slip(session: Session, step: Step, props: dict[str, str], name: str) -> SuggestionSlip | None:
    var = props.get(name)
    value = step.data.get(var) if var else None
    slip_id = value.get("slip_id") if isinstance(value, dict) else None
    return session.get(SuggestionSlip, int(slip_id)) if slip_id is not None else None


def start_linked_case(app: Batho, session: Session, case: Case, step: Step, key: str, actor_id: int | None,
                      start: Starter) -> None:
    """Open a case of process `key` from this node's data, linked to `case` (and to a slip, if named)."""
    props = step.properties
    submitted = {target: step.data.get(source) for target, source in parse_mapping(props.get("startData", ""))}
    slip = _slip(session, step, props, "linkSlip")
    contact = Contact()
    if slip is not None:
        contact = Contact(name=slip.citizen_name or "", email=slip.citizen_email or "",
                          phone=slip.citizen_phone or "")
    try:
        reference, child_id = open_linked(app, session, key, submitted, contact, case, actor_id, start)
    except ValidationFailed as exc:
        problems = " ".join(exc.errors.values())
        raise ValidationFailed(exc.errors, f"The new {key.replace('_', ' ')} case cannot be opened: {problems}") \
            from None
    if slip is not None:
        slip.spawned_case_id = child_id
        slip.classified_as = key
    step.data["started_reference"] = reference
    session.add(CaseEvent(case_id=case.id, kind=EventKind.LINKED_CASE, at=app.now(), actor_id=actor_id,
                          task_name=step.element, title=step.name,
                          message=f"Started {key.replace('_', ' ')} case {reference}.",
                          data={"reference": reference, "process": key}))


def credit_hold(app: Batho, session: Session, case: Case, step: Step, value: str, actor_id: int | None) -> None:
    hold = session.scalars(select(CreditHold).where(CreditHold.case_id == case.id)).first()
    if value == "start" and hold is None:
        hold = CreditHold(case_id=case.id, account_number=str(step.data.get("account_number") or ""),
                          disputed_amount=Decimal(str(step.data.get("disputed_amount") or "0")),
                          started_at=app.now())
        session.add(hold)
        message = f"Credit-control hold placed on the disputed amount {money(hold.disputed_amount)} (MSA s102(2))."
    elif value == "end" and hold is not None and hold.ended_at is None:
        grace = int(step.properties.get("creditHoldGraceDays") or 0)
        hold.ended_at = app.now() + timedelta(days=grace)
        message = f"Credit-control hold ends {hold.ended_at:%Y-%m-%d} (after the appeal period)."
    else:
        return
    session.add(CaseEvent(case_id=case.id, kind=EventKind.CREDIT_HOLD, at=app.now(), actor_id=actor_id,
                          task_name=step.element, title=step.name, message=message))


def deviation(app: Batho, session: Session, case: Case, step: Step, value: str, actor_id: int | None) -> None:
    latest = select(Deviation).where(Deviation.case_id == case.id).order_by(Deviation.id.desc())
    row = session.scalars(latest.where(Deviation.recorded_at.is_(None))).first()
    if value == "record" and row is None:  # recorded meanwhile on the deviations page: the task's words win
        row = session.scalars(latest).first()
    if value == "open" or row is None:
        row = Deviation(case_id=case.id, standard="resolution", due_at=case.due_at, detected_at=app.now())
        session.add(row)
    if value == "record":
        row.reason = str(step.data.get("deviation_reason") or "")
        row.remedial_action = str(step.data.get("remedial_action") or "")
        row.recorded_by_id = actor_id
        row.recorded_at = app.now()
    message = ("Deviation: the resolution standard was missed." if value == "open"
               else f"Deviation recorded. Reason: {row.reason} Remedial action: {row.remedial_action}")
    session.add(CaseEvent(case_id=case.id, kind=EventKind.DEVIATION, at=app.now(), actor_id=actor_id,
                          task_name=step.element, title=step.name, message=message))


def collect_slips(app: Batho, session: Session, case: Case, step: Step, var: str, actor_id: int | None) -> None:
    waiting = list(session.scalars(select(SuggestionSlip).where(SuggestionSlip.run_case_id.is_(None))
                                   .order_by(SuggestionSlip.received_at, SuggestionSlip.id).with_for_update()))
    for slip in waiting:
        slip.run_case_id = case.id
    assigned = session.scalars(select(SuggestionSlip).where(SuggestionSlip.run_case_id == case.id)
                               .order_by(SuggestionSlip.received_at, SuggestionSlip.id))
    # No personal information in process data: the contact stays on the slip row.
    step.data[var] = [{"slip_id": s.id, "channel": s.channel, "received": s.received_at.isoformat(),
                       "kind_hint": s.kind_hint, "text": s.text, "service_area": s.service_area,
                       "staff_or_unit": s.staff_or_unit} for s in assigned]


def record_slip(app: Batho, session: Session, case: Case, step: Step, var: str, actor_id: int | None) -> None:
    slip = _slip(session, step, {"slip": var}, "slip")
    if slip is None:
        return
    slip.classified_as = slip.classified_as or str(step.data.get("kind") or "")
    slip.handled_at = app.now()
    you_said, we_did = step.data.get("you_said"), step.data.get("we_did")
    if you_said and we_did:
        slip.public_you_said, slip.public_we_did, slip.published_at = str(you_said), str(we_did), app.now()


def file_slip(app: Batho, session: Session, case: Case, step: Step, channel: str, actor_id: int | None) -> None:
    """A slip typed in from paper at the opening of the box (the capture form checked it); no contact here."""
    data = step.data
    session.add(SuggestionSlip(channel=channel, received_at=app.now(), kind_hint=data.get("paper_kind"),
                               text=str(data.get("paper_text") or ""), service_area=data.get("paper_area"),
                               staff_or_unit=data.get("paper_staff"), captured_by_id=actor_id))


ACTIONS: dict[str, Action] = {  # after START_PROCESS, in this order
    "creditHold": credit_hold,
    "deviation": deviation,
    "fileSlip": file_slip,
    "collectSlips": collect_slips,
    "recordSlip": record_slip,
}


def before_node(app: Batho, session: Session, case: Case | None, step: Step, actor_id: int | None,
                start: Starter) -> None:
    """Run the actions `step`'s node declares; a DomainError stops the whole step (nothing is saved).

    `start` starts the process of a case the node opens (the caller's: instances.start).
    """
    props = step.properties
    if case is None or not props:
        return
    if props.get(START_PROCESS):
        start_linked_case(app, session, case, step, props[START_PROCESS], actor_id, start)
    for name, action in ACTIONS.items():
        if props.get(name):
            action(app, session, case, step, props[name], actor_id)
