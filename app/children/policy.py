"""Who may see and keep children's records: only those who work with the child.

- Staff (employees, temps, leaders) see the children of their own departments; the tilbudsleder sees all
  children in the home. Administrators and Mini-MED as such see none.
- Temps see only a child's name, department and whether they have read the current plan's handover.
- A department leader keeps the department's children (admit, move, leave, team, plans) and reads the
  access log for them; the tilbudsleder may do so for every department.
- A current member of the child's contact team may record plan and physiotherapy updates.
"""

from sqlalchemy import or_, select

from app import clock
from app.extensions import db
from app.people.constants import Role
from app.permissions import is_head, leads_department, rule, same_home


def works_with_children(user) -> bool:
    return user.has_role(Role.EMPLOYEE, Role.DEPARTMENT_LEADER, Role.HEAD)


def sees_child(user, child) -> bool:
    if child is None or not same_home(user, child) or not works_with_children(user):
        return False
    return is_head(user) or child.department_id in user.department_ids


def keeps_child(user, child) -> bool:
    if not same_home(user, child):
        return False
    return is_head(user) or leads_department(user, child.department_id)


def on_contact_team(user, child) -> bool:
    from app.children.models import ContactTeamMember

    today = clock.today()
    return db.session.scalar(select(ContactTeamMember.id).where(
        ContactTeamMember.child_id == child.id, ContactTeamMember.user_id == user.id,
        ContactTeamMember.from_on <= today,
        or_(ContactTeamMember.to_on.is_(None), ContactTeamMember.to_on > today)).limit(1)) is not None


@rule("children.list")
def list_children(user, obj=None) -> bool:
    return works_with_children(user)


@rule("children.view")
def view_child(user, child) -> bool:
    return sees_child(user, child)


@rule("children.history")
def view_history(user, child) -> bool:
    """The full page and the history: not for temps."""
    return sees_child(user, child) and not user.is_temp


@rule("children.admit")
def admit(user, obj=None) -> bool:
    return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)


@rule("children.manage")
def manage_child(user, child) -> bool:
    return child is not None and keeps_child(user, child)


@rule("children.plan")
def record_plan(user, child) -> bool:
    if child is None or not sees_child(user, child) or user.is_temp:
        return False
    return keeps_child(user, child) or on_contact_team(user, child)


@rule("children.checks")
def view_checks(user, department_id=None) -> bool:
    """The checks page: the whole home for the tilbudsleder, a leader's own departments."""
    if department_id is None:
        return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)
    return is_head(user) or leads_department(user, department_id)


@rule("children.log")
def view_log(user, child=None) -> bool:
    if child is None:
        return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)
    return keeps_child(user, child)
