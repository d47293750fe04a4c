"""The rules across records: who is expected a talk, who is due or overdue, and the neuropedagogy rule.

Every function takes the day it answers for (`on`), so indicators and snapshots can ask about the past.
Lists are computed with a fixed number of queries, however many people the home has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app import clock
from app.appraisals.models import (
    DUE_DAYS,
    FIRST_TALK_MONTHS,
    FIRST_TALK_SETTING,
    INTERVAL_MONTHS,
    MU,
    NEURO_COMPLETED,
    NEURO_OFFERED,
    NEURO_STARTED,
    NeuroRecord,
    Talk,
)
from app.cache import per_request
from app.competence.models import CourseCompletion
from app.extensions import db
from app.people.constants import EmploymentType, Role
from app.people.models import Home, Membership, User, UserRole

OVERDUE = "overdue"
DUE = "due"
DONE = "done"
OK = "ok"
STATUS_LABELS = {OVERDUE: "Overskredet", DUE: "Snart", DONE: "Afholdt i år", OK: "I orden"}
STATUS_BADGES = {OVERDUE: "overdue", DUE: "due", DONE: "done", OK: "todo"}

#: Neuropedagogy must be offered within this many months of hiring; it is due this many months before.
NEURO_LIMIT_MONTHS = 36
NEURO_DUE_MONTHS = 6
NEURO_FLAGGED = "flagged"
NEURO_DUE = "due"
NEURO_DONE = "done"
NEURO_OFFERED_STATUS = "offered"
NEURO_OK = "ok"
NEURO_NOT_APPLICABLE = "n/a"
#: The rule is met when the course has been offered (or started) or completed.
NEURO_MET = (NEURO_DONE, NEURO_OFFERED_STATUS)
NEURO_STATUS_LABELS = {NEURO_FLAGGED: "Ikke tilbudt (over 3 år efter ansættelse)",
                       NEURO_DUE: "Skal tilbydes snart (inden 3 år)", NEURO_DONE: "Gennemført",
                       NEURO_OFFERED_STATUS: "Tilbudt", NEURO_OK: "Endnu ikke aktuel",
                       NEURO_NOT_APPLICABLE: "Gælder ikke (kun fastansatte faglærte)"}
NEURO_BADGES = {NEURO_FLAGGED: "overdue", NEURO_DUE: "due", NEURO_DONE: "done", NEURO_OFFERED_STATUS: "done",
                NEURO_OK: "todo", NEURO_NOT_APPLICABLE: "grey"}


def first_talk_months(home_id: int) -> int:
    """Months from hiring to the first talk: the home's own setting, else the guideline's yearly interval."""
    settings = db.session.scalar(select(Home.settings).where(Home.id == home_id)) or {}
    value = settings.get(FIRST_TALK_SETTING)
    return value if isinstance(value, int) and 1 <= value <= INTERVAL_MONTHS else FIRST_TALK_MONTHS


def expected_on(last_complete_on: date | None, hired_on: date, first_months: int = FIRST_TALK_MONTHS) -> date:
    """The day the next talk is expected: 12 months after the last complete one, else `first_months` after
    hiring (by default the same yearly interval)."""
    if last_complete_on is not None:
        return clock.add_months(last_complete_on, INTERVAL_MONTHS)
    return clock.add_months(hired_on, first_months)


def classify(last_complete_on: date | None, hired_on: date, on: date, first_months: int = FIRST_TALK_MONTHS) -> str:
    """Overdue after the expected day; due within 30 days before it (and on it); done if held this year; else ok."""
    return _classify_expected(expected_on(last_complete_on, hired_on, first_months), last_complete_on, on)


def _classify_expected(expected: date, last_complete_on: date | None, on: date) -> str:
    if on > expected:
        return OVERDUE
    if on >= expected - timedelta(days=DUE_DAYS):
        return DUE
    if last_complete_on is not None and last_complete_on.year == on.year:
        return DONE
    return OK


class Colleague(NamedTuple):
    """The columns of a person that a count or a task needs (see `talk_statuses`), instead of a loaded User."""

    id: int
    name: str
    hired_on: date
    home_id: int


@dataclass(frozen=True)
class TalkStatus:
    person: User | Colleague
    kind: str
    last_on: date | None
    expected_on: date
    status: str
    planned_on: date | None
    on: date

    @property
    def done_this_year(self) -> bool:
        """A complete talk was held in the calendar year of the day asked about."""
        return self.last_on is not None and self.last_on.year == self.on.year

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]


def _current(query, on: date):
    return query.where(User.hired_on <= on, or_(User.left_on.is_(None), User.left_on > on),
                       User.is_disabled.is_(False))


def _leader_role():
    return exists().where(UserRole.user_id == User.id, UserRole.role.in_((Role.DEPARTMENT_LEADER, Role.HEAD)))


def population_query(home_id: int, kind: str, on: date, department_ids: Iterable[int] | None = None):
    """MU: permanent staff who are not leaders; LU: department leaders. Temps and people who left are out."""
    query = _current(select(User).where(User.home_id == home_id), on)
    if kind == MU:
        query = query.where(User.employment_type == EmploymentType.PERMANENT, ~_leader_role())
    else:
        query = query.where(exists().where(UserRole.user_id == User.id, UserRole.role == Role.DEPARTMENT_LEADER))
    if department_ids is not None:
        query = query.where(exists().where(Membership.user_id == User.id,
                                           Membership.department_id.in_(list(department_ids))))
    return query


def _last_complete_on(kind: str, on: date):
    """The person's (`User` of the enclosing query) latest complete talk of a kind held on or before `on`: a
    correlated subquery the database answers from the (employee, kind, held) index."""
    return (select(func.max(Talk.held_on))
            .where(Talk.employee_id == User.id, Talk.kind == kind, Talk.is_complete, Talk.held_on <= on)
            .correlate(User).scalar_subquery())


def _next_planned_on(kind: str, on: date):
    """The person's earliest planned, not yet held talk of a kind (from `on` on), correlated the same way."""
    return (select(func.min(Talk.planned_on))
            .where(Talk.employee_id == User.id, Talk.kind == kind, Talk.held_on.is_(None), Talk.planned_on >= on)
            .correlate(User).scalar_subquery())


