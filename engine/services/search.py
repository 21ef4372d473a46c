"""Staff case search: by reference, citizen contact, account number or description words, within what one may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from ..authz import Identity, may_know_citizen, may_see_contact, require_staff, viewable_cases
from ..composition import Batho
from ..errors import Forbidden
from ..lodging import account_key, email_key, phone_key
from ..models import Case, HumanTask, ReferenceCounter
from .casefile import checked_case

PAGE_SIZE = 25
# Results are counted up to CAP cases; a search that finds more says "more than 1 000" (a word of the descriptions
# can match a hundred thousand cases, and counting them all re-checked every match).
CAP = 1000
STATES = ("", "open", "closed")
REFERENCE = re.compile(r"([A-Z]{2,10})-(\d{4})-(\d{1,9})")
YEAR_NUMBER = re.compile(r"(\d{4})-(\d{1,9})")
REFERENCE_START = re.compile(r"[A-Z]{2,10}-[0-9-]{0,15}")
NUMBER = re.compile(r"\d{1,9}")
PHONE = re.compile(r"\+?[\d\s().-]{9,24}")
ACCOUNT = re.compile(r"[A-Z0-9/-]{4,30}")
WORD = re.compile(r"[^\W\d_]{3,}")  # letters only: never a LIKE wildcard


@dataclass(frozen=True)
class Keys:
    """What a typed search may be: each key is looked up where it is kept, most through an index."""

    references: tuple[str, ...] = ()
    reference_prefix: str = ""
    phone: str = ""
    email: str = ""
    account: str = ""
    name: str = ""
    words: tuple[str, ...] = ()


def keys_of(text: str, prefix: str, years: list[int]) -> Keys:
    """Read a search box: `MAF-2026-000123`, `2026-123`, `123`, `MAF-2026-00`, a phone number however written, an
    email address, an account number, a citizen's name or words of the description."""
    typed = text.strip()[:200]
    if "@" in typed:
        return Keys(email=email_key(typed) or "")
    upper = re.sub(r"\s", "", typed).upper()
    if YEAR_NUMBER.fullmatch(upper):  # 2026-123: the reference without its prefix
        upper = f"{prefix}-{upper}"
    references: list[str] = []
    if found := REFERENCE.fullmatch(upper):  # MAF-2026-123 is MAF-2026-000123 (and a prefix of longer ones)
        head, year, number = found.groups()
        references.append(f"{head}-{year}-{int(number):06d}")
    elif NUMBER.fullmatch(upper):  # the number alone, as a citizen reads it out: in any year
        references += [f"{prefix}-{year}-{int(upper):06d}" for year in years]
    start = upper if REFERENCE_START.fullmatch(upper) else ""
    phone = phone_key(typed) if PHONE.fullmatch(typed) else None
    account = account_key(typed) if ACCOUNT.fullmatch(upper) and re.search(r"\d", upper) else None
    letters = bool(re.search(r"[^\W\d_]", typed))
    return Keys(references=tuple(references), reference_prefix=start, phone=phone or "", account=account or "",
                name=typed.lower() if letters and not start else "",
                words=tuple(WORD.findall(typed.lower())) if not start else ())


def _starts_with(session: Session, prefix: str) -> Any:
    # A prefix holds only capitals, digits and dashes: no wildcard of either operator to escape.
    if session.get_bind().dialect.name == "sqlite":
        return Case.reference.op("GLOB")(prefix + "*")  # case-sensitive, so the unique index serves it
    return Case.reference.like(prefix + "%")  # ix_cases_reference_prefix (varchar_pattern_ops)


