"""Who may read, edit, approve and follow up on guidelines."""

from app.guidelines.services import holds
from app.people.constants import Role
from app.permissions import is_head, rule


def _applies(user, guideline) -> bool:
    """A guideline is the user's when it is their home's, or their region's common one."""
    if guideline is None:
        return True
    if guideline.home_id is not None:
        return guideline.home_id == user.home_id
    return guideline.region_id == user.home.region_id


@rule("guidelines.view")
def view(user, guideline=None) -> bool:
    """Every current person reads the guidelines that apply to their home."""
    return _applies(user, guideline)


@rule("guidelines.edit")
def edit(user, guideline) -> bool:
    """The revision-responsible role writes drafts."""
    return (guideline is not None and _applies(user, guideline) and guideline.published is not None
            and holds(user, guideline.published.revision_responsible))


@rule("guidelines.approve")
def approve(user, guideline) -> bool:
    """The approver role (normally the tilbudsleder) approves drafts and records reviews without changes."""
    return (guideline is not None and _applies(user, guideline) and guideline.published is not None
            and holds(user, guideline.published.approver_role))


@rule("guidelines.coverage")
def coverage(user, guideline=None) -> bool:
    """Leaders see who has confirmed; the administrator does not (named people's reading is not his to see)."""
    return _applies(user, guideline) and (is_head(user) or user.has_role(Role.DEPARTMENT_LEADER))
