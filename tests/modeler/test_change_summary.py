"""The change summary says how each step changed (form fields and labels, options, conditions, timers,
assignments), lists new citizen-facing words without a translation, keeps the owner's change note, and a deploy or
roll-back goes live only after the owner has seen it."""

from __future__ import annotations

from engine.bpmn.change_details import change_details, citizen_texts, untranslated
from engine.config import CATALOGS
from engine.services import drafts, modeling
from tests.modeler.diagrams import complaint_files
from tests.support.drive import lodge
from tests.support.web import csrf_of, post_json


def _changed(**replacements: str) -> tuple[dict[str, str], dict[str, str]]:
    old = complaint_files()
    new = dict(old)
    for before, after in replacements.items():
        assert before in new["complaint.bpmn"], before
        new["complaint.bpmn"] = new["complaint.bpmn"].replace(before, after)
    return old, new


def test_a_changed_form_label_is_named_with_its_old_and_new_words():
    old, new = complaint_files(), complaint_files(triage_label="Triage outcome")
    assert change_details(old, new) == [
        "Form of 'Triage complaint': field 'triage_outcome' label 'Outcome' → 'Triage outcome'."]


def test_options_conditions_timers_and_assignments_are_each_said():
    old, new = _changed(**{
        'name="Water supply"': 'name="Water and taps"',
        'category == "poor_service"': 'category in ("poor_service", "other")',
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">manager_escalation_due</bpmn:timeDate>':
            '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P10D"</bpmn:timeDuration>',
        '<bpmn:userTask id="Task_triage"': '<bpmn:userTask camunda:candidateGroups="customer_care_agent" '
                                          'id="Task_triage"'})
    details = change_details(old, new)
    assert "Form of 'Complaint lodged': field 'What is it about?' option 'Water supply' → 'Water and taps'." in details
    assert any(d.startswith("Condition of the path 'Yes' from") and
               "'category == \"poor_service\"' → 'category in (\"poor_service\", \"other\")'" in d for d in details)
    assert any(d.startswith("Timer of ") and "date 'manager_escalation_due' → duration '\"P10D\"'" in d
               for d in details)
    assert "Candidate groups of 'Triage complaint': none → 'customer_care_agent'." in details


def test_new_citizen_words_without_translation_are_listed_and_translated_ones_are_not():
    old, new = _changed(**{'label="Describe the problem"': 'label="Tell us what is wrong"'})
    assert "Tell us what is wrong" in citizen_texts(new)
    assert untranslated(old, new, CATALOGS) == [
        {"text": "Tell us what is wrong", "missing": ["Sesotho", "Afrikaans"]}]
    # The deployed wording is translated in both languages, so putting it back lists nothing.
    assert untranslated(new, old, CATALOGS) == []


def test_the_preview_says_what_changes_and_who_stays_behind(browsers, batho):
    lodge(batho)
    lodge(batho)
    owner = browsers("owner")
    response = post_json(owner, "/modeler/api/preview", {"files": complaint_files("Triage outcome")},
                         "/modeler/complaint/1/edit")
    assert response.status_code == 200
    [complaint] = response.get_json()["processes"]
    assert (complaint["key"], complaint["current_version"], complaint["running"]) == ("complaint", 1, 2)
    assert complaint["details"] == [
        "Form of 'Triage complaint': field 'triage_outcome' label 'Outcome' → 'Triage outcome'."]
    # The decision table came along unchanged: no new version of it.
    assert [(d["file"], d["unchanged"]) for d in response.get_json()["decisions"]] == [
        ("complaint_routing.dmn", True)]


def test_a_deploy_without_confirmation_deploys_nothing_and_answers_with_the_preview(browsers, batho, people):
    owner = browsers("owner")
    response = post_json(owner, "/modeler/api/deploy", {"files": complaint_files("Triage outcome")},
                         "/modeler/complaint/1/edit")
    assert response.status_code == 409 and response.get_json()["confirm"] is True
    assert response.get_json()["processes"][0]["details"]
    assert [v.version for v in modeling.versions(batho, people["owner"], "complaint")] == [1]


def test_the_change_note_is_kept_with_the_draft_and_the_version(browsers, batho, people):
    owner = browsers("owner")
    saved = post_json(owner, "/modeler/api/save", {"files": complaint_files("Triage outcome"), "title": "Wording",
                                                   "note": "Agents asked for a clearer label."},
                      "/modeler/complaint/1/edit").get_json()
    assert drafts.load(batho, people["owner"], saved["draft_id"]).note == "Agents asked for a clearer label."
    page = owner.get(f"/modeler/drafts/{saved['draft_id']}").get_data(as_text=True)
    assert "Agents asked for a clearer label." in page
    post_json(owner, "/modeler/api/deploy", {"files": complaint_files("Triage outcome"), "confirmed": True,
                                             "draft_id": saved["draft_id"],
                                             "note": "Agents asked for a clearer label."}, "/modeler/complaint/1/edit")
    versions = owner.get("/modeler/complaint/").get_data(as_text=True)
    assert "Agents asked for a clearer label." in versions
    assert "field &#39;triage_outcome&#39; label &#39;Outcome&#39; → &#39;Triage outcome&#39;" in versions


def test_rolling_back_asks_first_with_what_changes(browsers, batho, people):
    owner = browsers("owner")
    post_json(owner, "/modeler/api/deploy", {"files": complaint_files("Triage outcome"), "confirmed": True},
              "/modeler/complaint/1/edit")
    lodge(batho)
    page = owner.get("/modeler/complaint/1/rollback").get_data(as_text=True)
    assert "Roll back to version 1?" in page and "1 running case stays" in page
    assert "label &#39;Triage outcome&#39; → &#39;Outcome&#39;" in page
    token = csrf_of(page)
    unconfirmed = owner.client.post("/modeler/complaint/1/rollback", data={"csrf_token": token})
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith("/modeler/complaint/1/rollback")
    assert [v.version for v in modeling.versions(batho, people["owner"], "complaint")] == [2, 1]
    owner.client.post("/modeler/complaint/1/rollback", data={"csrf_token": token, "confirm": "yes"})
    assert [v.version for v in modeling.versions(batho, people["owner"], "complaint")] == [3, 2, 1]
