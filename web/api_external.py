"""/api/v1/external-task/*: integration workers fetch, lock, complete or fail external tasks (Camunda 7's shape)."""

from __future__ import annotations

from typing import Any

from flask import Response, g

from engine.errors import ValidationFailed
from engine.services import external_tasks, messages
from engine.services.external_values import read_typed

from .api import answer, bearer, bp, json_object
from .services import batho

DAY_MS = 24 * 3600 * 1000
MAX_LOCK_MS = 7 * DAY_MS


def _text(body: dict[str, Any], name: str, required: bool = True, limit: int = 200) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationFailed({name: f"{name} must be a non-empty string."})
    if len(value) > limit:
        raise ValidationFailed({name: f"{name} is too long: at most {limit} characters."})
    return value.strip() if limit <= 200 else value


def _number(body: dict[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = body.get(name, default)
    if value is None:
        raise ValidationFailed({name: f"Give {name}, a whole number from {low} to {high}."})
    if isinstance(value, float) and value.is_integer():  # 1000.0 is the whole number JSON Schema says it is
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed({name: f"{name} must be a whole number from {low} to {high}."})
    return value


def _topic(raw: Any, index: int) -> external_tasks.Topic:
    where = f"topics[{index}]"
    if not isinstance(raw, dict):
        raise ValidationFailed({where: f"{where} must be an object with topicName and lockDuration."})
    names = raw.get("variables")
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        raise ValidationFailed({where: f"{where}.variables must be a list of variable names."})
    try:
        return external_tasks.Topic(_text(raw, "topicName"), _number(raw, "lockDuration", 1, MAX_LOCK_MS),
                                    tuple(names) if names is not None else None)
    except ValidationFailed as error:
        raise ValidationFailed({f"{where}.{k}": v for k, v in error.errors.items()}) from None


def _variables(body: dict[str, Any], name: str = "variables") -> dict[str, Any]:
    raw = body.get(name)
    if isinstance(raw, dict):
        raw = {k: read_typed(v) for k, v in raw.items()}
    return messages.checked_variables(raw, name)


@bp.route("/external-task/fetchAndLock", methods=["POST"])
@bearer
def external_fetch() -> Response:
    body = json_object()
    topics = body.get("topics")
    if not isinstance(topics, list) or not topics or len(topics) > 50:
        raise ValidationFailed({"topics": "topics must be a list of 1 to 50 objects with topicName and "
                                          "lockDuration."})
    locked = external_tasks.fetch_and_lock(
        batho(), g.api_user, _text(body, "workerId"), _number(body, "maxTasks", 1, 100),
        [_topic(t, i) for i, t in enumerate(topics)], _number(body, "asyncResponseTimeout", 0, 30 * 60 * 1000, 0))
    return answer(locked)


@bp.route("/external-task/<task_id>/complete", methods=["POST"])
@bearer
def external_complete(task_id: str) -> Response:
    body = json_object()
    external_tasks.complete(batho(), g.api_user, task_id, _text(body, "workerId"), _variables(body))
    return Response(status=204)


@bp.route("/external-task/<task_id>/failure", methods=["POST"])
@bearer
def external_failure(task_id: str) -> Response:
    body = json_object()
    external_tasks.failure(batho(), g.api_user, task_id, _text(body, "workerId"),
                           _text(body, "errorMessage", required=False, limit=4000),
                           _text(body, "errorDetails", required=False, limit=100_000),
                           _number(body, "retries", 0, 1000), _number(body, "retryTimeout", 0, MAX_LOCK_MS, 0))
    return Response(status=204)


@bp.route("/external-task/<task_id>/bpmnError", methods=["POST"])
@bearer
def external_bpmn_error(task_id: str) -> Response:
    body = json_object()
    external_tasks.bpmn_error(batho(), g.api_user, task_id, _text(body, "workerId"), _text(body, "errorCode"),
                              _text(body, "errorMessage", required=False, limit=4000), _variables(body))
    return Response(status=204)


@bp.route("/external-task/<task_id>/extendLock", methods=["POST"])
@bearer
def external_extend_lock(task_id: str) -> Response:
    body = json_object()
    until = external_tasks.extend_lock(batho(), g.api_user, task_id, _text(body, "workerId"),
                                       _number(body, "newDuration", 1, MAX_LOCK_MS))
    return answer({"id": task_id, "lockExpirationTime": until})
