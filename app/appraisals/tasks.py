"""Due and overdue talks as tasks: MU talks for the leaders of the person's departments, LU talks for the head.

The colleague is the task's subject, never part of its title (app/need_to_know.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import url_for
from sqlalchemy import select

from app import clock
from app.appraisals.models import LU, MU
from app.appraisals.status import DUE, OVERDUE, talk_statuses
from app.extensions import db
from app.hooks import Task, task_source
from app.need_to_know import PERSON
from app.people.constants import Role
from app.people.models import Membership, User, UserRole, current_staff_query
from app.web import dadate

SOURCE = "appraisals"


def task_uid(kind: str, person_id: int, expected_on: date) -> str:
    """Stable for as long as the person's last complete talk is unchanged (it is the iCalendar UID)."""
    return f"appraisals-{kind}-{person_id}-{expected_on.isoformat()}@kompetenceportalen"


def _url(person_id: int) -> str | None:
    try:
        return url_for("appraisals.profile", person_id=person_id)
    except RuntimeError:
        return None


def leaders_by_department(home_id: int, on: date) -> dict[int, set[int]]:
    """Batch: department id -> ids of its current department leaders."""
    current = current_staff_query(home_id, on).with_only_columns(User.id)
    rows = db.session.execute(
        select(Membership.department_id, Membership.user_id)
        .join(UserRole, UserRole.user_id == Membership.user_id)
        .where(UserRole.role == Role.DEPARTMENT_LEADER, Membership.user_id.in_(current))
    ).all()
    result: dict[int, set[int]] = defaultdict(set)
    for department_id, user_id in rows:
        result[department_id].add(user_id)
    return result


def departments_by_person(home_id: int) -> dict[int, set[int]]:
    """Batch: person id -> ids of the departments they belong to (every membership, as User.departments)."""
    rows = db.session.execute(select(Membership.user_id, Membership.department_id).join(
        User, User.id == Membership.user_id).where(User.home_id == home_id)).all()
    result: dict[int, set[int]] = defaultdict(set)
    for user_id, department_id in rows:
        result[user_id].add(department_id)
    return result


@task_source(SOURCE)
def talk_tasks(home, start: date, end: date):
    """The home's due and overdue talks in a fixed number of queries (statuses, memberships, leaders)."""
    today = clock.today()
    leaders = leaders_by_department(home.id, today)
    departments = departments_by_person(home.id)
    # A talk overdue since an earlier year is dated 1 January this year, so "Mine opgaver" and this year's
    # årshjul still show it; its uid keeps the real expected day, so it stays the same calendar entry.
    floor = date(today.year, 1, 1)
    for kind in (MU, LU):
        for row in talk_statuses(home.id, kind, today):
            due_on = max(row.expected_on, floor)
            if row.status not in (DUE, OVERDUE) or not start <= due_on <= end:
                continue
            person = row.person
            if kind == MU:
                user_ids = frozenset(set().union(*(leaders.get(d, set()) for d in departments.get(person.id, ())))
                                     - {person.id})
                label, anonymous = "MU-samtale", "en medarbejder"
            else:
                user_ids = frozenset()
                label, anonymous = "LU-samtale", "en leder"
            yield Task(
                uid=task_uid(kind, person.id, row.expected_on), title=f"{label} med {anonymous}",
                named_title=f"{label} med {{name}}", subject_kind=PERSON, subject_id=person.id,
                due_on=due_on, home_id=home.id,
                source=SOURCE, responsible=None if user_ids else "head", user_ids=user_ids, url=_url(person.id),
                detail=(f"Forventet senest {dadate(row.expected_on)}; "
                        + ("ingen samtale endnu" if row.last_on is None else f"seneste {dadate(row.last_on)}")),
            )
