"""Response headers: personal pages and APIs are never cached, diagrams download as attachments, links use our URL."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote

import pytest

from engine.services import deployment
from tests.modeler.diagrams import complaint_files
from tests.support.database import DEMO_PASSWORD
from tests.support.drive import access_code, lodge, open_task
from web import create_app
from web.headers import attachment

STAFF_PAGES = [("agent", "/tasks/"), ("agent", "/cases/{reference}"), ("agent", "/tasks/{task}"),
               ("manager", "/dashboard/"), ("owner", "/modeler/"), ("admin", "/admin/outbox"),
               ("agent", "/no-such-page")]
CITIZEN_PAGES = ["/status/{reference}?code={code}", "/lodged/{reference}?code={code}", "/lodged/{reference}"]
PUBLIC_PAGES = ["/", "/transparency", "/you-said-we-did", "/open311/v2/services.json", "/status/{reference}"]
API_CALLS = ["/api/v1/tasks", "/api/v1/cases", "/api/v1/processes", "/api/v1/openapi.json",
             "/api/v1/metrics?period=2026-10", "/api/v1/no-such-thing"]


def test_every_response_with_personal_information_is_never_stored_and_public_pages_stay_cacheable(
        app, browsers, batho):
    reference = lodge(batho)
    filled = {"reference": reference, "code": access_code(batho, reference),
              "task": open_task(batho, reference, "Task_triage").id}
    responses = {f"{who} {url}": browsers(who).get(url.format(**filled)) for who, url in STAFF_PAGES}
    responses |= {url: browsers("citizen").get(url.format(**filled)) for url in CITIZEN_PAGES}
    responses["lodge POST"] = browsers("citizen").post("/lodge/complaint", {"category": "", "email": "j@example.org"},
                                                       page="/lodge/complaint")
    client = app.test_client()
    responses["token"] = client.post("/api/v1/auth/token", json={"username": "manager", "password": DEMO_PASSWORD})
    headers = {"Authorization": f"Bearer {responses['token'].get_json()['token']}"}
    responses |= {url: client.get(url, headers=headers) for url in API_CALLS}
    stored = [name for name, response in responses.items() if response.headers.get("Cache-Control") != "no-store"]
    assert stored == []
    public = {url: browsers("citizen").get(url.format(**filled)) for url in PUBLIC_PAGES}
    assert all(r.status_code == 200 for r in public.values())
    assert [url for url, r in public.items() if "no-store" in r.headers.get("Cache-Control", "")] == []


def test_a_diagram_downloads_as_an_attachment_never_as_a_page(browsers):
    response = browsers("owner").get("/modeler/complaint/1/files/complaint.bpmn")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="complaint.v1.bpmn"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype not in ("application/xml", "text/xml", "text/html", "image/svg+xml")


def test_an_uploaded_file_name_is_made_safe_in_the_download_header(browsers, batho, people):
    files = complaint_files("Outcome of triage")
    name = '..\\Klagte "één"\r\nX-Evil: 1.bpmn'
    deployment.deploy_sources(batho, {name: files["complaint.bpmn"], **{"complaint_routing.dmn":
                                                                       files["complaint_routing.dmn"]}},
                              people["owner"].id)
    response = browsers("owner").get(f"/modeler/complaint/2/files/{quote(name, safe='')}")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert "X-Evil" not in response.headers
    assert header.startswith('attachment; filename="')
    plain = header.split('filename="')[1].split('"')[0]
    assert all(c.isascii() and c not in '"\\/\r\n;' for c in plain)
    assert "filename*=UTF-8''" in header and "%C3%A9%C3%A9n" in header


@pytest.mark.parametrize("name, header", [
    ("complaint.v1.bpmn", 'attachment; filename="complaint.v1.bpmn"'),
    ("../../etc/passwd", 'attachment; filename="passwd"'),
    ("a\r\nb.dmn", 'attachment; filename="ab.dmn"'),
    ('say "hi".bpmn', "attachment; filename=\"say _hi_.bpmn\"; filename*=UTF-8''say%20%22hi%22.bpmn"),
    ("Ġ", "attachment; filename=\"_\"; filename*=UTF-8''%C4%A0"),
    ("", 'attachment; filename="download"'),
])
def test_attachment_names_carry_no_quotes_line_breaks_or_folders(name, header):
    assert attachment(name) == header


def test_open311_discovery_gives_the_configured_public_url_whatever_the_host_header(batho):
    configured = dataclasses.replace(batho, config=dataclasses.replace(batho.config,
                                                                       public_url="https://batho.mafube.gov.za"))
    client = create_app(configured, {"TESTING": True}).test_client()
    response = client.get("/open311/v2/discovery.json", headers={"Host": "evil.example"})
    assert response.status_code == 200
    urls = [e["url"] for e in response.get_json()["endpoints"]]
    assert urls == ["https://batho.mafube.gov.za/open311/v2"]
