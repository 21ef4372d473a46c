"""The modeler in Debian's Chromium: edit a form label and a timer, deploy, upload mistakes, roll back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.services import modeling, tasks
from tests.modeler.diagrams import complaint_files
from tests.support.browser import DESKTOP, Person, assert_accessible, screenshot
from tests.support.drive import instance, lodge, open_task


@pytest.fixture
def strict(chromium, live) -> Iterator[Any]:
    """A person whose browser enforces the site's Content-Security-Policy and records script errors."""
    contexts = []

    def make() -> Person:
        context = chromium.new_context(viewport=DESKTOP, locale="en-ZA")
        context.set_default_timeout(15_000)
        contexts.append(context)
        who = Person(page=context.new_page(), base=live)
        errors: list[str] = []
        who.page.on("pageerror", lambda error: errors.append(str(error)))
        who.page.on("console", lambda message: errors.append(message.text) if message.type == "error"
                    and "favicon" not in message.text and "404" not in message.text else None)
        who.errors = errors  # type: ignore[attr-defined]
        return who

    yield make
    for context in contexts:
        context.close()


def open_modeler(owner, path: str):
    page = owner.go(path)
    page.wait_for_selector("#modeler[data-ready=true]")
    return page


def select(page, element_id: str) -> None:
    """Select an element as a problem link does (small shapes are hard to hit on a fitted canvas)."""
    page.evaluate("([id]) => BathoModeler.select(BathoModeler.current, id)", [element_id])
    page.wait_for_selector(f".bio-properties-panel-header-label:has-text('{element_id}'), "
                           ".bio-properties-panel-header")


def open_group(page, group: str) -> None:
    header = page.locator(f'[data-group-id="{group}"] .bio-properties-panel-group-header')
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def test_an_owner_changes_a_form_label_and_a_timer_and_new_cases_use_it(strict, person, batho, people):
    old_case = lodge(batho)
    owner = strict()
    owner.sign_in("owner")
    page = open_modeler(owner, "/modeler/complaint/1/edit")

    page.click('.djs-element[data-element-id="Task_triage"]')
    open_group(page, "group-CamundaPlatform__FormData")
    page.click('[data-entry-id="Task_triage-formField-0"] .bio-properties-panel-collapsible-entry-header')
    label = page.locator("#bio-properties-panel-Task_triage-formField-0-formFieldLabel")
    label.fill("Triage outcome")
    label.press("Tab")

    select(page, "Timer_manager")
    open_group(page, "group-timer")
    page.select_option("#bio-properties-panel-timerEventDefinitionType", "timeDuration")
    value = page.locator("#bio-properties-panel-timerEventDefinitionValue")
    value.fill('"P10D"')
    value.press("Tab")

    page.fill("#change-note", "Clearer label; the manager gets ten days.")
    page.click("button[data-modeler-action=deploy]")
    dialog = page.locator("dialog#deploy-confirm")
    dialog.wait_for(state="visible")
    summary = dialog.inner_text()
    assert "Complaint: version 1 → 2" in summary and "running case" in summary
    assert "field 'triage_outcome' label 'Outcome' → 'Triage outcome'" in summary
    assert "Timer of 'Five working days later'" in summary
    assert "Change note: Clearer label; the manager gets ten days." in summary
    screenshot(page, "modeler-deploy-confirmation")
    dialog.locator("text=Deploy now").click()
    page.wait_for_url("**/modeler/complaint/")
    assert "Deployed: complaint version 2" in page.inner_text("main")
    assert "Clearer label; the manager gets ten days." in page.inner_text("#version-2 .changes")
    changes = page.inner_text("#version-2 .changes")
    assert "Changed: Triage complaint (form)" in changes
    assert "Changed: Five working days later (timer or event)" in changes

    new_case = lodge(batho)
    assert instance(batho, new_case).version.version == 2
    assert instance(batho, old_case).version.version == 1
    agent = person()
    agent.sign_in("agent")
    new_form = agent.go(f"/tasks/{open_task(batho, new_case, 'Task_triage').id}").inner_text("main")
    old_form = agent.go(f"/tasks/{open_task(batho, old_case, 'Task_triage').id}").inner_text("main")
    assert "Triage outcome" in new_form
    assert "Triage outcome" not in old_form and "Outcome" in old_form
    deployed = modeling.version_files(batho, people["owner"], "complaint", 2)["complaint.bpmn"]
    assert '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P10D"</bpmn:timeDuration>' in deployed
    assert owner.errors == []  # the modeler runs under the site's Content-Security-Policy


