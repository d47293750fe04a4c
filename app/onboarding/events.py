"""A new person gets the checklist for their employment type, in the same transaction as their creation."""

from app.extensions import db
from app.hooks import on_event
from app.onboarding.services import auto_assign
from app.people.models import User


@on_event("people.created")
def assign_on_creation(name=None, home_id=None, user_id=None, on=None, **_payload):
    person = db.session.get(User, user_id)
    if person is not None:
        auto_assign(person, on)
