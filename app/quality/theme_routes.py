"""The report read per theme of Socialtilsynet's quality model, and the tilbudsleder's table of where each
indicator gives evidence."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock
from app.extensions import db
from app.hooks import indicators
from app.permissions import can, requires
from app.quality import bp, services, themes
from app.quality.forms import ThemeForm
from app.quality.routes import _departments_for, _scope, _scope_name, guideline_url
from app.web import render_fragment


@bp.get("/by-theme")
@login_required
@requires("quality.view")
def by_theme():
    home, department = _scope()
    today = clock.today()
    scope_name = _scope_name(home, department)
    report = services.report(home, department.id if department else None, today)
    green, yellow = report.thresholds
    body = render_fragment(
        "quality/_by_theme_body.html", department=department, scope_name=scope_name, charts=report.charts,
        groups=themes.by_theme(report.rows, themes.placements(home)), green=green, yellow=yellow,
        guideline_url=guideline_url, guideline_titles=report.guideline_titles,
    )
    return render_template(
        "quality/index.html", home=home, department=department, scope_name=scope_name,
        departments=_departments_for(home), sees_home=can(current_user, "quality.home", home), today=today,
        body=body, per_theme=True,
    )


@bp.get("/themes")
@login_required
@requires("quality.themes")
def theme_table():
    placed = themes.placements(current_user.home)
    return render_template("quality/themes.html", rows=[(i, placed.get(i.key)) for i in indicators()],
                           themes=themes)


@bp.route("/themes/<key>", methods=["GET", "POST"])
@login_required
@requires("quality.themes")
def edit_theme(key: str):
    indicator = services.find_indicator(key)
    if indicator is None:
        abort(404)
    home = current_user.home
    current = themes.placements(home).get(key)
    form = ThemeForm(data={"theme": str(current.theme), "criterion": current.criterion, "note": current.note}
                     if current else None)
    status = 200
    if form.validate_on_submit():
        try:
            themes.place(home, key, form.theme.data, form.criterion.data, form.note.data, current_user)
        except themes.ThemeError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 400
        else:
            db.session.commit()
            flash(_("„%(title)s“ giver nu evidens under tema %(theme)s, kriterium %(code)s.", title=indicator.title,
                    theme=form.theme.data, code=form.criterion.data), "success")
            return redirect(url_for("quality.theme_table"))
    elif form.errors:
        status = 400
    return render_template("quality/theme_edit.html", indicator=indicator, form=form, current=current,
                           default=themes.DEFAULTS.get(key), themes=themes), status
