"""Each child's follow-up dates as tasks for the contact team's coordinator and the department leader.

The child is the task's subject, never part of its title: app/need_to_know.py puts the name in for those who may
open the child."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import or_, select

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


@task_source("children")
def children_tasks(home, start: date, end: date):
    interval = int(home.setting("plan_interval_months"))
    children = {c.id: c for c in db.session.scalars(
        select(Child).where(Child.home_id == home.id, or_(Child.left_on.is_(None), Child.left_on > start)))}
    if not children:
        return []
    today = clock.today()
    coordinators: dict[int, int] = {}
    for member in db.session.scalars(select(ContactTeamMember).join(Child).where(
            Child.home_id == home.id, ContactTeamMember.is_coordinator.is_(True), ContactTeamMember.from_on <= today,
            or_(ContactTeamMember.to_on.is_(None), ContactTeamMember.to_on > today))):
        coordinators[member.child_id] = member.user_id
    leaders = department_leader_ids(home.id, today)

    def people(child: Child) -> frozenset[int]:
        ids = set(leaders.get(child.department_id, set()))
        if child.id in coordinators:
            ids.add(coordinators[child.id])
        return frozenset(ids)

    tasks: list[Task] = []
    earliest = clock.add_months(start, -interval) - timedelta(days=3)
    updates: dict[int, list[IndividualPlanUpdate]] = defaultdict(list)
    for update in db.session.scalars(select(IndividualPlanUpdate).join(Child).where(
            Child.home_id == home.id, IndividualPlanUpdate.updated_on >= earliest)
            .order_by(IndividualPlanUpdate.updated_on, IndividualPlanUpdate.id)):
        updates[update.child_id].append(update)
    for child_id, rows in updates.items():
        child = children.get(child_id)
        if child is None:
            continue
        for index, update in enumerate(rows):
            due = clock.add_months(update.updated_on, interval)
            if not start <= due <= end or child.has_left(due):
                continue
            later = rows[index + 1] if index + 1 < len(rows) else None
            tasks.append(Task(
                uid=f"children-plan-{update.id}", title="Opfølgning på et barns individuelle plan",
                named_title="Opfølgning på individuel plan: {name}", subject_kind=CHILD, subject_id=child.id,
                due_on=due, home_id=home.id, source="children", responsible="department_leader",
                department_id=child.department_id, user_ids=people(child), is_done=later is not None,
                done_note=f"Planen blev opdateret {dadate(later.updated_on)}" if later else "",
                url=_child_url(child.id)))

    physio: dict[int, list[PhysioPlanUpdate]] = defaultdict(list)
    referrals: dict[int, PhysioReferral] = {}
    for update, referral in db.session.execute(
            select(PhysioPlanUpdate, PhysioReferral).join(PhysioReferral)
            .join(Child, Child.id == PhysioReferral.child_id)
            .where(Child.home_id == home.id, PhysioPlanUpdate.next_follow_up_on >= start - timedelta(days=3))
            .order_by(PhysioPlanUpdate.updated_on, PhysioPlanUpdate.id)):
        physio[referral.id].append(update)
        referrals[referral.id] = referral
    for referral_id, rows in physio.items():
        referral = referrals[referral_id]
        child = children.get(referral.child_id)
        if child is None:
            continue
        for index, update in enumerate(rows):
            due = update.next_follow_up_on
            if not start <= due <= end or child.has_left(due):
                continue
            later = rows[index + 1] if index + 1 < len(rows) else None
            ended = referral.ended_on is not None and referral.ended_on <= due
            tasks.append(Task(
                uid=f"children-physio-{update.id}",
                title="Opfølgning på et barns fysioterapeutiske behandlingsplan",
                named_title="Opfølgning på fysioterapeutisk behandlingsplan: {name}", subject_kind=CHILD,
                subject_id=child.id,
                due_on=due, home_id=home.id, source="children", responsible="department_leader",
                department_id=child.department_id, user_ids=people(child), is_done=later is not None or ended,
                done_note="Henvisningen er afsluttet" if ended else (
                    f"Planen blev opdateret {dadate(later.updated_on)}" if later else ""),
                url=_child_url(child.id)))
    return tasks
