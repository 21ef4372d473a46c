"""One rule for deploying processes, in the modeler and through the staff API: process owners and administrators."""

from __future__ import annotations

import io

import pytest

from tests.fixtures.make import script_process
from tests.modeler.diagrams import complaint_files
from tests.support.web import post_json


def _upload(key: str) -> dict:
    return {"file": [(io.BytesIO(script_process(key, "x = 1").encode()), f"{key}.bpmn")]}


@pytest.mark.parametrize("username", ["owner", "admin"])
def test_process_owners_and_administrators_deploy_through_the_api(client, bearer, username):
    deployed = client.post("/api/v1/processes", data=_upload(f"by_{username}"), headers=bearer(username))
    assert deployed.status_code == 201, deployed.get_data(as_text=True)
    assert deployed.get_json()["key"] == f"by_{username}"


@pytest.mark.parametrize("username", ["agent", "supervisor", "manager"])
def test_other_staff_may_not_deploy_through_the_api(client, bearer, username):
    refused = client.post("/api/v1/processes", data=_upload("not_mine"), headers=bearer(username))
    assert refused.status_code == 403
    assert "process owners and administrators" in refused.get_json()["error"]


@pytest.mark.parametrize("username", ["owner", "admin"])
def test_process_owners_and_administrators_deploy_in_the_modeler(browsers, username):
    response = post_json(browsers(username), "/modeler/api/deploy", {"files": complaint_files("Changed"),
                                                                     "confirmed": True}, "/modeler/complaint/1/edit")
    assert response.status_code == 200 and response.get_json()["redirect"] == "/modeler/complaint/"


@pytest.mark.parametrize("username", ["agent", "supervisor", "manager"])
def test_other_staff_may_not_deploy_in_the_modeler(browsers, username):
    response = post_json(browsers(username), "/modeler/api/deploy", {"files": complaint_files("Changed")}, "/tasks/")
    assert response.status_code == 403
    assert "process owners and administrators" in response.get_json()["message"]
