"""Modeler fixtures: the web fixtures (real app, CSRF-aware clients) for the modeler's pages."""

from tests.web.conftest import app, browser, browsers  # noqa: F401 - fixtures shared with the web tests
