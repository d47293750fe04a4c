"""Demo data for the annual cycle: this year's and next year's Mini-MED meetings for every home."""

from datetime import date

from app import clock
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.hooks import demo_loader

#: (month, day, title) of a year's four Mini-MED meetings.
MEETINGS = [(2, 12, "Årets første Mini-MED-møde"), (5, 20, "Mini-MED-møde"), (9, 9, "Mini-MED-møde"),
            (11, 25, "Årets sidste Mini-MED-møde")]


@demo_loader(order=30)
def load(home, rng, scale):
    this_year = clock.today().year
    db.session.add_all(MiniMedMeeting(home_id=home.id, held_on=date(year, month, day), title=title,
                                      minutes="Referat: fordelingen af kompetencemidler blev godkendt."
                                      if year < this_year or date(year, month, day) < clock.today() else "")
                       for year in (this_year, this_year + 1) for month, day, title in MEETINGS)


@demo_loader(order=90)
def complete_past_duties(home, rng, scale):
    """A home that has used the portal for a while: most duties due over a month ago were done on time.

    Only duties marked by hand: one fulfilled by a record is done when the feature's demo made that record."""
    from datetime import timedelta

    from sqlalchemy import select

    from app.cycle.models import TaskCompletion
    from app.cycle.services import guideline_tasks

    today = clock.today()
    done = set(db.session.scalars(select(TaskCompletion.uid).where(TaskCompletion.home_id == home.id)))
    rows = [
        {"home_id": home.id, "uid": task.uid, "due_on": task.due_on, "note": "Udført (demodata)",
         "done_at": clock.now() - timedelta(days=(today - task.due_on).days + 1)}
        for task in guideline_tasks(home, today - timedelta(days=730), today - timedelta(days=30))
        if task.uid not in done and not task.fulfilled_by and rng.random() < 0.9
    ]
    if rows:
        db.session.execute(TaskCompletion.__table__.insert(), rows)
