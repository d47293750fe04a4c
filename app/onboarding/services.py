"""Onboarding rules across records: assigning checklists, ticking and signing off items, readiness,
templates, and temp meetings. Each change flushes and writes the audit log; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app import clock, signals
from app.audit.services import record
from app.extensions import db
from app.onboarding.constants import BY_LEADER, BY_SELF, KIND_LABELS, STUCK_DAYS
from app.onboarding.models import (
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    TemplateItem,
    TempMeeting,
    TempMeetingAttendance,
)
from app.onboarding.temps import items_for
from app.people.constants import EmploymentType, Role
from app.people.models import Membership, User
from app.web import dadate, genitive

#: How far back a temp meeting can be recorded.
MEETING_LOOKBACK_DAYS = 2 * 366


class OnboardingError(Exception):
    """A refused onboarding action; the message is Danish and shown as is."""


class NotAllowed(OnboardingError):
    """Refused because of who is asking (the route answers 403 with the message)."""


def clean_text(value: str | None, limit: int) -> str:
    """Form text without control characters (PostgreSQL refuses NUL); newlines and tabs stay; trimmed."""
    text = "".join(c for c in (value or "") if c in "\n\t" or (c >= " " and c != "\x7f"))
    return text.strip()[:limit]


def _dadate(day: date) -> str:
    from app.web import dadate

    return dadate(day)


def may_sign_off(actor: User, person: User) -> bool:
    """The head of the person's home, or a department leader of one of the person's departments (not themself)."""
    if actor.home_id != person.home_id or actor.id == person.id:
        return False
    if actor.has_role(Role.HEAD):
        return True
    return actor.has_role(Role.DEPARTMENT_LEADER) and bool(actor.department_ids & person.department_ids)


# Templates


def active_template_for(home_id: int, kind: str, department_ids: Iterable[int]) -> ChecklistTemplate | None:
    """The template a new person gets: one for their department if there is one, else the home's own."""
    templates = db.session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.home_id == home_id, ChecklistTemplate.kind == kind,
                                        ChecklistTemplate.is_retired.is_(False))
        .order_by(ChecklistTemplate.id)
    ).all()
    department_ids = set(department_ids)
    for template in templates:
        if template.department_id is not None and template.department_id in department_ids:
            return template
    return next((t for t in templates if t.department_id is None), None)


def save_template(home_id: int, template: ChecklistTemplate | None, *, name: str, kind: str,
                  department_id: int | None, items: list[dict], actor: User | None) -> ChecklistTemplate:
    """Create or change a template. Checklists already assigned keep their own copy of the items."""
    items = [dict(i, text=" ".join(clean_text(i.get("text"), 600).split())) for i in items]
    items = [i for i in items if i["text"]]
    if not items:
        raise OnboardingError("En skabelon skal have mindst ét punkt.")
    if kind not in KIND_LABELS:
        raise OnboardingError("Vælg hvem skabelonen er til.")
    created = template is None
    if created:
        template = ChecklistTemplate(home_id=home_id)
        db.session.add(template)
    else:
        template.revision += 1
    template.name = " ".join(clean_text(name, 400).split())[:160]
    if not template.name:
        raise OnboardingError("Skriv et navn til skabelonen.")
    template.kind = kind
    template.department_id = department_id
    template.changed_at = clock.now()
    template.changed_by_id = getattr(actor, "id", None)
    template.items = [
        TemplateItem(position=n, text=" ".join(i["text"].split())[:300],
                     completed_by=BY_LEADER if i.get("completed_by") == BY_LEADER else BY_SELF,
                     needs_date=bool(i.get("needs_date")), needs_note=bool(i.get("needs_note")),
                     is_required=bool(i.get("is_required", True)), guideline_slug=(i.get("guideline_slug") or None),
                     only_other_agency=bool(i.get("only_other_agency")))
        for n, i in enumerate(items, start=1)
    ]
    db.session.flush()
    record("onboarding.template_created" if created else "onboarding.template_changed", template,
           summary=template.name, actor=actor, revision=template.revision, items=len(template.items))
    return template


def checklists_using(template: ChecklistTemplate) -> int:
    return db.session.scalar(select(func.count(Checklist.id)).where(Checklist.template_id == template.id)) or 0


def delete_template(template: ChecklistTemplate, actor: User) -> None:
    used = checklists_using(template)
    if used:
        raise OnboardingError(
            f"Skabelonen er brugt i {used} tjekliste(r) og kan ikke slettes. "
            "Tag den ud af brug i stedet; de tildelte tjeklister bevares."
        )
    record("onboarding.template_deleted", template, summary=template.name, actor=actor)
    db.session.delete(template)
    db.session.flush()


