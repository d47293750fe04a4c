from datetime import date
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.audit.services import record
from app.cycle import bp
from app.cycle.calendar import (
    active_token,
    calendar,
    new_token,
    revoke_tokens,
    user_for_token,
)
from app.cycle.forms import MeetingForm
from app.cycle.models import MiniMedMeeting
from app.cycle.services import (
    CycleError,
    completion_for,
    departments_of,
    find_guideline_task,
    mark_done,
    meetings_of_year,
    personal_done_uids,
    save_meeting,
    undo_done,
)
from app.cycle.year_view import Filters, year_context
from app.extensions import db
from app.forms import CONTROL_CHARACTERS_REFUSED, has_control_characters
from app.hooks import tasks_for_user
from app.need_to_know import View, shown_tasks
from app.params import int_arg
from app.people.constants import AUDIENCE_LABELS, Role
from app.people.models import User, UserRole, current_staff_query
from app.permissions import authorize, can, requires
from app.urls import base_url as configured_base_url
from app.urls import external_url
from app.web import dadate


def _year_arg() -> int:
    this_year = clock.today().year
    year = int_arg("aar", this_year)
    if year is None or not this_year - 3 <= year <= this_year + 1:
        abort(404)
    return year


def _safe_next(default: str) -> str:
    """Back to the page the form was on: a local path only (no scheme, host, or backslash tricks)."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or "\\" in target or parts.scheme or parts.netloc:
        return default
    return target


@bp.get("/")
@login_required
@requires("cycle.view")
def year():
    """The årshjul: every task of the home in one year, month by month, with filters."""
    role = request.args.get("rolle", "")
    filters = Filters(
        year=_year_arg(), role=role if role in AUDIENCE_LABELS else "",
        department_id=int_arg("afdeling"),
        only_guidelines=request.args.get("kilde") == "retningslinjer", only_mine=request.args.get("mine") == "1",
    )
    view = View(current_user, "aarshjul")
    html = render_template("cycle/year.html", **year_context(view, current_user.home, filters, clock.today()))
    view.log()
    return html


def _task_or_404(uid: str):
    task = find_guideline_task(current_user.home, uid or "")
    if task is None:
        abort(404)
    return task


@bp.post("/opgaver/udfoert")
@login_required
def complete():
    task = _task_or_404(request.form.get("uid", ""))
    authorize("cycle.complete", task)
    back = _safe_next(url_for("cycle.year", aar=task.due_on.year))
    note = request.form.get("note", "")
    if has_control_characters(note, long_text=True):
        flash(str(CONTROL_CHARACTERS_REFUSED), "error")
        return redirect(back), 303
    try:
        mark_done(task, current_user, note)
    except CycleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back), 303
    db.session.commit()
    flash(_("Opgaven er markeret som udført."), "success")
    return redirect(back)


@bp.post("/opgaver/fortryd")
@login_required
def undo():
    task = _task_or_404(request.form.get("uid", ""))
    completion = completion_for(task.home_id, task.uid)
    if completion is None:
        abort(404)
    authorize("cycle.undo", (task, completion))
    undo_done(task, completion, current_user)
    db.session.commit()
    flash(_("Markeringen er fortrudt. Opgaven står igen som ikke udført."), "success")
    return redirect(_safe_next(url_for("cycle.year", aar=task.due_on.year)))


# Mini-MED meetings.


def _meeting_people(home_id: int):
    query = current_staff_query(home_id).where(
        User.id.in_(select(UserRole.user_id).where(UserRole.role.in_([Role.MINI_MED, Role.HEAD])))
    )
    return list(db.session.scalars(query.order_by(User.name_sort_key)))


@bp.get("/moeder")
@login_required
@requires("cycle.meetings.view")
def meetings():
    """The year's Mini-MED meetings."""
    selected_year = _year_arg()
    return render_template("cycle/meetings.html", meetings=meetings_of_year(current_user.home_id, selected_year),
                           year=selected_year, today=clock.today(),
                           can_manage=can(current_user, "cycle.meetings.manage"))