def last_complete_talks(user_ids: list[int], kind: str, on: date) -> dict[int, date]:
    """Batch: each person's latest complete talk of a kind held on or before `on`, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Talk.employee_id, func.max(Talk.held_on))
        .where(Talk.kind == kind, Talk.is_complete, Talk.held_on <= on, Talk.employee_id.in_(user_ids))
        .group_by(Talk.employee_id)
    ).all()
    return dict(rows)


def next_planned_talks(user_ids: list[int], kind: str, on: date) -> dict[int, date]:
    """Batch: each person's earliest planned, not yet held talk of a kind (from `on` on)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Talk.employee_id, func.min(Talk.planned_on))
        .where(Talk.kind == kind, Talk.held_on.is_(None), Talk.planned_on >= on, Talk.employee_id.in_(user_ids))
        .group_by(Talk.employee_id)
    ).all()
    return dict(rows)


def _first_base_expected_after(day: date, months: int) -> date:
    """The earliest base day whose talk, expected `months` later, is expected after `day`.

    `expected_on` grows with its base day, so "expected on or before `day`" is "base before this day": a
    comparison the database can make.
    """
    base = clock.add_months(day, -months)
    while clock.add_months(base, months) <= day:
        base += timedelta(days=1)
    while clock.add_months(base - timedelta(days=1), months) > day:
        base -= timedelta(days=1)
    return base


def status_expression(last_on, hired_on, on: date, first_months: int):
    """`classify` as a CASE the database evaluates: the expected day grows with its base day (the last complete
    talk, else hiring), so each status is "base before a day" worked out here once (tests hold the two together
    at the boundaries)."""
    overdue_before = {n: _first_base_expected_after(on - timedelta(days=1), n) for n in (first_months, INTERVAL_MONTHS)}
    due_before = {n: _first_base_expected_after(on + timedelta(days=DUE_DAYS), n)
                  for n in (first_months, INTERVAL_MONTHS)}
    never = last_on.is_(None)
    return case(
        (and_(never, hired_on < overdue_before[first_months]), OVERDUE),
        (and_(~never, last_on < overdue_before[INTERVAL_MONTHS]), OVERDUE),
        (and_(never, hired_on < due_before[first_months]), DUE),
        (and_(~never, last_on < due_before[INTERVAL_MONTHS]), DUE),
        (and_(~never, last_on >= date(on.year, 1, 1)), DONE),
        else_=OK)


def status_rows(home_id: int, kind: str, on: date, department_ids: Iterable[int] | None = None):
    """The population with each person's latest complete talk and status, as a subquery of plain columns
    (id, name, name_sort_key, hired_on, last_on, status) for a list or a count to select from.

    The latest talk is a grouped outer join, read from the (employee, kind, held) index person by person; the
    status a CASE over the grouped rows, so each person's talks are read once."""
    talk = and_(Talk.employee_id == User.id, Talk.kind == kind, Talk.is_complete, Talk.held_on <= on)
    people = (population_query(home_id, kind, on, department_ids)
              .with_only_columns(User.id, User.name, User.name_sort_key, User.hired_on,
                                 func.max(Talk.held_on).label("last_on"))
              .outerjoin(Talk, talk).group_by(User.id, User.name, User.name_sort_key, User.hired_on)
              .subquery())
    status = status_expression(people.c.last_on, people.c.hired_on, on, first_talk_months(home_id))
    return select(people, status.label("status")).subquery()


