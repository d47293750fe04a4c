"""Quality indicators: neuropedagogy offered within 3 years, MU talks within 12 months, LU talks with an agreement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, or_, select

from app.appraisals.models import LU, MU
from app.appraisals.status import (
    NEURO_FLAGGED,
    OVERDUE,
    neuro_deadline,
    neuro_population_query,
    neuro_statuses,
    status_rows,
)
from app.extensions import db
from app.hooks import Finding, IndicatorResult, indicator
from app.need_to_know import PERSON
from app.people.models import User

GUIDELINE = "kompetenceudvikling"


def _scope(department_id: int | None):
    return None if department_id is None else {department_id}


def _talks(home, department_id: int | None, on: date, kind: str, reason_never: str) -> IndicatorResult:
    """Counts those who had a talk or are overdue their first: someone hired within the first-talk interval
    is not yet expected a talk. One query; the names are read only for those overdue."""
    rows = status_rows(home.id, kind, on, _scope(department_id))
    overdue = rows.c.status == OVERDUE
    counted = db.session.execute(
        select(rows.c.id, case((overdue, rows.c.name)).label("name"), rows.c.last_on, overdue.label("is_overdue"))
        .where(or_(rows.c.last_on.is_not(None), overdue)).order_by(rows.c.name_sort_key, rows.c.id)).all()
    exceptions = [Finding(r.name, reason_never if r.last_on is None else f"Seneste samtale {r.last_on:%d.%m.%Y}",
                          subject_kind=PERSON, subject_id=r.id) for r in counted if r.is_overdue]
    return IndicatorResult(met=len(counted) - len(exceptions), total=len(counted), exceptions=exceptions)


@indicator("appraisals.neuropedagogy", "Fastansatte faglærte tilbudt neuropædagogisk efteruddannelse inden 3 år",
           GUIDELINE, order=60)
def neuropedagogy(home, department_id: int | None, on: date) -> IndicatorResult:
    """Counts permanent skilled staff hired more than 3 years ago; met when it was offered or completed."""
    people = db.session.execute(neuro_population_query(home.id, on, _scope(department_id))
                                .with_only_columns(User.id, User.name, User.hired_on)
                                .order_by(User.name_sort_key, User.id)).all()
    people = [p for p in people if on > neuro_deadline(p.hired_on)]
    status = neuro_statuses(people, on)
    exceptions = [Finding(p.name, f"Ansat {p.hired_on:%d.%m.%Y}; ikke tilbudt", subject_kind=PERSON,
                          subject_id=p.id)
                  for p in people if status[p.id] == NEURO_FLAGGED]
    return IndicatorResult(met=len(people) - len(exceptions), total=len(people), exceptions=exceptions)


@indicator("appraisals.mu", "MU-samtaler inden for 12 måneder", GUIDELINE, order=61)
def mu_talks(home, department_id: int | None, on: date) -> IndicatorResult:
    """Permanent employees with an MU talk within the last 12 months (temps and leavers are not counted)."""
    return _talks(home, department_id, on, MU, "Ingen MU-samtale")


@indicator("appraisals.lu", "LU-samtaler inden for 12 måneder med skriftlig aftale", GUIDELINE, order=62)
def lu_talks(home, department_id: int | None, on: date) -> IndicatorResult:
    """Department leaders with an LU talk closed with a written agreement within the last 12 months."""
    return _talks(home, department_id, on, LU, "Ingen afsluttet LU-samtale med skriftlig aftale")
