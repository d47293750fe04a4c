"""The one place that answers "may this user do this to that?".

Each feature registers its rules in its own `policy.py` with `@rule("feature.action")`;
routes ask `can(...)` or call `authorize(...)`, which aborts with 403. A rule receives the
user (always logged in and current) and the object (or None) and returns a bool. An action
nobody registered is refused, so a typo fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from werkzeug.local import LocalProxy

from app.people.constants import Role

Rule = Callable[..., bool]
_rules: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if action in _rules and _rules[action] is not func:
            raise RuntimeError(f"permission rule {action!r} registered twice")
        _rules[action] = func
        return func

    return register


def can(user, action: str, obj=None) -> bool:
    if isinstance(user, LocalProxy):  # current_user: resolve it once, not on every attribute the rule reads
        user = user._get_current_object()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_current:
        return False
    check = _rules.get(action)
    if check is None:
        return False
    return bool(check(user, obj))


def authorize(action: str, obj=None) -> None:
    """Abort with 403 unless the logged-in user may do the action to the object."""
    if not can(current_user, action, obj):
        abort(403)


def requires(action: str):
    """Route decorator for actions that need no object."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            authorize(action)
            return view(*args, **kwargs)

        wrapped.required_action = action  # what app/links.py asks before drawing a link to the page
        return wrapped

    return decorator


def registered_actions() -> list[str]:
    return sorted(_rules)


# Building blocks the features' policies combine.


def same_home(user, obj) -> bool:
    home_id = getattr(obj, "home_id", None)
    return home_id is not None and home_id == user.home_id


def is_head(user) -> bool:
    return user.has_role(Role.HEAD)


def is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def leads_department(user, department_id: int | None) -> bool:
    """A department leader leads the departments they belong to."""
    return department_id is not None and user.has_role(Role.DEPARTMENT_LEADER) and (
        department_id in user.department_ids
    )


def leads_any_of(user, department_ids) -> bool:
    return user.has_role(Role.DEPARTMENT_LEADER) and bool(user.department_ids.intersection(department_ids))
