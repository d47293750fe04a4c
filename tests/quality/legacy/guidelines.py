"""Quality indicators of the guideline library: reviewed on time, and confirmed by the target group."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.extensions import db
from app.guidelines.models import Guideline
from app.guidelines.services import (
    applies_to_home,
    confirmed_user_ids,
    in_target_group,
    review_state_on,
    staff_members_on,
)
from app.hooks import Finding, IndicatorResult
from app.need_to_know import PERSON
from tests.quality.legacy import indicator


def _guidelines(home) -> list[Guideline]:
    return list(db.session.scalars(
        select(Guideline).where(applies_to_home(home))
        .options(selectinload(Guideline.versions), selectinload(Guideline.reviews)).order_by(Guideline.slug)
    ))


@indicator("guidelines.reviewed_on_time", "Retningslinjer revideret til tiden", "kompetenceudvikling", order=10)
def reviewed_on_time(home, department_id: int | None, on: date) -> IndicatorResult:
    """Share of the home's guidelines not past their review date on the day (departments do not change it)."""
    result = IndicatorResult(met=0, total=0)
    for guideline in _guidelines(home):
        state = review_state_on(guideline, on)
        if state is None:
            continue
        version, next_review_on = state
        result.total += 1
        if on <= next_review_on:
            result.met += 1
        else:
            result.exceptions.append((version.title, f"revision overskredet siden {next_review_on:%d.%m.%Y}"))
    return result


@indicator("guidelines.confirmed", "Retningslinjer bekræftet af målgruppen", "kompetenceudvikling", order=11)
def confirmed_by_target_group(home, department_id: int | None, on: date) -> IndicatorResult:
    """Share of (person, guideline) pairs in the target groups where the person confirmed the version in force."""
    versions = [v for g in _guidelines(home) if (state := review_state_on(g, on)) for v in [state[0]]]
    confirmed = confirmed_user_ids(versions, at=clock.end_of_day(on))
    people = staff_members_on([home.id], on, department_id)
    result = IndicatorResult(met=0, total=0)
    for version in versions:
        for person in people:
            if not in_target_group(person, version):
                continue
            result.total += 1
            if person.id in confirmed[version.id]:
                result.met += 1
            else:
                result.exceptions.append(Finding(person.name, version.title, subject_kind=PERSON,
                                                 subject_id=person.id))
    return result
