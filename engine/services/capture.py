"""Staff capture of a citizen's case taken by phone, at the walk-in centre or at a counter, on the diagram's form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..authz import Identity, may_capture, may_read_out_code, require_capture
from ..bpmn.forms import Field, Option
from ..bpmn.specs import ParsedProcess
from ..composition import Batho
from ..errors import Forbidden, NotFound, ValidationFailed
from ..formatting import channel_name
from ..lodging import checked_case, newest_version_in
from ..models import CaseEvent, ProcessVersion
from ..models.enums import EventKind
from ..tasklist import role_for_lane
from . import catalog, photos
from .cases import Contact, lodge_in
from .lookup import case_in

CHANNELS = (
    Option("phone", "Phone call"),
    Option("walk_in", "Walk-in at a customer care centre"),
    Option("counter", "At a pay point or cashier's counter"),
)
STAFF_LODGED = ("citizen", "staff")  # `lodge` values of processes a staff member may type in for a citizen
READ_OUT_MINUTES = 30  # the capturer may come back to the reference and code while the citizen is still there


@dataclass(frozen=True)
class CaptureForm:
    """One process's capture page: its name, the channels and the diagram's start form."""

    key: str
    name: str
    title: str
    contact_required: bool
    fields: tuple[Field, ...]
    channels: tuple[Option, ...] = CHANNELS


@dataclass(frozen=True)
class Captured:
    """What the capturer reads out or prints for the citizen."""

    reference: str
    access_code: str | None
    process_name: str
    channel: str  # as people read it: Phone, Walk-in, Counter
    opened_at: datetime
    due_at: datetime | None


def _parsed(app: Batho, session: Session, entry: catalog.CatalogProcess) -> ParsedProcess:
    version = session.get(ProcessVersion, entry.version_id)
    if version is None:
        raise NotFound(f"No process called {entry.key!r} is deployed.")
    return app.specs.get(version)


def _starter_roles(session: Session, process: ParsedProcess) -> set[str | None]:
    """The candidate starter groups as role keys, read as lanes are read (as engine.services.starting does)."""
    return {role_for_lane(session, group) for group in process.starters.groups}


def _allowed(app: Batho, session: Session, who: Identity, entry: catalog.CatalogProcess) -> bool:
    if entry.lodge not in STAFF_LODGED:
        return False
    process = _parsed(app, session, entry)
    return may_capture(who, process, _starter_roles(session, process))


def _check(app: Batho, session: Session, who: Identity, key: str) -> catalog.CatalogProcess:
    """The catalog entry of `key`; Forbidden unless `who` may capture a case of it."""
    entry = catalog.process(app, key, session)
    if entry.lodge not in STAFF_LODGED:
        raise Forbidden(f"{entry.name} is started by Batho itself; nobody captures it by hand.")
    process = _parsed(app, session, entry)
    require_capture(who, process, _starter_roles(session, process))
    return entry


def capturable(app: Batho, who: Identity) -> list[CaptureForm]:
    """The processes `who` may capture a case of (Forbidden when none), citizens' own first, as they see them."""
    with app.db.reading() as session:
        entries = sorted(catalog.processes(app, session), key=lambda p: (not p.citizens_lodge, p.order, p.title))
        forms = [_form(p) for p in entries if _allowed(app, session, who, p)]
    if not forms:
        raise Forbidden("Only customer care agents capture cases for citizens (and staff a diagram names as its "
                        "starters).")
    return forms


def _form(entry: catalog.CatalogProcess) -> CaptureForm:
    return CaptureForm(entry.key, entry.name, entry.title, entry.contact_required, entry.start_form)


def capture_form(app: Batho, who: Identity, key: str) -> CaptureForm:
    """The capture page of process `key`, if `who` may capture it."""
    with app.db.reading() as session:
        return _form(_check(app, session, who, key))


def capture(app: Batho, who: Identity, key: str, submitted: dict[str, Any], contact: Contact, channel: str,
            files: Sequence[bytes] = ()) -> str:
    """Open the citizen's case as `who` captured it (channel and capturer recorded), with the photos in `files`;
    return its reference."""
    checked = photos.check(files)  # the image work before the write transaction
    with app.db.transaction() as session:
        _check(app, session, who, key)
        if channel not in {c.id for c in CHANNELS}:  # named with every other wrong answer of the form
            errors = {"channel": "Choose how the citizen reached us: phone, walk-in or counter."}
            if checked.refusal:
                errors[photos.FIELD] = checked.refusal
            try:
                checked_case(app, newest_version_in(session, key), submitted, contact)
            except ValidationFailed as exc:
                errors = {**errors, **exc.errors}
            raise ValidationFailed(errors)
        case = photos.lodged_with(session, checked, lambda: lodge_in(app, session, key, submitted, contact, channel,
                                                                     who.id), source=channel, added_by_id=who.id)
        session.add(CaseEvent(case_id=case.id, kind=EventKind.CAPTURED, at=app.now(), actor_id=who.id,
                              title=channel_name(channel), data={"channel": channel}))
        return case.reference


def captured(app: Batho, who: Identity, reference: str) -> Captured:
    """The reference and access code of a case `who` just captured, to read out or print."""
    with app.db.reading() as session:
        case = case_in(session, reference)
        if case is None:
            raise NotFound("There is no case with that reference.")
        capturer = session.scalar(select(CaseEvent.actor_id).where(CaseEvent.case_id == case.id,
                                                                   CaseEvent.kind == EventKind.CAPTURED))
        fresh = app.now() - case.opened_at <= timedelta(minutes=READ_OUT_MINUTES)
        if not may_read_out_code(who, capturer, fresh):
            raise Forbidden("Only the staff member who captured a case sees its access code, and only for "
                            f"{READ_OUT_MINUTES} minutes; the citizen keeps it from then on.")
        return Captured(case.reference, case.access_code, catalog.names(session).get(case.case_type, case.case_type),
                        channel_name(case.channel), case.opened_at, case.due_at)
