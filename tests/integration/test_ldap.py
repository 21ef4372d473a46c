"""Signing in with the municipality's directory: a real OpenLDAP server (Debian's slapd) started for these tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import ldap3
import pytest
from sqlalchemy import select

from engine.config import LdapSettings
from engine.models import User
from engine.services import directory, signin
from tests.support.database import DEMO_PASSWORD
from tests.support.web import Browser
from web import create_app

SLAPD = Path("/usr/sbin/slapd")
pytestmark = pytest.mark.skipif(not SLAPD.exists(), reason="needs Debian's slapd (.ci/run installs it)")
BASE = "dc=mafube,dc=gov,dc=za"
ADMIN, ADMIN_PASSWORD = f"cn=admin,{BASE}", "directory-admin"
AGENTS, TECH = f"cn=agents,ou=groups,{BASE}", f"cn=technical-supervisors,ou=groups,{BASE}"
GROUPS = ((AGENTS.lower(), "customer_care_agent"), (TECH.lower(), "supervisor,department:technical"))
CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{admin}"
rootpw {password}
directory {folder}/data
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _load(url: str) -> None:
    conn = ldap3.Connection(ldap3.Server(url), ADMIN, ADMIN_PASSWORD, auto_bind=True)
    conn.add(BASE, ["dcObject", "organization"], {"o": "Mafube", "dc": "mafube"})
    for unit in ("people", "groups"):
        conn.add(f"ou={unit},{BASE}", ["organizationalUnit"], {"ou": unit})
    people = {"lindiwe": ("Lindiwe Mabaso", "lindiwe-secret"), "karel": ("Karel Joubert", "karel-secret")}
    for uid, (name, password) in people.items():
        conn.add(f"uid={uid},ou=people,{BASE}", ["inetOrgPerson"],
                 {"cn": name, "sn": name.split()[-1], "mail": f"{uid}@mafube.gov.za", "userPassword": password})
    conn.add(AGENTS, ["groupOfNames"], {"cn": "agents", "member": [f"uid=lindiwe,ou=people,{BASE}",
                                                                   f"uid=karel,ou=people,{BASE}"]})
    conn.add(TECH, ["groupOfNames"], {"cn": "technical-supervisors", "member": [f"uid=lindiwe,ou=people,{BASE}"]})
    conn.unbind()


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(CONFIG.format(folder=folder, base=BASE, admin=ADMIN, password=ADMIN_PASSWORD))
    url = f"ldap://127.0.0.1:{free_port()}"
    server = subprocess.Popen([str(SLAPD), "-d", "0", "-h", f"{url}/", "-f", str(conf)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                _load(url)
                break
            except ldap3.core.exceptions.LDAPException:
                assert server.poll() is None, server.communicate()[0]
                time.sleep(0.1)
        else:
            pytest.fail("slapd did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _settings(url: str) -> LdapSettings:
    return LdapSettings(url=url, base_dn=BASE, bind_dn=ADMIN, bind_password=ADMIN_PASSWORD,
                        user_filter="(&(objectClass=inetOrgPerson)(uid={username}))", groups=GROUPS, timeout=2)


@pytest.fixture
def ldap_batho(batho, slapd):
    batho.config = replace(batho.config, ldap=_settings(slapd))
    yield batho
    with batho.db.transaction() as session:
        for user in session.scalars(select(User).where(User.password_hash == directory.DIRECTORY_MANAGED)):
            session.delete(user)


def test_a_directory_user_signs_in_with_roles_and_departments_from_the_groups(ldap_batho):
    who = signin.sign_in(ldap_batho, "lindiwe", "lindiwe-secret", "10.0.0.1")
    assert who is not None and who.full_name == "Lindiwe Mabaso"
    assert who.roles == {"customer_care_agent", "supervisor"} and who.departments == {"technical"}
    karel = signin.sign_in(ldap_batho, "karel", "karel-secret", "10.0.0.1")
    assert karel is not None and karel.roles == {"customer_care_agent"} and karel.departments == set()
    with ldap_batho.db.reading() as session:
        row = session.scalars(select(User).where(User.username == "lindiwe")).one()
        assert row.password_hash == directory.DIRECTORY_MANAGED and row.email == "lindiwe@mafube.gov.za"
    again = signin.sign_in(ldap_batho, "lindiwe", "lindiwe-secret", "10.0.0.1")
    assert again is not None and again.id == who.id  # the same local row, not a second one


def test_a_directory_user_an_administrator_disabled_stays_out_with_the_right_password(ldap_batho):
    assert signin.sign_in(ldap_batho, "karel", "karel-secret", "10.0.0.4") is not None
    with ldap_batho.db.transaction() as session:
        session.scalars(select(User).where(User.username == "karel")).one().is_active = False
    assert signin.sign_in(ldap_batho, "karel", "karel-secret", "10.0.0.4") is None


def test_a_wrong_or_empty_password_is_refused(ldap_batho):
    assert signin.sign_in(ldap_batho, "lindiwe", "wrong", "10.0.0.2") is None
    assert signin.sign_in(ldap_batho, "lindiwe", "", "10.0.0.2") is None  # not an anonymous bind


def test_someone_the_directory_does_not_know_signs_in_with_a_local_account(ldap_batho):
    who = signin.sign_in(ldap_batho, "agent", DEMO_PASSWORD, "10.0.0.3")
    assert who is not None and who.username == "agent"
    assert signin.sign_in(ldap_batho, "nobody", "whatever", "10.0.0.3") is None


def test_the_sign_in_throttle_applies_to_directory_users(ldap_batho):
    for _ in range(signin.PAIR.attempts):
        assert signin.sign_in(ldap_batho, "karel", "wrong", "10.0.0.4") is None
    with pytest.raises(signin.TooManyAttempts):
        signin.sign_in(ldap_batho, "karel", "karel-secret", "10.0.0.4")


def test_with_the_directory_down_local_accounts_sign_in_and_directory_users_are_told_why_not(ldap_batho):
    assert signin.sign_in(ldap_batho, "lindiwe", "lindiwe-secret", "10.0.0.5") is not None  # her row exists now
    ldap_batho.config = replace(ldap_batho.config, ldap=_settings(f"ldap://127.0.0.1:{free_port()}/"))
    assert signin.sign_in(ldap_batho, "agent", DEMO_PASSWORD, "10.0.0.5") is not None
    with pytest.raises(directory.DirectoryUnavailable, match="directory cannot be reached"):
        signin.sign_in(ldap_batho, "lindiwe", "lindiwe-secret", "10.0.0.5")
    page = Browser(create_app(ldap_batho, {"TESTING": True}).test_client()).login("lindiwe", "lindiwe-secret")
    assert page.status_code == 503 and "directory cannot be reached" in page.get_data(as_text=True)
