"""Keyboard only: skip link, the language switch and a whole complaint without a mouse, in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.browser import PHONE


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))


def tab_to(page: Page, wanted: str, limit: int = 40) -> None:
    """Press Tab until the focused element's id or text starts with `wanted` (at most `limit` times)."""
    for _ in range(limit):
        if focused_id(page).startswith(wanted):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{wanted!r} is not reachable with the Tab key")


def test_a_citizen_switches_to_afrikaans_and_lodges_a_complaint_with_the_keyboard_only(person):
    citizen = person(viewport=PHONE)
    page = citizen.go("/")
    page.keyboard.press("Tab")
    assert focused_id(page) == "Skip to content"
    tab_to(page, "Afrikaans")  # through the header links to the language switch
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Hoe kan ons help?")
    tab_to(page, "Rapporteer")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Rapporteer 'n probleem of kla")
    tab_to(page, "f-category")
    page.keyboard.press("ArrowDown")  # the first choice: water supply
    expect(page.locator("#f-category")).to_have_value("water")
    page.keyboard.press("Tab")
    assert focused_id(page) == "f-description"
    page.keyboard.type("Die pyp by die hoek lek al twee dae.")
    page.keyboard.press("Tab")
    assert focused_id(page) == "f-location"
    page.keyboard.type("Kerkstraat 5")
    page.keyboard.press("Tab")
    assert focused_id(page) == "use-location"  # the map's "use my location" is a button the keyboard reaches
    tab_to(page, "name", limit=12)  # past the map and the photo field, both optional
    for expected in ("email", "phone"):
        page.keyboard.press("Tab")
        assert focused_id(page) == expected
    page.keyboard.press("Tab")
    assert focused_id(page) == "Stuur"
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Dankie. Ons het u saak ontvang.")
    expect(page.locator("#reference")).to_have_text(re.compile(r"MAF-\d{4}-\d{6}"))