def _contains(column: Any, text: str) -> Any:
    """`column` holds `text` in any case: ILIKE on PostgreSQL (served by the column's trigram index,
    engine/models/scale_indexes.py), lower(...) LIKE lower(...) on SQLite."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return column.ilike(like, escape="\\")


def _matching(session: Session, who: Identity, keys: Keys) -> Any:
    terms: list[Any] = []
    if keys.references:
        terms.append(Case.reference.in_(keys.references))
    if keys.reference_prefix:
        terms.append(_starts_with(session, keys.reference_prefix))
    if keys.account:
        terms.append(Case.account_number == keys.account)
    contact = [cond for cond, wanted in ((Case.citizen_phone_key == keys.phone, keys.phone),
                                         (Case.citizen_email_key == keys.email, keys.email),
                                         (_contains(Case.citizen_name, keys.name), keys.name)) if wanted]
    if contact:  # POPIA: a name, phone or email finds only cases the user may know the citizen of
        terms.append(and_(or_(*contact), may_know_citizen(who)))
    if keys.words:
        terms.append(and_(*[_contains(Case.summary, word) for word in keys.words]))
    return or_(*terms) if terms else false()


def condition(app: Batho, session: Session, who: Identity, text: str) -> Any:
    """The cases `text` finds that `who` may view, as a query condition (the search page and `GET /cases?q=`)."""
    years = sorted(session.scalars(select(ReferenceCounter.year)), reverse=True)
    keys = keys_of(text, app.config.reference_prefix, years)
    return and_(viewable_cases(who), _matching(session, who, keys))


def _same_citizen(session: Session, who: Identity, reference: str) -> Any:
    """The other cases with the phone, email or account number of case `reference` (its contact must be
    visible to `who`, as on the case page)."""
    case, open_tasks = checked_case(session, who, reference)
    held = {t.candidate_role for t in open_tasks if t.assignee_id == who.id}
    if not may_see_contact(who, held, case.department_code):
        raise Forbidden("Only staff who may see this citizen's contact details can look for their other cases.")
    contact = [c == v for c, v in ((Case.citizen_phone_key, case.citizen_phone_key),
                                   (Case.citizen_email_key, case.citizen_email_key)) if v]
    terms = [and_(or_(*contact), may_know_citizen(who))] if contact else []
    if case.account_number:
        terms.append(Case.account_number == case.account_number)
    return and_(viewable_cases(who), Case.id != case.id, or_(*terms) if terms else false())


@dataclass(frozen=True)
class CaseSearch:
    """What a user asked of the case search; every value is checked, unknown values fall back to defaults."""

    text: str = ""
    state: str = ""
    citizen_of: str = ""  # a reference: the other cases of its citizen
    ward: str = ""  # a ward code ("(none)": no ward); alone, it lists the ward's cases one may view
    page: int = 1

    @classmethod
    def parse(cls, args: dict[str, Any]) -> CaseSearch:
        try:
            page = max(1, min(int(str(args.get("page") or 1)), 100_000))
        except ValueError:
            page = 1
        state = str(args.get("state") or "")
        return cls(text=str(args.get("q") or "").strip()[:200], state=state if state in STATES else "",
                   citizen_of=str(args.get("citizen_of") or "").strip().upper()[:30],
                   ward=str(args.get("ward") or "").strip()[:20], page=page)

    def args(self, **changes: Any) -> dict[str, Any]:
        q = replace(self, **changes)
        out = {"q": q.text, "state": q.state, "citizen_of": q.citizen_of, "ward": q.ward,
               "page": q.page if q.page > 1 else ""}
        return {k: v for k, v in out.items() if v}

    @property
    def asked(self) -> bool:
        return bool(self.text or self.citizen_of or self.ward)


@dataclass(frozen=True)
class FoundCase:
    """One line of the results (codes the page names): what a caller asks about, and the citizen's name only where
    it may be shown."""

    reference: str
    case_type: str
    category: str | None
    status: str
    opened_at: datetime
    closed_at: datetime | None
    department: str | None
    citizen_name: str | None
    ward: str | None = None


@dataclass(frozen=True)
class SearchPage:
    query: CaseSearch
    rows: list[FoundCase] = field(default_factory=list)
    total: int = 0  # the cases found, or the cap when `capped` (more were found)
    capped: bool = False

    @property
    def pages(self) -> int:
        """Pages counted; when `capped` there are more after them."""
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.pages or self.capped


def _rows(session: Session, who: Identity, cases: list[Case]) -> list[FoundCase]:
    if not cases:
        return []
    held: dict[int | None, set[str | None]] = {}
    for case_id, role in session.execute(select(HumanTask.case_id, HumanTask.candidate_role).where(
            HumanTask.case_id.in_([c.id for c in cases]), HumanTask.assignee_id == who.id)):
        held.setdefault(case_id, set()).add(role)
    return [FoundCase(c.reference, c.case_type, c.category, c.status, c.opened_at, c.closed_at, c.department_code,
                      c.citizen_name if may_see_contact(who, held.get(c.id, set()), c.department_code) else None,
                      c.ward) for c in cases]


def search_cases(app: Batho, who: Identity, query: CaseSearch) -> SearchPage:
    """One page of the cases the query finds, newest first, open and closed (or one of them)."""
    require_staff(who)
    if not query.asked:
        return SearchPage(query)
    with app.db.reading() as session:
        where = [_same_citizen(session, who, query.citizen_of) if query.citizen_of
                 else condition(app, session, who, query.text) if query.text else viewable_cases(who)]
        if query.ward:
            where.append(Case.ward.is_(None) if query.ward == "(none)" else Case.ward == query.ward)
        if query.state:
            where.append(Case.closed_at.is_(None) if query.state == "open" else Case.closed_at.is_not(None))
        # The ids of the first matches, newest first, up to the cap (or up to this page when it lies deeper): their
        # number is the total, the page is a slice of them; then the page's cases, in that order.
        cap = max(CAP, query.page * PAGE_SIZE)
        order = (Case.opened_at.desc(), Case.id.desc())
        ids = list(session.scalars(select(Case.id).where(*where).order_by(*order).limit(cap + 1)))
        skip = (query.page - 1) * PAGE_SIZE
        wanted = ids[skip:skip + PAGE_SIZE]
        found = list(session.scalars(select(Case).where(Case.id.in_(wanted)).order_by(*order))) if wanted else []
        return SearchPage(query, _rows(session, who, found), min(len(ids), cap), len(ids) > cap)
