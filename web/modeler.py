"""Process owners' pages: processes, the modeler (bpmn-js, dmn-js), versions, roll-back and migration."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, jsonify, redirect, render_template, request, url_for

from engine.errors import DeploymentError, DomainError, ValidationFailed
from engine.services import decisions, drafts, migration, modeling
from engine.services.deployment import blocking, warnings_of

from .auth import login_required
from .errors import status_of
from .headers import attachment
from .limits import MAX_DIGITS
from .services import batho

bp = Blueprint("modeler", __name__, url_prefix="/modeler")


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("modeler/index.html", processes=modeling.processes(batho(), g.user),
                           drafts=drafts.all_drafts(batho(), g.user), decisions=decisions.deployed(batho(), g.user))


@bp.route("/decisions/<decision_id>/<int:number>/file")
@login_required
def decision_download(decision_id: str, number: int) -> Any:
    name, source = decisions.version_file(batho(), g.user, decision_id, number)
    stem, _, suffix = name.rpartition(".")
    # Always a download, never a page of this site: an uploaded table is someone else's XML.
    return Response(source, mimetype="application/octet-stream", headers={
        "Content-Disposition": attachment(f"{stem}.v{number}.{suffix}" if stem else f"{name}.v{number}"),
        "X-Content-Type-Options": "nosniff"})


@bp.route("/new", methods=["POST"])
@login_required
def new() -> Any:
    try:
        draft_id = drafts.from_template(batho(), g.user, request.form.get("key", ""), request.form.get("name", ""))
    except ValidationFailed as exc:
        flash(str(exc), "error")
        return redirect(url_for("modeler.index"))
    return redirect(url_for("modeler.draft", draft_id=draft_id))


@bp.route("/upload", methods=["POST"])
@login_required
def upload() -> Any:
    uploaded = {f.filename or "": f.read() for f in request.files.getlist("files") if f.filename}
    try:
        draft_id = drafts.from_upload(batho(), g.user, uploaded)
    except ValidationFailed as exc:
        flash(str(exc) if exc.errors else "Choose at least one .bpmn or .dmn file.", "error")
        return redirect(url_for("modeler.index"))
    return redirect(url_for("modeler.draft", draft_id=draft_id))


@bp.route("/drafts/<int:draft_id>")
@login_required
def draft(draft_id: int) -> Any:
    view = drafts.load(batho(), g.user, draft_id)
    problems = modeling.check(batho(), g.user, view.files)
    return render_template("modeler/edit.html", files=view.files, problems=problems, draft=view, version=None,
                           key=view.process_key, title=view.title)


@bp.route("/drafts/<int:draft_id>/delete", methods=["POST"])
@login_required
def delete_draft(draft_id: int) -> Any:
    drafts.delete(batho(), g.user, draft_id)
    flash("The draft was deleted.", "info")
    return redirect(url_for("modeler.index"))


@bp.route("/<key>/")
@login_required
def versions(key: str) -> Any:
    return render_template("modeler/versions.html", key=key, versions=modeling.versions(batho(), g.user, key))


@bp.route("/<key>/<int:number>/edit")
@login_required
def edit(key: str, number: int) -> Any:
    files = modeling.version_files(batho(), g.user, key, number)
    return render_template("modeler/edit.html", files=files, problems=[], draft=None, version=number, key=key,
                           title=f"{key} version {number}")


@bp.route("/<key>/<int:number>/files/<name>")
@login_required
def download(key: str, number: int, name: str) -> Any:
    files = modeling.version_files(batho(), g.user, key, number)
    if name not in files:
        return render_template("errors/error.html", code=404, message=f"Version {number} has no file {name}."), 404
    stem, _, suffix = name.rpartition(".")
    # Always a download, never a page of this site: an uploaded diagram is someone else's XML.
    return Response(files[name], mimetype="application/octet-stream", headers={
        "Content-Disposition": attachment(f"{stem}.v{number}.{suffix}"), "X-Content-Type-Options": "nosniff"})


@bp.route("/<key>/<int:number>/rollback", methods=["GET"])
@login_required
def rollback_confirm(key: str, number: int) -> Any:
    """What rolling back would change, and who stays behind, before it goes live."""
    problems, previews = modeling.preview(batho(), g.user, modeling.version_files(batho(), g.user, key, number))
    shown = [p for p in previews if p.key == key]
    return render_template("modeler/rollback.html", key=key, number=number, preview=shown[0] if shown else None,
                           problems=blocking(problems))


@bp.route("/<key>/<int:number>/rollback", methods=["POST"])
@login_required
def rollback(key: str, number: int) -> Any:
    if request.form.get("confirm") != "yes":
        modeling.version_files(batho(), g.user, key, number)  # only process owners reach the confirmation
        return redirect(url_for("modeler.rollback_confirm", key=key, number=number))
    deployed = modeling.rollback(batho(), g.user, key, number)
    flash(f"Version {number} is deployed again as version {deployed.version}. New cases use it; running cases stay "
          "on their version.", "info")
    return redirect(url_for("modeler.versions", key=key))


@bp.route("/<key>/migrate", methods=["GET"])
@login_required
def migrate_preview(key: str) -> Any:
    return render_template("modeler/migrate.html", key=key, previews=migration.preview(batho(), g.user, key))


@bp.route("/<key>/migrate", methods=["POST"])
@login_required
def migrate(key: str) -> Any:
    chosen = [int(v) for v in request.form.getlist("instance") if v.isdigit()]
    if not chosen or request.form.get("confirm") != "yes":
        flash("Nothing was moved: choose the cases to move and tick the confirmation.", "error")
        return redirect(url_for("modeler.migrate_preview", key=key))
    moved = migration.migrate(batho(), g.user, key, chosen)
    flash(f"Moved to the newest version: {', '.join(moved)}.", "info")
    return redirect(url_for("modeler.versions", key=key))


# The modeler page talks JSON: the files as the editors hold them, and the lint's problems back.

def _json_files() -> tuple[dict[str, str], dict[str, Any]]:
    body = request.get_json(silent=True) or {}
    files = body.get("files")
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ValidationFailed({"files": "The request carries no files."}, "The request carries no files.")
    return files, body


def _json_error(exc: DomainError, warnings: list[dict[str, str]] | None = None) -> Any:
    if isinstance(exc, DeploymentError):
        count = len(exc.problems)
        message = f"Not deployed: {count} problem{'s' if count != 1 else ''} to fix first (listed below)."
        return jsonify(message=message, problems=exc.problems, warnings=warnings or []), 400
    return jsonify(message=str(exc), problems=[]), status_of(exc)


def _int_or_none(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if not (isinstance(value, int | str) and str(value).isdigit()):
        return None
    if len(str(value)) > MAX_DIGITS:  # no row has such an id, and the database driver would overflow
        sentence = f"{name} must be a whole number of at most {MAX_DIGITS} digits."
        raise ValidationFailed({name: sentence}, sentence)
    return int(value)


@bp.route("/api/check", methods=["POST"])
@login_required
def api_check() -> Any:
    try:
        files, _ = _json_files()
        found = modeling.check(batho(), g.user, files)
    except DomainError as exc:
        return _json_error(exc)
    problems, warnings = blocking(found), warnings_of(found)
    message = "No problems found: this can be deployed." if not problems else \
        f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found (listed below)."
    if warnings:
        message += f" {len(warnings)} warning{'s' if len(warnings) != 1 else ''} (listed below; they do not stop a " \
                   "deploy)."
    return jsonify(message=message, problems=problems, warnings=warnings)


@bp.route("/api/save", methods=["POST"])
@login_required
def api_save() -> Any:
    try:
        files, body = _json_files()
        draft_id = drafts.save(batho(), g.user, files, str(body.get("title") or ""),
                               _int_or_none(body, "draft_id"), _int_or_none(body, "based_on"),
                               note=str(body["note"]) if isinstance(body.get("note"), str) else None)
    except DomainError as exc:
        return _json_error(exc)
    return jsonify(message="Draft saved. It is not deployed: citizens and staff do not see it yet.",
                   draft_id=draft_id, problems=[])


def _preview_json(preview: modeling.ProcessPreview) -> dict[str, Any]:
    return {"key": preview.key, "name": preview.name, "current_version": preview.current,
            "unchanged": preview.unchanged, "added": preview.added, "removed": preview.removed,
            "details": preview.details, "untranslated": preview.untranslated, "running": preview.running}


@bp.route("/api/preview", methods=["POST"])
@login_required
def api_preview() -> Any:
    """The problems, and what a deploy would change, for the confirmation a deploy needs."""
    try:
        files, _ = _json_files()
        found, previews = modeling.preview(batho(), g.user, files)
    except DomainError as exc:
        return _json_error(exc)
    if blocking(found):
        return _json_error(DeploymentError(blocking(found)), warnings_of(found))
    return jsonify(message="Check what changes, then confirm the deploy.", problems=[], warnings=warnings_of(found),
                   processes=[_preview_json(p) for p in previews],
                   decisions=modeling.decision_preview(batho(), g.user, files))


@bp.route("/api/deploy", methods=["POST"])
@login_required
def api_deploy() -> Any:
    try:
        files, body = _json_files()
        if body.get("confirmed") is not True:
            # Deploying goes live at once for every new case: the page shows the preview and asks first.
            found, previews = modeling.preview(batho(), g.user, files)
            if blocking(found):
                return _json_error(DeploymentError(blocking(found)), warnings_of(found))
            return jsonify(message="Confirm the deploy: check what changes first.", problems=[],
                           warnings=warnings_of(found), confirm=True,
                           processes=[_preview_json(p) for p in previews],
                   decisions=modeling.decision_preview(batho(), g.user, files)), 409
        note = str(body.get("note") or "")
        deployed = modeling.deploy(batho(), g.user, files, _int_or_none(body, "draft_id"), note=note,
                                   with_decisions=True)
    except DomainError as exc:
        return _json_error(exc)
    created = sorted((d for d in deployed if d.created), key=lambda d: d.kind != "process")  # processes first
    if created:
        flash("Deployed: " + ", ".join(f"{'decision ' if d.kind == 'decision' else ''}{d.key} version {d.version}"
                                       for d in created) +
              ". New cases use it; running cases stay on their version.", "info")
    else:
        flash("Nothing changed, so no new version was made.", "info")
    warnings = list({w["message"]: w for d in deployed for w in d.warnings}.values())
    for warning in warnings:
        flash("Warning: " + warning["message"], "warning")
    processes = [d for d in deployed if d.kind == "process"]
    # decisions alone (no process calls them yet) have no versions page of a process: back to the list
    where = url_for("modeler.versions", key=processes[0].key) if processes else url_for("modeler.index")
    return jsonify(message="Deployed.", problems=[], warnings=warnings, redirect=where)
