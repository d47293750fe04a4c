from app.permissions import is_admin, rule


@rule("audit.view")
def view_audit(user, obj) -> bool:
    return is_admin(user)
