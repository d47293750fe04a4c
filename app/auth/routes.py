from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.audit.services import record
from app.auth import bp
from app.auth.forms import ChangePasswordForm, FirstPasswordForm, LoginForm
from app.auth.services import AuthError, authenticate, password_matches, set_password
from app.auth.sessions import end_other_sessions, end_session, start_session
from app.extensions import db


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except AuthError as error:
            flash(str(error), "error")
            return render_template("auth/login.html", form=form), error.status
        session.clear()
        start_session(user)
        login_user(user)
        db.session.commit()
        if user.must_set_password:
            return redirect(url_for("auth.set_first_password"))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    end_session(current_user.session_token)
    record("auth.logout", current_user, summary=current_user.email)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/first-password", methods=["GET", "POST"])
@login_required
def set_first_password():
    if not current_user.must_set_password:
        return redirect(url_for("dashboard.index"))
    form = FirstPasswordForm()
    if form.validate_on_submit():
        if not password_matches(current_user.password_hash, form.start_code.data):
            form.start_code.errors.append(_("Startkoden er forkert. Brug den seneste startkode, du har fået."))
            return render_template("auth/first_password.html", form=form), 400
        set_password(current_user, form.password.data)
        end_other_sessions(current_user, keep_token=current_user.session_token)
        record("auth.password_set", current_user, summary=current_user.email)
        db.session.commit()
        flash(_("Din adgangskode er gemt. Velkommen."), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("auth/first_password.html", form=form), 400 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not password_matches(current_user.password_hash, form.current.data):
            form.current.errors.append(_("Den nuværende adgangskode er forkert."))
            return render_template("auth/change_password.html", form=form), 400
        try:
            set_password(current_user, form.password.data)
        except AuthError as error:
            form.password.errors.append(str(error))
            return render_template("auth/change_password.html", form=form), 400
        end_other_sessions(current_user, keep_token=current_user.session_token)
        record("auth.password_changed", current_user, summary=current_user.email)
        db.session.commit()
        flash(_("Din adgangskode er ændret. Du er logget ud alle andre steder."), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200
