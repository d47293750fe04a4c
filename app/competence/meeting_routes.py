"""Recording what Mini-MED's first and last meetings of the year did with the competence documents, and the
departments' suggestions for next year's tilbudsplan (the rules are in meeting_decisions.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.competence import bp
from app.competence.meeting_decisions import (
    approve_plan,
    present_tilbudsplan,
    presentable_tilbudsplan,
    record_evaluation,
    save_suggestion,
    suggestions_of_year,
)
from app.competence.meeting_forms import EvaluationForm, PlanApprovalForm, PresentationForm, SuggestionForm
from app.competence.meeting_panel import active_departments, meeting_panel
from app.competence.models import CompetencePlan
from app.competence.services import CompetenceError, StaleError
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.params import int_arg
from app.permissions import authorize, can, requires


def _meeting_or_404(meeting_id: int) -> MiniMedMeeting:
    meeting = db.session.get(MiniMedMeeting, meeting_id)
    if meeting is None or meeting.home_id != current_user.home_id:
        abort(404)
    authorize("competence.minimed_record", meeting)
    return meeting


def _record(meeting: MiniMedMeeting, form, key: str, action, success: str):
    """Run the recording; a refusal shows the meeting's items again with the message and the input kept (400)."""
    if form.validate_on_submit():
        try:
            action()
        except CompetenceError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for("cycle.meeting_form", meeting_id=meeting.id))
    # The messages go at the top, as the meeting's page may not hold the form (the meeting is not the year's
    # first or last); the form keeps the person's input.
    errors = [*form.form_errors, *(error for field in form for error in field.errors)]
    form.form_errors = []
    for field in form:
        field.errors = []
    meeting = db.session.get(MiniMedMeeting, meeting.id)
    return render_template("competence/meeting_record.html", meeting=meeting, errors=errors,
                           items=meeting_panel(meeting, current_user, **{key: form})), 400


@bp.post("/moeder/<int:meeting_id>/kompetenceplan")
@login_required
def approve_plan_at_meeting(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    form = PlanApprovalForm()
    year = meeting.held_on.year
    plan = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == meeting.home_id,
                                                          CompetencePlan.year == year))
    return _record(meeting, form, "approval_form",
                   lambda: approve_plan(meeting, plan, form.note.data, current_user),
                   f"Kompetenceudviklingsplanen for {year} er registreret som godkendt af Mini-MED.")


@bp.post("/moeder/<int:meeting_id>/tilbudsplan")
@login_required
def present_tilbudsplan_at_meeting(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    form = PresentationForm()
    year = meeting.held_on.year
    version = presentable_tilbudsplan(meeting.home_id, year)
    return _record(meeting, form, "presentation_form",
                   lambda: present_tilbudsplan(meeting, version, form.note.data, current_user),
                   f"Tilbudsplanen for {year} er registreret som fremlagt for Mini-MED.")


@bp.post("/moeder/<int:meeting_id>/evaluering")
@login_required
def evaluate_tilbudsplan_at_meeting(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    form = EvaluationForm()
    return _record(meeting, form, "evaluation_form",
                   lambda: record_evaluation(meeting, form.evaluation.data, form.suggestions_note.data,
                                             current_user),
                   f"Evalueringen af tilbudsplanen for {meeting.held_on.year} er registreret.")


def _suggestion_year() -> int:
    this_year = clock.today().year
    year = int_arg("aar", this_year)
    if year is None or not this_year - 5 <= year <= this_year + 1:
        abort(404)
    return year


@bp.route("/forslag", methods=["GET", "POST"])
@login_required
@requires("competence.suggestions")
def suggestions():
    """Every department's suggestions from its autumn staff meeting for next year's tilbudsplan."""
    year = _suggestion_year()
    departments = active_departments(current_user.home_id)
    editable = [d for d in departments if can(current_user, "competence.suggestions_edit", d)]
    rows = suggestions_of_year(current_user.home_id, year)
    form = SuggestionForm(departments=editable)
    status = 200
    if form.is_submitted():
        if not editable:
            abort(403)
        status = 400
        if form.validate():
            department = next(d for d in editable if d.id == form.department_id.data)
            raw = str(form.version.data or "")
            try:
                save_suggestion(department, year, form.data, current_user,
                                int(raw) if raw.isascii() and raw.isdecimal() else None)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                form.form_errors.append("Forslagene er gemt af en anden i mellemtiden. Din tekst er bevaret; "
                                        "se den nye, og gem igen.")
                status = 409
            except CompetenceError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
                status = 409 if isinstance(error, StaleError) else 400
            else:
                flash(f"Forslagene fra {department.name} for {year} er gemt.", "success")
                return redirect(url_for("competence.suggestions", aar=year))
            rows = suggestions_of_year(current_user.home_id, year)
    elif editable:
        existing = rows.get(editable[0].id) if len(editable) == 1 else None
        if existing is not None:
            form = SuggestionForm(obj=existing, departments=editable)
            form.version.data = existing.version
    return render_template("competence/suggestions.html", year=year, departments=departments, rows=rows,
                           form=form if editable else None, today=clock.today()), status