@bp.route("/moeder/ny", methods=["GET", "POST"])
@bp.route("/moeder/<int:meeting_id>", methods=["GET", "POST"])
@login_required
def meeting_form(meeting_id: int | None = None):
    meeting = None
    if meeting_id is not None:
        meeting = db.first_or_404(select(MiniMedMeeting).where(MiniMedMeeting.id == meeting_id,
                                                                MiniMedMeeting.home_id == current_user.home_id))
        if request.method == "GET" and not can(current_user, "cycle.meetings.manage", meeting):
            authorize("cycle.meetings.view", meeting)
            return render_template("cycle/meeting_show.html", meeting=meeting, items=_meeting_items(meeting))
    authorize("cycle.meetings.manage", meeting)
    people = _meeting_people(current_user.home_id)
    if meeting is not None:
        people = sorted({p.id: p for p in [*people, *meeting.attendees]}.values(),
                        key=lambda p: (p.name_sort_key, p.id))
    form = MeetingForm(obj=meeting, people=people)
    if request.method == "GET" and meeting is not None:
        form.attendees.data = [p.id for p in meeting.attendees]
        form.version.data = str(meeting.version)
    status = 200
    if form.validate_on_submit():
        if meeting is not None and form.version.data != str(meeting.version):
            form.form_errors.append(_("Mødet er blevet ændret af en anden, mens du redigerede. Dine ændringer "
                                      "er ikke gemt; indlæs siden, og prøv igen."))
            return render_template("cycle/meeting_form.html", form=form, meeting=meeting), 409
        by_id = {p.id: p for p in people}
        try:
            saved = save_meeting(current_user.home, meeting, form.data,
                                 [by_id[i] for i in form.attendees.data or [] if i in by_id], current_user)
            db.session.commit()
        except CycleError as error:
            db.session.rollback()
            form.held_on.errors = [*form.held_on.errors, str(error)]
            status = 400
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(_("Mødet er blevet ændret af en anden imens. Indlæs siden, og prøv igen."))
            return render_template("cycle/meeting_form.html", form=form, meeting=meeting), 409
        else:
            flash(_("Mini-MED-mødet den %(day)s er gemt.", day=dadate(saved.held_on)), "success")
            return redirect(url_for("cycle.meetings", aar=saved.held_on.year))
    elif form.errors:
        status = 400
    return render_template("cycle/meeting_form.html", form=form, meeting=meeting,
                           items=_meeting_items(meeting)), status


def _meeting_items(meeting: MiniMedMeeting | None) -> Markup:
    """What the year's first or last meeting records about the competence documents (competence's panel)."""
    if meeting is None:
        return Markup()
    from app.competence.meeting_panel import meeting_panel

    return meeting_panel(meeting, current_user)


# Calendar: the subscription page, the one-off download and the token-authenticated feed.


@bp.get("/kalender")
@login_required
@requires("cycle.view")
def calendar_page():
    return render_template("cycle/calendar.html", token=active_token(current_user), feed_url=None,
                           year=clock.today().year)


@bp.post("/kalender/link")
@login_required
@requires("cycle.view")
def calendar_renew():
    token = new_token(current_user)
    db.session.commit()
    feed_url = external_url("cycle.feed", token=token)
    flash(_("Dit kalenderlink er klar. Kopiér det nu: af sikkerhedshensyn kan det ikke vises igen."), "success")
    return render_template("cycle/calendar.html", token=active_token(current_user), feed_url=feed_url,
                           year=clock.today().year)


@bp.post("/kalender/slet")
@login_required
@requires("cycle.view")
def calendar_revoke():
    if revoke_tokens(current_user):
        record("cycle.calendar_token_revoked", None, summary="Kalenderlink slået fra", actor=current_user)
    db.session.commit()
    flash(_("Kalenderlinket virker ikke længere."), "success")
    return redirect(url_for("cycle.calendar_page"))


def _ics(user, start: date, end: date, name: str) -> str:
    """The person's calendar, stamped with the moment of this download."""
    # Need-to-know, with nothing that leaves the app naming a child: no name in it is a read to log.
    tasks = shown_tasks(user, tasks_for_user(user, start, end), "feed", outside=True)
    departments = {d.id: d.name for d in departments_of(user.home_id)}
    return calendar(tasks, name=name, base_url=configured_base_url(), done_uids=personal_done_uids(user, start, end),
                    department_names=departments)


@bp.get("/kalender/aarshjul.ics")
@login_required
@requires("cycle.view")
def download():
    selected_year = _year_arg()
    text = _ics(current_user, date(selected_year, 1, 1), date(selected_year, 12, 31),
                f"Årshjul {selected_year} – {current_user.name}")
    return Response(text, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="aarshjul-{selected_year}.ics"'})


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """The personal feed (this year and next) for calendar programs; the secret token is the login."""
    user = user_for_token(token)
    if user is None:
        abort(404)
    this_year = clock.today().year
    text = _ics(user, date(this_year, 1, 1), date(this_year + 1, 12, 31), f"Kompetenceportalen – {user.name}")
    db.session.commit()
    response = Response(text, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response
