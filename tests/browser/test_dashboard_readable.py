"""In Chromium at a laptop's and a phone's width: the dashboard's charts can be read and its tables fit.

Every chart text is at least 12 px as shown, no label is cut, each share chart has its target line, each chart
its reading sentence, and at 1366 px nothing scrolls sideways. Screenshots go to docs/screenshots/dashboard-*.png.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from engine.services.identity import DEPARTMENTS
from tests.support.browser import PHONE, SCREENSHOTS, Person, assert_accessible, screenshot
from web import create_app

LAPTOP = {"width": 1366, "height": 768}
SHARE_CHARTS = ("within", "departments", "months")

# Per chart text: its font size times the SVG's scale on screen, and its words (tspans joined by spaces).
TEXTS = """() => [...document.querySelectorAll('svg.chart text')].map(t => {
  const svg = t.ownerSVGElement; const m = svg.getScreenCTM();
  const words = t.querySelectorAll('tspan').length
      ? [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ') : t.textContent;
  return {shown: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), words: words.trim(),
          label: t.classList.contains('label'), chart: t.closest('figure').dataset.chart,
          visible: t.getBoundingClientRect().width > 0};
})"""


@pytest.fixture
def dashboard_at(month, chromium) -> Iterator:  # noqa: F811 - month
    app, _ = month
    server = make_server("127.0.0.1", 0, create_app(app, {"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    contexts = []

    def open_at(viewport: dict[str, int], period: str = "2026-09"):
        context = chromium.new_context(viewport=viewport, locale="en-ZA", bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        person = Person(page=context.new_page(), base=f"http://127.0.0.1:{server.server_port}")
        person.sign_in("manager")
        return person.go(f"/dashboard/?period={period}")

    yield open_at
    for context in contexts:
        context.close()
    server.shutdown()
    thread.join(timeout=10)


def _assert_readable(page, where: str) -> None:
    texts = page.evaluate(TEXTS)
    assert texts, "no chart text at all"
    small = [(t["chart"], t["words"], round(t["shown"], 1)) for t in texts if t["shown"] < 12]
    assert not small, f"{where}: chart text under 12 px: {small}"
    labels = [t["words"] for t in texts if t["label"] and t["chart"] == "departments"]
    assert sorted(labels) == sorted(DEPARTMENTS.values()), f"{where}: department labels cut: {labels}"
    for name in SHARE_CHARTS:
        chart = page.locator(f"figure[data-chart={name}]")
        assert chart.locator("line.target").count() == 1, f"{where}: no target line in {name}"
        assert chart.locator("text.target-label").text_content() == "Target 80%"
    readings = page.locator("figure.chart-figure figcaption.reading").all_inner_texts()
    assert len(readings) == page.locator("svg.chart").count() == 6
    assert all(r.strip().endswith(".") and len(r.split()) >= 5 for r in readings), readings


def test_at_a_laptops_width_every_chart_reads_and_nothing_scrolls_sideways(dashboard_at):
    page = dashboard_at(LAPTOP)
    _assert_readable(page, "1366 px")
    page.locator("#table-figures td.more summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    readings = page.locator("figcaption.reading").all_inner_texts()
    assert readings[3] == ("Finance (billing and revenue): 0% within standard, the lowest; Technical Services "
                           "(water, sanitation, roads, electricity): 66.7%, the highest; target 80% (0 of 2 met it).")
    assert readings[2].startswith("4 cases are open now")
    assert_accessible(page, "dashboard at 1366 px")
    screenshot(page, "dashboard-laptop-2026-09")


def test_grouped_by_department_the_figures_table_fits_with_the_rest_behind_all_figures(dashboard_at):
    page = dashboard_at(LAPTOP, "2026-09&group=department")
    table = page.locator("#table-figures")
    assert table.locator("thead th").count() == 8
    first = table.locator("tbody tr").first
    first.locator("td.more summary").click()
    assert first.locator("dl.all-figures dt", has_text="Escalations").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "dashboard-laptop-by-department")


def test_on_a_phone_chart_text_stays_readable_and_labels_whole(dashboard_at):
    page = dashboard_at(PHONE)
    _assert_readable(page, "360 px")
    screenshot(page, "dashboard-phone-2026-09")
    page.locator("section.chart-block.two").first.screenshot(path=str(SCREENSHOTS / "dashboard-phone-charts.png"))
