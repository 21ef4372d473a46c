"""The staff JSON API at /api/v1/ (bearer tokens) and GET /healthz."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.authz import require_owner
from engine.errors import DeploymentError, DomainError, ValidationFailed
from engine.services import (
    api_tokens,
    cases,
    deployment,
    health,
    signin,
    staff,
    staff_api,
    starting,
    submissions,
    tasks,
)

from .api_openapi import document
from .errors import status_of
from .services import batho

bp = Blueprint("api", __name__, url_prefix="/api/v1")
health_bp = Blueprint("health", __name__)


def plain(value: Any) -> Any:
    """Datetimes as ISO 8601 strings, recursively."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def answer(value: Any, status: int = 200) -> Response:
    response = jsonify(plain(value))
    response.status_code = status
    return response


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Response:
    if isinstance(error, ValidationFailed):
        # An unclear amount (45,000) comes back with its reading: send that value again to confirm it.
        return answer({"errors": error.errors, "confirm": error.confirm} if error.confirm else {"errors": error.errors},
                      400)
    if isinstance(error, DeploymentError):
        return answer({"errors": [{"file": p.get("file", ""), "element_id": p.get("element_id", ""),
                                   "rule": p.get("rule", ""), "message": p["message"]} for p in error.problems]}, 400)
    if isinstance(error, signin.TooManyAttempts):
        response = answer({"error": str(error)}, 429)
        response.headers["Retry-After"] = str(error.minutes * 60)
        return response
    if isinstance(error, api_tokens.Unauthenticated):
        response = answer({"error": str(error)}, 401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="batho"'
        return response
    return answer({"error": str(error)}, status_of(error))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> WerkzeugResponse:
    response = error.get_response()
    response.set_data(jsonify({"error": error.description}).get_data())
    response.content_type = "application/json"
    return response


def refuse_nul() -> None:
    """No database column can hold a NUL character: refuse it up front with a sentence (path, query, body)."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.endpoint != "api.process_deploy":  # deploying reads only the files, and checks them itself
        texts += [*request.form.keys(), *request.form.values()]
    # The token request keeps nothing it is sent: its own check answers 401 for names no account can have.
    body = request.get_data(cache=True, as_text=True) if request.is_json and request.endpoint != "api.token" else ""
    if any("\x00" in str(t) for t in texts if t) or "\x00" in body or "\\u0000" in body:
        raise ValidationFailed({"body": "Remove the NUL characters (\\u0000) from what you sent."})


def _start_clock() -> None:
    g.api_started = time.perf_counter()


def _server_timing(response: WerkzeugResponse) -> WerkzeugResponse:
    """`Server-Timing: app;dur=<ms>` (W3C Server Timing): the time the application spent on the request, so a
    benchmark tells the server's time from the network's and the client's."""
    started = g.get("api_started")
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    return response


bp.before_request(_start_clock)  # first, so the time includes the checks below
bp.before_request(refuse_nul)
bp.after_request(_server_timing)


def bearer(view: Callable[..., Any]) -> Callable[..., Any]:
    """The caller must present a live token: `Authorization: Bearer <token>`."""

    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise api_tokens.Unauthenticated("Send Authorization: Bearer <token>; get a token at /api/v1/auth/token.")
        g.api_user = api_tokens.identify(batho(), token.strip())
        g.api_token = token.strip()
        return view(**kwargs)

    return wrapped


def json_object(name: str = "body") -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed({name: "Send a JSON object (Content-Type: application/json)."})
    return body


def text_of(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ValidationFailed({name: f"{name} must be a string."})
    return value


@bp.route("/openapi.json")
def openapi() -> Response:
    return answer(document())


@bp.route("/auth/token", methods=["POST"])
def token() -> Response:
    body = json_object()
    issued = api_tokens.issue_token(batho(), text_of(body, "username"), text_of(body, "password"), request.remote_addr)
    return answer({"token": issued.token, "expires_at": issued.expires_at})


@bp.route("/auth/token", methods=["DELETE"])
@bearer
def revoke() -> Response:
    api_tokens.revoke_token(batho(), g.api_token)
    return Response(status=204)


def _task(row: tasks.TaskRow) -> dict[str, Any]:
    return {"id": row.id, "name": row.task_name, "title": row.title, "process": row.process_key,
            "case_reference": row.case_reference, "lane": row.lane, "assignee": row.assignee, "due_at": row.due_at,
            "priority": row.priority, "follow_up_at": row.follow_up_at}


@bp.route("/tasks")
@bearer
def task_list() -> Response:
    rows = tasks.my_tasks(batho(), g.api_user) + tasks.available_tasks(batho(), g.api_user)
    return answer({"tasks": [_task(r) for r in rows]})


def field_json(f: Any) -> dict[str, Any]:
    """A form field with every constraint, so a client can render and check it as Batho will (camunda:formData)."""
    return {"id": f.id, "label": f.label, "type": f.type, "required": f.required, "readonly": f.readonly,
            "default": f.default, "min": f.min, "max": f.max, "minlength": f.minlength, "maxlength": f.maxlength,
            "multiline": f.multiline, "options": [{"id": o.id, "name": o.name} for o in f.options]}


def _detail(task_id: str) -> dict[str, Any]:
    view = tasks.task_view(batho(), g.api_user, task_id)
    fields = [field_json(f) for f in view.fields]
    case = {k: view.case_summary.get(k) for k in ("reference", "type", "status", "category", "department",
                                                  "priority", "summary", "location", "opened_at", "due_at")}
    return {**_task(view.row), "form": {"fields": fields}, "case": case if view.case_summary else None,
            "record": view.record.as_json(), "shown": [s.as_json() for s in view.shown]}


@bp.route("/tasks/<task_id>")
@bearer
def task_detail(task_id: str) -> Response:
    return answer(_detail(task_id))


@bp.route("/tasks/<task_id>/claim", methods=["POST"])
@bearer
def claim(task_id: str) -> Response:
    tasks.claim(batho(), g.api_user, task_id)
    return answer(_detail(task_id))


@bp.route("/tasks/<task_id>/unclaim", methods=["POST"])
@bearer
def unclaim(task_id: str) -> Response:
    tasks.unclaim(batho(), g.api_user, task_id)
    return answer(_detail(task_id))


def wants_minimal() -> bool:
    """`Prefer: return=minimal` (RFC 7240): the client needs no representation of what changed."""
    return any(p.strip().lower() == "return=minimal" for p in request.headers.get("Prefer", "").split(","))


@bp.route("/tasks/<task_id>/complete", methods=["POST"])
@bearer
def complete(task_id: str) -> Response:
    done = tasks.complete(batho(), g.api_user, task_id, json_object())
    if wants_minimal():  # a client working through a list skips reading the whole case back (a third of the time)
        response = answer({"case_reference": done.reference, "next_step_stopped": done.next_step_stopped})
        response.headers["Preference-Applied"] = "return=minimal"
        return response
    case = staff_api.case_detail(batho(), g.api_user, done.reference) if done.reference else None
    return answer({"case": case, "next_step_stopped": done.next_step_stopped})


def _contact(body: dict[str, Any]) -> cases.Contact:
    raw = body.get("contact") or {}
    if not isinstance(raw, dict):
        raise ValidationFailed({"contact": "contact must be an object with name, email, phone and language."})
    return cases.Contact(name=text_of(raw, "name"), email=text_of(raw, "email"), phone=text_of(raw, "phone"),
                         language=text_of(raw, "language") or "en")


def _data(body: dict[str, Any]) -> dict[str, Any]:
    data = body.get("data", {})
    if not isinstance(data, dict):
        raise ValidationFailed({"data": "data must be an object of form field values."})
    return data


@bp.route("/cases", methods=["POST"])
@bearer
def case_create() -> Response:
    body = json_object()
    process, channel = text_of(body, "process") or "complaint", text_of(body, "channel") or "walk_in"
    key = submissions.idempotency_key(request.headers.get("Idempotency-Key"))
    reference, repeated = submissions.lodge_as(batho(), g.api_user, key, process, _data(body), _contact(body),
                                               channel)
    # A repeated key answers as the first call did (same case, 201), and says it is a replay.
    response = answer({"case_reference": reference}, 201)
    if repeated:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.route("/cases/<reference>")
@bearer
def case_detail(reference: str) -> Response:
    return answer(staff_api.case_detail(batho(), g.api_user, reference))


@bp.route("/cases")
@bearer
def case_list() -> Response:
    page = staff_api.case_list(batho(), g.api_user, dict(request.args.items()))
    return answer(asdict(page))


@bp.route("/processes")
@bearer
def process_list() -> Response:
    return answer({"processes": staff_api.processes(batho())})


def _uploaded() -> dict[str, str]:
    files: dict[str, str] = {}
    for upload in request.files.getlist("file"):
        name = (upload.filename or "").rsplit("/", 1)[-1]
        if deployment.file_kind(name) is None or "\x00" in name:
            raise DeploymentError([{"element_id": "", "message": f"{name or 'A part'} is not a .bpmn or .dmn file."}])
        try:
            files[name] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise DeploymentError([{"element_id": "", "message": f"{name} is not UTF-8 text."}]) from None
    if not files:
        raise DeploymentError([{"element_id": "", "message": "Send at least one .bpmn or .dmn file in a part named "
                                                             "file."}])
    return files


@bp.route("/processes", methods=["POST"])
@bearer
def process_deploy() -> Response:
    require_owner(g.api_user)
    results = deployment.deploy_sources(batho(), _uploaded(), g.api_user.id, with_decisions=True)
    deployed = [d for d in results if d.kind == "process"]
    # a DMN-only upload no process calls yet deploys its decisions alone: key and version are then the first's
    first = (deployed or results)[0]
    warnings = list({w["message"]: w for d in results for w in d.warnings}.values())  # said, not blocking
    return answer({"key": first.key, "version": first.version, "warnings": warnings,
                   "deployed": [{"key": d.key, "version": d.version, "created": d.created} for d in deployed],
                   "decisions": [{"id": d.key, "version": d.version, "created": d.created}
                                 for d in results if d.kind == "decision"]}, 201)


@bp.route("/processes/<key>/instances", methods=["POST"])
@bearer
def process_start(key: str) -> Response:
    body = json_object()
    reference = starting.lodge_as(batho(), g.api_user, key, _data(body), _contact(body), "api")
    return answer({"case_reference": reference}, 201)


def _staff(changed: staff.Changed) -> dict[str, Any]:
    """A staff member; a temporary password Batho made is in the answer once, never again."""
    shown = changed.staff.as_dict()
    return {**shown, "temporary_password": changed.temporary_password} if changed.temporary_password else shown


@bp.route("/users")
@bearer
def user_list() -> Response:
    return answer({"users": [row.as_dict() for row in staff.list_staff(batho(), g.api_user)]})


@bp.route("/users", methods=["POST"])
@bearer
def user_create() -> Response:
    return answer(_staff(staff.add_staff(batho(), g.api_user, json_object())), 201)


@bp.route("/users/<username>")
@bearer
def user_detail(username: str) -> Response:
    return answer(staff.staff_member(batho(), g.api_user, username).as_dict())


@bp.route("/users/<username>", methods=["PATCH"])
@bearer
def user_change(username: str) -> Response:
    return answer(_staff(staff.change_staff(batho(), g.api_user, username, json_object())))


@health_bp.route("/healthz")
def healthz() -> Response:
    if health.database_reachable(batho()):
        return answer({"status": "ok", "database": "reachable"})
    return answer({"status": "unavailable", "database": "unreachable"}, 503)
