"""The leaders' picture of who is onboarding, shared by the overview page and the dashboard panel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import or_, select

from app import clock
from app.extensions import db
from app.onboarding.models import Checklist, ChecklistItem, TempMeeting
from app.onboarding.services import ChecklistSummary, checklist_summaries, is_stuck, missed_last_meeting
from app.people.constants import TEMP_EMPLOYMENT_TYPES, EmploymentType
from app.people.models import Department, Membership, User, has_left_on

#: Finished checklists stay on the overview this long after they were assigned.
RECENT_DAYS = 365


@dataclass(frozen=True)
class Person:
    """The columns of a person the overview shows and its rules read (no User object is loaded)."""

    id: int
    name: str
    employment_type: str
    hired_on: date
    left_on: date | None
    #: The person's departments, in Danish name order (what the overview lists).
    departments: tuple[DepartmentName, ...] = ()

    @property
    def is_temp(self) -> bool:
        return self.employment_type in TEMP_EMPLOYMENT_TYPES

    @property
    def department_ids(self) -> set[int]:
        return {d.id for d in self.departments}

    def has_left(self, on: date | None = None) -> bool:
        return has_left_on(self.left_on, on or clock.today())


class DepartmentName(NamedTuple):
    id: int
    name: str


@dataclass
class Row:
    person: Person
    checklists: list[ChecklistSummary] = field(default_factory=list)
    missed_meeting: TempMeeting | None = None
    today: date | None = None

    @cached_property
    def total(self) -> int:
        return sum(c.total for c in self.checklists)

    @cached_property
    def done(self) -> int:
        return sum(c.done for c in self.checklists)

    @cached_property
    def is_ready(self) -> bool:
        """Introduction completed: every required item done; a temp without a checklist is not."""
        if not self.checklists:
            return not self.person.is_temp
        return all(c.is_complete for c in self.checklists)

    @cached_property
    def stuck_since(self) -> date | None:
        """The last activity of a stuck checklist (see services.is_stuck), else None."""
        stuck = [c.last_activity_on for c in self.checklists if is_stuck(c, self.today)]
        return min(stuck) if stuck and not self.person.has_left(self.today) else None

    @cached_property
    def open_leader_items(self) -> int:
        return sum(c.open_leader_items for c in self.checklists)


def rows_for(home_id: int, department_ids: Iterable[int] | None, today: date, *,
             include_left: bool = False) -> list[Row]:
    """Temps and people with a checklist under way or assigned in the last year, in the given departments
    (None: the whole home), sorted by name."""
    temps = [EmploymentType.ON_CALL.value, EmploymentType.AGENCY.value]
    open_lists = (select(Checklist.user_id).join(ChecklistItem, ChecklistItem.checklist_id == Checklist.id)
                  .where(Checklist.home_id == home_id, ChecklistItem.is_required.is_(True),
                         ChecklistItem.completed_at.is_(None)))
    recent = select(Checklist.user_id).where(Checklist.home_id == home_id,
                                             Checklist.assigned_on >= today - timedelta(days=RECENT_DAYS))
    query = select(User).where(User.home_id == home_id, or_(User.employment_type.in_(temps),
                                                            User.id.in_(open_lists), User.id.in_(recent)))
    if not include_left:
        query = query.where(or_(User.left_on.is_(None), User.left_on > today))
    if department_ids is not None:
        query = query.where(User.id.in_(select(Membership.user_id)
                                        .where(Membership.department_id.in_(list(department_ids)))))
    found = db.session.execute(
        query.with_only_columns(User.id, User.name, User.employment_type, User.hired_on, User.left_on)
        .order_by(User.name_sort_key, User.id)).all()
    departments: dict[int, list[DepartmentName]] = defaultdict(list)
    if found:
        for user_id, department_id, name in db.session.execute(
                select(Membership.user_id, Department.id, Department.name)
                .join(Department, Department.id == Membership.department_id)
                .where(Membership.user_id.in_([row.id for row in found]))
                .order_by(Department.name_sort_key, Department.id)):
            departments[user_id].append(DepartmentName(department_id, name))
    people = [Person(*row, departments=tuple(departments[row.id])) for row in found]
    lists = checklist_summaries(p.id for p in people)
    missed = missed_last_meeting(home_id, people, today)
    return [Row(person=p, checklists=lists[p.id], missed_meeting=missed.get(p.id), today=today) for p in people]
