"""Who reads the audit log, and how much of each entry."""

from app.permissions import is_admin, rule

#: Actions on accounts and settings: the administrator's own work, whose descriptions he may read.
ACCOUNT_ACTIONS = ("auth.", "people.", "org.")


@rule("audit.view")
def view_audit(user, obj) -> bool:
    return is_admin(user)


@rule("audit.summary")
def read_summary(user, entry) -> bool:
    """An entry's description (a talk's employee, a wish's title) only for accounts and settings: the
    administrator sees who did what and when to content, not the content (shared/DOMAIN.md "Need-to-know")."""
    return entry is not None and view_audit(user, entry) and entry.action.startswith(ACCOUNT_ACTIONS)
