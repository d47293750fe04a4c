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

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app import clock
from app.children.models import Child, ContactTeamMember, IndividualPlanUpdate, PhysioPlanUpdate, PhysioReferral
from app.extensions import db
from app.people.constants import Role
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


@dataclass
class ChildCheck:
    child: Child
    gaps: list[Gap] = field(default_factory=list)
    soon: list[Gap] = field(default_factory=list)
    team: list[ContactTeamMember] = field(default_factory=list)
    coordinator_id: int | None = None
    plan_last_on: date | None = None
    plan_next_on: date | None = None
    physio: list[tuple[PhysioReferral, PhysioPlanUpdate | None]] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        """A child with no gap."""
        return not self.gaps

    def has_gap_in(self, codes: frozenset[str]) -> bool:
        return any(gap.code in codes for gap in self.gaps)


def _fmt(day: date) -> str:
    from app.web import dadate

    return dadate(day)


def _is_current_user(user: User, on: date) -> bool:
    return not user.is_disabled and (user.left_on is None or user.left_on > on)


def plan_next_on(home: Home, last_on: date) -> date:
    """Next follow-up of an individual plan: the last update plus the home's interval."""
    return clock.add_months(last_on, int(home.setting("plan_interval_months")))


def check_children(children: Sequence[Child], on: date | None = None) -> dict[int, ChildCheck]:
    """The checks for each child placed on a day, keyed by child id; a constant number of queries."""
    on = on or clock.today()
    children = [c for c in children if c.is_placed(on)]
    checks = {c.id: ChildCheck(c) for c in children}
    if not children:
        return checks
    ids = list(checks)
    home_ids = {c.home_id for c in children}
    homes = {h.id: h for h in db.session.scalars(select(Home).where(Home.id.in_(home_ids)))}

    members = db.session.scalars(
        select(ContactTeamMember).options(joinedload(ContactTeamMember.user))
        .where(ContactTeamMember.child_id.in_(ids), ContactTeamMember.from_on <= on,
               or_(ContactTeamMember.to_on.is_(None), ContactTeamMember.to_on > on))
        .order_by(ContactTeamMember.child_id, ContactTeamMember.id)
    ).all()
    user_departments: dict[int, set[int]] = defaultdict(set)
    member_user_ids = {m.user_id for m in members}
    if member_user_ids:
        for user_id, department_id in db.session.execute(
                select(Membership.user_id, Membership.department_id).where(Membership.user_id.in_(member_user_ids))):
            user_departments[user_id].add(department_id)
    for member in members:
        checks[member.child_id].team.append(member)

    last_plan = dict(db.session.execute(
        select(IndividualPlanUpdate.child_id, func.max(IndividualPlanUpdate.updated_on))
        .where(IndividualPlanUpdate.child_id.in_(ids), IndividualPlanUpdate.updated_on <= on)
        .group_by(IndividualPlanUpdate.child_id)
    ).all())

    referrals = db.session.scalars(
        select(PhysioReferral).where(PhysioReferral.child_id.in_(ids), PhysioReferral.referred_on <= on,
                                     or_(PhysioReferral.ended_on.is_(None), PhysioReferral.ended_on > on))
        .order_by(PhysioReferral.referred_on, PhysioReferral.id)
    ).all()
    latest_physio: dict[int, PhysioPlanUpdate] = {}
    if referrals:
        for update in db.session.scalars(
                select(PhysioPlanUpdate).where(PhysioPlanUpdate.referral_id.in_([r.id for r in referrals]),
                                               PhysioPlanUpdate.updated_on <= on)
                .order_by(PhysioPlanUpdate.updated_on, PhysioPlanUpdate.id)):
            latest_physio[update.referral_id] = update
    for referral in referrals:
        checks[referral.child_id].physio.append((referral, latest_physio.get(referral.id)))

    for check in checks.values():
        home = homes[check.child.home_id]
        _team_gaps(check, home, on, user_departments)
        check.plan_last_on = last_plan.get(check.child.id)
        _plan_gaps(check, home, on)
        _physio_gaps(check, on)
    return checks


def child_gaps(children: Sequence[Child], on: date | None = None) -> dict[int, list[Gap]]:
    """The gaps of each child placed on a day, keyed by child id (an empty list: no gap)."""
    return {child_id: check.gaps for child_id, check in check_children(children, on).items()}


def _team_gaps(check: ChildCheck, home: Home, on: date, user_departments: dict[int, set[int]]) -> None:
    minimum = int(home.setting("contact_team_min"))
    if not check.team:
        check.gaps.append(Gap("no_team", "Intet kontaktteam"))
        return
    valid = 0
    for member in check.team:
        user = member.user
        if not _is_current_user(user, on):
            check.gaps.append(Gap("member_left", f"{user.name} i kontaktteamet er fratrådt"))
        elif check.child.department_id not in user_departments.get(user.id, set()):
            check.gaps.append(Gap("member_moved", f"{user.name} i kontaktteamet er ikke længere i afdelingen"))
        elif user.is_temp:
            check.gaps.append(Gap("member_temp", f"{user.name} i kontaktteamet er vikar"))
        else:
            valid += 1
            if member.is_coordinator:
                check.coordinator_id = user.id
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
    for referral, plan in check.physio:
        if plan is None:
            check.gaps.append(Gap("physio_no_plan",
                                  f"Henvist til fysioterapi {_fmt(referral.referred_on)} uden behandlingsplan"))
            continue
        _follow_up(check, plan.next_follow_up_on, on, "physio_overdue",
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
