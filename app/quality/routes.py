"""The quality report for the home or one department, its exception lists, the PDF and the API keys page."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from app import clock
from app.extensions import db
from app.need_to_know import View, hidden_text
from app.params import parse_id
from app.permissions import authorize, can, leads_department, requires
from app.quality import api, bp, services, themes  # noqa: F401 - api registers the token-authenticated routes
from app.quality.forms import TokenForm
from app.quality.models import QualityApiToken
from app.quality.services import QualityError
from app.web import render_fragment


def guideline_url(slug: str) -> str | None:
    """The guideline's page, or None while the guidelines feature has no such route."""
    try:
        return url_for("guidelines.show", slug=slug)
    except BuildError:
        return None


def _scope():
    """(home, department or None) for ?afdeling=, checked against the user's rights; a leader without the home view
    is sent to their own department's report."""
    home = current_user.home
    raw = request.args.get("afdeling", "").strip()
    if raw:
        department_id = parse_id(raw)
        if department_id is None:
            abort(404)
        try:
            department = services.department_of(home, department_id)
        except QualityError:
            abort(404)
        authorize("quality.department", department)
        return home, department
    if can(current_user, "quality.home", home):
        return home, None
    own = [d for d in _departments_for(home) if leads_department(current_user, d.id)]
    if own:
        args = dict(request.view_args or {}, afdeling=own[0].id)
        abort(redirect(url_for(request.endpoint, **args)))
    abort(403)


def _departments_for(home):
    """The departments whose report the user may open, for the picker."""
    departments = services.home_departments(home)
    if can(current_user, "quality.home", home):
        return departments
    return [d for d in departments if leads_department(current_user, d.id)]


def _scope_name(home, department) -> str:
    return department.name if department is not None else _("Hele tilbuddet")


@bp.get("/")
@login_required
@requires("quality.view")
def index():
    home, department = _scope()
    today = clock.today()
    department_id = department.id if department else None
    scope_name = _scope_name(home, department)

    # The figures are the same for everyone who may see the scope; the årshjul's missed tasks name children and
    # colleagues, so the body is rendered for this viewer (need-to-know, and the reads it logs).
    report = services.report(home, department_id, today)
    green, yellow = report.thresholds
    body = render_fragment(
        "quality/_report_body.html", department=department, scope_name=scope_name, rows=report.rows,
        charts=report.charts, cycle=services.cycle_for(current_user, report.cycle, "quality"), today=today,
        green=green, yellow=yellow, guideline_url=guideline_url, guideline_titles=report.guideline_titles,
        themes=themes.placements(home),
    )
    return render_template(
        "quality/index.html", home=home, department=department, scope_name=scope_name,
        departments=_departments_for(home), sees_home=can(current_user, "quality.home", home), today=today,
        body=body,
    )


@bp.get("/indicator/<key>")
@login_required
@requires("quality.view")
def exceptions(key: str):
    indicator = services.find_indicator(key)
    if indicator is None:
        abort(404)
    home, department = _scope()
    today = clock.today()
    department_id = department.id if department else None
    scope_name = _scope_name(home, department)

    # The same measurement the report shows, of this one indicator; the names in it are this viewer's to see or
    # not (need-to-know), and each child shown by name is a logged read.
    row = services.row_for(indicator, home, department_id, today)
    view = View(current_user, "quality")
    findings, hidden = view.findings(row.exceptions)
    view.log()
    body = render_fragment(
        "quality/_exceptions_body.html", home=home, department=department, scope_name=scope_name,
        indicator=indicator, result=row.result, findings=findings, hidden=hidden, hidden_text=hidden_text,
        today=today, light=row.light,
        guideline_url=guideline_url, guideline_titles=services.guideline_titles(home, {indicator.guideline_slug}),
    )
    return render_template("quality/exceptions.html", indicator=indicator, body=body)


@bp.get("/report.pdf")
@login_required
@requires("quality.view")
def pdf():
    from app.quality.pdf import build_pdf

    home, department = _scope()
    today = clock.today()
    department_id = department.id if department else None

    # Written for this viewer: the names in it are need-to-know, and each child named is a logged read.
    report = services.report(home, department_id, today)
    view = View(current_user, "quality_pdf")
    content = build_pdf(home_name=home.name, scope_name=_scope_name(home, department), on=today, rows=report.rows,
                        cycle=services.cycle_for(current_user, report.cycle, view=view),
                        thresholds=report.thresholds, guideline_titles=report.guideline_titles, view=view,
                        placements=themes.placements(home))
    view.log()
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    suffix = f"-afdeling-{department.id}" if department else ""
    response.headers["Content-Disposition"] = f'attachment; filename="kvalitetsovervaagning{suffix}-{today}.pdf"'
    return response


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
@requires("quality.tokens")
def tokens():
    home = current_user.home
    form = TokenForm()
    new_key = None
    status = 200
    if form.validate_on_submit():
        try:
            token, new_key = services.create_token(home, form.label.data, current_user)
        except QualityError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 400
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
            flash(_("Nøglen „%(label)s“ er oprettet. Kopiér den nu: den vises kun denne ene gang.",
                    label=token.label), "success")
    elif form.errors:
        status = 400
    keys = db.session.scalars(
        select(QualityApiToken).where(QualityApiToken.home_id == home.id)
        .order_by(QualityApiToken.revoked_at.is_not(None), QualityApiToken.created_at.desc())
    ).all()
    return render_template("quality/tokens.html", form=form, keys=keys, new_key=new_key), status


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
@requires("quality.tokens")
def revoke(token_id: int):
    token = db.session.get(QualityApiToken, token_id)
    if token is None or token.home_id != current_user.home_id:
        abort(404)
    try:
        services.revoke_token(token, current_user)
    except QualityError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("quality.tokens")), 400
    db.session.commit()
    flash(_("Nøglen „%(label)s“ er tilbagekaldt og virker ikke længere.", label=token.label), "success")
    return redirect(url_for("quality.tokens"))


from app.quality import theme_routes  # noqa: E402,F401 - the per-theme view and the theme table
