"""Indexes the monitoring figures, the task list and the staff search read at a million cases (migration 0024).

Kept beside the roll-ups rather than in the tables' own modules: each serves one query of engine/metrics,
engine/services/worklist.py or engine/services/search.py, named in its comment, and stands or falls with it.
"""

from __future__ import annotations

from sqlalchemy import Index, text

from .case import Case, CaseEvent, HumanTask

OPEN: object = Case.closed_at.is_(None)
NAMED_GROUPS: object = HumanTask.candidate_groups.is_not(None)
NAMED_USERS: object = HumanTask.candidate_users.is_not(None)

SCALE_INDEXES = (
    # Open now, overdue and their age bands (engine/metrics/figures.py `_open_now`): the open cases only, about one
    # in a hundred at a million cases. On PostgreSQL it carries the dimensions and the due time (migration 0028), so
    # the open snapshot is an index-only scan.
    Index("ix_cases_open_opened", Case.opened_at, postgresql_where=OPEN, sqlite_where=OPEN,
          postgresql_include=["case_type", "category", "department_code", "channel", "ward", "town", "due_at"]),
    # Repeats and hotspots (engine/metrics/repeats.py) read the cases of a period that name a location.
    Index("ix_cases_located_opened", Case.opened_at, postgresql_where=Case.location.is_not(None),
          sqlite_where=Case.location.is_not(None)),
    # Escalations, reopenings and adjustments of a period (figures.py, extras.py): the few events of those kinds.
    Index("ix_case_events_escalation_at", CaseEvent.at, CaseEvent.case_id,
          postgresql_where=text("kind = 'escalation'"), sqlite_where=text("kind = 'escalation'")),
    Index("ix_case_events_reopened_at", CaseEvent.at, CaseEvent.case_id,
          postgresql_where=text("kind = 'status' AND message = 'reopened'"),
          sqlite_where=text("kind = 'status' AND message = 'reopened'")),
    Index("ix_case_events_applied_at", CaseEvent.at, CaseEvent.case_id,
          postgresql_where=text("kind = 'completed' AND task_name = 'Task_apply'"),
          sqlite_where=text("kind = 'completed' AND task_name = 'Task_apply'")),
    # The task list in its default order (engine/services/worklist.py `_order`, NULLS LAST on PostgreSQL).
    Index("ix_human_tasks_due_order", HumanTask.due_at, HumanTask.created_at, HumanTask.id),
    # Candidate groups and users (engine/authz.py `eligible`): the few tasks that name them, so each arm of the
    # condition has an index and PostgreSQL ORs their bitmaps instead of reading every task.
    Index("ix_human_tasks_candidate_groups", HumanTask.candidate_groups, postgresql_where=NAMED_GROUPS,
          sqlite_where=NAMED_GROUPS),
    Index("ix_human_tasks_candidate_users", HumanTask.candidate_users, postgresql_where=NAMED_USERS,
          sqlite_where=NAMED_USERS),
    # Staff search by a citizen's name or a word of the description (`ILIKE '%…%'`): trigram indexes, PostgreSQL
    # only (pg_trgm); SQLite reads the cases as before (`lower(...) LIKE`).
    Index("ix_cases_citizen_name_trgm", Case.citizen_name, postgresql_using="gin",
          postgresql_ops={"citizen_name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    Index("ix_cases_summary_trgm", Case.summary, postgresql_using="gin",
          postgresql_ops={"summary": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
)
