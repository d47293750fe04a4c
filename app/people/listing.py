"""The employee list: the home's people with the page's filters, sorted the Danish way by the stored sort key.

Who is named follows who may be opened (`people.view`, as a query: `people_scope`): the head and the
administrator see the whole home, a department leader himself and the people of his departments, and the
department filter offers only those departments. One page is three statements whatever the home's size: the
count and the page (Flask-SQLAlchemy's `db.paginate`), and the page's departments and roles (one `selectinload`
each). Only the shown columns are loaded.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import load_only, selectinload

from app.extensions import db
from app.people.models import Department, Membership, User, UserRole
from app.people.policy import people_scope

PAGE_SIZE = 50

#: The columns the list and the export show, and what the people.view rule reads (home, departments).
_SHOWN = (User.id, User.home_id, User.name, User.left_on, User.employment_type, User.profession, User.is_skilled,
          User.hired_on)


def people_query(home_id: int, *, q: str, department_id: int | None, status: str, today: date, viewer):
    """The home's people the viewer may open (status: current, left or all) matching the filters, in list order."""
    query = select(User).where(User.home_id == home_id)
    scope = people_scope(viewer)
    if scope is not None:
        query = query.where(or_(User.id == viewer.id, User.id.in_(
            select(Membership.user_id).where(Membership.department_id.in_(sorted(scope))))))
    if status == "current":
        query = query.where(or_(User.left_on.is_(None), User.left_on > today))
    elif status == "left":
        query = query.where(User.left_on <= today)
    if department_id:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.department_id == department_id)))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), func.lower(User.email).like(like)))
    return query.options(
        load_only(*_SHOWN), selectinload(User.departments).load_only(Department.id, Department.name),
        selectinload(User.role_rows).load_only(UserRole.role),
    ).order_by(User.name_sort_key, User.id)


def listing(home_id: int, *, q: str, department_id: int | None, status: str, page: int, today: date, viewer):
    """One page of the list (a Flask-SQLAlchemy Pagination; page beyond the last: empty, not 404)."""
    return db.paginate(people_query(home_id, q=q, department_id=department_id, status=status, today=today,
                                    viewer=viewer),
                       page=page, per_page=PAGE_SIZE, error_out=False)


def home_departments(home_id: int, viewer) -> list[tuple[int, str]]:
    """(id, name) of the departments the viewer's filter offers (the home's, or a leader's own), in Danish order."""
    query = select(Department.id, Department.name).where(Department.home_id == home_id)
    scope = people_scope(viewer)
    if scope is not None:
        query = query.where(Department.id.in_(sorted(scope)))
    return [tuple(row) for row in db.session.execute(query.order_by(Department.name_sort_key))]
