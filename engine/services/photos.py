"""Photos on cases: checked by their content, cleaned (EXIF and GPS gone, resized, re-encoded) and kept in the
database, at most three a case.

`prepare` does the image work and needs no database, so a channel may check photos before it opens its
transaction; `attach` stores one (bytes or prepared) in the caller's transaction and never commits.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from ..errors import ValidationFailed
from ..models import Case, Photo

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
THUMB_SIDE = 320
# Pillow's own names; MPO is how Pillow reads many phone cameras' JPEGs. HEIF only where a plugin taught Pillow.
FIELD = "photos"  # the form field (and error key) of the photos sent with a form
READABLE = ("JPEG", "MPO", "PNG", "WEBP", "HEIF", "HEIC")
# Pixels of a picture decoded whole (not a JPEG, which is decoded at a reduced DCT scale): a 48 MP phone photo fits.
# Pillow's own warning comes at 89 M pixels, and a 100 kB PNG of one colour may claim that many: about 270 MB (RGB) to
# 360 MB (RGBA) decoded, twice that while converting, for each of three photos in one form.
MAX_DECODED_PIXELS = 50_000_000


class PhotoRefused(ValueError):
    """A photo we will not keep; str() is a sentence for the citizen, `code` says which rule refused it."""

    def __init__(self, code: str, sentence: str) -> None:
        super().__init__(sentence)
        self.code = code


SENTENCES = {
    "too_many": "A case can have at most three photos.",
    "too_large": "This photo is larger than 10 MB. Choose a smaller photo or take it again at a lower size.",
    "not_image": "This file is not a photo we can read. Send a JPEG, PNG or WebP photo.",
    "bomb": "This picture is too large to open (too many pixels). Send an ordinary photo.",
    "format": "This kind of picture is not accepted. Send a JPEG, PNG or WebP photo.",
}


def refused(code: str) -> PhotoRefused:
    """The refusal for rule `code`, with its sentence."""
    return PhotoRefused(code, SENTENCES[code])


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo after checking and cleaning, ready to store."""

    data: bytes
    thumbnail: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class PhotoInfo:
    """What a list of a case's photos shows (no image bytes)."""

    id: int
    case_id: int
    content_type: str
    width: int
    height: int
    size: int
    source: str
    added_by_id: int | None
    added_at: datetime
    later: bool


@dataclass(frozen=True)
class Picture:
    """Bytes to send: the photo or its thumbnail, and the case it belongs to (for the access check)."""

    case_id: int
    content_type: str
    data: bytes


def accepted_formats() -> tuple[str, ...]:
    """The formats this installation reads (HEIF/HEIC only when Pillow has a plugin for it)."""
    Image.init()
    return tuple(name for name in READABLE if name in Image.OPEN)


