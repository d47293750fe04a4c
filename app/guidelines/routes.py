"""The guideline library's pages: list, guideline, edit/approve/review, history and diff, confirmations."""

from __future__ import annotations

from collections import Counter

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.database import danish_key
from app.extensions import db
from app.guidelines import bp, pages, rendering
from app.guidelines.forms import DraftForm, ReviewForm
from app.guidelines.models import DRAFT, GuidelineVersion
from app.guidelines.pages import ListFilters, in_list_order
from app.guidelines.services import (
    GuidelineError,
    StaleDraftError,
    acknowledge,
    approval_refusal,
    approve,
    confirmed_user_ids,
    coverage,
    guideline_by_slug,
    guidelines_for_home,
    history,
    in_target_group,
    review_without_changes,
    save_draft,
    self_approval_rule,
)
from app.params import int_arg
from app.permissions import authorize, can
from app.web import dadate


def _guideline_or_404(slug: str):
    guideline = guideline_by_slug(current_user.home, slug)
    if guideline is None or guideline.published is None:
        abort(404)
    authorize("guidelines.view", guideline)
    return guideline


@bp.get("/")
@login_required
def index():
    home = current_user.home
    filters = ListFilters(request.args.get("q", "").strip()[:100], request.args.get("standard", ""),
                          request.args.get("niveau", ""), request.args.get("status", ""))
    today = clock.today()
    found = in_list_order(guidelines_for_home(home), today, int(home.setting("guideline_due_days")))
    bodies = pages.bodies_of([g.published.id for g, _status in found]) if filters.q else {}
    rows = [(g, status) for g, status in found if filters.keeps(g, status, bodies)]
    versions = [g.published for g, _status in rows]
    mine = {v for v, ids in confirmed_user_ids(versions, user_id=current_user.id).items() if ids}
    shares = pages.shares(home.id, versions, today) if versions and can(current_user, "guidelines.coverage") else {}
    return render_template("guidelines/index.html", rows=rows, filters=filters, mine=mine, shares=shares,
                           standards=sorted({g.published.standard for g, _status in found}, key=danish_key),
                           **pages.common())


@bp.get("/<slug>")
@login_required
def show(slug: str):
    home = current_user.home
    guideline = _guideline_or_404(slug)
    version = guideline.published
    related = []
    if version.related:
        by_slug = {g.slug: g for g in guidelines_for_home(home) if g.slug in version.related}
        related = [by_slug[s] for s in version.related if s in by_slug and by_slug[s].published is not None]
    may_approve = can(current_user, "guidelines.approve", guideline)
    return render_template(
        "guidelines/show.html", guideline=guideline, version=version, related=related,
        status=guideline.status_on(clock.today(), int(home.setting("guideline_due_days"))),
        in_group=in_target_group(current_user, version),
        confirmed=current_user.id in confirmed_user_ids([version], user_id=current_user.id)[version.id],
        may_edit=can(current_user, "guidelines.edit", guideline), may_approve=may_approve,
        may_coverage=can(current_user, "guidelines.coverage", guideline),
        review_form=ReviewForm() if may_approve else None, review_words=rendering.review_words,
        when_words=rendering.when_words, **pages.common())


@bp.post("/<slug>/acknowledge")
@login_required
def acknowledge_view(slug: str):
    guideline = _guideline_or_404(slug)
    try:
        ack = acknowledge(guideline, current_user)
    except GuidelineError as error:
        db.session.rollback()
        flash(str(error), "error")
        abort(403)
    db.session.commit()
    flash("Tak. Du har bekræftet, at du har læst og forstået retningslinjen." if ack else
          "Du har allerede bekræftet den gældende version.", "success")
    return redirect(url_for("guidelines.show", slug=slug))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    guideline = _guideline_or_404(slug)
    if not can(current_user, "guidelines.edit", guideline):
        flash("Kun den revisionsansvarlige kan redigere retningslinjen.", "error")
        abort(403)
    source = guideline.draft or guideline.published
    form = DraftForm(obj=source if request.method == "GET" else None)
    if request.method == "GET":
        form.draft_id.data = guideline.draft.id if guideline.draft else ""
        form.lock_version.data = guideline.draft.lock_version if guideline.draft else ""
        form.change_note.data = guideline.draft.change_note if guideline.draft else ""
        form.is_significant.data = guideline.draft.is_significant if guideline.draft else False
    status = 200
    if form.validate_on_submit():
        try:
            save_draft(guideline, current_user, form.data, draft_id=form.hidden_int(form.draft_id),
                       lock_version=form.hidden_int(form.lock_version))
            db.session.commit()
        except (StaleDraftError, StaleDataError, IntegrityError) as error:  # IntegrityError: two first drafts at once
            db.session.rollback()
            message = str(error) if isinstance(error, StaleDraftError) else (
                "En anden har gemt udkastet samtidig med dig. Din tekst er bevaret nedenfor; gem igen.")
            flash(message, "error")
            status = 409
            # Keep the person's text but point the form at the draft as it is now, so "gem igen" is a
            # deliberate overwrite of what they have just been told about, not another refusal.
            db.session.expire_all()
            current = _guideline_or_404(slug).draft
            form.draft_id.data = current.id if current else ""
            form.lock_version.data = current.lock_version if current else ""
        except GuidelineError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 400
        else:
            flash("Udkastet er gemt. Den gældende version gælder, indtil udkastet er godkendt.", "success")
            return redirect(url_for("guidelines.show", slug=slug))
    elif form.errors:
        status = 400
    return render_template("guidelines/edit.html", guideline=guideline, form=form, **pages.common()), status


