"""Decisions deployed on their own (issue 16): a DMN-only upload makes versions of its decisions, through the API,
`batho deploy` and the modeler; later diagrams call the newest version; a decision found nowhere is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from engine.models import DecisionVersion, ProcessVersion
from engine.services import cases, deployment
from tests.modeler.camunda_diagrams import dmn, flow, process, table
from tests.support.drive import do, open_tasks
from tests.support.web import csrf_of, post_json
from web.cli import main

BANDS = [["< 100", '"small"'], [">= 100", '"large"']]


def fees(rules=None) -> str:
    return dmn(table("fee_band", "FIRST", ["amount"], ["band"], rules or BANDS))


def charging(key: str, decision: str = "fee_band") -> str:
    """start → decide the band → a clerk's task for a small or a large fee → end."""
    return process(key, '<bpmn:startEvent id="start" />'
                        f'<bpmn:businessRuleTask id="decide" name="Decide the band" camunda:decisionRef="{decision}" />'
                        '<bpmn:exclusiveGateway id="which" />'
                        '<bpmn:userTask id="charge_small" name="Charge a small fee" camunda:candidateGroups="customer_care_agent" />'
                        '<bpmn:userTask id="charge_large" name="Charge a large fee" camunda:candidateGroups="customer_care_agent" />'
                        '<bpmn:endEvent id="end" />' + flow("start", "decide", "f1") + flow("decide", "which", "f2")
                   + flow("which", "charge_small", "f3", 'band == "small"')
                   + flow("which", "charge_large", "f4", 'band == "large"')
                   + flow("charge_small", "end", "f5") + flow("charge_large", "end", "f6"))


def versions(batho, decision_id: str = "fee_band") -> list[tuple[int, str]]:
    with batho.db.reading() as session:
        return [(v.version, v.file_name) for v in session.scalars(
            select(DecisionVersion).where(DecisionVersion.decision_id == decision_id)
            .order_by(DecisionVersion.version))]


def upload(client, headers, name: str, text: str):
    return client.post("/api/v1/processes", data={"file": [(io.BytesIO(text.encode()), name)]}, headers=headers)


def test_a_dmn_only_upload_through_the_api_deploys_its_decisions(batho, client, bearer):
    answer = upload(client, bearer("owner"), "fees.dmn", fees())
    assert answer.status_code == 201, answer.get_data(as_text=True)
    body = answer.get_json()
    assert (body["deployed"], body["decisions"]) == ([], [{"id": "fee_band", "version": 1, "created": True}])
    assert versions(batho) == [(1, "fees.dmn")]


def test_an_unchanged_re_upload_makes_no_version_and_a_changed_one_does(batho, client, bearer):
    upload(client, bearer("owner"), "fees.dmn", fees())
    again = upload(client, bearer("owner"), "fees.dmn", fees())
    assert again.get_json()["decisions"] == [{"id": "fee_band", "version": 1, "created": False}]
    changed = upload(client, bearer("owner"), "fees.dmn", fees([["< 500", '"small"'], ["-", '"large"']]))
    assert changed.get_json()["decisions"] == [{"id": "fee_band", "version": 2, "created": True}]
    assert versions(batho) == [(1, "fees.dmn"), (2, "fees.dmn")]


