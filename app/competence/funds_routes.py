"""Pages for the distribution of competence funds, Mini-MED decisions and supervision."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.competence import bp, distribution, exports
from app.competence.forms import BudgetForm, DecisionForm, LineForm, StartDistributionForm, SupervisionForm
from app.competence.models import (
    LINE_CATEGORIES,
    CourseWish,
    Distribution,
    DistributionLine,
    SupervisionSession,
    wish_deadline,
)
from app.competence.services import (
    CompetenceError,
    StaleError,
    forwarded_departments,
    is_deadline_passed,
    money_input,
)
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.forms import choices
from app.params import int_arg
from app.people.models import Department
from app.permissions import authorize, can, requires
from app.web import dadate


def _default_year() -> int:
    today = clock.today()
    return today.year + 1 if today.month >= 10 else today.year


def _year() -> int:
    year = int_arg("aar") or _default_year()
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.home_id == current_user.home_id)
                                   .order_by(Department.name_sort_key)))


def _dist_or_404(dist_id: int) -> Distribution:
    dist = db.session.get(Distribution, dist_id)
    if dist is None or dist.home_id != current_user.home_id:
        abort(404)
    return dist


def _meetings(year: int) -> list[MiniMedMeeting]:
    return list(db.session.scalars(select(MiniMedMeeting).where(
        MiniMedMeeting.home_id == current_user.home_id, MiniMedMeeting.held_on >= date(year - 1, 1, 1),
        MiniMedMeeting.held_on <= date(year, 12, 31)).order_by(MiniMedMeeting.held_on)))


def _open_wishes(dist: Distribution | None, year: int) -> list[CourseWish]:
    taken = {line.wish_id for line in dist.lines} if dist else set()
    wishes = db.session.scalars(
        select(CourseWish).where(CourseWish.home_id == current_user.home_id, CourseWish.year == year,
                                 CourseWish.status == "submitted")
        .options(selectinload(CourseWish.user), selectinload(CourseWish.department))
        .order_by(CourseWish.department_id, CourseWish.priority.is_(None), CourseWish.priority, CourseWish.id))
    return [w for w in wishes if w.id not in taken]


def _summary(year: int, dist: Distribution | None) -> dict:
    """The distribution's revision, totals, lines and history, as the page shows them: a query per list."""
    if dist is None:
        return {"dist": None}
    return {"dist": dist, "departments": {d.id: d for d in _departments()},
            "history": distribution.revisions(current_user.home_id, year), "categories": LINE_CATEGORIES}


def _render(year: int, dist: Distribution | None, status: int = 200, **forms):
    departments = _departments()
    wishes = _open_wishes(dist, year) if dist else []
    forms.setdefault("start_form", StartDistributionForm())
    if dist is not None:
        if "budget_form" not in forms:
            forms["budget_form"] = BudgetForm(obj=dist, formdata=None, version=dist.version)
            forms["budget_form"].budget.data = money_input(dist.budget)
        forms.setdefault("line_form", LineForm(departments=departments, wishes=wishes, formdata=None,
                                               version=dist.version))
        forms.setdefault("decision_form", DecisionForm(formdata=None, version=dist.version))
        meetings = _meetings(year)
        forms["decision_form"].meeting_id.choices = choices([(0, "– vælg møde –")] + [
            (m.id, f"{m.held_on:%d.%m.%Y} {m.title}") for m in meetings])
        forms["line_form"].department_id.choices = choices([(0, "– hele tilbuddet –")]
                                                           + [(d.id, d.name) for d in departments])
        forms["line_form"].wish_id.choices = choices([(0, "– intet ønske –")] + [
            (w.id, f"{w.department.name}: {w.user.name if w.user else 'Afdelingen'} – {w.title}") for w in wishes])
    may_manage = can(current_user, "competence.home")
    warnings = _decision_warnings(year, departments) if dist is not None and not dist.is_locked else []
    return render_template("competence/distribution.html", year=year, may_manage=may_manage,
                           decision_warnings=warnings, **_summary(year, dist), **forms), status