def set_template_retired(template: ChecklistTemplate, retired: bool, actor: User) -> None:
    template.is_retired = retired
    db.session.flush()
    record("onboarding.template_retired" if retired else "onboarding.template_reactivated", template,
           summary=template.name, actor=actor)


# Assignment


def assign(person: User, template: ChecklistTemplate, actor: User | None, today: date) -> Checklist:
    """Give a person a checklist: a copy of the template's current items, so later edits leave it alone.

    Items only for temps from another agency than the framework agency are left out for everyone else."""
    if template.home_id != person.home_id:
        raise OnboardingError("Skabelonen hører til et andet tilbud.")
    if template.is_retired:
        raise OnboardingError("Skabelonen er taget ud af brug og kan ikke tildeles.")
    if not template.items:
        raise OnboardingError("Skabelonen har ingen punkter.")
    if person.has_left(today):
        raise OnboardingError(f"{person.name} er fratrådt og kan ikke få en ny tjekliste.")
    already = db.session.scalar(select(Checklist.id).where(Checklist.user_id == person.id,
                                                            Checklist.template_id == template.id))
    if already is not None:
        raise OnboardingError(f"{person.name} har allerede tjeklisten »{template.name}«.")
    checklist = Checklist(
        home_id=person.home_id, user_id=person.id, template_id=template.id, template_revision=template.revision,
        kind=template.kind, title=template.name, assigned_on=today, assigned_by_id=getattr(actor, "id", None),
        items=[ChecklistItem(position=i.position, text=i.text, completed_by=i.completed_by, needs_date=i.needs_date,
                             needs_note=i.needs_note, is_required=i.is_required, guideline_slug=i.guideline_slug)
               for i in items_for(template, person)],
    )
    db.session.add(checklist)
    db.session.flush()
    record("onboarding.assigned", checklist, summary=f"{person.name}: {template.name}", actor=actor,
           user_id=person.id, template_id=template.id, revision=template.revision)
    return checklist


def auto_assign(person: User, today: date) -> Checklist | None:
    """The checklist a new person gets for their employment type, if the home has a template for it. Someone who
    has left gets none (a leader correcting a former colleague's employment type starts no introduction)."""
    if person.has_left(today):
        return None
    template = active_template_for(person.home_id, person.employment_type, person.department_ids)
    if template is None or not template.items:
        return None
    return assign(person, template, None, today)


# Ticking and signing off


def complete_item(item: ChecklistItem, actor: User, *, done_on: date | None, note: str, today: date) -> None:
    """Tick one's own item or sign off a leader's item, with the date and note the item asks for."""
    person = item.checklist.user
    if item.is_done:
        by = item.completer.name if item.completer else "en anden"
        raise OnboardingError(f"Punktet er allerede afkrydset af {by} den {_dadate(item.completed_on)}.")
    if item.is_leader_item:
        if actor.id == person.id:
            raise NotAllowed("Dette punkt skal kvitteres af din leder. Du kan ikke selv afkrydse det.")
        if not may_sign_off(actor, person):
            raise NotAllowed(f"Kun en leder af {genitive(person.name)} afdeling eller tilbudslederen kan kvittere for "
                             "dette punkt.")
    elif actor.id != person.id:
        raise NotAllowed(f"Dette punkt afkrydser {person.name} selv.")
    if person.has_left(today):
        raise OnboardingError(f"{person.name} er fratrådt. Tjeklisten kan læses, men ikke ændres.")
    note = clean_text(note, 2000)
    if item.needs_date and done_on is None:
        raise OnboardingError("Skriv datoen for punktet (f.eks. datoen på e-learning-beviset).")
    if done_on is not None:
        if done_on > today:
            raise OnboardingError("Datoen kan ikke ligge i fremtiden.")
        if done_on < person.hired_on:
            raise OnboardingError(f"Datoen kan ikke ligge før ansættelsesdatoen ({_dadate(person.hired_on)}).")
    if item.needs_note and not note:
        raise OnboardingError("Skriv en note til punktet.")
    item.done_on = done_on
    item.note = note
    item.completed_on = today
    item.completed_at = clock.now()
    item.completer_id = actor.id
    db.session.flush()
    record("onboarding.item_signed_off" if item.is_leader_item else "onboarding.item_ticked", item.checklist,
           summary=f"{person.name}: {item.text}"[:300], actor=actor, item_id=item.id,
           done_on=done_on.isoformat() if done_on else None)
    if item.guideline_slug and not item.is_leader_item:
        signals.guideline_read.send(home_id=person.home_id, user_id=person.id, slug=item.guideline_slug,
                                    on=today)


