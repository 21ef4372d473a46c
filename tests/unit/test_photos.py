"""Photos are checked by content, cleaned of EXIF (GPS included), resized, and at most three a case."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image
from sqlalchemy import select

from engine.composition import Batho
from engine.models import Case
from engine.services import photos
from engine.services.photos import PhotoRefused
from tests.support import drive, images


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phone_jpeg_loses_its_exif_and_gps_and_is_resized() -> None:
    original = images.jpeg_with_gps()
    assert opened(original).getexif().get_ifd(images.GPS_IFD)  # the test image really carries a position

    prepared = photos.prepare(original)

    stored = opened(prepared.data)
    assert stored.format == "JPEG" and prepared.content_type == "image/jpeg"
    assert not stored.getexif() and "exif" not in stored.info
    assert b"Exif" not in prepared.data and b"PhoneMaker" not in prepared.data
    assert (prepared.width, prepared.height) == stored.size == (1600, 800)
    thumb = opened(prepared.thumbnail)
    assert max(thumb.size) == 320 and not thumb.getexif()


def test_the_exif_orientation_is_applied_before_it_is_dropped() -> None:
    # Orientation 6: the camera was held upright, so the stored photo is turned a quarter and stands tall.
    prepared = photos.prepare(images.jpeg_with_gps((1200, 600), orientation=6))
    stored = opened(prepared.data)
    assert stored.size == (600, 1200)
    assert stored.getpixel((300, 10))[2] > 150  # the blue half, at the left of the file, is now on top


def test_png_and_webp_are_accepted_and_a_transparent_png_keeps_its_transparency() -> None:
    assert photos.prepare(images.png()).content_type == "image/jpeg"
    assert photos.prepare(images.webp()).content_type == "image/jpeg"
    clear = photos.prepare(images.png(alpha=True))
    assert clear.content_type == "image/webp" and opened(clear.data).mode == "RGBA"
    assert opened(clear.thumbnail).format == "WEBP"


@pytest.mark.parametrize(("data", "code"), [
    (images.FAKE_JPEG, "not_image"),
    (b"", "not_image"),
    (images.jpeg_with_gps()[:4000], "not_image"),  # cut off half way
    (images.gif(), "format"),
    (images.png_bomb(), "bomb"),
])
def test_what_is_not_an_acceptable_photo_is_refused_with_a_sentence(data: bytes, code: str) -> None:
    with pytest.raises(PhotoRefused) as refusal:
        photos.prepare(data)
    assert refusal.value.code == code
    assert isinstance(refusal.value, ValueError)
    assert str(refusal.value).endswith(".") and "PIL" not in str(refusal.value)


def test_a_photo_over_ten_megabytes_is_refused() -> None:
    side = 1900  # 1900 x 1900 x 3 bytes of noise, stored without compression: 10.8 MB
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    noise.save(out, "PNG", compress_level=0)
    assert len(out.getvalue()) > photos.MAX_BYTES
    with pytest.raises(PhotoRefused, match="larger than 10 MB") as refusal:
        photos.prepare(out.getvalue())
    assert refusal.value.code == "too_large"


def test_more_than_three_photos_sent_together_are_refused() -> None:
    with pytest.raises(PhotoRefused) as refusal:
        photos.prepare_all([images.png()] * 4)
    assert refusal.value.code == "too_many"
    assert len(photos.prepare_all([images.png(), b"", images.webp()])) == 2  # an empty file part is no photo


def test_three_photos_are_kept_on_a_case_and_a_fourth_is_refused(batho: Batho) -> None:
    reference = drive.lodge(batho, email="thabo@example.co.za")
    with batho.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        first = photos.attach(session, case, images.jpeg_with_gps(), source="web")
        photos.attach(session, case, images.png(), source="capture", added_by_id=None)
        photos.attach(session, case, photos.prepare(images.webp()), source="whatsapp", later=True)
        with pytest.raises(PhotoRefused, match="at most three photos") as refusal:
            photos.attach(session, case, images.png(), source="web")
        assert refusal.value.code == "too_many"
        case_id, first_id = case.id, first.id

    with batho.db.reading() as session:
        listed = photos.photos_of(session, case_id)
        assert [(p.source, p.later) for p in listed] == [("web", False), ("capture", False), ("whatsapp", True)]
        assert listed[0].width == 1600 and listed[0].size > 0
        row = photos.get(session, first_id)
        assert row is not None and b"Exif" not in row.data
        thumb = photos.thumbnail(session, first_id)
        assert thumb is not None and thumb.case_id == case_id and max(opened(thumb.data).size) == 320
        assert photos.picture(session, 999_999) is None and photos.get(session, 999_999) is None


def test_a_cut_off_photo_is_refused_even_after_the_pdf_library_was_loaded():
    import weasyprint  # noqa: F401  (it sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.prepare(images.jpeg_with_gps()[:4000])
    assert refused.value.code == "not_image"
