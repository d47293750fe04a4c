"""Rules across the annual cycle's records: guideline duties as tasks, completions, Mini-MED meetings.

Functions here flush and write the audit log; they never commit (the route or command does).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import clock
from app.audit.services import record
from app.cycle.models import MiniMedMeeting, TaskCompletion
from app.cycle.rules import WhenError, due_dates
from app.extensions import db
from app.guidelines.models import PUBLISHED, SUPERSEDED, Guideline, GuidelineVersion
from app.guidelines.services import applies_to_home, cycle_entry, guideline_path
from app.hooks import Fulfilment, Task, fulfilment_source
from app.people.models import Department, Home, User

SOURCE = "cycle.guidelines"
#: The event that is one person's share of a duty (each employee's own course wish), not the whole duty.
PER_PERSON_EVENTS = frozenset({"competence.wish_submitted"})
#: Every event a guideline's cycle entry may name in `fulfilled_by` (guidelines/README.md).
FULFILLING_EVENTS = (
    "competence.wish_submitted",
    "competence.overview_forwarded",
    "competence.distribution_approved",
    "competence.plan_written",
    "competence.plan_approved",
    "competence.tilbudsplan_presented",
    "competence.tilbudsplan_evaluated",
    "competence.suggestions_recorded",
    "competence.tilbudsplan_written",
    "competence.methods_revised",
    "guidelines.reviewed",
    "appraisals.mus_concept_evaluated",
    "appraisals.mus_concept_briefed",
    "onboarding.temp_meeting_held",
)


def clean_text(value: str | None, limit: int) -> str:
    """Form text without control characters (PostgreSQL refuses NUL), newlines kept, trimmed to a limit."""
    text = (value or "").replace("\r\n", "\n")
    return "".join(c for c in text if c in "\n\t" or ord(c) >= 32).strip()[:limit]


class CycleError(Exception):
    """An action the annual cycle's rules refuse; the message is Danish and shown to the person."""


def cycle_entries(home: Home) -> list[dict]:
    """Every cycle entry of every published guideline that applies to the home (local and regional), in one query
    of the columns it needs: the same entries as `guidelines.services.published_cycle_entries`, each with
    `in_force_from`, the day the first published version of a guideline of its slug took effect (duties due
    before it are none)."""
    first = (select(Guideline.slug.label("slug"), func.min(GuidelineVersion.effective_from).label("day"))
             .join(GuidelineVersion, GuidelineVersion.guideline_id == Guideline.id)
             .where(applies_to_home(home), GuidelineVersion.status.in_([PUBLISHED, SUPERSEDED]))
             .group_by(Guideline.slug).subquery())
    rows = db.session.execute(
        select(Guideline.slug, GuidelineVersion.title, GuidelineVersion.cycle, first.c.day)
        .join(GuidelineVersion, and_(GuidelineVersion.guideline_id == Guideline.id,
                                     GuidelineVersion.status == PUBLISHED))
        .join(first, first.c.slug == Guideline.slug)
        .where(applies_to_home(home))
        .order_by(Guideline.slug, Guideline.id)
    )
    return [cycle_entry(slug, title, entry, in_force_from=in_force_from)
            for slug, title, cycle, in_force_from in rows for entry in cycle or []]


def departments_of(home_id: int) -> list:
    """The home's departments (id, name), active or not, in Danish order (the filters and the task lines name
    them)."""
    return list(db.session.execute(select(Department.id, Department.name).where(Department.home_id == home_id)
                                   .order_by(Department.name_sort_key)))


def task_uid(home_id: int, slug: str, key: str, department_id: int | None, due_on: date) -> str:
    """The task's stable identity (also its iCalendar UID): the same across runs and re-imports."""
    return f"cycle-{home_id}-{slug}-{key}-{department_id or 0}-{due_on.isoformat()}"


def personal_uid(uid: str, user_id: int) -> str:
    """The completion uid of one person's share of a collective duty."""
    return f"{uid}~u{user_id}"


def meeting_dates(home_id: int, start_year: int, end_year: int) -> list[date]:
    return list(db.session.scalars(
        select(MiniMedMeeting.held_on).where(
            MiniMedMeeting.home_id == home_id,
            MiniMedMeeting.held_on >= date(start_year, 1, 1), MiniMedMeeting.held_on <= date(end_year, 12, 31),
        ).order_by(MiniMedMeeting.held_on)
    ))


class Completion(NamedTuple):
    """What the årshjul reads of a completion: its done note and the undo rule."""

    uid: str
    home_id: int
    done_at: datetime
    done_by_id: int | None
    done_by_name: str | None


