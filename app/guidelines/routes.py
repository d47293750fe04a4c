"""The guideline library's pages: list, guideline, edit/approve/review, history and diff, confirmations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.cache import cached
from app.extensions import db
from app.guidelines import bp, pages, rendering
from app.guidelines.forms import DraftForm, ReviewForm
from app.guidelines.models import DRAFT, GuidelineVersion
from app.guidelines.pages import ListFilters
from app.guidelines.services import (
    GuidelineError,
    StaleDraftError,
    acknowledge,
    approval_refusal,
    approve,
    guideline_by_slug,
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


def _entry_or_404(slug: str) -> pages.Entry:
    """The kept entry of a published guideline of the reader's home, checked like _guideline_or_404."""
    entry = pages.library(current_user.home).by_slug.get(slug)
    if entry is None:
        abort(404)
    authorize("guidelines.view", entry)
    return entry


@bp.get("/")
@login_required
def index():
    home = current_user.home
    filters = ListFilters(request.args.get("q", "").strip()[:100], request.args.get("standard", ""),
                          request.args.get("niveau", ""), request.args.get("status", ""))
    if filters.is_a_choice(pages.library(home)):
        key = (current_user.id, filters.standard, filters.level, filters.status)
        content = cached("guidelines.list", key, lambda: pages.list_html(home, filters), home=home)
    else:
        content = pages.list_html(home, filters)
    return render_template("guidelines/index.html", content=content)


@bp.get("/<slug>")
@login_required
def show(slug: str):
    home = current_user.home
    entry = _entry_or_404(slug)
    reader = pages.reader(entry)
    return render_template("guidelines/show.html", entry=entry, reader=reader,
                           parts=pages.page_parts(home, entry, reader),
                           review_form=ReviewForm() if reader.may_approve else None)


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
    entry = _entry_or_404(slug)
    reader = pages.reader(entry)
    content = pages.history_html(current_user.home, entry, reader.may_edit or reader.may_approve)
    return render_template("guidelines/history.html", entry=entry, content=content)


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
    entry = _entry_or_404(slug)
    authorize("guidelines.coverage", entry)
    content = pages.coverage_html(current_user.home, entry, int_arg("afdeling"))
    if content is None:
        abort(404)
    return render_template("guidelines/coverage.html", entry=entry, content=content)