def due_or_overdue(home_id: int, kind: str, on: date, department_ids: Iterable[int] | None = None) -> list:
    """Who is due or overdue a talk of this kind, in name order, as rows (id, hired_on, last_on, status): the
    status worked out by the database, so only those rows are read."""
    rows = status_rows(home_id, kind, on, department_ids)
    return db.session.execute(
        select(rows.c.id, rows.c.hired_on, rows.c.last_on, rows.c.status)
        .where(rows.c.status.in_((DUE, OVERDUE))).order_by(rows.c.name_sort_key, rows.c.id)).all()


def statuses(home_id: int, kind: str, on: date | None = None, department_ids: Iterable[int] | None = None,
             with_departments: bool = True) -> list[TalkStatus]:
    """The talk status of everyone in a home (or some departments) who is expected a talk of this kind."""
    on = on or clock.today()
    query = population_query(home_id, kind, on, department_ids)
    if with_departments:
        query = query.options(selectinload(User.departments))
    people = db.session.scalars(query.order_by(User.name_sort_key, User.id)).all()
    return statuses_for(people, kind, on)


def talk_statuses(home_id: int, kind: str, on: date | None = None,
                  department_ids: Iterable[int] | None = None) -> list[TalkStatus]:
    """`statuses` with each person as a `Colleague` row: the population with its latest complete and next
    planned talk in one query, plus the home's first-talk setting.

    Answered once per application context and forgotten at the next flush, so a write is always seen."""
    on = on or clock.today()
    key = (home_id, kind, on, None if department_ids is None else tuple(sorted(department_ids)))
    return list(per_request("talk_statuses", key, lambda: _talk_statuses(home_id, kind, on, department_ids)))


def _talk_statuses(home_id: int, kind: str, on: date, department_ids: Iterable[int] | None) -> list[TalkStatus]:
    rows = db.session.execute(
        population_query(home_id, kind, on, department_ids)
        .with_only_columns(User.id, User.name, User.hired_on, User.home_id,
                           _last_complete_on(kind, on).label("last_on"), _next_planned_on(kind, on).label("planned_on"))
        .order_by(User.name_sort_key, User.id)).all()
    first = first_talk_months(home_id)
    return [_status(Colleague(r.id, r.name, r.hired_on, r.home_id), kind, r.last_on, r.planned_on, on, first)
            for r in rows]


def _status(person, kind: str, last_on: date | None, planned_on: date | None, on: date, first: int) -> TalkStatus:
    expected = expected_on(last_on, person.hired_on, first)
    return TalkStatus(person, kind, last_on, expected, _classify_expected(expected, last_on, on), planned_on, on)


def statuses_for(people: list[User], kind: str, on: date) -> list[TalkStatus]:
    """Batch: each person's status, their latest complete and next planned talk read in one query."""
    if not people:
        return []
    found = {r.id: r for r in db.session.execute(
        select(User.id, _last_complete_on(kind, on).label("last_on"), _next_planned_on(kind, on).label("planned_on"))
        .where(User.id.in_([p.id for p in people])))}
    first = {home_id: first_talk_months(home_id) for home_id in {p.home_id for p in people}}
    return [_status(p, kind, found[p.id].last_on, found[p.id].planned_on, on, first[p.home_id]) for p in people]


def is_in_population(person: User, kind: str, on: date) -> bool:
    if person.hired_on > on or person.has_left(on) or person.is_disabled:
        return False
    if kind == MU:
        return (person.employment_type == EmploymentType.PERMANENT
                and not person.has_role(Role.DEPARTMENT_LEADER, Role.HEAD))
    return person.has_role(Role.DEPARTMENT_LEADER)


def status_of(person: User, kind: str, on: date | None = None) -> TalkStatus | None:
    """One person's status for a kind of talk, or None when they are not expected that kind."""
    on = on or clock.today()
    if not is_in_population(person, kind, on):
        return None
    return statuses_for([person], kind, on)[0]


def counts(rows: list[TalkStatus]) -> dict[str, int]:
    """Overdue, due and done-this-year counts (a talk held this year counts even if the next is already due)."""
    return {
        OVERDUE: sum(r.status == OVERDUE for r in rows),
        DUE: sum(r.status == DUE for r in rows),
        DONE: sum(r.done_this_year for r in rows),
        "total": len(rows),
    }


