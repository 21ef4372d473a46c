"""The security review of the channels (docs/security-review-channels.md): each finding's fix, tried as an attacker
would try it, over real HTTP on loopback and the real database."""

from __future__ import annotations

import io
import json
import re
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from engine.composition import Batho
from engine.config import PROJECT_ROOT, WhatsAppSettings
from engine.lodging import Contact
from engine.models import Case, CodeResend, Notification, Photo, User, WhatsAppMessage
from engine.notify.whatsapp import fetch_media, media_url_allowed
from engine.services import cases, followup, submissions
from engine.services.photos import PhotoRefused, prepare
from tests.support import fake_whatsapp as fake
from tests.support.drive import access_code, lodge, to_investigation
from web import create_app
from web.photos import UPLOAD_LIMIT

FRANKFORT_WARD = "42005001"  # the demo councillor's ward (config/wards/mafube-example.geojson)
FRANKFORT = (-27.2717, 28.4958)
METRE = 1 / 111_195  # degrees of latitude


@dataclass
class Recorder:
    """A loopback HTTP server that answers each GET from `answers` (path -> status, headers, body) and keeps what
    it was asked, with the Authorization header it was sent."""

    base: str = ""
    answers: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    asked: list[tuple[str, str | None]] = field(default_factory=list)


@contextmanager
def recorder() -> Iterator[Recorder]:
    found = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            found.asked.append((self.path, self.headers.get("Authorization")))
            status, headers, body = found.answers.get(self.path, (404, {}, b"{}"))
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _settings(api: Recorder) -> WhatsAppSettings:
    return WhatsAppSettings(verify_token="v", app_secret="s", api_url=f"{api.base}/v21.0", phone_number_id="1",
                            token="secret-bearer-token", timeout=5)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


# F1: SSRF through the Cloud API's media URL, and the bearer token sent along.

def test_a_media_url_on_another_host_is_never_fetched_and_gets_no_token() -> None:
    with recorder() as api, recorder() as elsewhere:
        elsewhere.answers["/steal"] = (200, {"Content-Type": "image/jpeg"}, _jpeg())
        lookup = json.dumps({"url": f"{elsewhere.base}/steal", "mime_type": "image/jpeg"}).encode()
        api.answers["/v21.0/m1"] = (200, {"Content-Type": "application/json"}, lookup)
        with pytest.raises(OSError, match="host other than its own"):
            fetch_media(_settings(api), "m1")
        assert elsewhere.asked == []


def test_a_redirect_from_the_media_download_is_not_followed() -> None:
    with recorder() as api, recorder() as elsewhere:
        elsewhere.answers["/internal"] = (200, {"Content-Type": "image/jpeg"}, _jpeg())
        lookup = json.dumps({"url": f"{api.base}/download/m1", "mime_type": "image/jpeg"}).encode()
        api.answers["/v21.0/m1"] = (200, {"Content-Type": "application/json"}, lookup)
        api.answers["/download/m1"] = (302, {"Location": f"{elsewhere.base}/internal"}, b"")
        with pytest.raises(OSError, match="answered 302"):
            fetch_media(_settings(api), "m1")
        assert elsewhere.asked == []
        assert [auth for _, auth in api.asked] == ["Bearer secret-bearer-token"] * 2


def test_the_media_download_on_the_api_host_still_works() -> None:
    with recorder() as api:
        lookup = json.dumps({"url": f"{api.base}/download/m1", "mime_type": "image/jpeg"}).encode()
        api.answers["/v21.0/m1"] = (200, {"Content-Type": "application/json"}, lookup)
        api.answers["/download/m1"] = (200, {"Content-Type": "image/jpeg"}, _jpeg())
        assert fetch_media(_settings(api), "m1").content == _jpeg()


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", True),
    ("http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", False),  # not over HTTPS
    ("https://graph.facebook.com/v21.0/download", True),
    ("https://169.254.169.254/latest/meta-data/", False),
    ("https://lookaside.fbsbx.com.evil.example/x", False),
    ("https://user@lookaside.fbsbx.com/x", False),
    ("https://graph.facebook.com:8443/x", False),
])
def test_for_the_graph_api_only_meta_s_own_hosts_are_fetched(url: str, allowed: bool) -> None:
    assert media_url_allowed(WhatsAppSettings(api_url="https://graph.facebook.com/v21.0"), url) is allowed


# F5: a signed delivery replayed after its id was forgotten.

def _post(client: Any, document: dict[str, Any]) -> Any:
    body = json.dumps(document).encode()
    return client.post("/channels/whatsapp", data=body, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": fake.signature(body)})


def _kept(app: Batho) -> int:
    with app.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(WhatsAppMessage)) or 0)


