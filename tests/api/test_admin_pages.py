"""Administrators issue and revoke Open311 api keys and read the notification outbox; nobody else may."""

from __future__ import annotations

import re

from tests.support.drive import lodge
from tests.support.web import Browser

KEY = re.compile(r"not shown again\): <code>([^<]+)</code>")


def signed_in(app, username: str) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(username).status_code == 302
    return browser


def test_an_admin_issues_a_key_that_works_and_revokes_it(app, client):
    admin = signed_in(app, "admin")
    page = admin.post("/admin/api-keys", {"name": "FixMyStreet Mafube"}, page="/admin/api-keys")
    assert page.status_code == 200
    key = KEY.search(page.get_data(as_text=True)).group(1)
    form = {"api_key": key, "service_code": "complaint-water", "address_string": "12 Main St",
            "description": "No water"}
    assert client.post("/open311/v2/requests.json", data=form).status_code == 201
    key_id = re.search(r'/admin/api-keys/(\d+)/revoke', admin.get("/admin/api-keys").get_data(as_text=True)).group(1)
    assert admin.post(f"/admin/api-keys/{key_id}/revoke", page="/admin/api-keys").status_code == 302
    assert client.post("/open311/v2/requests.json", data=form).status_code == 403


def test_a_key_needs_a_name(app):
    admin = signed_in(app, "admin")
    page = admin.post("/admin/api-keys", {"name": " "}, page="/admin/api-keys")
    assert page.status_code == 400 and "Name the application" in page.get_data(as_text=True)


def test_the_outbox_lists_messages_for_admins_only(app, batho):
    reference = lodge(batho, name="Jane", email="jane@example.org")
    page = signed_in(app, "admin").get("/admin/outbox?status=pending").get_data(as_text=True)
    assert f"Mafube: we registered your case {reference}" in page and "j***@example.org" in page
    assert "jane@example.org" not in page, "recipients are masked (POPIA)"
    agent = signed_in(app, "agent")
    assert agent.get("/admin/outbox").status_code == 403
    assert agent.get("/admin/api-keys").status_code == 403
    assert agent.post("/admin/api-keys", {"name": "x"}, page="/tasks/").status_code == 403
