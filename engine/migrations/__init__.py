"""Alembic migrations for the Batho schema."""
