"""Browser fixtures: the real app behind a real WSGI server, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from tests.support.browser import ARGS, CHROMIUM, DESKTOP, Person
from web import create_app


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
