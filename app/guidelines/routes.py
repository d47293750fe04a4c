"""The guideline library's pages: list, guideline, edit/approve/review, history and diff, confirmations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.database import danish_key
from app.extensions import db
from app.guidelines import bp, rendering
from app.guidelines.forms import DraftForm, ReviewForm
from app.guidelines.models import DRAFT, GuidelineVersion
from app.guidelines.rendering import LEVEL_LABELS, STATUS_LABELS, VERSION_STATUS_LABELS
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
    staff_on,
)
from app.permissions import authorize, can

STATUS_ORDER = {"overdue": 0, "due": 1, "current": 2}


def _guideline_or_404(slug: str):
    guideline = guideline_by_slug(current_user.home, slug)
    if guideline is None or guideline.published is None:
        abort(404)
    authorize("guidelines.view", guideline)
    return guideline


def _common() -> dict:
    return {"STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS, "role_label": rendering.role_label,
            "VERSION_STATUS_LABELS": VERSION_STATUS_LABELS}


@bp.get("/")
@login_required
def index():
    home = current_user.home
    today, due_days = clock.today(), int(home.setting("guideline_due_days"))
    q = request.args.get("q", "").strip()[:100]
    standard = request.args.get("standard", "")
    level = request.args.get("niveau", "")
    status = request.args.get("status", "")
    all_guidelines = [g for g in guidelines_for_home(home) if g.published is not None]
    rows = []
    for g in all_guidelines:
        v = g.published
        row_status = g.status_on(today, due_days)
        if standard and v.standard != standard or level and g.level != level or status and row_status != status:
            continue
        if q and q.lower() not in v.title.lower() and q.lower() not in v.body.lower():
            continue
        rows.append((g, row_status))
    rows.sort(key=lambda r: (STATUS_ORDER[r[1]], r[0].next_review_on, danish_key(r[0].published.title)))
    versions = [g.published for g, _ in rows]
    mine = confirmed_user_ids(versions, user_id=current_user.id)
    shares = {}
    if can(current_user, "guidelines.coverage") and versions:
        people = staff_on([home.id], today)
        confirmed = confirmed_user_ids(versions)
        for v in versions:
            group = [p for p in people if in_target_group(p, v)]
            done = sum(1 for p in group if p.id in confirmed[v.id])
            shares[v.id] = (done, len(group))
    return render_template(
        "guidelines/index.html", rows=rows, q=q, standard=standard, level=level, status=status,
        standards=sorted({g.published.standard for g in all_guidelines}, key=danish_key), mine=mine,
        shares=shares, today=today, **_common(),
    )


@bp.get("/<slug>")
@login_required
def show(slug: str):
    guideline = _guideline_or_404(slug)
    version = guideline.published
    related = []
    if version.related:
        found = {g.slug: g for g in guidelines_for_home(current_user.home) if g.slug in version.related}
        related = [found[s] for s in version.related if s in found and found[s].published is not None]
    in_group = in_target_group(current_user, version)
    confirmed = current_user.id in confirmed_user_ids([version], user_id=current_user.id)[version.id]
    home = current_user.home
    return render_template(
        "guidelines/show.html", guideline=guideline, version=version, html=rendering.render_markdown(version.body),
        related=related, in_group=in_group, confirmed=confirmed, when_words=rendering.when_words,
        review_words=rendering.review_words, today=clock.today(),
        status=guideline.status_on(clock.today(), int(home.setting("guideline_due_days"))),
        review_form=ReviewForm(), **_common(),
    )


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
    return render_template("guidelines/edit.html", guideline=guideline, form=form, **_common()), status


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
          f"{guideline.next_review_on.strftime('%d.%m.%Y')}.", "success")
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
    version = db.session.scalar(select(GuidelineVersion).where(
        GuidelineVersion.guideline_id == guideline.id, GuidelineVersion.number == number))
    if version is None:
        abort(404)
    if version.status == DRAFT and not (can(current_user, "guidelines.edit", guideline)
                                        or can(current_user, "guidelines.approve", guideline)):
        abort(403)
    return version


@bp.get("/<slug>/history")
@login_required
def history_view(slug: str):
    guideline = _guideline_or_404(slug)
    may_see_drafts = can(current_user, "guidelines.edit", guideline) or can(current_user, "guidelines.approve",
                                                                             guideline)
    versions = [v for v in history(guideline) if v.status != DRAFT or may_see_drafts]
    return render_template("guidelines/history.html", guideline=guideline, versions=versions,
                           reviews=guideline.reviews, **_common())


@bp.get("/<slug>/versions/<int:number>")
@login_required
def version_view(slug: str, number: int):
    guideline = _guideline_or_404(slug)
    version = _version_or_404(guideline, number)
    refusal = approval_refusal(guideline, current_user) if version.status == DRAFT else None
    return render_template("guidelines/version.html", guideline=guideline, version=version,
                           html=rendering.render_markdown(version.body), refusal=refusal,
                           may_approve=can(current_user, "guidelines.approve", guideline), **_common())


@bp.get("/<slug>/diff")
@login_required
def diff_view(slug: str):
    guideline = _guideline_or_404(slug)
    old_n, new_n = request.args.get("fra", type=int), request.args.get("til", type=int)
    if old_n is None or new_n is None:
        abort(404)
    old, new = _version_or_404(guideline, old_n), _version_or_404(guideline, new_n)
    changed = [(label, getattr(old, attr), getattr(new, attr)) for label, attr in (
        ("Titel", "title"), ("Standard", "standard"), ("Anvendelsesområde", "scope"),
        ("Revisionsansvarlig", "revision_responsible"), ("Gældende fra", "effective_from"))
        if getattr(old, attr) != getattr(new, attr)]
    return render_template("guidelines/diff.html", guideline=guideline, old=old, new=new, changed=changed,
                           lines=rendering.diff_lines(old.body, new.body), **_common())


@bp.get("/<slug>/coverage")
@login_required
def coverage_view(slug: str):
    guideline = _guideline_or_404(slug)
    authorize("guidelines.coverage", guideline)
    home = current_user.home
    department_id = request.args.get("afdeling", type=int)
    if department_id is not None and department_id not in {d.id for d in home.departments}:
        abort(404)
    people, confirmed = coverage(guideline, home, department_id=department_id)
    per_department = []
    for department in home.departments:
        members = [p for p in people if department.id in p.department_ids]
        if members:
            per_department.append((department, sum(1 for p in members if p.id in confirmed), len(members)))
    missing = [p for p in people if p.id not in confirmed]
    return render_template("guidelines/coverage.html", guideline=guideline, version=guideline.published,
                           people=people, confirmed=confirmed, missing=missing, per_department=per_department,
                           department_id=department_id, departments=home.departments, **_common())

