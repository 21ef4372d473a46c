"""The names staff read for codes: categories from the diagrams' options, departments from their table."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..composition import Batho
from ..formatting import code_name
from ..models import Department
from . import catalog

CATEGORY_FIELDS = ("category", "complaint_category")


@dataclass(frozen=True)
class CodeNames:
    """Code → name for what the staff pages show: categories, departments, case types."""

    categories: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    processes: dict[str, str] = field(default_factory=dict)

    def category(self, code: str | None) -> str:
        return code_name(code, self.categories)

    def department(self, code: str | None) -> str:
        return code_name(code, self.departments)

    def process(self, code: str | None) -> str:
        return code_name(code, self.processes)


def code_names(app: Batho) -> CodeNames:
    """The names of the newest diagrams' category options, of the departments and of the processes."""
    categories: dict[str, str] = {}
    processes: dict[str, str] = {}
    with app.db.reading() as session:
        for process in catalog.processes(app, session):
            processes[process.key] = process.name
            for f in process.start_form:
                if f.id in CATEGORY_FIELDS:
                    categories.update({o.id: o.name for o in f.options if o.id not in categories})
        departments = {code: name for code, name in session.execute(select(Department.code, Department.name))}
    return CodeNames(categories, departments, processes)
