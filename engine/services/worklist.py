"""The staff task list: my tasks, my groups' tasks, unassigned; filtered, searched, sorted and paged in SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, true, union_all
from sqlalchemy.orm import Session

from ..authz import CONTACT_ROLES, Identity, eligible, held_ids, sees_department_names, sees_every_case
from ..composition import Batho
from ..models import Case, Department, HumanTask, ProcessVersion
from .tasks import TaskRow, row_columns, task_row, with_row_joins

VIEWS = ("mine", "groups", "unassigned")
SORTS = ("due", "age", "priority", "follow_up")
PAGE_SIZE = 25
# Lists are counted up to CAP tasks; a longer one says "more than 1 000" (nobody pages through a thousand tasks:
# they filter), so a tab's count reads at most CAP + 1 tasks instead of every one the user may work.
CAP = 1000
REFERENCE = re.compile(r"[A-Za-z]{2,10}-\d{4}-\d{1,9}")


@dataclass(frozen=True)
class TaskQuery:
    """What a user asked of the task list; every value is checked, unknown values fall back to defaults."""

    view: str = ""  # "" chooses: my tasks when I hold any, else the unassigned ones I may claim
    process: str = ""
    department: str = ""
    status: str = ""
    ward: str = ""  # a ward code, or "(none)" for cases with no ward
    overdue: bool = False
    search: str = ""
    sort: str = "due"
    page: int = 1

    @classmethod
    def parse(cls, args: dict[str, Any]) -> TaskQuery:
        """Read the query from request arguments, ignoring what makes no sense."""
        try:
            page = max(1, min(int(str(args.get("page") or 1)), 100_000))
        except ValueError:
            page = 1
        view, sort = str(args.get("view") or ""), str(args.get("sort") or "due")
        return cls(view=view if view in VIEWS else "", process=str(args.get("process") or "")[:100],
                   department=str(args.get("department") or "")[:40], status=str(args.get("status") or "")[:40],
                   ward=str(args.get("ward") or "").strip()[:20],
                   overdue=str(args.get("overdue") or "") in ("1", "true", "on"),
                   search=str(args.get("q") or "").strip()[:200], sort=sort if sort in SORTS else "due", page=page)

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL arguments for this query with `changes` (links for tabs, sorting and pages)."""
        q = replace(self, **changes)
        out = {"view": q.view, "process": q.process, "department": q.department, "status": q.status, "ward": q.ward,
               "overdue": "1" if q.overdue else "", "q": q.search, "sort": q.sort, "page": q.page}
        return {k: v for k, v in out.items() if v not in ("", None)}


@dataclass(frozen=True)
class TaskPage:
    """One page of the task list plus what the filters can offer."""

    query: TaskQuery
    rows: list[TaskRow]
    total: int  # the list's size, or its cap when `total_capped` (there are more)
    counts: dict[str, int]  # each tab's size, or CAP for those in `capped`
    processes: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    wards: dict[str, str | None] = field(default_factory=dict)  # case reference -> its ward code, for the rows
    capped: frozenset[str] = frozenset()  # tabs with more than CAP tasks (their count says "more than")
    total_capped: bool = False  # the list has more than `total` tasks

    @property
    def pages(self) -> int:
        """Pages counted; when `total_capped` there are more after them."""
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.pages or self.total_capped


def _view_condition(who: Identity, view: str) -> Any:
    if view == "mine":  # with the tasks of anyone `who` acts for
        return HumanTask.assignee_id.in_(held_ids(who))
    if view == "unassigned":
        return and_(eligible(who), HumanTask.assignee_id.is_(None))
    return eligible(who)


def _may_know_name(who: Identity) -> Any:
    """POPIA: a name finds only cases the user works, supervises, or (customer care, the manager) answers
    citizens about; a department officer cannot learn who else has a case."""
    if sees_every_case(who):
        return true()
    held = and_(HumanTask.assignee_id == who.id, HumanTask.candidate_role.in_(CONTACT_ROLES))  # not an owner's lane
    if sees_department_names(who):
        return or_(held, Case.department_code.in_(who.departments))
    return held


def _filters(query: TaskQuery, now: datetime, who: Identity) -> list[Any]:
    conditions: list[Any] = []
    if query.process:
        conditions.append(HumanTask.process_key == query.process)
    if query.department:
        conditions.append(or_(HumanTask.candidate_department == query.department,
                              and_(HumanTask.candidate_department.is_(None), Case.department_code == query.department)))
    if query.status:
        conditions.append(Case.status == query.status)
    if query.ward:
        conditions.append(Case.ward.is_(None) if query.ward == "(none)" else Case.ward == query.ward)
    if query.overdue:
        conditions.append(HumanTask.due_at < now)
    if query.search:
        text = query.search
        if REFERENCE.fullmatch(text):  # the unique index finds it at once
            conditions.append(Case.reference == text.upper())
        else:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(Case.citizen_name.ilike(like.lower(), escape="\\"))  # a trigram index on PostgreSQL
            conditions.append(_may_know_name(who))
    return conditions


