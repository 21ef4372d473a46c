"""A process made here and deployed, with no Python change, is everywhere the shipped ones are."""

from __future__ import annotations

import io

from sqlalchemy import select

from engine.models import Case
from engine.services import deployment
from tests.fixtures.make import process
from tests.processes.helpers import at
from web.bpmn_messages import extract_bpmn

TITLE = "Apply for the indigent subsidy"
INTRODUCTION = "Free basic water and electricity for households that earn too little to pay for them."
ASSESSING = "Being assessed by the indigent office; we may visit your household."
REGISTERED = "Registered: we have your case and will look at it soon."  # the shipped sentence, translated already


def _property(name: str, value: str) -> str:
    return f'<camunda:property name="{name}" value="{value}" />'


START = "".join(_property(n, v) for n, v in [
    ("lodge", "citizen"), ("title", TITLE), ("introduction", INTRODUCTION), ("status.registered", REGISTERED),
    ("status.assessing", ASSESSING), ("status.decided", "Decided: we have written to you with the outcome.")])
BODY = f"""
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_billing" name="Billing Clerk">
      <bpmn:flowNodeRef>Task_assess</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="Start_indigent" name="Application received">
      <bpmn:extensionElements><camunda:properties>{START}</camunda:properties>
        <camunda:formData>
          <camunda:formField id="account_number" label="Municipal account number" type="string">
            <camunda:validation><camunda:constraint name="required" /></camunda:validation></camunda:formField>
          <camunda:formField id="household_size" label="People living in the household" type="long">
            <camunda:validation><camunda:constraint name="required" /><camunda:constraint name="min" config="1" />
            </camunda:validation></camunda:formField>
          <camunda:formField id="monthly_income" label="Household income per month (rand)" type="decimal">
            <camunda:validation><camunda:constraint name="required" /><camunda:constraint name="min" config="0" />
            </camunda:validation></camunda:formField>
          <camunda:formField id="description" label="Anything else we should know" type="string">
            <camunda:properties><camunda:property id="multiline" value="true" /></camunda:properties>
          </camunda:formField>
        </camunda:formData></bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:businessRuleTask id="Task_standard" name="Look up the standard" camunda:decisionRef="indigent_standard">
      <bpmn:extensionElements><camunda:properties>{_property("caseStatus", "assessing")}</camunda:properties>
      </bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:userTask id="Task_assess" name="Assess the application">
      <bpmn:extensionElements>
        <camunda:properties>{_property("caseStatus", "decided")}</camunda:properties>
        <camunda:formData><camunda:formField id="outcome" label="Outcome" type="enum">
          <camunda:value id="approved" name="Approved" /><camunda:value id="declined" name="Declined" />
        </camunda:formField></camunda:formData></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End_indigent" />
    <bpmn:sequenceFlow id="f1" sourceRef="Start_indigent" targetRef="Task_standard" />
    <bpmn:sequenceFlow id="f2" sourceRef="Task_standard" targetRef="Task_assess" />
    <bpmn:sequenceFlow id="f3" sourceRef="Task_assess" targetRef="End_indigent" />
"""
STANDARD = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_indigent" name="Indigent standard"
  namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="indigent_standard" name="Indigent subsidy standard">
    <decisionTable id="Table_indigent" hitPolicy="UNIQUE">
      <input id="Input_size" label="Household"><inputExpression id="Expr_size" typeRef="integer">
        <text>household_size</text></inputExpression></input>
      <output id="Out_dept" label="Department" name="department" typeRef="string" />
      <output id="Out_ack" label="Acknowledge" name="ack_days" typeRef="integer" />
      <output id="Out_res" label="Resolve" name="resolution_days" typeRef="integer" />
      <rule id="Rule_any"><description>Indigent subsidy: application assessed</description>
        <inputEntry id="In_any"><text>-</text></inputEntry>
        <outputEntry id="O1"><text>"finance"</text></outputEntry>
        <outputEntry id="O2"><text>3</text></outputEntry>
        <outputEntry id="O3"><text>30</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""
DIAGRAM = process("indigent_subsidy", BODY, name="Indigent subsidy application")
APPLICATION = {"account_number": "5520017", "household_size": "5", "monthly_income": "2100.00",
               "description": "Two pensioners and three children."}


def _deploy(batho, people):
    files = {"indigent_subsidy.bpmn": DIAGRAM, "indigent_standard.dmn": STANDARD}
    deployment.deploy_sources(batho, files, people["owner"].id)


