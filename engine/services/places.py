"""Where a case is: the point sent with it, its ward and town, and the open cases of its kind nearby."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..composition import Batho
from ..errors import ValidationFailed
from ..lodging import Place
from ..models import Case
from . import catalog
from .wards import Ward, wards_for

NEARBY_METRES = 200.0
NEARBY_LIMIT = 10
# What the public hears of a distance: rounded up to 50 m. Exact metres from three pins would give the case's point
# (often the citizen's home) by trilateration, which its process may not publish; staff pages keep the exact figure.
PUBLIC_STEP_METRES = 50
EARTH_METRES = 6_371_008.8
# The fields a form or channel sends the point in (the citizen's map fills them; Open311 maps lat/long to them).
LATITUDE, LONGITUDE = "latitude", "longitude"


@dataclass(frozen=True)
class NearbyCase:
    """An open case near a point, as anyone may see it: no description, address or person."""

    reference: str
    status: str
    status_text: str
    opened_at: datetime
    age_days: int
    metres: int

    @property
    def about_metres(self) -> int:
        """The distance as the public hears it: rounded up to PUBLIC_STEP_METRES, at least that."""
        return max(math.ceil(self.metres / PUBLIC_STEP_METRES), 1) * PUBLIC_STEP_METRES


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points (haversine; a few metres off over 200 m do not matter)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_METRES * math.asin(math.sqrt(a))


def _degrees(raw: object, low: float, high: float) -> float | None:
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def point_of(latitude: object, longitude: object) -> tuple[float, float] | None:
    """The point from two form values; None when both are empty; ValidationFailed when they are not a point."""
    blank = [raw is None or str(raw).strip() == "" for raw in (latitude, longitude)]
    if all(blank):
        return None
    lat, lon = _degrees(latitude, -90, 90), _degrees(longitude, -180, 180)
    if any(blank) or lat is None or lon is None:
        raise ValidationFailed({"place": "The point on the map was not understood: place the pin again or type the "
                                         "address."})
    return lat, lon


def locate(app: Batho, lat: float, lon: float) -> Place:
    """The point with its ward and town; a point outside every ward is refused with a sentence."""
    wards = wards_for(app.config)
    ward = wards.find(lat, lon)
    if ward is None:
        raise ValidationFailed({"place": f"That point is outside {wards.municipality}'s wards — move the pin or type "
                                         f"the address."})
    return Place(latitude=lat, longitude=lon, ward=ward.code, town=ward.town or None)


def place_or_errors(app: Batho, submitted: dict[str, Any]) -> tuple[Place | None, dict[str, str]]:
    """The located point sent with a form (None: no point, the address as typed is enough), or the sentences."""
    try:
        point = point_of(submitted.get(LATITUDE), submitted.get(LONGITUDE))
        return (locate(app, *point) if point else None), {}
    except ValidationFailed as exc:
        return None, exc.errors


def ward_named(app: Batho, code: str | None) -> Ward | None:
    return wards_for(app.config).get(code) if code else None


def nearby_in(app: Batho, session: Session, case_type: str, category: str | None, lat: float, lon: float,
              exclude_id: int | None = None) -> list[NearbyCase]:
    """Open cases of this type and category within NEARBY_METRES of the point, nearest first."""
    if not category:
        return []
    # A box around the point narrows the rows on the indexed columns; the distance then decides.
    dlat = math.degrees(NEARBY_METRES / EARTH_METRES) * 1.1
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    rows = session.scalars(select(Case).where(
        Case.case_type == case_type, Case.category == category, Case.closed_at.is_(None),
        Case.latitude.between(lat - dlat, lat + dlat), Case.longitude.between(lon - dlon, lon + dlon)))
    now = app.now()
    found = []
    for case in rows:
        metres = distance_metres(lat, lon, case.latitude or 0.0, case.longitude or 0.0)
        if case.id != exclude_id and metres <= NEARBY_METRES:
            found.append((metres, case))
    found.sort(key=lambda pair: (pair[0], pair[1].id))
    return [_nearby(app, session, case, metres, now) for metres, case in found[:NEARBY_LIMIT]]


def _nearby(app: Batho, session: Session, case: Case, metres: float, now: datetime) -> NearbyCase:
    return NearbyCase(reference=case.reference, status=case.status,
                      status_text=catalog.status_sentence(app, case.case_type, case.status, session),
                      opened_at=case.opened_at, age_days=max((now - case.opened_at).days, 0),
                      metres=round(metres))


@dataclass(frozen=True)
class PointAnswer:
    """What the lodging page learns about its pin: the ward it is in (None: outside every ward) and the open cases
    of the chosen kind nearby."""

    ward: Ward | None
    outside: str | None  # the sentence lodging would refuse the point with
    cases: list[NearbyCase]


def nearby(app: Batho, case_type: str, category: str | None, latitude: object, longitude: object) -> PointAnswer:
    """The ward of a point sent by the lodging page and the open cases near it (no point: nothing)."""
    point = point_of(latitude, longitude)
    if point is None:
        return PointAnswer(None, None, [])
    ward = wards_for(app.config).find(*point)
    outside = None
    if ward is None:
        try:
            locate(app, *point)
        except ValidationFailed as exc:
            outside = exc.errors["place"]
    with app.db.reading() as session:
        # Only processes citizens lodge themselves: a staff or system process's cases are nobody's business here.
        if not any(p.key == case_type and p.citizens_lodge for p in catalog.processes(app, session)):
            return PointAnswer(ward, outside, [])
        return PointAnswer(ward, outside, nearby_in(app, session, case_type, category, *point))


@dataclass(frozen=True)
class CasePlace:
    """The place block of the staff case and task pages."""

    latitude: float | None
    longitude: float | None
    ward: Ward | None
    town: str | None
    nearby: list[NearbyCase]
    may_set_ward: bool  # staff whose work needs it, and only while the case has no point (the point decides)
    wards: list[Ward]


def case_place_in(app: Batho, session: Session, case: Case, may_set_ward: bool) -> CasePlace:
    """Where `case` is and the open cases of its kind near it."""
    has_point = case.latitude is not None and case.longitude is not None
    near = (nearby_in(app, session, case.case_type, case.category, case.latitude or 0.0, case.longitude or 0.0,
                      case.id) if has_point else [])
    settable = may_set_ward and not has_point and case.closed_at is None
    return CasePlace(latitude=case.latitude, longitude=case.longitude, ward=ward_named(app, case.ward),
                     town=case.town, nearby=near, may_set_ward=settable,
                     wards=wards_for(app.config).wards if settable else [])
