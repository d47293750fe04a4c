"""Temp meetings (vikarmøder): leaders record each meeting and the temps who attended."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock
from app.extensions import db
from app.onboarding import bp, pages
from app.onboarding.forms import MeetingForm
from app.onboarding.services import OnboardingError, record_meeting
from app.permissions import requires
from app.web import dadate


@bp.route("/meetings", methods=["GET", "POST"])
@login_required
@requires("onboarding.meetings")
def meetings():
    today = clock.today()
    is_head = current_user.has_role("head")
    choices = pages.meeting_choices()
    form = MeetingForm(departments=choices.departments, temps=choices.temps)
    if form.validate_on_submit():
        department_id = form.department_id.data or None
        if department_id is not None and not is_head and department_id not in current_user.department_ids:
            abort(403)
        try:
            meeting = record_meeting(current_user.home_id, held_on=form.held_on.data, department_id=department_id,
                                     attendee_ids=form.attendees.data or [], note=form.note.data or "",
                                     actor=current_user, today=today)
        except OnboardingError as error:
            db.session.rollback()
            form.held_on.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Vikarmødet den %(day)s er registreret med %(count)d deltagere.",
                    day=dadate(meeting.held_on), count=len(form.attendees.data or [])), "success")
            return redirect(url_for("onboarding.meetings"))
    months = current_user.home.setting("temp_meeting_months")
    return render_template("onboarding/meetings.html", form=form, past=pages.past_meetings_html(current_user.home_id),
                           months=months, temps_count=len(choices.temps)), 400 if form.errors else 200