def test_an_upload_with_two_mistakes_lists_each_and_a_lane_that_is_no_role_as_a_warning(strict, tmp_path):
    files = complaint_files()
    bpmn = files["complaint.bpmn"]
    bpmn = bpmn.replace('decision == "approve"', 'decision = "approve"')  # a broken condition
    bpmn = bpmn.replace('<bpmn:lane id="Lane_supervisor" name="Supervisor">',
                        '<bpmn:lane id="Lane_supervisor" name="Bosses">')  # a lane that is no role
    bpmn = bpmn.replace(">manager_escalation_due<", ">P5D<")  # a duration where a date belongs
    (tmp_path / "complaint.bpmn").write_text(bpmn, encoding="utf-8")
    (tmp_path / "complaint_routing.dmn").write_text(files["complaint_routing.dmn"], encoding="utf-8")
    owner = strict()
    owner.sign_in("owner")
    page = owner.go("/modeler/")
    page.set_input_files("#upload-files", [str(tmp_path / "complaint.bpmn"), str(tmp_path / "complaint_routing.dmn")])
    page.click("text=Upload and check")
    page.wait_for_selector("#modeler[data-ready=true]")

    problems = page.locator("#modeler-problems button.problem")
    assert problems.count() == 2
    # a lane that is no role is drawing: a warning under its own heading, which does not stop a deploy
    warnings = page.locator("#modeler-warnings button.problem")
    assert warnings.count() == 1 and "Lane 'Bosses' is not a role" in warnings.inner_text()
    assert "do not stop a deploy" in page.inner_text("#modeler-warnings h2")
    screenshot(page, "modeler-problems-and-warnings")
    expected = {"Flow_approved": "condition", "Timer_manager": "not a valid ISO 8601 date"}
    for index in range(2):
        button = problems.nth(index)
        element_id = button.get_attribute("data-element")
        assert expected[element_id] in button.inner_text()
        assert element_id in button.inner_text()  # the owner sees the element's id (and name) in the message
        button.click()
        assert page.evaluate("BathoModeler.selectedIds()") == [element_id]
        assert page.locator(f'.djs-element[data-element-id="{element_id}"].batho-problem').count() == 1

    page.click("button[data-modeler-action=deploy]")
    page.wait_for_selector("#modeler-status:has-text('Not deployed: 2 problems')")
    assert problems.count() == 2 and warnings.count() == 1
    assert [e for e in owner.errors if "400" not in e] == []  # the refused deploy answered 400, nothing else


def test_a_bad_decision_table_cell_is_shown_in_its_table(person):
    files = complaint_files()
    files["complaint_routing.dmn"] = files["complaint_routing.dmn"].replace(
        '<inputEntry id="In_roads"><text>"roads"</text>', '<inputEntry id="In_roads"><text>"roads</text>')
    owner = person()
    owner.sign_in("owner")
    draft = modeling_draft(owner, files)
    page = open_modeler(owner, f"/modeler/drafts/{draft}")
    button = page.locator("#modeler-problems button.problem[data-element=In_roads]")
    assert "Rule 4" in button.inner_text()
    button.click()
    page.wait_for_selector('[data-dmn] td[data-element-id="In_roads"].batho-problem')
    assert page.locator("[data-dmn]").is_visible()


def modeling_draft(owner, files: dict[str, str]) -> int:
    """Save `files` as a draft through the page's own JSON call; return its id."""
    page = open_modeler(owner, "/modeler/complaint/1/edit")
    return int(page.evaluate("""async (files) => {
        const root = document.getElementById('modeler');
        const r = await fetch(root.dataset.saveUrl, {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRFToken': root.dataset.csrf}, body: JSON.stringify({files, title: 'Bad cell'})});
        return (await r.json()).draft_id; }""", files))


