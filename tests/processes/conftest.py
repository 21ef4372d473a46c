"""The web tests' CSRF-aware clients, shared with the process pages' tests (the root conftest empties every table)."""

from tests.web.conftest import app, browsers  # noqa: F401
