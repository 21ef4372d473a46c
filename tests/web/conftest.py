"""Web fixtures: the real app with CSRF on, and a browser-like client that carries the CSRF token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import DEMO_PASSWORD
from web import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """Wraps the test client: every POST first GETs a page to read its CSRF token, as a browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def token(self, page: str = "/login") -> str:
        found = TOKEN.search(self.client.get(page).get_data(as_text=True))
        assert found, f"no CSRF token on {page}"
        return found.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, page: str = "/login", **kwargs: Any) -> Any:
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token(page)}, **kwargs)

    def login(self, username: str, password: str = DEMO_PASSWORD) -> Any:
        return self.post("/login", {"username": username, "password": password})


@pytest.fixture
def app(batho):
    return create_app(batho, {"TESTING": True})


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app.test_client())


@pytest.fixture
def browsers(app):
    """A separate browser (own cookies) per person."""
    made: dict[str, Browser] = {}

    def get(username: str) -> Browser:
        if username not in made:
            made[username] = Browser(app.test_client())
            if username != "citizen":
                assert made[username].login(username).status_code == 302
        return made[username]

    return get