def _opened(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise refused("too_large")
    # WeasyPrint (the Council report's PDF) sets this process-wide when it is imported; a cut-off upload must
    # still be refused, not stored half grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Past MAX_IMAGE_PIXELS Pillow only warns (it raises at twice that): a warning is a refusal here too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in accepted_formats():
                raise refused("format")
            if image.format not in ("JPEG", "MPO") and image.width * image.height > MAX_DECODED_PIXELS:
                raise refused("bomb")
            _decode_small(image)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise refused("bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, PhotoRefused):
            raise
        raise refused("not_image") from exc
    return image


def _decode_small(image: Image.Image) -> None:
    """A JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) whose long side is still at least 1600 px."""
    if image.format in ("JPEG", "MPO"):
        shrink = max(image.size) / MAX_SIDE
        if shrink >= 2:
            image.draft("RGB", (int(image.width / shrink), int(image.height / shrink)))


def _clean(image: Image.Image) -> Image.Image:
    """A new image of the pixels only, upright: nothing of the file's metadata comes along."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    return clean


def _encoded(image: Image.Image) -> tuple[bytes, str]:
    out = io.BytesIO()
    if image.mode == "RGBA":  # keep transparency (a screenshot, a drawing): WebP holds it, JPEG does not
        image.save(out, "WEBP", quality=85)
        return out.getvalue(), "image/webp"
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"


def prepare(data: bytes) -> PreparedPhoto:
    """Check a photo by its content and clean it; PhotoRefused (with a sentence) when we will not keep it."""
    clean = _clean(_opened(data))
    stored, content_type = _encoded(clean)
    small = clean.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    thumbnail, _ = _encoded(small)
    return PreparedPhoto(stored, thumbnail, content_type, clean.width, clean.height)


def prepare_all(files: Sequence[bytes], already: int = 0) -> list[PreparedPhoto]:
    """Several photos sent together (empty parts skipped), with `already` on the case; refused as a whole."""
    given = [data for data in files if data]
    if already + len(given) > MAX_PHOTOS:
        raise refused("too_many")
    return [prepare(data) for data in given]


@dataclass(frozen=True)
class Checked:
    """Photos sent with a form, checked before its transaction: the cleaned ones, or the sentence refusing them."""

    photos: tuple[PreparedPhoto, ...] = ()
    refusal: str | None = None
    code: str | None = None  # the refusal's rule (PhotoRefused.code)


def check(files: Sequence[bytes]) -> Checked:
    """`prepare_all` with the refusal kept as a sentence, so the form can name it beside its other wrong answers."""
    try:
        return Checked(tuple(prepare_all(files)))
    except PhotoRefused as exc:
        return Checked(refusal=str(exc), code=exc.code)


def lodged_with(session: Session, checked: Checked, lodge: Callable[[], Case], *, source: str,
                added_by_id: int | None = None) -> Case:
    """The case `lodge` opens, with the checked photos attached; a refused photo is a wrong answer (key `photos`)
    named with the form's others, and nothing is saved."""
    try:
        case = lodge()
    except ValidationFailed as exc:
        if checked.refusal:
            raise ValidationFailed({**exc.errors, FIELD: checked.refusal}, confirm=exc.confirm) from None
        raise
    if checked.refusal:
        raise ValidationFailed({FIELD: checked.refusal})
    attach_checked(session, case, checked, source=source, added_by_id=added_by_id)
    return case


def attach_checked(session: Session, case: Case, checked: Checked, *, source: str,
                   added_by_id: int | None = None) -> list[Photo]:
    """Store photos checked before the transaction (a refusal in `checked` stores none)."""
    if checked.refusal:
        raise PhotoRefused(checked.code or "refused", checked.refusal)
    return [attach(session, case, prepared, source=source, added_by_id=added_by_id) for prepared in checked.photos]


def count(session: Session, case_id: int) -> int:
    """How many photos the case has."""
    return session.scalar(select(func.count()).select_from(Photo).where(Photo.case_id == case_id)) or 0


def attach(session: Session, case: Case, data: bytes | PreparedPhoto, *, source: str,
           added_by_id: int | None = None, later: bool = False) -> Photo:
    """Check, clean and store one photo on `case` in the caller's transaction; PhotoRefused when it may not."""
    prepared = data if isinstance(data, PreparedPhoto) else prepare(data)
    # Two photos sent at once for the same case: the case row is the lock (PostgreSQL; SQLite has one writer).
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    if count(session, case.id) >= MAX_PHOTOS:
        raise refused("too_many")
    photo = Photo(case_id=case.id, data=prepared.data, thumbnail=prepared.thumbnail,
                  content_type=prepared.content_type, width=prepared.width, height=prepared.height,
                  size=len(prepared.data), source=source[:30], added_by_id=added_by_id, later=later)
    session.add(photo)
    session.flush()
    return photo


def first_photo_ids(session: Session, case_ids: Sequence[int]) -> dict[int, int]:
    """The id of each case's first photo, for the cases that have one."""
    rows = session.execute(select(Photo.case_id, func.min(Photo.id)).where(Photo.case_id.in_(case_ids))
                           .group_by(Photo.case_id))
    return {case_id: photo_id for case_id, photo_id in rows}


def _info(photo: Photo) -> PhotoInfo:
    return PhotoInfo(photo.id, photo.case_id, photo.content_type, photo.width, photo.height, photo.size,
                     photo.source, photo.added_by_id, photo.added_at, photo.later)


def photos_of(session: Session, case_id: int) -> list[PhotoInfo]:
    """The case's photos, oldest first, without their bytes."""
    rows = session.scalars(select(Photo).where(Photo.case_id == case_id).order_by(Photo.id))
    return [_info(photo) for photo in rows]


def get(session: Session, photo_id: int) -> Photo | None:
    """One photo with its image bytes loaded, or None."""
    return session.scalars(select(Photo).where(Photo.id == photo_id).options(undefer(Photo.data))).first()


def picture(session: Session, photo_id: int, *, thumbnail: bool = False) -> Picture | None:
    """The photo's image (or its thumbnail) to send, with its case id for the caller's access check; None if gone."""
    column = Photo.thumbnail if thumbnail else Photo.data
    row = session.execute(select(Photo.case_id, Photo.content_type, column).where(Photo.id == photo_id)).first()
    return Picture(row[0], row[1], row[2]) if row else None


def thumbnail(session: Session, photo_id: int) -> Picture | None:
    """The photo's thumbnail to send, or None."""
    return picture(session, photo_id, thumbnail=True)
