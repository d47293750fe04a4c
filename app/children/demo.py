"""Demo children: about 12 in the demo home with a realistic mix of gaps; about 80 per home at region scale."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from app import clock
from app.children.models import (
    Child,
    ContactTeamMember,
    IndividualPlanUpdate,
    PhysioPlanUpdate,
    PhysioReferral,
    PlanGoal,
)
from app.extensions import db
from app.hooks import demo_loader
from app.people.constants import EmploymentType, Role
from app.people.models import Department, Home, Membership, User

DEMO_HOME_PROFILES = ["ok", "plan_soon", "no_team", "physio_ok", "ok", "member_left", "no_plan", "physio_no_plan",
                      "ok", "small_team", "plan_overdue", "physio_overdue"]
PROFILE_WEIGHTS = {"ok": 10, "plan_soon": 2, "no_team": 1, "member_left": 1, "small_team": 1, "no_plan": 1,
                   "plan_overdue": 2, "physio_ok": 3, "physio_no_plan": 1, "physio_overdue": 1}
NAMES = ["Alma", "Bertram", "Carla", "Dennis", "Ella", "Felix", "Gry", "Holger", "Isak", "Johanne", "Karla", "Lukas",
         "Malthe", "Nora", "Oscar", "Pernille", "Rosa", "Storm", "Tilde", "Victor", "William", "Asta", "Åse", "Øjvind"]
GOALS = [("Spise selv med ske", False), ("Guidet spisning ved frokost", True),
         ("Bruge piktogrammer ved overgange", False), ("Dagsskema på væggen", True),
         ("Gå med rollator på gangen", False),
         ("Sove hele natten", False)]


def _staff(home: Home, today: date) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Per department: ids of current permanent non-leaders, and ids of people who have left."""
    current: dict[int, list[int]] = {}
    left: dict[int, list[int]] = {}
    leaders = set(db.session.scalars(select(User.id).where(
        User.home_id == home.id, User.role_rows.any(role=Role.DEPARTMENT_LEADER))))
    first = _demo_employee_ids(home)
    rows = db.session.execute(
        select(Membership.department_id, User.id, User.left_on, User.employment_type, User.email)
        .join(User, User.id == Membership.user_id).where(User.home_id == home.id)
        .order_by(User.id)).all()
    for department_id, user_id, left_on, employment, email in rows:
        if left_on is not None and left_on <= today:
            left.setdefault(department_id, []).append(user_id)
        elif employment == EmploymentType.PERMANENT and user_id not in leaders and not email.startswith("admin@"):
            current.setdefault(department_id, []).append(user_id)
    for ids in current.values():  # the demo employee (Maja) first, so she coordinates a child's team
        ids.sort(key=lambda i: (i not in first, i))
    return current, left


def _demo_employee_ids(home: Home) -> set[int]:
    return set(db.session.scalars(select(User.id).where(User.home_id == home.id,
                                                        User.email == "medarbejder@demo.dk")))


@demo_loader(order=60)
def load_children(home: Home, rng: random.Random, scale: str) -> None:
    today = clock.today()
    departments = db.session.scalars(select(Department).where(
        Department.home_id == home.id, Department.is_active.is_(True)).order_by(Department.id)).all()
    if not departments:
        return
    is_demo_home = bool(_demo_employee_ids(home))
    count = len(DEMO_HOME_PROFILES) if is_demo_home else (80 if scale == "region" else 0)
    if count == 0:
        return
    staff, left = _staff(home, today)
    children: list[tuple[Child, str]] = []
    for n in range(count):
        profile = DEMO_HOME_PROFILES[n] if is_demo_home else rng.choices(
            list(PROFILE_WEIGHTS), weights=list(PROFILE_WEIGHTS.values()))[0]
        department = departments[n % len(departments)]
        child = Child(home_id=home.id, department_id=department.id,
                      display_name=f"{NAMES[n % len(NAMES)]} {chr(65 + (n // len(NAMES)) % 26)}.",
                      reference=f"B-{home.id:02d}{n + 1:04d}", placement_basis=rng.choice(["66", "107"]),
                      admitted_on=today - timedelta(days=rng.randint(200, 2500)))
        children.append((child, profile))
    db.session.add_all([c for c, _ in children])
    db.session.flush()

    team_rows: list[dict] = []
    physio_plan_rows: list[dict] = []
    referrals: list[tuple[PhysioReferral, str]] = []
    plan_rows: list[dict] = []
    plan_interval = int(home.setting("plan_interval_months"))
    physio_interval = int(home.setting("physio_interval_months"))
    for index, (child, profile) in enumerate(children):
        people = staff.get(child.department_id, [])
        if profile != "no_team" and len(people) >= 2:
            size = 1 if profile == "small_team" else rng.choice([2, 2, 3])
            offset = index // len(departments)
            chosen = [people[(offset + k) % len(people)] for k in range(min(size, len(people)))]
            if profile == "member_left" and left.get(child.department_id):
                chosen[-1] = left[child.department_id][0]
            since = child.admitted_on + timedelta(days=rng.randint(1, 60))
            team_rows += [dict(child_id=child.id, user_id=user_id, is_coordinator=k == 0, from_on=since, to_on=None)
                          for k, user_id in enumerate(dict.fromkeys(chosen))]
        if profile != "no_plan":
            if profile == "plan_overdue":
                last = clock.add_months(today, -plan_interval) - timedelta(days=rng.randint(5, 60))
            elif profile == "plan_soon":
                last = clock.add_months(today, -plan_interval) + timedelta(days=rng.randint(1, 12))
            else:
                last = today - timedelta(days=rng.randint(3, 45))
            earlier = max(clock.add_months(last, -plan_interval), child.admitted_on)
            for updated_on in (earlier, last):
                row = dict(child_id=child.id, updated_on=updated_on, updated_by_id=people[0] if people else None)
                if not is_demo_home:
                    plan_rows.append(row)
                    continue
                update = IndividualPlanUpdate(**row)
                for position, (title, sub) in enumerate(rng.sample(GOALS, 3)):
                    update.goals.append(PlanGoal(position=position, title=title, is_sub_goal=sub,
                                                 status=rng.choice(["active", "active", "achieved"])))
                db.session.add(update)
        if profile.startswith("physio"):
            days = rng.randint(10, 30) if profile == "physio_no_plan" else rng.randint(250, 700)
            referred_on = max(today - timedelta(days=days), child.admitted_on)
            referral = PhysioReferral(child_id=child.id, referred_on=referred_on)
            db.session.add(referral)
            referrals.append((referral, profile))
    db.session.flush()
    for referral, profile in referrals:
        if profile != "physio_no_plan":
            updated_on = (clock.add_months(today, -physio_interval) - timedelta(days=rng.randint(5, 40))
                          if profile == "physio_overdue" else today - timedelta(days=rng.randint(5, 60)))
            updated_on = max(updated_on, referral.referred_on)
            physio_plan_rows.append(dict(referral_id=referral.id, updated_on=updated_on,
                                         next_follow_up_on=clock.add_months(updated_on, physio_interval),
                                         updated_by_id=None))
    for model, rows in ((ContactTeamMember, team_rows), (IndividualPlanUpdate, plan_rows)):
        if rows:
            db.session.execute(insert(model), rows)
    if physio_plan_rows:
        db.session.execute(insert(PhysioPlanUpdate), physio_plan_rows)
    db.session.flush()
