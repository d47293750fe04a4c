"""Checklist templates: the head keeps the home's, department leaders their departments' own."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.onboarding import bp, pages
from app.onboarding.forms import BLANK_ROWS, TemplateForm
from app.onboarding.models import Checklist, ChecklistTemplate
from app.onboarding.services import OnboardingError, delete_template, save_template, set_template_retired
from app.people.models import Department
from app.permissions import authorize, requires


def _template_or_404(template_id: int) -> ChecklistTemplate:
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None or template.home_id != current_user.home_id:
        abort(404)
    return template


def _departments_for_templates() -> list[Department]:
    query = select(Department).where(Department.home_id == current_user.home_id, Department.is_active.is_(True))
    if not current_user.has_role("head"):
        query = query.where(Department.id.in_(current_user.department_ids))
    return list(db.session.scalars(query.order_by(Department.name_sort_key)).all())


@bp.get("/templates")
@login_required
@requires("onboarding.templates")
def templates():
    return _render_templates()


def _render_templates(status: int = 200):
    return render_template("onboarding/templates.html", sections=pages.template_sections(current_user.home_id),
                           managed=pages.managed_templates()), status


def _save(template: ChecklistTemplate | None):
    departments = _departments_for_templates()
    is_head = current_user.has_role("head")
    form = TemplateForm(obj=template, departments=departments)
    if not is_head:
        form.department_id.choices = [c for c in form.department_id.choices if c.value != 0]
    if request.method == "GET":
        form.department_id.data = (template.department_id if template else None) or (0 if is_head else None)
        for _n in range(BLANK_ROWS):
            form.items.append_entry()
        if template is None:
            form.items.entries[0].form.is_required.data = True
    used = 0
    if template is not None:
        used = db.session.scalar(select(func.count(Checklist.id)).where(Checklist.template_id == template.id))
    if form.validate_on_submit():
        department_id = form.department_id.data or None
        if not is_head and department_id not in current_user.department_ids:
            abort(403)
        try:
            saved = save_template(current_user.home_id, template, name=form.name.data, kind=form.kind.data,
                                  department_id=department_id, items=form.item_rows(), actor=current_user)
            db.session.commit()
        except OnboardingError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(_("Skabelonen er blevet ændret af en anden i mellemtiden. Indlæs siden, "
                                      "og prøv igen."))
            return render_template("onboarding/template_form.html", form=form, template=template, used=used), 409
        else:
            flash(_("Skabelonen »%(name)s« er gemt.", name=saved.name), "success")
            return redirect(url_for("onboarding.templates"))
    return render_template("onboarding/template_form.html", form=form, template=template, used=used), (
        400 if form.errors or form.form_errors else 200)


@bp.route("/templates/new", methods=["GET", "POST"])
@login_required
@requires("onboarding.manage_template")
def template_new():
    return _save(None)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@login_required
def template_edit(template_id: int):
    template = _template_or_404(template_id)
    authorize("onboarding.manage_template", template)
    return _save(template)


@bp.post("/templates/<int:template_id>/retire")
@login_required
def template_retire(template_id: int):
    template = _template_or_404(template_id)
    authorize("onboarding.manage_template", template)
    retire = request.form.get("retire", "1") == "1"
    set_template_retired(template, retire, current_user)
    db.session.commit()
    flash(_("Skabelonen er taget ud af brug. Tildelte tjeklister er bevaret.") if retire
          else _("Skabelonen er taget i brug igen."), "success")
    return redirect(url_for("onboarding.templates"))


@bp.post("/templates/<int:template_id>/delete")
@login_required
def template_delete(template_id: int):
    template = _template_or_404(template_id)
    authorize("onboarding.manage_template", template)
    try:
        delete_template(template, current_user)
    except OnboardingError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_templates(400)
    db.session.commit()
    flash(_("Skabelonen er slettet."), "success")
    return redirect(url_for("onboarding.templates"))
