"""A new person gets the checklist for their employment type, in the same transaction as their creation; the
vikarmøder held are the records that fulfil the årshjul's temp meeting duty (hooks.fulfilment)."""

from datetime import date

from sqlalchemy import select

from app import signals
from app.extensions import db
from app.hooks import Fulfilment, fulfilment
from app.onboarding.models import Checklist, TempMeeting
from app.onboarding.services import auto_assign
from app.people.models import User


@signals.person_created.connect
def assign_on_creation(_sender, /, home_id=None, user_id=None, on=None, **_payload):
    person = db.session.get(User, user_id)
    if person is not None:
        auto_assign(person, on)


@signals.employment_changed.connect
def assign_on_new_employment(_sender, /, home_id=None, user_id=None, on=None, **_payload):
    """A temp who is taken on permanently (or the other way round) gets that type's checklist, once."""
    person = db.session.get(User, user_id)
    if person is None:
        return
    has_one = db.session.scalar(select(Checklist.id).where(Checklist.user_id == person.id,
                                                           Checklist.kind == person.employment_type))
    if has_one is None:
        auto_assign(person, on)


@fulfilment("onboarding.temp_meeting_held")
def temp_meetings_held(home, first_year: int, last_year: int, entry=None):
    """Each vikarmøde held (for the home or one department) fulfils one of the year's two."""
    rows = db.session.execute(select(TempMeeting.held_on, TempMeeting.department_id).where(
        TempMeeting.home_id == home.id, TempMeeting.held_on.between(date(first_year, 1, 1), date(last_year, 12, 31))))
    return [Fulfilment(held_on.year, held_on, department_id) for held_on, department_id in rows]
