"""Pages for wishes and the October overview. The distribution, supervision, courses and the plan live in
funds_routes.py and course_routes.py (imported at the end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.competence import bp, exports
from app.competence.forms import OverviewForm, OwnWishForm, WishForm
from app.competence.models import CourseWish, DepartmentOverview, wish_deadline
from app.competence.services import (
    CompetenceError,
    StaleError,
    completed_courses,
    department_wishes,
    forward_overview,
    forwarded_departments,
    is_deadline_passed,
    missing_submitters,
    money_input,
    next_funds_year,
    open_funds_year,
    overview_for,
    reopen_overview,
    round_text,
    save_overview,
    submit_wish,
    update_wish,
    withdraw_wish,
)
from app.extensions import db
from app.params import int_arg
from app.people.models import Department, User
from app.permissions import authorize, can, requires


def year_arg(default: int | None = None) -> int:
    year = int_arg("aar") or default or next_funds_year()
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def department_or_404(department_id: int) -> Department:
    department = db.session.get(Department, department_id)
    if department is None or department.home_id != current_user.home_id:
        abort(404)
    return department


def wish_or_404(wish_id: int) -> CourseWish:
    wish = db.session.get(CourseWish, wish_id)
    if wish is None or wish.home_id != current_user.home_id:
        abort(404)
    return wish


def led_departments(user) -> list[Department]:
    """The departments whose overview the user handles: all for the tilbudsleder, their own for a leader."""
    query = select(Department).where(Department.home_id == user.home_id, Department.is_active.is_(True))
    departments = db.session.scalars(query.options(selectinload(Department.methods))
                                     .order_by(Department.name_sort_key)).all()
    return [d for d in departments if can(user, "competence.overview", d)]


def _wish_data(form: WishForm) -> dict:
    return {key: getattr(form, key).data for key in (
        "year", "kind", "title", "provider", "cost", "days", "hours", "methods", "responsibility_areas", "reason")}


@dataclass
class MyWishRound:
    """The person's wishes for one funds year, under a heading naming the round and whether it is open."""

    year: int
    heading: str
    is_open: bool
    wishes: list[CourseWish]


@bp.get("/")
@login_required
@requires("competence.wish_own")
def my_wishes():
    # The open round is asked of the clock on every request: it moves on at the end of the deadline day, judged
    # by when the request arrived.
    home = current_user.home
    open_year = open_funds_year(home)
    forwarded = forwarded_departments(current_user.departments, open_year)
    # Every department of the person has forwarded its overview: no new wish can join it, so say so up front.
    locked = _locked_message(open_year) if forwarded and len(forwarded) == len(current_user.departments) else ""
    # From the day after a deadline to New Year the round just closed is being handled while the next is open.
    closed_year = open_year - 1 if open_year - 1 > clock.to_local(clock.received_at()).year else None
    wishes = db.session.scalars(
        select(CourseWish).where(CourseWish.user_id == current_user.id)
        .options(selectinload(CourseWish.methods), selectinload(CourseWish.home), selectinload(CourseWish.department))
        .order_by(CourseWish.year.desc(), CourseWish.submitted_at.desc())).all()
    rounds = []
    for year in sorted({w.year for w in wishes}, reverse=True):
        is_open = year >= open_year  # a later round's deadline is later still
        rounds.append(MyWishRound(year, round_text(home, year), is_open, [w for w in wishes if w.year == year]))
    return render_template(
        "competence/my_wishes.html", rounds=rounds, open_year=open_year, open_round=round_text(home, open_year),
        closed_year=closed_year, closed_deadline=closed_year and wish_deadline(home, closed_year), locked=locked,
        courses=completed_courses(current_user))


def _locked_message(year: int) -> str:
    return (f"Din afdelings oversigt over ønsker til kompetencemidlerne for {year} er sendt videre til "
            "tilbudslederen, så der kan ikke tilføjes flere ønsker. Kontakt din leder, hvis du stadig har et ønske.")


def _form_context():
    """Whose wish is being added: ?for=<person id> (a leader for an employee), ?afdeling=<id> (department)."""
    person_id = int_arg("for")
    department_id = int_arg("afdeling")
    if person_id:
        person = db.session.get(User, person_id)
        if person is None or person.home_id != current_user.home_id:
            abort(404)
        if person.id != current_user.id and not any(
                can(current_user, "competence.overview", d) for d in person.departments):
            abort(403)
        return person, list(person.departments)
    if department_id:
        department = department_or_404(department_id)
        authorize("competence.overview", department)
        return None, [department]
    authorize("competence.wish_own")
    return current_user, list(current_user.departments)


