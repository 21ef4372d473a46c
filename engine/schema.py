"""Schema migrations through Alembic (the only way tables are created outside unit tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from .db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(db: Database) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    # A plain (deferred) engine: Alembic manages its own transaction.
    from sqlalchemy import create_engine

    engine = create_engine(db.url)
    try:
        with engine.begin() as connection:
            cfg = _alembic_config(db)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def make_revision(db: Database, message: str) -> None:
    """Autogenerate a new migration against `db` (a developer tool)."""
    from sqlalchemy import create_engine

    engine = create_engine(db.url)
    with engine.begin() as connection:
        cfg = _alembic_config(db)
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True)
    engine.dispose()
