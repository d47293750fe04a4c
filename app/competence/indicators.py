"""Quality indicators for competence development; each is the one definition for the report and snapshot."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, exists, func, select

from app import clock
from app.competence import distribution
from app.competence.models import (
    CourseCompletion,
    CourseWish,
    Decision,
    DepartmentOverview,
    ImplementationAgreement,
    wish_deadline,
)
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.hooks import Finding, IndicatorResult, indicator
from app.need_to_know import PERSON
from app.people.constants import EmploymentType
from app.people.models import Department, Membership, User

GUIDELINE = "kompetenceudvikling"


def _departments(home, department_id):
    query = select(Department).where(Department.home_id == home.id, Department.is_active.is_(True))
    if department_id is not None:
        query = query.where(Department.id == department_id)
    return list(db.session.scalars(query.order_by(Department.name_sort_key)))


def _last_funds_year(home, on: date) -> int:
    """The funds year whose wish deadline is the latest one that has passed on the day."""
    return on.year + 1 if on > wish_deadline(home, on.year + 1) else on.year


@indicator("competence.wishes_on_time", "Kursusønsker indsendt rettidigt (senest 1. oktober)", GUIDELINE, order=50)
def wishes_on_time(home, department_id: int | None, on: date) -> IndicatorResult:
    """Permanent staff current on the deadline day who sent a wish for that funds year on time."""
    year = _last_funds_year(home, on)
    deadline = wish_deadline(home, year)
    departments = {d.id: d for d in _departments(home, department_id)}
    rows = db.session.execute(
        select(User.id, User.name, Membership.department_id).join(Membership, Membership.user_id == User.id)
        .where(User.home_id == home.id, Membership.department_id.in_(list(departments)),
               User.employment_type == EmploymentType.PERMANENT, User.is_disabled.is_(False),
               User.hired_on <= deadline, (User.left_on.is_(None)) | (User.left_on > deadline))
        .order_by(User.name_sort_key, User.id)).all()
    wishes = db.session.execute(select(CourseWish.user_id, CourseWish.submitted_at).where(
        CourseWish.home_id == home.id, CourseWish.year == year, CourseWish.status == "submitted",
        CourseWish.user_id.is_not(None))).all()
    on_time = {uid for uid, at in wishes if not clock.is_after_deadline(at, deadline)}
    seen, exceptions, met = set(), [], 0
    for person_id, name, dep_id in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        if person_id in on_time:
            met += 1
        else:
            exceptions.append(Finding(name, f"{departments[dep_id].name}: intet rettidigt ønske for {year}",
                                      subject_kind=PERSON, subject_id=person_id))
    return IndicatorResult(met=met, total=len(seen), exceptions=exceptions)


@indicator("competence.overviews_forwarded", "Afdelingernes ønskeoversigter sendt videre i oktober", GUIDELINE,
           order=51)
def overviews_forwarded(home, department_id: int | None, on: date) -> IndicatorResult:
    """Each department's overview forwarded by the end of the latest October that has passed."""
    october_year = on.year if on > date(on.year, 10, 31) else on.year - 1
    end = clock.end_of_day(date(october_year, 10, 31))
    departments = _departments(home, department_id)
    overviews = {o.department_id: o for o in db.session.scalars(select(DepartmentOverview).where(
        DepartmentOverview.home_id == home.id, DepartmentOverview.year == october_year + 1))}
    exceptions = []
    for department in departments:
        overview = overviews.get(department.id)
        if overview is None or overview.forwarded_at is None or overview.forwarded_at > end:
            exceptions.append((department.name, f"Oversigten for {october_year + 1} er ikke sendt i oktober"))
    return IndicatorResult(met=len(departments) - len(exceptions), total=len(departments), exceptions=exceptions)


@indicator("competence.distribution_first_meeting", "Fordelingen af kompetencemidler godkendt på årets første "
           "Mini-MED-møde", GUIDELINE, order=52)