@bp.route("/wishes/new", methods=["GET", "POST"])
@login_required
def new_wish():
    person, departments = _form_context()
    if not departments:
        flash("Du er ikke tilknyttet en afdeling. Kontakt tilbudslederen.", "error")
        return redirect(url_for("dashboard.index"))
    home = current_user.home
    own = person is not None and person.id == current_user.id
    # An employee's own wish goes to the open round; a leader adding one for others picks the year (?aar=).
    open_year = open_funds_year(home)
    if request.method == "GET" and own:
        forwarded = forwarded_departments(departments, open_year)
        if forwarded and len(forwarded) == len(departments):
            flash(_locked_message(open_year), "info")
            return redirect(url_for("competence.my_wishes"))
    form = (OwnWishForm if own else WishForm)(departments=departments)
    if request.method == "GET":
        form.year.data = open_year if own else year_arg()
        form.department_id.data = departments[0].id
    status = 200
    if form.validate_on_submit():
        department = next(d for d in departments if d.id == form.department_id.data)
        try:
            wish = submit_wish(person, department, _wish_data(form), current_user)
        except CompetenceError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            status = 400
            if own and is_deadline_passed(home, form.year.data):
                form.year.data = open_year  # shown again for the round it would now go to, as the message says
        else:
            # Worded and addressed before the commit, which expires every loaded object: read afterwards, the wish,
            # its home and the department would each be loaded again only to say what is known already.
            if wish.is_late:
                message = "Ønsket er registreret og markeret som for sent indsendt."
            else:
                message = (f"Dit ønske til {round_text(home, wish.year)} er sendt til din leder." if own
                           else "Ønsket er registreret.")
            target = (url_for("competence.my_wishes") if own
                      else url_for("competence.overview", department_id=department.id, aar=wish.year))
            db.session.commit()
            flash(message, "success")
            return redirect(target)
    elif request.method == "POST":
        status = 400
        if own and form.year.errors:
            form.form_errors.extend(form.year.errors)  # a hidden field's error would show nowhere else
            form.year.data = open_year
    shown_year = form.year.data if isinstance(form.year.data, int) and 2000 <= form.year.data <= 2100 else (
        open_year if own else next_funds_year())
    closed = own and is_deadline_passed(home, shown_year)
    return render_template("competence/wish_form.html", form=form, wish=None, person=person, closed=closed,
                           deadline=wish_deadline(home, shown_year), year=shown_year,
                           round=round_text(home, shown_year) if own else None), status


@bp.route("/wishes/<int:wish_id>/edit", methods=["GET", "POST"])
@login_required
def edit_wish(wish_id: int):
    wish = wish_or_404(wish_id)
    authorize("competence.wish_edit", wish)
    form = WishForm(obj=wish, departments=[wish.department])
    if request.method == "GET":
        form.methods.data = [m.id for m in wish.methods]
        form.cost.data = money_input(wish.cost)
        form.days.data = "" if wish.days is None else str(wish.days).replace(".", ",")
        form.hours.data = "" if wish.hours is None else str(wish.hours).replace(".", ",")
        form.version.data = wish.version
    form.department_id.data = wish.department_id
    status = 200
    if form.validate_on_submit():
        try:
            version = int(form.version.data) if str(form.version.data or "").isdecimal() else wish.version
            update_wish(wish, _wish_data(form), current_user, version=version)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append("Ønsket er ændret af en anden i mellemtiden. Dine indtastninger er bevaret.")
            status = 409
        except CompetenceError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            status = 409 if isinstance(error, StaleError) else 400
        else:
            flash("Ønsket er gemt.", "success")
            if wish.user_id == current_user.id:
                return redirect(url_for("competence.my_wishes"))
            return redirect(url_for("competence.overview", department_id=wish.department_id, aar=wish.year))
    elif request.method == "POST":
        status = 400
    return render_template("competence/wish_form.html", form=form, wish=wish, person=wish.user, closed=False,
                           deadline=wish.deadline, year=wish.year, round=None), status


@bp.post("/wishes/<int:wish_id>/withdraw")
@login_required
def withdraw(wish_id: int):
    wish = wish_or_404(wish_id)
    authorize("competence.wish_edit", wish)
    try:
        withdraw_wish(wish, current_user)
    except CompetenceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(request.referrer or url_for("competence.my_wishes")), 303
    db.session.commit()
    flash("Ønsket er trukket tilbage. Det står stadig i historikken.", "success")
    if wish.user_id == current_user.id:
        return redirect(url_for("competence.my_wishes"))
    return redirect(url_for("competence.overview", department_id=wish.department_id, aar=wish.year))


@bp.get("/overview")
@login_required
@requires("competence.overview")
def overviews():
    year = year_arg()
    departments = led_departments(current_user)
    if len(departments) == 1 and not can(current_user, "competence.home"):
        return redirect(url_for("competence.overview", department_id=departments[0].id, aar=year))
    rows = []
    for department in departments:
        wishes = department_wishes(department.id, year)
        rows.append((department, overview_for(department.id, year), len(wishes), sum(w.cost for w in wishes),
                     len(missing_submitters(department.id, year))))
    return render_template("competence/overviews.html", rows=rows, year=year)


@dataclass
class OverviewPage:
    """The department's overview for a year (None before anything is saved), its wishes and who has not sent
    one: a query per list."""

    overview: DepartmentOverview | None
    locked: bool
    deadline: date
    wishes: list[CourseWish]
    total: Decimal
    missing: list[User]


