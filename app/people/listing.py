"""The employee list as plain rows, cached per data version (app/cache.py): many leaders open it, few change it.

Who is named follows who may be opened (`people.view`, as a query: `people_scope`): the head and the administrator
see the whole home, a department leader himself and the people of his departments, so the rows are kept per home
and scope. Every name shown links to the person's page (app/links.py); the rendered rows are kept per set of
linked people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.cache import cached
from app.extensions import db
from app.links import may_follow
from app.people.constants import EMPLOYMENT_LABELS, PROFESSION_LABELS, ROLE_LABELS
from app.people.models import Department, Membership, User
from app.people.policy import people_scope
from app.web import render_fragment

PAGE_SIZE = 50


@dataclass(frozen=True)
class PersonRow:
    id: int
    home_id: int
    #: The person's departments, for the rule that decides whether the viewer may open the row's page.
    department_ids: frozenset[int]
    url: str
    name: str
    has_left: bool
    employment: str
    profession: str
    is_skilled: bool
    departments: str
    roles: str
    hired_on: date


@dataclass(frozen=True)
class Rows:
    total: int
    rows: tuple[PersonRow, ...]
    departments: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Listing:
    total: int
    #: The table rows, rendered once per set of linked people: escaping fifty rows' cells is most of the cost.
    rows_html: Markup
    departments: tuple[tuple[int, str], ...]

    @property
    def pages(self) -> int:
        return max((self.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)


def listing(home_id: int, *, q: str, department_id: int | None, status: str, page: int, today: date,
            viewer) -> Listing:
    """One page of the home's people (status: current, left or all), sorted the Danish way; a name links to the
    person's page only where the viewer may open it (app/links.py)."""
    scope = _Scope.of(viewer)
    key = (home_id, q, department_id, status, page, scope)
    data = cached("people.listing", key, lambda: _build(home_id, q, department_id, status, page, today, scope),
                  home=home_id)
    linked = frozenset(r.id for r in data.rows if may_follow("people.show", r, viewer))
    rows_html = cached("people.listing_rows", (*key, tuple(sorted(linked))),
                       lambda: render_fragment("people/_rows.html", rows=data.rows, linked=linked), home=home_id)
    return Listing(data.total, rows_html, data.departments)


def all_rows(home_id: int, *, q: str, department_id: int | None, status: str, today: date, viewer) -> Rows:
    """Every person the list shows this viewer with these filters, on one sheet (the export)."""
    return _build(home_id, q, department_id, status, 1, today, _Scope.of(viewer), page_size=None)


@dataclass(frozen=True)
class _Scope:
    """Whom a viewer's list names: `departments` None for the whole home, else those departments' people and
    the viewer (`people_scope`)."""

    departments: frozenset[int] | None
    viewer_id: int | None

    @classmethod
    def of(cls, viewer) -> _Scope:
        departments = people_scope(viewer)
        return cls(departments, None if departments is None else viewer.id)


def _build(home_id: int, q: str, department_id: int | None, status: str, page: int, today: date, scope: _Scope,
           page_size: int | None = PAGE_SIZE) -> Rows:
    query = select(User).where(User.home_id == home_id)
    if scope.departments is not None:
        query = query.where(or_(User.id == scope.viewer_id, User.id.in_(
            select(Membership.user_id).where(Membership.department_id.in_(sorted(scope.departments))))))
    if status == "current":
        query = query.where(or_(User.left_on.is_(None), User.left_on > today))
    elif status == "left":
        query = query.where(User.left_on <= today)
    if department_id:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.department_id == department_id)))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), func.lower(User.email).like(like)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    ordered = query.options(selectinload(User.departments), selectinload(User.role_rows)).order_by(
        User.name_sort_key, User.id)
    if page_size is not None:
        ordered = ordered.offset((page - 1) * page_size).limit(page_size)
    people = db.session.scalars(ordered).all()
    rows = tuple(
        PersonRow(
            id=p.id, home_id=p.home_id, department_ids=frozenset(p.department_ids),
            url=url_for("people.show", person_id=p.id), name=p.name, has_left=p.has_left(today),
            employment=str(EMPLOYMENT_LABELS[p.employment_type]),
            profession=str(PROFESSION_LABELS[p.profession]), is_skilled=p.is_skilled,
            departments=", ".join(d.name for d in p.departments),
            roles=", ".join(str(ROLE_LABELS[r.role]) for r in p.role_rows), hired_on=p.hired_on,
        )
        for p in people
    )
    departments = select(Department.id, Department.name).where(Department.home_id == home_id)
    if scope.departments is not None:
        departments = departments.where(Department.id.in_(sorted(scope.departments)))
    departments = tuple((row.id, row.name) for row in db.session.execute(departments.order_by(
        Department.name_sort_key)))
    return Rows(total, rows, departments)
