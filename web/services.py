"""Access to the engine from request handlers."""

from __future__ import annotations

from flask import current_app

from engine.composition import Batho


def batho() -> Batho:
    """The Batho composition root this app was built with."""
    return current_app.extensions["batho"]  # type: ignore[no-any-return]
