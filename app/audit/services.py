"""Writing to the audit log. Adds to the session; the caller's transaction commits it."""

from flask import has_request_context
from flask_login import current_user

from app.audit.models import AuditEntry
from app.extensions import db


def record(action: str, obj=None, *, summary: str = "", home_id: int | None = None, actor=None, **detail):
    """Log an action on an object; actor defaults to the logged-in user."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if home_id is None:
        home_id = getattr(obj, "home_id", None) or getattr(actor, "home_id", None)
    entry = AuditEntry(
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        summary=summary[:300],
        home_id=home_id,
        actor_id=getattr(actor, "id", None),
        detail={k: v for k, v in detail.items() if v is not None},
    )
    db.session.add(entry)
    return entry
