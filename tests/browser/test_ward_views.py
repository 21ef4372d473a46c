"""In Chromium: a councillor's "My ward" on a 360 px phone and the dashboard's map by ward on a 1366 px laptop read
well (text at least 12 px, nothing scrolls sideways, each ward numbered inside its outline), with screenshots
docs/screenshots/councillor-ward-phone.png and docs/screenshots/dashboard-ward-map.png."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import update
from werkzeug.serving import make_server

from engine.models import Case
from tests.support.browser import PHONE, SCREENSHOTS, Person, assert_accessible, screenshot
from tests.support.database import DEMO_PASSWORD
from web import create_app

LAPTOP = {"width": 1366, "height": 768}
WARD_OF = {"A": ("42005001", "Frankfort"), "B": ("42005001", "Frankfort"), "G": ("42005001", "Frankfort"),
           "E": ("42005002", "Namahadi"), "H": ("42005002", "Namahadi"),
           "C": ("42005004", "Villiers"), "D": ("42005004", "Villiers")}
# The smallest text shown in an element with text of its own (not counting its children's).
SMALLEST = """(root) => [...document.querySelectorAll(root + ' *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length)
  .map(e => ({text: e.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(e).fontSize)}))
  .filter(t => t.px < 12)"""


@pytest.fixture
def open_at(month, chromium) -> Iterator:  # noqa: F811 - month
    app, refs = month
    with app.db.transaction() as session:
        for letter, (ward, town) in WARD_OF.items():
            session.execute(update(Case).where(Case.reference == refs[letter]).values(ward=ward, town=town))
    server = make_server("127.0.0.1", 0, create_app(app, {"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    contexts = []

    def person(viewport: dict[str, int], username: str, landing: str) -> Person:
        context = chromium.new_context(viewport=viewport, locale="en-ZA", bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        someone = Person(page=context.new_page(), base=f"http://127.0.0.1:{server.server_port}")
        someone.go("/login")
        someone.page.fill("#username", username)
        someone.page.fill("#password", DEMO_PASSWORD)
        someone.page.click("button[type=submit]")
        someone.page.wait_for_url(f"**{landing}**")
        return someone

    yield person, refs
    for context in contexts:
        context.close()
    server.shutdown()
    thread.join(timeout=10)


def test_a_councillors_ward_reads_on_a_phone(open_at):
    person, refs = open_at
    page = person(PHONE, "councillor", "/ward").page  # signing in lands on the ward
    assert page.locator("h1").inner_text().startswith("Ward 1: Frankfort town")
    rows = page.locator("#ward-case-list tbody tr")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.reference)")) == sorted(
        refs[x] for x in "ABG")
    text = page.locator("main").inner_text()
    assert "Jane Citizen" not in text and "Thabo Mofokeng" not in text and "jane@example.org" not in text
    assert page.evaluate(SMALLEST, "main") == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("nav[aria-label=Main] a", has_text="Tasks").count() == 0
    assert_accessible(page, "councillor's ward at 360 px")
    screenshot(page, "councillor-ward-phone")


def test_the_dashboards_map_by_ward_reads_on_a_laptop(open_at):
    person, _ = open_at
    page = person(LAPTOP, "manager", "/tasks/").page
    page.goto(page.url.split("/tasks/")[0] + "/dashboard/?period=2026-09")
    figure = page.locator("figure[data-map=wards]")
    figure.scroll_into_view_if_needed()
    assert page.locator("path.ward").count() == 8
    numbers = page.locator(".ward-number")
    assert sorted(int(n) for n in numbers.all_inner_texts()) == list(range(1, 9))
    assert page.evaluate(SMALLEST, "#wards") == []
    box = page.locator(".ward-map-box").bounding_box()
    assert box and box["width"] >= 400
    for i in range(numbers.count()):  # each number inside the map, and on its own ward's outline
        numbers.nth(i).scroll_into_view_if_needed()
        label = numbers.nth(i).bounding_box()
        assert label and box["x"] <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"] + 1
        number = numbers.nth(i).inner_text()
        centre = (label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)
        under = page.evaluate("""([x, y]) => { const hit = document.elementsFromPoint(x, y)
            .find(e => e.matches && e.matches('path.ward')); return hit ? hit.dataset.ward : null; }""", centre)
        assert under == f"4200500{number}", (number, under)
    assert "has the most open cases now" in figure.locator("figcaption").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("path.ward[data-ward='42005004']").click()
    page.wait_for_url("**/dashboard/cases?**ward=42005004**")
    assert page.locator("#drill tbody tr").count() == 2
    page.go_back()
    page.locator("section#wards").screenshot(path=str(SCREENSHOTS / "dashboard-ward-map.png"))
