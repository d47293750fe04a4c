"""Changes to the organisation. Each flushes and writes the audit log; the route commits."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select

from app import signals
from app.audit.services import record
from app.auth.services import hash_password
from app.auth.sessions import end_all_sessions
from app.extensions import db
from app.people.constants import EmploymentType
from app.people.grants import RoleChangeRefused, change_roles
from app.people.models import Department, Home, Method, ResourceFunction, User


class PeopleError(Exception):
    """A change to the organisation that is refused; the message is Danish and shown as is."""


def _apply(person: User, data: dict, departments: list[Department]) -> None:
    person.name = " ".join(data["name"].split())
    person.email = data["email"].strip().lower()
    person.employment_type = data["employment_type"]
    is_agency = person.employment_type == EmploymentType.AGENCY
    person.agency = " ".join((data.get("agency") or "").split()) if is_agency else ""
    person.profession = data["profession"]
    person.is_skilled = bool(data["is_skilled"])
    person.hired_on = data["hired_on"]
    person.left_on = data.get("left_on")
    person.departments = departments


def _departments(home_id: int, ids) -> list[Department]:
    found = db.session.scalars(
        select(Department).where(Department.home_id == home_id, Department.id.in_(list(ids or [])))
    ).all()
    if not found or len(found) != len(set(ids)):
        raise PeopleError("Vælg mindst én afdeling i dit eget tilbud.")
    return list(found)


def _set_resource_topics(person: User, topics: list[str], today: date) -> None:
    keep = [rf for rf in person.resource_functions if rf.topic in topics]
    existing = {rf.topic for rf in keep}
    keep += [ResourceFunction(topic=t, since_on=today) for t in topics if t not in existing]
    person.resource_functions = keep


def _change_roles(person: User, roles: set[str], departments_before: set[int], actor: User) -> bool:
    try:
        return change_roles(person, roles, departments_before, actor)
    except RoleChangeRefused as error:
        raise PeopleError(str(error)) from error


def create_employee(home: Home, data: dict, resource_topics: list[str], today: date, *, roles: set[str],
                    actor: User) -> tuple[User, str]:
    """Create a person with a one-time start code they replace at first login; returns (person, code).
    Each of the roles is a grant the actor must be allowed to make (people.grants)."""
    if data.get("left_on") and data["left_on"] < data["hired_on"]:
        raise PeopleError("Fratrædelsesdatoen kan ikke ligge før ansættelsesdatoen.")
    person = User(home_id=home.id, must_set_password=True)
    _apply(person, data, _departments(home.id, data.get("departments")))
    _set_resource_topics(person, resource_topics, today)
    start_code = secrets.token_urlsafe(9)
    person.password_hash = hash_password(start_code)
    db.session.add(person)
    db.session.flush()
    record("people.created", person, summary=person.name)
    _change_roles(person, roles, set(), actor)
    signals.person_created.send(home_id=home.id, user_id=person.id, on=today)
    return person, start_code


def update_employee(person: User, data: dict, resource_topics: list[str], today: date, *, roles: set[str],
                    actor: User) -> None:
    """Change a person's details and set their roles; every grant and removal is checked (people.grants)."""
    before = {"roles": sorted(person.roles), "departments": sorted(person.department_ids),
              "employment_type": person.employment_type}
    left_on_before = person.left_on
    _apply(person, data, _departments(person.home_id, data.get("departments")))
    removed = _change_roles(person, roles, set(before["departments"]), actor)
    if person.left_on is not None and person.left_on != left_on_before:
        end_all_sessions(person, "left_on")
    elif removed:  # a role, or leadership of a department, taken away ends what the old sessions may do
        end_all_sessions(person, "role_removed")
    _set_resource_topics(person, resource_topics, today)
    db.session.flush()
    if person.employment_type != before["employment_type"]:
        signals.employment_changed.send(home_id=person.home_id, user_id=person.id, on=today,
                                        before=before["employment_type"], after=person.employment_type)
    record("people.changed", person, summary=person.name, before=before,
           after={"roles": sorted(person.roles), "departments": sorted(person.department_ids),
                  "employment_type": person.employment_type})


def record_leaving(person: User, left_on: date) -> None:
    if left_on < person.hired_on:
        raise PeopleError("Fratrædelsesdatoen kan ikke ligge før ansættelsesdatoen.")
    person.left_on = left_on
    db.session.flush()
    end_all_sessions(person, "left_on")
    record("people.left", person, summary=person.name, left_on=left_on.isoformat())


def new_start_code(person: User) -> str:
    code = secrets.token_urlsafe(9)
    person.password_hash = hash_password(code)
    person.must_set_password = True
    end_all_sessions(person, "start_code")
    record("people.start_code", person, summary=person.name)
    return code


def save_department(home: Home, department: Department | None, name: str, method_names: list[str]) -> Department:
    """Create or rename a department and set its methods; methods dropped from the list are kept, inactive."""
    name = " ".join(name.split())
    clash = db.session.scalar(select(Department.id).where(Department.home_id == home.id, Department.name == name))
    if clash is not None and (department is None or clash != department.id):
        raise PeopleError("Der findes allerede en afdeling med det navn.")
    created = department is None
    if created:
        department = Department(home_id=home.id, name=name)
        db.session.add(department)
    department.name = name
    wanted = {n.casefold(): n for n in method_names}
    for method in department.methods:
        method.is_active = method.name.casefold() in wanted
        wanted.pop(method.name.casefold(), None)
    for method_name in wanted.values():
        department.methods.append(Method(name=method_name))
    db.session.flush()
    record("org.department_created" if created else "org.department_changed", department, summary=name,
           methods=method_names)
    return department


def update_home_settings(home: Home, name: str, settings: dict) -> None:
    home.name = " ".join(name.split())
    merged = dict(home.settings or {})
    merged.update(settings)
    home.settings = merged
    db.session.flush()
    record("org.settings_changed", home, summary=home.name, home_id=home.id, **settings)
