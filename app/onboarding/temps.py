"""Rules about temps from Bilag A: the tasks temps may not do alone, and the framework agency.

Each change flushes and writes the audit log; the caller commits."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.audit.services import record
from app.database import danish_key
from app.extensions import db
from app.onboarding.models import TempRestriction
from app.people.constants import EmploymentType
from app.people.models import Home, User


class RestrictionError(Exception):
    """A refused change to the list of tasks temps may not do alone; the message is Danish."""


def _norm(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def needs_agency_confirmations(person: User) -> bool:
    """Bilag A.4: an agency temp not from the home's framework agency needs the agency's extra confirmations.

    A blank agency on the person, or no framework agency on the home, counts as another agency."""
    if person.employment_type != EmploymentType.AGENCY:
        return False
    framework = _norm(person.home.setting("framework_agency"))
    return not framework or _norm(person.agency) != framework


def items_for(template, person: User) -> list:
    """The template's items this person's checklist gets: the extra agency confirmations (Bilag A.4) only for a
    temp from an agency other than the home's framework agency."""
    extra = needs_agency_confirmations(person)
    return [item for item in template.items if not item.only_other_agency or extra]


def active_restrictions(home_id: int) -> list[TempRestriction]:
    """The home's current list of tasks temps may not do alone, in Danish alphabetical order (a short list per
    home, so it is sorted here rather than by a stored key)."""
    rows = db.session.scalars(select(TempRestriction).where(
        TempRestriction.home_id == home_id, TempRestriction.is_active.is_(True)).order_by(TempRestriction.id))
    return sorted(rows, key=lambda row: danish_key(row.task))


def all_restrictions(home_id: int) -> list[TempRestriction]:
    """Active first, then the deactivated ones (the history)."""
    rows = db.session.scalars(select(TempRestriction).where(TempRestriction.home_id == home_id)
                              .order_by(TempRestriction.id))
    return sorted(rows, key=lambda row: (not row.is_active, danish_key(row.task)))


def add_restriction(home: Home, task: str, instead: str, actor: User) -> TempRestriction:
    task = " ".join((task or "").split())[:300]
    if not task:
        raise RestrictionError("Skriv hvilken opgave vikarer ikke må varetage alene.")
    clash = db.session.scalar(select(TempRestriction.id).where(
        TempRestriction.home_id == home.id, TempRestriction.is_active.is_(True), TempRestriction.task == task))
    if clash is not None:
        raise RestrictionError("Opgaven står allerede på listen.")
    row = TempRestriction(home_id=home.id, task=task, instead=(instead or "").strip()[:4000],
                          created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record("onboarding.restriction_added", row, summary=task, actor=actor, home_id=home.id)
    return row


def deactivate_restriction(row: TempRestriction, actor: User) -> None:
    if not row.is_active:
        raise RestrictionError("Opgaven er allerede taget af listen.")
    row.is_active = False
    row.deactivated_at = clock.now()
    row.deactivated_by_id = actor.id
    db.session.flush()
    record("onboarding.restriction_deactivated", row, summary=row.task, actor=actor, home_id=row.home_id)
