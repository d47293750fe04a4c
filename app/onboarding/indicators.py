"""Quality indicators for onboarding. Each is measured for a home (optionally one department) on a day:
people count while employed on that day (hired on or before it, not yet left), so leavers drop out on their
leaving date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.clock import add_months
from app.extensions import db
from app.hooks import Finding, IndicatorResult, indicator
from app.need_to_know import PERSON
from app.onboarding.constants import INTRODUCTION_GRACE_DAYS
from app.onboarding.models import Checklist
from app.onboarding.services import meeting_attendance, progress_on
from app.people.constants import TEMP_EMPLOYMENT_TYPES, EmploymentType
from app.people.models import Membership, User, has_left_on

GUIDELINE = "introduktion-nyansatte-og-vikarer"
TEMPS = (EmploymentType.ON_CALL.value, EmploymentType.AGENCY.value)


class Employee(NamedTuple):
    """The columns the indicators (and services.meeting_attendance) read of a person, instead of a loaded User."""

    id: int
    name: str
    employment_type: str
    hired_on: date
    left_on: date | None
    department_ids: frozenset[int]

    @property
    def is_temp(self) -> bool:
        """The same rule as User.is_temp."""
        return self.employment_type in TEMP_EMPLOYMENT_TYPES

    def has_left(self, on: date) -> bool:
        return has_left_on(self.left_on, on)


def _employed(home, department_id: int | None, on: date, employment_types, hired_after: date | None = None,
              hired_by: date | None = None) -> list[Employee]:
    where = [User.home_id == home.id, User.employment_type.in_(list(employment_types)),
             User.hired_on <= (hired_by or on), or_(User.left_on.is_(None), User.left_on > on)]
    if hired_after is not None:
        where.append(User.hired_on > hired_after)
    if department_id is not None:
        where.append(User.id.in_(select(Membership.user_id).where(Membership.department_id == department_id)))
    departments: dict[int, set[int]] = {}
    for user_id, dep_id in db.session.execute(select(Membership.user_id, Membership.department_id)
                                              .join(User, User.id == Membership.user_id).where(*where)):
        departments.setdefault(user_id, set()).add(dep_id)
    rows = db.session.execute(select(User.id, User.name, User.employment_type, User.hired_on, User.left_on)
                              .where(*where).order_by(User.name_sort_key, User.id))
    return [Employee(*row, frozenset(departments.get(row.id, ()))) for row in rows]


def _checklist_links(user_ids) -> dict[int, str]:
    """The first checklist of each person, as a link (only when a request is being served). The query runs even
    when nobody is listed, so a report's statement count does not depend on how many indicators are met."""
    if not has_request_context():
        return {}
    rows = db.session.execute(select(Checklist.user_id, Checklist.id).where(Checklist.user_id.in_(list(user_ids)))
                              .order_by(Checklist.id)).all()
    links: dict[int, str] = {}
    for user_id, checklist_id in rows:
        links.setdefault(user_id, url_for("onboarding.checklist", checklist_id=checklist_id))
    return links


def _measure_completion(people: list[Employee], on: date, *, missing_is_failure: bool) -> IndicatorResult:
    progress = progress_on([p.id for p in people], on)
    failing = []
    met = 0
    for person in people:
        if person.id not in progress:
            if missing_is_failure:
                failing.append((person, f"{person.name}: ingen tjekliste"))
            else:
                met += 1
            continue
        total, done = progress[person.id]
        if total == done:
            met += 1
        else:
            failing.append((person, f"{person.name}: {done} af {total} obligatoriske punkter"))
    links = _checklist_links([p.id for p, _ in failing])
    return IndicatorResult(met=met, total=len(people),
                           exceptions=[Finding(label, links.get(p.id), PERSON, p.id) for p, label in failing])


@indicator("onboarding.new_hires_introduced", _l("Nyansatte med gennemført introduktion"), GUIDELINE, order=40)
def new_hires_introduced(home, department_id: int | None, on: date) -> IndicatorResult:
    """Counted: permanent staff employed on `on` who were hired in the 12 months up to `on`, except those hired
    in the last 30 days (their introduction is still running). Met: they have an onboarding checklist, and
    every required item on the checklists assigned to them by `on` was done by `on`. Exceptions: everyone
    counted and not met, with how far they got ("ingen tjekliste" when they have none)."""
    people = _employed(home, department_id, on, [EmploymentType.PERMANENT.value],
                       hired_after=add_months(on, -12), hired_by=on - timedelta(days=INTRODUCTION_GRACE_DAYS))
    return _measure_completion(people, on, missing_is_failure=True)


@indicator("onboarding.temps_ready", _l("Vikarer med gennemført introduktion"), GUIDELINE, order=41)
def temps_ready(home, department_id: int | None, on: date) -> IndicatorResult:
    """Counted: on-call and agency temps employed on `on`. Met: every required item on their checklists was
    done by `on` (a temp without a checklist is not ready). Exceptions: the temps not ready, with progress."""
    people = _employed(home, department_id, on, TEMPS)
    return _measure_completion(people, on, missing_is_failure=True)


@indicator("onboarding.temp_meeting_attendance", _l("Vikarer til seneste vikarmøde"), GUIDELINE, order=42)
def temp_meeting_attendance(home, department_id: int | None, on: date) -> IndicatorResult:
    """Counted: temps employed on `on` who were also employed on the day of the last temp meeting that applied
    to them (the home's or their department's latest held on or before `on`). Met: they attended it.
    Nothing is counted before the home's first recorded meeting. Exceptions: the temps who missed it."""
    people = _employed(home, department_id, on, TEMPS)
    attendance = meeting_attendance(home.id, people, on)
    failing = [(p, f"{p.name}: deltog ikke {attendance[p.id][0].held_on.strftime('%d.%m.%Y')}")
               for p in people if p.id in attendance and not attendance[p.id][1]]
    return IndicatorResult(met=sum(1 for _, was_there in attendance.values() if was_there), total=len(attendance),
                           exceptions=[Finding(label, None, PERSON, p.id) for p, label in failing])