def completions_between(home_id: int, start: date, end: date) -> dict[str, Completion]:
    """The home's completions of tasks due in [start, end], by uid, in one query of the columns read."""
    rows = db.session.execute(
        select(TaskCompletion.uid, TaskCompletion.home_id, TaskCompletion.done_at, TaskCompletion.done_by_id,
               User.name)
        .outerjoin(User, User.id == TaskCompletion.done_by_id)
        .where(TaskCompletion.home_id == home_id, TaskCompletion.due_on >= start, TaskCompletion.due_on <= end)
    )
    return {row.uid: Completion(*row) for row in rows}


def done_note(completion: Completion) -> str:
    day = clock.to_local(completion.done_at).strftime("%d.%m.%Y")
    if completion.done_by_id is not None:
        return f"Markeret udført af {completion.done_by_name} {day}"
    return f"Udført automatisk {day}"


def record_based(entry: dict) -> bool:
    """A duty whose `fulfilled_by` event has records behind it is done exactly when they exist for its year."""
    name = entry.get("fulfilled_by")
    return bool(name) and name not in PER_PERSON_EVENTS and fulfilment_source(name) is not None


Slot = tuple[str, date, int | None]  # (uid, due day, department or None)


def _records(home: Home, wanted: list[tuple[dict, int]], last_year: int) -> dict[tuple[str, str], list[Fulfilment]]:
    """The fulfilling records of the record-based duties asked, each (event, guideline) read once for every duty
    year from the first asked to `last_year`, in date order. `wanted` is (entry, its first duty year)."""
    first_years: dict[tuple[str, str], int] = {}
    asked: dict[tuple[str, str], dict] = {}
    for entry, first_year in wanted:
        key = (entry["fulfilled_by"], entry["slug"])
        first_years[key] = min(first_year, first_years.get(key, first_year))
        asked.setdefault(key, entry)
    return {key: sorted(fulfilment_source(key[0])(home, first_year, last_year, asked[key]), key=lambda f: f.on)
            for key, first_year in first_years.items()}


def _notes_from_records(entry: dict, slots: list[Slot], records: list[Fulfilment]) -> dict[str, str]:
    """uid -> done note for the slots (every due day of the years asked) that the event's records fulfil.

    Each record, in date order, fulfils the open slot of its duty year (and department, for a per-department
    duty) due first on or after its day, else the last one before it. A record made before its duty's year
    (a plan for the year after next) fulfils nothing yet."""
    open_slots: dict[tuple[int, int | None], list[tuple[date, str]]] = defaultdict(list)
    for uid, due_on, department_id in slots:
        open_slots[(due_on.year, department_id)].append((due_on, uid))
    per_department = bool(entry.get("per_department"))
    notes: dict[str, str] = {}
    for row in records:
        if row.on.year < row.year:
            continue
        candidates = sorted(open_slots.get((row.year, row.department_id if per_department else None), []))
        if not candidates:
            continue
        due_on, uid = next(((d, u) for d, u in candidates if d >= row.on), candidates[-1])
        open_slots[(row.year, row.department_id if per_department else None)].remove((due_on, uid))
        notes[uid] = f"Udført automatisk {row.on:%d.%m.%Y}" + (f" ({row.note})" if row.note else "")
    return notes


def _slots(home: Home, entry: dict, start: date, end: date, first_year: int, departments: list[int],
           months, meetings: list[date]) -> list[Slot]:
    """The entry's due days from `first_year` to the end of the window; a duty fulfilled by records gets every
    due day of those years, so that the window cannot move which record fulfils which day."""
    first_day = entry.get("in_force_from") or start
    by_records = record_based(entry)
    slots = []
    for year in range(first_year, end.year + 1):
        try:
            days = due_dates(entry["when"], year, temp_meeting_months=months, meeting_dates=meetings)
        except WhenError:
            continue  # refused at import; an old stored entry must not break every page
        for due_on in days:
            if due_on < first_day or (not by_records and not start <= due_on <= end):
                continue
            for department_id in (departments if entry.get("per_department") else [None]):
                slots.append((task_uid(home.id, entry["slug"], entry["key"], department_id, due_on), due_on,
                              department_id))
    return slots


