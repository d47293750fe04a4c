"""app.appraisals.status.statuses as it was: User objects, then two batch queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.appraisals.models import Talk
from app.appraisals.status import TalkStatus, classify, expected_on, first_talk_months, population_query
from app.extensions import db
from app.people.models import User


def last_complete_talks(user_ids, kind, on):
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(Talk.employee_id, func.max(Talk.held_on))
        .where(Talk.kind == kind, Talk.is_complete, Talk.held_on <= on, Talk.employee_id.in_(user_ids))
        .group_by(Talk.employee_id)).all())


def next_planned_talks(user_ids, kind, on):
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(Talk.employee_id, func.min(Talk.planned_on))
        .where(Talk.kind == kind, Talk.held_on.is_(None), Talk.planned_on >= on, Talk.employee_id.in_(user_ids))
        .group_by(Talk.employee_id)).all())


def statuses(home_id: int, kind: str, on: date, department_ids=None, with_departments: bool = True):
    query = population_query(home_id, kind, on, department_ids)
    if with_departments:
        query = query.options(selectinload(User.departments))
    people = db.session.scalars(query.order_by(User.name_sort_key, User.id)).all()
    ids = [p.id for p in people]
    last = last_complete_talks(ids, kind, on)
    planned = next_planned_talks(ids, kind, on)
    first = {h: first_talk_months(h) for h in {p.home_id for p in people}}
    return [TalkStatus(p, kind, last.get(p.id), expected_on(last.get(p.id), p.hired_on, first[p.home_id]),
                       classify(last.get(p.id), p.hired_on, on, first[p.home_id]), planned.get(p.id), on)
            for p in people]