def test_a_signed_delivery_older_than_the_kept_ids_is_a_replay_and_is_dropped(batho: Batho) -> None:
    batho.config = replace(batho.config, whatsapp=WhatsAppSettings(
        verify_token=fake.VERIFY_TOKEN, app_secret=fake.APP_SECRET, api_url="http://127.0.0.1:9/v21.0"))
    client = create_app(batho, {"TESTING": True}).test_client()
    text = {"type": "text", "text": {"body": "MAF-2026-000001 ABCD2345EF"}}
    old = fake.delivery("27825551111", {"id": "wamid.old", **text}, timestamp=time.time() - 8 * 86400)
    assert _post(client, old).status_code == 200
    assert _kept(batho) == 0
    fresh = fake.delivery("27825551111", {"id": "wamid.new", **text})
    assert _post(client, fresh).status_code == 200
    assert _kept(batho) == 1


# F2: exact distances in the public nearby answer locate a case's point by trilateration.

def test_the_public_nearby_answer_gives_distances_only_in_50_metre_steps(client: Any, batho: Batho) -> None:
    lodge(batho, {"category": "water", "description": "No water", "location": "7 Secret Lane",
                  "latitude": FRANKFORT[0] + 37 * METRE, "longitude": FRANKFORT[1]}, name="Thabo")
    answers = []
    for metres in (0, 20, 60, 120):
        lat = FRANKFORT[0] - metres * METRE
        body = client.get(f"/places/nearby?process=complaint&category=water&lat={lat}&lon={FRANKFORT[1]}").get_json()
        answers.append(body["cases"][0]["metres"])
    assert answers == [50, 100, 100, 200]


# F3: the councillor read the typed address of cases whose citizens were never told it would be public.


def _in_ward(app: Batho, reference: str) -> None:
    with app.db.transaction() as session:
        session.execute(update(Case).where(Case.reference == reference).values(ward=FRANKFORT_WARD, town="Frankfort"))


def test_the_councillor_sees_no_address_of_a_case_lodged_where_the_citizen_was_not_told(browsers: Any,
                                                                                       open_complaints: Batho) -> None:
    values = {"category": "water", "description": "No water", "location": "12 Told Street"}
    web = cases.lodge(open_complaints, "complaint", values, Contact(name="Jane"), "web")
    whatsapp = cases.lodge(open_complaints, "complaint", {**values, "location": "7 Untold Lane"},
                           Contact(name="Thabo", phone="+27825551111"), "whatsapp")
    for reference in (web, whatsapp):
        _in_ward(open_complaints, reference)
    page = browsers("councillor").get("/ward").get_data(as_text=True)
    assert web in page and whatsapp in page
    assert "12 Told Street" in page  # the web form told the citizen that this process publishes details
    assert "7 Untold Lane" not in page


# F4: Open311's media served every photo of a published case, and without Content-Disposition.

def _png(colour: tuple[int, int, int] = (10, 160, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "PNG")
    return out.getvalue()


def test_open311_media_serves_only_the_photo_sent_with_the_request(client: Any, open_complaints: Batho) -> None:
    values = {"category": "water", "description": "No water", "location": "12 Told Street"}
    lodged = submissions.lodge_for_citizen(open_complaints, None, "complaint", values, Contact(name="Jane"), "web",
                                           [_png()])
    reference = lodged.reference if hasattr(lodged, "reference") else lodged[0]
    followup.add_information(open_complaints, reference, access_code(open_complaints, reference),
                             "A photo of the inside of my yard", [_png((1, 2, 3))])
    with open_complaints.db.reading() as session:
        first, later = session.scalars(select(Photo.id).join(Case, Case.id == Photo.case_id)
                                       .where(Case.reference == reference).order_by(Photo.id))
    shown = client.get(f"/open311/v2/media/{first}")
    assert shown.status_code == 200 and shown.headers["X-Content-Type-Options"] == "nosniff"
    assert shown.headers["Content-Disposition"] == 'inline; filename="photo.jpeg"'
    assert client.get(f"/open311/v2/media/{later}").status_code == 404


# F6: three wrong guesses by anyone locked the citizen out of their own code for an hour.

def test_wrong_contacts_typed_by_someone_else_do_not_lock_the_citizen_out(batho: Batho) -> None:
    reference = lodge(batho, name="Jane", email="jane@example.org")
    for guess in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        assert followup.resend_code(batho, reference, guess) is False
    assert followup.resend_code(batho, reference, "jane@example.org") is True
    assert followup.resend_code(batho, reference, "Jane@Example.org") is True
    assert followup.resend_code(batho, reference, "jane@example.org") is True
    with pytest.raises(followup.TooManyResends):  # still at most three sent an hour
        followup.resend_code(batho, reference, "jane@example.org")


# F9: a small PNG that decodes to tens of millions of pixels.

def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def big_blank_png(side: int) -> bytes:
    """A real, complete greyscale PNG of side x side black pixels: a few dozen kB on the wire."""
    squeeze = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte, then the row
    idat = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def test_a_small_png_of_more_pixels_than_any_phone_photo_is_refused_before_decoding() -> None:
    bomb = big_blank_png(7200)  # 51.8 million pixels, under Pillow's own 89 million
    assert len(bomb) < 200_000
    with pytest.raises(PhotoRefused) as refused:
        prepare(bomb)
    assert refused.value.code == "bomb"


# Checked, nothing to fix: words from WhatsApp and SMS are escaped on staff pages.

def test_a_citizen_s_markup_from_a_channel_is_shown_as_text_on_the_case_page(browsers: Any, batho: Batho) -> None:
    script = "<script>alert('x')</script>"
    reference = cases.lodge(batho, "complaint", {"category": "water", "description": f"No water {script}",
                                                 "location": "<img src=x onerror=alert(1)>"},
                            Contact(name="<b>Thabo</b>", phone="+27825551111"), "whatsapp")
    page = browsers("officer").get(f"/cases/{reference}").get_data(as_text=True)
    assert script not in page and "<img src=x" not in page and "<b>Thabo</b>" not in page
    assert "&lt;script&gt;" in page


# F7: the hashes of every contact ever typed into "send me my code again" were kept for ever.

def test_resend_tries_older_than_an_hour_are_not_kept(batho: Batho) -> None:
    reference = lodge(batho, name="Jane", email="jane@example.org")
    followup.resend_code(batho, reference, "+27 82 555 0000")
    now = batho.now()
    batho.clock = lambda: now + timedelta(hours=2)
    followup.resend_code(batho, reference, "someone@example.org")
    with batho.db.reading() as session:
        kept = list(session.scalars(select(CodeResend.at)))
    assert len(kept) == 1 and all(at.replace(tzinfo=None) > now.replace(tzinfo=None) for at in kept)


# F8: the example nginx configuration logged ?token= and ?code=, and refused every photo form over 3 MB.

def test_the_example_nginx_logs_no_query_string_and_lets_three_photos_through() -> None:
    conf = (PROJECT_ROOT / "docs" / "nginx.conf").read_text()
    formats = dict(re.findall(r"log_format\s+(\w+)\s+((?:'[^']*'\s*)+);", conf))
    logs = re.findall(r"^\s*access_log\s+\S+\s+(\w+);", conf, re.MULTILINE)
    assert logs and all(name in formats for name in logs)
    for name in logs:
        assert not re.search(r"\$(request|request_uri|args|query_string|arg_\w+)\b", formats[name])
    [size] = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, re.MULTILINE)
    assert int(size) * 1024 * 1024 >= UPLOAD_LIMIT


