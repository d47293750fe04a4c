"""Who may see and record talks, profiles, neuropedagogy and the MUS concept.

Talks and their written agreements are seen only by the employee, their leaders and the tilbudsleder; the
technical administrator manages accounts and reads none of it (shared/DOMAIN.md "Need-to-know").
"""

from app.appraisals.models import LU
from app.people.constants import Role
from app.permissions import is_head, leads_any_of, rule, same_home


@rule("appraisals.overview")
def see_overview(user, obj=None) -> bool:
    """Department leaders (their departments) and the tilbudsleder (the whole home)."""
    return user.has_role(Role.DEPARTMENT_LEADER, Role.HEAD)


@rule("appraisals.overview_home")
def see_whole_home(user, obj=None) -> bool:
    return is_head(user)


def may_record(user, kind: str, person) -> bool:
    """Whether the user may plan and record a talk of this kind (MU or LU) with the person: for MU the leader of
    one of the person's departments or the tilbudsleder, for LU the tilbudsleder; never with oneself. `person`
    needs only `id`, `home_id` and `department_ids` (a User, or a row of the talk overview)."""
    if not same_home(user, person) or person.id == user.id:
        return False
    if kind == LU:
        return is_head(user)
    return is_head(user) or leads_any_of(user, person.department_ids)


@rule("appraisals.record_mu")
def record_mu(user, person=None) -> bool:
    """The leader of one of the person's departments, or the tilbudsleder; never for oneself."""
    if person is None:
        return user.has_role(Role.DEPARTMENT_LEADER, Role.HEAD)
    return may_record(user, "mu", person)


@rule("appraisals.record_lu")
def record_lu(user, person=None) -> bool:
    """The tilbudsleder holds LU talks with the department leaders."""
    if person is None:
        return is_head(user)
    return may_record(user, "lu", person)


@rule("appraisals.view_profile")
def view_profile(user, person) -> bool:
    """Yourself; the head of your home; a leader of one of the person's departments."""
    if person is None or not same_home(user, person):
        return False
    if person.id == user.id or is_head(user):
        return True
    return leads_any_of(user, person.department_ids)


@rule("appraisals.record_neuro")
def record_neuro(user, person=None) -> bool:
    if person is None:
        return user.has_role(Role.DEPARTMENT_LEADER, Role.HEAD)
    return record_mu(user, person) or (same_home(user, person) and is_head(user) and person.id != user.id)


@rule("appraisals.mus_view")
def view_mus(user, obj=None) -> bool:
    """The tilbudsleder and Mini-MED see the MUS concept and its yearly items."""
    return user.has_role(Role.HEAD, Role.MINI_MED)


@rule("appraisals.mus_manage")
def manage_mus(user, obj=None) -> bool:
    return is_head(user)
