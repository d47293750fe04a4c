"""Each child's follow-up dates as tasks for the contact team's coordinator and the department leader.

The child is the task's subject, never part of its title: app/need_to_know.py puts the name in for those who may
open the child.

Set-based: one query per kind of follow-up returns each update with the date of the next one (a window function,
LEAD), joined to the few columns of its child that the task needs; no ORM objects are loaded."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import Date, func, or_, select

from app import clock
from app.children.models import Child, ContactTeamMember, IndividualPlanUpdate, PhysioPlanUpdate, PhysioReferral
from app.children.services import department_leader_ids
from app.extensions import db
from app.hooks import Task, task_source
from app.need_to_know import CHILD
from app.web import dadate


def _child_url(child_id: int) -> str | None:
    try:
        return url_for("children.show", child_id=child_id)
    except RuntimeError:  # outside a request (e.g. a reminder job)
        return None


def _has_left(left_on: date | None, on: date) -> bool:
    """Child.has_left on the selected column."""
    return left_on is not None and left_on <= on


@task_source("children")
def children_tasks(home, start: date, end: date):
    interval = int(home.setting("plan_interval_months"))
    today = clock.today()
    in_home = (Child.home_id == home.id, or_(Child.left_on.is_(None), Child.left_on > start))

    # Each plan update (from the earliest whose follow-up can fall in the window) with the next update's date.
    earliest = clock.add_months(start, -interval) - timedelta(days=3)
    plan_later = func.lead(IndividualPlanUpdate.updated_on, type_=Date).over(
        partition_by=IndividualPlanUpdate.child_id,
        order_by=(IndividualPlanUpdate.updated_on, IndividualPlanUpdate.id))
    plans = db.session.execute(
        select(IndividualPlanUpdate.id, IndividualPlanUpdate.child_id, IndividualPlanUpdate.updated_on, plan_later,
               Child.department_id, Child.left_on)
        .join(Child, Child.id == IndividualPlanUpdate.child_id)
        .where(*in_home, IndividualPlanUpdate.updated_on >= earliest)
        .order_by(IndividualPlanUpdate.updated_on, IndividualPlanUpdate.id)).all()

    # Each physiotherapy plan update (following up from three days before the window) with the next one's date,
    # within its referral, and the referral's end.
    physio_later = func.lead(PhysioPlanUpdate.updated_on, type_=Date).over(
        partition_by=PhysioPlanUpdate.referral_id, order_by=(PhysioPlanUpdate.updated_on, PhysioPlanUpdate.id))
    physio = db.session.execute(
        select(PhysioPlanUpdate.id, PhysioReferral.child_id, PhysioPlanUpdate.referral_id,
               PhysioPlanUpdate.next_follow_up_on, physio_later, PhysioReferral.ended_on,
               Child.department_id, Child.left_on)
        .join(PhysioReferral, PhysioReferral.id == PhysioPlanUpdate.referral_id)
        .join(Child, Child.id == PhysioReferral.child_id)
        .where(*in_home, PhysioPlanUpdate.next_follow_up_on >= start - timedelta(days=3))
        .order_by(PhysioPlanUpdate.updated_on, PhysioPlanUpdate.id)).all()
    if not plans and not physio:
        return []

    coordinators = dict(db.session.execute(
        select(ContactTeamMember.child_id, ContactTeamMember.user_id).join(Child).where(
            Child.home_id == home.id, ContactTeamMember.is_coordinator.is_(True), ContactTeamMember.from_on <= today,
            or_(ContactTeamMember.to_on.is_(None), ContactTeamMember.to_on > today))
        .order_by(ContactTeamMember.id)).all())
    leaders = department_leader_ids(home.id, today)
    people: dict[int, frozenset[int]] = {}
    urls: dict[int, str | None] = {}

    def task(uid: str, title: str, named_title: str, child_id: int, department_id: int, due: date, is_done: bool,
             done_note: str) -> Task:
        if child_id not in people:
            ids = set(leaders.get(department_id, set()))
            if child_id in coordinators:
                ids.add(coordinators[child_id])
            people[child_id] = frozenset(ids)
            urls[child_id] = _child_url(child_id)
        return Task(uid=uid, title=title, named_title=named_title, subject_kind=CHILD, subject_id=child_id,
                    due_on=due, home_id=home.id, source="children", responsible="department_leader",
                    department_id=department_id, user_ids=people[child_id], is_done=is_done, done_note=done_note,
                    url=urls[child_id])

    # Grouped per child (per referral) in the order of their first update, as the task list has always been.
    by_child: dict[int, list] = defaultdict(list)
    for row in plans:
        by_child[row.child_id].append(row)
    tasks: list[Task] = []
    for rows in by_child.values():
        for update_id, child_id, updated_on, later_on, department_id, left_on in rows:
            due = clock.add_months(updated_on, interval)
            if not start <= due <= end or _has_left(left_on, due):
                continue
            tasks.append(task(
                f"children-plan-{update_id}", "Opfølgning på et barns individuelle plan",
                "Opfølgning på individuel plan: {name}", child_id, department_id, due, later_on is not None,
                f"Planen blev opdateret {dadate(later_on)}" if later_on else ""))

    by_referral: dict[int, list] = defaultdict(list)
    for row in physio:
        by_referral[row.referral_id].append(row)
    for rows in by_referral.values():
        for update_id, child_id, _referral_id, due, later_on, ended_on, department_id, left_on in rows:
            if not start <= due <= end or _has_left(left_on, due):
                continue
            ended = ended_on is not None and ended_on <= due
            tasks.append(task(
                f"children-physio-{update_id}", "Opfølgning på et barns fysioterapeutiske behandlingsplan",
                "Opfølgning på fysioterapeutisk behandlingsplan: {name}", child_id, department_id, due,
                later_on is not None or ended,
                "Henvisningen er afsluttet" if ended
                else (f"Planen blev opdateret {dadate(later_on)}" if later_on else "")))
    return tasks
