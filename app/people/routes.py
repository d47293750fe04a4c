from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app import clock
from app.exports import Table, respond
from app.extensions import db
from app.links import may_follow
from app.params import int_arg
from app.people import bp
from app.people.constants import EMPLOYMENT_LABELS, HOME_SETTING_DEFAULTS, PROFESSION_LABELS, ROLE_LABELS
from app.people.forms import DepartmentForm, EmployeeForm, HomeSettingsForm, LeaveForm
from app.people.grants import grantable_roles, role_history
from app.people.listing import home_departments, listing, people_query
from app.people.models import Department, Membership, ResourceFunction, User
from app.people.services import (
    PeopleError,
    create_employee,
    new_start_code,
    record_leaving,
    save_department,
    update_employee,
    update_home_settings,
)
from app.permissions import authorize, can, requires

_LABELS = {"employment": EMPLOYMENT_LABELS, "profession": PROFESSION_LABELS, "role": ROLE_LABELS}


def _home_departments():
    return db.session.scalars(
        select(Department).where(Department.home_id == current_user.home_id).order_by(Department.name_sort_key)
    ).all()


def _person_or_404(person_id: int) -> User:
    """A person of the viewer's home (anyone else's is not found)."""
    return db.first_or_404(select(User).where(User.id == person_id, User.home_id == current_user.home_id))


@bp.get("/")
@login_required
@requires("people.list")
def index():
    q = request.args.get("q", "").strip()[:100]
    department_id = int_arg("afdeling")
    status = request.args.get("status", "current")
    page = max(int_arg("side", 1) or 1, 1)
    viewer, today = current_user._get_current_object(), clock.today()
    people = listing(viewer.home_id, q=q, department_id=department_id, status=status, page=page, today=today,
                     viewer=viewer)
    # A name links to the person's page only where the viewer may open it (the rule of people.show).
    linked = {p.id for p in people.items if may_follow("people.show", p, viewer)}
    labels = {kind: {key: str(label) for key, label in by_key.items()} for kind, by_key in _LABELS.items()}
    return render_template("people/index.html", people=people, departments=home_departments(viewer.home_id, viewer),
                           q=q, department_id=department_id, status=status, page=page, linked=linked,
                           today=today, labels=labels)


@bp.get("/export.<fmt>")
@login_required
@requires("people.list")
def export(fmt: str):
    """The list as a spreadsheet, with the page's filters: the same people (those the viewer may open) and columns
    as the page shows."""
    status = request.args.get("status", "current")
    today = clock.today()
    rows = db.session.scalars(people_query(current_user.home_id, q=request.args.get("q", "").strip()[:100],
                                           department_id=int_arg("afdeling"), status=status, today=today,
                                           viewer=current_user)).all()
    table = Table("Medarbejdere", ["Navn", "Afdelinger", "Ansættelse", "Faggruppe", "Faglært", "Roller",
                                   "Ansat fra", "Fratrådt"])
    table.rows.extend([p.name, ", ".join(d.name for d in p.departments), str(EMPLOYMENT_LABELS[p.employment_type]),
                       str(PROFESSION_LABELS[p.profession]), "Ja" if p.is_skilled else "Nej",
                       ", ".join(str(ROLE_LABELS[r.role]) for r in p.role_rows), p.hired_on,
                       "Ja" if p.has_left(today) else "Nej"]
                      for p in rows)
    table.totals = ["I alt", f"{len(rows)} personer"] + [""] * 6
    return respond(table, fmt, f"medarbejdere-{clock.today():%Y-%m-%d}")


@bp.get("/<int:person_id>")
@login_required
def show(person_id: int):
    person = _person_or_404(person_id)
    authorize("people.view", person)
    return render_template("people/show.html", person=person, labels=_LABELS,
                           leave_form=LeaveForm(left_on=clock.today()), role_history=role_history(person))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@requires("people.manage")
def create():
    form = EmployeeForm(home_id=current_user.home_id, departments=_home_departments(),
                        grantable=grantable_roles(current_user, None), actor=current_user)
    if form.validate_on_submit():
        try:
            person, code = create_employee(current_user.home, form.data, form.resource_topics(), clock.today(),
                                           roles=form.wanted_roles(), actor=current_user)
        except PeopleError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s er oprettet. Startkode til første login: %(code)s (vises kun nu).",
                    name=person.name, code=code), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=None, role_labels=ROLE_LABELS), (
        400 if form.errors else 200)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit(person_id: int):
    person = _person_or_404(person_id)
    authorize("people.manage", person)
    form = EmployeeForm(obj=person, person=person, home_id=current_user.home_id, departments=_home_departments(),
                        grantable=grantable_roles(current_user, person), actor=current_user)
    if request.method == "GET":
        form.departments.data = sorted(person.department_ids)
        if "roles" in form:
            form.roles.data = sorted(person.roles)
        form.resource_functions.data = "\n".join(rf.topic for rf in person.resource_functions)
    if form.validate_on_submit():
        try:
            update_employee(person, form.data, form.resource_topics(), clock.today(), roles=form.wanted_roles(),
                            actor=current_user)
        except PeopleError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Ændringerne er gemt."), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=person, role_labels=ROLE_LABELS), (
        400 if form.errors else 200)


