"""Who may do what with wishes, overviews, the distribution, supervision, courses and the plan.

Employees: their own wishes and courses. Department leaders: their departments'. The tilbudsleder: the
home's. Mini-MED members read the distribution and the plan. Objects of another home are refused here
too, but routes answer those with 404 before asking.
"""

from app.competence import models, tilbudsplan_models  # noqa: F401 - the feature's tables are registered with the app
from app.people.constants import Role
from app.permissions import is_head, leads_any_of, leads_department, rule, same_home


def _department_id(obj):
    return obj if isinstance(obj, int) else getattr(obj, "department_id", getattr(obj, "id", None))


@rule("competence.wish_own")
def own_wishes(user, obj=None) -> bool:
    """Permanent staff and leaders send their own wishes; temps do not."""
    return not user.is_temp or user.is_leader


@rule("competence.wish_view")
def view_wish(user, wish) -> bool:
    if wish is None or not same_home(user, wish):
        return False
    return wish.user_id == user.id or is_head(user) or leads_department(user, wish.department_id)


@rule("competence.wish_edit")
def edit_wish(user, wish) -> bool:
    return view_wish(user, wish)


@rule("competence.overview")
def department_overview(user, department=None) -> bool:
    """The October overview: the department's leader and the tilbudsleder."""
    if department is None:
        return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)
    if getattr(department, "home_id", user.home_id) != user.home_id:
        return False
    return is_head(user) or leads_department(user, _department_id(department))


@rule("competence.home")
def home_wishes(user, obj=None) -> bool:
    """The home's wish list, reopening overviews, drafting the distribution: the tilbudsleder."""
    return is_head(user)


@rule("competence.distribution_view")
def view_distribution(user, obj=None) -> bool:
    if obj is not None and not same_home(user, obj):
        return False
    return is_head(user) or user.has_role(Role.MINI_MED)


@rule("competence.supervision")
def supervision(user, department=None) -> bool:
    """Recording used supervision: the department's leader and the tilbudsleder."""
    if department is None:
        return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)
    return department_overview(user, department)


@rule("competence.courses")
def manage_courses(user, person=None) -> bool:
    """Completed courses and implementation agreements: the person's leader and the tilbudsleder."""
    if person is None:
        return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)
    if not same_home(user, person):
        return False
    return is_head(user) or leads_any_of(user, person.department_ids)


@rule("competence.plan")
def view_plan(user, obj=None) -> bool:
    """The written plan: the leader group writes it, Mini-MED reads it."""
    return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER, Role.MINI_MED)


@rule("competence.plan_edit")
def edit_plan(user, obj=None) -> bool:
    return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)


@rule("competence.minimed_record")
def record_at_minimed(user, meeting=None) -> bool:
    """The tilbudsleder records what a Mini-MED meeting approved, was presented and evaluated."""
    if meeting is not None and not same_home(user, meeting):
        return False
    return is_head(user)


@rule("competence.suggestions")
def view_suggestions(user, obj=None) -> bool:
    """The departments' suggestions for next year's tilbudsplan: the leader group and Mini-MED read them."""
    return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER, Role.MINI_MED)


@rule("competence.suggestions_edit")
def edit_suggestions(user, department=None) -> bool:
    """A department's staff meeting suggestions are entered by its leader (or the tilbudsleder)."""
    if department is None:
        return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER)
    return department_overview(user, department)
@rule("competence.tilbudsplan")
def read_tilbudsplan(user, version=None) -> bool:
    """Everyone working at the home reads the published tilbudsplan; drafts are the leader group's and Mini-MED's."""
    if user.home_id is None or (user.has_role(Role.ADMIN) and not user.has_role(
            Role.EMPLOYEE, Role.DEPARTMENT_LEADER, Role.HEAD, Role.MINI_MED)):
        return False
    if version is None:
        return True
    if not same_home(user, version):
        return False
    return version.status in ("published", "superseded") or read_tilbudsplan_drafts(user)


@rule("competence.tilbudsplan_drafts")
def read_tilbudsplan_drafts(user, obj=None) -> bool:
    return is_head(user) or user.has_role(Role.DEPARTMENT_LEADER, Role.MINI_MED)


@rule("competence.tilbudsplan_edit")
def edit_tilbudsplan(user, obj=None) -> bool:
    """The leader group (the tilbudsleder and the department leaders) writes and finishes the tilbudsplan."""
    return edit_plan(user, obj)


@rule("competence.tilbudsplan_publish")
def publish_tilbudsplan(user, obj=None) -> bool:
    """The tilbudsleder publishes the plan once Mini-MED has had it presented."""
    return is_head(user)
