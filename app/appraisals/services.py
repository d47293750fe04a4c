"""Changes: talks, neuropedagogy steps and the MUS concept. Each checks its rule, flushes and writes the
audit log; the route commits."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app import signals
from app.appraisals.models import (
    LU,
    MU,
    MUS_EVENT_NAMES,
    NEURO_COMPLETED,
    NEURO_LABELS,
    MusConceptDocument,
    MusConceptEvent,
    NeuroRecord,
    Talk,
)
from app.appraisals.status import completed_neuro_ids
from app.audit.services import record
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home, User

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class AppraisalError(Exception):
    """A change that is refused; the message is Danish and shown as is."""


def save_talk(talk: Talk | None, *, kind: str, employee: User, actor: User, today: date, planned_on: date | None,
              held_on: date | None, held_by: User | None, development_points: str, written_agreement: str,
              is_completed: bool, wish_ids: list[int] | None = None) -> Talk:
    """Plan or record a talk. Refuses future held dates, people who have left and LU talks closed without
    a written agreement."""
    if employee.has_left(today):
        raise AppraisalError(f"{employee.name} er fratrådt. Der kan ikke registreres samtaler for en fratrådt "
                             "medarbejder.")
    if kind == MU and employee.has_role(Role.DEPARTMENT_LEADER, Role.HEAD):
        raise AppraisalError("Ledere har LU-samtale med tilbudslederen, ikke MU-samtale.")
    if kind == LU and not employee.has_role(Role.DEPARTMENT_LEADER):
        raise AppraisalError("LU-samtaler holdes med afdelingslederne. Brug MU-samtale for medarbejdere.")
    if talk is not None and talk.held_on is not None and held_on is None:
        raise AppraisalError("En holdt samtale kan ikke gøres til en planlagt. Ret datoen, hvis den er forkert.")
    if planned_on is None and held_on is None:
        raise AppraisalError("Skriv enten den planlagte dato eller datoen, samtalen blev holdt.")
    if held_on is not None and held_on > today:
        raise AppraisalError("En afholdt samtale kan ikke dateres i fremtiden. Brug 'Planlagt dato' til en "
                             "kommende samtale.")
    for day in (planned_on, held_on):
        if day is not None and day < employee.hired_on:
            raise AppraisalError("Samtalen kan ikke ligge før medarbejderens ansættelsesdato.")
    if held_by is not None and (held_by.home_id != employee.home_id or held_by.id == employee.id):
        raise AppraisalError("Vælg en leder fra tilbuddet som samtaleholder.")
    agreement = (written_agreement or "").strip()
    if is_completed and held_on is None:
        raise AppraisalError("En samtale kan først markeres som afsluttet, når den er holdt.")
    if kind == LU and is_completed and not agreement:
        raise AppraisalError("En LU-samtale kan ikke markeres som afsluttet uden en skriftlig aftale.")
    created = talk is None
    if created:
        talk = Talk(home_id=employee.home_id, kind=kind, employee_id=employee.id, recorded_by_id=actor.id)
        db.session.add(talk)
    talk.planned_on = planned_on
    talk.held_on = held_on
    talk.held_by_id = held_by.id if held_by is not None else (actor.id if held_on else None)
    talk.development_points = " ".join((development_points or "").split())[:1000]
    talk.written_agreement = agreement
    talk.is_completed = held_on is not None if kind == MU else bool(is_completed)
    talk.wish_ids = sorted({int(i) for i in wish_ids or []})
    db.session.flush()
    record("appraisals.talk_recorded" if created else "appraisals.talk_changed", talk, actor=actor,
           summary=f"{talk.label}: {employee.name}", held_on=held_on.isoformat() if held_on else None,
           planned_on=planned_on.isoformat() if planned_on else None, complete=talk.is_complete)
    return talk


def record_neuro(person: User, *, status: str, happened_on: date, note: str, actor: User, today: date) -> NeuroRecord:
    """Add a step (offered, started, completed) to a person's neuropedagogy history."""
    if status not in NEURO_LABELS:
        raise AppraisalError("Vælg tilbudt, påbegyndt eller gennemført.")
    if person.has_left(today):
        raise AppraisalError(f"{person.name} er fratrådt; forløbet kan ikke længere registreres.")
    if happened_on > today:
        raise AppraisalError("Datoen kan ikke ligge i fremtiden.")
    if status != NEURO_COMPLETED and happened_on < person.hired_on:
        raise AppraisalError("Et tilbud eller en start kan ikke ligge før ansættelsesdatoen.")
    if status == NEURO_COMPLETED and person.id in completed_neuro_ids([person.id], today):
        raise AppraisalError(f"{person.name} har allerede gennemført neuropædagogisk efteruddannelse "
                             "(på profilen eller som kursus under Kurser); det skal kun registreres én gang.")
    row = NeuroRecord(home_id=person.home_id, user_id=person.id, status=status, happened_on=happened_on,
                      note=" ".join((note or "").split())[:300], recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record("appraisals.neuro_recorded", row, actor=actor, summary=f"Neuropædagogik {row.label.lower()}: "
           f"{person.name}", status=status, happened_on=happened_on.isoformat())
    return row


def current_mus_document(home_id: int) -> MusConceptDocument | None:
    return db.session.scalar(select(MusConceptDocument).where(MusConceptDocument.home_id == home_id)
                             .order_by(MusConceptDocument.created_at.desc(), MusConceptDocument.id.desc()).limit(1))


def set_mus_document(home: Home, *, slug: str, note: str, actor: User) -> MusConceptDocument:
    """Point the home's MUS concept at a guideline from the library; the previous choice stays as history."""
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug) or len(slug) > 120:
        raise AppraisalError("Skriv retningslinjens kortnavn med små bogstaver, tal og bindestreger, "
                             "f.eks. mus-og-lus.")
    row = MusConceptDocument(home_id=home.id, guideline_slug=slug, note=" ".join((note or "").split())[:300],
                             set_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record("appraisals.mus_document_set", row, actor=actor, summary=f"MUS-koncept: {slug}", home_id=home.id)
    return row


def record_mus_event(home: Home, *, kind: str, held_on: date | None, meeting_id: int | None, note: str,
                     actor: User, today: date) -> MusConceptEvent:
    """Record Mini-MED's October evaluation or December briefing and tell the årshjul the duty is done."""
    if kind not in MUS_EVENT_NAMES:
        raise AppraisalError("Vælg evaluering eller orientering.")
    meeting = None
    if meeting_id:
        meeting = db.session.get(MiniMedMeeting, meeting_id)
        if meeting is None or meeting.home_id != home.id:
            raise AppraisalError("Vælg et Mini-MED-møde i dit eget tilbud.")
        held_on = meeting.held_on
    if held_on is None:
        raise AppraisalError("Vælg Mini-MED-mødet eller skriv datoen.")
    if held_on > today:
        raise AppraisalError("Et punkt kan først registreres, når mødet er holdt; datoen ligger i fremtiden.")
    clash = db.session.scalar(select(MusConceptEvent.id).where(
        MusConceptEvent.home_id == home.id, MusConceptEvent.kind == kind, MusConceptEvent.year == held_on.year))
    if clash is not None:
        raise AppraisalError(f"Punktet er allerede registreret for {held_on.year}.")
    row = MusConceptEvent(home_id=home.id, kind=kind, year=held_on.year, held_on=held_on,
                          meeting_id=meeting.id if meeting else None, note=(note or "").strip()[:5000],
                          recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record(f"appraisals.mus_{kind}", row, actor=actor, summary=f"{row.label} {row.year}", home_id=home.id)
    signals.by_name(MUS_EVENT_NAMES[kind]).send(home_id=home.id, year=row.year, on=held_on, actor=actor)
    return row
