"""Quality indicators: neuropedagogy offered within 3 years, MU talks within 12 months, LU talks with an agreement."""

from __future__ import annotations

from datetime import date

from app.appraisals.models import LU, MU
from app.appraisals.status import (
    NEURO_FLAGGED,
    OVERDUE,
    neuro_deadline,
    neuro_population_query,
    neuro_statuses,
    talk_statuses,
)
from app.extensions import db
from app.hooks import Finding, IndicatorResult, indicator
from app.need_to_know import PERSON
from app.people.models import User

GUIDELINE = "kompetenceudvikling"


def _scope(department_id: int | None):
    return None if department_id is None else {department_id}


def _talks(home, department_id: int | None, on: date, kind: str, reason_never: str) -> IndicatorResult:
    rows = talk_statuses(home.id, kind, on, _scope(department_id))
    # Someone hired within the first-talk interval is not yet expected a talk, so they are not counted.
    counted = [r for r in rows if r.last_on is not None or r.status == OVERDUE]
    missing = [r for r in counted if r.status == OVERDUE]
    exceptions = [Finding(r.person.name, reason_never if r.last_on is None else f"Seneste samtale {r.last_on:%d.%m.%Y}",
                          subject_kind=PERSON, subject_id=r.person.id) for r in missing]
    return IndicatorResult(met=len(counted) - len(missing), total=len(counted), exceptions=exceptions)


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