def test_rolling_back_from_the_version_list(person, batho, people):
    modeling.deploy(batho, people["owner"], complaint_files("Triage outcome"))
    owner = person()
    owner.sign_in("owner")
    page = owner.go("/modeler/complaint/")
    assert_accessible(page, "version list")
    page.click("text=Roll back to version 1")
    page.wait_for_selector("text=Roll back to version 1?")
    assert "label 'Triage outcome' → 'Outcome'" in page.inner_text("main")
    page.click("text=Roll back now")
    page.wait_for_selector("text=Version 1 is deployed again as version 3")
    assert "Roll-back: the same diagram as version 1." in page.inner_text("#version-3")
    reference = lodge(batho)
    assert instance(batho, reference).version.version == 3
    view = tasks.task_view(batho, people["agent"], open_task(batho, reference, "Task_triage").id)
    assert view.fields[0].label == "Outcome"


def test_the_process_list_is_accessible(person):
    owner = person()
    owner.sign_in("owner")
    assert_accessible(owner.go("/modeler/"), "process list")


def test_the_case_diagram_viewer_marks_active_and_done_steps(person):
    """The contract the case page relies on: BathoDiagram.view(container, xml, {active, done})."""
    xml = complaint_files()["complaint.bpmn"]
    viewer = person()
    page = viewer.go("/login")
    page.add_script_tag(url=viewer.base + "/static/build/viewer.js")
    page.evaluate("""async (xml) => {
        const box = document.createElement('div'); box.id = 'diagram-test'; box.style.height = '400px';
        document.body.appendChild(box);
        await window.BathoDiagram.view(box, xml, {active: ['Task_triage'], done: ['Start_complaint', 'Task_route']});
    }""", xml)
    page.wait_for_selector("#diagram-test[data-ready=true]")
    assert page.locator('#diagram-test .djs-element.batho-active[data-element-id="Task_triage"]').count() == 1
    assert page.locator("#diagram-test .djs-element.batho-done").count() == 2
    assert page.get_attribute("#diagram-test", "aria-label") == "Process diagram. Current step: Triage complaint."
    assert page.locator("link[data-batho-diagram]").count() == 1  # its stylesheet came along


def test_a_draft_saved_from_a_version_keeps_its_place(strict, batho, people):
    owner = strict()
    owner.sign_in("owner")
    page = open_modeler(owner, "/modeler/complaint/1/edit")
    page.click('.djs-element[data-element-id="Task_triage"]')
    page.fill("#draft-title", "Friendlier triage")
    page.click("button[data-modeler-action=save]")
    page.wait_for_selector("#modeler-status:has-text('Draft saved')")
    assert "/modeler/drafts/" in page.url
    page.reload()
    page.wait_for_selector("#modeler[data-ready=true]")
    assert "Draft: Friendlier triage" in page.inner_text("h1")
    assert [v.version for v in modeling.versions(batho, people["owner"], "complaint")] == [1]  # not deployed
    assert owner.errors == []


def test_the_palette_creates_elements_without_calling_the_server(strict):
    owner = strict()
    owner.sign_in("owner")
    page = owner.go("/modeler/")
    page.fill("input[name=key]", "street_trading")
    page.fill("input[name=name]", "Street trading permits")
    page.click("button:has-text('Start from the template')")
    page.wait_for_selector("#modeler[data-ready=true]")
    lane = page.locator('.djs-element[data-element-id="Lane_agent"]')
    lane.scroll_into_view_if_needed()
    before = page.locator(".djs-element.djs-shape").count()
    page.click('.djs-palette [data-action="create.task"]')  # bpmn-js's own data-action, not one of our buttons
    box = lane.bounding_box()
    x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.8  # empty space in the lane
    page.mouse.move(x - 30, y - 10)
    page.mouse.move(x, y, steps=5)
    page.mouse.click(x, y)
    shapes = page.locator(".djs-element.djs-shape")
    for _ in range(50):
        if shapes.count() > before:
            break
        page.wait_for_timeout(100)
    assert shapes.count() == before + 1, "the palette's task was not placed on the canvas"
    assert page.locator("#modeler-status").is_hidden(), page.inner_text("#modeler-status")
    assert owner.errors == []
