"""Open311 GeoReport v2 requests: submit (as a case, like our own form), search, fetch one, resolve tokens.

POPIA: the list needs no key and no access code, so it shows what the municipality publishes: the
service, status, dates, the service notice and notes in fixed wording (open311_notes). The citizen's
own words and address only where the process says so (start-event property openDetails=true) and the
citizen was told so before submitting (our web form, or an Open311 client); never contact details.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..models import Case, CaseEvent, Department, FormSubmission, Open311Request
from ..models.enums import PUBLIC_KINDS
from . import photos, places, submissions
from .api_tokens import check_api_key
from .bounds import clamped
from .cases import Contact, lodge_in
from .open311_catalog import Service, service, service_of_case, services
from .open311_notes import Note, public_notes

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000


@dataclass(frozen=True)
class Submitted:
    service_request_id: str
    token: str
    service_notice: str


@dataclass(frozen=True)
class RequestView:
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str
    address_id: str
    zipcode: str
    lat: float | None
    long: float | None
    media_url: str
    notes: list[Note]
    media_photo_id: int | None = None  # our copy of the photo sent with it, where the details are published


def _float(form: dict[str, str], name: str, low: float, high: float, errors: dict[str, str]) -> float | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        errors[name] = f"{name} must be a number from {low:g} to {high:g} (WGS84 degrees)."
        return None
    return value


def _location(form: dict[str, str], errors: dict[str, str]) -> tuple[float | None, float | None, str]:
    lat = _float(form, "lat", -90, 90, errors)
    lon = _float(form, "long", -180, 180, errors)
    address = (form.get("address_string") or "").strip()
    if (lat is None) != (lon is None) and not errors:
        errors["lat"] = "Give both lat and long, or an address_string."
    if lat is None and not address and not (form.get("address_id") or "").strip() and not errors:
        errors["location"] = "A location is required: lat and long, address_string or address_id."
    if len(address) > 300:
        errors["address_string"] = "address_string may have at most 300 characters."
    return lat, lon, address


def _attributes(svc: Service, form: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attribute in svc.attributes:
        raw = form.get(f"attribute[{attribute.code}]")
        if raw is not None:
            values[attribute.code] = raw
    return values


def _notice(app: Batho, case: Case) -> str:
    tz = ZoneInfo(app.config.timezone)
    parts = [f"Your reference is {case.reference}."]
    if case.ack_due_at:
        parts.append(f"Service standard: acknowledged by {case.ack_due_at.astimezone(tz):%Y-%m-%d}")
    if case.due_at:
        parts.append(f"and resolved by {case.due_at.astimezone(tz):%Y-%m-%d} (working days).")
    return " ".join(parts)


def submit(app: Batho, api_key: str | None, form: dict[str, str],
           idempotency_key: str | None = None, media: Sequence[bytes] = ()) -> Submitted:
    """Create a service request: checked like our own form, it opens a case and starts its process; a repeat with
    the same `idempotency_key` (from the same API key) answers with the request the first one made. `media` is
    the photo sent with it (the `media` file part; one), checked and cleaned like our own form's."""
    key_id = check_api_key(app, api_key)
    code = (form.get("service_code") or "").strip()
    if not code:
        raise ValidationFailed({"service_code": "service_code is required."})
    try:
        svc = service(app, code)
    except NotFound as exc:
        raise ValidationFailed({"service_code": str(exc)}) from None
    errors: dict[str, str] = {}
    lat, lon, address = _location(form, errors)
    extras = {name: _short(form, name, limit, errors) for name, limit in EXTRA_LIMITS.items()}
    checked = _media(media, errors)
    if errors:
        raise ValidationFailed(errors)
    data = {**_attributes(svc, form), "description": (form.get("description") or "").strip(),
            "location": address or (f"{lat:.6f}, {lon:.6f}" if lat is not None and lon is not None else None)}
    if lat is not None and lon is not None:  # the ward and town are found from the point, as for our own form
        data[places.LATITUDE], data[places.LONGITUDE] = lat, lon
    if svc.category is not None:
        data["category"] = svc.category
    name = " ".join(p for p in ((form.get("first_name") or "").strip(), (form.get("last_name") or "").strip()) if p)
    contact = Contact(name=name, email=(form.get("email") or "").strip(), phone=(form.get("phone") or "").strip(),
                      language=(form.get("language") or "en").strip() or "en")
    token = secrets.token_hex(16)

    def make(session: Session, claim: FormSubmission | None) -> Submitted:
        # The case and its Open311 details are saved together (with the caller's key) or not at all.
        case = lodge_in(app, session, svc.process_key, data, contact, "api")
        session.add(Open311Request(
            token=token, case_id=case.id, api_key_id=key_id, service_code=svc.code, lat=lat, long=lon,
            address_string=address or None, **extras, created_at=app.now()))
        photos.attach_checked(session, case, checked, source="open311")
        if claim is not None:
            claim.case_id = case.id
        return Submitted(case.reference, token, _notice(app, case))

    def again(session: Session, earlier: FormSubmission) -> Submitted:
        case, first = session.execute(select(Case, Open311Request)
                                      .join(Open311Request, Open311Request.case_id == Case.id)
                                      .where(Case.id == earlier.case_id)).one()
        return Submitted(case.reference, first.token, _notice(app, case))

    return submissions.once(app, f"open311:{key_id}", idempotency_key, make, again)[0]