@bp.post("/<int:person_id>/leave")
@login_required
def leave(person_id: int):
    person = _person_or_404(person_id)
    authorize("people.manage", person)
    form = LeaveForm()
    if not form.validate_on_submit():
        flash(_("Skriv en gyldig fratrædelsesdato."), "error")
        return redirect(url_for("people.show", person_id=person.id)), 400
    try:
        record_leaving(person, form.left_on.data)
    except PeopleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("people.show", person_id=person.id)), 400
    db.session.commit()
    flash(_("Fratrædelsen er registreret. Personens historik er bevaret."), "success")
    return redirect(url_for("people.show", person_id=person.id))


@bp.post("/<int:person_id>/start-code")
@login_required
def start_code(person_id: int):
    person = _person_or_404(person_id)
    authorize("people.manage", person)
    if not can(current_user, "people.start_code", person):
        flash(_("Du kan ikke give %(name)s en ny startkode: personen har en rolle, du ikke selv kan give. "
                "Bed tilbudslederen om det.", name=person.name), "error")
        abort(403)
    code = new_start_code(person)
    db.session.commit()
    flash(_("Ny startkode til %(name)s: %(code)s (vises kun nu).", name=person.name, code=code), "success")
    return redirect(url_for("people.show", person_id=person.id))


@bp.get("/resources")
@login_required
def resources():
    """The register of resource persons in the home, searchable by topic."""
    q = request.args.get("q", "").strip()[:100]
    today = clock.today()
    query = (
        select(ResourceFunction).join(User)
        .where(User.home_id == current_user.home_id, or_(User.left_on.is_(None), User.left_on > today))
        .options(selectinload(ResourceFunction.user).selectinload(User.departments))
    )
    if q:
        query = query.where(func.lower(ResourceFunction.topic).like(f"%{q.lower()}%"))
    rows = db.session.scalars(query.order_by(ResourceFunction.topic_sort_key, User.name_sort_key)).all()
    return render_template("people/resources.html", rows=rows, q=q)


@bp.get("/organisation")
@login_required
@requires("org.manage")
def organisation():
    counts = dict(db.session.execute(
        select(Membership.department_id, func.count(Membership.user_id))
        .join(User, User.id == Membership.user_id)
        .where(User.home_id == current_user.home_id, or_(User.left_on.is_(None), User.left_on > clock.today()))
        .group_by(Membership.department_id)
    ).all())
    departments = db.session.scalars(
        select(Department).where(Department.home_id == current_user.home_id)
        .options(selectinload(Department.methods)).order_by(Department.name_sort_key)
    ).all()
    return render_template("people/organisation.html", departments=departments, counts=counts,
                           home=current_user.home)


@bp.route("/departments/new", methods=["GET", "POST"])
@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@login_required
@requires("org.manage")
def department_form(department_id: int | None = None):
    department = None
    if department_id is not None:
        department = db.first_or_404(select(Department).where(Department.id == department_id,
                                                               Department.home_id == current_user.home_id))
    form = DepartmentForm(obj=department)
    if request.method == "GET" and department is not None:
        form.methods.data = "\n".join(m.name for m in department.methods if m.is_active)
    if form.validate_on_submit():
        try:
            saved = save_department(current_user.home, department, form.name.data, form.method_names())
        except PeopleError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Afdelingen %(name)s er gemt.", name=saved.name), "success")
            return redirect(url_for("people.organisation"))
    return render_template("people/department_form.html", form=form, department=department), (
        400 if form.errors else 200)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@requires("org.manage")
def settings():
    home = current_user.home
    form = HomeSettingsForm(obj=home)
    if request.method == "GET":
        for key in ("wish_deadline_day", "wish_deadline_month", "contact_team_min", "plan_interval_months",
                    "physio_interval_months", "first_talk_months", "quality_green", "quality_yellow",
                    "framework_agency"):
            getattr(form, key).data = home.setting(key)
        form.temp_meeting_first.data, form.temp_meeting_second.data = home.setting("temp_meeting_months")
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in (
            "wish_deadline_day", "wish_deadline_month", "contact_team_min", "plan_interval_months",
            "physio_interval_months", "quality_green", "quality_yellow")}
        # Left blank it is the guideline's yearly interval again.
        values["first_talk_months"] = form.first_talk_months.data or HOME_SETTING_DEFAULTS["first_talk_months"]
        values["framework_agency"] = " ".join((form.framework_agency.data or "").split())
        values["temp_meeting_months"] = sorted([form.temp_meeting_first.data, form.temp_meeting_second.data])
        update_home_settings(home, form.name.data, values)
        db.session.commit()
        flash(_("Indstillingerne er gemt."), "success")
        return redirect(url_for("people.organisation"))
    return render_template("people/settings.html", form=form), 400 if form.errors else 200
