"""Who may see and manage the organisation and its people.

The administrator manages accounts (create, disable, start codes, the roles people.grants lets him grant) and
the home's settings; he sees a person's account page, never content about them (appraisals, wishes, children).
"""

from app.people.constants import Role
from app.permissions import is_admin, is_head, leads_any_of, rule, same_home


@rule("org.manage")
def manage_organisation(user, home=None) -> bool:
    """Tilbudsleder and admin manage their own home: departments, methods, settings."""
    if home is not None and home.id != user.home_id:
        return False
    return is_head(user) or is_admin(user)


@rule("people.list")
def list_people(user, obj=None) -> bool:
    return user.has_role(Role.DEPARTMENT_LEADER, Role.HEAD, Role.ADMIN)


@rule("people.manage")
def manage_people(user, person=None) -> bool:
    if person is not None and not same_home(user, person):
        return False
    return is_head(user) or is_admin(user)


@rule("people.view")
def view_person(user, person) -> bool:
    """The account page: yourself; the head and admin of your home; a leader of one of your departments."""
    if person is None or not same_home(user, person):
        return False
    if person.id == user.id or is_head(user) or is_admin(user):
        return True
    return leads_any_of(user, person.department_ids)


def people_scope(user) -> frozenset[int] | None:
    """`people.view` as a filter for a list of people (the employee list and its export, which name only those the
    viewer may open): None for every person of the home (the head, the administrator), else the departments whose
    people the viewer may open (a leader's own, nobody's for anyone else), besides the viewer."""
    if is_head(user) or is_admin(user):
        return None
    return frozenset(user.department_ids) if user.has_role(Role.DEPARTMENT_LEADER) else frozenset()


@rule("people.start_code")
def issue_start_code(user, person) -> bool:
    """Whoever holds a new start code can log in as the person, so it is issued only by someone who may grant
    every role the person holds (people.grants): the administrator cannot take over the head's or a leader's
    account and so get their role."""
    from app.people.grants import may_grant

    if person is None or not manage_people(user, person):
        return False
    return all(may_grant(user, role) for role in person.roles)
