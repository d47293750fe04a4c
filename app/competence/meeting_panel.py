"""The competence part of a Mini-MED meeting's page: what the year's first meeting approved and was presented,
what the year's last meeting evaluated, and the departments' suggestions. The cycle feature's meeting page
shows it; the forms post to competence's routes (meeting_routes.py)."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import select

from app.competence.meeting_decisions import (
    evaluation_of,
    is_first_of_year,
    is_last_of_year,
    plan_approval,
    presentable_tilbudsplan,
    presentation_of,
    suggestions_of_year,
)
from app.competence.meeting_forms import EvaluationForm, PlanApprovalForm, PresentationForm
from app.competence.models import CompetencePlan, Decision
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.people.models import Department
from app.permissions import can
from app.web import render_fragment


def active_departments(home_id: int) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.home_id == home_id,
                                                            Department.is_active.is_(True))
                                   .order_by(Department.name_sort_key)))


def meeting_panel(meeting: MiniMedMeeting, user, **forms) -> Markup:
    """The meeting's competence items; `forms` carries a refused form back with the person's input."""
    first, last = is_first_of_year(meeting), is_last_of_year(meeting)
    if not first and not last:
        return Markup()
    year = meeting.held_on.year
    may_record = can(user, "competence.minimed_record", meeting) and meeting.is_held
    context = {"meeting": meeting, "year": year, "first": first, "last": last, "may_record": may_record}
    if first:
        plan = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == meeting.home_id,
                                                              CompetencePlan.year == year))
        presentation = presentation_of(meeting)
        context.update(
            decisions=list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                              .order_by(Decision.id))),
            plan=plan, approval=plan_approval(plan), presentation=presentation,
            tilbudsplan=presentation.tilbudsplan if presentation else presentable_tilbudsplan(meeting.home_id, year),
            approval_form=forms.get("approval_form") or PlanApprovalForm(formdata=None),
            presentation_form=forms.get("presentation_form") or PresentationForm(formdata=None))
    if last:
        context.update(evaluation=evaluation_of(meeting.home_id, year),
                       evaluation_form=forms.get("evaluation_form") or EvaluationForm(formdata=None),
                       departments=active_departments(meeting.home_id),
                       suggestions=suggestions_of_year(meeting.home_id, year))
    return render_fragment("competence/_meeting_items.html", **context)
