"""API fixtures: the real app (CSRF on), the demo Open311 key, bearer tokens for demo staff."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from engine.models import ApiKey, ApiToken
from engine.services import api_tokens
from tests.conftest import DEMO_PASSWORD
from web import create_app


@pytest.fixture
def app(batho):
    with batho.db.transaction() as session:  # no key or token left from another test
        session.execute(delete(ApiKey))
        session.execute(delete(ApiToken))
    return create_app(batho, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo_key(batho) -> str:
    api_tokens.ensure_demo_key(batho)
    return api_tokens.DEMO_KEY


@pytest.fixture
def bearer(client):
    """Authorization headers for a demo user, through POST /api/v1/auth/token."""
    made: dict[str, dict[str, str]] = {}

    def get(username: str) -> dict[str, str]:
        if username not in made:
            response = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.get_data(as_text=True)
            made[username] = {"Authorization": f"Bearer {response.get_json()['token']}"}
        return made[username]

    return get
