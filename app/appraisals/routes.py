"""The talk overview, its Excel export and the talk form. Profiles and the MUS concept have their own modules."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.appraisals import bp, mus, profile  # noqa: F401 - their routes register on bp
from app.appraisals.export import talk_status_workbook
from app.appraisals.forms import TalkForm
from app.appraisals.models import LU, MU, TALK_LABELS, Talk
from app.appraisals.policy import may_record
from app.appraisals.services import AppraisalError, save_talk
from app.appraisals.status import DONE, STATUS_LABELS, counts, first_talk_months, statuses
from app.extensions import db
from app.need_to_know import View
from app.params import int_arg
from app.people.models import Department, User
from app.permissions import can, requires

RECORD_REFUSED = {
    MU: "Du kan kun planlægge og registrere MU-samtaler for medarbejdere i de afdelinger, du leder.",
    LU: "Kun tilbudslederen holder LU-samtaler, og kun med afdelingslederne.",
}


def person_or_404(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or person.home_id != current_user.home_id:
        abort(404)
    return person


def _visible_departments() -> list[Department]:
    query = select(Department).where(Department.home_id == current_user.home_id)
    if not can(current_user, "appraisals.overview_home"):
        query = query.where(Department.id.in_(current_user.department_ids or {0}))
    return list(db.session.scalars(query.order_by(Department.name_sort_key)))


def _overview_rows(department_id: int | None):
    """MU rows (and LU rows for the whole home) in the scope the viewer may see, each about a colleague the
    viewer may open (need-to-know: a leader's own talk is not another leader's business)."""
    today = clock.today()
    whole_home = can(current_user, "appraisals.overview_home")
    departments = _visible_departments()
    scope = None if whole_home else {d.id for d in departments}
    if department_id and department_id in {d.id for d in departments}:
        scope = {department_id}
    else:
        department_id = None
    mu = statuses(current_user.home_id, MU, today, scope)
    lu = statuses(current_user.home_id, LU, today, scope) if whole_home else []
    view = View(current_user, "overview")
    return today, departments, department_id, view.people(mu), view.people(lu)


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def _date_formatter():
    """The `dadate` text ("1. oktober 2026") without Babel's per-call cost, for lists of hundreds of rows."""
    from functools import lru_cache

    @lru_cache(maxsize=4096)
    def d(value) -> str:
        return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"

    return d


def _filtered(rows, status: str):
    if status == DONE:
        return [r for r in rows if r.done_this_year]
    if status in STATUS_LABELS:
        return [r for r in rows if r.status == status]
    return rows


def _recordable(kind: str, rows) -> set[int]:
    """The people among the rows the viewer may record a talk of this kind with: the record rule
    (`policy.may_record`, which `can(..., "appraisals.record_mu", person)` also asks), once per row without the
    per-call checks of `can`, the viewer being the logged-in current user of this request."""
    if not can(current_user, f"appraisals.record_{kind}"):
        return set()
    viewer = current_user._get_current_object()
    return {r.person.id for r in rows if may_record(viewer, kind, r.person)}


@bp.get("/")
@login_required
@requires("appraisals.overview")
def index():
    status = request.args.get("status", "")
    status = status if status in STATUS_LABELS else ""
    today, departments, department_id, mu, lu = _overview_rows(int_arg("afdeling"))
    return render_template(
        "appraisals/index.html", today=today, departments=departments, department_id=department_id,
        status=status, STATUS_LABELS=STATUS_LABELS, first_months=first_talk_months(current_user.home_id),
        mu=_filtered(mu, status), lu=_filtered(lu, status), mu_counts=counts(mu), lu_counts=counts(lu),
        whole_home=can(current_user, "appraisals.overview_home"), d=_date_formatter(),
        recordable={MU: _recordable(MU, mu), LU: _recordable(LU, lu)},
        profile_base=url_for("appraisals.profile", person_id=0)[:-1],
        new_base={kind: url_for("appraisals.new_talk", kind=kind, person_id=0)[:-1] for kind in TALK_LABELS},
    )