def _decision_warnings(year: int, departments) -> list[str]:
    """What Mini-MED should know before approving: wishes may still come, departments have not forwarded."""
    warnings = []
    home = current_user.home
    if not is_deadline_passed(home, year):
        warnings.append(f"Fristen for ønsker til {year} er {dadate(wish_deadline(home, year))} og er ikke "
                        "overskredet endnu: der kan stadig komme ønsker, som fordelingen ikke har med.")
    forwarded = {d.id for d in forwarded_departments(departments, year)}
    waiting = [d.name for d in departments if d.id not in forwarded]
    if waiting:
        warnings.append("Disse afdelinger har ikke sendt deres oversigt over ønsker videre endnu: "
                        f"{', '.join(waiting)}.")
    return warnings


@bp.get("/distribution")
@login_required
@requires("competence.distribution_view")
def distribution_page():
    year = _year()
    may_manage = can(current_user, "competence.home")
    dist = distribution.current(current_user.home_id, year)
    if dist is not None and may_manage and not dist.is_locked:
        return _render(year, dist)  # the head's open draft: forms throughout
    start_form = StartDistributionForm() if may_manage and dist is None else None
    return render_template("competence/distribution.html", year=year, may_manage=may_manage, start_form=start_form,
                           **_summary(year, dist))


