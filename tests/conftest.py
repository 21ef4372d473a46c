"""Every shared fixture: a migrated real database (SQLite by default, PostgreSQL with BATHO_DATABASE_URL), Batho on
it with workflows/ deployed, the demo staff, the Flask app with CSRF-aware clients, API tokens, the metrics month.

Folder conftests hold only what their folder alone uses (the SMTP server in notify/, Chromium in browser/).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.bpmn.specs import SpecCache
from engine.composition import Batho
from engine.config import PROJECT_ROOT
from engine.services import api_tokens, deployment, identity
from tests.metrics import dataset
from tests.support.database import DEMO_PASSWORD, clear, deploy_workflows, make_batho, rebuild, undeploy, versions_mark
from tests.support.web import Browser
from web import create_app


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    configured = os.environ.get("BATHO_DATABASE_URL")
    if configured:
        return configured
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'batho-test.sqlite3'}"


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The schema built by the real migrations, with the demo users seeded once."""
    rebuild(database_url, tmp_path_factory.mktemp("instance"))
    return database_url


@dataclass
class Deployed:
    """workflows/ as deployed for the session: the versions' mark and their parsed specs, shared between tests."""

    mark: tuple[int, int | None, int] | None = None
    specs: SpecCache | None = None


@pytest.fixture(scope="session")
def deployed_workflows() -> Deployed:
    return Deployed()


@pytest.fixture
def batho(migrated: str, tmp_path: Path, deployed_workflows: Deployed) -> Iterator[Batho]:
    """A fresh Batho on the test database, emptied of cases and with workflows/ deployed.

    workflows/ is deployed once and kept (with its parsed specs) for the tests after, until a test deploys
    something itself (the versions change): then the next test deploys it again on empty process tables.
    """
    app = make_batho(migrated, tmp_path)
    clear(app)
    if deployed_workflows.mark is None or versions_mark(app) != deployed_workflows.mark:
        deploy_workflows(app)
        deployed_workflows.mark, deployed_workflows.specs = versions_mark(app), SpecCache()
    app.specs = deployed_workflows.specs or app.specs
    yield app
    app.db.dispose()


@pytest.fixture
def empty_batho(migrated: str, tmp_path: Path) -> Iterator[Batho]:
    """Like `batho` but with nothing deployed."""
    app = make_batho(migrated, tmp_path)
    clear(app)
    undeploy(app)
    yield app
    app.db.dispose()


@pytest.fixture(scope="session")
def people(migrated: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, identity.Identity]:
    """The demo staff, signed in once through the real password check."""
    app = make_batho(migrated, tmp_path_factory.mktemp("people"))
    result = {}
    for username in identity.DEMO_USERS:
        who = identity.authenticate(app, username, DEMO_PASSWORD)
        assert who is not None, username
        result[username] = who
    app.db.dispose()
    return result


@pytest.fixture
def app(batho: Batho) -> Flask:
    """The real app (CSRF on) over `batho`."""
    return create_app(batho, {"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def browser(app: Flask) -> Browser:
    return Browser(app.test_client())


@pytest.fixture
def browsers(app: Flask) -> Callable[[str], Browser]:
    """A separate browser (own cookies) per person, signed in unless it is the citizen's."""
    made: dict[str, Browser] = {}

    def get(username: str) -> Browser:
        if username not in made:
            made[username] = Browser(app.test_client())
            if username != "citizen":
                assert made[username].login(username).status_code == 302
        return made[username]

    return get


@pytest.fixture
def demo_key(batho: Batho) -> str:
    api_tokens.ensure_demo_key(batho)
    return api_tokens.DEMO_KEY


@pytest.fixture
def bearer(client: FlaskClient) -> Callable[[str], dict[str, str]]:
    """Authorization headers for a demo user, through POST /api/v1/auth/token."""
    made: dict[str, dict[str, str]] = {}

    def get(username: str) -> dict[str, str]:
        if username not in made:
            response = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.get_data(as_text=True)
            made[username] = {"Authorization": f"Bearer {response.get_json()['token']}"}
        return made[username]

    return get


@pytest.fixture
def month(migrated: str, batho: Batho, people: dict[str, identity.Identity],
          tmp_path: Path) -> Iterator[tuple[Batho, dict[str, str]]]:
    """A Batho whose clock is 5 October 2026, over the hand-built month of cases (tests/metrics/dataset.py)."""
    app = make_batho(migrated, tmp_path)
    app.specs = batho.specs
    app.clock = lambda: dataset.NOW
    refs = dataset.build(app, people)
    yield app, refs
    app.db.dispose()


@pytest.fixture
def open_complaints(batho: Batho) -> Batho:
    """The complaint diagram with `openDetails=true` on its start event: a process that publishes details."""
    source = (PROJECT_ROOT / "workflows" / "complaint.bpmn").read_text()
    marker = '<bpmn:startEvent id="Start_complaint"'
    assert marker in source
    start = source.index(marker)
    opened = source.index("<bpmn:extensionElements>", start) + len("<bpmn:extensionElements>")
    source = (source[:opened] + '<camunda:properties><camunda:property name="openDetails" value="true" />'
              "</camunda:properties>" + source[opened:])
    files = {p.name: p.read_text() for p in (PROJECT_ROOT / "workflows").glob("*.dmn")}
    deployment.deploy_sources(batho, {**files, "complaint.bpmn": source})
    return batho