def _media(media: Sequence[bytes], errors: dict[str, str]) -> photos.Checked:
    """The photo of the `media` file part, checked and cleaned (its refusal named in `errors`)."""
    if len([part for part in media if part]) > 1:
        errors["media"] = "media: send one photo with a request."
        return photos.Checked()
    checked = photos.check(media)
    if checked.refusal:
        errors["media"] = f"media: {checked.refusal}"
    return checked


# The columns' sizes: a longer value is refused with its limit named, never cut (a cut URL or id points elsewhere).
EXTRA_LIMITS = {"address_id": 100, "media_url": 1000, "account_id": 100, "device_id": 100}


def _short(form: dict[str, str], name: str, limit: int, errors: dict[str, str]) -> str | None:
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        errors[name] = f"{name}: at most {limit} characters; you sent {len(value)}."
    return value or None


def _when(raw: str, name: str, tz: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        example = "2026-11-01T00:00:00+02:00"
        raise ValidationFailed({name: f"{name} must be an ISO 8601 date and time, e.g. {example}."}) from None
    return clamped(value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz)))


def _codes(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _filtered(app: Batho, catalog: list[Service], args: dict[str, str]) -> Any:
    query = select(Case).where(Case.case_type.in_({s.process_key for s in catalog}))
    ids = _codes(args.get("service_request_id"))
    if ids:  # the standard: a list of ids overrides every other filter
        return query.where(Case.reference.in_([i.upper() for i in ids]))
    codes = _codes(args.get("service_code"))
    if codes:
        wanted = [s for s in catalog if s.code in codes]
        if not wanted:
            return query.where(Case.id.is_(None))
        query = query.where(func.coalesce(Case.case_type + "-" + Case.category, Case.case_type).in_(
            [s.code for s in wanted]) | Case.case_type.in_([s.code for s in wanted if s.category is None]))
    tz = app.config.timezone
    end = _when(args["end_date"], "end_date", tz) if args.get("end_date") else None
    start = _when(args["start_date"], "start_date", tz) if args.get("start_date") else None
    if start is None and end is None:
        start = app.now() - DEFAULT_WINDOW
    if start is not None:
        query = query.where(Case.opened_at >= start)
    if end is not None:
        query = query.where(Case.opened_at <= end)
    statuses = _codes(args.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise ValidationFailed({"status": "status must be open or closed (or both, comma-separated)."})
    if statuses == ["open"]:
        query = query.where(Case.closed_at.is_(None))
    elif statuses == ["closed"]:
        query = query.where(Case.closed_at.is_not(None))
    return query


# Channels where the citizen was told, before submitting, that the details of an open process are published.
TOLD_CHANNELS = ("web",)


def _views(app: Batho, session: Session, catalog: list[Service], cases: list[Case]) -> list[RequestView]:
    ids = [c.id for c in cases]
    events: dict[int, list[CaseEvent]] = {i: [] for i in ids}
    for ev in session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids), CaseEvent.kind.in_(PUBLIC_KINDS))
                              .order_by(CaseEvent.at, CaseEvent.id)):
        events[ev.case_id or 0].append(ev)
    extras = {r.case_id: r for r in session.scalars(select(Open311Request).where(Open311Request.case_id.in_(ids)))}
    departments = {code: name for code, name in session.execute(select(Department.code, Department.name))}
    first_photos = photos.first_photo_ids(session, ids)
    views = []
    for c in cases:
        svc = service_of_case(catalog, c.case_type, c.category)
        notes = public_notes(events[c.id], dict(svc.statuses) if svc else None)
        view = _view(app, c, notes, extras.get(c.id), departments, svc)
        if c.id in first_photos and published(c, extras.get(c.id), svc):
            view = replace(view, media_photo_id=first_photos[c.id])
        views.append(view)
    return views


