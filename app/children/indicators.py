"""Quality indicators for children, computed from the same gap rules as the checks page.

Each exception carries its child as subject: the report shows the name only to those who may open the child
(app/need_to_know.py), and Mini-MED sees the count. The three read one summary of the checks: it is computed once
per scope and day in an application context (a request, a snapshot run) and forgotten at the next flush, so a
write is always seen.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app.cache import per_request
from app.children.services import PHYSIO_CODES, PLAN_CODES, TEAM_CODES, ChildCheck, summary_for
from app.hooks import Finding, IndicatorResult, indicator
from app.need_to_know import CHILD

GUIDELINE = "kompetenceudvikling"


def _checks(home, department_id: int | None, on: date) -> list[ChildCheck]:
    """The children's checks, once per request for the three indicators (app.cache.per_request)."""
    return per_request("children_checks", (home.id, department_id, on),
                       lambda: summary_for(home.id, on, [department_id] if department_id else None).checks)


def _result(checks: list[ChildCheck], codes: frozenset[str]) -> IndicatorResult:
    exceptions = [Finding(c.child.display_name, "; ".join(g.reason for g in c.gaps if g.code in codes),
                          subject_kind=CHILD, subject_id=c.child.id) for c in checks if c.has_gap_in(codes)]
    return IndicatorResult(met=len(checks) - len(exceptions), total=len(checks), exceptions=exceptions)


@indicator("children.contact_team", _l("Børn med et kontaktteam af mindst minimumsstørrelsen af nuværende personale"),
           GUIDELINE, order=60)
def contact_team(home, department_id: int | None, on: date) -> IndicatorResult:
    return _result(_checks(home, department_id, on), TEAM_CODES)


@indicator("children.individual_plan", _l("Børn med en aktuel individuel plan"), GUIDELINE, order=61)
def individual_plan(home, department_id: int | None, on: date) -> IndicatorResult:
    return _result(_checks(home, department_id, on), PLAN_CODES)


@indicator("children.physio_plan", _l("Børn henvist til fysioterapi med en aktuel behandlingsplan"),
           GUIDELINE, order=62)
def physio_plan(home, department_id: int | None, on: date) -> IndicatorResult:
    referred = [c for c in _checks(home, department_id, on) if c.physio]
    return _result(referred, PHYSIO_CODES)
