"""Users, roles and departments: sign-in and the demo organisation of Mafube."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..authz import Acting, Identity  # defined in the core beside the rules; kept importable from here
from ..composition import Batho
from ..models import Department, Role, User
from ..passwords import check_password, hash_password

DEPARTMENTS = {
    "technical": "Technical Services (water, sanitation, roads, electricity)",
    "finance": "Finance (billing and revenue)",
    "community": "Community Services (refuse, parks, cemeteries)",
    "customer_care": "Corporate Services: Customer Care",
}

ROLES = {
    "customer_care_agent": "Customer Care Agent",
    "department_officer": "Department Officer",
    "supervisor": "Supervisor",
    "manager": "Manager",
    "billing_clerk": "Billing Clerk",
    "finance_supervisor": "Finance Supervisor",
    "finance_approver": "Finance Approver",
    "meter_reader": "Meter Reader",
    "process_owner": "Process Owner",
    "admin": "Administrator",
    "integration": "Integration (another system that sends messages and signals to processes)",
    "councillor": "Ward Councillor",
}

# username: (full name, roles, departments)
DEMO_USERS: dict[str, tuple[str, list[str], list[str]]] = {
    "agent": ("Thandi Mokoena", ["customer_care_agent"], ["customer_care"]),
    "officer": ("Sipho Dlamini", ["department_officer"], ["technical"]),
    "supervisor": ("Naledi Khumalo", ["supervisor"], ["technical"]),
    "manager": ("Johan van Wyk", ["manager"], ["customer_care"]),
    "billing": ("Lerato Mahlangu", ["billing_clerk"], ["finance"]),
    "cfo": ("Pieter Botha", ["finance_approver", "finance_supervisor"], ["finance"]),
    "owner": ("Ayanda Nkosi", ["process_owner"], []),
    "admin": ("System Administrator", ["admin"], []),
    "officer_finance": ("Karabo Molefe", ["department_officer"], ["finance"]),
    "supervisor_finance": ("Anna Pretorius", ["supervisor", "finance_supervisor"], ["finance"]),
    "officer_community": ("Bongani Zulu", ["department_officer"], ["community"]),
    "supervisor_community": ("Mpho Sithole", ["supervisor"], ["community"]),
    "officer_customer_care": ("Zanele Ndlovu", ["department_officer"], ["customer_care"]),
    "supervisor_customer_care": ("Hendrik Venter", ["supervisor"], ["customer_care"]),
    "meter": ("Tumelo Radebe", ["meter_reader"], ["finance"]),
    "manager_technical": ("Themba Nkosi", ["manager"], ["technical"]),
    "manager_finance": ("Busisiwe Mthembu", ["manager"], ["finance"]),
    "manager_community": ("Carel Smit", ["manager"], ["community"]),
    "councillor": ("Lindiwe Mofokeng", ["councillor"], []),
}
# The demo councillor's ward: ward 1 of the example ward file (Frankfort).
DEMO_WARDS = {"councillor": "42005001"}


def identity_of(user: User, acting: tuple[Acting, ...] = ()) -> Identity:
    """`acting`: the acting appointments in force for them now (services.acting.in_force_in)."""
    return Identity(user.id, user.username, user.full_name, frozenset(user.role_keys),
                    frozenset(user.department_codes), user.must_change_password, acting, user.ward)


def authenticate(app: Batho, username: str, password: str) -> Identity | None:
    """The identity for a correct username and password, else None."""
    with app.db.reading() as session:
        user = session.scalars(select(User).where(User.username == username.strip())).first()
        if user is None or not user.is_active:
            check_password(hash_password("timing"), password)  # same cost whether or not the user exists
            return None
        return identity_of(user) if check_password(user.password_hash, password) else None


def create_user(session: Session, username: str, full_name: str, password: str, roles: list[str],
                departments: list[str]) -> User:
    role_rows = list(session.scalars(select(Role).where(Role.key.in_(roles))))
    dept_rows = list(session.scalars(select(Department).where(Department.code.in_(departments))))
    user = User(username=username, full_name=full_name, password_hash=hash_password(password),
                roles=role_rows, departments=dept_rows)
    session.add(user)
    return user


def ensure_reference_data(session: Session) -> None:
    """Roles and departments every deployment needs (idempotent)."""
    known_roles = set(session.scalars(select(Role.key)))
    for key, name in ROLES.items():
        if key not in known_roles:
            session.add(Role(key=key, name=name))
    known_depts = set(session.scalars(select(Department.code)))
    for code, name in DEPARTMENTS.items():
        if code not in known_depts:
            session.add(Department(code=code, name=name))
    session.flush()


def seed_demo(app: Batho, password: str) -> bool:
    """Create the demo users on an empty database; return False when users already exist."""
    with app.db.transaction() as session:
        ensure_reference_data(session)
        if session.scalar(select(func.count()).select_from(User)):
            return False
        for username, (full_name, roles, departments) in DEMO_USERS.items():
            create_user(session, username, full_name, password, roles, departments).ward = DEMO_WARDS.get(username)
        return True
