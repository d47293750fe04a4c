"""Children's pages. Every rendered page about one child writes one access-log row (who, when, which view)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.children import bp, pages
from app.children.forms import (
    ChildForm,
    EndReferralForm,
    LeaveForm,
    MoveForm,
    PhysioPlanForm,
    PlanForm,
    ReferralForm,
    TeamForm,
)
from app.children.models import (
    Child,
    ChildAccessLog,
    ChildMove,
    ContactTeamMember,
    IndividualPlanUpdate,
    PhysioReferral,
)
from app.children.operations import (
    ChildrenError,
    add_physio_plan,
    add_plan_update,
    add_referral,
    admit_child,
    confirm_handover,
    end_referral,
    log_access,
    log_reads,
    move_child,
    record_leaving,
    set_contact_team,
    update_child,
)
from app.extensions import db
from app.need_to_know import may_see_contact_team
from app.onboarding.temps import active_restrictions
from app.params import int_arg
from app.people.models import Department, Membership, User
from app.permissions import authorize, can, is_head, leads_department, requires

CHANGED_MEANWHILE = ("Barnets oplysninger er ændret af en anden, mens du redigerede. Dine indtastninger er "
                     "bevaret herunder; tjek dem mod de nye oplysninger, og gem igen.")
TEMP_ONLY = "Som vikar kan du kun se barnets navn, afdeling og om du har læst overleveringen af den aktuelle plan."
LOG_PAGE_SIZE = 200


def _child_or_404(child_id: int) -> Child:
    child = db.session.get(Child, child_id)
    if child is None or child.home_id != current_user.home_id:
        abort(404)
    return child


def _load(child_id: int, action: str) -> Child:
    child = _child_or_404(child_id)
    if action == "children.history" and current_user.is_temp and can(current_user, "children.view", child):
        flash(TEMP_ONLY, "error")
    authorize(action, child)
    return child


def _page(child: Child, view: str, template: str, status: int = 200, **context):
    """Log the read of a page about one child, then render it."""
    log_access(child, current_user, view)
    return render_template(template, child=child, **context), status


def _departments(only_ids=None) -> list[Department]:
    return pages.departments(current_user.home_id, only_ids)


def _keepable_departments() -> list[Department]:
    """Departments the current user may admit children to."""
    if is_head(current_user):
        return _departments()
    return [d for d in _departments(current_user.department_ids) if leads_department(current_user, d.id)]


@bp.get("/")
@login_required
@requires("children.list")
def index():
    department_ids = None if is_head(current_user) else tuple(sorted(current_user.department_ids))
    if current_user.is_temp:
        listed = pages.temp_index(current_user.home_id, department_ids)
        log_reads(listed.child_ids, current_user, "list")
        return render_template("children/index_temp.html", content=listed.html,
                               restrictions=active_restrictions(current_user.home_id))
    show_left = request.args.get("status") == "left"
    listed = pages.index_table(current_user.home_id, department_ids, show_left)
    log_reads(listed.child_ids, current_user, "list")
    return render_template("children/index.html", show_left=show_left, table=listed.html)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@requires("children.admit")
def create():
    departments = _keepable_departments()
    form = ChildForm(departments=departments)
    if form.validate_on_submit():
        if form.department_id.data not in {d.id for d in departments}:
            form.department_id.errors.append("Du kan kun indskrive børn i en afdeling, du er leder af.")
        else:
            try:
                child = admit_child(current_user.home, form.data, current_user)
            except ChildrenError as error:
                db.session.rollback()
                form.department_id.errors.append(str(error))
            else:
                db.session.commit()
                flash("Barnet er indskrevet. Sæt nu kontaktteamet.", "success")
                return redirect(url_for("children.team", child_id=child.id))
    return render_template("children/form.html", form=form, child=None), 400 if form.errors else 200


@bp.get("/<int:child_id>")
@login_required
def show(child_id: int):
    child = _load(child_id, "children.view")
    if current_user.is_temp:
        plan, has_read = pages.handover_status([child]).get(child.id, (None, False))
        return _page(child, "temp", "children/show_temp.html", plan=plan, has_read=has_read,
                     team=pages.current_team(child, clock.today())
                     if may_see_contact_team(current_user, child) else [],
                     restrictions=active_restrictions(current_user.home_id))
    return _page(child, "page", "children/show.html", **pages.child_page(child))


@bp.get("/<int:child_id>/history")
@login_required
def history(child_id: int):
    child = _load(child_id, "children.history")
    moves = db.session.scalars(select(ChildMove).options(
        joinedload(ChildMove.from_department), joinedload(ChildMove.to_department), joinedload(ChildMove.moved_by))
        .where(ChildMove.child_id == child.id).order_by(ChildMove.moved_on, ChildMove.id)).all()
    team = db.session.scalars(select(ContactTeamMember).options(joinedload(ContactTeamMember.user))
                              .where(ContactTeamMember.child_id == child.id)
                              .order_by(ContactTeamMember.from_on.desc(), ContactTeamMember.id.desc())).all()
    plans = db.session.scalars(select(IndividualPlanUpdate).options(
        selectinload(IndividualPlanUpdate.goals), joinedload(IndividualPlanUpdate.updated_by))
        .where(IndividualPlanUpdate.child_id == child.id)
        .order_by(IndividualPlanUpdate.updated_on.desc(), IndividualPlanUpdate.id.desc())).all()
    referrals = db.session.scalars(
        select(PhysioReferral).options(selectinload(PhysioReferral.plan_updates))
        .where(PhysioReferral.child_id == child.id).order_by(PhysioReferral.referred_on.desc())).all()
    return _page(child, "history", "children/history.html", moves=moves, team=team, plans=plans,
                 referrals=referrals)


@bp.route("/<int:child_id>/edit", methods=["GET", "POST"])
@login_required
def edit(child_id: int):
    child = _load(child_id, "children.manage")
    form = ChildForm(obj=child, departments=[child.department])
    del form.department_id
    if request.method == "GET":
        form.version.data = str(child.version)
    status = 200
    if form.validate_on_submit():
        if form.version.data != str(child.version):
            form.form_errors.append(CHANGED_MEANWHILE)
            return _page(child, "edit", "children/form.html", 409, form=form)
        try:
            update_child(child, form.data, current_user)
            db.session.commit()
        except ChildrenError as error:
            db.session.rollback()
            form.admitted_on.errors.append(str(error))
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(CHANGED_MEANWHILE)
            return _page(_child_or_404(child_id), "edit", "children/form.html", 409, form=form)
        else:
            flash("Barnets oplysninger er gemt.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    if form.errors:
        status = 400
    return _page(child, "edit", "children/form.html", status, form=form)


@bp.route("/<int:child_id>/move", methods=["GET", "POST"])
@login_required
def move(child_id: int):
    child = _load(child_id, "children.manage")
    form = MoveForm(departments=[d for d in _departments() if d.id != child.department_id])
    if request.method == "GET":
        form.moved_on.data = clock.today()
    if form.validate_on_submit():
        try:
            move_child(child, form.department_id.data, form.moved_on.data, current_user, clock.today())
        except ChildrenError as error:
            db.session.rollback()
            form.department_id.errors.append(str(error))
        else:
            db.session.commit()
            flash("Barnet er flyttet. Afdelingens leder skal nu sætte et nyt kontaktteam.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    return _page(child, "move", "children/move.html", 400 if form.errors else 200, form=form)


@bp.route("/<int:child_id>/leave", methods=["GET", "POST"])
@login_required
def leave(child_id: int):
    child = _load(child_id, "children.manage")
    form = LeaveForm()
    if request.method == "GET":
        form.left_on.data = clock.today()
    if form.validate_on_submit():
        try:
            record_leaving(child, form.left_on.data, current_user)
        except ChildrenError as error:
            db.session.rollback()
            form.left_on.errors.append(str(error))
        else:
            db.session.commit()
            flash("Fraflytningen er registreret. Barnets historik er bevaret.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    return _page(child, "leave", "children/leave.html", 400 if form.errors else 200, form=form)


def _department_staff(department_id: int) -> list[User]:
    today = clock.today()
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department_id, User.is_disabled.is_(False),
               or_(User.left_on.is_(None), User.left_on > today), User.employment_type == "permanent")
        .order_by(User.name_sort_key)))


@bp.route("/<int:child_id>/team", methods=["GET", "POST"])
@login_required
def team(child_id: int):
    child = _load(child_id, "children.manage")
    today = clock.today()
    form = TeamForm(staff=_department_staff(child.department_id))
    if request.method == "GET":
        current = [m for m in db.session.scalars(
            select(ContactTeamMember).where(ContactTeamMember.child_id == child.id)) if m.is_current(today)]
        form.members.data = [m.user_id for m in current]
        form.coordinator.data = next((m.user_id for m in current if m.is_coordinator), 0)
    if form.validate_on_submit():
        try:
            set_contact_team(child, form.members.data or [], form.coordinator.data or None, current_user, today)
        except ChildrenError as error:
            db.session.rollback()
            form.members.errors.append(str(error))
        else:
            db.session.commit()
            flash("Kontaktteamet er gemt.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    minimum = current_user.home.setting("contact_team_min")
    return _page(child, "team", "children/team.html", 400 if form.errors else 200, form=form, minimum=minimum)


@bp.route("/<int:child_id>/plan", methods=["GET", "POST"])
@login_required
def plan(child_id: int):
    child = _load(child_id, "children.plan")
    form = PlanForm()
    if request.method == "GET":
        form.updated_on.data = clock.today()
        previous = db.session.scalar(
            select(IndividualPlanUpdate).options(selectinload(IndividualPlanUpdate.goals))
            .where(IndividualPlanUpdate.child_id == child.id)
            .order_by(IndividualPlanUpdate.updated_on.desc(), IndividualPlanUpdate.id.desc()).limit(1))
        if previous is not None:
            for entry, goal in zip(form.goals.entries, previous.goals, strict=False):
                entry.form.title.data, entry.form.is_sub_goal.data = goal.title, goal.is_sub_goal
                entry.form.status.data = goal.status
    if form.validate_on_submit():
        try:
            add_plan_update(child, form.updated_on.data, form.goals.data, current_user, clock.today())
        except ChildrenError as error:
            db.session.rollback()
            form.updated_on.errors.append(str(error))
        else:
            db.session.commit()
            flash("Opdateringen af den individuelle plan er registreret.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    interval = current_user.home.setting("plan_interval_months")
    return _page(child, "plan", "children/plan.html", 400 if form.errors else 200, form=form, interval=interval)


@bp.route("/<int:child_id>/physio/new", methods=["GET", "POST"])
@login_required
def referral(child_id: int):
    child = _load(child_id, "children.plan")
    form = ReferralForm()
    if form.validate_on_submit():
        try:
            add_referral(child, form.referred_on.data, current_user, clock.today())
        except ChildrenError as error:
            db.session.rollback()
            form.referred_on.errors.append(str(error))
        else:
            db.session.commit()
            flash("Henvisningen til fysioterapi er registreret. Husk behandlingsplanen.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    return _page(child, "physio", "children/physio_form.html", 400 if form.errors else 200, form=form,
                 heading="Henvisning til fysioterapi")


def _referral_or_404(child: Child, referral_id: int) -> PhysioReferral:
    referral = db.session.get(PhysioReferral, referral_id)
    if referral is None or referral.child_id != child.id:
        abort(404)
    return referral


@bp.route("/<int:child_id>/physio/<int:referral_id>/plan", methods=["GET", "POST"])
@login_required
def physio_plan(child_id: int, referral_id: int):
    child = _load(child_id, "children.plan")
    referral = _referral_or_404(child, referral_id)
    form = PhysioPlanForm()
    if form.validate_on_submit():
        try:
            add_physio_plan(child, referral, form.updated_on.data, form.next_follow_up_on.data, current_user,
                            clock.today())
        except ChildrenError as error:
            db.session.rollback()
            form.updated_on.errors.append(str(error))
        else:
            db.session.commit()
            flash("Den fysioterapeutiske behandlingsplan er registreret.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    return _page(child, "physio", "children/physio_form.html", 400 if form.errors else 200, form=form,
                 heading="Fysioterapeutisk behandlingsplan")


@bp.route("/<int:child_id>/physio/<int:referral_id>/end", methods=["GET", "POST"])
@login_required
def end_physio(child_id: int, referral_id: int):
    child = _load(child_id, "children.plan")
    referral = _referral_or_404(child, referral_id)
    form = EndReferralForm()
    if form.validate_on_submit():
        try:
            end_referral(child, referral, form.ended_on.data, current_user)
        except ChildrenError as error:
            db.session.rollback()
            form.ended_on.errors.append(str(error))
        else:
            db.session.commit()
            flash("Henvisningen er afsluttet.", "success")
            return redirect(url_for("children.show", child_id=child.id))
    return _page(child, "physio", "children/physio_form.html", 400 if form.errors else 200, form=form,
                 heading="Afslut henvisning til fysioterapi", confirm="Afslut henvisningen til fysioterapi?")


@bp.post("/<int:child_id>/handover/<int:plan_id>")
@login_required
def handover(child_id: int, plan_id: int):
    child = _load(child_id, "children.view")
    plan_update = db.session.get(IndividualPlanUpdate, plan_id)
    if plan_update is None or plan_update.child_id != child.id:
        abort(404)
    if confirm_handover(plan_update, current_user):
        db.session.commit()
        flash("Tak. Det er registreret, at du har læst overleveringen.", "success")
    else:
        flash("Du har allerede bekræftet at have læst overleveringen.", "info")
    return redirect(url_for("children.show", child_id=child.id))


def _scope_from_request() -> tuple[Department | None, list[int] | None]:
    """The department asked for (404 when it is another home's), or the user's whole scope."""
    department_id = int_arg("afdeling")
    if department_id:
        department = db.session.get(Department, department_id)
        if department is None or department.home_id != current_user.home_id:
            abort(404)
        return department, [department.id]
    if is_head(current_user):
        return None, None
    return None, [d for d in current_user.department_ids if leads_department(current_user, d)]


@bp.get("/checks")
@login_required
def checks():
    department, department_ids = _scope_from_request()
    authorize("children.checks", department.id if department else None)
    picker_ids = None if is_head(current_user) else [
        d for d in current_user.department_ids if leads_department(current_user, d)]
    listed = pages.checks_body(department, department_ids, picker_ids)
    log_reads(listed.child_ids, current_user, "checks")
    return render_template("children/checks.html", content=listed.html)


@bp.get("/log")
@login_required
def access_log():
    department, department_ids = _scope_from_request()
    child_id = int_arg("barn")
    child = _child_or_404(child_id) if child_id else None
    authorize("children.log", child)
    if department is not None:
        authorize("children.checks", department.id)
    page = max(int_arg("side", 1) or 1, 1)
    query = (select(ChildAccessLog).join(Child, Child.id == ChildAccessLog.child_id)
             .options(joinedload(ChildAccessLog.user), joinedload(ChildAccessLog.child))
             .where(ChildAccessLog.home_id == current_user.home_id))
    if department_ids is not None:
        query = query.where(Child.department_id.in_(department_ids))
    if child is not None:
        query = query.where(ChildAccessLog.child_id == child.id)
    rows = db.session.scalars(query.order_by(ChildAccessLog.at.desc(), ChildAccessLog.id.desc())
                              .offset((page - 1) * LOG_PAGE_SIZE).limit(LOG_PAGE_SIZE + 1)).all()
    departments = _departments() if is_head(current_user) else _departments(
        [d for d in current_user.department_ids if leads_department(current_user, d)])
    return render_template("children/log.html", rows=rows[:LOG_PAGE_SIZE], has_next=len(rows) > LOG_PAGE_SIZE,
                           page=page, department=department, departments=departments, child=child)
