"""Due and overdue talks as tasks: MU talks for the leaders of the person's departments, LU talks for the head.

The colleague is the task's subject, never part of its title (app/need_to_know.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import clock
from app.appraisals.models import LU, MU
from app.appraisals.status import due_or_overdue, expected_on, first_talk_months
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


def leaders_of(home_id: int, person_ids: list[int], on: date) -> dict[int, set[int]]:
    """Batch: person id -> ids of the current department leaders of any of their departments, not themselves."""
    if not person_ids:
        return {}
    theirs, leads = aliased(Membership), aliased(Membership)
    current = current_staff_query(home_id, on).with_only_columns(User.id)
    rows = db.session.execute(
        select(theirs.user_id, leads.user_id).distinct()
        .join(leads, leads.department_id == theirs.department_id)
        .join(UserRole, UserRole.user_id == leads.user_id)
        .where(theirs.user_id.in_(person_ids), UserRole.role == Role.DEPARTMENT_LEADER, leads.user_id.in_(current),
               leads.user_id != theirs.user_id)
    ).all()
    result: dict[int, set[int]] = defaultdict(set)
    for person_id, leader_id in rows:
        result[person_id].add(leader_id)
    return result


@task_source(SOURCE)
def talk_tasks(home, start: date, end: date):
    """The home's due and overdue talks in a fixed number of queries: who is due or overdue (the database
    works out the status), and the leaders of the MU ones."""
    today = clock.today()
    first = first_talk_months(home.id)
    # A talk overdue since an earlier year is dated 1 January this year, so "Mine opgaver" and this year's
    # årshjul still show it; its uid keeps the real expected day, so it stays the same calendar entry.
    floor = date(today.year, 1, 1)
    for kind in (MU, LU):
        rows = []
        for row in due_or_overdue(home.id, kind, today):
            expected = expected_on(row.last_on, row.hired_on, first)
            if start <= max(expected, floor) <= end:
                rows.append((row, expected))
        leaders = leaders_of(home.id, [row.id for row, _ in rows], today) if kind == MU else {}
        label, anonymous = ("MU-samtale", "en medarbejder") if kind == MU else ("LU-samtale", "en leder")
        for row, expected in rows:
            user_ids = frozenset(leaders.get(row.id, ()))
            yield Task(
                uid=task_uid(kind, row.id, expected), title=f"{label} med {anonymous}",
                named_title=f"{label} med {{name}}", subject_kind=PERSON, subject_id=row.id,
                due_on=max(expected, floor), home_id=home.id,
                source=SOURCE, responsible=None if user_ids else "head", user_ids=user_ids, url=_url(row.id),
                detail=(f"Forventet senest {dadate(expected)}; "
                        + ("ingen samtale endnu" if row.last_on is None else f"seneste {dadate(row.last_on)}")),
            )
