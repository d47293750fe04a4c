"""Factories for tests: each adds to the session and flushes; the caller commits inside an app context."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from werkzeug.security import generate_password_hash

from app import clock
from app.extensions import db
from app.people.constants import EmploymentType, Profession, Role
from app.people.models import Department, Home, Method, Region, User

_counter = itertools.count(1)
PASSWORD = "hemmelig123"  # noqa: S105
_HASH = None


def _hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    return _HASH


def make_home(name: str | None = None, region: Region | None = None, **settings) -> Home:
    region = region or Region(name=f"Region {next(_counter)}")
    home = Home(region=region, name=name or f"Hjem {next(_counter)}", settings=settings)
    db.session.add(home)
    db.session.flush()
    return home


def make_department(home: Home, name: str | None = None, methods=("Neuropædagogik", "KRAP")) -> Department:
    department = Department(home=home, name=name or f"Afdeling {next(_counter)}",
                            methods=[Method(name=m) for m in methods])
    db.session.add(department)
    db.session.flush()
    return department


def make_user(home: Home, departments=(), *, roles=(Role.EMPLOYEE,), email: str | None = None,
              name: str | None = None, employment: str = EmploymentType.PERMANENT,
              profession: str = Profession.PAEDAGOG, skilled: bool = True, hired_on: date | None = None,
              left_on: date | None = None, must_set_password: bool = False) -> User:
    n = next(_counter)
    user = User(home=home, email=email or f"person{n}@example.dk", name=name or f"Person {n}",
                password_hash=_hash(), must_set_password=must_set_password, employment_type=employment,
                profession=profession, is_skilled=skilled,
                hired_on=hired_on or clock.today() - timedelta(days=400), left_on=left_on,
                departments=list(departments))
    user.set_roles(set(roles))
    db.session.add(user)
    db.session.flush()
    return user