@bp.post("/distribution")
@login_required
@requires("competence.home")
def start_distribution():
    year = _year()
    form = StartDistributionForm()
    if not form.validate_on_submit():
        return _render(year, None, 400, start_form=form)
    try:
        distribution.start(current_user.home, year, form.budget.data, current_user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("En anden har netop oprettet fordelingen for året.", "error")
        return redirect(url_for("competence.distribution_page", aar=year)), 303
    except CompetenceError as error:
        db.session.rollback()
        form.budget.errors = [str(error)]
        return _render(year, None, 400, start_form=form)
    flash(f"Fordelingen for {year} er oprettet.", "success")
    return redirect(url_for("competence.distribution_page", aar=year))


def _version(form) -> int | None:
    raw = str(form.version.data or "")
    return int(raw) if raw.isascii() and raw.isdecimal() else None


def _change(dist: Distribution, form, key: str, action, success=lambda result: "Fordelingen er gemt."):
    """Run a change to a draft; a conflict (409) or refusal (400) re-renders with the person's input kept.

    `success(result)` gives the flashed message from what `action()` returned."""
    if not form.validate_on_submit():
        return _render(dist.year, dist, 400, **{key: form})
    try:
        result = action()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        form.form_errors.append("Fordelingen blev gemt af en anden på samme tid. Dine indtastninger er bevaret; "
                                "se de nye tal, og gem igen.")
        return _render(dist.year, db.session.get(Distribution, dist.id), 409, **{key: _keep(form, dist)})
    except CompetenceError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        status = 409 if isinstance(error, StaleError) else 400
        fresh = db.session.get(Distribution, dist.id)
        return _render(dist.year, fresh, status, **{key: _keep(form, fresh) if status == 409 else form})
    flash(success(result), "success")
    return redirect(url_for("competence.distribution_page", aar=dist.year))


def _decision_message(decision) -> str:
    when = dadate(decision.meeting.held_on)
    outcome = {"approved": "fordelingen er godkendt og låst",
               "approved_with_changes": "fordelingen er godkendt med ændringer og låst",
               "postponed": "fordelingen er udsat og kan stadig ændres"}[decision.outcome]
    return f"Mini-MED-mødets beslutning den {when} er registreret: {outcome}."


def _keep(form, dist):
    """After a conflict the person keeps their input, and the form carries the new version to save over."""
    form.version.data = dist.version
    return form


@bp.post("/distribution/<int:dist_id>/budget")
@login_required
@requires("competence.home")
def save_budget(dist_id: int):
    dist = _dist_or_404(dist_id)
    form = BudgetForm()
    return _change(dist, form, "budget_form",
                   lambda: distribution.save_budget(dist, form.budget.data, form.note.data, current_user,
                                                    _version(form)))


@bp.post("/distribution/<int:dist_id>/lines")
@login_required
@requires("competence.home")
def add_line(dist_id: int):
    dist = _dist_or_404(dist_id)
    form = LineForm(departments=_departments(), wishes=_open_wishes(dist, dist.year))
    return _change(dist, form, "line_form",
                   lambda: distribution.add_line(dist, form.data, current_user, _version(form)))


@bp.post("/distribution/<int:dist_id>/lines/<int:line_id>/remove")
@login_required
@requires("competence.home")
def remove_line(dist_id: int, line_id: int):
    dist = _dist_or_404(dist_id)
    line = db.session.get(DistributionLine, line_id)
    if line is None or line.distribution_id != dist.id:
        abort(404)
    try:
        distribution.remove_line(dist, line, current_user)
        db.session.commit()
    except (CompetenceError, StaleDataError) as error:
        db.session.rollback()
        flash(str(error) if isinstance(error, CompetenceError) else "Fordelingen er ændret i mellemtiden.", "error")
        return redirect(url_for("competence.distribution_page", aar=dist.year)), 303
    flash("Linjen er fjernet.", "success")
    return redirect(url_for("competence.distribution_page", aar=dist.year))


@bp.post("/distribution/<int:dist_id>/revise")
@login_required
@requires("competence.home")
def revise(dist_id: int):
    dist = _dist_or_404(dist_id)
    try:
        copy = distribution.new_revision(dist, current_user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("En anden har netop startet en ny revision.", "error")
        return redirect(url_for("competence.distribution_page", aar=dist.year)), 303
    except CompetenceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("competence.distribution_page", aar=dist.year)), 303
    flash(f"Revision {copy.revision} er startet. Den skal godkendes af Mini-MED.", "success")
    return redirect(url_for("competence.distribution_page", aar=dist.year))


@bp.post("/distribution/<int:dist_id>/decide")
@login_required
@requires("competence.home")
def decide(dist_id: int):
    dist = _dist_or_404(dist_id)
    form = DecisionForm()
    form.meeting_id.choices = choices([(0, "")] + [(m.id, "") for m in _meetings(dist.year)])

    def action():
        meeting = None
        if form.new_meeting_on.data:
            meeting = db.session.scalar(select(MiniMedMeeting).where(
                MiniMedMeeting.home_id == dist.home_id, MiniMedMeeting.held_on == form.new_meeting_on.data))
            if meeting is None:
                if form.new_meeting_on.data > clock.today():
                    raise CompetenceError("Beslutningen kan først registreres, når mødet er holdt.")
                meeting = MiniMedMeeting(home_id=dist.home_id, held_on=form.new_meeting_on.data)
                db.session.add(meeting)
                db.session.flush()
        elif form.meeting_id.data:
            meeting = db.session.get(MiniMedMeeting, form.meeting_id.data)
            if meeting is not None and meeting.home_id != dist.home_id:
                meeting = None
        return distribution.record_decision(dist, meeting, form.outcome.data, form.note.data, current_user,
                                            _version(form))

    return _change(dist, form, "decision_form", action, _decision_message)


@bp.get("/distribution/<int:dist_id>/export.<fmt>")
@login_required
def export_distribution(dist_id: int, fmt: str):
    dist = _dist_or_404(dist_id)
    authorize("competence.distribution_view", dist)
    table = exports.distribution_table(dist, {d.id: d for d in _departments()})
    return exports.respond(table, fmt, f"fordeling-{dist.year}-rev{dist.revision}")


@bp.route("/supervision", methods=["GET", "POST"])
@login_required
@requires("competence.supervision")
def supervision():
    year = int_arg("aar") or clock.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    departments = [d for d in _departments() if can(current_user, "competence.supervision", d)]
    form = SupervisionForm()
    form.department_id.choices = choices((d.id, d.name) for d in departments)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            department = next(d for d in departments if d.id == form.department_id.data)
            try:
                distribution.record_supervision(department, form.data, current_user)
            except CompetenceError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                db.session.commit()
                flash("Supervisionen er registreret.", "success")
                return redirect(url_for("competence.supervision", aar=year))
    planned = distribution.planned_supervision(current_user.home_id, year)
    used = distribution.used_supervision(current_user.home_id, year)
    sessions = db.session.scalars(
        select(SupervisionSession).where(SupervisionSession.home_id == current_user.home_id,
                                         SupervisionSession.department_id.in_([d.id for d in departments]),
                                         SupervisionSession.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(SupervisionSession.held_on.desc()).limit(200)).all()
    return render_template("competence/supervision.html", year=year, departments=departments, planned=planned,
                           used=used, sessions=sessions, form=form), status
