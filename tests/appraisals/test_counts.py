"""The dashboard's talk numbers, counted by the database, equal the per-person rule on every day around the edges."""

from datetime import date, timedelta

from app.appraisals.models import LU, MU, Talk
from app.appraisals.status import DONE, DUE, OVERDUE, count_statuses, counts, statuses
from app.cycle.models import MiniMedMeeting  # noqa: F401 - appraisals models refer to it by name
from app.extensions import db
from app.people.constants import Role
from tests.factories import make_department, make_home, make_user

# Hiring days and last talks on month ends, a leap day and around New Year, so the 3 and 12 month rules
# (clamped to the month's end) and the 30 days before meet every edge in the days checked.
HIRED = [date(2025, 11, 30), date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 1)]
HELD = [date(2024, 2, 29), date(2025, 1, 31), date(2025, 3, 31), date(2025, 4, 30), date(2025, 12, 31),
        date(2026, 1, 1)]


def test_counted_talks_equal_the_rule_for_each_person(app):
    with app.app_context():
        home = make_home()
        north, south = make_department(home, "Nord"), make_department(home, "Syd")
        for i, hired in enumerate(HIRED):
            make_user(home, [north if i % 2 else south], hired_on=hired)
        for i, held in enumerate(HELD):
            person = make_user(home, [north if i % 2 else south], hired_on=date(2020, 1, 1))
            db.session.add(Talk(home_id=home.id, kind=MU, employee_id=person.id, held_on=held))
            leader = make_user(home, [north], roles=(Role.DEPARTMENT_LEADER,), hired_on=date(2020, 1, 1))
            db.session.add(Talk(home_id=home.id, kind=LU, employee_id=leader.id, held_on=held,
                                is_completed=True, written_agreement="Aftalt." if i % 3 else ""))
        make_user(home, [north], hired_on=date(2020, 1, 1), left_on=date(2026, 3, 1))
        db.session.commit()
        seen = set()
        day = date(2025, 12, 20)
        while day <= date(2026, 6, 5):
            for kind, scope in ((MU, None), (MU, [north.id]), (LU, None)):
                expected = counts(statuses(home.id, kind, day, scope, with_departments=False))
                assert count_statuses(home.id, kind, day, scope) == expected, (kind, scope, day)
                seen.update(k for k in (OVERDUE, DUE, DONE) if expected[k])
            day += timedelta(days=1)
    assert seen == {OVERDUE, DUE, DONE}
