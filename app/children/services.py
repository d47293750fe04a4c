"""The gap rules for children, written once: the checks page, the indicators and the tasks all use them.

`check_children(children, on)` loads everything it needs in a fixed number of queries, however many
children it is given, and returns a `ChildCheck` per child: its gaps (with a Danish reason) and the
follow-ups due within 14 days (shown separately; they are not gaps yet).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app import clock
from app.children.models import Child, ContactTeamMember, IndividualPlanUpdate, PhysioPlanUpdate, PhysioReferral
from app.extensions import db
from app.people.constants import TEMP_EMPLOYMENT_TYPES, Role
from app.people.models import Home, Membership, User

#: A follow-up due within this many days is listed as "due soon".
SOON_DAYS = 14

TEAM_CODES = frozenset({"no_team", "team_small", "member_left", "member_moved", "member_temp", "no_coordinator"})
PLAN_CODES = frozenset({"no_plan", "plan_overdue"})
PHYSIO_CODES = frozenset({"physio_no_plan", "physio_overdue"})


@dataclass(frozen=True)
class Gap:
    """One reason a child's documentation is not in order (or, in `ChildCheck.soon`, soon will not be)."""

    code: str
    reason: str
    due_on: date | None = None


class TeamMember(NamedTuple):
    """A current place on a child's contact team, with what the rules read of the person."""

    is_coordinator: bool
    user_id: int
    name: str
    is_disabled: bool
    left_on: date | None
    employment_type: str
    #: The person belongs to the child's department.
    in_department: bool


class Referral(NamedTuple):
    """An active physiotherapy referral and the next follow-up of its latest plan (None: no plan yet)."""

    referred_on: date
    next_follow_up_on: date | None


@dataclass
class ChildCheck:
    child: Child
    gaps: list[Gap] = field(default_factory=list)
    soon: list[Gap] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    coordinator_id: int | None = None
    plan_last_on: date | None = None
    plan_next_on: date | None = None
    physio: list[Referral] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        """A child with no gap."""
        return not self.gaps

    def has_gap_in(self, codes: frozenset[str]) -> bool:
        return any(gap.code in codes for gap in self.gaps)


def _fmt(day: date) -> str:
    from app.web import dadate

    return dadate(day)


def _is_current_user(member: TeamMember, on: date) -> bool:
    return not member.is_disabled and (member.left_on is None or member.left_on > on)


def plan_next_on(home: Home, last_on: date) -> date:
    """Next follow-up of an individual plan: the last update plus the home's interval."""
    return clock.add_months(last_on, int(home.setting("plan_interval_months")))


def check_children(children: Sequence[Child], on: date | None = None) -> dict[int, ChildCheck]:
    """The checks for each child placed on a day, keyed by child id; a constant number of set-based queries that
    select only the columns the rules read (no team member, user or plan objects are loaded)."""
    on = on or clock.today()
    children = [c for c in children if c.is_placed(on)]
    checks = {c.id: ChildCheck(c) for c in children}
    if not children:
        return checks
    ids = list(checks)
    home_ids = {c.home_id for c in children}
    homes = {h.id: h for h in db.session.scalars(select(Home).where(Home.id.in_(home_ids)))}

    in_department = select(Membership.user_id).where(Membership.user_id == User.id,
                                                     Membership.department_id == Child.department_id).exists()
    for row in db.session.execute(
            select(ContactTeamMember.child_id, ContactTeamMember.is_coordinator, User.id, User.name,
                   User.is_disabled, User.left_on, User.employment_type, in_department)
            .join(User, User.id == ContactTeamMember.user_id).join(Child, Child.id == ContactTeamMember.child_id)
            .where(ContactTeamMember.child_id.in_(ids), ContactTeamMember.from_on <= on,
                   or_(ContactTeamMember.to_on.is_(None), ContactTeamMember.to_on > on))
            .order_by(ContactTeamMember.child_id, ContactTeamMember.id)):
        checks[row[0]].team.append(TeamMember(*row[1:]))

    last_plan = dict(db.session.execute(
        select(IndividualPlanUpdate.child_id, func.max(IndividualPlanUpdate.updated_on))
        .where(IndividualPlanUpdate.child_id.in_(ids), IndividualPlanUpdate.updated_on <= on)
        .group_by(IndividualPlanUpdate.child_id)
    ).all())

    # Each active referral with the next follow-up of its latest plan update by `on` (NULL: no plan yet).
    latest_follow_up = (
        select(PhysioPlanUpdate.next_follow_up_on)
        .where(PhysioPlanUpdate.referral_id == PhysioReferral.id, PhysioPlanUpdate.updated_on <= on)
        .order_by(PhysioPlanUpdate.updated_on.desc(), PhysioPlanUpdate.id.desc()).limit(1)
        .correlate(PhysioReferral).scalar_subquery())
    for child_id, referred_on, next_on in db.session.execute(
            select(PhysioReferral.child_id, PhysioReferral.referred_on, latest_follow_up)
            .where(PhysioReferral.child_id.in_(ids), PhysioReferral.referred_on <= on,
                   or_(PhysioReferral.ended_on.is_(None), PhysioReferral.ended_on > on))
            .order_by(PhysioReferral.referred_on, PhysioReferral.id)):
        checks[child_id].physio.append(Referral(referred_on, next_on))

    for check in checks.values():
        home = homes[check.child.home_id]
        _team_gaps(check, home, on)
        check.plan_last_on = last_plan.get(check.child.id)
        _plan_gaps(check, home, on)
        _physio_gaps(check, on)
    return checks