def test_batho_deploy_deploys_a_dmn_file_alone(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    (tmp_path / "fees.dmn").write_text(fees(), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(main, ["deploy", str(tmp_path / "fees.dmn")])
    assert first.exit_code == 0, first.output
    assert "decision fee_band: deployed as version 1" in first.output
    assert "decision fee_band: unchanged at version 1" in runner.invoke(main, ["deploy", str(tmp_path / "fees.dmn")]).output


def test_a_dmn_uploaded_alone_in_the_modeler_deploys_and_is_listed_with_a_download(batho, browsers):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/").get_data(as_text=True))
    drafted = owner.client.post("/modeler/upload", data={"csrf_token": token, "files": [
        (io.BytesIO(fees().encode()), "fees.dmn")]}, content_type="multipart/form-data")
    assert drafted.status_code == 302
    location = drafted.headers["Location"]
    assert "fee_band" in owner.get(location).get_data(as_text=True)
    deployed = post_json(owner, "/modeler/api/deploy", {"files": {"fees.dmn": fees()}, "confirmed": True}, location)
    assert deployed.status_code == 200, deployed.get_data(as_text=True)
    assert deployed.get_json()["redirect"] == "/modeler/"
    page = owner.get("/modeler/").get_data(as_text=True)
    assert "Deployed: decision fee_band version 1" in page
    assert "Decisions (decision tables deployed" in page and "Download fee_band version 1" in page
    download = owner.get("/modeler/decisions/fee_band/1/file")
    assert download.status_code == 200 and download.get_data(as_text=True) == fees()
    assert "attachment" in download.headers["Content-Disposition"] and "fees.v1.dmn" in \
        download.headers["Content-Disposition"]
    assert owner.get("/modeler/decisions/fee_band/9/file").status_code == 404


def test_a_diagram_deployed_later_runs_the_newest_deployed_decision(batho, people):
    deployment.deploy_sources(batho, {"fees.dmn": fees()})
    deployment.deploy_sources(batho, {"charging.bpmn": charging("charging")})
    reference = cases.start_process(batho, "charging", {"amount": 250})
    assert open_tasks(batho, reference) == ["charge_large"]
    do(batho, people["agent"], reference, "charge_large")
    assert open_tasks(batho, reference) == []
    # a new version of the decision: the process that calls it becomes a new version that uses it
    made = deployment.deploy_sources(batho, {"fees.dmn": fees([["< 500", '"small"'], ["-", '"large"']])},
                                     with_decisions=True)
    assert [(d.kind, d.key, d.version, d.created) for d in made] == [
        ("decision", "fee_band", 2, True), ("process", "charging", 2, True)]
    assert open_tasks(batho, cases.start_process(batho, "charging", {"amount": 250})) == ["charge_small"]
    deployment.deploy_sources(batho, {"other.bpmn": charging("other_charging")})  # a third diagram, later still
    assert open_tasks(batho, cases.start_process(batho, "other_charging", {"amount": 250})) == ["charge_small"]
    with batho.db.reading() as session:
        assert "fees.dmn" in session.scalars(select(ProcessVersion.dmn_files)
                                             .where(ProcessVersion.key == "other_charging")).one()


def test_a_decision_found_neither_in_the_upload_nor_deployed_deploys_with_a_warning_naming_the_file(batho, client,
                                                                                                   bearer):
    deployment.deploy_sources(batho, {"fees.dmn": fees()})
    [deployed] = deployment.deploy_sources(batho, {"nowhere.bpmn": charging("nowhere", "no_such_band")})
    assert [(w["file"], w["message"]) for w in deployed.warnings if w["rule"] == "reference"] == [(
        "nowhere.bpmn", 'Decision task "Decide the band" (decide) uses decision "no_such_band", which is not deployed '
        'yet: a case that reaches this step stops there, as an incident, until "no_such_band" is deployed.')]
    answer = upload(client, bearer("owner"), "nowhere.bpmn", charging("nowhere", "no_such_band"))
    assert answer.status_code < 300
    assert "nowhere.bpmn" in answer.get_data(as_text=True) and "no_such_band" in answer.get_data(as_text=True)


@pytest.mark.parametrize("username", ["agent", "supervisor", "manager"])
def test_only_process_owners_deploy_list_or_download_decisions(batho, client, bearer, browsers, username):
    deployment.deploy_sources(batho, {"fees.dmn": fees()})
    assert upload(client, bearer(username), "fees.dmn", fees([["-", '"large"']])).status_code == 403
    staff = browsers(username)
    assert staff.get("/modeler/").status_code == 403
    assert staff.get("/modeler/decisions/fee_band/1/file").status_code == 403
    assert versions(batho) == [(1, "fees.dmn")]


def test_the_modeler_checks_and_deploys_a_diagram_that_calls_a_deployed_decision(batho, browsers):
    deployment.deploy_sources(batho, {"fees.dmn": fees()})
    owner = browsers("owner")
    files = {"charging.bpmn": charging("charging")}
    checked = post_json(owner, "/modeler/api/check", {"files": files}, "/modeler/")
    assert checked.get_json()["problems"] == [], checked.get_json()
    deployed = post_json(owner, "/modeler/api/deploy", {"files": files, "confirmed": True}, "/modeler/")
    assert deployed.get_json()["redirect"] == "/modeler/charging/"
    assert open_tasks(batho, cases.start_process(batho, "charging", {"amount": 5})) == ["charge_small"]
