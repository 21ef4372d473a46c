"""Photos through the web: lodged with the citizen's form and captured by staff, shown to staff who may see the
case and to the citizen with the access code, to nobody else; a refused photo is a sentence and nothing is lost."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import func, select

from engine.models import Case, Photo
from tests.support import images
from tests.support.drive import case, open_task
from web.photos import UPLOAD_ENDPOINTS

WATER = {"category": "water", "description": "Burst pipe flooding Church Street", "location": "4 Church St"}


def photo(data: bytes, name: str = "IMG_2041.jpg") -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def lodge(citizen, files: list[tuple[io.BytesIO, str]], language: str = "en", **values: str):
    form = {**WATER, "email": "thabo@example.co.za", "language": language, **values, "photos": files}
    return citizen.post("/lodge/complaint", form, page="/lodge/complaint", content_type="multipart/form-data")


def lodged(response) -> tuple[str, str]:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    found = re.search(r"/lodged/([A-Z0-9-]+)\?code=([A-Z0-9]+)", response.headers["Location"])
    assert found
    return found.group(1), found.group(2)


def stored(batho, reference: str) -> list[Photo]:
    with batho.db.reading() as session:
        return list(session.scalars(select(Photo).join(Case, Case.id == Photo.case_id)
                                    .where(Case.reference == reference).order_by(Photo.id)))


def case_count(batho) -> int:
    with batho.db.reading() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def test_the_lodge_form_offers_the_phone_camera_and_sends_multipart(browsers):
    page = browsers("citizen").get("/lodge/complaint").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert re.search(r'<input type="file" id="f-photos" name="photos" accept="image/\*" capture="environment"\s+multiple',
                     page)


def test_a_citizen_lodges_with_two_photos_and_staff_see_them_on_the_case_and_task_pages(browsers, batho):
    reference, _ = lodged(lodge(browsers("citizen"), [photo(images.jpeg_with_gps()), photo(images.png(), "a.png")]))
    kept = stored(batho, reference)
    assert [(p.source, p.added_by_id, p.later, p.content_type) for p in kept] == [
        ("web", None, False, "image/jpeg"), ("web", None, False, "image/jpeg")]

    agent = browsers("agent")
    page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    first = kept[0].id
    assert f'href="/photos/{first}"' in page and f'src="/photos/{first}/thumbnail"' in page
    full = agent.get(f"/photos/{first}")
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert "no-store" in full.headers["Cache-Control"]
    image = Image.open(io.BytesIO(full.data))
    assert image.size == (1600, 800) and not image.getexif()  # the GPS of the phone's photo is gone
    thumb = agent.get(f"/photos/{first}/thumbnail")
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) == 320

    task = open_task(batho, reference, "Task_triage")
    task_page = agent.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'src="/photos/{first}/thumbnail"' in task_page


def test_staff_whose_work_does_not_touch_the_case_and_strangers_do_not_get_its_photos(browsers, batho):
    reference, _ = lodged(lodge(browsers("citizen"), [photo(images.jpeg_with_gps())]))
    (kept,) = stored(batho, reference)
    for url in (f"/photos/{kept.id}", f"/photos/{kept.id}/thumbnail"):
        assert browsers("officer_finance").get(url).status_code == 403  # another department's officer
        signed_out = browsers("citizen").get(url)
        assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert browsers("agent").get("/photos/999999").status_code == 404


def test_the_citizen_with_the_access_code_sees_their_photos_and_nobody_without_it(browsers, batho):
    citizen = browsers("citizen")
    reference, code = lodged(lodge(citizen, [photo(images.webp(), "w.webp")]))
    (kept,) = stored(batho, reference)
    page = citizen.get(f"/status/{reference}?code={code}").get_data(as_text=True)
    own = f"/status/{reference}/photos/{kept.id}?code={code}"
    assert f'href="{own}"' in page and f'src="{own}&amp;size=thumbnail"' in page
    shown = citizen.get(own)
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg" and "no-store" in shown.headers["Cache-Control"]
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(io.BytesIO(citizen.get(own + "&size=thumbnail").data)).size) == 320

    anonymous = browsers("citizen").client.application.test_client()
    without = anonymous.get(f"/status/{reference}").get_data(as_text=True)
    assert "/photos/" not in without
    assert anonymous.get(f"/status/{reference}/photos/{kept.id}").status_code == 404
    assert anonymous.get(f"/status/{reference}/photos/{kept.id}?code=ABCDEFGHJK").status_code == 404
    other, other_code = lodged(lodge(browsers("citizen"), []))
    assert anonymous.get(f"/status/{other}/photos/{kept.id}?code={other_code}").status_code == 404  # not theirs


def test_a_fake_photo_is_refused_beside_the_field_and_the_other_answers_are_kept(browsers, batho):
    before = case_count(batho)
    response = lodge(browsers("citizen"), [photo(images.FAKE_JPEG, "pipe.jpg")], name="Thabo Mokoena")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    sentence = "This file is not a photo we can read. Send a JPEG, PNG or WebP photo."
    assert f'<p class="error" id="e-photos">{sentence}</p>' in page
    assert 'href="#f-photos"' in page  # the summary at the top links to the field
    assert "Burst pipe flooding Church Street</textarea>" in page and 'value="Thabo Mokoena"' in page
    assert case_count(batho) == before  # nothing saved


def test_a_photo_refusal_is_named_together_with_the_forms_other_wrong_answers(browsers):
    response = lodge(browsers("citizen"), [photo(images.png_bomb(), "big.png")], description="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This picture is too large to open (too many pixels). Send an ordinary photo." in page
    assert re.search(r'id="e-description">[^<]*required', page)


def test_four_photos_are_refused_and_the_form_says_at_most_three(browsers, batho):
    before = case_count(batho)
    response = lodge(browsers("citizen"), [photo(images.png(), f"{n}.png") for n in range(4)])
    assert response.status_code == 400
    assert "A case can have at most three photos." in response.get_data(as_text=True)
    assert case_count(batho) == before


def test_a_form_sent_back_for_another_answer_asks_for_the_photos_again(browsers):
    response = lodge(browsers("citizen"), [photo(images.png(), "ok.png")], email="not-an-address")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="e-photos"' not in page
    assert "Choose your photos again before you send" in page


def test_a_refusal_is_in_sesotho_and_afrikaans_on_their_forms(browsers):
    for language, words in (("st", "Faele ena hase foto"), ("af", "Hierdie lêer is nie 'n foto")):
        citizen = browsers("citizen")
        citizen.get(f"/?lang={language}")
        page = lodge(citizen, [photo(images.FAKE_JPEG)], language=language).get_data(as_text=True).replace("&#39;", "'")
        assert words in page, language


def test_an_agent_captures_a_walk_in_case_with_a_photo(browsers, batho):
    agent = browsers("agent")
    page = agent.get("/capture/complaint").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'id="f-photos"' in page
    response = agent.post("/capture/complaint", {**WATER, "channel": "walk_in", "photos": [photo(images.png())]},
                          page="/capture/complaint", content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    reference = response.headers["Location"].rsplit("/", 1)[1]
    (kept,) = stored(batho, reference)
    capturer = case(batho, reference).created_by_id
    assert kept.source == "walk_in" and capturer is not None and kept.added_by_id == capturer
    refused = agent.post("/capture/complaint", {**WATER, "channel": "", "photos": [photo(images.gif(), "x.gif")]},
                         page="/capture/complaint", content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "This kind of picture is not accepted." in text
    assert "Choose how the citizen reached us" in text


def test_a_body_past_three_photos_of_ten_megabytes_is_refused_with_the_limit_and_others_keep_two_megabytes(browsers):
    citizen = browsers("citizen")
    huge = lodge(citizen, [photo(b"\xff" * (32 * 1024 * 1024), "huge.jpg")])
    assert huge.status_code == 413
    assert "at most three photos of 10 MB each" in huge.get_data(as_text=True)
    # Elsewhere the app's own limit (2 MB) stands: the wider one is only for the forms that take photos.
    elsewhere = citizen.post("/login", {"photos": [photo(b"\xff" * (3 * 1024 * 1024))]}, page="/lodge/complaint",
                             content_type="multipart/form-data")
    assert elsewhere.status_code == 413


def test_a_photo_larger_than_the_apps_two_megabytes_lodges_and_every_photo_form_gets_the_wider_limit(browsers, batho,
                                                                                                        app):
    out = io.BytesIO()
    Image.effect_noise((1200, 1000), 30).convert("RGB").save(out, "PNG", compress_level=0)
    assert len(out.getvalue()) > 3 * 1024 * 1024
    reference, _ = lodged(lodge(browsers("citizen"), [photo(out.getvalue(), "screenshot.png")]))
    assert len(stored(batho, reference)) == 1
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= UPLOAD_ENDPOINTS  # a renamed view would silently lose the wider limit
