"""Events the guideline library listens to."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from app import clock, signals
from app.extensions import db
from app.guidelines.services import GuidelineError, acknowledge, guideline_by_slug
from app.people.models import User


@signals.guideline_read.connect
def guideline_read(_sender, /, home_id: int, user_id: int, slug: str, on: date | None = None, **_payload) -> None:
    """Onboarding marked a guideline as read: that counts as "Læst og forstået" for the current version."""
    user = db.session.get(User, user_id)
    if user is None or user.home_id != home_id:
        return
    guideline = guideline_by_slug(user.home, slug)
    if guideline is None or guideline.published is None:
        return
    at = None
    if on is not None and on < clock.today():
        at = datetime.combine(on, time(12, 0), tzinfo=clock.TZ).astimezone(UTC)
    try:
        acknowledge(guideline, user, at=at)
    except GuidelineError:
        return  # not in the guideline's target group: nothing to confirm
