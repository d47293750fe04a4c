"""Who may grant and remove which role, and the history of every grant and removal.

The rule (shared/DOMAIN.md "Need-to-know"): a role is granted or removed only by someone who holds it or a
higher one, head > department leader > the others (employee, Mini-MED member, administrator). The technical
administrator creates staff accounts, so he grants the employee role, but none of head, department leader or
Mini-MED. Nobody changes their own roles. A department leader leads the departments they belong to
(`permissions.leads_department`), so moving a leader between departments grants or removes leadership of a
department too, and a department leader may grant it only for departments they lead themself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEntry
from app.audit.services import record
from app.extensions import db
from app.people.constants import ROLE_LABELS, Role
from app.people.models import Department, User

GRANTED = "people.role_granted"
REMOVED = "people.role_removed"

#: head > department leader > the others; a role not listed is one of the others.
_RANK = {Role.HEAD: 3, Role.DEPARTMENT_LEADER: 2}


def _rank(role: str) -> int:
    return _RANK.get(role, 1)


class RoleChangeRefused(Exception):
    """A grant or removal the actor may not make; the message is Danish and shown as is."""


def may_grant(actor: User, role: str, department_ids: Iterable[int] | None = None) -> bool:
    """May the actor grant or remove this role (for a department leader: leadership of these departments)?"""
    if role not in ROLE_LABELS:
        return False
    if role == Role.DEPARTMENT_LEADER and department_ids is not None and not actor.has_role(Role.HEAD):
        return actor.has_role(Role.DEPARTMENT_LEADER) and set(department_ids) <= actor.department_ids
    if actor.has_role(role) or max((_rank(r) for r in actor.roles), default=0) > _rank(role):
        return True
    return role == Role.EMPLOYEE and actor.has_role(Role.ADMIN)


def grantable_roles(actor: User, person: User | None) -> list[str]:
    """The roles the actor may grant or remove for this person (None: a person not yet created); none of one's own."""
    if person is not None and person.id == actor.id:
        return []
    return [role.value for role in Role if may_grant(actor, role)]


def change_roles(person: User, wanted: set[str], departments_before: set[int], actor: User) -> bool:
    """Give the person exactly the wanted roles, checking every grant and removal and auditing each; whether
    anything was removed (a role, or leadership of a department).

    `departments_before` are the person's departments before this change (empty for a new person); the person's
    departments already hold the new ones, so leadership that moves with them is checked as a grant or removal.
    Raises RoleChangeRefused and changes nothing when any of it is not the actor's to change.
    """
    before, after = set(person.roles), set(wanted)
    departments_after = set(person.department_ids)
    changes: list[tuple[str, str, set[int]]] = []
    for role in sorted(after - before):
        changes.append((GRANTED, role, departments_after if role == Role.DEPARTMENT_LEADER else set()))
    for role in sorted(before - after):
        changes.append((REMOVED, role, departments_before if role == Role.DEPARTMENT_LEADER else set()))
    if Role.DEPARTMENT_LEADER in before and Role.DEPARTMENT_LEADER in after:
        if added := departments_after - departments_before:
            changes.append((GRANTED, Role.DEPARTMENT_LEADER, added))
        if removed := departments_before - departments_after:
            changes.append((REMOVED, Role.DEPARTMENT_LEADER, removed))
    if not changes:
        return False
    if person.id is not None and person.id == actor.id:
        raise RoleChangeRefused("Du kan ikke ændre dine egne roller. Bed en anden med rollen om at gøre det.")
    for _action, role, department_ids in changes:
        leadership = role == Role.DEPARTMENT_LEADER
        if not may_grant(actor, role, department_ids if leadership else None):
            if leadership and may_grant(actor, role):
                raise RoleChangeRefused("Du kan kun give eller fjerne afdelingslederrollen i de afdelinger, du selv "
                                        "leder.")
            if leadership and role in before and role in after:
                raise RoleChangeRefused("Du kan ikke ændre, hvilke afdelinger en afdelingsleder leder: det svarer "
                                        "til at give eller fjerne afdelingslederrollen.")
            raise RoleChangeRefused(f"Du kan ikke give eller fjerne rollen {ROLE_LABELS[role]}.")
    person.set_roles(after)
    db.session.flush()
    for action, role, department_ids in changes:
        record(action, person, summary=f"{ROLE_LABELS[role]}: {person.name}", actor=actor, role=role,
               departments=sorted(department_ids) or None)
    return any(action == REMOVED for action, _role, _departments in changes)


@dataclass(frozen=True)
class RoleEvent:
    at: datetime
    actor_name: str
    is_grant: bool
    role_label: str
    departments: str


def role_history(person: User) -> list[RoleEvent]:
    """Every grant and removal of the person's roles, newest first, from the audit log."""
    entries = db.session.scalars(
        select(AuditEntry).options(selectinload(AuditEntry.actor))
        .where(AuditEntry.object_type == "User", AuditEntry.object_id == person.id,
               AuditEntry.action.in_((GRANTED, REMOVED)))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
    department_ids = {d for e in entries for d in (e.detail or {}).get("departments", [])}
    names = dict(db.session.execute(select(Department.id, Department.name)
                                    .where(Department.id.in_(department_ids))).all()) if department_ids else {}
    events = []
    for entry in entries:
        detail = entry.detail or {}
        events.append(RoleEvent(
            at=entry.at, actor_name=entry.actor.name if entry.actor else "–", is_grant=entry.action == GRANTED,
            role_label=str(ROLE_LABELS.get(detail.get("role"), detail.get("role", ""))),
            departments=", ".join(names.get(d, "") for d in detail.get("departments", []))))
    return events