def published(case: Case, extra: Open311Request | None, svc: Service | None) -> bool:
    """Whether the case's details (words, place, photo) are public: its process publishes them (openDetails) and
    the citizen was told so before sending (our web form, or an Open311 client)."""
    return svc is not None and svc.public_details and (extra is not None or case.channel in TOLD_CHANNELS)


def _details(case: Case, extra: Open311Request | None, svc: Service | None) -> dict[str, Any]:
    """Description and place, where the process publishes them and the citizen was told so."""
    if not published(case, extra, svc):
        return {"description": "", "address": "", "address_id": "", "lat": None, "long": None, "media_url": ""}
    if extra is None:
        return {"description": case.summary, "address": case.location or "", "address_id": "",
                "lat": case.latitude, "long": case.longitude, "media_url": ""}
    return {"description": case.summary, "address": extra.address_string or "", "address_id": extra.address_id or "",
            "lat": extra.lat, "long": extra.long, "media_url": extra.media_url or ""}


def _view(app: Batho, case: Case, notes: list[Note], extra: Open311Request | None, departments: dict[str, str],
          svc: Service | None) -> RequestView:
    updates = [n for n in notes if n.type == "update"]
    return RequestView(
        service_request_id=case.reference, status="closed" if case.closed_at else "open",
        status_notes=updates[-1].description if updates else "", service_name=svc.name if svc else case.case_type,
        service_code=svc.code if svc else case.case_type,
        agency_responsible=departments.get(case.department_code or "", "Mafube Local Municipality"),
        service_notice=_notice(app, case), requested_datetime=case.opened_at,
        updated_datetime=max([case.opened_at, *(n.datetime for n in notes)]), expected_datetime=case.due_at,
        zipcode="", notes=notes, **_details(case, extra, svc))


def search(app: Batho, args: dict[str, str]) -> list[RequestView]:
    """GET requests: the filters of the standard; by default the last 90 days, at most 1000, newest first."""
    catalog = services(app)
    query = _filtered(app, catalog, args)
    with app.db.reading() as session:
        cases = list(session.scalars(query.order_by(Case.opened_at.desc(), Case.id.desc()).limit(MAX_RESULTS)))
        return _views(app, session, catalog, cases)


def one(app: Batho, service_request_id: str) -> RequestView:
    found = search(app, {"service_request_id": service_request_id})
    if not found:
        raise NotFound(f"There is no service request {service_request_id!r}.")
    return found[0]


def resolve_token(app: Batho, token: str) -> tuple[str, str]:
    """GET tokens/{token}: the service_request_id a token became."""
    with app.db.reading() as session:
        row = session.execute(select(Case.reference).join(Open311Request, Open311Request.case_id == Case.id)
                              .where(Open311Request.token == token)).first()
        if row is None:
            raise NotFound(f"There is no request with token {token!r}.")
        return row[0], token
