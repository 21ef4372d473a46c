"""Modeler fixtures: the web fixtures (real app, CSRF-aware clients). Browser tests live in tests/browser/."""

from tests.web.conftest import app, browser, browsers  # noqa: F401 - shared with the web tests
