"""Photos through Open311: a `media` file part on POST requests (checked and cleaned like the web form's, a bad one
a 400 with a sentence), and `media_url` in GET answers only where the process publishes details."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from engine.models import Case, Photo
from tests.support import images

WATER = {"service_code": "complaint-water", "description": "Water leaking from the meter box",
         "address_string": "9 Kerk St, Frankfort"}


def post(client, demo_key: str, media: list[tuple[io.BytesIO, str]] | None = None, fmt: str = "json"):
    data = {**WATER, "api_key": demo_key, **({"media": media} if media is not None else {})}
    return client.post(f"/open311/v2/requests.{fmt}", data=data, content_type="multipart/form-data")


def submitted(response) -> str:
    assert response.status_code == 201, response.get_data(as_text=True)
    if response.mimetype == "application/json":
        return response.get_json()[0]["service_request_id"]
    return ET.fromstring(response.data).findtext("request/service_request_id") or ""


def photos_of(batho, reference: str) -> list[Photo]:
    with batho.db.reading() as session:
        return list(session.scalars(select(Photo).join(Case, Case.id == Photo.case_id)
                                    .where(Case.reference == reference).options(undefer(Photo.data))))


def answers(client, reference: str) -> tuple[str, str | None]:
    """media_url of the request in the JSON and the XML answer."""
    [found] = client.get(f"/open311/v2/requests/{reference}.json").get_json()
    doc = ET.fromstring(client.get(f"/open311/v2/requests/{reference}.xml").data)
    return found["media_url"], doc.findtext("request/media_url")



def test_a_photo_posted_with_a_request_is_kept_cleaned_and_stays_private_by_default(client, batho, demo_key):
    reference = submitted(post(client, demo_key, [(io.BytesIO(images.jpeg_with_gps()), "leak.jpg")]))
    (photo,) = photos_of(batho, reference)
    assert photo.source == "open311" and photo.added_by_id is None and photo.width == 1600
    assert b"Exif" not in photo.data and b"PhoneMaker" not in photo.data
    assert answers(client, reference) == ("", "")  # complaints do not publish details: no media_url
    assert client.get(f"/open311/v2/media/{photo.id}").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_media_part_that_is_not_an_acceptable_photo_is_a_400_and_no_request(client, batho, demo_key, fmt):
    with batho.db.reading() as session:
        before = session.scalar(select(func.count()).select_from(Case))
    response = post(client, demo_key, [(io.BytesIO(images.FAKE_JPEG), "leak.jpg")], fmt)
    assert response.status_code == 400
    sentence = "media: This file is not a photo we can read. Send a JPEG, PNG or WebP photo."
    if fmt == "json":
        assert response.get_json() == [{"code": 400, "description": sentence}]
    else:
        assert ET.fromstring(response.data).findtext("error/description") == sentence
    assert post(client, demo_key, [(io.BytesIO(images.png_bomb()), "b.png")]).status_code == 400
    two = post(client, demo_key, [(io.BytesIO(images.png()), "a.png"), (io.BytesIO(images.png()), "b.png")])
    assert two.status_code == 400 and two.get_json()[0]["description"] == "media: send one photo with a request."
    with batho.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before


def test_a_request_without_a_key_is_refused_before_its_photo_is_looked_at(client):
    response = client.post("/open311/v2/requests.json", content_type="multipart/form-data",
                           data={**WATER, "media": [(io.BytesIO(images.FAKE_JPEG), "x.jpg")]})
    assert response.status_code in (401, 403)


def test_where_the_process_publishes_details_media_url_points_at_the_cleaned_photo(client, open_complaints,
                                                                                     demo_key):
    reference = submitted(post(client, demo_key, [(io.BytesIO(images.webp()), "leak.webp")], "xml"))
    (photo,) = photos_of(open_complaints, reference)
    in_json, in_xml = answers(client, reference)
    assert in_json == in_xml and urlparse(in_json).path == f"/open311/v2/media/{photo.id}"
    assert urlparse(in_json).scheme in ("http", "https")
    listed = {r["service_request_id"]: r for r in client.get("/open311/v2/requests.json").get_json()}
    assert listed[reference]["media_url"] == in_json
    image = client.get(urlparse(in_json).path)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(image.data)).size == (800, 600)


def test_a_photo_from_our_own_form_is_published_where_the_process_publishes_details(browsers, open_complaints):
    citizen = browsers("citizen")
    form = {"category": "water", "description": "Leak at the corner", "location": "Kerk St",
            "photos": [(io.BytesIO(images.png()), "leak.png")]}
    response = citizen.post("/lodge/complaint", form, page="/lodge/complaint", content_type="multipart/form-data")
    assert response.status_code == 302
    reference = response.headers["Location"].split("/lodged/")[1].split("?")[0]
    (photo,) = photos_of(open_complaints, reference)
    in_json, in_xml = answers(citizen.client, reference)
    assert in_json == in_xml and urlparse(in_json).path == f"/open311/v2/media/{photo.id}"
    assert citizen.client.get(f"/open311/v2/media/{photo.id}").status_code == 200
