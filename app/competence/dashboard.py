"""The competence panel on "Mine opgaver" and the section of an employee's competence profile."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.competence.models import CourseCompletion, CourseWish, ImplementationAgreement
from app.competence.services import completed_courses, missing_submitters, next_funds_year, overview_for
from app.extensions import db
from app.hooks import dashboard_panel, profile_section
from app.people.constants import Role
from app.people.models import Department, Membership
from app.permissions import can


@dashboard_panel(order=30)
def leader_panel(user):
    """Completed courses without an implementation agreement and this autumn's overviews, for leaders."""
    if not user.has_role(Role.DEPARTMENT_LEADER, Role.HEAD):
        return None
    departments = [d for d in db.session.scalars(select(Department).where(Department.home_id == user.home_id,
                                                                          Department.is_active.is_(True)))
                   if can(user, "competence.overview", d)]
    if not departments:
        return None
    people = select(Membership.user_id).where(Membership.department_id.in_([d.id for d in departments]))
    missing_agreements = db.session.scalars(
        select(CourseCompletion).outerjoin(ImplementationAgreement)
        .where(ImplementationAgreement.id.is_(None), CourseCompletion.user_id.in_(people),
               CourseCompletion.home_id == user.home_id)
        .options(selectinload(CourseCompletion.user)).order_by(CourseCompletion.completed_on).limit(50)).all()
    year = next_funds_year()
    overviews = []
    if user.has_role(Role.DEPARTMENT_LEADER):
        for d in departments:
            if can(user, "competence.overview", d) and d.id in user.department_ids:
                overviews.append((d, overview_for(d.id, year), len(missing_submitters(d.id, year))))
    if not missing_agreements and not overviews:
        return None
    html = render_template("competence/_panel.html", missing_agreements=missing_agreements, overviews=overviews,
                           year=year)
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input


@profile_section(order=30)
def profile(person, viewer):
    if not (viewer.id == person.id or can(viewer, "competence.courses", person)):
        return None
    wishes = db.session.scalars(select(CourseWish).where(CourseWish.user_id == person.id)
                                .options(selectinload(CourseWish.home))
                                .order_by(CourseWish.year.desc(), CourseWish.id.desc())).all()
    html = render_template("competence/_profile.html", wishes=wishes, courses=completed_courses(person))
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input
