"""Pages for completed courses and implementation agreements, competence needs and the written plan."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock, signals
from app.audit.services import record
from app.competence import bp, distribution
from app.competence.forms import AgreementForm, CompletionForm, NeedForm, PlanForm
from app.competence.meeting_decisions import plan_approval
from app.competence.models import PLAN_SECTIONS, CompetenceNeed, CompetencePlan, CourseCompletion
from app.competence.services import (
    CompetenceError,
    agree_implementation,
    close_need,
    raise_need,
    record_completion,
)
from app.exports import Table, respond
from app.extensions import db
from app.forms import CONTROL_CHARACTERS_REFUSED, choices, has_control_characters
from app.params import int_arg
from app.people.models import Department, Membership, User
from app.permissions import authorize, can, requires
from app.web import dadate


def _departments(action: str) -> list[Department]:
    departments = db.session.scalars(select(Department).where(Department.home_id == current_user.home_id)
                                     .options(selectinload(Department.methods))
                                     .order_by(Department.name_sort_key)).all()
    return [d for d in departments if can(current_user, action, d)]


def _staff(departments) -> list[User]:
    today = clock.today()
    return list(db.session.scalars(
        select(User).where(User.id.in_(select(Membership.user_id).where(
            Membership.department_id.in_([d.id for d in departments]))),
            (User.left_on.is_(None)) | (User.left_on > today)).order_by(User.name_sort_key, User.id)))


@bp.route("/courses", methods=["GET", "POST"])
@login_required
@requires("competence.courses")
def courses():
    departments = _departments("competence.overview")
    staff = _staff(departments)
    form = CompletionForm()
    form.user_id.choices = choices((u.id, u.name) for u in staff)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            person = next(u for u in staff if u.id == form.user_id.data)
            try:
                record_completion(person, form.data, current_user)
            except CompetenceError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                db.session.commit()
                flash("Kurset er registreret. Aftal nu, hvordan den nye viden bruges i afdelingen.", "success")
                return redirect(url_for("competence.courses"))
    rows = db.session.scalars(
        select(CourseCompletion).where(CourseCompletion.user_id.in_([u.id for u in staff]))
        .options(selectinload(CourseCompletion.agreement), selectinload(CourseCompletion.user))
        .order_by(CourseCompletion.completed_on.desc()).limit(500)).all()
    return render_template("competence/courses.html", rows=rows, form=form), status


@bp.route("/courses/<int:completion_id>/agreement", methods=["GET", "POST"])
@login_required
def agreement(completion_id: int):
    completion = db.session.get(CourseCompletion, completion_id)
    if completion is None or completion.home_id != current_user.home_id:
        abort(404)
    authorize("competence.courses", completion.user)
    form = AgreementForm()
    if request.method == "GET":
        form.agreed_on.data = clock.today()
        form.resource_topic.data = completion.title
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                agree_implementation(completion, form.description.data, form.resource_topic.data,
                                     form.agreed_on.data, current_user)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.form_errors.append("Der er allerede en implementeringsaftale for kurset.")
            except CompetenceError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                flash(f"Aftalen er gemt. {completion.user.name} står nu som ressourceperson.", "success")
                return redirect(url_for("competence.courses"))
    return render_template("competence/agreement.html", completion=completion, form=form), status


@bp.post("/needs")
@login_required
@requires("competence.overview")
def new_need():
    departments = _departments("competence.overview")
    form = NeedForm()
    form.department_id.choices = choices((d.id, d.name) for d in departments)
    if form.validate_on_submit():
        department = next(d for d in departments if d.id == form.department_id.data)
        try:
            raise_need(department, form.description.data, form.source.data, current_user)
        except CompetenceError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("competence.plan")), 303
        db.session.commit()
        flash("Kompetencebehovet er sendt til tilbudslederen og står i kompetenceplanen.", "success")
        return redirect(url_for("competence.plan"))
    flash("Vælg afdeling og beskriv behovet.", "error")
    return redirect(url_for("competence.plan")), 303


@bp.post("/needs/<int:need_id>/close")
@login_required
@requires("competence.home")
def close_need_route(need_id: int):
    need = db.session.get(CompetenceNeed, need_id)
    if need is None or need.home_id != current_user.home_id:
        abort(404)
    note = request.form.get("note", "")
    if has_control_characters(note, long_text=True):
        flash(str(CONTROL_CHARACTERS_REFUSED), "error")
        return redirect(url_for("competence.plan")), 303
    try:
        close_need(need, note, current_user)
    except CompetenceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("competence.plan")), 303
    db.session.commit()
    flash("Behovet er lukket.", "success")
    return redirect(url_for("competence.plan"))


def _plan_year() -> int:
    today = clock.today()
    year = int_arg("aar") or (today.year + 1 if today.month >= 7 else today.year)
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _plan_facts(year: int) -> dict:
    """What the plan page and its print show about the home: a query per list."""
    home_id = current_user.home_id
    departments = db.session.scalars(select(Department).where(Department.home_id == home_id,
                                                              Department.is_active.is_(True))
                                     .options(selectinload(Department.methods)).order_by(Department.name_sort_key)).all()
    needs = db.session.scalars(select(CompetenceNeed).where(CompetenceNeed.home_id == home_id,
                                                            CompetenceNeed.closed_on.is_(None))
                               .options(selectinload(CompetenceNeed.department))
                               .order_by(CompetenceNeed.raised_on)).all()
    return {"departments": departments, "needs": needs,
            "dist": distribution.approved(home_id, year) or distribution.current(home_id, year),
            "planned": distribution.planned_supervision(home_id, year)}


def _need_department_choices() -> list[tuple[int, str]]:
    """The departments the viewer may raise a need for (one query)."""
    departments = db.session.execute(select(Department.id, Department.name, Department.home_id)
                                     .where(Department.home_id == current_user.home_id)
                                     .order_by(Department.name_sort_key)).all()
    return [(d.id, d.name) for d in departments if can(current_user, "competence.overview", d)]


@bp.route("/plan", methods=["GET", "POST"])
@login_required
@requires("competence.plan")
def plan():
    year = _plan_year()
    plan_row = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == current_user.home_id,
                                                              CompetencePlan.year == year))
    form = PlanForm(obj=plan_row)
    if request.method == "GET" and plan_row is not None:
        form.version.data = plan_row.version
    status = 200
    if request.method == "POST":
        authorize("competence.plan_edit")
        status = 400
        if form.validate_on_submit():
            try:
                if plan_row is None:
                    plan_row = CompetencePlan(home_id=current_user.home_id, year=year)
                    db.session.add(plan_row)
                elif str(form.version.data or "").isdecimal() and int(form.version.data) != plan_row.version:
                    raise StaleDataError("stale")
                if plan_row.is_finished:
                    raise CompetenceError("Planen er færdigskrevet og låst.")
                for key in PLAN_SECTIONS:
                    setattr(plan_row, key, (getattr(form, key).data or "").strip())
                plan_row.updated_at = clock.now()
                db.session.flush()
                record("competence.plan_saved", plan_row, summary=str(year))
                db.session.commit()
            except (StaleDataError, IntegrityError):
                db.session.rollback()
                form.form_errors.append("Planen er gemt af en anden i mellemtiden. Din tekst er bevaret nedenfor.")
                status = 409
                plan_row = db.session.scalar(select(CompetencePlan).where(
                    CompetencePlan.home_id == current_user.home_id, CompetencePlan.year == year))
                if plan_row is not None:
                    form.version.data = plan_row.version
            except CompetenceError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                flash("Planen er gemt.", "success")
                return redirect(url_for("competence.plan", aar=year))
    need_form = NeedForm()
    need_form.department_id.choices = choices(_need_department_choices())
    return render_template("competence/plan.html", year=year, plan=plan_row, form=form, sections=PLAN_SECTIONS,
                           need_form=need_form, approval=plan_approval(plan_row), **_plan_facts(year)), status


@bp.post("/plan/finish")
@login_required
@requires("competence.plan_edit")
def finish_plan():
    year = _plan_year()
    plan_row = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == current_user.home_id,
                                                              CompetencePlan.year == year))
    if plan_row is None or plan_row.is_finished:
        flash("Gem planen først; en færdig plan kan ikke afsluttes igen.", "error")
        return redirect(url_for("competence.plan", aar=year)), 303
    if plan_row.is_empty:
        flash("Planen er tom. Skriv mindst ét afsnit, før den markeres som færdigskrevet.", "error")
        return redirect(url_for("competence.plan", aar=year)), 303
    plan_row.finished_at = clock.now()
    plan_row.finished_by_id = current_user.id
    db.session.flush()
    record("competence.plan_written", plan_row, summary=str(year))
    if plan_row.duty_year <= clock.today().year:
        signals.plan_written.send(home_id=current_user.home_id, year=plan_row.duty_year,
                                  on=clock.today(), actor=current_user)
    db.session.commit()
    flash("Kompetenceudviklingsplanen er færdigskrevet og klar til Mini-MED.", "success")
    return redirect(url_for("competence.plan", aar=year))


@bp.get("/plan/export.<fmt>")
@login_required
@requires("competence.plan")
def plan_export(fmt: str):
    """The written plan as a spreadsheet: one row a section, as the page and the print show them."""
    year = _plan_year()
    plan_row = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == current_user.home_id,
                                                              CompetencePlan.year == year))
    table = Table(f"Kompetenceplan {year}", ["Afsnit", "Tekst"])
    table.rows.extend([label, getattr(plan_row, key) or "" if plan_row else ""] for key, label in PLAN_SECTIONS.items())
    status = (f"Færdigskrevet {dadate(plan_row.finished_at)}" if plan_row and plan_row.is_finished
              else "Udkast" if plan_row else "Ikke påbegyndt")
    table.totals = ["Status", status]
    return respond(table, fmt, f"kompetenceplan-{year}")


@bp.get("/plan/print")
@login_required
@requires("competence.plan")
def plan_print():
    year = _plan_year()
    plan_row = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == current_user.home_id,
                                                              CompetencePlan.year == year))
    return render_template("competence/plan_print.html", year=year, plan=plan_row, sections=PLAN_SECTIONS,
                           approval=plan_approval(plan_row), **_plan_facts(year))
