"""A deployed diagram cannot break out: its script errors the instance, also after a save and reload."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import DeploymentError
from engine.services import cases, deployment, tasks
from tests.fixtures.make import gateway_process, script_process
from tests.support.drive import events, instance, open_task
from tests.support.unchecked import store_unchecked


@pytest.mark.parametrize("files", [
    {"evil.bpmn": script_process("evil", "import os\nos.system('true')")},
    {"evil.bpmn": gateway_process("evil_gateway", "().__class__.__bases__[0].__subclasses__() != []")},
])
def test_deploying_refuses_imports_and_dunder_escapes_up_front(batho, files):
    with pytest.raises(DeploymentError):
        deployment.deploy_sources(batho, files)


# The runtime guard must hold even for diagrams that never went through the deploy-time lint.


def test_a_script_that_imports_os_fails_and_runs_nothing(batho, tmp_path: Path):
    marker = tmp_path / "pwned"
    store_unchecked(batho, {"evil.bpmn": script_process(
        "evil", f"import os\nos.system('touch {marker}')")})
    reference = cases.start_process(batho, "evil", {})
    assert instance(batho, reference).status == "error"
    assert "import" in instance(batho, reference).error_message.lower()
    assert events(batho, reference, "error")
    assert not marker.exists()


def test_a_condition_with_a_dunder_escape_fails(batho):
    store_unchecked(batho, {"evil.bpmn": gateway_process(
        "evil_gateway", "().__class__.__bases__[0].__subclasses__() != []")})
    reference = cases.start_process(batho, "evil_gateway", {})
    assert instance(batho, reference).status == "error"


def test_the_restriction_holds_after_the_instance_is_saved_and_loaded(batho, people, tmp_path: Path):
    """SpiffWorkflow does not serialize its script engine: a reloaded workflow must get ours again."""
    marker = tmp_path / "pwned-after-load"
    body = f"""
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="Customer Care Agent"><bpmn:flowNodeRef>ask</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="ask" name="Say yes" />
    <bpmn:scriptTask id="later" scriptFormat="python"><bpmn:script>import os
os.system('touch {marker}')</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="later" />
    <bpmn:sequenceFlow id="f3" sourceRef="later" targetRef="end" />"""
    from tests.fixtures.make import process

    store_unchecked(batho, {"later.bpmn": process("evil_later", body)})
    reference = cases.start_process(batho, "evil_later", {})
    assert instance(batho, reference).status == "running"
    tasks.complete(batho, people["agent"], open_task(batho, reference, "ask").id, {})
    assert instance(batho, reference).status == "error"
    assert not marker.exists()


def test_a_gateway_with_no_satisfied_condition_errors_only_its_instance(batho):
    deployment.deploy_sources(batho, {"stuck.bpmn": gateway_process("stuck", "1 == 2")})
    reference = cases.start_process(batho, "stuck", {})
    assert instance(batho, reference).status == "error"
    assert instance(batho, reference).error_message
    assert events(batho, reference, "error")[0].message == instance(batho, reference).error_message
