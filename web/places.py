"""The map's data (the wards as GeoJSON), the open cases near a point while lodging, and staff setting a ward."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext, ngettext

from engine import formatting
from engine.errors import ValidationFailed
from engine.services import places, ward_setting
from engine.services.wards import wards_for

from .auth import login_required
from .cases import _page as case_page
from .cases import bp as cases_bp
from .i18n import current_language
from .security import CSP
from .services import batho

bp = Blueprint("places", __name__)


def map_csp() -> str:
    """The site's CSP, letting the map load tiles from the configured tile server (BATHO_MAP_TILES_URL)."""
    tiles = batho().config.map_tiles_url
    parts = urlsplit(tiles.replace("{s}", "a"))
    if not (parts.scheme and parts.netloc):
        return CSP
    origin = f"{parts.scheme}://{parts.netloc}".replace("://a.", "://*.")
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")


def map_settings() -> dict[str, Any]:
    """What the lodging page's map needs: the tile URL (may be empty) and where the ward outlines are."""
    config = batho().config
    return {"tiles": config.map_tiles_url, "wards_url": url_for("places.wards_geojson"),
            "nearby_url": url_for("places.nearby"), "municipality": wards_for(config).municipality}


@bp.route("/places/wards.geojson")
def wards_geojson() -> Any:
    """The ward outlines the map draws (public: the Demarcation Board publishes them)."""
    response = jsonify(wards_for(batho().config).geojson)
    response.mimetype = "application/geo+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _age(days: int) -> str:
    if days == 0:
        return gettext("lodged today")
    return ngettext("lodged %(num)d day ago", "lodged %(num)d days ago", days)


@bp.route("/places/nearby")
def nearby() -> Any:
    """The pin's ward, and open cases of the chosen kind and category near it: reference, status and age, nothing
    personal."""
    try:
        found = places.nearby(batho(), request.args.get("process", "complaint"), request.args.get("category"),
                              request.args.get("lat"), request.args.get("lon"))
    except ValidationFailed as exc:
        return jsonify({"error": gettext(exc.errors["place"])}), 400
    language, tz = current_language(), batho().config.timezone
    ward = found.ward
    return jsonify({
        "radius_metres": int(places.NEARBY_METRES),
        "ward": {"code": ward.code, "number": ward.number, "name": ward.name, "town": ward.town} if ward else None,
        "outside": gettext(found.outside) if found.outside else None,
        "cases": [{"reference": c.reference, "status": c.status,
                   "status_text": gettext(c.status_text) if c.status_text else c.status,
                   "opened_on": formatting.long_date(c.opened_at, language, tz), "age_days": c.age_days,
                   "age": _age(c.age_days), "metres": c.about_metres,
                   "url": url_for("public.status", reference=c.reference)} for c in found.cases]})


# A staff page's form: its route joins the case page's blueprint (staff pages are in English, web/i18n.py).
@cases_bp.route("/<reference>/ward", methods=["POST"])
@login_required
def set_ward(reference: str) -> Any:
    """Staff give a case without a point its ward (the case page's form)."""
    try:
        name = ward_setting.set_ward(batho(), g.user, reference, request.form.get("ward", ""))
    except ValidationFailed as exc:
        return case_page(reference, exc.errors, {}, 400)
    flash(f"Ward set: {name}.", "info")
    return redirect(url_for("cases.show", reference=reference.upper()) + "#place")