@bp.post("/<slug>/approve")
@login_required
def approve_view(slug: str):
    guideline = _guideline_or_404(slug)
    if guideline.draft is None or not can(current_user, "guidelines.approve", guideline):
        flash("Kun godkenderen af retningslinjen kan godkende udkastet." if guideline.draft else
              "Der er intet udkast at godkende.", "error")
        abort(403 if guideline.draft else 404)
    try:
        version = approve(guideline, current_user)
    except GuidelineError as error:
        db.session.rollback()
        flash(str(error), "error")
        abort(403)
    db.session.commit()
    flash(f"Version {version.number} er godkendt og gældende. Næste revision: "
          f"{dadate(guideline.next_review_on)}.", "success")
    return redirect(url_for("guidelines.show", slug=slug))


@bp.post("/<slug>/review")
@login_required
def review_view(slug: str):
    guideline = _guideline_or_404(slug)
    if not can(current_user, "guidelines.approve", guideline):
        flash("Kun godkenderen af retningslinjen kan registrere en revision.", "error")
        abort(403)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash("Bemærkningen er for lang.", "error")
        abort(400)
    try:
        review_without_changes(guideline, current_user, form.note.data or "")
    except GuidelineError as error:
        db.session.rollback()
        flash(str(error), "error")
        abort(400)
    db.session.commit()
    flash("Revisionen uden ændringer er registreret, og revisionsdatoen er flyttet.", "success")
    return redirect(url_for("guidelines.show", slug=slug))


def _version_or_404(guideline, number: int) -> GuidelineVersion:
    version = db.first_or_404(select(GuidelineVersion).where(
        GuidelineVersion.guideline_id == guideline.id, GuidelineVersion.number == number))
    if version.status == DRAFT and not (can(current_user, "guidelines.edit", guideline)
                                        or can(current_user, "guidelines.approve", guideline)):
        abort(403)
    return version


@bp.get("/<slug>/history")
@login_required
def history_view(slug: str):
    guideline = _guideline_or_404(slug)
    with_drafts = can(current_user, "guidelines.edit", guideline) or can(current_user, "guidelines.approve", guideline)
    versions = [v for v in history(guideline) if v.status != DRAFT or with_drafts]
    return render_template("guidelines/history.html", guideline=guideline, versions=versions,
                           reviews=guideline.reviews, **pages.common())


@bp.get("/<slug>/versions/<int:number>")
@login_required
def version_view(slug: str, number: int):
    guideline = _guideline_or_404(slug)
    version = _version_or_404(guideline, number)
    draft = version.status == DRAFT
    refusal = approval_refusal(guideline, current_user) if draft else None
    return render_template("guidelines/version.html", guideline=guideline, version=version,
                           html=version.html, refusal=refusal,
                           approval_rule=self_approval_rule(guideline, current_user) if draft else None,
                           may_approve=can(current_user, "guidelines.approve", guideline), **pages.common())


@bp.get("/<slug>/diff")
@login_required
def diff_view(slug: str):
    guideline = _guideline_or_404(slug)
    old_n, new_n = int_arg("fra"), int_arg("til")
    if old_n is None or new_n is None:
        abort(404)
    old, new = _version_or_404(guideline, old_n), _version_or_404(guideline, new_n)
    changed = [(label, getattr(old, attr), getattr(new, attr)) for label, attr in (
        ("Titel", "title"), ("Standard", "standard"), ("Anvendelsesområde", "scope"),
        ("Revisionsansvarlig", "revision_responsible"), ("Gældende fra", "effective_from"))
        if getattr(old, attr) != getattr(new, attr)]
    return render_template("guidelines/diff.html", guideline=guideline, old=old, new=new, changed=changed,
                           lines=rendering.diff_lines(old.body, new.body), **pages.common())


@bp.get("/<slug>/coverage")
@login_required
def coverage_view(slug: str):
    """Who in the target group has confirmed, for the home or one of its departments."""
    home = current_user.home
    guideline = _guideline_or_404(slug)
    authorize("guidelines.coverage", guideline)
    department_id = int_arg("afdeling")
    departments = home.departments
    if department_id is not None and department_id not in {d.id for d in departments}:
        abort(404)
    people, confirmed = coverage(guideline, home, department_id=department_id)
    members, done = Counter(), Counter()
    for person in people:
        for department_id_of in person.department_ids:
            members[department_id_of] += 1
            done[department_id_of] += person.id in confirmed
    per_department = [(d, done[d.id], members[d.id]) for d in departments if members[d.id]]
    return render_template("guidelines/coverage.html", guideline=guideline, version=guideline.published,
                           people=people, missing=[p for p in people if p.id not in confirmed],
                           per_department=per_department, department_id=department_id, departments=departments)