def _order(sort: str, postgresql: bool = False) -> list[Any]:
    """The list's order; on PostgreSQL `due_at NULLS LAST` (the same order as `due_at IS NULL, due_at`), which
    ix_human_tasks_due_order walks, so a first page reads a page of tasks, not all of them."""
    if sort == "age":
        return [HumanTask.created_at, HumanTask.id]
    if sort == "priority":  # camunda:priority, most urgent first; tasks without one count as Camunda's 50
        return [func.coalesce(HumanTask.priority, 50).desc(), HumanTask.due_at.is_(None), HumanTask.due_at,
                HumanTask.created_at, HumanTask.id]
    if sort == "follow_up":
        return [HumanTask.follow_up_at.is_(None), HumanTask.follow_up_at, HumanTask.created_at, HumanTask.id]
    if postgresql:
        return [HumanTask.due_at.asc().nulls_last(), HumanTask.created_at, HumanTask.id]
    return [HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at, HumanTask.id]


def _capped(condition: Any, cap: int) -> Any:
    """How many tasks meet `condition`, reading at most `cap` + 1 of them (more than `cap`: `cap` + 1)."""
    some = select(literal(1)).select_from(HumanTask).where(condition).limit(cap + 1).subquery()
    return select(func.count()).select_from(some).scalar_subquery()


def _counts(session: Session, who: Identity) -> tuple[dict[str, int], frozenset[str]]:
    """The size of each tab, each counted up to CAP (one statement; each arm of `eligible` and the assignee have an
    index), and the tabs with more."""
    found = session.execute(select(*(_capped(_view_condition(who, view), CAP) for view in VIEWS))).one()
    counts = {view: min(int(n), CAP) for view, n in zip(VIEWS, found, strict=True)}
    return counts, frozenset(view for view, n in zip(VIEWS, found, strict=True) if n > CAP)


def _options(session: Session) -> tuple[list[str], list[str], list[str]]:
    """Values the filter menus offer, from small tables and an index (never a scan of the open tasks), in one
    statement: the processes, the departments, and every status a case has (by skipping along
    ix_cases_status_due: one index probe per status, where a DISTINCT reads every case's entry, half a second at a
    million cases)."""
    seen = select(func.min(Case.status).label("status")).cte("seen", recursive=True)
    following = select(func.min(Case.status)).where(Case.status > seen.c.status).scalar_subquery()
    seen = seen.union_all(select(following).where(seen.c.status.is_not(None)))
    menus = union_all(select(literal("process").label("menu"), ProcessVersion.key.label("value")).distinct(),
                      select(literal("department"), Department.code),
                      select(literal("status"), seen.c.status).where(seen.c.status.is_not(None)))
    offered: dict[str, set[str]] = {"process": set(), "department": set(), "status": set()}
    for menu, value in session.execute(menus):
        if value:
            offered[menu].add(value)
    return sorted(offered["process"]), sorted(offered["department"]), sorted(offered["status"])


def _needs_case(query: TaskQuery) -> bool:
    return bool(query.department or query.status or query.search or query.ward)


def _page(session: Session, query: TaskQuery, conditions: list[Any]) -> tuple[list[TaskRow], dict[str, str | None]]:
    """The page's tasks: their ids first, from human_tasks alone (with the case only when a filter needs it), so
    the joins for the row's columns run for one page of tasks instead of every matching one; and their cases'
    wards, read with the rows."""
    order = _order(query.sort, session.get_bind().dialect.name == "postgresql")
    ids = select(HumanTask.id)
    if _needs_case(query):
        ids = ids.outerjoin(Case, Case.id == HumanTask.case_id)
    wanted = ids.where(*conditions).order_by(*order).offset((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    found = list(session.scalars(wanted))
    if not found:
        return [], {}
    rows_query = with_row_joins(row_columns().add_columns(Case.ward)).where(HumanTask.id.in_(found)).order_by(*order)
    read = list(session.execute(rows_query))
    rows = [task_row(*row[:-1]) for row in read]
    return rows, {row.case_reference: ward for row, (*_, ward) in zip(rows, read, strict=True) if row.case_reference}


def _total(session: Session, query: TaskQuery, conditions: list[Any], filtered: bool, counts: dict[str, int],
           capped: frozenset[str]) -> tuple[int, bool]:
    """The list's size up to its cap (CAP, or the tasks up to this page when it lies deeper), and whether it has
    more: the tab's count when no filter is set and the page lies within CAP (the list is the tab)."""
    cap = max(CAP, query.page * PAGE_SIZE)
    if not filtered and cap == CAP:
        return counts[query.view], query.view in capped
    counted = select(literal(1)).select_from(HumanTask)
    if _needs_case(query):
        counted = counted.outerjoin(Case, Case.id == HumanTask.case_id)
    some = counted.where(*conditions).limit(cap + 1).subquery()
    found = int(session.scalar(select(func.count()).select_from(some)) or 0)
    return min(found, cap), found > cap


def task_page(app: Batho, who: Identity, query: TaskQuery) -> TaskPage:
    """One page of the chosen list, with the size of each list for the tabs (each counted up to CAP)."""
    now = app.now()
    with app.db.reading() as session:
        counts, capped = _counts(session, who)
        if not query.view:
            query = replace(query, view="mine" if counts["mine"] else "unassigned")
        filters = _filters(query, now, who)
        conditions = [_view_condition(who, query.view), *filters]
        total, total_capped = _total(session, query, conditions, bool(filters), counts, capped)
        rows, wards = _page(session, query, conditions)
        processes, departments, statuses = _options(session)
        return TaskPage(query=query, rows=rows, total=total, counts=counts, processes=processes,
                        departments=departments, statuses=statuses, wards=wards, capped=capped,
                        total_capped=total_capped)
