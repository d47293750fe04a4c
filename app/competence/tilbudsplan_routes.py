"""The tilbudsplan pages: the year's plan (the published one for everyone), the leader group's draft editor with
its method decisions, finishing, publishing, "Læst og forstået", the revisions and the print."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.competence import bp
from app.competence import tilbudsplan as plans
from app.competence.models import TilbudsplanVersion
from app.competence.tilbudsplan_forms import MethodDecisionForm, TilbudsplanForm, hidden_int
from app.competence.tilbudsplan_models import INTRODUCE, TilbudsplanMethodDecision
from app.extensions import db
from app.params import int_arg
from app.people.models import Department
from app.permissions import authorize, can, requires


def _year(default: int | None = None) -> int:
    year = int_arg("aar") or default or clock.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _next_year() -> int:
    """The year the leader group writes for: next year from July on (December's duty), else this year."""
    today = clock.today()
    return today.year + 1 if today.month >= 7 else today.year


def _shown(year: int) -> TilbudsplanVersion | None:
    """The revision a viewer sees for a year: the published one, else (leader group, Mini-MED) the newest
    finished one, else the draft."""
    published = plans.published(current_user.home_id, year)
    if published is not None or not can(current_user, "competence.tilbudsplan_drafts"):
        return published
    revisions = plans.versions(current_user.home_id, year)
    return next((v for v in revisions if v.status in ("finished", "approved")), revisions[0] if revisions else None)


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.home_id == current_user.home_id,
                                                            Department.is_active.is_(True))
                                   .options(selectinload(Department.methods)).order_by(Department.name_sort_key)))


def _attempt(step, *, done: str, then: str, refused: str):
    """Run a change to the plan: committed with `done` flashed and on to `then`, or, refused (a Danish
    TilbudsplanError), rolled back with its message flashed and back to `refused` (303)."""
    try:
        result = step()
    except plans.TilbudsplanError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(refused), 303
    db.session.commit()
    flash(done(result) if callable(done) else done, "success")
    return redirect(then)


@bp.get("/tilbudsplan")
@login_required
@requires("competence.tilbudsplan")
def tilbudsplan():
    home_id = current_user.home_id
    today = clock.today()
    asked = int_arg("aar")
    if asked is None:
        current = plans.current_published(home_id, today)
        year = current.year if current else today.year
    else:
        year = _year()
    version = _shown(year)
    years = [(y, status) for y, status in plans.years(home_id)
             if status in plans.READABLE or can(current_user, "competence.tilbudsplan_drafts")
             or plans.published(home_id, y) is not None]
    return render_template(
        "competence/tilbudsplan.html", year=year, version=version, years=years, next_year=_next_year(),
        decisions=plans.decisions(version) if version else [],
        acknowledged=version is not None and version.status == "published"
        and plans.has_acknowledged(version, current_user),
        ack_count=plans.acknowledged_count(version) if version and version.status == "published" else 0,
        draft=plans.draft(home_id, year) if can(current_user, "competence.tilbudsplan_edit") else None)


def _editor(year: int, form: TilbudsplanForm, decision_form: MethodDecisionForm, status: int = 200):
    row = plans.draft(current_user.home_id, year)
    return render_template("competence/tilbudsplan_edit.html", year=year, draft=row, form=form,
                           decision_form=decision_form, decisions=plans.decisions(row) if row else [],
                           latest=next(iter(plans.versions(current_user.home_id, year)), None)), status


def _decision_form(**kwargs) -> MethodDecisionForm:
    form = MethodDecisionForm(departments=_departments(), **kwargs)
    if form.decided_on.data is None and (request.method == "GET" or "formdata" in kwargs):
        form.decided_on.data = clock.today()
    return form


@bp.route("/tilbudsplan/edit", methods=["GET", "POST"])
@login_required
@requires("competence.tilbudsplan_edit")
def tilbudsplan_edit():
    year = _year(_next_year())
    home_id = current_user.home_id
    row = plans.draft(home_id, year)
    latest = next(iter(plans.versions(home_id, year)), None)
    form = TilbudsplanForm(obj=row or latest if request.method == "GET" else None)
    if request.method == "GET":
        form.change_note.data = row.change_note if row else ""
        form.version_id.data = row.id if row else ""
        form.lock_version.data = row.lock_version if row else ""
        return _editor(year, form, _decision_form())
    if not form.validate_on_submit():
        return _editor(year, form, _decision_form(formdata=None), 400)
    try:
        plans.save_draft(home_id, year, current_user, form.body.data or "", form.change_note.data or "",
                         version_id=hidden_int(form.version_id.data), lock_version=hidden_int(form.lock_version.data))
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        form.form_errors.append("Tilbudsplanen er gemt af en anden i mellemtiden. Din tekst er bevaret nedenfor.")
        row = plans.draft(home_id, year)
        form.version_id.data = row.id if row else ""
        form.lock_version.data = row.lock_version if row else ""
        return _editor(year, form, _decision_form(formdata=None), 409)
    flash("Kladden til tilbudsplanen er gemt.", "success")
    return redirect(url_for("competence.tilbudsplan_edit", aar=year))