def distribution_first_meeting(home, department_id: int | None, on: date) -> IndicatorResult:
    """The year's distribution approved at the first Mini-MED meeting held that year (home level)."""
    for year in (on.year, on.year - 1):
        first = db.session.scalar(select(MiniMedMeeting).where(
            MiniMedMeeting.home_id == home.id, MiniMedMeeting.held_on.between(date(year, 1, 1), on))
            .order_by(MiniMedMeeting.held_on).limit(1))
        if first is not None:
            break
    else:
        return IndicatorResult(met=0, total=0)
    approved = db.session.scalar(select(Decision.id).where(
        Decision.meeting_id == first.id, Decision.outcome.in_(("approved", "approved_with_changes"))).limit(1))
    if approved:
        return IndicatorResult(met=1, total=1)
    return IndicatorResult(met=0, total=1, exceptions=[
        (home.name, f"Fordelingen for {first.held_on.year} blev ikke godkendt på mødet {first.held_on:%d.%m.%Y}")])


@indicator("competence.implementation_agreements", "Gennemførte kurser med implementeringsaftale", GUIDELINE,
           order=53)
def implementation_agreements(home, department_id: int | None, on: date) -> IndicatorResult:
    """Courses completed in the 12 months up to the day, and whether an agreement exists by the day."""
    where = [CourseCompletion.home_id == home.id, CourseCompletion.completed_on.between(on - timedelta(days=365), on)]
    if department_id is not None:
        where.append(CourseCompletion.user_id.in_(
            select(Membership.user_id).where(Membership.department_id == department_id)))
    agreed = exists().where(ImplementationAgreement.completion_id == CourseCompletion.id,
                            ImplementationAgreement.agreed_on <= on)
    total, met = db.session.execute(select(func.count(), func.coalesce(func.sum(case((agreed, 1), else_=0)), 0))
                                    .select_from(CourseCompletion).where(*where)).one()
    missing = db.session.execute(
        select(CourseCompletion.user_id, User.name, CourseCompletion.title, CourseCompletion.completed_on)
        .join(User, User.id == CourseCompletion.user_id).where(*where, ~agreed)
        .order_by(CourseCompletion.completed_on, CourseCompletion.id)).all()
    names: dict[int, list[str]] = {}
    if missing:
        for user_id, name in db.session.execute(
                select(Membership.user_id, Department.name).join(Department, Department.id == Membership.department_id)
                .where(Membership.user_id.in_({m.user_id for m in missing})).order_by(Department.name_sort_key)):
            names.setdefault(user_id, []).append(name)
    exceptions = [Finding(m.name, f"{', '.join(names.get(m.user_id, ()))}: {m.title} "
                          f"({m.completed_on:%d.%m.%Y}) uden implementeringsaftale",
                          subject_kind=PERSON, subject_id=m.user_id) for m in missing]
    return IndicatorResult(met=int(met), total=int(total), exceptions=exceptions)


@indicator("competence.supervision", "Afholdt supervision i forhold til planlagt", GUIDELINE, order=54)
def supervision_held(home, department_id: int | None, on: date) -> IndicatorResult:
    """Planned sessions of the year's distribution against sessions held so far (capped at the plan)."""
    planned = distribution.planned_supervision(home.id, on.year)
    used = distribution.used_supervision(home.id, on.year)
    departments = {d.id: d for d in _departments(home, department_id)}
    met = total = 0
    exceptions = []
    expected_share = (on - date(on.year, 1, 1)).days / 365
    for dep_id, plan in planned.items():
        if dep_id not in departments or not plan["sessions"]:
            continue
        held = used.get(dep_id, {}).get("sessions", 0)
        total += plan["sessions"]
        met += min(held, plan["sessions"])
        if held < int(plan["sessions"] * expected_share):
            exceptions.append((departments[dep_id].name, f"{held} af {plan['sessions']} sessioner holdt"))
    return IndicatorResult(met=met, total=total, exceptions=exceptions)
