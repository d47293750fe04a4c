"""Demo talks and neuropedagogy records: most staff had MU talks over the last years, some are overdue,
the leaders had LU talks (one without a written agreement), and some skilled staff are flagged."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from app import clock
from app.appraisals.models import (
    LU,
    MU,
    MUS_BRIEFING,
    MUS_EVALUATION,
    NEURO_COMPLETED,
    NEURO_OFFERED,
    NEURO_STARTED,
    MusConceptEvent,
    NeuroRecord,
    Talk,
)
from app.extensions import db
from app.hooks import demo_loader
from app.people.constants import EmploymentType, Role
from app.people.models import User

POINTS = ["Kursus i low arousal", "Mere sparring med ressourceperson", "Dokumentation i DKM",
          "Følge-dage i anden afdeling", "Neuropædagogisk efteruddannelse", "Forflytningskursus",
          "Marte Meo-forløb", "Ansvar for sansemotorik i afdelingen"]
AGREEMENTS = ["Aftale: lederen deltager i ledernetværk og sætter tre mål for afdelingens dokumentation.",
              "Aftale: fokus på vikardækning og introduktion af nye medarbejdere; opfølgning om et halvt år."]


def _history(last: date, hired_on: date, left_on: date | None, years: int) -> list[date]:
    """The last talk and roughly yearly ones before it, never before hiring or after leaving."""
    days = []
    for n in range(years + 1):
        day = last - timedelta(days=365 * n)
        if day < hired_on:
            break
        if left_on is None or day < left_on:
            days.append(day)
    return days


def _talk(home_id: int, kind: str, person: User, held_on: date, held_by_id: int | None, rng: random.Random,
          agreement: str = "", completed: bool = True) -> dict:
    return {"home_id": home_id, "kind": kind, "employee_id": person.id, "held_by_id": held_by_id,
            "planned_on": held_on, "held_on": held_on, "development_points": rng.choice(POINTS),
            "written_agreement": agreement, "is_completed": completed, "wish_ids": [],
            "recorded_by_id": held_by_id, "created_at": clock.now(), "version": 1}


def _neuro_steps(home_id: int, person: User, rng: random.Random, today: date, head: User | None) -> list[dict]:
    """Most have completed it; some were offered it and started but not finished (flagged); some have nothing."""
    roll = rng.random()
    if person.email == "medarbejder@demo.dk" or 0.6 <= roll < 0.8:
        steps = [(NEURO_OFFERED, person.hired_on + timedelta(days=200)),
                 (NEURO_STARTED, min(today, person.hired_on + timedelta(days=700)))]
    elif roll < 0.6:
        steps = [(NEURO_COMPLETED, min(today, person.hired_on + timedelta(days=rng.randint(300, 1000))))]
    else:
        steps = []
    return [{"home_id": home_id, "user_id": person.id, "status": status, "happened_on": day, "note": "",
             "recorded_by_id": head.id if head else None, "created_at": clock.now()} for status, day in steps]


@demo_loader(order=70)
def load_appraisals(home, rng: random.Random, scale: str) -> None:
    today = clock.today()
    years = 4 if scale == "region" else 2
    people = db.session.scalars(select(User).where(User.home_id == home.id)
                                .options(selectinload(User.departments), selectinload(User.role_rows))
                                .order_by(User.id)).all()
    head = next((p for p in people if p.has_role(Role.HEAD)), None)
    leader_of = {}
    for p in people:
        if p.has_role(Role.DEPARTMENT_LEADER):
            for d in p.departments:
                leader_of.setdefault(d.id, p.id)
    talks: list[dict] = []
    neuro: list[dict] = []
    fixed = {"medarbejder@demo.dk": 340, "minimed@demo.dk": 420}
    incomplete_lu_done = False
    for person in people:
        if person.employment_type != EmploymentType.PERMANENT:
            continue
        if person.has_role(Role.HEAD):
            if person.is_skilled:  # the rule covers every permanent skilled employee, the head too
                neuro.append({"home_id": home.id, "user_id": person.id, "status": NEURO_COMPLETED,
                              "happened_on": min(today, person.hired_on + timedelta(days=500)), "note": "",
                              "recorded_by_id": person.id, "created_at": clock.now()})
            continue
        held_by = next((leader_of[d.id] for d in person.departments if d.id in leader_of), head.id if head else None)
        if person.has_role(Role.DEPARTMENT_LEADER):
            head_id = head.id if head else None
            first_leader = not incomplete_lu_done
            last = today - timedelta(days=420 if first_leader else rng.randint(20, 330))
            for day in _history(last, person.hired_on, person.left_on, years):
                talks.append(_talk(home.id, LU, person, day, head_id, rng, rng.choice(AGREEMENTS)))
            if first_leader:
                # This leader's latest LU was held but not closed with a written agreement: it does not count.
                talks.append(_talk(home.id, LU, person, today - timedelta(days=45), head_id, rng, "", completed=False))
                incomplete_lu_done = True
            continue
        if person.email in fixed:
            last = today - timedelta(days=fixed[person.email])
        else:
            roll = rng.random()
            if roll < 0.05:
                last = None
            elif roll < 0.20:
                last = today - timedelta(days=rng.randint(380, 600))
            else:
                last = today - timedelta(days=rng.randint(5, 360))
        if last is not None:
            for day in _history(last, person.hired_on, person.left_on, years):
                talks.append(_talk(home.id, MU, person, day, held_by, rng))
            if (today - last).days > 330 and person.left_on is None and rng.random() < 0.5:
                planned = _talk(home.id, MU, person, today, held_by, rng)
                planned.update(held_on=None, planned_on=today + timedelta(days=rng.randint(3, 40)), is_completed=False,
                               development_points="")
                talks.append(planned)
        if person.is_skilled and (today - person.hired_on).days > 900:
            neuro.extend(_neuro_steps(home.id, person, rng, today, head))
    if talks:
        db.session.execute(insert(Talk), talks)
    if neuro:
        db.session.execute(insert(NeuroRecord), neuro)
    _mus_events(home.id, today, head)


#: (kind, month, day): when the demo's Mini-MED evaluated the MUS concept and was briefed on next year's.
MUS_DAYS = ((MUS_EVALUATION, 10, 14), (MUS_BRIEFING, 12, 10))


def _mus_events(home_id: int, today: date, head: User | None) -> None:
    """Last year's and this year's MUS concept items that lie in the past are recorded (the årshjul reads
    these records)."""
    for year in (today.year - 1, today.year):
        for kind, month, day in MUS_DAYS:
            held_on = date(year, month, day)
            if held_on >= today:
                continue
            db.session.add(MusConceptEvent(home_id=home_id, kind=kind, year=year, held_on=held_on,
                                           note="Drøftet i Mini-MED på grundlag af tilbudslederens oplæg.",
                                           recorded_by_id=head.id if head else None))