@bp.get("/export.xlsx")
@login_required
@requires("appraisals.overview")
def export():
    today, _departments, _department_id, mu, lu = _overview_rows(int_arg("afdeling"))
    stream = talk_status_workbook(current_user.home.name, today, mu, lu)
    return send_file(stream, as_attachment=True, download_name=f"samtalestatus-{today.isoformat()}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _check_may_record(kind: str, person: User) -> None:
    if not can(current_user, f"appraisals.record_{kind}", person):
        flash(RECORD_REFUSED[kind], "error")
        abort(403)


def _home_leaders() -> list[User]:
    from app.people.constants import Role
    from app.people.models import UserRole, current_staff_query

    query = current_staff_query(current_user.home_id).where(User.id.in_(
        select(UserRole.user_id).where(UserRole.role.in_((Role.DEPARTMENT_LEADER, Role.HEAD)))))
    return list(db.session.scalars(query.order_by(User.name_sort_key)))


def _wish_choices(person: User) -> list[tuple[int, str]]:
    """The person's own course wishes, newest year first, so a talk can point at the wishes it led to."""
    from app.competence.models import CourseWish

    wishes = db.session.scalars(select(CourseWish).where(CourseWish.user_id == person.id)
                                .order_by(CourseWish.year.desc(), CourseWish.id.desc()).limit(50))
    return [(w.id, f"{w.year}: {w.title}") for w in wishes]


def _talk_form(talk: Talk | None, kind: str, person: User):
    leaders = [p for p in _home_leaders() if p.id != person.id]
    form = TalkForm(obj=talk, leaders=leaders, wishes=_wish_choices(person))
    if request.method == "GET" and talk is not None:
        form.held_by.data = talk.held_by_id or 0
        form.wishes.data = list(talk.wish_ids or [])
        form.version.data = str(talk.version)
    status = 200
    if form.validate_on_submit():
        if talk is not None and form.version.data != str(talk.version):
            form.form_errors.append(_("Samtalen er ændret af en anden imens. Dine ændringer er ikke gemt; "
                                      "tjek dem, og gem igen."))
            return render_template("appraisals/talk_form.html", form=form, talk=talk, kind=kind, person=person,
                                   label=TALK_LABELS[kind]), 409
        held_by = next((p for p in leaders if p.id == form.held_by_id()), None)
        try:
            saved = save_talk(talk, kind=kind, employee=person, actor=current_user, today=clock.today(),
                              planned_on=form.planned_on.data, held_on=form.held_on.data, held_by=held_by,
                              development_points=form.development_points.data,
                              written_agreement=form.written_agreement.data,
                              is_completed=form.is_completed.data, wish_ids=form.wishes.data)
            db.session.commit()
        except AppraisalError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            status = 400
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append(_("Samtalen er ændret af en anden imens. Dine ændringer er ikke gemt; "
                                      "tjek dem, og gem igen."))
            status = 409
        else:
            flash(_("%(label)s for %(name)s er gemt.", label=saved.label, name=person.name), "success")
            if saved.is_incomplete_lu:
                flash(_("LU-samtalen tæller først, når den er afsluttet med en skriftlig aftale."), "warning")
            return redirect(url_for("appraisals.profile", person_id=person.id))
    elif form.errors:
        status = 400
    return render_template("appraisals/talk_form.html", form=form, talk=talk, kind=kind, person=person,
                           label=TALK_LABELS[kind]), status


@bp.route("/talks/new/<kind>/<int:person_id>", methods=["GET", "POST"])
@login_required
def new_talk(kind: str, person_id: int):
    if kind not in TALK_LABELS:
        abort(404)
    person = person_or_404(person_id)
    _check_may_record(kind, person)
    return _talk_form(None, kind, person)


@bp.route("/talks/<int:talk_id>/edit", methods=["GET", "POST"])
@login_required
def edit_talk(talk_id: int):
    talk = db.session.get(Talk, talk_id)
    if talk is None or talk.home_id != current_user.home_id:
        abort(404)
    _check_may_record(talk.kind, talk.employee)
    return _talk_form(talk, talk.kind, talk.employee)
