"""/api/v1/users: administrators list, add, read and change staff accounts; anyone else is refused."""

from __future__ import annotations

import pytest

from tests.support.staff import PASSWORD, add, restore


@pytest.fixture(autouse=True)
def _demo_staff_put_back(batho):
    """Users, roles and departments are kept between tests: what this test added goes again."""
    yield
    restore(batho)

NEW = {"username": "refilwe", "full_name": "Refilwe Mokoena", "email": "refilwe@mafube.gov.za",
       "phone": "0581234567", "roles": ["customer_care_agent"], "departments": ["customer_care"],
       "password": "a sunny morning in Frankfort"}


def test_an_admin_lists_the_staff(batho, client, bearer):
    answer = client.get("/api/v1/users", headers=bearer("admin"))
    assert answer.status_code == 200
    agent = next(u for u in answer.get_json()["users"] if u["username"] == "agent")
    assert agent["roles"] == ["customer_care_agent"] and agent["departments"] == ["customer_care"]
    assert agent["active"] is True


def test_an_admin_adds_a_staff_member_who_must_change_the_password(batho, client, bearer):
    answer = client.post("/api/v1/users", json=NEW, headers=bearer("admin"))
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["username"] == "refilwe" and body["must_change_password"] is True and "temporary_password" not in body
    assert client.get("/api/v1/users/refilwe", headers=bearer("admin")).get_json()["email"] == NEW["email"]


def test_without_a_password_a_temporary_one_is_answered_once(batho, client, bearer):
    body = {k: v for k, v in NEW.items() if k != "password"}
    made = client.post("/api/v1/users", json=body, headers=bearer("admin")).get_json()
    assert len(made["temporary_password"]) == 14
    assert "temporary_password" not in client.get("/api/v1/users/refilwe", headers=bearer("admin")).get_json()


def test_wrong_fields_are_400_with_the_field_named(batho, client, bearer):
    wrong = {**NEW, "username": "Bad Name!", "roles": ["astronaut"], "departments": "technical", "email": "nope",
             "password": "short", "colour": "blue"}
    answer = client.post("/api/v1/users", json=wrong, headers=bearer("admin"))
    assert answer.status_code == 400
    assert set(answer.get_json()["errors"]) == {"username", "roles", "departments", "email", "password", "colour"}
    assert "astronaut" in answer.get_json()["errors"]["roles"]
    taken = client.post("/api/v1/users", json={**NEW, "username": "agent"}, headers=bearer("admin"))
    assert taken.status_code == 400 and "taken" in taken.get_json()["errors"]["username"]
    patched = client.patch("/api/v1/users/agent", json={"active": "no"}, headers=bearer("admin"))
    assert patched.status_code == 400 and set(patched.get_json()["errors"]) == {"active"}


def test_patch_changes_roles_departments_and_disables(batho, client, bearer):
    add(batho, "kgosi", ["department_officer"], ["technical"])
    token = client.post("/api/v1/auth/token", json={"username": "kgosi", "password": PASSWORD}).get_json()["token"]
    changed = client.patch("/api/v1/users/kgosi", json={"roles": ["supervisor", "department_officer"],
                                                        "departments": ["community"]}, headers=bearer("admin"))
    assert changed.status_code == 200
    assert changed.get_json()["roles"] == ["department_officer", "supervisor"]
    assert changed.get_json()["departments"] == ["community"]
    disabled = client.patch("/api/v1/users/kgosi", json={"active": False}, headers=bearer("admin"))
    assert disabled.status_code == 200 and disabled.get_json()["active"] is False
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_patch_password_sets_one_to_change_and_null_makes_a_temporary_one(batho, client, bearer):
    add(batho, "ayesha", ["billing_clerk"], ["finance"])
    set_one = client.patch("/api/v1/users/ayesha", json={"password": "purple hills at dusk"}, headers=bearer("admin"))
    assert set_one.status_code == 200 and set_one.get_json()["must_change_password"] is True
    reset = client.patch("/api/v1/users/ayesha", json={"password": None}, headers=bearer("admin")).get_json()
    assert reset["temporary_password"]


def test_unknown_users_are_404(batho, client, bearer):
    assert client.get("/api/v1/users/nobody_here", headers=bearer("admin")).status_code == 404
    assert client.patch("/api/v1/users/nobody_here", json={"active": False}, headers=bearer("admin")).status_code == 404


def test_anyone_but_an_admin_is_refused(batho, client, bearer):
    for username in ("agent", "manager", "owner"):
        headers = bearer(username)
        assert client.get("/api/v1/users", headers=headers).status_code == 403
        assert client.post("/api/v1/users", json=NEW, headers=headers).status_code == 403
        assert client.get("/api/v1/users/agent", headers=headers).status_code == 403
        assert client.patch("/api/v1/users/agent", json={"active": False}, headers=headers).status_code == 403
    assert client.get("/api/v1/users").status_code == 401
