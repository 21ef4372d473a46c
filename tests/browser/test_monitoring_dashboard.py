"""In Chromium: the dashboard, a drill from "overdue" to the case, the CSV export, and the Council report.

Screenshots (and a PDF of the report) go to docs/screenshots/.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.browser import DESKTOP, SCREENSHOTS, Person, assert_accessible, screenshot
from web import create_app


@pytest.fixture
def manager(month, chromium) -> Iterator[tuple[Person, dict[str, str]]]:  # noqa: F811 - month
    app, refs = month
    server = make_server("127.0.0.1", 0, create_app(app, {"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = chromium.new_context(viewport=DESKTOP, locale="en-ZA", accept_downloads=True, bypass_csp=True)
    context.set_default_timeout(15_000)
    person = Person(page=context.new_page(), base=f"http://127.0.0.1:{server.server_port}")
    person.sign_in("manager")
    yield person, refs
    context.close()
    server.shutdown()
    thread.join(timeout=10)


def test_dashboard_drill_from_overdue_to_the_case_and_export_csv(manager):
    person, refs = manager
    page = person.go("/dashboard/?period=2026-09")
    assert page.locator(".tile[data-figure=overdue] .value").inner_text() == "1"
    assert page.locator("svg.chart").count() == 6
    assert_accessible(page, "dashboard")
    screenshot(page, "dashboard-2026-09")

    page.click(".tile[data-figure=overdue] a")
    page.wait_for_url("**/dashboard/cases?**figure=overdue**")
    assert page.locator("#drill tbody tr").count() == 1
    page.click(f"#drill a:text('{refs['D']}')")
    page.wait_for_url(f"**/cases/{refs['D']}")
    assert refs["D"] in page.content()

    page = person.go("/dashboard/?period=2026-09&group=department")
    with page.expect_download() as caught:
        page.click("a.csv[href*='/dashboard/figures.csv']")
    download = caught.value
    assert download.suggested_filename == "batho-figures-2026-09.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["Group"] == "All cases" and total["Overdue now"] == "1" and total["Opened"] == "6"


def test_council_report_prints(manager):
    person, _ = manager
    page = person.go("/reports/council?period=2026-09")
    assert "Report to Council" in page.locator("h1").inner_text()
    assert_accessible(page, "Council report")
    screenshot(page, "council-report-2026-09")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "council-report-2026-09.pdf"), format="A4", print_background=True)
    assert (SCREENSHOTS / "council-report-2026-09.pdf").stat().st_size > 10_000


def test_transparency_page_is_readable_without_signing_in(manager, chromium):
    person, _ = manager
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    page.goto(person.base + "/transparency")
    assert "How we are doing" in page.locator("h1").inner_text()
    assert_accessible(page, "transparency page")
    screenshot(page, "transparency-phone")
    context.close()
