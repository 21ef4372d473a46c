"""The OpenAPI 3.1 document of the staff API: what /api/v1 accepts and answers (checked by schemathesis)."""

from __future__ import annotations

from typing import Any

TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}  # no NUL characters (refused with 400)
NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
TIME = {"type": "string", "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Wrong input", 401: "No valid token", 403: "Not allowed", 404: "Not found",
             409: "The state changed: no longer ready, or claimed by someone else",
             429: "Too many failed sign-ins: wait and try again"}
    return {str(c): _json(_ref("FieldErrors" if c == 400 else "Error"), texts[c]) for c in codes}


def _op(summary: str, responses: dict[str, Any], secured: bool = True, **extra: Any) -> dict[str, Any]:
    # Any operation refuses text with NUL characters (400), which no database column can hold.
    op: dict[str, Any] = {"summary": summary, "responses": {**_errors(400), **responses}, **extra}
    if secured:
        op["security"] = [{"bearer": []}]
        op["responses"] = {**_errors(401), **op["responses"]}
    return op


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path(name: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": TEXT}]


def _query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "required": False, "schema": TEXT} for n in names]


# A retry after a time-out sends the same key: the case the first call made is answered, never a second one.
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "description": "Any value up to 100 printable characters without spaces (a UUID, say), new for "
                                  "each case: a repeat with the same key from the same user answers with the case "
                                  "the first call made, whatever the body says.",
                   "schema": {"type": "string", "pattern": "^[!-~]{1,100}$"}}
REPLAYED = {"Idempotent-Replayed": {"description": "true when the case was made by an earlier call with the same "
                                                   "Idempotency-Key", "schema": {"type": "string", "enum": ["true"]}}}
CASE_ROW = {"type": "object", "required": ["reference", "type", "status", "opened_at"], "properties": {
    "reference": {"type": "string"}, "type": {"type": "string"}, "status": {"type": "string"},
    "category": NULLABLE_STR, "department": NULLABLE_STR, "priority": NULLABLE_STR, "channel": {"type": "string"},
    "opened_at": TIME, "due_at": NULLABLE_TIME, "closed_at": NULLABLE_TIME}}
CASE_SEARCH = ("Cases, newest first; q finds them by reference (whole or part), the citizen's name, phone or email "
               "(where the caller may know the citizen), account number or words of the description")
NAMES = {"type": "array", "items": TEXT}  # role keys (customer_care_agent) or department codes (technical)
STAFF_FIELDS = {"full_name": TEXT, "email": {"type": ["string", "null"], "pattern": "^[^\\u0000]*$"},
                "phone": {"type": ["string", "null"], "pattern": "^[^\\u0000]*$"}, "roles": NAMES,
                "departments": NAMES}
STAFF_MEMBER = {"type": "object", "required": ["username", "full_name", "email", "phone", "roles", "departments",
                                               "active", "must_change_password"], "properties": {
    "username": {"type": "string"}, "full_name": {"type": "string"}, "email": NULLABLE_STR, "phone": NULLABLE_STR,
    "roles": {"type": "array", "items": {"type": "string"}},
    "departments": {"type": "array", "items": {"type": "string"}},
    "active": {"type": "boolean"}, "must_change_password": {"type": "boolean"},
    # only when Batho made one (no password sent, or a reset): shown once, to be changed at the first sign-in
    "temporary_password": {"type": "string"}}}
STAFF_NEW = {"type": "object", "required": ["username", "full_name"], "additionalProperties": False, "properties": {
    "username": TEXT, **STAFF_FIELDS, "password": TEXT}}
STAFF_CHANGE = {"type": "object", "additionalProperties": False, "properties": {
    **STAFF_FIELDS, "active": {"type": "boolean"},
    "password": {"type": ["string", "null"], "pattern": "^[^\\u0000]*$",
                 "description": "a new password, or null (or \"reset\") for a temporary one made by Batho"}}}
# Camunda 7's shape: a value, or a typed value {"value": ..., "type": "String"}.
VARIABLES = {"type": "object", "additionalProperties": True}
DELIVERED = {"type": "object", "required": ["delivered"], "properties": {"delivered": {"type": "array", "items": {
    "type": "object", "required": ["instance_id", "process_key", "case_reference", "started"], "properties": {
        "instance_id": {"type": "integer"}, "process_key": {"type": "string"}, "case_reference": NULLABLE_STR,
        "started": {"type": "boolean"}}}}}}
SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
    "FieldErrors": {"type": "object", "required": ["errors"], "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "DeployErrors": {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
        "type": "object", "required": ["element_id", "message"],
        "properties": {"file": {"type": "string"}, "element_id": {"type": "string"}, "rule": {"type": "string"},
                       "message": {"type": "string"}}}}}},
    "Task": {"type": "object", "required": ["id", "name", "title", "process", "case_reference", "lane", "assignee",
                                            "due_at"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "title": {"type": "string"},
        "process": {"type": "string"}, "case_reference": NULLABLE_STR, "lane": NULLABLE_STR,
        "assignee": NULLABLE_STR, "due_at": NULLABLE_TIME,
        # camunda:priority and camunda:followUpDate of the user task (null when the diagram sets none)
        "priority": {"type": ["integer", "null"]}, "follow_up_at": NULLABLE_TIME}},
    # camunda:formData: every constraint Batho checks on the server, so a client can render and check the form
    "Field": {"type": "object", "required": ["id", "label", "type", "required", "options"], "properties": {
        "id": {"type": "string"}, "label": {"type": "string"}, "type": {"type": "string"},
        "required": {"type": "boolean"}, "readonly": {"type": "boolean"}, "default": NULLABLE_STR,
        "min": NULLABLE_STR, "max": NULLABLE_STR, "minlength": {"type": ["integer", "null"]},
        "maxlength": {"type": ["integer", "null"]}, "multiline": {"type": "boolean"},
        "options": {"type": "array", "items": {
            "type": "object", "required": ["id", "name"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}},
    "CaseRow": CASE_ROW,
    "StaffMember": STAFF_MEMBER,
    "Case": {"allOf": [CASE_ROW, {"type": "object", "required": ["events", "tasks"], "properties": {
        "summary": {"type": "string"}, "location": NULLABLE_STR,
        "events": {"type": "array", "items": {"type": "object", "required": ["at", "kind"], "properties": {
            "at": TIME, "kind": {"type": "string"}, "title": NULLABLE_STR, "message": NULLABLE_STR,
            "actor": NULLABLE_STR, "public": {"type": "boolean"}}}},
        "tasks": {"type": "array", "items": {"type": "object", "required": ["id", "name", "title"]}}}}]},
    "Contact": {"type": "object", "properties": {
        "name": {"type": "string"}, "email": {"type": "string"}, "phone": {"type": "string"},
        "language": {"enum": ["en", "st", "af"]}}},
    "Created": {"type": "object", "required": ["case_reference"], "properties": {"case_reference": {"type": "string"}}},
    # The case record: each completed step, who and when, and its values with the form's labels and as people read
    # them (choice names, R 45 000,00, dates in words); `value` is what was stored, of the field's type.
    "RecordValue": {"type": "object", "required": ["id", "label", "value", "display"], "properties": {
        "id": {"type": "string"}, "label": {"type": "string"}, "value": {}, "display": {"type": "string"}}},
    "RecordEntry": {"type": "object", "required": ["step", "title", "by", "at", "values"], "properties": {
        "step": {"type": "string"}, "title": {"type": "string"}, "by": NULLABLE_STR, "at": TIME,
        "verdict": {"type": ["string", "null"], "enum": ["approved", "rejected", None]},
        "values": {"type": "array", "items": {"$ref": "#/components/schemas/RecordValue"}}}},
    "ShownValue": {"allOf": [{"$ref": "#/components/schemas/RecordValue"}, {
        "type": "object", "required": ["step", "by", "at"], "properties": {
            "step": {"type": "string"}, "by": NULLABLE_STR, "at": TIME}}]},
}
TASK_DETAIL = {"allOf": [_ref("Task"), {"type": "object", "required": ["form", "case", "record", "shown"],
                                        "properties": {
    "record": {"type": "array", "items": _ref("RecordEntry")},
    "shown": {"type": "array", "items": _ref("ShownValue")},  # what the task's diagram puts first
    "form": {"type": "object", "required": ["fields"], "properties": {"fields": {"type": "array",
                                                                               "items": _ref("Field")}}},
    "case": {"type": ["object", "null"]}}}]}


# RFC 7240: `Prefer: return=minimal` answers a completion with the case reference only, not the whole case.
PREFER = {"name": "Prefer", "in": "header", "required": False, "schema": {"type": "string", "enum": [
    "return=minimal", "return=representation"]}}
COMPLETED = {"type": "object", "anyOf": [{"required": ["case"]}, {"required": ["case_reference"]}], "properties": {
    "case": {"oneOf": [_ref("Case"), {"type": "null"}]}, "case_reference": {"type": ["string", "null"]},
    "next_step_stopped": {"type": "boolean"}}}

# External tasks in the shape of Camunda 7's REST API (/external-task): integration accounts and administrators.
NAME_TEXT = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\u0000]*\\S[^\\u0000]*$"}
WORKER = {"workerId": NAME_TEXT}
MS = {"type": "integer", "minimum": 1, "maximum": 7 * 24 * 3600 * 1000}
LOCKED_TASK = {"type": "object", "required": ["id", "topicName", "workerId", "lockExpirationTime", "retries",
                                              "activityId", "variables"], "properties": {
    "id": {"type": "string"}, "topicName": {"type": "string"}, "workerId": {"type": "string"},
    "lockExpirationTime": TIME, "retries": {"type": ["integer", "null"]}, "errorMessage": NULLABLE_STR,
    "activityId": {"type": "string"}, "processInstanceId": {"type": "string"},
    "processDefinitionKey": {"type": "string"}, "businessKey": NULLABLE_STR,
    "variables": {"type": "object", "additionalProperties": {"type": "object", "required": ["type", "value"]}}}}
DONE = {"204": {"description": "Done"}}


def _external(summary: str, body: dict[str, Any], required: list[str], ok: dict[str, Any] | None = None,
              **more: Any) -> dict[str, Any]:
    return {"parameters": _path("id"), "post": _op(summary, {**(ok or DONE), **_errors(403, 404, 409), **more},
                                                    requestBody=_body({"type": "object", "required": required,
                                                                       "properties": {**WORKER, **body}}))}


EXTERNAL_PATHS: dict[str, Any] = {
    "/external-task/fetchAndLock": {"post": _op(
        "Lock up to maxTasks waiting external tasks of the topics for this worker (asyncResponseTimeout: wait up "
        "to 30 s for one when none waits)",
        {"200": _json({"type": "array", "items": LOCKED_TASK}, "The tasks now locked for the worker"),
         **_errors(403)},
        requestBody=_body({"type": "object", "required": ["workerId", "maxTasks", "topics"], "properties": {
            **WORKER, "maxTasks": {"type": "integer", "minimum": 1, "maximum": 100},
            "asyncResponseTimeout": {"type": "integer", "minimum": 0, "maximum": 1800000},
            "topics": {"type": "array", "minItems": 1, "maxItems": 50, "items": {
                "type": "object", "required": ["topicName", "lockDuration"], "properties": {
                    "topicName": NAME_TEXT, "lockDuration": MS, "variables": {"type": "array", "items": TEXT}}}}}}))},
    "/external-task/{id}/complete": _external(
        "Complete the external task (the worker holding its lock): its variables go into the instance, which moves "
        "on", {"variables": VARIABLES}, ["workerId"]),
    "/external-task/{id}/failure": _external(
        "Report a failure: fetchable again after retryTimeout (ms) with the retries left; at 0 retries the "
        "instance stops with an incident", {
            "errorMessage": {**TEXT, "maxLength": 4000}, "errorDetails": TEXT,
            "retries": {"type": "integer", "minimum": 0, "maximum": 1000},
            "retryTimeout": {"type": "integer", "minimum": 0, "maximum": 7 * 24 * 3600 * 1000}},
        ["workerId", "retries"]),
    "/external-task/{id}/bpmnError": _external(
        "Throw a BPMN error: the error boundary event with this errorCode takes the instance on (400 when none "
        "catches it)", {"errorCode": NAME_TEXT, "errorMessage": {**TEXT, "maxLength": 4000}, "variables": VARIABLES},
        ["workerId", "errorCode"], None, **{"400": _json({"oneOf": [_ref("FieldErrors"), _ref("Error")]},
                                                         "Wrong input, or no error boundary event catches the code")}),
    "/external-task/{id}/extendLock": _external(
        "Extend the worker's lock to newDuration (ms) from now", {"newDuration": MS}, ["workerId", "newDuration"],
        {"200": _json({"type": "object", "required": ["id", "lockExpirationTime"], "properties": {
            "id": {"type": "string"}, "lockExpirationTime": TIME}}, "The new end of the lock")}),
}


def _paths() -> dict[str, Any]:
    task_ops = {
        "/tasks/{id}/claim": "Claim the task (claiming one's own task again changes nothing)",
        "/tasks/{id}/unclaim": "Give back a task one holds",
    }
    paths: dict[str, Any] = {
        "/auth/token": {
            "post": _op("Get a bearer token", {"200": _json({"type": "object", "required": ["token", "expires_at"],
                                                             "properties": {"token": {"type": "string"},
                                                                            "expires_at": TIME}}, "A new token"),
                                               **_errors(400, 401, 403, 429)}, secured=False,
                        requestBody=_body({"type": "object", "required": ["username", "password"], "properties": {
                            "username": TEXT, "password": TEXT}})),
            "delete": _op("Revoke the token used for this call", {"204": {"description": "Revoked"}})},
        "/tasks": {"get": _op("Tasks the caller holds or may claim", {"200": _json(
            {"type": "object", "required": ["tasks"],
             "properties": {"tasks": {"type": "array", "items": _ref("Task")}}}, "Tasks"), **_errors(403)})},
        "/tasks/{id}": {"parameters": _path("id"), "get": _op("A task with its form and case", {
            "200": _json(TASK_DETAIL, "The task"), **_errors(403, 404, 409)})},
        "/tasks/{id}/complete": {"parameters": _path("id"), "post": _op(
            "Complete the task with its form values", {"200": _json(COMPLETED, "The case after the step (its "
                                                                               "reference only if Prefer: "
                                                                               "return=minimal)"),
                                                       **_errors(400, 403, 404, 409)},
            parameters=[PREFER], requestBody=_body({"type": "object", "additionalProperties": True}))},
        "/cases": {
            "get": _op(CASE_SEARCH, {"200": _json({"type": "object", "required": [
                "cases", "page", "per_page", "total"], "properties": {
                "cases": {"type": "array", "items": _ref("CaseRow")}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "total": {"type": "integer"}}}, "A page of cases"),
                **_errors(400, 403)},
                parameters=_query("status", "type", "category", "department", "channel", "q") +
                [{"name": name, "in": "query", "schema": TIME} for name in ("opened_from", "opened_to")] +
                [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000000}},
                 {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}]),
            "post": _op("Capture a case (walk-in, phone, suggestion box)", {
                "201": {**_json(_ref("Created"), "The new case, or the case an earlier call with the same "
                                                 "Idempotency-Key made"), "headers": REPLAYED},
                **_errors(400, 403, 404)},
                parameters=[IDEMPOTENCY_KEY],
                requestBody=_body({"type": "object", "properties": {
                    "process": {"type": "string"}, "channel": {"enum": ["walk_in", "phone", "suggestion_box", "web"]},
                    "data": {"type": "object"}, "contact": _ref("Contact")}}))},
        "/cases/{reference}": {"parameters": _path("reference"), "get": _op("A case with its events and tasks", {
            "200": _json(_ref("Case"), "The case"), **_errors(403, 404)})},
        "/processes": {
            "get": _op("Deployed processes and versions", {"200": _json({"type": "object", "required": ["processes"],
                                                                        "properties": {"processes": {
                                                                            "type": "array", "items": {
                                                                                "type": "object"}}}},
                                                                       "Processes")}),
            "post": _op("Deploy BPMN and DMN files (process owners)", {
                "201": _json({"type": "object", "required": ["key", "version"], "properties": {
                    "key": {"type": "string"}, "version": {"type": "integer"},
                    # a version of each decision the DMN files define (a DMN-only upload deploys them alone)
                    "decisions": {"type": "array", "items": {"type": "object", "required": ["id", "version", "created"],
                                                             "properties": {"id": {"type": "string"},
                                                                            "version": {"type": "integer"},
                                                                            "created": {"type": "boolean"}}}},
                    # the lint's warnings (a task nobody is named for goes to BATHO_UNASSIGNED_TASK_ROLE): not blocking
                    "warnings": {"type": "array", "items": {"type": "object", "required": ["element_id", "message"],
                                                            "properties": {"file": {"type": "string"},
                                                                           "element_id": {"type": "string"},
                                                                           "message": {"type": "string"}}}}}},
                    "Deployed"),
                "400": _json(_ref("DeployErrors"), "The files cannot be deployed"), **_errors(403)},
                requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"], "properties": {"file": {
                        "type": "array", "items": {"type": "string", "format": "binary"}}}}}}})},
        "/processes/{key}/start-form": {"parameters": _path("key"), "get": _op(
            "The start form of the newest version (for those who may start it): its fields with every constraint, "
            "and their defaults as variables (Camunda's form-variables)", {"200": _json(
                {"type": "object", "required": ["key", "name", "version", "fields", "variables"], "properties": {
                    "key": {"type": "string"}, "name": {"type": "string"}, "version": {"type": "integer"},
                    "fields": {"type": "array", "items": _ref("Field")},
                    "variables": {"type": "object", "additionalProperties": {"type": "object"}}}}, "The form"),
                **_errors(403, 404)})},
        "/processes/{key}/instances": {"parameters": _path("key"), "post": _op(
            "Start a case on the newest version", {"201": _json(_ref("Created"), "The new case"),
                                                   **_errors(400, 403, 404)},
            requestBody=_body({"type": "object", "properties": {"data": {"type": "object"},
                                                               "contact": _ref("Contact")}}))},
        "/messages": {"post": _op(
            "Deliver a BPMN message (integration accounts, administrators): to the instances waiting for it, matched "
            "by businessKey (the case reference) or correlationKeys (variables that must be equal), with "
            "processVariables merged in; or start the process whose start event waits for it",
            {"200": _json(DELIVERED, "The instances the message reached or started"),
             "400": _json({"oneOf": [_ref("FieldErrors"), _ref("Error")]},
                          "Wrong input; or no instance waits for the message, or several do and all is not true"),
             **_errors(403)},
            requestBody=_body({"type": "object", "required": ["messageName"], "properties": {
                "messageName": TEXT, "businessKey": TEXT, "reference": TEXT, "all": {"type": "boolean"},
                "correlationKeys": VARIABLES, "processVariables": VARIABLES}}))},
        "/signals": {"post": _op(
            "Broadcast a BPMN signal (integration accounts, administrators) to every instance waiting for it, and "
            "start the processes whose start event waits for it",
            {"200": _json(DELIVERED, "The instances the signal reached or started"), **_errors(403)},
            requestBody=_body({"type": "object", "required": ["name"], "properties": {
                "name": TEXT, "variables": VARIABLES}}))},
        **EXTERNAL_PATHS,
        "/users": {
            "get": _op("Staff accounts (administrators)", {"200": _json({"type": "object", "required": ["users"],
                                                                         "properties": {"users": {
                                                                             "type": "array",
                                                                             "items": _ref("StaffMember")}}},
                                                                        "Every account"), **_errors(403)}),
            "post": _op("Add a staff member (administrators); without a password Batho makes a temporary one", {
                "201": _json(_ref("StaffMember"), "The new account"), **_errors(403)},
                requestBody=_body(STAFF_NEW))},
        "/users/{username}": {
            "parameters": _path("username"),
            "get": _op("A staff account (administrators)", {"200": _json(_ref("StaffMember"), "The account"),
                                                            **_errors(403, 404)}),
            "patch": _op("Change a staff account: details, roles, departments, active (false disables), password", {
                "200": _json(_ref("StaffMember"), "The account after the change"), **_errors(403, 404)},
                requestBody=_body(STAFF_CHANGE))},
        "/openapi.json": {"get": _op("This document", {"200": _json({"type": "object"}, "OpenAPI 3.1")},
                                     secured=False)},
    }
    for path, summary in task_ops.items():
        paths[path] = {"parameters": _path("id"), "post": _op(summary, {"200": _json(TASK_DETAIL, "The task"),
                                                                        **_errors(403, 404, 409)})}
    return paths


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Batho staff API", "version": "1.0.0",
                 "description": "Tasks, cases and processes of Batho for the municipality's own systems."},
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
