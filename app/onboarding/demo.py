"""Demo onboarding: the three templates in every home, checklists with mixed progress for temps and new hires
(vikar@demo.dk part-way), and two temp meetings in the past year. Bulk inserts, so `--scale region` stays fast."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from app import clock, signals
from app.extensions import db
from app.hooks import demo_loader
from app.onboarding.constants import BY_LEADER
from app.onboarding.defaults import DEFAULT_TEMPLATES, item_dicts
from app.onboarding.models import (
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    TemplateItem,
    TempMeeting,
    TempMeetingAttendance,
    TempRestriction,
)
from app.onboarding.temps import items_for
from app.people.constants import EmploymentType, Role
from app.people.models import Membership, User, UserRole

DEMO_TEMP = "vikar@demo.dk"
#: The demo home's tasks temps may not do alone (Bilag A.3); the last one was taken off the list.
RESTRICTIONS = [
    ("Alenearbejde", "Der er altid en fastansat på vagt sammen med vikaren.", True),
    ("Medicingivning", "Den fastansatte på vagten giver medicinen; vikaren kan hjælpe til.", True),
    ("Ture ud af huset alene med et barn", "Vikaren går med som nummer to sammen med en fastansat.", True),
    ("Forflytning med lift", "", False),
]
NOTES = ["Bekræftet af bureauet pr. telefon.", "Bekræftet skriftligt af bureauet.", "3 føl-dage.", "4 føl-dage."]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=clock.TZ).astimezone(clock.TZ)


def _last_meeting_days(months: list[int], today: date) -> list[date]:
    """The two latest meeting days (the 15th of the home's temp-meeting months) on or before today."""
    days = [date(year, month, 15) for year in (today.year - 1, today.year) for month in months]
    return sorted(d for d in days if d <= today)[-2:]


@demo_loader(order=60)
def load(home, rng: random.Random, scale: str) -> None:
    today = clock.today()
    templates = {}
    for kind, name, items in DEFAULT_TEMPLATES:
        template = ChecklistTemplate(home_id=home.id, kind=kind, name=name, items=[
            TemplateItem(position=n, **item) for n, item in enumerate(item_dicts(items), start=1)])
        db.session.add(template)
        templates[kind] = template
    db.session.flush()

    people = db.session.scalars(
        select(User).where(User.home_id == home.id, User.left_on.is_(None),
                           (User.employment_type != EmploymentType.PERMANENT)
                           | (User.hired_on > today - timedelta(days=365)))
        .options(selectinload(User.departments)).order_by(User.id)
    ).all()
    leaders: dict[int, int] = {}
    head_id = None
    for user_id, role, department_id in db.session.execute(
        select(User.id, UserRole.role, Membership.department_id)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(User.home_id == home.id, UserRole.role.in_([Role.HEAD, Role.DEPARTMENT_LEADER]))
    ).all():
        if role == Role.HEAD:
            head_id = head_id or user_id
        else:
            leaders.setdefault(department_id, user_id)

    checklists = []
    for person in people:
        template = templates[person.employment_type]
        assigned_on = max(person.hired_on, today - timedelta(days=700))
        checklists.append((person, template, Checklist(
            home_id=home.id, user_id=person.id, template_id=template.id, template_revision=1, kind=template.kind,
            title=template.name, assigned_on=assigned_on, assigned_at=_moment(assigned_on))))
    db.session.add_all([c for _, _, c in checklists])
    db.session.add_all(TempRestriction(home_id=home.id, task=task, instead=instead, created_by_id=head_id,
                                       is_active=active, deactivated_at=None if active else clock.now(),
                                       deactivated_by_id=None if active else head_id)
                       for task, instead, active in RESTRICTIONS)
    db.session.flush()

    rows = []
    for person, template, checklist in checklists:
        signer = next((leaders[d.id] for d in person.departments if d.id in leaders), head_id)
        items = items_for(template, person)
        if person.email == DEMO_TEMP:
            done_count = 3
        else:
            roll = rng.random()
            done_count = (len(items) if roll < 0.45 else
                          rng.randint(1, len(items) - 1) if roll < 0.85 else 0)
        span = max((today - checklist.assigned_on).days, 0)
        day = checklist.assigned_on
        for n, item in enumerate(items):
            row = dict(checklist_id=checklist.id, position=item.position, text=item.text,
                       completed_by=item.completed_by, needs_date=item.needs_date, needs_note=item.needs_note,
                       is_required=item.is_required, guideline_slug=item.guideline_slug, note="", version=1,
                       done_on=None, completed_on=None, completed_at=None, completer_id=None)
            if n < done_count:
                day = min(day + timedelta(days=rng.randint(0, max(1, span // (len(items) + 1)))), today)
                row.update(completed_on=day, completed_at=_moment(day),
                           completer_id=signer if item.completed_by == BY_LEADER else person.id,
                           done_on=day if item.needs_date else None,
                           note=rng.choice(NOTES) if item.needs_note else "")
            rows.append(row)
    if rows:
        db.session.execute(insert(ChecklistItem), rows)

    temps = [p for p in people if p.is_temp]
    meeting_days = _last_meeting_days(list(home.setting("temp_meeting_months")), today)
    for held_on in meeting_days:
        meeting = TempMeeting(home_id=home.id, held_on=held_on, recorded_by_id=head_id,
                              recorded_at=_moment(held_on + timedelta(days=1)),
                              note="Nyt om magtanvendelse og dokumentation; erfaringer fra vagterne.")
        db.session.add(meeting)
        db.session.flush()
        # vikar@demo.dk missed the latest meeting, so the demo shows the flag on their own and the leader's page.
        present = [p.id for p in temps if p.hired_on <= held_on and rng.random() < 0.75
                   and not (p.email == DEMO_TEMP and held_on == meeting_days[-1])]
        if present:
            db.session.execute(insert(TempMeetingAttendance), [dict(meeting_id=meeting.id, user_id=i)
                                                               for i in present])
        signals.temp_meeting_held.send(home_id=home.id, on=held_on, year=held_on.year, department_id=None)
