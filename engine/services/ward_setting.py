"""Staff setting a case's ward by hand when the citizen sent no point (the point, when there is one, decides)."""

from __future__ import annotations

from ..authz import Identity, may_set_ward
from ..composition import Batho
from ..errors import Forbidden, ValidationFailed
from ..models import CaseEvent
from ..models.enums import EventKind
from .casefile import checked_case
from .wards import wards_for


def set_ward(app: Batho, who: Identity, reference: str, code: str) -> str:
    """Give the case the ward `code` (its town with it); return the ward's name."""
    ward = wards_for(app.config).get(code.strip())
    if ward is None:
        raise ValidationFailed({"ward": "Choose one of the municipality's wards."})
    with app.db.transaction() as session:
        case, open_tasks = checked_case(session, who, reference)
        if not may_set_ward(who, case.department_code, open_tasks):
            raise Forbidden("Only customer care, the case's department supervisor and staff working the case set "
                            "its ward.")
        if case.latitude is not None and case.longitude is not None:
            raise ValidationFailed({"ward": "This case's ward comes from the point the citizen sent; it cannot be "
                                            "changed by hand."})
        if case.closed_at is not None:
            raise ValidationFailed({"ward": "This case is closed; its ward is kept as it was."})
        before = case.ward
        case.ward, case.town = ward.code, ward.town or None
        session.add(CaseEvent(case_id=case.id, kind=EventKind.COMMENT, at=app.now(), actor_id=who.id,
                              message=f"Ward set to {ward.name}" + (f" (was {before})." if before else "."),
                              data={"ward": ward.code, "was": before}))
        return ward.name
