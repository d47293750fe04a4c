"""A small world for children tests: one home, two departments, a leader, staff, a temp and children."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.children.models import Child, ContactTeamMember, IndividualPlanUpdate, PhysioPlanUpdate, PhysioReferral
from app.extensions import db
from app.people.constants import EmploymentType, Role
from tests.factories import PASSWORD, make_department, make_home, make_user


@dataclass
class World:
    home_id: int
    dep_id: int
    other_dep_id: int
    leader_id: int
    staff_ids: list[int]
    temp_id: int
    other_staff_id: int
    head_id: int


def build_world(**settings) -> World:
    home = make_home(**settings)
    dep = make_department(home, "Skoven")
    other = make_department(home, "Havet")
    leader = make_user(home, [dep], roles=(Role.DEPARTMENT_LEADER,), email="leder@example.dk")
    staff = [make_user(home, [dep], email=f"staff{i}@example.dk", name=f"Medarbejder {i}") for i in range(3)]
    temp = make_user(home, [dep], employment=EmploymentType.ON_CALL, email="vikar@example.dk", name="Vera Vikar")
    other_staff = make_user(home, [other], email="havet@example.dk", name="Hans Havet")
    head = make_user(home, [dep], roles=(Role.HEAD,), email="chef@example.dk")
    db.session.flush()
    return World(home.id, dep.id, other.id, leader.id, [s.id for s in staff], temp.id, other_staff.id, head.id)


def make_child(home_id: int, department_id: int, *, name: str = "Alma", admitted_on: date | None = None,
               left_on: date | None = None) -> Child:
    child = Child(home_id=home_id, department_id=department_id, display_name=name, reference="R-1",
                  placement_basis="66", admitted_on=admitted_on or date(2025, 1, 1), left_on=left_on)
    db.session.add(child)
    db.session.flush()
    return child


def add_team(child: Child, user_ids: list[int], from_on: date = date(2025, 1, 2)) -> None:
    for index, user_id in enumerate(user_ids):
        db.session.add(ContactTeamMember(child_id=child.id, user_id=user_id, is_coordinator=index == 0,
                                         from_on=from_on))
    db.session.flush()


def add_plan(child: Child, updated_on: date, by: int | None = None) -> IndividualPlanUpdate:
    update = IndividualPlanUpdate(child_id=child.id, updated_on=updated_on, updated_by_id=by)
    db.session.add(update)
    db.session.flush()
    return update


def add_referral(child: Child, referred_on: date, plan_on: date | None = None,
                 next_on: date | None = None) -> PhysioReferral:
    referral = PhysioReferral(child_id=child.id, referred_on=referred_on)
    db.session.add(referral)
    db.session.flush()
    if plan_on:
        db.session.add(PhysioPlanUpdate(referral_id=referral.id, updated_on=plan_on,
                                        next_follow_up_on=next_on or plan_on + timedelta(days=180)))
        db.session.flush()
    return referral


def login(client, email: str):
    return client.post("/auth/login", data={"email": email, "password": PASSWORD})
