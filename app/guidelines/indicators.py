"""Quality indicators of the guideline library: reviewed on time, and confirmed by the target group.

Both are counted by the database: the version in force per guideline is picked by a window function; the pairs
of (person in the target group, version) and whether each is confirmed come from one join of the staff with the
versions in force, counted there by window functions; only the unconfirmed pairs come back, as the columns shown.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, exists, false, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from app import clock
from app.cache import per_request
from app.extensions import db
from app.guidelines.models import (
    PUBLISHED,
    SUPERSEDED,
    Acknowledgement,
    Guideline,
    GuidelineReview,
    GuidelineVersion,
    next_review_after,
)
from app.guidelines.services import _staff_filter, applies_to_home
from app.hooks import Finding, IndicatorResult, indicator
from app.need_to_know import PERSON
from app.people.constants import TEMP_EMPLOYMENT_TYPES
from app.people.models import User, UserRole


class InForce(NamedTuple):
    """The columns the indicators need of the version in force of one guideline on a day."""

    id: int
    guideline_id: int
    number: int
    ack_from_number: int
    title: str
    target_group: list
    next_review_on: date


def versions_in_force(home, on: date) -> tuple[InForce, ...]:
    """Each of the home's guidelines' version published by the end of `on` (the highest number), with its next
    review date as it stood that day (from its taking effect or the latest review since); in slug order. One
    query, once per request: both guideline indicators ask (app/cache.per_request)."""
    return per_request("guidelines.versions_in_force", (home.id, on), lambda: _versions_in_force(home, on))


def _versions_in_force(home, on: date) -> tuple[InForce, ...]:
    published = (
        select(GuidelineVersion.id, GuidelineVersion.guideline_id, GuidelineVersion.number,
               GuidelineVersion.ack_from_number, GuidelineVersion.title, GuidelineVersion.target_group,
               GuidelineVersion.effective_from, GuidelineVersion.review, Guideline.slug,
               func.row_number().over(partition_by=GuidelineVersion.guideline_id,
                                      order_by=GuidelineVersion.number.desc()).label("rank"))
        .join(Guideline, Guideline.id == GuidelineVersion.guideline_id)
        .where(applies_to_home(home), GuidelineVersion.status.in_((PUBLISHED, SUPERSEDED)),
               GuidelineVersion.published_at.is_not(None), GuidelineVersion.published_at <= clock.end_of_day(on))
        .subquery())
    reviewed = (select(GuidelineReview.guideline_id, func.max(GuidelineReview.reviewed_on).label("last_on"))
                .where(GuidelineReview.reviewed_on <= on).group_by(GuidelineReview.guideline_id).subquery())
    rows = db.session.execute(
        select(published, reviewed.c.last_on).outerjoin(reviewed, reviewed.c.guideline_id == published.c.guideline_id)
        .where(published.c.rank == 1).order_by(published.c.slug, published.c.guideline_id)).all()
    result = []
    for row in rows:
        base = row.effective_from if row.last_on is None or row.last_on <= row.effective_from else row.last_on
        result.append(InForce(row.id, row.guideline_id, row.number, row.ack_from_number, row.title,
                              list(row.target_group or ()), next_review_after(base, row.review)))
    return tuple(result)


@indicator("guidelines.reviewed_on_time", "Retningslinjer revideret til tiden", "kompetenceudvikling", order=10)
def reviewed_on_time(home, department_id: int | None, on: date) -> IndicatorResult:
    """Share of the home's guidelines not past their review date on the day (departments do not change it)."""
    versions = versions_in_force(home, on)
    late = [v for v in versions if on > v.next_review_on]
    return IndicatorResult(met=len(versions) - len(late), total=len(versions), exceptions=[
        (v.title, f"revision overskredet siden {v.next_review_on:%d.%m.%Y}") for v in late])


def _has_role(*roles: str):
    return exists().where(UserRole.user_id == User.id, UserRole.role.in_(roles))


def _holds(code: str):
    """SQL for services.holds: employee = permanent staff, temp = on-call/agency, leader_group = leaders."""
    match code:
        case "employee":
            return User.employment_type.not_in(TEMP_EMPLOYMENT_TYPES)
        case "temp":
            return User.employment_type.in_(TEMP_EMPLOYMENT_TYPES)
        case "leader_group":
            return _has_role("head", "department_leader")
    return _has_role(code)


@indicator("guidelines.confirmed", "Retningslinjer bekræftet af målgruppen", "kompetenceudvikling", order=11)
def confirmed_by_target_group(home, department_id: int | None, on: date) -> IndicatorResult:
    """Share of (person, guideline) pairs in the target groups where the person confirmed the version in force."""
    versions = versions_in_force(home, on)
    if not versions:
        return IndicatorResult(met=0, total=0)
    in_force = union_all(*(
        select(literal(position).label("position"), literal(v.guideline_id).label("guideline_id"),
               literal(v.ack_from_number).label("low"), literal(v.number).label("high"))
        for position, v in enumerate(versions))).subquery("in_force")
    # One condition per distinct target group (a home has a handful), not one per version.
    by_group: dict[tuple[str, ...], list[int]] = {}
    for position, version in enumerate(versions):
        by_group.setdefault(tuple(sorted(version.target_group)), []).append(position)
    in_group = or_(false(), *(and_(in_force.c.position.in_(positions), or_(false(), *(_holds(c) for c in group)))
                              for group, positions in by_group.items()))
    acked = aliased(GuidelineVersion)
    confirmed = exists().where(
        Acknowledgement.user_id == User.id, Acknowledgement.acknowledged_at <= clock.end_of_day(on),
        Acknowledgement.version_id == acked.id, acked.guideline_id == in_force.c.guideline_id,
        acked.number.between(in_force.c.low, in_force.c.high))
    pairs = (select(in_force.c.position, User.id.label("user_id"), User.name, User.name_sort_key.label("sort_key"),
                    case((confirmed, 1), else_=0).label("confirmed"))
             .select_from(in_force).join(User, and_(*_staff_filter([home.id], on, department_id), in_group))
             .subquery())
    counted = select(pairs, func.count().over().label("total"), func.sum(pairs.c.confirmed).over().label("met"),
                     func.row_number().over(order_by=(pairs.c.position, pairs.c.sort_key, pairs.c.user_id))
                     .label("rank")).subquery()
    # The first pair always comes back, so the totals arrive with the unconfirmed pairs in one statement.
    rows = db.session.execute(select(counted.c.position, counted.c.user_id, counted.c.name, counted.c.confirmed,
                                     counted.c.total, counted.c.met)
                              .where(or_(counted.c.confirmed == 0, counted.c.rank == 1))
                              .order_by(counted.c.rank)).all()
    total, met = (rows[0].total, rows[0].met) if rows else (0, 0)
    return IndicatorResult(met=int(met or 0), total=int(total), exceptions=[
        Finding(r.name, versions[r.position].title, subject_kind=PERSON, subject_id=r.user_id)
        for r in rows if not r.confirmed])