# Progress and readiness


def checklists_for(user_ids: Iterable[int], *, with_completers: bool = True) -> dict[int, list[Checklist]]:
    """Every checklist of the people, with items (and who completed them) loaded, by person."""
    ids = list(set(user_ids))
    result: dict[int, list[Checklist]] = {i: [] for i in ids}
    if not ids:
        return result
    items = selectinload(Checklist.items)
    rows = db.session.scalars(
        select(Checklist).where(Checklist.user_id.in_(ids))
        .options(items.selectinload(ChecklistItem.completer) if with_completers else items)
        .order_by(Checklist.assigned_on, Checklist.id)
    ).all()
    for checklist in rows:
        result[checklist.user_id].append(checklist)
    return result


@dataclass(frozen=True)
class ChecklistSummary:
    """A checklist's counts, for lists of many people (no item rows loaded)."""

    id: int
    user_id: int
    title: str
    assigned_on: date
    total: int
    done: int
    required: int
    required_done: int
    open_leader_items: int
    last_done_on: date | None

    @property
    def is_complete(self) -> bool:
        return self.required_done == self.required

    @property
    def last_activity_on(self) -> date:
        return max(self.assigned_on, self.last_done_on or self.assigned_on)


def checklist_summaries(user_ids: Iterable[int]) -> dict[int, list[ChecklistSummary]]:
    """Every checklist of the people as counts, by person, in one query."""
    ids = list(set(user_ids))
    result: dict[int, list[ChecklistSummary]] = {i: [] for i in ids}
    if not ids:
        return result
    done = ChecklistItem.completed_at.is_not(None)
    required = ChecklistItem.is_required.is_(True)
    rows = db.session.execute(
        select(Checklist.id, Checklist.user_id, Checklist.title, Checklist.assigned_on, func.count(ChecklistItem.id),
               func.count(case((done, 1))), func.count(case((required, 1))),
               func.count(case((done & required, 1))),
               func.count(case(((ChecklistItem.completed_by == BY_LEADER) & ChecklistItem.completed_at.is_(None), 1))),
               func.max(ChecklistItem.completed_on))
        .join(ChecklistItem, ChecklistItem.checklist_id == Checklist.id)
        .where(Checklist.user_id.in_(ids))
        .group_by(Checklist.id, Checklist.user_id, Checklist.title, Checklist.assigned_on)
        .order_by(Checklist.assigned_on, Checklist.id)
    ).all()
    for row in rows:
        result[row[1]].append(ChecklistSummary(*row))
    return result