@bp.post("/tilbudsplan/decisions")
@login_required
@requires("competence.tilbudsplan_edit")
def tilbudsplan_add_decision():
    year = _year(_next_year())
    decision_form = _decision_form()
    text_form = TilbudsplanForm(formdata=None)
    row = plans.draft(current_user.home_id, year)
    if not decision_form.validate_on_submit():
        if row is not None:
            text_form = TilbudsplanForm(formdata=None, obj=row)
        return _editor(year, text_form, decision_form, 400)
    try:
        row = plans.start_revision(current_user.home_id, year, current_user)
        plans.add_decision(row, current_user, department_id=decision_form.department_id.data,
                           action=decision_form.action.data, decided_on=decision_form.decided_on.data,
                           method_id=decision_form.method_id.data or None,
                           name=decision_form.name.data if decision_form.action.data == INTRODUCE else "")
    except plans.TilbudsplanError as error:
        db.session.rollback()
        decision_form.form_errors.append(str(error))
        row = plans.draft(current_user.home_id, year)
        text_form = TilbudsplanForm(formdata=None, obj=row) if row else text_form
        return _editor(year, text_form, decision_form, 400)
    db.session.commit()
    flash("Beslutningen om metoden er tilføjet.", "success")
    return redirect(url_for("competence.tilbudsplan_edit", aar=year))


@bp.post("/tilbudsplan/decisions/<int:decision_id>/delete")
@login_required
@requires("competence.tilbudsplan_edit")
def tilbudsplan_remove_decision(decision_id: int):
    decision = db.session.get(TilbudsplanMethodDecision, decision_id)
    if decision is None or decision.version.home_id != current_user.home_id:
        abort(404)
    year = decision.version.year
    return _attempt(lambda: plans.remove_decision(decision.version, decision, current_user),
                    done="Beslutningen er slettet.", then=url_for("competence.tilbudsplan_edit", aar=year),
                    refused=url_for("competence.tilbudsplan", aar=year))


@bp.post("/tilbudsplan/finish")
@login_required
@requires("competence.tilbudsplan_edit")
def tilbudsplan_finish():
    year = _year(_next_year())
    row = plans.draft(current_user.home_id, year)
    if row is None:
        flash("Der er ingen kladde at færdiggøre. Skriv og gem tilbudsplanen først.", "error")
        return redirect(url_for("competence.tilbudsplan_edit", aar=year)), 303
    return _attempt(lambda: plans.finish(row, current_user),
                    done=f"Tilbudsplanen for {year} er færdiggjort og klar til årets første Mini-MED-møde.",
                    then=url_for("competence.tilbudsplan", aar=year),
                    refused=url_for("competence.tilbudsplan_edit", aar=year))


@bp.post("/tilbudsplan/publish")
@login_required
@requires("competence.tilbudsplan_publish")
def tilbudsplan_publish():
    year = _year()
    row = db.session.scalar(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == current_user.home_id, TilbudsplanVersion.year == year,
        TilbudsplanVersion.status.in_(("finished", "approved"))).order_by(TilbudsplanVersion.number.desc()).limit(1))
    if row is None:
        flash("Der er ingen færdiggjort tilbudsplan at offentliggøre.", "error")
        return redirect(url_for("competence.tilbudsplan", aar=year)), 303
    return _attempt(lambda: plans.publish(row, current_user),
                    done=f"Tilbudsplanen for {year} er offentliggjort i alle afdelinger.",
                    then=url_for("competence.tilbudsplan", aar=year),
                    refused=url_for("competence.tilbudsplan", aar=year))


@bp.post("/tilbudsplan/acknowledge")
@login_required
@requires("competence.tilbudsplan")
def tilbudsplan_acknowledge():
    year = _year()
    row = plans.published(current_user.home_id, year)
    if row is None:
        abort(404)
    # `published` is the home's published revision, so the only refusal acknowledge knows cannot happen here.
    return _attempt(lambda: plans.acknowledge(row, current_user),
                    done=lambda ack: ("Tak. Du har bekræftet, at du har læst og forstået tilbudsplanen." if ack else
                                      "Du har allerede bekræftet tilbudsplanen."),
                    then=url_for("competence.tilbudsplan", aar=year),
                    refused=url_for("competence.tilbudsplan", aar=year))


@bp.get("/tilbudsplan/history")
@login_required
@requires("competence.tilbudsplan")
def tilbudsplan_history():
    year = _year()
    revisions = [v for v in plans.versions(current_user.home_id, year)
                 if can(current_user, "competence.tilbudsplan", v)]
    return render_template("competence/tilbudsplan_history.html", year=year, revisions=revisions)


def _revision(version_id: int) -> TilbudsplanVersion:
    row = db.session.get(TilbudsplanVersion, version_id)
    if row is None or row.home_id != current_user.home_id:
        abort(404)
    authorize("competence.tilbudsplan", row)
    return row


@bp.get("/tilbudsplan/revision/<int:version_id>")
@login_required
def tilbudsplan_revision(version_id: int):
    row = _revision(version_id)
    return render_template("competence/tilbudsplan_revision.html", version=row, decisions=plans.decisions(row))


@bp.get("/tilbudsplan/revision/<int:version_id>/print")
@login_required
def tilbudsplan_print(version_id: int):
    row = _revision(version_id)
    return render_template("competence/tilbudsplan_print.html", version=row, decisions=plans.decisions(row))
