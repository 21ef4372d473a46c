"""`batho users ...` and `batho create-admin`: staff accounts from the server's command line (audited as such)."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import with_appcontext

from engine.errors import DomainError, ValidationFailed
from engine.services import identity, staff

from .services import batho


def _fail(exc: DomainError) -> click.ClickException:
    if isinstance(exc, ValidationFailed):
        return click.ClickException("; ".join(f"{field}: {sentence}" for field, sentence in exc.errors.items()))
    return click.ClickException(str(exc))


def _show(changed: staff.Changed, what: str) -> None:
    row = changed.staff
    click.echo(f"{what} {row.username} ({row.full_name}); roles: {', '.join(row.roles) or 'none'}; "
               f"departments: {', '.join(row.departments) or 'none'}.")
    if changed.temporary_password:
        click.echo(f"Temporary password (shown once; to be changed at the first sign-in): {changed.temporary_password}")


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.group("users")
def users() -> None:
    """Staff accounts: add, list, disable, enable, reset-password, grant, revoke."""


@users.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, as colleagues and citizens read it.")
@click.option("--email", default="", help="Email address for task notices.")
@click.option("--phone", default="", help="Phone number.")
@click.option("--role", "roles", multiple=True, help="A role key (repeat, or separate with commas).")
@click.option("--department", "departments", multiple=True, help="A department code (repeat, or commas).")
@with_appcontext
def add(username: str, full_name: str, email: str, phone: str, roles: tuple[str, ...],
        departments: tuple[str, ...]) -> None:
    """Add a staff member with a temporary password (shown once)."""
    values: dict[str, Any] = {"username": username, "full_name": full_name, "email": email, "phone": phone,
                              "roles": _split(roles), "departments": _split(departments)}
    try:
        _show(staff.add_staff(batho(), None, values), "Added")
    except DomainError as exc:
        raise _fail(exc) from None


@users.command("list")
@with_appcontext
def list_users() -> None:
    """Every staff account, with roles, departments and whether it is active."""
    for row in staff.list_staff(batho(), None):
        state = "active" if row.active else "disabled"
        click.echo(f"{row.username}\t{row.full_name}\t{state}\troles: {', '.join(row.roles) or 'none'}\t"
                   f"departments: {', '.join(row.departments) or 'none'}")


def _change(username: str, values: dict[str, Any], what: str) -> None:
    try:
        _show(staff.change_staff(batho(), None, username, values), what)
    except DomainError as exc:
        raise _fail(exc) from None


@users.command("disable")
@click.argument("username")
@with_appcontext
def disable(username: str) -> None:
    """Disable an account: signed out everywhere, API tokens revoked, its tasks back to their groups."""
    _change(username, {"active": False}, "Disabled")


@users.command("enable")
@click.argument("username")
@with_appcontext
def enable(username: str) -> None:
    """Enable a disabled account again."""
    _change(username, {"active": True}, "Enabled")


@users.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_password(username: str) -> None:
    """Give a temporary password (shown once) to be changed at the next sign-in."""
    _change(username, {"password": "reset"}, "New password for")


def _regrant(username: str, roles: tuple[str, ...], departments: tuple[str, ...], grant: bool) -> None:
    if not roles and not departments:
        raise click.UsageError("Name at least one --role or --department.")
    try:
        current = staff.staff_member(batho(), None, username)
    except DomainError as exc:
        raise _fail(exc) from None
    values: dict[str, Any] = {}
    for field, named, have in (("roles", _split(roles), current.roles),
                               ("departments", _split(departments), current.departments)):
        if named:
            values[field] = sorted(set(have) | set(named)) if grant else [k for k in have if k not in named]
    _change(username, values, "Changed")


@users.command("grant")
@click.argument("username")
@click.option("--role", "roles", multiple=True, help="A role key to add.")
@click.option("--department", "departments", multiple=True, help="A department code to add.")
@with_appcontext
def grant(username: str, roles: tuple[str, ...], departments: tuple[str, ...]) -> None:
    """Give roles or departments to a staff member."""
    _regrant(username, roles, departments, grant=True)


@users.command("revoke")
@click.argument("username")
@click.option("--role", "roles", multiple=True, help="A role key to take away.")
@click.option("--department", "departments", multiple=True, help="A department code to take away.")
@with_appcontext
def revoke(username: str, roles: tuple[str, ...], departments: tuple[str, ...]) -> None:
    """Take roles or departments away from a staff member."""
    _regrant(username, roles, departments, grant=False)


@click.command("create-admin")
@click.argument("username")
@click.option("--name", "full_name", default="System Administrator", help="Full name.")
@click.option("--email", default="", help="Email address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
@with_appcontext
def create_admin(username: str, full_name: str, email: str, password_stdin: bool) -> None:
    """Create the first administrator with a password of their own (asked for, or read from standard input)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    app = batho()
    with app.db.transaction() as session:  # the roles must exist before the first account can hold one
        identity.ensure_reference_data(session)
    values = {"username": username, "full_name": full_name, "email": email, "roles": ["admin"],
              "departments": [], "password": password}
    try:
        changed = staff.add_staff(app, None, values, must_change=False)
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"Administrator {changed.staff.username} created. Sign in at /login and add the staff at /admin/staff.")