def progress_on(user_ids: Iterable[int], on: date) -> dict[int, tuple[int, int]]:
    """Person id -> (required items, required items done by `on`) over the checklists assigned to them by `on`;
    people with no such checklist are left out."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    assigned = db.session.scalars(
        select(Checklist.user_id).where(Checklist.user_id.in_(ids), Checklist.assigned_on <= on)).all()
    result = dict.fromkeys(assigned, (0, 0))
    for user_id, total, done in db.session.execute(
        select(Checklist.user_id, func.count(ChecklistItem.id),
               func.count(case((ChecklistItem.completed_on <= on, ChecklistItem.id))))
        .join(ChecklistItem, ChecklistItem.checklist_id == Checklist.id)
        .where(Checklist.user_id.in_(ids), Checklist.assigned_on <= on, ChecklistItem.is_required.is_(True))
        .group_by(Checklist.user_id)
    ).all():
        result[user_id] = (total, done)
    return result


def readiness(user_ids: Iterable[int], on: date | None = None) -> dict[int, bool]:
    """Who has completed the introduction on a day (default today): every required item of every checklist assigned
    to them by then was done by then. A person with no checklist is ready unless they are a temp, since
    temps must have completed onboarding; permanent staff from before the portal have no checklist."""
    on = on or clock.today()
    ids = list(set(user_ids))
    if not ids:
        return {}
    progress = progress_on(ids, on)
    types = dict(db.session.execute(select(User.id, User.employment_type).where(User.id.in_(ids))).all())
    temps = {EmploymentType.ON_CALL.value, EmploymentType.AGENCY.value}
    return {user_id: (progress[user_id][0] == progress[user_id][1]) if user_id in progress
            else types.get(user_id) not in temps for user_id in ids}


def has_completed_introduction(user: User, on: date | None = None) -> bool:
    """All required onboarding items done (see readiness)."""
    return readiness([user.id], on).get(user.id, False)


def is_stuck(checklist: Checklist | ChecklistSummary, today: date) -> bool:
    """Under way, not complete, and nothing ticked for STUCK_DAYS days."""
    return not checklist.is_complete and (today - checklist.last_activity_on).days >= STUCK_DAYS


# Temp meetings


def record_meeting(home_id: int, *, held_on: date, department_id: int | None, attendee_ids: Iterable[int],
                   note: str, actor: User, today: date) -> TempMeeting:
    """Record a vikarmøde that has been held, with the temps who attended; fulfils the årshjul duty."""
    if held_on > today:
        raise OnboardingError("Et vikarmøde registreres, når det er holdt. Datoen kan ikke ligge i fremtiden.")
    if held_on < today - timedelta(days=MEETING_LOOKBACK_DAYS):
        raise OnboardingError("Vikarmøder kan registreres op til to år tilbage.")
    clash = db.session.scalar(select(TempMeeting.id).where(
        TempMeeting.home_id == home_id, TempMeeting.held_on == held_on,
        TempMeeting.department_id.is_(None) if department_id is None else TempMeeting.department_id == department_id))
    if clash is not None:
        raise OnboardingError(f"Der er allerede registreret et vikarmøde den {_dadate(held_on)}.")
    attendee_ids = set(attendee_ids)
    eligible = {t.id for t in temps_current_on(home_id, held_on)}
    if not attendee_ids <= eligible:
        raise OnboardingError("Deltagerne skal være vikarer i tilbuddet, som var ansat på mødedagen.")
    meeting = TempMeeting(home_id=home_id, department_id=department_id, held_on=held_on, note=clean_text(note, 4000),
                          recorded_by_id=actor.id)
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all([TempMeetingAttendance(meeting_id=meeting.id, user_id=i) for i in sorted(attendee_ids)])
    db.session.flush()
    record("onboarding.temp_meeting_recorded", meeting, summary=f"Vikarmøde {dadate(held_on)}", actor=actor,
           attendees=len(attendee_ids), department_id=department_id)
    signals.temp_meeting_held.send(home_id=home_id, on=held_on, year=held_on.year,
                                   department_id=department_id)
    return meeting


def _current_on(on: date):
    return ((User.left_on.is_(None)) | (User.left_on > on)) & (User.hired_on <= on)


def temps_current_on(home_id: int, on: date, department_id: int | None = None) -> list[User]:
    """Temps (on-call and agency) employed on a day, optionally in one department."""
    query = select(User).where(User.home_id == home_id, _current_on(on),
                               User.employment_type.in_([EmploymentType.ON_CALL, EmploymentType.AGENCY]))
    if department_id is not None:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.department_id == department_id)))
    return list(db.session.scalars(query.options(selectinload(User.departments))
                                   .order_by(User.name_sort_key, User.id)).all())


def meeting_attendance(home_id: int, people: Iterable[User], on: date | None = None
                       ) -> dict[int, tuple[TempMeeting, bool]]:
    """For each temp: the last temp meeting that applied to them (the home's or their department's latest held
    on or before `on`) if they were employed on its day and still are on `on`, and whether they attended."""
    on = on or clock.today()
    temps = [p for p in people if p.is_temp and not p.has_left(on)]
    if not temps:
        return {}
    meetings = db.session.scalars(
        select(TempMeeting).where(TempMeeting.home_id == home_id, TempMeeting.held_on <= on)
        .options(selectinload(TempMeeting.department))
        .order_by(TempMeeting.held_on.desc(), TempMeeting.id.desc()).limit(100)
    ).all()
    if not meetings:
        return {}
    attended: dict[int, set[int]] = {m.id: set() for m in meetings}
    for meeting_id, user_id in db.session.execute(
        select(TempMeetingAttendance.meeting_id, TempMeetingAttendance.user_id)
        .where(TempMeetingAttendance.meeting_id.in_(list(attended)))
    ).all():
        attended[meeting_id].add(user_id)
    result = {}
    for person in temps:
        departments = person.department_ids
        last = next((m for m in meetings if m.department_id is None or m.department_id in departments), None)
        if last is None:
            continue
        if person.hired_on <= last.held_on and (person.left_on is None or person.left_on > last.held_on):
            result[person.id] = (last, person.id in attended[last.id])
    return result


def missed_last_meeting(home_id: int, people: Iterable[User], on: date | None = None) -> dict[int, TempMeeting]:
    """Temps who missed the last temp meeting that applied to them while employed; person id -> that meeting."""
    return {user_id: meeting for user_id, (meeting, was_there) in meeting_attendance(home_id, people, on).items()
            if not was_there}
