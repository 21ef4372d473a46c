"""The suggestion form's choices: a complaint is lodged at once, an account query goes to its own form, and
suggestions, comments and compliments get a slip reference (SLIP-42) the status page follows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..composition import Batho
from ..errors import NotFound
from ..models import Case, SuggestionSlip
from . import submissions
from .cases import Contact
from .suggestions import checked_slip

PREFIX = "SLIP-"
SLIP_REFERENCE = re.compile(r"^SLIP-(\d{1,9})$")
# The slip's service area as the complaint's category; the triage agent corrects it where it is only a guess.
AREA_CATEGORY = {"finance": "billing"}
QUERY_PROCESS = "account_query"


def slip_reference(number: int) -> str:
    return f"{PREFIX}{number}"


def is_slip_reference(text: str) -> bool:
    return SLIP_REFERENCE.match(text.strip().upper()) is not None


@dataclass(frozen=True)
class SlipSent:
    """What the suggestion form led to: a lodged complaint, the account query form to fill, or a slip in the box."""

    lodged: submissions.Lodged | None = None
    form: str | None = None  # a process whose own form asks what the slip cannot (the account number)
    slip: str | None = None  # the slip reference


def send_slip(app: Batho, token: str | None, submitted: dict[str, Any], contact: Contact) -> SlipSent:
    """The citizen's online slip, routed by its choice (one case or slip per form token, as the forms do)."""
    values = checked_slip(submitted, contact)
    if values["kind_hint"] == "complaint":
        complaint = {"category": AREA_CATEGORY.get(values.get("service_area") or "", "other"),
                     "description": values["text"]}
        return SlipSent(lodged=submissions.lodge_for_citizen(app, token, "complaint", complaint, contact, "web"))
    if values["kind_hint"] == "query":
        return SlipSent(form=QUERY_PROCESS)
    number, _ = submissions.drop_slip(app, token, submitted, contact, "web")
    return SlipSent(slip=slip_reference(number))


@dataclass(frozen=True)
class SlipStatus:
    """What anyone with the slip reference may see: dates and what became of it, never the slip's text."""

    reference: str
    kind: str | None
    received_at: datetime
    opened: bool  # read in a weekly opening of the box
    classified_as: str | None
    you_said: str | None
    we_did: str | None
    published_at: datetime | None
    case_reference: str | None  # the case the slip became (a complaint or query found in the box)


def slip_status(app: Batho, reference: str) -> SlipStatus:
    found = SLIP_REFERENCE.match(reference.strip().upper())
    with app.db.reading() as session:
        slip = session.get(SuggestionSlip, int(found.group(1))) if found else None
        if slip is None:
            raise NotFound("We could not find a slip with that reference. Check it and try again.")
        case = session.get(Case, slip.spawned_case_id) if slip.spawned_case_id else None
        return SlipStatus(slip_reference(slip.id), slip.kind_hint, slip.received_at, slip.run_case_id is not None,
                          slip.classified_as, slip.public_you_said, slip.public_we_did, slip.published_at,
                          case.reference if case else None)
