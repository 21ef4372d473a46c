"""Drafts: diagrams a process owner saves, uploads or starts from the template, without deploying them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..authz import require_owner
from ..bpmn.dialect import MAX_XML_BYTES, safe_xml
from ..bpmn.template import new_process
from ..bpmn.tolerance import file_kind
from ..bpmn.tolerance_flow import processes_run
from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..models import ProcessDraft, ProcessVersion, User
from .identity import Identity

MAX_FILES = 20


@dataclass(frozen=True)
class DraftView:
    id: int
    title: str
    process_key: str | None
    files: dict[str, str]
    based_on_version: int | None
    updated_at: datetime
    author: str | None
    note: str = ""


def _key_of(files: dict[str, str]) -> str | None:
    """The id of the first executable process in the files, when one can be read."""
    for name in sorted(files):
        if file_kind(name) != "bpmn":
            continue
        try:
            root = safe_xml(files[name])
        except Exception:  # a broken draft is still a draft; the lint will say what is wrong
            continue
        run = processes_run(root)  # an unticked process runs when none is ticked (bpmn/tolerance_flow.py)
        for el in [p for p in run if p.get("isExecutable") == "true"] or run:
            return str(el.get("id"))[:100]
    return None


def check_names(files: dict[str, str]) -> None:
    """File names and sizes a draft may have; ValidationFailed says which file is wrong."""
    errors = {}
    if not files:
        errors["files"] = "Choose at least one .bpmn or .dmn file."
    if len(files) > MAX_FILES:
        errors["files"] = f"A process has at most {MAX_FILES} files."
    for name, text in files.items():
        if file_kind(name) is None or "/" in name or "\\" in name or len(name) > 120:
            errors[name or "files"] = f"{name or 'A file'}: only .bpmn and .dmn files (plain names) can be used."
        elif len(text.encode("utf-8")) > MAX_XML_BYTES:
            errors[name] = f"{name} is larger than {MAX_XML_BYTES // 1_000_000} MB."
    if errors:
        raise ValidationFailed(errors, "; ".join(errors.values()))


def save(app: Batho, who: Identity, files: dict[str, str], title: str = "", draft_id: int | None = None,
         based_on_version_id: int | None = None, note: str | None = None) -> int:
    """Create or update a draft; return its id. Nothing is checked beyond names and sizes: drafts may be broken."""
    require_owner(who)
    check_names(files)
    with app.db.transaction() as session:
        draft = session.get(ProcessDraft, draft_id) if draft_id is not None else None
        if draft_id is not None and draft is None:
            raise NotFound("That draft no longer exists: it was deployed or deleted. Save again to keep a new one.")
        key = _key_of(files)
        if draft is None:
            draft = ProcessDraft(files=files, author_id=who.id, created_at=app.now(),
                                 based_on_version_id=based_on_version_id, title="")
            session.add(draft)
        draft.files = dict(files)
        draft.process_key = key
        draft.title = (title.strip() or draft.title or key or "Untitled process")[:200]
        draft.author_id = who.id
        if note is not None:
            draft.note = note.strip()[:2000]
        draft.updated_at = app.now()
        session.flush()
        return draft.id


def load(app: Batho, who: Identity, draft_id: int) -> DraftView:
    require_owner(who)
    with app.db.reading() as session:
        row = session.execute(select(ProcessDraft, User.full_name, ProcessVersion.version)
                              .outerjoin(User, User.id == ProcessDraft.author_id)
                              .outerjoin(ProcessVersion, ProcessVersion.id == ProcessDraft.based_on_version_id)
                              .where(ProcessDraft.id == draft_id)).first()
        if row is None:
            raise NotFound("That draft no longer exists: it was deployed or deleted.")
        draft, author, version = row
        return DraftView(draft.id, draft.title, draft.process_key, dict(draft.files), version, draft.updated_at,
                         author, draft.note or "")


def all_drafts(app: Batho, who: Identity) -> list[DraftView]:
    require_owner(who)
    with app.db.reading() as session:
        rows = session.execute(select(ProcessDraft, User.full_name).outerjoin(User, User.id == ProcessDraft.author_id)
                               .order_by(ProcessDraft.updated_at.desc()))
        return [DraftView(d.id, d.title, d.process_key, {}, None, d.updated_at, author) for d, author in rows]


def delete(app: Batho, who: Identity, draft_id: int) -> None:
    require_owner(who)
    with app.db.transaction() as session:
        draft = session.get(ProcessDraft, draft_id)
        if draft is not None:
            session.delete(draft)


def from_template(app: Batho, who: Identity, key: str, name: str) -> int:
    """A new draft holding the template diagram for process `key`."""
    require_owner(who)
    try:
        xml = new_process(key.strip(), name)
    except ValueError as exc:
        raise ValidationFailed({"key": str(exc)}, str(exc)) from None
    with app.db.reading() as session:
        if session.scalar(select(ProcessVersion.id).where(ProcessVersion.key == key.strip()).limit(1)):
            message = (f"A process with the id {key.strip()} exists already. Open it from the list, or choose "
                       "another id.")
            raise ValidationFailed({"key": message}, message)
    return save(app, who, {f"{key.strip()}.bpmn": xml}, name)


def from_upload(app: Batho, who: Identity, uploaded: dict[str, bytes], based_on_version_id: int | None = None) -> int:
    """A new draft from uploaded files (e.g. saved by Camunda Modeler); the text must be UTF-8."""
    require_owner(who)
    files, errors = {}, {}
    for name, data in uploaded.items():
        try:
            files[name] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            errors[name] = f"{name} is not UTF-8 text. Save it again from the modeler."
    if errors:
        raise ValidationFailed(errors, "; ".join(errors.values()))
    return save(app, who, files, "", None, based_on_version_id)
