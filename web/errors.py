"""Domain errors to HTTP in one place, and error pages without stack traces (JSON on the APIs)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, DeploymentError, DomainError, Forbidden, NotFound, ValidationFailed

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, ValidationFailed: 400, DeploymentError: 400}
API_PATHS = ("/api/", "/modeler/api/")
NOT_SAVED = ("What you sent was not saved because the system could not write to its database. "
             "Please try again in a few minutes.")
UNREACHABLE = "The system could not reach its database. Please try again in a few minutes."
UNEXPECTED = "Something went wrong on our side; what you sent may not have been saved. Please try again shortly."
log = logging.getLogger(__name__)


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def database_sentence() -> str:
    """What a failed database call means for this request: a write was not saved, a read could not be made."""
    return UNREACHABLE if request.method in ("GET", "HEAD") else NOT_SAVED


def error_response(code: int, message: str, errors: dict[str, str] | None = None) -> Any:
    """The error as the caller reads it: JSON on the APIs (never an HTML page), the error page elsewhere."""
    if request.path.startswith("/modeler/api/"):  # the modeler's script shows `message`
        return jsonify(message=message, problems=[]), code
    if request.path.startswith("/api/"):
        return jsonify({"errors": errors} if errors else {"error": message}), code
    return render_template("errors/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        errors = error.errors if isinstance(error, ValidationFailed) else None
        return error_response(status_of(error), " ".join(errors.values()) if errors else str(error), errors)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        message = "This form has expired or did not come from this site. Go back, reload the page and try again."
        return error_response(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        return error_response(error.code or 500, error.description or error.name)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> Any:
        log.exception("database call failed for %s %s", request.method, request.path)
        if not isinstance(error, OperationalError):  # not the database being unavailable: our own fault
            return error_response(500, UNEXPECTED)
        response, code = error_response(503, database_sentence())
        return response, code, {"Retry-After": "120"}

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        log.exception("unhandled error for %s %s", request.method, request.path)
        return error_response(500, UNEXPECTED)
