"""Each employee's competence profile, and recording their neuropedagogy steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.appraisals import bp
from app.appraisals.forms import NeuroForm
from app.appraisals.models import LU, MU, NeuroRecord, Talk
from app.appraisals.services import AppraisalError, record_neuro
from app.appraisals.status import NEURO_BADGES, NEURO_STATUS_LABELS, neuro_deadline, neuro_status, status_of
from app.extensions import db
from app.hooks import profile_sections
from app.people.constants import EMPLOYMENT_LABELS, PROFESSION_LABELS
from app.people.models import Department, User
from app.permissions import can


def _profile_person_or_abort(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or person.home_id != current_user.home_id:
        abort(404)
    if not can(current_user, "appraisals.view_profile", person):
        flash(_("Du kan kun se din egen kompetenceprofil og profilerne for de afdelinger, du leder."), "error")
        abort(403)
    return person


def _completed_courses(person: User):
    from app.competence.services import completed_courses

    return completed_courses(person)


@dataclass(frozen=True)
class NeuroStep:
    """One line of the neuropedagogy history, from a profile step or a completed course under Kurser."""

    happened_on: date
    label: str
    note: str


def _neuro_history(neuro_rows, courses) -> list[NeuroStep]:
    steps = [NeuroStep(r.happened_on, r.label, r.note) for r in neuro_rows]
    steps += [NeuroStep(c.completed_on, "Gennemført", f"{c.title} (registreret under kurser)")
              for c in courses if c.is_neuropedagogy]
    return sorted(steps, key=lambda s: s.happened_on, reverse=True)


def _context(person_id: int) -> dict:
    """Everything the profile shows, read in a handful of queries; the page is rendered whole per request."""
    today = clock.today()
    person = db.session.scalar(
        select(User).where(User.id == person_id)
        .options(selectinload(User.departments).selectinload(Department.methods),
                 selectinload(User.resource_functions), selectinload(User.role_rows))
    )
    talks = db.session.scalars(
        select(Talk).where(Talk.employee_id == person.id).options(selectinload(Talk.held_by))
        .order_by(Talk.held_on.desc().nulls_first(), Talk.planned_on.desc(), Talk.id.desc())
    ).all()
    neuro_rows = db.session.scalars(
        select(NeuroRecord).where(NeuroRecord.user_id == person.id)
        .order_by(NeuroRecord.happened_on.desc(), NeuroRecord.id.desc())
    ).all()
    neuro = neuro_status(person, today)
    courses = _completed_courses(person)
    context = dict(
        person=person, today=today, talks=talks, mu=status_of(person, MU, today), lu=status_of(person, LU, today),
        neuro=neuro, neuro_label=NEURO_STATUS_LABELS[neuro], neuro_badge=NEURO_BADGES[neuro],
        neuro_deadline=neuro_deadline(person.hired_on), neuro_rows=_neuro_history(neuro_rows, courses),
        courses=courses, sections=profile_sections(person, current_user),
        EMPLOYMENT_LABELS=EMPLOYMENT_LABELS, PROFESSION_LABELS=PROFESSION_LABELS,
    )
    context["shows_neuro_form"] = can(current_user, "appraisals.record_neuro", person) and not person.has_left(today)
    return context


def _render(person: User, neuro_form: NeuroForm, status: int = 200):
    return render_template("appraisals/profile.html", neuro_form=neuro_form, **_context(person.id)), status


@bp.get("/profile")
@login_required
def my_profile():
    """"Min profil": the logged-in person's own competence profile."""
    return redirect(url_for("appraisals.profile", person_id=current_user.id))


@bp.get("/profile/<int:person_id>")
@login_required
def profile(person_id: int):
    person = _profile_person_or_abort(person_id)
    return _render(person, NeuroForm(happened_on=clock.today()))


@bp.post("/profile/<int:person_id>/neuro")
@login_required
def neuro(person_id: int):
    person = _profile_person_or_abort(person_id)
    if not can(current_user, "appraisals.record_neuro", person):
        flash(_("Kun lederen af medarbejderens afdeling eller tilbudslederen kan registrere neuropædagogik."),
              "error")
        abort(403)
    form = NeuroForm()
    if not form.validate_on_submit():
        return _render(person, form, 400)
    try:
        record_neuro(person, status=form.status.data, happened_on=form.happened_on.data, note=form.note.data,
                     actor=current_user, today=clock.today())
    except AppraisalError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render(person, form, 400)
    db.session.commit()
    flash(_("Neuropædagogik er registreret for %(name)s.", name=person.name), "success")
    return redirect(url_for("appraisals.profile", person_id=person.id) + "#neuropaedagogik")
