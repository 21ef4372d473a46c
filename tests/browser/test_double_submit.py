"""Double-clicking the lodge form's send button in Chromium makes one case, and the page shows its reference."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from engine.models import Case


def test_a_double_click_on_send_makes_one_case(person, batho):
    page = person().go("/lodge/complaint")
    page.select_option("#f-category", "water")
    page.fill("#f-description", "No water in Extension 4 since Monday.")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.method) if r.url.endswith("/lodge/complaint") else None)
    button = page.get_by_role("button", name="Send")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    # The mouse, not a locator: a locator's click would wait for the first sending's page before the second.
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("h1")).to_have_text("Thank you. We have your case.")
    with batho.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        [reference] = session.scalars(select(Case.reference)).all()
    expect(page.locator("main")).to_contain_text(reference)
    assert sent.count("POST") >= 1
