"""The records that fulfil the MUS concept duties of the årshjul (hooks.fulfilment): Mini-MED's October
evaluation and December briefing, one per year each."""

from __future__ import annotations

from sqlalchemy import select

from app.appraisals.models import MUS_EVENT_NAMES, MusConceptEvent
from app.extensions import db
from app.hooks import Fulfilment, fulfilment


def _source(kind: str):
    def source(home, first_year: int, last_year: int, entry=None):
        rows = db.session.execute(select(MusConceptEvent.year, MusConceptEvent.held_on).where(
            MusConceptEvent.home_id == home.id, MusConceptEvent.kind == kind,
            MusConceptEvent.year.between(first_year, last_year)))
        return [Fulfilment(year, held_on) for year, held_on in rows]

    return source


for _kind, _event in MUS_EVENT_NAMES.items():
    fulfilment(_event)(_source(_kind))
