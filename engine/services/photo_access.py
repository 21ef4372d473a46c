"""Who may see a case's photos: staff who may see the case (engine.authz's rule, through the case page's check) and
the citizen with the case's access code; the public only through Open311 where the process publishes details."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..authz import Identity
from ..composition import Batho
from ..errors import NotFound
from ..models import Case, Open311Request, Photo
from .casefile import checked_case
from .cases import code_matches
from .lookup import case_in
from .open311 import TOLD_CHANNELS, published
from .open311_catalog import service_of_case, services
from .photos import Picture, picture

NO_PHOTO = "There is no such photo."


def _found(session: Session, photo_id: int, thumbnail: bool) -> tuple[Picture, Case]:
    found = picture(session, photo_id, thumbnail=thumbnail)
    case = session.get(Case, found.case_id) if found else None
    if found is None or case is None:
        raise NotFound(NO_PHOTO)
    return found, case


def staff_picture(app: Batho, who: Identity, photo_id: int, *, thumbnail: bool = False) -> Picture:
    """A photo (or thumbnail) for a staff member who may see its case; Forbidden otherwise."""
    with app.db.reading() as session:
        found, case = _found(session, photo_id, thumbnail)
        checked_case(session, who, case.reference)
        return found


def citizen_picture(app: Batho, reference: str, code: str | None, photo_id: int, *,
                    thumbnail: bool = False) -> Picture:
    """A photo of the citizen's own case, with the case's access code; NotFound for anything else (no hint)."""
    with app.db.reading() as session:
        case = case_in(session, reference)
        found = picture(session, photo_id, thumbnail=thumbnail)
        if case is None or found is None or found.case_id != case.id or not code_matches(case, code):
            raise NotFound(NO_PHOTO)
        return found


def published_picture(app: Batho, photo_id: int, *, thumbnail: bool = False) -> Picture:
    """A photo for anyone, only where its case's details are public (openDetails, and the citizen told so)."""
    catalog = services(app)
    with app.db.reading() as session:
        found, case = _found(session, photo_id, thumbnail)
        extra = session.scalars(select(Open311Request).where(Open311Request.case_id == case.id)).first()
        if not published(case, extra, service_of_case(catalog, case.case_type, case.category)):
            raise NotFound(NO_PHOTO)  # the same answer as for no photo: nothing to learn from trying ids
        # Only what the citizen sent with the request, told it would be public: not a photo staff took, nor one
        # added later through the status page (the follow-up form says nothing of publishing).
        source, later = session.execute(select(Photo.source, Photo.later).where(Photo.id == photo_id)).one()
        if later or source not in (*TOLD_CHANNELS, "open311"):
            raise NotFound(NO_PHOTO)
        return found
