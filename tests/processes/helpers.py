"""Driving account queries and suggestion-box runs through the real services."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from engine.composition import Batho
from engine.models import CreditHold
from engine.services import cases

SAST = ZoneInfo("Africa/Johannesburg")
QUERY = {"account_number": "4410023", "category": "meter_reading", "disputed_amount": "1840.50",
         "description": "The reading on my March account is far higher than the meter shows."}
HOLDER = {"name": "Mpho Account-Holder", "email": "mpho@example.org"}


def at(*args: int) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=SAST), tick=False)


def lodge_query(app: Batho, **changes: Any) -> str:
    return cases.lodge(app, "account_query", {**QUERY, **changes}, cases.Contact(**HOLDER), "web")


def hold(app: Batho, reference: str) -> CreditHold | None:
    from engine.models import Case

    with app.db.reading() as session:
        row = session.scalars(select(CreditHold).join(Case, Case.id == CreditHold.case_id)
                              .where(Case.reference == reference)).first()
        if row is not None:
            session.expunge(row)
        return row
