"""In Chromium: the process-insight heat view draws the diagram with waiting counts, and a failed instance is retried."""

from __future__ import annotations

from tests.metrics.test_insight import _failed
from tests.support import drive
from tests.support.browser import AXE, WCAG_AA, screenshot


def test_insight_shows_the_diagram_with_counts_and_retries_a_failed_instance(batho, people, person):
    drive.to_investigation(batho, people)
    drive.to_investigation(batho, people)
    drive.lodge(batho)
    admin = person()
    admin.sign_in("admin")
    page = admin.go("/insight/complaint")
    page.wait_for_selector("#insight-diagram[data-ready=true]")
    assert page.locator("#steps tr[data-step=Task_investigate] td").first.inner_text() == "2"
    assert page.locator(".heat-badge").count() >= 2
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    assert not [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    screenshot(page, "process-insight")

    instance_id = _failed(batho)
    page = admin.go("/insight/gate")
    assert "Instances stopped by an error (1)" in page.content()
    page.fill("textarea[name=data]", '{"amount": 20}')
    page.click("#failures button:text('Retry')")
    page.wait_for_selector(".flash")
    assert f"Instance {instance_id} was retried and runs again." in page.content()
    assert "Instances stopped by an error (0)" in page.content()
