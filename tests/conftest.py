"""Fixtures: a migrated real database (SQLite by default, PostgreSQL with BATHO_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from engine import schema
from engine.composition import Batho, build
from engine.config import PROJECT_ROOT, Config
from engine.db import Database
from engine.models import Base
from engine.services import deployment, identity

DEMO_PASSWORD = "demo-test"
# Users, roles and departments are seeded once per session; every other table is emptied before each test.
KEEP = {"users", "roles", "departments", "user_roles", "user_departments",
        "work_days"}  # the working-day calendar is reference data written by migration 0006
PER_TEST_TABLES = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    configured = os.environ.get("BATHO_DATABASE_URL")
    if configured:
        return configured
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'batho-test.sqlite3'}"


def _drop_everything(db: Database) -> None:
    with db.write_engine.begin() as conn:
        if db.is_sqlite:
            Base.metadata.drop_all(conn)
        else:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The schema built by the real migrations, with the demo users seeded once."""
    db = Database(database_url)
    _drop_everything(db)
    schema.upgrade(db)
    db.dispose()
    app = make_batho(database_url, tmp_path_factory.mktemp("instance"))
    identity.seed_demo(app, DEMO_PASSWORD)
    app.db.dispose()
    return database_url


def make_batho(url: str, instance: Path) -> Batho:
    config = Config(database_url=url, secret_key="test-secret", instance_path=instance,
                    workflows_path=PROJECT_ROOT / "workflows", demo_password=DEMO_PASSWORD)
    return build(config)


def _clear(app: Batho) -> None:
    with app.db.transaction() as session:
        if app.db.is_sqlite:
            for table in PER_TEST_TABLES:
                session.execute(text(f"DELETE FROM {table}"))
        else:
            session.execute(text(f"TRUNCATE {', '.join(PER_TEST_TABLES)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def batho(migrated: str, tmp_path: Path) -> Iterator[Batho]:
    """A fresh Batho on the test database, emptied of cases and with workflows/ deployed."""
    app = make_batho(migrated, tmp_path)
    _clear(app)
    deployment.deploy_directory(app, app.config.workflows_path)
    yield app
    app.db.dispose()


@pytest.fixture
def empty_batho(migrated: str, tmp_path: Path) -> Iterator[Batho]:
    """Like `batho` but with nothing deployed."""
    app = make_batho(migrated, tmp_path)
    _clear(app)
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
