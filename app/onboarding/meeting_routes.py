"""Temp meetings (vikarmøder): leaders record each meeting and the temps who attended."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.database import danish
from app.extensions import db
from app.onboarding import bp
from app.onboarding.forms import MeetingForm
from app.onboarding.models import TempMeeting
from app.onboarding.services import OnboardingError, record_meeting, temps_current_on
from app.people.models import Department
from app.permissions import requires

PAST_MEETINGS_SHOWN = 20


@bp.route("/meetings", methods=["GET", "POST"])
@login_required
@requires("onboarding.meetings")
def meetings():
    today = clock.today()
    is_head = current_user.has_role("head")
    query = select(Department).where(Department.home_id == current_user.home_id, Department.is_active.is_(True))
    departments = db.session.scalars(query.order_by(danish(Department.name))).all()
    own = departments if is_head else [d for d in departments if d.id in current_user.department_ids]
    temps = temps_current_on(current_user.home_id, today)
    form = MeetingForm(departments=own, temps=temps)
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
                    day=meeting.held_on.strftime("%d.%m.%Y"), count=len(form.attendees.data or [])), "success")
            return redirect(url_for("onboarding.meetings"))
    past = db.session.scalars(
        select(TempMeeting).where(TempMeeting.home_id == current_user.home_id)
        .options(selectinload(TempMeeting.attendees), selectinload(TempMeeting.department),
                 selectinload(TempMeeting.recorded_by))
        .order_by(TempMeeting.held_on.desc(), TempMeeting.id.desc()).limit(PAST_MEETINGS_SHOWN)
    ).all()
    months = current_user.home.setting("temp_meeting_months")
    return render_template("onboarding/meetings.html", form=form, meetings=past, months=months,
                           temps_count=len(temps)), 400 if form.errors else 200