def test_the_new_diagram_is_clean_and_its_citizen_texts_go_to_the_translators():
    from engine.bpmn.lint import lint
    from engine.services.identity import ROLES

    assert lint({"indigent_subsidy.bpmn": DIAGRAM, "indigent_standard.dmn": STANDARD}, list(ROLES.items())) == []
    extracted = {message for _, _, message, _ in extract_bpmn(io.BytesIO(DIAGRAM.encode()), None, None, None)}
    assert {TITLE, INTRODUCTION, ASSESSING, "People living in the household"} <= extracted


def test_a_citizen_finds_the_new_process_on_the_start_page_and_lodges_it_with_its_own_form(batho, people, browsers):
    _deploy(batho, people)
    citizen = browsers("citizen")
    start = citizen.get("/").get_data(as_text=True)
    assert TITLE in start and INTRODUCTION in start and "/lodge/indigent_subsidy" in start
    form = citizen.get("/lodge/indigent_subsidy").get_data(as_text=True)
    assert f"<h1>{TITLE}</h1>" in form and "People living in the household" in form
    refused = citizen.post("/lodge/indigent_subsidy", {**APPLICATION, "household_size": "0"},
                           page="/lodge/indigent_subsidy")
    assert refused.status_code == 400 and "at least 1" in refused.get_data(as_text=True)
    done = citizen.post("/lodge/indigent_subsidy", APPLICATION, page="/lodge/indigent_subsidy")
    assert done.status_code == 302
    with batho.db.reading() as session:
        case = session.scalars(select(Case).where(Case.case_type == "indigent_subsidy")).one()
        assert (case.status, case.department_code) == ("assessing", "finance")
        reference = case.reference
    status = citizen.get(f"/status/{reference}").get_data(as_text=True)
    assert ASSESSING in status


def test_its_status_reads_as_the_diagram_says_in_three_languages(batho, people, browsers):
    """The diagram's own sentences have no Sesotho or Afrikaans yet: those pages show the diagram's English (a
    translator adds them to the .po files, see README "Adding a process"). The sentence it shares with the shipped
    processes is already in the catalogs, and reads translated: the texts go through gettext, no Python needed."""
    _deploy(batho, people)
    citizen = browsers("citizen")
    done = citizen.post("/lodge/indigent_subsidy", APPLICATION, page="/lodge/indigent_subsidy")
    reference = done.headers["Location"].split("/lodged/")[1].split("?")[0]
    for language in ("en", "st", "af"):
        page = citizen.get(f"/status/{reference}", headers={"Accept-Language": language}).get_data(as_text=True)
        assert f'lang="{language}"' in page and ASSESSING in page
    with batho.db.transaction() as session:
        session.scalars(select(Case).where(Case.reference == reference)).one().status = "registered"
    english = citizen.get(f"/status/{reference}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    sesotho = citizen.get(f"/status/{reference}", headers={"Accept-Language": "st"}).get_data(as_text=True)
    assert REGISTERED in english
    assert "E ngodisitswe: re na le taba ya hao mme re tla e sheba haufinyane." in sesotho


def test_open311_lists_it_with_its_fields_as_attributes(batho, people, browsers):
    _deploy(batho, people)
    client = browsers("citizen")
    services = {s["service_code"]: s for s in client.get("/open311/v2/services.json").get_json()}
    assert services["indigent_subsidy"]["service_name"] == "Indigent subsidy application"
    detail = client.get("/open311/v2/services/indigent_subsidy.json").get_json()
    codes = {a["code"] for a in detail["attributes"]}
    assert {"account_number", "household_size", "monthly_income"} <= codes


def test_monitoring_names_it_and_the_council_report_and_transparency_show_its_standard(batho, people, browsers):
    _deploy(batho, people)
    with at(2026, 10, 6, 10, 0):
        browsers("citizen").post("/lodge/indigent_subsidy", APPLICATION, page="/lodge/indigent_subsidy")
    with at(2026, 10, 20, 10, 0):
        manager = browsers("manager")
        board = manager.get("/dashboard/?period=2026-10&group=case_type").get_data(as_text=True)
        report = manager.get("/reports/council?period=2026-10").get_data(as_text=True)
        public = browsers("citizen").get("/transparency").get_data(as_text=True)
    assert "Indigent subsidy application" in board  # the case type, named as the diagram names its process
    assert "Indigent subsidy: application assessed" in report  # its standard in force, under Finance
    assert "Indigent subsidy: application assessed" in public
