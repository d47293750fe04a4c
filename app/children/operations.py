"""Changes to children's records. Each checks its rule, flushes and writes the audit log; the route commits
(only the access log of reads commits its own rows).

The audit log names a child only by number ("Barn #12"): the log is read by administrators, who do not
work with the children.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import clock
from app.audit.services import record
from app.children.models import (
    Child,
    ChildAccessLog,
    ChildMove,
    ContactTeamMember,
    HandoverRead,
    IndividualPlanUpdate,
    PhysioPlanUpdate,
    PhysioReferral,
    PlanGoal,
)
from app.children.validators import contains_cpr
from app.extensions import db
from app.people.models import Department, Home, User


class ChildrenError(Exception):
    """A change to a child's record that is refused; the message is Danish and shown as is."""


def _label(child: Child) -> str:
    return f"Barn #{child.id}"


def _no_cpr(*values: str | None) -> None:
    if any(contains_cpr(v) for v in values):
        raise ChildrenError("CPR-numre må ikke skrives i portalen.")


def _department_of(home_id: int, department_id: int | None) -> Department:
    department = db.session.get(Department, department_id) if department_id else None
    if department is None or department.home_id != home_id:
        raise ChildrenError("Afdelingen hører ikke til barnets tilbud. Vælg en afdeling i jeres eget tilbud.")
    if not department.is_active:
        raise ChildrenError("Afdelingen er ikke længere aktiv.")
    return department


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def admit_child(home: Home, data: dict, actor: User) -> Child:
    _no_cpr(data.get("display_name"), data.get("reference"))
    department = _department_of(home.id, data.get("department_id"))
    child = Child(home_id=home.id, department_id=department.id, display_name=_clean(data["display_name"]),
                  reference=_clean(data.get("reference")), placement_basis=data["placement_basis"],
                  admitted_on=data["admitted_on"])
    db.session.add(child)
    db.session.flush()
    record("children.admitted", child, summary=_label(child), actor=actor, department_id=department.id)
    return child


def update_child(child: Child, data: dict, actor: User) -> None:
    _no_cpr(data.get("display_name"), data.get("reference"))
    first_plan = db.session.scalar(
        select(IndividualPlanUpdate.updated_on).where(IndividualPlanUpdate.child_id == child.id)
        .order_by(IndividualPlanUpdate.updated_on).limit(1))
    if first_plan is not None and data["admitted_on"] > first_plan:
        raise ChildrenError("Indskrivningsdatoen kan ikke ligge efter den første opdatering af den individuelle plan.")
    if child.left_on is not None and data["admitted_on"] > child.left_on:
        raise ChildrenError("Indskrivningsdatoen kan ikke ligge efter fraflytningsdatoen.")
    child.display_name = _clean(data["display_name"])
    child.reference = _clean(data.get("reference"))
    child.placement_basis = data["placement_basis"]
    child.admitted_on = data["admitted_on"]
    db.session.flush()
    record("children.changed", child, summary=_label(child), actor=actor)


def move_child(child: Child, department_id: int | None, moved_on: date, actor: User, today: date) -> ChildMove:
    """Move a child to another department of the same home; the contact team must then be renewed."""
    department = _department_of(child.home_id, department_id)
    if department.id == child.department_id:
        raise ChildrenError("Barnet bor allerede i den afdeling.")
    if child.has_left(today):
        raise ChildrenError("Barnet er fraflyttet og kan ikke flyttes.")
    if moved_on > today:
        raise ChildrenError("Flyttedatoen kan ikke ligge i fremtiden.")
    if moved_on < child.admitted_on:
        raise ChildrenError("Flyttedatoen kan ikke ligge før indskrivningen.")
    move = ChildMove(child_id=child.id, from_department_id=child.department_id, to_department_id=department.id,
                     moved_on=moved_on, moved_by_id=actor.id)
    child.department_id = department.id
    db.session.add(move)
    db.session.flush()
    record("children.moved", child, summary=_label(child), actor=actor, from_department_id=move.from_department_id,
           to_department_id=department.id)
    return move


