"""The demo home looks lived-in: most duties due over a month ago are done, a few are left open."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.people.models import Home


def test_most_past_duties_are_done_and_recent_ones_are_untouched(app, demo):
    with app.app_context():
        home = db.session.scalar(select(Home))
        today = clock.today()
        past = guideline_tasks(home, today - timedelta(days=730), today - timedelta(days=30))
        recent = guideline_tasks(home, today - timedelta(days=29), today)
    # Duties done by a record are the features' demo data (tests/cycle/test_one_truth.py); the rest are marked.
    past = [t for t in past if not t.fulfilled_by]
    assert past, "the demo guidelines have duties in the last two years"
    done_share = sum(t.is_done for t in past) / len(past)
    assert 0.7 <= done_share < 1.0
    assert not any(t.is_done for t in recent if not t.fulfilled_by)
