"""Quality indicator for the staff group: the share of skilled (trained) staff per department."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, case, func, literal, null, or_, select, union_all

from app.extensions import db
from app.hooks import IndicatorResult, indicator
from app.people.models import Department, Membership, User

GUIDELINE = "kompetenceudvikling"


@indicator("people.skilled_share", "Andel faglært personale (alle nuværende medarbejdere, også nattevagter og "
           "vikarer)", GUIDELINE, order=65)
def skilled_share(home, department_id: int | None, on: date) -> IndicatorResult:
    """Everyone on a department's staff on the day, whatever their employment or shift: the skilled ones count.

    On the staff means hired on or before the day, not left by it (has_left_on) and not disabled. Temps are
    counted, as the supervisory authority asks how many of those on duty around the clock are trained. For the
    whole home a person in two departments counts once; each department below all-skilled is listed.
    """
    skilled = case((User.is_skilled.is_(True), User.id))
    scope = [Department.home_id == home.id, Department.is_active.is_(True), User.home_id == home.id,
             User.hired_on <= on, or_(User.left_on.is_(None), User.left_on > on), User.is_disabled.is_(False)]
    if department_id is not None:
        scope.append(Department.id == department_id)
    base = (select().select_from(Membership).join(User, User.id == Membership.user_id)
            .join(Department, Department.id == Membership.department_id).where(*scope))
    per_department = base.add_columns(
        Department.id.label("department_id"), Department.name.label("name"), Department.name_sort_key.label("key"),
        func.count(func.distinct(User.id)).label("total"), func.count(func.distinct(skilled)).label("skilled"),
    ).group_by(Department.id, Department.name, Department.name_sort_key)
    whole = base.add_columns(
        null().cast(Integer).label("department_id"), literal("").label("name"), null().label("key"),
        func.count(func.distinct(User.id)).label("total"), func.count(func.distinct(skilled)).label("skilled"),
    )
    rows = db.session.execute(union_all(per_department, whole).order_by("key")).all()
    total = next(row for row in rows if row.department_id is None)
    exceptions = [(row.name, f"{row.skilled} af {row.total} faglærte") for row in rows
                  if row.department_id is not None and row.skilled < row.total]
    return IndicatorResult(met=total.skilled, total=total.total, exceptions=exceptions)