def guideline_tasks(home: Home, start: date, end: date, entries: list[dict] | None = None,
                    completions: dict[str, Completion] | None = None) -> list[Task]:
    """Every published cycle entry as tasks due in [start, end]; per-department ones once per active department.

    A duty fulfilled by records (`record_based`) is done when its record exists for its year, whatever any
    completion row says; other duties are done when marked (or by a per-person event's share). The statements
    do not depend on the data: the entries, departments, meetings and completions, and one per fulfilling event
    with due days in the window."""
    entries = cycle_entries(home) if entries is None else entries
    if not entries:
        return []
    departments = list(db.session.scalars(
        select(Department.id).where(Department.home_id == home.id, Department.is_active.is_(True))
        .order_by(Department.id)
    ))
    months = home.setting("temp_meeting_months")
    meetings = meeting_dates(home.id, start.year, end.year)
    if completions is None:
        completions = completions_between(home.id, start, end)
    planned = []
    for entry in entries:
        first_year = max(start.year, (entry.get("in_force_from") or start).year)
        planned.append((entry, first_year, _slots(home, entry, start, end, first_year, departments, months,
                                                  meetings)))
    records = _records(home, [(entry, first_year) for entry, first_year, slots in planned
                              if slots and record_based(entry)], end.year)
    tasks = []
    for entry, _first_year, slots in planned:
        by_records = record_based(entry)
        if by_records:
            notes = _notes_from_records(entry, slots, records.get((entry["fulfilled_by"], entry["slug"]), []))
        else:
            notes = {uid: done_note(completions[uid]) for uid, _, _ in slots if uid in completions}
        url = guideline_path(entry["slug"])
        for uid, due_on, department_id in slots:
            if not start <= due_on <= end:
                continue
            tasks.append(Task(
                uid=uid, title=entry["what"], due_on=due_on, home_id=home.id, source=SOURCE,
                responsible=entry["responsible"], department_id=department_id,
                is_done=uid in notes, done_note=notes.get(uid, ""),
                url=url, detail=entry["title"],
                fulfilled_by=entry["fulfilled_by"] if by_records else "",
            ))
    return tasks


def find_guideline_task(home: Home, uid: str) -> Task | None:
    """The guideline task with this uid (its due day is the uid's last ten characters), or None."""
    try:
        due_on = date.fromisoformat(uid[-10:])
    except ValueError:
        return None
    return next((t for t in guideline_tasks(home, due_on, due_on) if t.uid == uid), None)


def completion_for(home_id: int, uid: str) -> TaskCompletion | None:
    return db.session.scalar(select(TaskCompletion).where(TaskCompletion.home_id == home_id,
                                                          TaskCompletion.uid == uid))


def mark_done(task: Task, user, note: str = "") -> TaskCompletion:
    """A person marks a task done (who and when are recorded); a duty fulfilled by records never is."""
    if task.fulfilled_by:
        raise CycleError("Opgaven bliver udført, når det den handler om er registreret i portalen; "
                         "den kan ikke markeres som udført i hånden.")
    if task.is_done or completion_for(task.home_id, task.uid) is not None:
        raise CycleError("Opgaven er allerede markeret som udført.")
    completion = TaskCompletion(home_id=task.home_id, uid=task.uid, due_on=task.due_on, done_at=clock.now(),
                                done_by_id=user.id, note=clean_text(note, 2000))
    db.session.add(completion)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise CycleError("Opgaven er allerede markeret som udført.") from error
    record("cycle.task_done", completion, summary=f"Udført: {task.title}"[:300], home_id=task.home_id, actor=user,
           uid=task.uid, due_on=task.due_on.isoformat(), note=completion.note or None)
    return completion


def undo_done(task: Task, completion: TaskCompletion, user) -> None:
    """Take a completion back; the audit log keeps who did it, when, and who took it back."""
    record("cycle.task_undone", completion, summary=f"Fortrudt: {task.title}"[:300], home_id=task.home_id,
           actor=user, uid=task.uid, due_on=task.due_on.isoformat(), done_by_id=completion.done_by_id,
           done_at=completion.done_at.isoformat(), via_event=completion.via_event or None)
    db.session.delete(completion)
    db.session.flush()


def _add_completion(home_id: int, uid: str, due_on: date, name: str, note: str) -> bool:
    """Insert an automatic completion unless one exists; a concurrent twin only loses its savepoint."""
    if completion_for(home_id, uid) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(TaskCompletion(home_id=home_id, uid=uid, due_on=due_on, done_at=clock.now(),
                                          done_by_id=None, via_event=name, note=note))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def _pick(candidates: list[Task], on: date) -> Task | None:
    """The open task an event fulfils: the first due on or after the event's day, else the last one before it."""
    open_tasks = sorted((t for t in candidates if not t.is_done), key=lambda t: t.due_on)
    if not open_tasks:
        return None
    return next((t for t in open_tasks if t.due_on >= on), open_tasks[-1])