def record_leaving(child: Child, left_on: date, actor: User) -> None:
    """The child's record is kept; from the leaving day the child drops out of the checks."""
    if child.left_on is not None:
        raise ChildrenError("Barnets fraflytning er allerede registreret.")
    if left_on < child.admitted_on:
        raise ChildrenError("Fraflytningsdatoen kan ikke ligge før indskrivningen.")
    child.left_on = left_on
    db.session.flush()
    record("children.left", child, summary=_label(child), actor=actor, left_on=left_on.isoformat())


def set_contact_team(child: Child, user_ids: list[int], coordinator_id: int | None, actor: User,
                     today: date) -> None:
    """Replace the current contact team from today; earlier memberships are ended, not deleted."""
    minimum = int(db.session.get(Home, child.home_id).setting("contact_team_min"))
    wanted = list(dict.fromkeys(int(i) for i in user_ids))
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    for user_id in wanted:
        person = people.get(user_id)
        if person is None or person.home_id != child.home_id:
            raise ChildrenError("En valgt person findes ikke i tilbuddet.")
        if person.has_left(today) or person.is_disabled:
            raise ChildrenError(f"{person.name} er fratrådt og kan ikke være i kontaktteamet.")
        if child.department_id not in person.department_ids:
            raise ChildrenError(f"{person.name} er ikke ansat i barnets afdeling og kan ikke være i kontaktteamet.")
        if person.is_temp:
            raise ChildrenError(f"{person.name} er vikar; kontaktteamet skal bestå af fastansatte.")
    if len(wanted) < minimum:
        raise ChildrenError(f"Kontaktteamet skal have mindst {minimum} nuværende medarbejdere fra afdelingen.")
    if coordinator_id is None or coordinator_id not in wanted:
        raise ChildrenError("Vælg en koordinator blandt kontaktteamets medlemmer.")
    current = db.session.scalars(
        select(ContactTeamMember).where(ContactTeamMember.child_id == child.id, ContactTeamMember.from_on <= today,
                                        (ContactTeamMember.to_on.is_(None)) | (ContactTeamMember.to_on > today))
    ).all()
    keep: set[tuple[int, bool]] = set()
    for member in current:
        if member.user_id in wanted and member.is_coordinator == (member.user_id == coordinator_id):
            keep.add((member.user_id, member.is_coordinator))
        else:
            member.to_on = today
    for user_id in wanted:
        is_coordinator = user_id == coordinator_id
        if (user_id, is_coordinator) not in keep:
            db.session.add(ContactTeamMember(child_id=child.id, user_id=user_id, is_coordinator=is_coordinator,
                                             from_on=today))
    db.session.flush()
    record("children.team_set", child, summary=_label(child), actor=actor, members=wanted,
           coordinator_id=coordinator_id)


def add_plan_update(child: Child, updated_on: date, goals: list[dict], actor: User,
                    today: date) -> IndividualPlanUpdate:
    if updated_on > today:
        raise ChildrenError("Datoen for planens opdatering kan ikke ligge i fremtiden.")
    if updated_on < child.admitted_on:
        raise ChildrenError("Datoen for planens opdatering kan ikke ligge før barnets indskrivning.")
    _no_cpr(*(g.get("title") for g in goals))
    update = IndividualPlanUpdate(child_id=child.id, updated_on=updated_on, updated_by_id=actor.id)
    for position, goal in enumerate(g for g in goals if _clean(g.get("title"))):
        update.goals.append(PlanGoal(position=position, title=_clean(goal["title"])[:120],
                                     is_sub_goal=bool(goal.get("is_sub_goal")), status=goal.get("status") or "active"))
    db.session.add(update)
    db.session.flush()
    record("children.plan_updated", child, summary=_label(child), actor=actor, updated_on=updated_on.isoformat())
    return update