def _overview_page(department: Department, year: int) -> OverviewPage:
    current = overview_for(department.id, year)
    wishes = department_wishes(department.id, year)
    return OverviewPage(overview=current, locked=bool(current and current.is_locked),
                        deadline=wish_deadline(current_user.home, year), wishes=wishes,
                        total=sum((w.cost for w in wishes), Decimal(0)),
                        missing=missing_submitters(department.id, year))


@bp.route("/overview/<int:department_id>", methods=["GET", "POST"])
@login_required
def overview(department_id: int):
    department = department_or_404(department_id)
    authorize("competence.overview", department)
    year = year_arg()
    page = _overview_page(department, year)
    form = OverviewForm(obj=page.overview)
    if request.method == "GET":
        form.version.data = page.overview.version if page.overview else ""
    status = 200
    if form.validate_on_submit():
        priorities = {}
        for wish in page.wishes:
            raw = (request.form.get(f"priority-{wish.id}") or "").strip()
            if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
                form.form_errors.append("Prioriteten skal være et helt tal (1 er højest).")
                break
            priorities[wish.id] = int(raw) if raw else None
        if not form.form_errors:
            try:
                version = int(form.version.data) if str(form.version.data or "").isdecimal() else None
                save_overview(department, year, priorities, form.recommendation.data, current_user, version)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                form.form_errors.append("Oversigten er ændret af en anden i mellemtiden. Dine indtastninger er "
                                        "bevaret.")
                status = 409
            except CompetenceError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
                status = 409 if isinstance(error, StaleError) else 400
            else:
                flash("Oversigten er gemt.", "success")
                return redirect(url_for("competence.overview", department_id=department.id, aar=year))
        else:
            status = 400
        page = _overview_page(department, year)
    elif request.method == "POST":
        status = 400
    return render_template("competence/overview.html", department=department, year=year, page=page, form=form,
                           posted=request.form if request.method == "POST" else None), status


@bp.post("/overview/<int:department_id>/forward")
@login_required
def forward(department_id: int):
    department = department_or_404(department_id)
    authorize("competence.overview", department)
    year = year_arg()
    return _overview_action(department, year, lambda: forward_overview(department, year, current_user),
                            "Oversigten er sendt til tilbudslederen og er nu låst.")


@bp.post("/overview/<int:department_id>/reopen")
@login_required
def reopen(department_id: int):
    department = department_or_404(department_id)
    authorize("competence.home")
    year = year_arg()
    current = overview_for(department.id, year)
    if current is None:
        abort(404)
    return _overview_action(department, year, lambda: reopen_overview(current, current_user),
                            "Oversigten er genåbnet; afdelingslederen kan rette den og sende den igen.")


def _overview_action(department, year: int, action, done_message: str):
    """Run a change to a department's overview: commit and confirm, or roll back and say why."""
    target = url_for("competence.overview", department_id=department.id, aar=year)
    try:
        action()
    except CompetenceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(target), 303
    db.session.commit()
    flash(done_message, "success")
    return redirect(target)


@bp.get("/overview/<int:department_id>/export.<fmt>")
@login_required
def export_overview(department_id: int, fmt: str):
    department = department_or_404(department_id)
    authorize("competence.overview", department)
    year = year_arg()
    table = exports.wish_table(department_wishes(department.id, year), f"Ønsker {department.name} {year}")
    return exports.respond(table, fmt, f"oenskeoversigt-{department.id}-{year}")


@bp.get("/wishes")
@login_required
@requires("competence.home")
def home_wishes():
    year = year_arg()
    home_id = current_user.home_id
    wishes = db.session.scalars(
        select(CourseWish).where(CourseWish.home_id == home_id, CourseWish.year == year,
                                 CourseWish.status == "submitted")
        .options(selectinload(CourseWish.user), selectinload(CourseWish.department), selectinload(CourseWish.home))
        .order_by(CourseWish.department_id, CourseWish.priority.is_(None), CourseWish.priority, CourseWish.id)).all()
    overviews_by_dep = {o.department_id: o for o in db.session.scalars(select(DepartmentOverview).where(
        DepartmentOverview.home_id == home_id, DepartmentOverview.year == year))}
    return render_template("competence/home_wishes.html", year=year, wishes=wishes, overviews=overviews_by_dep)


@bp.get("/wishes/export.<fmt>")
@login_required
@requires("competence.home")
def export_home_wishes(fmt: str):
    year = year_arg()
    wishes = db.session.scalars(
        select(CourseWish).where(CourseWish.home_id == current_user.home_id, CourseWish.year == year,
                                 CourseWish.status == "submitted")
        .options(selectinload(CourseWish.methods), selectinload(CourseWish.user),
                 selectinload(CourseWish.department), selectinload(CourseWish.home))
        .order_by(CourseWish.department_id, CourseWish.id)).all()
    return exports.respond(exports.wish_table(wishes, f"Ønsker {year}"), fmt, f"oensker-{year}")


from app.competence import course_routes, funds_routes, meeting_routes, tilbudsplan_routes  # noqa: E402,F401
