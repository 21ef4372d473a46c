"""Jinja filters: dates in the municipality's time zone, overdue marks."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from .services import batho


def register(app: Flask) -> None:
    @app.template_filter("local")
    def local(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
        if value is None:
            return "—"
        return value.astimezone(ZoneInfo(batho().config.timezone)).strftime(fmt)

    @app.template_test("overdue")
    def overdue(value: datetime | None) -> bool:
        return value is not None and value < datetime.now(UTC)
