"""Who may see and change onboarding: checklists, templates, temp meetings."""

from app.people.constants import Role
from app.permissions import is_head, leads_any_of, leads_department, rule, same_home


def _leader(user) -> bool:
    return user.has_role(Role.HEAD, Role.DEPARTMENT_LEADER)


@rule("onboarding.use")
def use_onboarding(user, obj=None) -> bool:
    """The menu entry: leaders, temps and people hired in the last year (who are likely onboarding)."""
    from datetime import timedelta

    from app import clock

    return _leader(user) or user.is_temp or user.hired_on > clock.today() - timedelta(days=365)


@rule("onboarding.overview")
def overview(user, obj=None) -> bool:
    """The head and the department leaders see who is onboarding (a leader: their own departments)."""
    return _leader(user)


@rule("onboarding.view_checklist")
def view_checklist(user, checklist) -> bool:
    """The person themself, the head of the home, or a leader of one of the person's departments."""
    if checklist is None or not same_home(user, checklist):
        return False
    if checklist.user_id == user.id or is_head(user):
        return True
    return leads_any_of(user, checklist.user.department_ids)


@rule("onboarding.assign")
def assign_checklist(user, person) -> bool:
    if person is None or not same_home(user, person) or person.id == user.id:
        return False
    return is_head(user) or leads_any_of(user, person.department_ids)


@rule("onboarding.templates")
def list_templates(user, obj=None) -> bool:
    return _leader(user)


@rule("onboarding.manage_template")
def manage_template(user, template=None) -> bool:
    """The head keeps every template of the home; a department leader those of their own departments."""
    if template is None:
        return _leader(user)
    if not same_home(user, template):
        return False
    return is_head(user) or leads_department(user, template.department_id)


@rule("onboarding.meetings")
def temp_meetings(user, obj=None) -> bool:
    """Leaders hold and record the temp meetings."""
    if obj is not None and not same_home(user, obj):
        return False
    if obj is not None and obj.department_id is not None and not is_head(user):
        return leads_department(user, obj.department_id)
    return _leader(user)


@rule("onboarding.restrictions")
def temp_restrictions(user, obj=None) -> bool:
    """The head and the department leaders keep the home's list of tasks temps may not do alone (Bilag A.3, A.5)."""
    if obj is not None and not same_home(user, obj):
        return False
    return _leader(user)
