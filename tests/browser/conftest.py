"""Browser fixtures: the real app behind a real WSGI server, Debian's Chromium driven by Playwright, axe-core."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from engine.config import PROJECT_ROOT
from tests.conftest import DEMO_PASSWORD
from web import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}  # a cheap Android phone
DESKTOP = {"width": 1280, "height": 900}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Per module: one sync Playwright may run at a time in a process, and other folders' browser tests start their own.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: apt-get install -y chromium (.ci/run does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(batho) -> Iterator[str]:
    """The app on 127.0.0.1 at a free port, served from a thread, on the test database."""
    server = make_server("127.0.0.1", 0, create_app(batho, {"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@dataclass
class Person:
    """One person at their own browser (own cookies, screen size and language)."""

    page: Page
    base: str
    contexts: list[Any] = field(default_factory=list)

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, username: str) -> None:
        self.go("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", DEMO_PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url("**/tasks/**")


@pytest.fixture
def person(chromium, live) -> Iterator[Any]:
    """person(viewport=..., locale=...) opens a fresh browser context for one actor."""
    contexts = []

    def make(viewport: dict[str, int] | None = None, locale: str = "en-ZA", mobile: bool = False) -> Person:
        context = chromium.new_context(viewport=viewport or DESKTOP, locale=locale, is_mobile=mobile,
                                       has_touch=mobile, bypass_csp=True)  # axe is injected as a script
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Person(page=context.new_page(), base=live)

    yield make
    for context in contexts:
        context.close()


def assert_accessible(page: Page, what: str) -> None:
    """axe-core on the page as it is now: no serious or critical WCAG 2.1 A/AA violations."""
    assert AXE.exists(), "axe-core is missing: run `make assets` (npm ci) first"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                        for v in bad)
    assert not bad, f"{what}: {details}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
