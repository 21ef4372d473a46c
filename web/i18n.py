"""Languages of the citizen pages (English, Sesotho, Afrikaans): chosen by a switch or the browser."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel, get_locale

LANGUAGES = {"en": "English", "st": "Sesotho", "af": "Afrikaans"}
TRANSLATIONS = Path(__file__).parent / "translations"
# Staff pages are in English: the catalogs cover what citizens read.
STAFF_BLUEPRINTS = frozenset({"tasks", "cases", "supervise", "auth", "dashboard", "insight"})
# Staff pages in a blueprint shared with a page in every language: the transparency page sits with the Council
# report, and a ward councillor (an elected resident, not staff) reads "My ward" in their language.
STAFF_ENDPOINTS = frozenset({"council.council_report", "council.council_pdf", "councillor.set_ward"})


def select_locale() -> str:
    """?lang= (remembered for the visit), else the remembered choice, else the browser's preference."""
    if request.blueprint in STAFF_BLUEPRINTS or request.endpoint in STAFF_ENDPOINTS:
        return "en"
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return str(remembered)
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=current_language)
