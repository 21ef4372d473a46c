"""Session cookie settings and response headers that every page gets."""

from __future__ import annotations

from flask import Flask, Response

# Scripts only from this site (the diagram viewer bundle); bpmn-js sets inline styles on its SVG.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def register(app: Flask, secure_cookies: bool) -> None:
    """Harden cookies (Secure when served over HTTPS: `Config.secure_cookies`) and add security headers."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure_cookies,
                      SESSION_COOKIE_NAME="__Host-batho" if secure_cookies else "batho")

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response  # Cache-Control for personal pages: web/headers.py
