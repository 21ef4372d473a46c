"""A browser-like test client: it reads the CSRF token of a page before every POST, as a browser would."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from tests.support.database import DEMO_PASSWORD

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


def csrf_of(page: str) -> str:
    """The CSRF token a page carries (the modeler's data-csrf, or a form's hidden field)."""
    found = re.search(r'data-csrf="([^"]+)"', page) or TOKEN.search(page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def post_json(client: Browser, url: str, body: dict[str, Any], page: str) -> Any:
    """POST JSON as the modeler's scripts do: with the CSRF token of `page` in the X-CSRFToken header."""
    token = csrf_of(client.get(page).get_data(as_text=True))
    return client.client.post(url, json=body, headers={"X-CSRFToken": token})


def signed_in(batho: Any) -> Callable[[str], Browser]:
    """A web app on `batho` and, per username, one browser signed in as that person (made on first use)."""
    from web import create_app

    flask_app = create_app(batho, {"TESTING": True})
    made: dict[str, Browser] = {}

    def get(username: str) -> Browser:
        if username not in made:
            made[username] = Browser(flask_app.test_client())
            assert made[username].login(username).status_code == 302
        return made[username]

    return get
