"""Jinja filters: money, dates and names as people read them (engine.formatting), overdue marks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, g

from engine import formatting
from engine.services.names import CodeNames, code_names

from .i18n import current_language
from .services import batho


def _names() -> CodeNames:
    """The code names, looked up once per request."""
    if "code_names" not in g:
        g.code_names = code_names(batho())
    return g.code_names  # type: ignore[no-any-return]


def register(app: Flask) -> None:
    tz = lambda: batho().config.timezone  # noqa: E731 - read per call: tests build apps with their own zone

    @app.template_filter("local")
    def local(value: datetime | None, fmt: str | None = None) -> str:
        """A moment in the municipality's zone: `Tuesday 8 December 2026, 14:05` (or `fmt`)."""
        if value is None:
            return "—"
        if fmt is None:
            return formatting.date_time(value, current_language(), tz())
        return value.astimezone(ZoneInfo(tz())).strftime(fmt)

    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        return formatting.date_time(value, current_language(), tz())

    @app.template_filter("day")
    def day(value: Any) -> str:
        return formatting.long_date(value, current_language(), tz())

    @app.template_filter("decimal")
    def decimal(value: Any) -> str:
        """One decimal at most, with the page language's separator: 5.5 (en), 5,5 (st, af)."""
        return formatting.decimal_text(value, current_language())

    app.add_template_filter(formatting.money, "money")
    app.add_template_filter(formatting.language_name, "language_name")
    app.add_template_filter(formatting.channel_name, "channel_name")
    app.add_template_filter(formatting.code_name, "code_name")
    app.add_template_filter(lambda code: _names().category(code), "category_name")
    app.add_template_filter(lambda code: _names().department(code), "department_name")
    app.add_template_filter(lambda code: _names().process(code), "process_name")
    app.add_template_filter(lambda code: formatting.code_name(code, {}), "status_name")

    @app.template_test("overdue")
    def overdue(value: datetime | None) -> bool:
        return value is not None and value < datetime.now(UTC)
