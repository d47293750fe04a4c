"""A small home with people in every role, for the quality tests."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.people.constants import EmploymentType, Profession, Role
from tests.factories import PASSWORD, make_department, make_home, make_user


@dataclass
class Setup:
    home_id: int
    home_name: str
    dep_a: int
    dep_b: int
    head: str
    leader: str
    minimed: str
    employee: str
    temp: str
    admin: str


def build_home(name: str = "Solsikken") -> Setup:
    """Call inside an app context; commits."""
    home = make_home(name)
    a, b = make_department(home, "Skovbrynet"), make_department(home, "Fyrtårnet")
    head = make_user(home, [a], roles=(Role.HEAD, Role.MINI_MED), name="Tove Tilbudsleder")
    leader = make_user(home, [a], roles=(Role.DEPARTMENT_LEADER,), name="Anders Afdelingsleder")
    minimed = make_user(home, [b], roles=(Role.EMPLOYEE, Role.MINI_MED), name="Mona Mini-MED",
                        profession=Profession.SOSU_ASSISTANT)
    employee = make_user(home, [a], name="Maja Medarbejder")
    temp = make_user(home, [b], employment=EmploymentType.ON_CALL, profession=Profession.PAEDAGOG_ASSISTANT,
                     name="Viktor Vikar", skilled=False)
    admin = make_user(home, [a], roles=(Role.ADMIN,), profession=Profession.OTHER, name="Adam Administrator")
    db.session.commit()
    return Setup(home.id, home.name, a.id, b.id, head.email, leader.email, minimed.email, employee.email, temp.email,
                 admin.email)


def login(client, email: str):
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response
