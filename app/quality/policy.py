"""Who may see the quality report, for the home or one department, and who manages the API keys."""

from app.people.constants import Role
from app.permissions import is_head, leads_department, rule


def _sees_home(user) -> bool:
    return user.has_role(Role.HEAD, Role.MINI_MED)


@rule("quality.view")
def view_quality(user, obj=None) -> bool:
    """Anyone who sees some quality report: the tilbudsleder, Mini-MED members and department leaders."""
    return user.has_role(Role.HEAD, Role.MINI_MED, Role.DEPARTMENT_LEADER)


@rule("quality.home")
def view_home_report(user, home=None) -> bool:
    """The whole home's report: the tilbudsleder and Mini-MED members of that home."""
    if home is not None and home.id != user.home_id:
        return False
    return _sees_home(user)


@rule("quality.department")
def view_department_report(user, department) -> bool:
    """One department's report: whoever sees the home's, and the department's own leader."""
    if department is None or department.home_id != user.home_id:
        return False
    return _sees_home(user) or leads_department(user, department.id)


@rule("quality.tokens")
def manage_tokens(user, home=None) -> bool:
    """The tilbudsleder creates and revokes the home's API keys."""
    if home is not None and home.id != user.home_id:
        return False
    return is_head(user)


@rule("quality.themes")
def edit_themes(user, home=None) -> bool:
    """The tilbudsleder, who manages the report (as its API keys), places the indicators in the quality model."""
    return manage_tokens(user, home)