def child_gaps(children: Sequence[Child], on: date | None = None) -> dict[int, list[Gap]]:
    """The gaps of each child placed on a day, keyed by child id (an empty list: no gap)."""
    return {child_id: check.gaps for child_id, check in check_children(children, on).items()}


def _team_gaps(check: ChildCheck, home: Home, on: date) -> None:
    minimum = int(home.setting("contact_team_min"))
    if not check.team:
        check.gaps.append(Gap("no_team", "Intet kontaktteam"))
        return
    valid = 0
    for member in check.team:
        if not _is_current_user(member, on):
            check.gaps.append(Gap("member_left", f"{member.name} i kontaktteamet er fratrådt"))
        elif not member.in_department:
            check.gaps.append(Gap("member_moved", f"{member.name} i kontaktteamet er ikke længere i afdelingen"))
        elif member.employment_type in TEMP_EMPLOYMENT_TYPES:
            check.gaps.append(Gap("member_temp", f"{member.name} i kontaktteamet er vikar"))
        else:
            valid += 1
            if member.is_coordinator:
                check.coordinator_id = member.user_id
    if valid < minimum:
        check.gaps.append(Gap("team_small", f"Kontaktteamet har {valid} nuværende medarbejder(e); mindst {minimum}"))
    if check.coordinator_id is None:
        check.gaps.append(Gap("no_coordinator", "Kontaktteamet har ingen nuværende koordinator"))


def _plan_gaps(check: ChildCheck, home: Home, on: date) -> None:
    if check.plan_last_on is None:
        check.gaps.append(Gap("no_plan", "Ingen individuel plan"))
        return
    check.plan_next_on = plan_next_on(home, check.plan_last_on)
    _follow_up(check, check.plan_next_on, on, "plan_overdue", "Individuel plan skulle være fulgt op",
               "Individuel plan skal følges op")


def _physio_gaps(check: ChildCheck, on: date) -> None:
    for referral in check.physio:
        if referral.next_follow_up_on is None:
            check.gaps.append(Gap("physio_no_plan",
                                  f"Henvist til fysioterapi {_fmt(referral.referred_on)} uden behandlingsplan"))
            continue
        _follow_up(check, referral.next_follow_up_on, on, "physio_overdue",
                   "Fysioterapeutisk behandlingsplan skulle være fulgt op",
                   "Fysioterapeutisk behandlingsplan skal følges op")


def _follow_up(check: ChildCheck, next_on: date, on: date, code: str, overdue_text: str, soon_text: str) -> None:
    """Past the follow-up day is a gap; on it or within 14 days before it is "due soon"."""
    if next_on < on:
        check.gaps.append(Gap(code, f"{overdue_text} {_fmt(next_on)}", next_on))
    elif (next_on - on).days <= SOON_DAYS:
        check.soon.append(Gap(code.replace("overdue", "soon"), f"{soon_text} senest {_fmt(next_on)}", next_on))


@dataclass
class CheckSummary:
    checks: list[ChildCheck]

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def ok(self) -> int:
        return sum(1 for c in self.checks if c.is_ok)

    @property
    def share(self) -> float | None:
        return None if not self.checks else round(100 * self.ok / self.total, 1)

    @property
    def with_gaps(self) -> list[ChildCheck]:
        return [c for c in self.checks if c.gaps]

    @property
    def due_soon(self) -> list[ChildCheck]:
        return [c for c in self.checks if c.soon]


def placed_children(home_id: int, on: date, department_ids: Iterable[int] | None = None) -> list[Child]:
    """The children placed in a home (or some of its departments) on a day, in Danish name order."""

    query = select(Child).options(joinedload(Child.department)).where(
        Child.home_id == home_id, Child.admitted_on <= on, or_(Child.left_on.is_(None), Child.left_on > on))
    if department_ids is not None:
        query = query.where(Child.department_id.in_(list(department_ids)))
    return list(db.session.scalars(query.order_by(Child.display_name_sort_key, Child.id)))


def summary_for(home_id: int, on: date, department_ids: Iterable[int] | None = None) -> CheckSummary:
    children = placed_children(home_id, on, department_ids)
    checks = check_children(children, on)
    return CheckSummary([checks[c.id] for c in children])


def department_leader_ids(home_id: int, on: date) -> dict[int, set[int]]:
    """Department id -> ids of the current department leaders who belong to it."""
    from app.people.models import UserRole

    rows = db.session.execute(
        select(Membership.department_id, User.id).join(User, User.id == Membership.user_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.home_id == home_id, UserRole.role == Role.DEPARTMENT_LEADER, User.is_disabled.is_(False),
               or_(User.left_on.is_(None), User.left_on > on))
    ).all()
    leaders: dict[int, set[int]] = defaultdict(set)
    for department_id, user_id in rows:
        leaders[department_id].add(user_id)
    return leaders