def count_statuses(home_id: int, kind: str, on: date | None = None,
                   department_ids: Iterable[int] | None = None) -> dict[str, int]:
    """`counts(statuses(...))` counted by the database in one query, for panels that show only the numbers."""
    on = on or clock.today()
    rows = status_rows(home_id, kind, on, department_ids)
    done = and_(rows.c.last_on.is_not(None), rows.c.last_on >= date(on.year, 1, 1))
    row = db.session.execute(
        select(func.count(), func.sum(case((rows.c.status == OVERDUE, 1), else_=0)),
               func.sum(case((rows.c.status == DUE, 1), else_=0)), func.sum(case((done, 1), else_=0)))
        .select_from(rows)).one()
    total, overdue_n, due_n, done_n = (int(v or 0) for v in row)
    return {OVERDUE: overdue_n, DUE: due_n, DONE: done_n, "total": total}


def neuro_deadline(hired_on: date) -> date:
    """Neuropedagogical further education is to be offered within 3 years of hiring."""
    return clock.add_months(hired_on, NEURO_LIMIT_MONTHS)


def neuro_applies(person: User, on: date) -> bool:
    """The rule covers permanent skilled employees who work here on the day."""
    return (person.employment_type == EmploymentType.PERMANENT and person.is_skilled
            and person.hired_on <= on and not person.has_left(on) and not person.is_disabled)


def classify_neuro(hired_on: date, completed: bool, on: date, offered_on: date | None = None) -> str:
    """Done when completed, offered once offered (or started); without either, flagged when hired more than
    3 years ago and due within the 6 months before that point."""
    if completed:
        return NEURO_DONE
    if offered_on is not None and offered_on <= on:
        return NEURO_OFFERED_STATUS
    deadline = neuro_deadline(hired_on)
    if on > deadline:
        return NEURO_FLAGGED
    if on >= clock.add_months(deadline, -NEURO_DUE_MONTHS):
        return NEURO_DUE
    return NEURO_OK


def _completed_neuro_query(on: date):
    """Who completed it on or before `on`, whichever way it was registered: a step on the profile or a
    completed course marked as neuropedagogy under Kurser."""
    return (select(NeuroRecord.user_id.label("user_id"))
            .where(NeuroRecord.status == NEURO_COMPLETED, NeuroRecord.happened_on <= on)
            .union(select(CourseCompletion.user_id)
                   .where(CourseCompletion.is_neuropedagogy.is_(True), CourseCompletion.completed_on <= on)))


def completed_neuro_ids(user_ids: list[int], on: date) -> set[int]:
    """Batch: who has completed neuropedagogy on or before `on` (profile step or course record)."""
    if not user_ids:
        return set()
    done = _completed_neuro_query(on).subquery()
    return set(db.session.scalars(select(done.c.user_id).where(done.c.user_id.in_(user_ids))))


def offered_neuro_on(user_ids: list[int], on: date) -> dict[int, date]:
    """Batch: each person's first offer (or start, which implies one) dated on or before `on`."""
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(NeuroRecord.user_id, func.min(NeuroRecord.happened_on))
        .where(NeuroRecord.status.in_((NEURO_OFFERED, NEURO_STARTED)), NeuroRecord.happened_on <= on,
               NeuroRecord.user_id.in_(user_ids))
        .group_by(NeuroRecord.user_id)
    ).all())


def neuro_statuses(people: list[User], on: date) -> dict[int, str]:
    """Batch: each person's neuropedagogy status on a day (two queries however many people)."""
    ids = [p.id for p in people]
    done, offered = completed_neuro_ids(ids, on), offered_neuro_on(ids, on)
    return {p.id: classify_neuro(p.hired_on, p.id in done, on, offered.get(p.id)) for p in people}


def neuro_status(person: User, on: date | None = None) -> str:
    on = on or clock.today()
    if not neuro_applies(person, on):
        return NEURO_NOT_APPLICABLE
    return neuro_statuses([person], on)[person.id]


def neuro_population_query(home_id: int, on: date, department_ids: Iterable[int] | None = None):
    """Permanent skilled staff working here on the day: temps and unskilled staff are not covered."""
    query = _current(select(User).where(User.home_id == home_id), on).where(
        User.employment_type == EmploymentType.PERMANENT, User.is_skilled.is_(True))
    if department_ids is not None:
        query = query.where(exists().where(Membership.user_id == User.id,
                                           Membership.department_id.in_(list(department_ids))))
    return query
