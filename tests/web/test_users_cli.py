"""`batho users add|list|disable|enable|reset-password|grant|revoke` and `batho create-admin`."""

from __future__ import annotations

import re

import pytest

from engine.services import identity, staff, staff_audit
from tests.support.staff import restore
from web.cli import main


@pytest.fixture(autouse=True)
def _demo_staff_put_back(batho):
    """Users, roles and departments are kept between tests: what this test added goes again."""
    yield
    restore(batho)


def _run(app, *args, **kwargs):
    result = app.test_cli_runner().invoke(main, list(args), **kwargs)
    return result


def test_users_add_prints_a_temporary_password_that_signs_in(batho, app):
    result = _run(app, "users", "add", "mpho_t", "--name", "Mpho Tau", "--role", "department_officer",
                  "--department", "technical,community")
    assert result.exit_code == 0, result.output
    assert "Added mpho_t (Mpho Tau); roles: department_officer; departments: community, technical." in result.output
    temporary = re.search(r"Temporary password .*: (\S+)", result.output).group(1)
    who = identity.authenticate(batho, "mpho_t", temporary)
    assert who is not None and who.must_change_password
    assert staff_audit.audit_lines(batho, None, 5, "mpho_t")[0].actor == staff_audit.COMMAND_LINE


def test_users_add_says_what_is_wrong(batho, app):
    result = _run(app, "users", "add", "agent", "--name", "Again", "--role", "pilot")
    assert result.exit_code == 1
    assert "username: The username 'agent' is taken" in result.output and "roles: Unknown roles: pilot" in result.output


def test_users_list_shows_every_account(batho, app):
    result = _run(app, "users", "list")
    assert result.exit_code == 0
    assert "supervisor\tNaledi Khumalo\tactive\troles: supervisor\tdepartments: technical" in result.output


def test_disable_and_enable(batho, app):
    _run(app, "users", "add", "zodwa", "--name", "Zodwa Nene", "--role", "billing_clerk")
    assert _run(app, "users", "disable", "zodwa").exit_code == 0
    assert staff.staff_member(batho, None, "zodwa").active is False
    assert _run(app, "users", "enable", "zodwa").exit_code == 0
    assert staff.staff_member(batho, None, "zodwa").active is True
    missing = _run(app, "users", "disable", "nobody_here")
    assert missing.exit_code == 1 and "There is no staff member with the username 'nobody_here'" in missing.output


def test_reset_password_prints_a_new_temporary_password(batho, app):
    _run(app, "users", "add", "lwazi", "--name", "Lwazi Cele", "--role", "meter_reader")
    result = _run(app, "users", "reset-password", "lwazi")
    temporary = re.search(r"Temporary password .*: (\S+)", result.output).group(1)
    assert identity.authenticate(batho, "lwazi", temporary) is not None


def test_grant_and_revoke_roles_and_departments(batho, app):
    _run(app, "users", "add", "bheki", "--name", "Bheki Zulu", "--role", "department_officer", "--department",
         "technical")
    assert _run(app, "users", "grant", "bheki", "--role", "supervisor", "--department", "finance").exit_code == 0
    member = staff.staff_member(batho, None, "bheki")
    assert member.roles == ["department_officer", "supervisor"] and member.departments == ["finance", "technical"]
    assert _run(app, "users", "revoke", "bheki", "--role", "department_officer", "--department",
                "technical").exit_code == 0
    member = staff.staff_member(batho, None, "bheki")
    assert member.roles == ["supervisor"] and member.departments == ["finance"]
    assert _run(app, "users", "grant", "bheki").exit_code == 2  # nothing named


def test_create_admin_reads_the_password_from_stdin(batho, app):
    result = _run(app, "create-admin", "it_officer", "--name", "IT Officer", "--password-stdin",
                  input="correct horse battery staple\n")
    assert result.exit_code == 0, result.output
    who = identity.authenticate(batho, "it_officer", "correct horse battery staple")
    assert who is not None and who.roles == {"admin"} and not who.must_change_password


def test_create_admin_prompts_twice_and_checks_the_password(batho, app):
    weak = _run(app, "create-admin", "it_two", "--password-stdin", input="short\n")
    assert weak.exit_code == 1 and "password: Choose a password of at least 10 characters" in weak.output
    asked = _run(app, "create-admin", "it_two", input="a quiet river bend\na quiet river bend\n")
    assert asked.exit_code == 0, asked.output
    assert identity.authenticate(batho, "it_two", "a quiet river bend") is not None
