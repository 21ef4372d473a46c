"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests and tokens, in XML and JSON."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request, url_for
from werkzeug.exceptions import HTTPException

from engine.errors import DomainError, ValidationFailed
from engine.services import open311, photo_access, submissions
from engine.services.open311_catalog import Attribute, Service, service, services

from .api import refuse_nul
from .errors import status_of
from .open311_format import errors, respond, stamp
from .photos import sent_files
from .services import batho

bp = Blueprint("open311", __name__, url_prefix="/open311")
FORMAT = "<any(xml, json):fmt>"
bp.before_request(refuse_nul)


def _fmt() -> str:
    return (request.view_args or {}).get("fmt") or ("json" if request.path.endswith(".json") else "xml")


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Response:
    if isinstance(error, ValidationFailed):
        return errors(_fmt(), 400, list(error.errors.values()))
    return errors(_fmt(), status_of(error), [str(error)])


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    return errors(_fmt(), error.code or 400, [error.description or error.name])


def _tz() -> ZoneInfo:
    return ZoneInfo(batho().config.timezone)


@bp.route(f"/discovery.{FORMAT}")
@bp.route(f"/v2/discovery.{FORMAT}")
def discovery(fmt: str) -> Response:
    endpoint = {"specification": "http://wiki.open311.org/GeoReport_v2",
                # The configured address, not the Host header a caller may forge.
                "url": batho().config.public_url + url_for("open311.service_list", fmt="xml").rsplit("/", 1)[0],
                "changeset": "2026-11-26T00:00:00+02:00", "type": "production",
                "formats": ["text/xml", "application/json"]}
    return respond(fmt, "discovery", {"changeset": "2026-11-26T00:00:00+02:00",
                                      "contact": "Mafube Local Municipality, Customer Care: 058 813 9700",
                                      "key_service": "Ask the municipality's administrator for an api_key.",
                                      "endpoints": [endpoint]})


def _service(s: Service) -> dict[str, Any]:
    return {"service_code": s.code, "service_name": s.name, "description": s.description, "metadata": s.metadata,
            "type": "realtime", "keywords": ", ".join(s.keywords), "group": s.group}


def _attribute(a: Attribute) -> dict[str, Any]:
    return {"variable": True, "code": a.code, "datatype": a.datatype, "required": a.required,
            "datatype_description": a.datatype_description, "order": a.order, "description": a.description,
            "values": [{"key": k, "name": n} for k, n in a.values]}


@bp.route(f"/v2/services.{FORMAT}")
def service_list(fmt: str) -> Response:
    return respond(fmt, "services", [_service(s) for s in services(batho())])


@bp.route(f"/v2/services/<code>.{FORMAT}")
def service_definition(code: str, fmt: str) -> Response:
    found = service(batho(), code)
    return respond(fmt, "service_definition", {"service_code": found.code,
                                               "attributes": [_attribute(a) for a in found.attributes]})


def _request(view: open311.RequestView) -> dict[str, Any]:
    tz = _tz()
    return {
        "service_request_id": view.service_request_id, "status": view.status, "status_notes": view.status_notes,
        "service_name": view.service_name, "service_code": view.service_code, "description": view.description,
        "agency_responsible": view.agency_responsible, "service_notice": view.service_notice,
        "requested_datetime": stamp(view.requested_datetime, tz), "updated_datetime": stamp(view.updated_datetime, tz),
        "expected_datetime": stamp(view.expected_datetime, tz), "address": view.address,
        "address_id": view.address_id, "zipcode": view.zipcode, "lat": view.lat if view.lat is not None else "",
        "long": view.long if view.long is not None else "", "media_url": _media_url(view),
        "notes": [{"datetime": stamp(n.datetime, tz), "description": n.description, "type": n.type}
                  for n in view.notes],
    }


def _media_url(view: open311.RequestView) -> str:
    """Our copy of the photo sent with the request (published details only), else the caller's own media_url."""
    if view.media_photo_id is None:
        return view.media_url
    return batho().config.public_url + url_for("open311.media", photo_id=view.media_photo_id)


@bp.route("/v2/media/<int:photo_id>")
def media(photo_id: int) -> Response:
    """A request's photo, where its process publishes details (404 otherwise, as for no photo)."""
    found = photo_access.published_picture(batho(), photo_id)
    extension = found.content_type.removeprefix("image/")
    return Response(found.data, mimetype=found.content_type,
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, no-cache",
                             "Content-Disposition": f'inline; filename="photo.{extension}"'})


@bp.route(f"/v2/requests.{FORMAT}", methods=["GET"])
def request_list(fmt: str) -> Response:
    found = open311.search(batho(), {k: v for k, v in request.args.items()})
    return respond(fmt, "service_requests", [_request(v) for v in found])


@bp.route(f"/v2/requests.{FORMAT}", methods=["POST"])
def request_create(fmt: str) -> Response:
    form = {k: v for k, v in request.form.items()}
    key = submissions.idempotency_key(request.headers.get("Idempotency-Key"))  # a retry makes no second request
    submitted = open311.submit(batho(), form.pop("api_key", None) or request.args.get("api_key"), form, key,
                               sent_files("media"))  # the photo: a file part of a multipart request
    body = [{"service_request_id": submitted.service_request_id, "token": submitted.token,
             "service_notice": submitted.service_notice, "account_id": form.get("account_id", "")}]
    return respond(fmt, "service_requests", body, 201)


@bp.route(f"/v2/requests/<service_request_id>.{FORMAT}")
def request_one(service_request_id: str, fmt: str) -> Response:
    return respond(fmt, "service_requests", [_request(open311.one(batho(), service_request_id))])


@bp.route(f"/v2/tokens/<token>.{FORMAT}")
def token(token: str, fmt: str) -> Response:
    reference, known = open311.resolve_token(batho(), token)
    return respond(fmt, "service_requests", [{"service_request_id": reference, "token": known}])
