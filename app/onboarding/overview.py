"""The leaders' picture of who is onboarding, shared by the overview page and the dashboard panel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.onboarding.models import Checklist, ChecklistItem, TempMeeting
from app.onboarding.services import ChecklistSummary, checklist_summaries, is_stuck, missed_last_meeting
from app.people.constants import EmploymentType
from app.people.models import Membership, User

#: Finished checklists stay on the overview this long after they were assigned.
RECENT_DAYS = 365


@dataclass
class Row:
    person: User
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
    people = db.session.scalars(
        query.options(selectinload(User.departments)).order_by(User.name_sort_key, User.id)
    ).all()
    lists = checklist_summaries(p.id for p in people)
    missed = missed_last_meeting(home_id, people, today)
    return [Row(person=p, checklists=lists[p.id], missed_meeting=missed.get(p.id), today=today) for p in people]
