"""Photos: the forms that take them (their upload limit, reading the file parts) and the pages that send them back,
each checked (staff who may see the case, the citizen with the access code)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from engine.services import photo_access
from engine.services.photos import MAX_BYTES, MAX_PHOTOS, Picture

from .auth import login_required
from .errors import error_response
from .services import batho

bp = Blueprint("photos", __name__)
# Forms and API endpoints that take photos: their body may hold three photos of 10 MB (the app's limit is 2 MB).
UPLOAD_ENDPOINTS = {"public.lodge", "capture.form", "open311.request_create", "followup.information"}
UPLOAD_LIMIT = MAX_PHOTOS * MAX_BYTES + 1024 * 1024
TOO_MUCH = ("What you sent is too large: at most three photos of 10 MB each. Go back, choose smaller photos and send "
            "the form again.")


def widen_upload_limit() -> None:
    """Before CSRF reads the form: let the photo forms' multipart bodies through (each photo is checked later)."""
    if request.endpoint in UPLOAD_ENDPOINTS and request.mimetype == "multipart/form-data":
        request.max_content_length = UPLOAD_LIMIT


@bp.app_errorhandler(RequestEntityTooLarge)
def too_much(_error: RequestEntityTooLarge) -> Any:
    """A body past the limit is never read, so no photo can be named: say what the limit is."""
    return error_response(413, TOO_MUCH)


def sent_files(name: str = "photos") -> list[bytes]:
    """The bytes of each file sent in the form field `name` (empty parts, a file input left empty, skipped)."""
    return [data for data in (part.read() for part in request.files.getlist(name)) if data]


def _sent(found: Picture) -> Response:
    extension = found.content_type.removeprefix("image/")
    return Response(found.data, mimetype=found.content_type, headers={
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="photo.{extension}"'})


@bp.route("/photos/<int:photo_id>")
@login_required
def staff_photo(photo_id: int) -> Any:
    return _sent(photo_access.staff_picture(batho(), g.user, photo_id))


@bp.route("/photos/<int:photo_id>/thumbnail")
@login_required
def staff_thumbnail(photo_id: int) -> Any:
    return _sent(photo_access.staff_picture(batho(), g.user, photo_id, thumbnail=True))


@bp.route("/status/<reference>/photos/<int:photo_id>")
def citizen_photo(reference: str, photo_id: int) -> Any:
    found = photo_access.citizen_picture(batho(), reference, request.args.get("code"), photo_id,
                                         thumbnail=request.args.get("size") == "thumbnail")
    return _sent(found)
