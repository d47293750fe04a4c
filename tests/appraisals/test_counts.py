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


def add_hires_and_talks(home, north, south, hired_days=HIRED, held_days=HELD) -> None:
    """People hired on each of the hired days, and people and leaders with an MU / LU talk held on each held day
    (every third LU without its written agreement), spread over the two departments."""
    for i, hired in enumerate(hired_days):
        make_user(home, [north if i % 2 else south], hired_on=hired)
    for i, held in enumerate(held_days):
        person = make_user(home, [north if i % 2 else south], hired_on=date(2020, 1, 1))
        db.session.add(Talk(home_id=home.id, kind=MU, employee_id=person.id, held_on=held))
        leader = make_user(home, [north], roles=(Role.DEPARTMENT_LEADER,), hired_on=date(2020, 1, 1))
        db.session.add(Talk(home_id=home.id, kind=LU, employee_id=leader.id, held_on=held,
                            is_completed=True, written_agreement="Aftalt." if i % 3 else ""))


def test_counted_talks_equal_the_rule_for_each_person(app):
    with app.app_context():
        home = make_home()
        north, south = make_department(home, "Nord"), make_department(home, "Syd")
        add_hires_and_talks(home, north, south)
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


def test_talk_statuses_are_read_once_per_context_and_see_a_flushed_talk(app):
    """The MU indicator and the talk tasks ask the same question in one request: it is answered once, and a talk
    recorded in between (flushed) is seen by the next question."""
    from app.appraisals.status import talk_statuses
    from tests.conftest import counting

    on = date(2026, 3, 10)
    with app.app_context():
        home = make_home()
        dep = make_department(home, "Nord")
        person = make_user(home, [dep], hired_on=date(2020, 1, 1))
        db.session.commit()
        with counting(app) as first:
            assert [r.status for r in talk_statuses(home.id, MU, on)] == [OVERDUE]
        with counting(app) as second:
            assert [r.last_on for r in talk_statuses(home.id, MU, on)] == [None]
        assert first[0] > 0 and second[0] == 0, (first[0], second[0])
        db.session.add(Talk(home_id=home.id, kind=MU, employee_id=person.id, held_on=date(2026, 3, 1)))
        db.session.flush()
        assert [r.last_on for r in talk_statuses(home.id, MU, on)] == [date(2026, 3, 1)]
