"""Schemathesis against the live OpenAPI 3.1 document, in-process (WSGI): every operation conforms."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from engine.services import api_tokens
from tests.support.database import DEMO_PASSWORD
from tests.support.drive import lodge

# Whether these bodies are acceptable depends on the deployed diagram (its form, or the BPMN sent), which a
# static document cannot express: schema-valid values may still be refused with 400 and field sentences.
EXAMPLES = int(os.environ.get("BATHO_SCHEMATHESIS_EXAMPLES", "25"))  # raise it for a deeper search
FORM_CHECKED = {"POST /cases", "POST /processes", "POST /processes/{key}/instances", "POST /tasks/{id}/complete",
                # whether an instance waits for the message, and which variables its scripts can take
                "POST /messages", "POST /signals",
                # which variable names the worker sends back, whether the diagram catches the error code, and a NUL
                # in any property of their open objects (refused with 400)
                "POST /external-task/fetchAndLock", "POST /external-task/{id}/complete",
                "POST /external-task/{id}/failure", "POST /external-task/{id}/bpmnError",
                "POST /external-task/{id}/extendLock"}


def test_every_operation_conforms_to_the_document(app, batho):
    """Each operation gets generated requests (valid and invalid); every answer must match the document."""
    lodge(batho)  # a case and a task exist, so list operations return real rows
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def conforms(case):
            token = api_tokens.issue_token(batho, "agent", DEMO_PASSWORD).token  # fresh: DELETE revokes it
            excluded = [positive_data_acceptance] if case.operation.label in FORM_CHECKED else []
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)

        conforms()
        tested.append(operation.label)
    # schemathesis leaves out the operation that serves the document itself
    assert len(tested) == 25 and "GET /openapi.json" not in tested, " ".join(sorted(tested))


def test_the_document_is_openapi_3_1_and_names_every_route(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    routes = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops
              if method != "parameters"}
    assert {("POST", "/auth/token"), ("DELETE", "/auth/token"), ("GET", "/tasks"), ("GET", "/tasks/{id}"),
            ("POST", "/tasks/{id}/claim"), ("POST", "/tasks/{id}/unclaim"), ("POST", "/tasks/{id}/complete"),
            ("POST", "/cases"), ("GET", "/cases"), ("GET", "/cases/{reference}"), ("GET", "/processes"),
            ("POST", "/processes"), ("POST", "/processes/{key}/instances"), ("GET", "/openapi.json"),
            ("GET", "/users"), ("POST", "/users"), ("GET", "/users/{username}"), ("PATCH", "/users/{username}"),
            ("POST", "/messages"), ("POST", "/signals"), ("POST", "/external-task/fetchAndLock"),
            ("POST", "/external-task/{id}/complete"), ("POST", "/external-task/{id}/failure"),
            ("POST", "/external-task/{id}/bpmnError"), ("POST", "/external-task/{id}/extendLock"),
            ("GET", "/processes/{key}/start-form")} == routes
