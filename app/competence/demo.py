"""Demo data: wishes on time and late, a forwarded overview, an approved distribution with supervision,
completed courses with and without implementation agreements. At region scale: years of history, in bulk."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app import clock
from app.competence.models import (
    CompetenceNeed,
    CourseCompletion,
    CourseWish,
    Decision,
    DepartmentOverview,
    Distribution,
    DistributionLine,
    ImplementationAgreement,
    SupervisionSession,
    wish_deadline,
)
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.hooks import demo_loader
from app.people.constants import EmploymentType, Role
from app.people.models import Department, ResourceFunction, User

COURSES = [("Neuropædagogik – grundmodul", "VIA Efter- og videreuddannelse", 8500),
           ("Low arousal i praksis", "Studio3", 4200), ("KRAP-certificering", "Center for KRAP", 14500),
           ("Marte Meo-terapeut", "Marte Meo Danmark", 18000), ("Konflikthåndtering, opfølgning", "Intern", 1500),
           ("TEACCH – struktur i hverdagen", "Autismeforeningen", 6200),
           ("Totalkommunikation og tegn til tale", "Kommunikationscentret", 3800),
           ("Sansemotorisk træning", "Fysioterapeutforeningen", 5400)]


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.TZ).astimezone(UTC)


def _staff(home) -> list[User]:
    return list(db.session.scalars(select(User).where(User.home_id == home.id, User.left_on.is_(None),
                                                      User.employment_type == EmploymentType.PERMANENT)
                                   .order_by(User.id)))


@demo_loader(order=50)
def load(home, rng, scale):
    today = clock.today()
    year = today.year
    departments = list(db.session.scalars(select(Department).where(Department.home_id == home.id)
                                          .order_by(Department.id)))
    staff = [u for u in _staff(home) if u.departments]
    if not departments or not staff:
        return
    if scale == "region" and not any(u.email.endswith("@demo.dk") for u in staff):
        _history_bulk(home, rng, staff, departments, years=range(year - 5, year + 1))
    else:
        _history_bulk(home, rng, staff, departments, years=range(year - 2, year + 1))
    _this_autumn(home, rng, staff, departments, year + 1)
    _current_distribution(home, rng, staff, departments, year)
    _courses(home, rng, staff, today)


def _history_bulk(home, rng, staff, departments, years) -> None:
    """Earlier years: one wish per person, every overview forwarded; plain inserts keep it fast."""
    rows, overviews = [], []
    for funds_year in years:
        deadline = wish_deadline(home, funds_year)
        for person in staff:
            if rng.random() < 0.25:
                continue
            title, provider, cost = rng.choice(COURSES)
            late = rng.random() < 0.08
            submitted = _at(deadline + timedelta(days=3) if late else deadline - timedelta(days=rng.randint(1, 40)))
            outcome = rng.choice(["approved", "approved", "approved_in_part", "rejected", "postponed"])
            rows.append(dict(home_id=home.id, department_id=person.departments[0].id, user_id=person.id,
                             year=funds_year, kind="course", title=title, provider=provider, cost=Decimal(cost),
                             responsibility_areas="Egne ansvarsområder i afdelingen", reason="", status="submitted",
                             submitted_at=submitted, submitted_by_id=person.id, outcome=outcome,
                             outcome_reason="", outcome_on=date(funds_year, 2, 12), version=1))
        for department in departments:
            overviews.append(dict(home_id=home.id, department_id=department.id, year=funds_year, recommendation="",
                                  forwarded_at=_at(deadline + timedelta(days=20)), updated_at=_at(deadline),
                                  version=1))
    if rows:
        db.session.execute(insert(CourseWish), rows)
    if overviews:
        db.session.execute(insert(DepartmentOverview), overviews)


def _wish(home, person, department, funds_year, submitted_at, rng, actor=None, **extra) -> CourseWish:
    title, provider, cost = rng.choice(COURSES)
    methods = [m for m in department.methods if m.is_active][:1]
    wish = CourseWish(home_id=home.id, department_id=department.id, user_id=person.id if person else None,
                      year=funds_year, kind="course", title=title, provider=provider, cost=Decimal(cost),
                      days=Decimal(2), methods=methods, reason="Styrker arbejdet med afdelingens målgruppe.",
                      submitted_at=submitted_at, submitted_by_id=(actor or person).id if (actor or person) else None,
                      **extra)
    db.session.add(wish)
    return wish


def _this_autumn(home, rng, staff, departments, funds_year) -> None:
    """Wishes for next year: most on time, one late (added by the leader) once the deadline has passed."""
    deadline = wish_deadline(home, funds_year)
    now = clock.now()
    first = departments[0]
    leader = next((u for u in staff if u.has_role(Role.DEPARTMENT_LEADER) and first in u.departments), None)
    for n, person in enumerate(staff[:12]):
        on_time = min(_at(deadline - timedelta(days=5 + n)), now - timedelta(hours=n + 1))
        _wish(home, person, person.departments[0], funds_year, on_time, rng)
    if clock.is_after_deadline(now, deadline):
        late_person = staff[-1]
        _wish(home, late_person, late_person.departments[0], funds_year, now - timedelta(hours=1), rng,
              actor=leader)
    _wish(home, None, first, funds_year, min(_at(deadline), now - timedelta(days=1)), rng, actor=leader)
    second = departments[1] if len(departments) > 1 else first
    october_end = date(funds_year - 1, 10, 31)
    if clock.today() <= october_end:
        db.session.add(DepartmentOverview(home_id=home.id, department_id=second.id, year=funds_year,
                                          recommendation="Vi prioriterer KRAP-certificering før enkeltkurser.",
                                          forwarded_at=now - timedelta(hours=2),
                                          forwarded_by_id=leader.id if leader else None))
        return
    # After October: every department but the first forwarded its overview in October (the real records the
    # årshjul, the overview page and the indicator all read); the first one's is still open, and late.
    for n, department in enumerate(departments[1:]):
        db.session.add(DepartmentOverview(home_id=home.id, department_id=department.id, year=funds_year,
                                          recommendation="Vi prioriterer KRAP-certificering før enkeltkurser."
                                          if department is second else "",
                                          forwarded_at=_at(october_end - timedelta(days=10 - n % 10)),
                                          forwarded_by_id=leader.id if leader else None))


def _meeting(home, day: date) -> MiniMedMeeting:
    meeting = db.session.scalar(select(MiniMedMeeting).where(MiniMedMeeting.home_id == home.id,
                                                             MiniMedMeeting.held_on == day))
    if meeting is None:
        meeting = MiniMedMeeting(home_id=home.id, held_on=day, title="Årets første Mini-MED-møde")
        db.session.add(meeting)
        db.session.flush()
    return meeting


def _current_distribution(home, rng, staff, departments, year) -> None:
    """This year's distribution, approved at the year's first Mini-MED meeting (or yesterday early in January)."""
    today = clock.today()
    meetings = db.session.scalars(select(MiniMedMeeting).where(
        MiniMedMeeting.home_id == home.id, MiniMedMeeting.held_on.between(date(year, 1, 1), today))
        .order_by(MiniMedMeeting.held_on)).all()
    meeting = meetings[0] if meetings else _meeting(home, max(date(year, 1, 1), today - timedelta(days=1)))
    head = next((u for u in staff if u.has_role(Role.HEAD)), None)
    dist = Distribution(home_id=home.id, year=year, revision=1, budget=Decimal("450000"), status="approved",
                        created_by_id=head.id if head else None, approved_at=_at(meeting.held_on, 15))
    wishes = db.session.scalars(select(CourseWish).where(CourseWish.home_id == home.id, CourseWish.year == year)
                                .limit(15)).all()
    for wish in wishes:
        dist.lines.append(DistributionLine(category="wish", department_id=wish.department_id, wish_id=wish.id,
                                           title=wish.title, amount=wish.cost if wish.outcome != "rejected" else 0,
                                           wish_outcome=wish.outcome or "approved"))
    dist.lines.append(DistributionLine(category="common", title="Neuropædagogik for nye medarbejdere",
                                       amount=Decimal("85000")))
    dist.lines.append(DistributionLine(category="common", title="Konflikthåndtering – hele tilbuddet",
                                       amount=Decimal("40000")))
    for n, department in enumerate(departments):
        dist.lines.append(DistributionLine(category="supervision", department_id=department.id,
                                           title="Ekstern supervision", supervisor=f"Supervisor {n + 1}",
                                           sessions=10, hours=Decimal(20), amount=Decimal("24000")))
        dist.lines.append(DistributionLine(category="department", department_id=department.id,
                                           title=f"Metodeudvikling: {department.methods[0].name}"
                                           if department.methods else "Metodeudvikling",
                                           amount=Decimal("15000")))
    db.session.add(dist)
    db.session.flush()
    db.session.add(Decision(home_id=home.id, distribution_id=dist.id, meeting_id=meeting.id, outcome="approved",
                            note="Fordelingen blev godkendt.",
                            decided_at=_at(meeting.held_on, 15), decided_by_id=head.id if head else None))
    months = max(today.month - 1, 0)
    sessions = [SupervisionSession(home_id=home.id, department_id=d.id, held_on=date(year, m, 10), sessions=1,
                                   hours=Decimal(2)) for d in departments for m in range(1, months + 1)
                if date(year, m, 10) <= today]
    db.session.add_all(sessions)
    db.session.add(CompetenceNeed(home_id=home.id, department_id=departments[0].id, source="admission",
                                  description="Nyt barn med behov for alternativ kommunikation (ASK).",
                                  raised_on=today - timedelta(days=20), raised_by_id=head.id if head else None))


def _courses(home, rng, staff, today) -> None:
    """Completed courses: some with an agreement (the person becomes a resource person), some without."""
    leader = next((u for u in staff if u.has_role(Role.DEPARTMENT_LEADER)), None)
    for n, person in enumerate(staff[2:10]):
        title, _, _ = COURSES[n % len(COURSES)]
        completion = CourseCompletion(home_id=home.id, user_id=person.id, title=title,
                                      completed_on=today - timedelta(days=30 + 20 * n),
                                      is_neuropedagogy=title.startswith("Neuropædagogik"),
                                      recorded_by_id=leader.id if leader else None)
        db.session.add(completion)
        if n % 3 != 0:
            completion.agreement = ImplementationAgreement(
                description="Oplæg på personalemøde og sparring med kolleger hver måned.",
                resource_topic=title.split(" – ")[0], agreed_on=completion.completed_on + timedelta(days=7),
                leader_id=leader.id if leader else None)
            db.session.add(ResourceFunction(user_id=person.id, topic=title.split(" – ")[0],
                                            since_on=completion.completed_on + timedelta(days=7)))


from app.competence import meeting_demo, tilbudsplan_demo  # noqa: E402,F401 - register their demo loaders
