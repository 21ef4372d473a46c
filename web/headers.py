"""Caching rules for responses that carry personal information, and safe attachment headers for downloads."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask, Response, g, request

# Citizen pages that show an access code or what the citizen wrote (the status page: when opened with its code).
PERSONAL_ENDPOINTS = {"public.lodged", "suggestions.thanks"}
READS = ("GET", "HEAD")
NOT_PLAIN = re.compile(r"[^A-Za-z0-9._ -]+")


def carries_personal_information() -> bool:
    """The simplest honest rule: staff pages, the APIs, answers to a form, anything opened with an access code."""
    if request.path.startswith("/static/"):
        return False
    if g.get("user") is not None or request.path.startswith("/api/"):
        return True
    if request.method not in READS or "code" in request.args:
        return True
    return request.endpoint in PERSONAL_ENDPOINTS


def attachment(filename: str) -> str:
    """A Content-Disposition that downloads `filename`: no quotes, line breaks or folders; non-ASCII as RFC 5987."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    plain = NOT_PLAIN.sub("_", name).strip(" .") or "download"
    header = f'attachment; filename="{plain}"'
    if plain != name and name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def register(app: Flask) -> None:
    """One after_request hook: personal responses are never stored by browsers or proxies."""

    @app.after_request
    def no_store(response: Response) -> Response:
        if carries_personal_information():
            response.headers["Cache-Control"] = "no-store"
        return response
