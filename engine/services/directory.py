"""Signing in with the municipality's directory (LDAP): roles and departments from its groups, kept on a local row.

Local accounts come first and never ask the directory, so the administrator can sign in while it is down. A row
the directory made carries no password of ours (DIRECTORY_MANAGED): only the directory can let that person in.
"""

from __future__ import annotations

from dataclasses import dataclass

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from sqlalchemy import select

from ..composition import Batho
from ..config import LdapSettings
from ..errors import DomainError
from ..models import Department, Role, User
from .identity import ROLES, Identity, identity_of
from .identity import authenticate as local_authenticate

DIRECTORY_MANAGED = "directory"  # in password_hash: no scrypt hash, so no local password ever matches


class DirectoryUnavailable(DomainError):
    """The directory cannot be reached: its people cannot sign in until it is back."""

    def __init__(self) -> None:
        super().__init__("The municipality's directory cannot be reached just now, so directory accounts cannot "
                         "sign in. Try again in a few minutes; if it goes on, tell the IT service desk.")


@dataclass(frozen=True)
class Person:
    """Who the directory says someone is, and what its groups give them."""

    username: str
    full_name: str
    email: str | None
    roles: frozenset[str]
    departments: frozenset[str]


def _server(settings: LdapSettings) -> ldap3.Server:
    # ldap3 takes ldap://host:port without the trailing slash that OpenLDAP's own tools write.
    return ldap3.Server(settings.url.rstrip("/"), connect_timeout=settings.timeout, get_info=ldap3.NONE)


def _connect(settings: LdapSettings, user: str | None, password: str | None) -> ldap3.Connection:
    return ldap3.Connection(_server(settings), user=user or None, password=password or None,
                            receive_timeout=settings.timeout, raise_exceptions=False)


def _mapped(settings: LdapSettings, groups: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    roles, departments = set(), set()
    for dn, targets in settings.groups:
        if dn not in groups:
            continue
        for target in (t.strip() for t in targets.split(",")):
            kind, _, code = target.partition(":")
            if code and kind in ("department", "dept"):
                departments.add(code)
            elif target in ROLES:
                roles.add(target)
    return frozenset(roles), frozenset(departments)


def _first(entry: ldap3.Entry, name: str) -> str | None:
    values = entry.entry_attributes_as_dict.get(name) or []
    return str(values[0]) if values else None


def look_up(settings: LdapSettings, username: str, password: str) -> Person | None:
    """The person for a correct directory username and password; None when unknown or wrong.

    Raises DirectoryUnavailable when the directory does not answer.
    """
    service = _connect(settings, settings.bind_dn, settings.bind_password)
    try:
        if not service.bind():
            raise DirectoryUnavailable()
        query = settings.user_filter.replace("{username}", escape_filter_chars(username))
        if not service.search(settings.base_dn, query, attributes=["cn", "displayName", "mail", "memberOf"]):
            return None
        if len(service.entries) != 1:
            return None  # unknown, or ambiguous: never guess which person was meant
        entry = service.entries[0]
        dn = entry.entry_dn
        groups = {str(g).lower() for g in entry.entry_attributes_as_dict.get("memberOf") or []}
        member = escape_filter_chars(dn)
        service.search(settings.base_dn, f"(|(member={member})(uniqueMember={member}))", attributes=[])
        groups |= {e.entry_dn.lower() for e in service.entries}
    except LDAPException as exc:
        raise DirectoryUnavailable() from exc
    finally:
        service.unbind()
    person = _connect(settings, dn, password)
    try:
        if not person.bind():  # the user's own bind checks the password
            return None
    except LDAPException as exc:
        raise DirectoryUnavailable() from exc
    finally:
        person.unbind()
    roles, departments = _mapped(settings, groups)
    return Person(username, _first(entry, "displayName") or _first(entry, "cn") or username, _first(entry, "mail"),
                  roles, departments)


def _keep(app: Batho, person: Person) -> Identity | None:
    """Create or update the local row of a directory user: roles and departments as the directory's groups say."""
    with app.db.transaction() as session:
        user = session.scalars(select(User).where(User.username == person.username)).first()
        if user is None:
            user = User(username=person.username, full_name=person.full_name, password_hash=DIRECTORY_MANAGED)
            session.add(user)
        elif not user.is_active:
            return None  # an administrator switched the account off: the directory does not switch it back on
        user.full_name, user.email = person.full_name, person.email or user.email
        user.roles = list(session.scalars(select(Role).where(Role.key.in_(person.roles))))
        user.departments = list(session.scalars(select(Department).where(Department.code.in_(person.departments))))
        session.flush()
        return identity_of(user)


def _local_row(app: Batho, username: str) -> User | None:
    with app.db.reading() as session:
        return session.scalars(select(User).where(User.username == username)).first()


def authenticate(app: Batho, username: str, password: str) -> Identity | None:
    """Local accounts as before; with BATHO_LDAP_URL, everyone else through the directory."""
    settings = app.config.ldap
    username = username.strip()
    row = _local_row(app, username) if settings.url else None
    if not settings.url or (row is not None and row.password_hash != DIRECTORY_MANAGED):
        return local_authenticate(app, username, password)
    if not password or not username:  # an empty password is an anonymous bind, which LDAP servers accept
        return None
    person = look_up(settings, username, password)
    return _keep(app, person) if person is not None else None
