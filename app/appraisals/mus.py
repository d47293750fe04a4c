"""The MUS concept: the current concept document and Mini-MED's October evaluation and December briefing."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from app import clock
from app.appraisals import bp
from app.appraisals.forms import MusDocumentForm, MusEventForm
from app.appraisals.models import MUS_BRIEFING, MUS_EVALUATION, MusConceptDocument, MusConceptEvent
from app.appraisals.services import AppraisalError, current_mus_document, record_mus_event, set_mus_document
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.permissions import can, requires


def guideline_url(slug: str) -> str | None:
    """The library page of a guideline, or None while the guidelines feature has no such page."""
    try:
        return url_for("guidelines.show", slug=slug)
    except BuildError:
        return None


def _meetings():
    return db.session.scalars(select(MiniMedMeeting).where(MiniMedMeeting.home_id == current_user.home_id,
                                                           MiniMedMeeting.held_on <= clock.today())
                              .order_by(MiniMedMeeting.held_on.desc()).limit(40)).all()


def _render(document_form: MusDocumentForm | None = None, event_form: MusEventForm | None = None,
            status: int = 200):
    home_id = current_user.home_id
    today = clock.today()
    documents = db.session.scalars(select(MusConceptDocument).where(MusConceptDocument.home_id == home_id)
                                   .options(selectinload(MusConceptDocument.set_by))
                                   .order_by(MusConceptDocument.created_at.desc(), MusConceptDocument.id.desc())
                                   ).all()
    events = db.session.scalars(select(MusConceptEvent).where(MusConceptEvent.home_id == home_id)
                                .options(selectinload(MusConceptEvent.meeting))
                                .order_by(MusConceptEvent.year.desc(), MusConceptEvent.held_on.desc())).all()
    this_year = {e.kind: e for e in events if e.year == today.year}
    manage = can(current_user, "appraisals.mus_manage")
    if manage:
        document_form = document_form or MusDocumentForm(
            guideline_slug=documents[0].guideline_slug if documents else "mus-og-lus")
        event_form = event_form or MusEventForm(meetings=_meetings(), held_on=today,
                                                kind=MUS_BRIEFING if today.month == 12 else MUS_EVALUATION)
    current = documents[0] if documents else None
    return render_template(
        "appraisals/mus.html", current=current, current_url=guideline_url(current.guideline_slug) if current else None,
        documents=documents[1:], events=events, this_year=this_year, today=today, manage=manage,
        document_form=document_form, event_form=event_form, MUS_EVALUATION=MUS_EVALUATION, MUS_BRIEFING=MUS_BRIEFING,
    ), status


@bp.get("/mus")
@login_required
@requires("appraisals.mus_view")
def mus():
    return _render()


@bp.post("/mus/document")
@login_required
@requires("appraisals.mus_manage")
def mus_document():
    form = MusDocumentForm()
    if not form.validate_on_submit():
        return _render(document_form=form, status=400)
    try:
        set_mus_document(current_user.home, slug=form.guideline_slug.data, note=form.note.data, actor=current_user)
    except AppraisalError as error:
        db.session.rollback()
        form.guideline_slug.errors = [*form.guideline_slug.errors, str(error)]
        return _render(document_form=form, status=400)
    db.session.commit()
    flash(_("Det gældende MUS-koncept er opdateret."), "success")
    return redirect(url_for("appraisals.mus"))


@bp.post("/mus/events")
@login_required
@requires("appraisals.mus_manage")
def mus_event():
    form = MusEventForm(meetings=_meetings())
    if not form.validate_on_submit():
        return _render(event_form=form, status=400)
    try:
        row = record_mus_event(current_user.home, kind=form.kind.data, held_on=form.held_on.data,
                               meeting_id=form.meeting.data or None, note=form.note.data, actor=current_user,
                               today=clock.today())
    except AppraisalError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render(event_form=form, status=400)
    db.session.commit()
    flash(_("%(label)s %(year)s er registreret.", label=row.label, year=row.year), "success")
    return redirect(url_for("appraisals.mus"))


def current_document_slug(home_id: int) -> str | None:
    document = current_mus_document(home_id)
    return document.guideline_slug if document else None
