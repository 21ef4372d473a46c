"""The printed acknowledgement slip a citizen takes home from the counter: what to keep and how to follow up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..authz import Identity, may_read_out_code, require_staff
from ..composition import Batho
from ..lodging import latest_version
from ..models import CaseEvent
from ..models.enums import EventKind
from . import catalog
from .capture import READ_OUT_MINUTES
from .casefile import checked_case

SHOWN_CHARACTERS = 160  # of the description: enough to recognise the case, short enough for a receipt


@dataclass(frozen=True)
class Slip:
    """What the slip prints; the access code only for the staff member who captured the case, just after."""

    reference: str
    access_code: str | None
    process_name: str
    category: str | None
    reported: str
    place: str | None
    opened_at: datetime
    due_at: datetime | None
    track_url: str
    ussd_code: str
    sms_number: str
    language: str  # the citizen's: the slip is theirs


def _shortened(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= SHOWN_CHARACTERS else words[:SHOWN_CHARACTERS - 1].rsplit(" ", 1)[0] + "…"


def slip(app: Batho, who: Identity, reference: str) -> Slip:
    """The slip of a case `who` may see (staff); Forbidden for cases of another department."""
    require_staff(who)
    with app.db.reading() as session:
        case, _ = checked_case(session, who, reference)
        capturer = session.scalar(select(CaseEvent.actor_id).where(CaseEvent.case_id == case.id,
                                                                   CaseEvent.kind == EventKind.CAPTURED))
        fresh = app.now() - case.opened_at <= timedelta(minutes=READ_OUT_MINUTES)
        code = case.access_code if may_read_out_code(who, capturer, fresh) else None
        version = latest_version(session, case.case_type)
        category = None
        if version is not None and case.category:
            options = {o.id: o.name for f in app.specs.get(version).start_form if f.id == "category"
                       for o in f.options}
            category = options.get(case.category, case.category)
        return Slip(case.reference, code, catalog.names(session).get(case.case_type, case.case_type), category,
                    _shortened(case.summary or ""), case.location, case.opened_at, case.due_at,
                    f"{app.config.public_url}/track", app.config.ussd_code, app.config.sms_number,
                    case.citizen_language or "en")
