"""Demo data for Mini-MED's first and last meetings of the year and the departments' autumn suggestions.

This year's first meeting approved the written plan (beside the distribution, competence/demo.py) and was
presented the year's tilbudsplan; the departments' staff meetings in October/November sent their suggestions,
one department's are still missing; the year's last meeting, once held, evaluated the tilbudsplan."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.competence.demo import _at
from app.competence.meeting_models import (
    CompetencePlanApproval,
    DepartmentSuggestion,
    TilbudsplanEvaluation,
)
from app.competence.models import CompetencePlan
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.hooks import demo_loader
from app.people.constants import Role
from app.people.models import Department, User, UserRole

SUGGESTIONS = [
    ("Et fælles kursus i alternativ og supplerende kommunikation (ASK) for nye medarbejdere.",
     "Vi vil afprøve low arousal i aftensituationerne og følge op på personalemøderne."),
    ("Mere sansemotorisk træning og et opfølgningsforløb i konflikthåndtering.",
     "TEACCH-strukturen skal genopfriskes; to medarbejdere bliver ressourcepersoner."),
    ("Ingen nye kurser; vi ønsker at fastholde KRAP-forløbet fra i år.",
     "Marte Meo bruges kun lidt. Vi foreslår at drøfte, om metoden skal fortsætte."),
]


def _plan(home, year: int, head) -> CompetencePlan:
    plan = db.session.scalar(select(CompetencePlan).where(CompetencePlan.home_id == home.id,
                                                          CompetencePlan.year == year))
    if plan is None:
        plan = CompetencePlan(
            home_id=home.id, year=year,
            future_tasks="Flere børn med autisme og epilepsi; flere med behov for alternativ kommunikation.",
            competences_present="Neuropædagogik og low arousal er til stede i alle afdelinger; ASK skal bygges op.",
            priority_methods="ASK og totalkommunikation; fastholde KRAP.",
            priority_conflict_handling="Opfølgning på konflikthåndtering for hele tilbuddet.",
            finished_at=_at(date(year - 1, 12, 15)), finished_by_id=head.id if head else None)
        db.session.add(plan)
        db.session.flush()
    return plan


@demo_loader(order=55)
def load(home, rng, scale):
    today = clock.today()
    year = today.year
    meetings = list(db.session.scalars(select(MiniMedMeeting).where(
        MiniMedMeeting.home_id == home.id, MiniMedMeeting.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(MiniMedMeeting.held_on)))
    head = db.session.scalar(select(User).join(UserRole, UserRole.user_id == User.id).where(
        User.home_id == home.id, User.left_on.is_(None), UserRole.role == Role.HEAD).order_by(User.id).limit(1))
    by = head.id if head else None
    if meetings and meetings[0].held_on <= today:
        first = meetings[0]
        plan = _plan(home, year, head)
        if plan.is_finished and not plan.is_empty:
            db.session.add(CompetencePlanApproval(home_id=home.id, plan_id=plan.id, meeting_id=first.id,
                                                  note="Planen blev godkendt uden ændringer.",
                                                  decided_at=_at(first.held_on, 15), decided_by_id=by))
    departments = list(db.session.scalars(select(Department).where(Department.home_id == home.id,
                                                                   Department.is_active.is_(True))
                                          .order_by(Department.id)))
    for n, department in enumerate(departments[:-1] if len(departments) > 1 else []):
        meeting_on = min(date(year, 10, 7) + timedelta(days=9 * n), date(year, 11, 30))
        if meeting_on > today:
            continue
        suggestions, methods = SUGGESTIONS[n % len(SUGGESTIONS)]
        db.session.add(DepartmentSuggestion(home_id=home.id, department_id=department.id, year=year,
                                            meeting_on=meeting_on, suggestions=suggestions,
                                            methods_development=methods, recorded_at=_at(meeting_on, 16),
                                            recorded_by_id=by))
    if len(meetings) > 1 and meetings[-1].held_on <= today:
        last = meetings[-1]
        db.session.add(TilbudsplanEvaluation(
            home_id=home.id, meeting_id=last.id, year=year,
            evaluation="Kurserne i neuropædagogik og konflikthåndtering blev gennemført som planlagt; ASK-forløbet "
                       "blev udsat til næste år. Afdelingerne oplever, at low arousal nu bruges i hverdagen.",
            suggestions_note="Afdelingernes forslag fra personalemøderne i oktober og november blev lagt frem.",
            recorded_at=_at(last.held_on, 15), recorded_by_id=by))
