"""Checklists: a person's own, one checklist with ticking and sign-off, the leaders' overview, assignment."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.database import danish
from app.extensions import db
from app.onboarding import bp
from app.onboarding.constants import COMPLETED_BY_LABELS, KIND_LABELS, STUCK_DAYS
from app.onboarding.forms import AssignForm, CompleteItemForm
from app.onboarding.links import guideline_url
from app.onboarding.models import Checklist, ChecklistItem, ChecklistTemplate
from app.onboarding.overview import rows_for
from app.onboarding.services import (
    NotAllowed,
    OnboardingError,
    assign,
    checklists_for,
    complete_item,
    may_sign_off,
    missed_last_meeting,
)
from app.people.models import Department, Membership, User
from app.permissions import authorize, can, requires


def _checklist_or_404(checklist_id: int) -> Checklist:
    checklist = db.session.get(Checklist, checklist_id, options=[
        selectinload(Checklist.items).selectinload(ChecklistItem.completer),
        selectinload(Checklist.user).selectinload(User.departments),
    ])
    if checklist is None or checklist.home_id != current_user.home_id:
        abort(404)
    return checklist


def _may_complete(item: ChecklistItem, person: User) -> bool:
    if item.is_done or person.has_left(clock.today()):
        return False
    if item.is_leader_item:
        return may_sign_off(current_user, person)
    return current_user.id == person.id


def _led_departments() -> list[Department] | None:
    """The departments the user leads (None: the head sees the whole home)."""
    if current_user.has_role("head"):
        return None
    return [d for d in current_user.departments if d.is_active]


def _render_checklist(checklist: Checklist, *, errors=None, posted=None, status=200):
    person = checklist.user
    return render_template(
        "onboarding/checklist.html", checklist=checklist, person=person, errors=errors or {}, posted=posted or {},
        may_complete={i.id: _may_complete(i, person) for i in checklist.items}, guideline_url=guideline_url,
        LABELS=COMPLETED_BY_LABELS, KIND_LABELS=KIND_LABELS,
        missed=missed_last_meeting(person.home_id, [person], clock.today()).get(person.id),
    ), status


@bp.get("/")
@login_required
def index():
    if can(current_user, "onboarding.overview"):
        return redirect(url_for("onboarding.overview"))
    return redirect(url_for("onboarding.mine"))


@bp.get("/mine")
@login_required
def mine():
    today = clock.today()
    checklists = checklists_for([current_user.id])[current_user.id]
    if len(checklists) == 1:
        return _render_checklist(checklists[0])
    return render_template("onboarding/mine.html", checklists=checklists, today=today,
                           missed=missed_last_meeting(current_user.home_id, [current_user], today).get(current_user.id))


@bp.get("/checklists/<int:checklist_id>")
@login_required
def checklist(checklist_id: int):
    found = _checklist_or_404(checklist_id)
    authorize("onboarding.view_checklist", found)
    return _render_checklist(found)


@bp.post("/checklists/<int:checklist_id>/items/<int:item_id>")
@login_required
def complete(checklist_id: int, item_id: int):
    found = _checklist_or_404(checklist_id)
    item = next((i for i in found.items if i.id == item_id), None)
    if item is None:
        abort(404)
    if not can(current_user, "onboarding.view_checklist", found):
        if current_user.is_leader:
            flash(_("Kun en leder af %(name)ss afdeling eller tilbudslederen kan kvittere på tjeklisten.",
                    name=found.user.name), "error")
        else:
            flash(_("Du kan kun afkrydse på din egen tjekliste."), "error")
        abort(403)
    form = CompleteItemForm()
    posted = {"item_id": item.id, "done_on": request.form.get("done_on", ""), "note": request.form.get("note", "")}
    if not form.validate_on_submit():
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        if "csrf_token" in form.errors:
            abort(400)
        return _render_checklist(found, errors={item.id: message or _("Tjek det indtastede.")}, posted=posted,
                                 status=400)
    try:
        complete_item(item, current_user, done_on=form.done_on.data, note=form.note.data or "", today=clock.today())
        db.session.commit()
    except NotAllowed as error:
        db.session.rollback()
        flash(str(error), "error")
        abort(403)
    except OnboardingError as error:
        db.session.rollback()
        return _render_checklist(_checklist_or_404(checklist_id), errors={item_id: str(error)}, posted=posted,
                                 status=400)
    except StaleDataError:
        db.session.rollback()
        flash(_("Punktet er blevet ændret af en anden i mellemtiden. Se den opdaterede tjekliste."), "error")
        return _render_checklist(_checklist_or_404(checklist_id), status=409)
    flash(_("Kvitteret: %(text)s", text=item.text) if item.is_leader_item else _("Afkrydset: %(text)s",
                                                                                    text=item.text), "success")
    return redirect(url_for("onboarding.checklist", checklist_id=found.id, _anchor=f"punkt-{item.id}"))


@bp.get("/overview")
@login_required
@requires("onboarding.overview")
def overview():
    today = clock.today()
    led = _led_departments()
    if led is None:
        departments = db.session.scalars(select(Department).where(Department.home_id == current_user.home_id)
                                         .order_by(danish(Department.name))).all()
    else:
        departments = led
    department_id = request.args.get("afdeling", type=int)
    if department_id is not None and department_id not in {d.id for d in departments}:
        abort(404)
    include_left = request.args.get("vis") == "alle"
    scope = [department_id] if department_id else (None if led is None else [d.id for d in led])
    rows = rows_for(current_user.home_id, scope, today, include_left=include_left)
    return render_template("onboarding/overview.html", rows=rows, departments=departments,
                           department_id=department_id, include_left=include_left, today=today,
                           STUCK_DAYS=STUCK_DAYS, KIND_LABELS=KIND_LABELS)


@bp.route("/assign", methods=["GET", "POST"])
@login_required
@requires("onboarding.overview")
def assign_checklist():
    led = _led_departments()
    people_query = select(User).where(User.home_id == current_user.home_id, User.id != current_user.id,
                                      (User.left_on.is_(None)) | (User.left_on > clock.today()))
    if led is not None:
        people_query = people_query.where(User.id.in_(select(Membership.user_id).where(
            Membership.department_id.in_([d.id for d in led]))))
    people = db.session.scalars(people_query.order_by(danish(User.name))).all()
    templates = db.session.scalars(select(ChecklistTemplate).where(
        ChecklistTemplate.home_id == current_user.home_id, ChecklistTemplate.is_retired.is_(False))
        .order_by(danish(ChecklistTemplate.name))).all()
    form = AssignForm(people=people, templates=templates)
    if request.method == "GET" and request.args.get("person", type=int):
        form.user_id.data = request.args.get("person", type=int)
    if form.validate_on_submit():
        person = db.session.get(User, form.user_id.data)
        template = db.session.get(ChecklistTemplate, form.template_id.data)
        authorize("onboarding.assign", person)
        try:
            created = assign(person, template, current_user, clock.today())
        except OnboardingError as error:
            db.session.rollback()
            form.template_id.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s har fået tjeklisten »%(title)s«.", name=person.name, title=created.title), "success")
            return redirect(url_for("onboarding.checklist", checklist_id=created.id))
    return render_template("onboarding/assign.html", form=form, has_choices=bool(people and templates)), (
        400 if form.errors else 200)


from app.onboarding import meeting_routes, template_routes  # noqa: E402,F401
