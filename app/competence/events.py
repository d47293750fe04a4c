"""The records that fulfil the competence duties of the årshjul (hooks.fulfilment): an overview forwarded, the
distribution approved by Mini-MED, the written plan finished. Each is read for the year its duty is about."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app import clock
from app.competence.models import CompetencePlan, Decision, DepartmentOverview
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.hooks import Fulfilment, fulfilment

APPROVING_OUTCOMES = ("approved", "approved_with_changes")


@fulfilment("competence.overview_forwarded")
def overviews_forwarded(home, first_year: int, last_year: int, entry=None):
    """The overview for funds year Y, while forwarded, answers the October duty of year Y-1."""
    rows = db.session.execute(select(DepartmentOverview.year, DepartmentOverview.department_id,
                                     DepartmentOverview.forwarded_at).where(
        DepartmentOverview.home_id == home.id, DepartmentOverview.forwarded_at.is_not(None),
        DepartmentOverview.year.between(first_year + 1, last_year + 1)))
    return [Fulfilment(year - 1, clock.to_local(at).date(), department_id) for year, department_id, at in rows]


@fulfilment("competence.distribution_approved")
def distributions_approved(home, first_year: int, last_year: int, entry=None):
    """Mini-MED's approval of a distribution, in the year of the meeting it was taken at."""
    days = db.session.scalars(select(MiniMedMeeting.held_on).join(Decision, Decision.meeting_id == MiniMedMeeting.id)
                              .where(Decision.home_id == home.id, Decision.outcome.in_(APPROVING_OUTCOMES),
                                     MiniMedMeeting.held_on.between(date(first_year, 1, 1), date(last_year, 12, 31)))
                              .distinct())
    return [Fulfilment(day.year, day) for day in days]


@fulfilment("competence.plan_written")
def plans_written(home, first_year: int, last_year: int, entry=None):
    """The plan for year Y, once finished, answers the December duty of year Y-1."""
    rows = db.session.execute(select(CompetencePlan.year, CompetencePlan.finished_at).where(
        CompetencePlan.home_id == home.id, CompetencePlan.finished_at.is_not(None),
        CompetencePlan.year.between(first_year + 1, last_year + 1)))
    return [Fulfilment(year - 1, clock.to_local(at).date()) for year, at in rows]


@fulfilment("competence.tilbudsplan_written")
def tilbudsplans_written(home, first_year: int, last_year: int, entry=None):
    """The tilbudsplan for year Y, once a revision of it is finished, answers the December duty of year Y-1."""
    from app.competence.models import TilbudsplanVersion

    rows = db.session.execute(select(TilbudsplanVersion.year, func.min(TilbudsplanVersion.finished_at)).where(
        TilbudsplanVersion.home_id == home.id, TilbudsplanVersion.finished_at.is_not(None),
        TilbudsplanVersion.year.between(first_year + 1, last_year + 1)).group_by(TilbudsplanVersion.year))
    return [Fulfilment(year - 1, clock.to_local(at).date()) for year, at in rows]


@fulfilment("competence.methods_revised")
def methods_revised(home, first_year: int, last_year: int, entry=None):
    """The December revision of approaches and methods is written into next year's tilbudsplan: the plan for year
    Y, once a revision of it that holds at least one method decision (keep, phase out, introduce) is finished,
    answers the revision duty of December Y-1. A finished plan without any decision revised nothing."""
    from app.competence.models import TilbudsplanVersion
    from app.competence.tilbudsplan_models import TilbudsplanMethodDecision

    decided = select(TilbudsplanMethodDecision.id).where(
        TilbudsplanMethodDecision.version_id == TilbudsplanVersion.id).exists()
    rows = db.session.execute(select(TilbudsplanVersion.year, func.min(TilbudsplanVersion.finished_at)).where(
        TilbudsplanVersion.home_id == home.id, TilbudsplanVersion.finished_at.is_not(None), decided,
        TilbudsplanVersion.year.between(first_year + 1, last_year + 1)).group_by(TilbudsplanVersion.year))
    return [Fulfilment(year - 1, clock.to_local(at).date()) for year, at in rows]
