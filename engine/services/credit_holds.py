"""Credit-control holds (s102(2)): which disputed amounts no collection may run on, for finance staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select

from ..authz import Identity, require_finance
from ..composition import Batho
from ..models import Case, CreditHold


@dataclass(frozen=True)
class Hold:
    reference: str
    account_number: str
    disputed_amount: Decimal
    started_at: datetime
    ended_at: datetime | None
    status: str


def holds_in_force(app: Batho, who: Identity, account_number: str = "") -> list[Hold]:
    """Holds not yet ended (or ending later), newest first; optionally for one account."""
    require_finance(who)
    with app.db.reading() as session:
        query = (select(CreditHold, Case.reference, Case.status).join(Case, Case.id == CreditHold.case_id)
                 .where(or_(CreditHold.ended_at.is_(None), CreditHold.ended_at > app.now()))
                 .order_by(CreditHold.started_at.desc()).limit(500))
        if account_number.strip():
            query = query.where(CreditHold.account_number == account_number.strip())
        return [Hold(ref, h.account_number, h.disputed_amount, h.started_at, h.ended_at, status)
                for h, ref, status in session.execute(query)]
