"""The corpus benchmark as the municipality's IT office: the roles and users a diagram names, and the files it calls.

Before a diagram is deployed, each role its candidate groups (and candidateStarterGroups) name is added through the
administrator's service (engine/services/organisation.py), with one staff member holding it
(engine/services/staff.py), and each user its assignee or candidate users name is added as a staff member: what an
administrator does before a process owner deploys a diagram made elsewhere. A diagram is deployed together with the
other files of its folder that define the processes its call activities call (a Camunda deployment is often
several files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select

from engine.authz import Identity
from engine.bpmn.camunda_assign import assignment_of, group_parts, literal_names
from engine.bpmn.dialect import CAMUNDA_NS, safe_xml
from engine.composition import Batho
from engine.models import Role, User
from engine.services import organisation, staff

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")


@dataclass
class Office:
    """What the IT office added, counted for the benchmark's output."""

    admin: Identity
    roles: set[str] = field(default_factory=set)
    users: set[str] = field(default_factory=set)
    bundled: int = 0  # diagrams deployed with the files of the processes they call


def _root(source: str) -> Any | None:
    try:
        return safe_xml(source)
    except (etree.XMLSyntaxError, ValueError):
        return None


def named_groups_and_users(source: str) -> tuple[set[str], set[str]]:
    """The literal role names (candidate groups, starter groups) and usernames (assignee, candidate users)."""
    root = _root(source)
    if root is None:
        return set(), set()
    groups: set[str] = set()
    users: set[str] = set()
    for task in root.iter(f"{{{BPMN_NS}}}userTask"):
        found = assignment_of(task)
        groups |= {group_parts(g)[0] for g in _literals(found.candidate_groups)}
        users |= set(_literals(found.assignee)) | set(_literals(found.candidate_users))
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        groups |= set(_literals(process.get(f"{{{CAMUNDA_NS}}}candidateStarterGroups") or ""))
        users |= set(_literals(process.get(f"{{{CAMUNDA_NS}}}candidateStarterUsers") or ""))
    return groups, users


def _literals(text: str) -> list[str]:
    try:
        return literal_names(text)
    except Exception:  # noqa: BLE001 - an expression the lint will name
        return []


def _role_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
    key = key if key[:1].isalpha() else f"r_{key}"
    return key[:40] if len(key) >= 2 else f"{key}_role"


def set_up_for(app: Batho, office: Office, source: str) -> None:
    """Add the roles (each with one staff member) and users `source` names that do not exist yet."""
    groups, users = named_groups_and_users(source)
    with app.db.reading() as session:
        roles = {str(k).lower() for k in session.scalars(select(Role.key))} | \
            {str(n).lower() for n in session.scalars(select(Role.name))}
        usernames = set(session.scalars(select(User.username)))
    for group in sorted(groups):
        if group.lower() in roles or not group:
            continue
        key = _role_key(group)
        organisation.save_role(app, office.admin, key, group[:120], "Named by a corpus diagram's candidate groups.")
        roles |= {key, group.lower()}
        office.roles.add(key)
        holder = f"holder.{key}"[:80].replace("_", "-")
        if holder not in usernames:
            staff.add_staff(app, office.admin, {"username": holder, "full_name": f"Holder of {group}"[:120],
                                                "roles": [key]})
            usernames.add(holder)
    for name in sorted(users):
        if name in usernames or not USERNAME.fullmatch(name):
            continue  # a name Batho cannot hold as a username stays a refusal in the lint's words
        staff.add_staff(app, office.admin, {"username": name, "full_name": name.title()})
        usernames.add(name)
        office.users.add(name)


def processes_in(source: str) -> set[str]:
    root = _root(source)
    return {str(p.get("id")) for p in root.iter(f"{{{BPMN_NS}}}process")} if root is not None else set()


def called_in(source: str) -> set[str]:
    root = _root(source)
    return {str(c.get("calledElement")) for c in root.iter(f"{{{BPMN_NS}}}callActivity")
            if c.get("calledElement")} if root is not None else set()


def with_called(bpmn: Path, files: dict[str, str]) -> dict[str, str]:
    """`files` and the other BPMN files of `bpmn`'s folder that define the processes it calls (and they call)."""
    others = {p.name: p.read_text(errors="replace") for p in bpmn.parent.iterdir()
              if p.is_file() and ".bpmn" in p.name and p.name not in files}
    defined = {key: name for name, source in others.items() for key in processes_in(source)}
    todo = list(files.values())
    bundle = dict(files)
    while todo:
        for key in called_in(todo.pop()):
            name = defined.get(key)
            if name and name not in bundle:
                bundle[name] = others[name]
                todo.append(others[name])
    return bundle
