"""Checklists: a person's own, one checklist with ticking and sign-off, the leaders' overview, assignment."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.extensions import db
from app.onboarding import bp, pages
from app.onboarding.forms import AssignForm, CompleteItemForm
from app.onboarding.models import Checklist, ChecklistItem, ChecklistTemplate
from app.onboarding.services import (
    NotAllowed,
    OnboardingError,
    assign,
    complete_item,
)
from app.params import int_arg
from app.people.models import Membership, User
from app.permissions import authorize, can, requires
from app.web import genitive


def _checklist_or_404(checklist_id: int) -> Checklist:
    checklist = db.session.get(Checklist, checklist_id, options=[
        selectinload(Checklist.items).selectinload(ChecklistItem.completer),
        selectinload(Checklist.user).selectinload(User.departments),
    ])
    if checklist is None or checklist.home_id != current_user.home_id:
        abort(404)
    return checklist


def _render_checklist(page: pages.ChecklistPage, *, errors=None, posted=None, status=200):
    return render_template("onboarding/checklist.html", page=page, errors=errors or {}, posted=posted or {}), status


def _render_refused(checklist: Checklist, errors: dict[int, str], posted=None, status=400):
    """The checklist again with the refusal next to the item (built for this answer only, never kept)."""
    return _render_checklist(pages.build_checklist_page(checklist, errors), errors=errors, posted=posted,
                             status=status)


@bp.get("/")
@login_required
def index():
    if can(current_user, "onboarding.overview"):
        return redirect(url_for("onboarding.overview"))
    return redirect(url_for("onboarding.mine"))


@bp.get("/mine")
@login_required
def mine():
    own = pages.own_checklists()
    if isinstance(own, int):
        return _render_checklist(pages.checklist_page(own))
    return render_template("onboarding/mine.html", content=own)


@bp.get("/checklists/<int:checklist_id>")
@login_required
def checklist(checklist_id: int):
    found = pages.checklist_ref(checklist_id)
    if found is None or found.home_id != current_user.home_id:
        abort(404)
    authorize("onboarding.view_checklist", found)
    return _render_checklist(pages.checklist_page(found.id))


@bp.post("/checklists/<int:checklist_id>/items/<int:item_id>")
@login_required
def complete(checklist_id: int, item_id: int):
    found = _checklist_or_404(checklist_id)
    item = next((i for i in found.items if i.id == item_id), None)
    if item is None:
        abort(404)
    if not can(current_user, "onboarding.view_checklist", found):
        if current_user.is_leader:
            flash(_("Kun en leder af %(name)s afdeling eller tilbudslederen kan kvittere på tjeklisten.",
                    name=genitive(found.user.name)), "error")
        else:
            flash(_("Du kan kun afkrydse på din egen tjekliste."), "error")
        abort(403)
    form = CompleteItemForm()
    posted = {"item_id": item.id, "done_on": request.form.get("done_on", ""), "note": request.form.get("note", "")}
    if not form.validate_on_submit():
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        if "csrf_token" in form.errors:
            abort(400)
        return _render_refused(found, {item.id: message or _("Tjek det indtastede.")}, posted)
    try:
        complete_item(item, current_user, done_on=form.done_on.data, note=form.note.data or "", today=clock.today())
        db.session.commit()
    except NotAllowed as error:
        db.session.rollback()
        flash(str(error), "error")
        abort(403)
    except OnboardingError as error:
        db.session.rollback()
        return _render_refused(_checklist_or_404(checklist_id), {item_id: str(error)}, posted)
    except StaleDataError:
        db.session.rollback()
        flash(_("Punktet er blevet ændret af en anden i mellemtiden. Se den opdaterede tjekliste."), "error")
        return _render_refused(_checklist_or_404(checklist_id), {}, status=409)
    flash(_("Kvitteret: %(text)s", text=item.text) if item.is_leader_item else _("Afkrydset: %(text)s",
                                                                                    text=item.text), "success")
    return redirect(url_for("onboarding.checklist", checklist_id=found.id, _anchor=f"punkt-{item.id}"))


@bp.get("/overview")
@login_required
@requires("onboarding.overview")
def overview():
    content = pages.overview_html(int_arg("afdeling"), request.args.get("vis") == "alle")
    if content is None:
        abort(404)
    return render_template("onboarding/overview.html", content=content)


@bp.route("/assign", methods=["GET", "POST"])
@login_required
@requires("onboarding.overview")
def assign_checklist():
    led = pages.led_departments()
    people_query = select(User).where(User.home_id == current_user.home_id, User.id != current_user.id,
                                      (User.left_on.is_(None)) | (User.left_on > clock.today()))
    if led is not None:
        people_query = people_query.where(User.id.in_(select(Membership.user_id).where(
            Membership.department_id.in_([d.id for d in led]))))
    people = db.session.scalars(people_query.order_by(User.name_sort_key)).all()
    templates = db.session.scalars(select(ChecklistTemplate).where(
        ChecklistTemplate.home_id == current_user.home_id, ChecklistTemplate.is_retired.is_(False))
        .order_by(ChecklistTemplate.name_sort_key)).all()
    form = AssignForm(people=people, templates=templates)
    if request.method == "GET" and int_arg("person"):
        form.user_id.data = int_arg("person")
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


from app.onboarding import meeting_routes, restriction_routes, template_routes  # noqa: E402,F401