def add_referral(child: Child, referred_on: date, actor: User, today: date) -> PhysioReferral:
    if referred_on > today:
        raise ChildrenError("Henvisningsdatoen kan ikke ligge i fremtiden.")
    if referred_on < child.admitted_on:
        raise ChildrenError("Henvisningsdatoen kan ikke ligge før barnets indskrivning.")
    referral = PhysioReferral(child_id=child.id, referred_on=referred_on, created_by_id=actor.id)
    db.session.add(referral)
    db.session.flush()
    record("children.physio_referred", child, summary=_label(child), actor=actor)
    return referral


def end_referral(child: Child, referral: PhysioReferral, ended_on: date, actor: User) -> None:
    if referral.ended_on is not None:
        raise ChildrenError("Henvisningen er allerede afsluttet.")
    if ended_on < referral.referred_on:
        raise ChildrenError("Afslutningsdatoen kan ikke ligge før henvisningen.")
    referral.ended_on = ended_on
    db.session.flush()
    record("children.physio_ended", child, summary=_label(child), actor=actor)


def add_physio_plan(child: Child, referral: PhysioReferral, updated_on: date, next_follow_up_on: date | None,
                    actor: User, today: date) -> PhysioPlanUpdate:
    if updated_on > today:
        raise ChildrenError("Datoen for behandlingsplanen kan ikke ligge i fremtiden.")
    if updated_on < referral.referred_on:
        raise ChildrenError("Datoen for behandlingsplanen kan ikke ligge før henvisningen.")
    if next_follow_up_on is None:
        interval = int(db.session.get(Home, child.home_id).setting("physio_interval_months"))
        next_follow_up_on = clock.add_months(updated_on, interval)
    if next_follow_up_on <= updated_on:
        raise ChildrenError("Næste opfølgning skal ligge efter datoen for behandlingsplanen.")
    update = PhysioPlanUpdate(referral_id=referral.id, updated_on=updated_on, next_follow_up_on=next_follow_up_on,
                              updated_by_id=actor.id)
    db.session.add(update)
    db.session.flush()
    record("children.physio_plan", child, summary=_label(child), actor=actor, updated_on=updated_on.isoformat())
    return update


def confirm_handover(plan: IndividualPlanUpdate, user: User) -> bool:
    """Record that someone read a plan update's handover; False when they had already confirmed it."""
    exists = db.session.scalar(select(HandoverRead.id).where(HandoverRead.plan_update_id == plan.id,
                                                             HandoverRead.user_id == user.id))
    if exists is not None:
        return False
    db.session.add(HandoverRead(plan_update_id=plan.id, user_id=user.id))
    db.session.flush()
    return True


def log_access(child: Child, user: User, view: str) -> None:
    """Write and commit one access-log row: who looked at which child, now, in which view.

    The row is committed in a transaction of its own, before the page is sent. Committing the request's
    session instead would expire every object it has loaded, and the page and its response headers would then
    load the user and the child's records again. So the caller's session must hold no unsaved change when a
    page is logged (the routes roll a failed form back before showing it again).
    """
    with db.engine.begin() as connection:
        connection.execute(ChildAccessLog.__table__.insert().values(
            home_id=child.home_id, child_id=child.id, user_id=user.id, view=view))


def log_reads(child_ids: list[int], user: User, view: str) -> None:
    """Log that a page showed these children's names to someone (a list, the årshjul, a report): one insert
    for the whole page, committed on its own like `log_access`. Only children of the person's own home are ever
    shown to them (need_to_know), so the row takes the person's home."""
    if not child_ids:
        return
    with db.engine.begin() as connection:
        connection.execute(ChildAccessLog.__table__.insert(), [
            {"home_id": user.home_id, "child_id": child_id, "user_id": user.id, "view": view}
            for child_id in child_ids])