# F10: nearby took any case type, so a staff or system process's cases with a point could be listed by anyone.

def test_nearby_lists_only_processes_that_citizens_lodge(client: Any, batho: Batho) -> None:
    reference = lodge(batho, {"category": "water", "description": "No water", "location": "7 Secret Lane",
                              "latitude": FRANKFORT[0], "longitude": FRANKFORT[1]}, name="Thabo")
    with batho.db.transaction() as session:  # as if a process lodged by the system kept a point
        session.execute(update(Case).where(Case.reference == reference).values(case_type="policy_review"))
    asked = f"/places/nearby?category=water&lat={FRANKFORT[0]}&lon={FRANKFORT[1]}&process="
    assert client.get(asked + "policy_review").get_json()["cases"] == []
    assert client.get(asked + "complaint").get_json()["cases"] == []


# F11: the administrators' outbox showed the citizen's own words quoted in the "added information" email to staff.

def test_the_outbox_does_not_show_administrators_the_words_a_citizen_added(browsers: Any, batho: Batho,
                                                                          people: Any) -> None:
    words = "My neighbour Mr Dlamini at number 14 says the pipe burst again"
    with batho.db.transaction() as session:
        session.execute(update(User).where(User.username == "officer").values(email="officer@mafube.example"))
    try:
        reference = to_investigation(batho, people)
        followup.add_information(batho, reference, access_code(batho, reference), words)
        with batho.db.reading() as session:
            assert session.scalar(select(func.count()).select_from(Notification)
                                  .where(Notification.kind == "citizen_note")) == 1
        page = browsers("admin").get("/admin/outbox").get_data(as_text=True)
        assert words not in page and "quoting a citizen&#39;s words" in page
        assert words in browsers("officer").get(f"/cases/{reference}").get_data(as_text=True)  # the case has it
    finally:
        with batho.db.transaction() as session:
            session.execute(update(User).where(User.username == "officer").values(email=None))


# F12: a database error, logged with its traceback (USSD, the worker), printed the values it was writing.

def test_a_database_error_names_no_value_it_was_writing(batho: Batho) -> None:
    number, code = "+27825550199", "PRIVATECODE7"
    row = {"kind": "status_reply", "audience": "citizen", "channel": "sms", "recipient": number, "language": "en",
           "subject": "", "body": f"Your code is {code}", "dedupe_key": "sms-in:twice"}
    with batho.db.transaction() as session:
        session.add(Notification(**row, created_at=batho.now(), next_attempt_at=batho.now()))
    with pytest.raises(IntegrityError) as failed, batho.db.transaction() as session:
        session.add(Notification(**row, created_at=batho.now(), next_attempt_at=batho.now()))
    logged = str(failed.value)
    assert "INSERT INTO notifications" in logged  # the statement is still named, for whoever reads the log
    assert number not in logged and code not in logged
