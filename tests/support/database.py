"""The test database: built by the real migrations, demo users seeded once, emptied between tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from engine import schema
from engine.composition import Batho, build
from engine.config import PROJECT_ROOT, Config
from engine.db import Database
from engine.models import Base, DecisionVersion, ProcessVersion
from engine.services import deployment, identity

DEMO_PASSWORD = "demo-test"
# Reference data stays for the session: users, roles and departments (seeded once), the working-day calendar
# (written by migration 0006), and the mark saying for which offset the daily roll-ups are kept (migration 0018).
KEEP = {"users", "roles", "departments", "user_roles", "user_departments", "work_days", "rollup_marks"}
# What deploying workflows/ writes: kept between tests while no test deploys anything else.
DEPLOYED = ["process_version_changes", "process_versions", "decision_versions"]
PER_TEST_TABLES = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP | set(DEPLOYED)]


def make_batho(url: str, instance: Path) -> Batho:
    config = Config(database_url=url, secret_key="test-secret", instance_path=instance,
                    workflows_path=PROJECT_ROOT / "workflows", demo_password=DEMO_PASSWORD)
    return build(config)


def rebuild(url: str, instance: Path) -> None:
    """Drop everything, migrate from nothing and seed the demo users."""
    db = Database(url)
    with db.write_engine.begin() as conn:
        if db.is_sqlite:
            Base.metadata.drop_all(conn)
        else:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    schema.upgrade(db)
    db.dispose()
    app = make_batho(url, instance)
    identity.seed_demo(app, DEMO_PASSWORD)
    app.db.dispose()


def _delete(app: Batho, tables: list[str]) -> None:
    with app.db.transaction() as session:
        if app.db.is_sqlite:
            for table in tables:
                session.execute(text(f"DELETE FROM {table}"))
        else:
            session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


def clear(app: Batho) -> None:
    """Empty every table that tests write (cases, instances, tasks, events, outbox, drafts, sessions, ...)."""
    _delete(app, PER_TEST_TABLES)


def versions_mark(app: Batho) -> tuple[int, int | None, int]:
    """How many versions are deployed and the newest id, and how many decision versions: a test that deployed
    anything changes it."""
    with app.db.reading() as session:
        count, newest = session.execute(select(func.count(ProcessVersion.id), func.max(ProcessVersion.id))).one()
        return int(count), newest, int(session.scalar(select(func.count(DecisionVersion.id))) or 0)


def undeploy(app: Batho) -> None:
    _delete(app, DEPLOYED)


def deploy_workflows(app: Batho) -> None:
    """workflows/ deployed on an empty set of versions."""
    undeploy(app)
    deployment.deploy_directory(app, app.config.workflows_path)
