"""The read-only parts of the children's pages: the list, the checks page and a child's page derive every child's
status from its team, plans and referrals in a fixed number of queries (services.check_children), so they are
rendered on every request (cold, a few tens of ms in the largest home). The routes check permissions, write the
access log (a list logs every child it names) and render the forms (CSRF tokens).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.children.models import Child, ContactTeamMember, HandoverRead, IndividualPlanUpdate, PhysioReferral
from app.children.services import check_children, summary_for
from app.extensions import db
from app.need_to_know import may_see_contact_team
from app.people.models import Department
from app.web import render_fragment


def _children(home_id: int, department_ids: tuple[int, ...] | None, show_left: bool, today: date) -> list[Child]:
    """The home's children (or those of some departments), current or moved out, in Danish name order."""
    query = select(Child).options(joinedload(Child.department)).where(Child.home_id == home_id)
    if department_ids is not None:
        query = query.where(Child.department_id.in_(department_ids))
    if show_left:
        query = query.where(Child.left_on <= today)
    else:
        query = query.where(or_(Child.left_on.is_(None), Child.left_on > today))
    return list(db.session.scalars(query.order_by(Child.display_name_sort_key, Child.id)))


class Listed(NamedTuple):
    """A rendered list and the children it names: the route logs them as read on every showing."""

    html: Markup
    child_ids: tuple[int, ...]


def index_table(home_id: int, department_ids: tuple[int, ...] | None, show_left: bool) -> Listed:
    """The staff's list of children with their status; the same for everyone who sees those departments
    (None: the whole home, as the tilbudsleder sees it)."""
    today = clock.today()
    children = _children(home_id, department_ids, show_left, today)
    checks = {} if show_left else check_children(children, today)
    return Listed(render_fragment("children/_index_table.html", children=children, checks=checks,
                                  show_left=show_left, whole_home=department_ids is None),
                  tuple(c.id for c in children))


def temp_index(home_id: int, department_ids: tuple[int, ...]) -> Listed:
    """A temp's list: the children of their departments and whether they have read each current handover."""
    children = _children(home_id, department_ids, False, clock.today())
    return Listed(render_fragment("children/_index_temp_body.html", children=children,
                                  handover=handover_status(children)), tuple(c.id for c in children))


def handover_status(children: list[Child]) -> dict[int, tuple[IndividualPlanUpdate | None, bool]]:
    """child id -> (current plan update, whether the current user confirmed reading its handover)."""
    if not children:
        return {}
    latest: dict[int, IndividualPlanUpdate] = {}
    for update in db.session.scalars(
            select(IndividualPlanUpdate).where(IndividualPlanUpdate.child_id.in_([c.id for c in children]),
                                               IndividualPlanUpdate.updated_on <= clock.today())
            .order_by(IndividualPlanUpdate.updated_on, IndividualPlanUpdate.id)):
        latest[update.child_id] = update
    read = set(db.session.scalars(select(HandoverRead.plan_update_id).where(
        HandoverRead.user_id == current_user.id, HandoverRead.plan_update_id.in_([u.id for u in latest.values()]))))
    return {c.id: (latest.get(c.id), c.id in latest and latest[c.id].id in read) for c in children}


def checks_body(department: Department | None, department_ids: list[int] | None,
                picker_ids: list[int] | None) -> Listed:
    """The checks page for a scope; per viewer, as the heading and the department picker depend on their roles.

    picker_ids: the departments the viewer may pick (None: all the home's active departments).
    """
    today = clock.today()
    summary = summary_for(current_user.home_id, today, department_ids)
    named = {c.child.id for c in [*summary.with_gaps, *summary.due_soon]}
    return Listed(render_fragment("children/_checks_body.html", summary=summary, department=department,
                                  departments=departments(current_user.home_id, picker_ids), today=today),
                  tuple(sorted(named)))


def departments(home_id: int, only_ids=None) -> list[Department]:
    """The home's active departments (or some of them), in Danish name order."""
    query = select(Department).where(Department.home_id == home_id, Department.is_active.is_(True))
    if only_ids is not None:
        query = query.where(Department.id.in_(list(only_ids)))
    return list(db.session.scalars(query.order_by(Department.name_sort_key)))


def child_page(child: Child) -> dict:
    """Per child and viewer (the edit links, the plan links and "you have read it" depend on who looks): the
    context of children/show.html, rendered whole on every request."""
    today = clock.today()
    check = check_children([child], today).get(child.id)
    plan = db.session.scalar(
        select(IndividualPlanUpdate).options(selectinload(IndividualPlanUpdate.goals), joinedload(
            IndividualPlanUpdate.updated_by)).where(IndividualPlanUpdate.child_id == child.id,
                                                    IndividualPlanUpdate.updated_on <= today)
        .order_by(IndividualPlanUpdate.updated_on.desc(), IndividualPlanUpdate.id.desc()).limit(1))
    team = current_team(child, today) if may_see_contact_team(current_user, child) else []
    referrals = db.session.scalars(
        select(PhysioReferral).options(selectinload(PhysioReferral.plan_updates))
        .where(PhysioReferral.child_id == child.id).order_by(PhysioReferral.referred_on.desc())).all()
    has_read = plan is not None and db.session.scalar(select(HandoverRead.id).where(
        HandoverRead.plan_update_id == plan.id, HandoverRead.user_id == current_user.id)) is not None
    return dict(check=check, plan=plan, team=team, referrals=referrals, has_read=has_read, today=today)


def current_team(child: Child, today: date) -> list[ContactTeamMember]:
    """The child's contact team on `today`, the coordinator first."""
    members = [m for m in db.session.scalars(
        select(ContactTeamMember).options(joinedload(ContactTeamMember.user))
        .where(ContactTeamMember.child_id == child.id)) if m.is_current(today)]
    return sorted(members, key=lambda m: not m.is_coordinator)
