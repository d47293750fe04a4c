"""The home's list of tasks temps may not do alone: leaders add and deactivate (never delete) entries."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.onboarding import bp
from app.onboarding.forms import RestrictionForm
from app.onboarding.models import TempRestriction
from app.onboarding.temps import RestrictionError, add_restriction, all_restrictions, deactivate_restriction
from app.permissions import authorize, requires


def _render(form: RestrictionForm, status: int = 200):
    return render_template("onboarding/restrictions.html", form=form,
                           restrictions=all_restrictions(current_user.home_id)), status


@bp.route("/vikarregler", methods=["GET", "POST"])
@login_required
@requires("onboarding.restrictions")
def restrictions():
    form = RestrictionForm()
    if not form.is_submitted():
        return _render(form)
    if form.validate():
        try:
            add_restriction(current_user.home, form.task.data, form.instead.data, current_user)
            db.session.commit()
        except RestrictionError as error:
            db.session.rollback()
            form.task.errors = [*form.task.errors, str(error)]
        else:
            flash(_("Opgaven er føjet til listen."), "success")
            return redirect(url_for("onboarding.restrictions"))
    return _render(form, 400)


@bp.post("/vikarregler/<int:restriction_id>/deaktiver")
@login_required
@requires("onboarding.restrictions")
def restriction_deactivate(restriction_id: int):
    row = db.session.get(TempRestriction, restriction_id)
    if row is None or row.home_id != current_user.home_id:
        abort(404)
    authorize("onboarding.restrictions", row)
    try:
        deactivate_restriction(row, current_user)
        db.session.commit()
    except RestrictionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("onboarding.restrictions")), 303
    flash(_("Opgaven er taget af listen. Den står stadig i historikken."), "success")
    return redirect(url_for("onboarding.restrictions"))