def complete_by_event(name: str, home_id: int | None = None, on: date | None = None, year: int | None = None,
                      department_id: int | None = None, user_id: int | None = None, slug: str | None = None,
                      **_ignored) -> list[str]:
    """Mark done the duties whose `fulfilled_by` names this event, in the event's home and year.

    Per-department duties need the event's department. `guidelines.reviewed` fulfils only the reviewed
    guideline's own duties. A per-person event (an employee's course wish) records that person's share
    only. Returns the uids completed.
    """
    home = db.session.get(Home, home_id) if home_id else None
    if home is None:
        return []
    on = on or clock.today()
    year = year or on.year
    entries = [e for e in cycle_entries(home) if e.get("fulfilled_by") == name
               and (slug is None or e["slug"] == slug) and not record_based(e)]
    if not entries:
        return []
    # A person's share is recorded under its own uid whatever the duty's state, so the year's completions (which
    # grow with every share) are not read for it: one course wish is one small insert, not a read of them all.
    completions = {} if name in PER_PERSON_EVENTS else None
    tasks = guideline_tasks(home, date(year, 1, 1), date(year, 12, 31), entries=entries, completions=completions)
    groups: dict[tuple, list[Task]] = defaultdict(list)
    for task in tasks:
        groups[task.uid.rsplit("-", 3)[0]].append(task)
    done = []
    note = f"Udført automatisk ({name})"
    for candidates in groups.values():
        if candidates[0].department_id is not None:
            candidates = [t for t in candidates if t.department_id == department_id]
        if name in PER_PERSON_EVENTS:
            if user_id is None or not candidates:
                continue
            task = min(candidates, key=lambda t: t.due_on)
            uid = personal_uid(task.uid, user_id)
        else:
            task = _pick(candidates, on)
            uid = task.uid if task else None
        if task is not None and _add_completion(home.id, uid, task.due_on, name, note):
            record("cycle.task_done_automatically", None, summary=f"Udført automatisk: {task.title}"[:300],
                   home_id=home.id, uid=uid, event=name, due_on=task.due_on.isoformat())
            done.append(uid)
    return done


def personal_done_uids(user, start: date, end: date) -> set[str]:
    """The collective tasks this person has done their own share of (e.g. sent their course wish)."""
    suffix = f"~u{user.id}"
    uids = db.session.scalars(
        select(TaskCompletion.uid).where(TaskCompletion.home_id == user.home_id, TaskCompletion.due_on >= start,
                                         TaskCompletion.due_on <= end, TaskCompletion.uid.like(f"%{suffix}"))
    )
    return {uid[: -len(suffix)] for uid in uids}


# Mini-MED meetings.


def meetings_of_year(home_id: int, year: int) -> list[MiniMedMeeting]:
    return list(db.session.scalars(
        select(MiniMedMeeting).where(MiniMedMeeting.home_id == home_id,
                                     MiniMedMeeting.held_on >= date(year, 1, 1),
                                     MiniMedMeeting.held_on <= date(year, 12, 31))
        .options(selectinload(MiniMedMeeting.attendees)).order_by(MiniMedMeeting.held_on)
    ))


def save_meeting(home: Home, meeting: MiniMedMeeting | None, data: dict, attendees: list, actor) -> MiniMedMeeting:
    """Schedule a meeting or update its date, title, minutes and attendees; one meeting per day."""
    clash = db.session.scalar(select(MiniMedMeeting.id).where(
        MiniMedMeeting.home_id == home.id, MiniMedMeeting.held_on == data["held_on"]))
    if clash is not None and (meeting is None or clash != meeting.id):
        raise CycleError("Der er allerede et Mini-MED-møde den dag.")
    creating = meeting is None
    if creating:
        meeting = MiniMedMeeting(home_id=home.id)
        db.session.add(meeting)
    before = None if creating else meeting.held_on
    meeting.held_on = data["held_on"]
    meeting.title = clean_text(data.get("title"), 160) or "Mini-MED-møde"
    meeting.minutes = clean_text(data.get("minutes"), 20000)
    meeting.attendees = list(attendees)
    db.session.flush()
    if creating:
        record("cycle.meeting_scheduled", meeting, summary=f"Mini-MED-møde planlagt {meeting.held_on.isoformat()}",
               actor=actor, held_on=meeting.held_on.isoformat(), title=meeting.title)
    else:
        record("cycle.meeting_updated", meeting, summary=f"Mini-MED-møde {meeting.held_on.isoformat()} opdateret",
               actor=actor, held_on=meeting.held_on.isoformat(),
               moved_from=before.isoformat() if before != meeting.held_on else None,
               attendees=len(meeting.attendees), has_minutes=bool(meeting.minutes))
    return meeting
