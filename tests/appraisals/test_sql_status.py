"""The status the database works out (talk tasks, MU/LU indicators) equals the per-person rule (`classify`) on
the day before, of and after a talk falls due and becomes overdue, with the guideline's and a home's own
first-talk interval."""

from datetime import date, timedelta

import pytest

from app.appraisals.indicators import lu_talks, mu_talks
from app.appraisals.models import DUE_DAYS, LU, MU
from app.appraisals.status import DUE, OVERDUE, due_or_overdue, statuses
from app.cycle.models import MiniMedMeeting  # noqa: F401 - appraisals models refer to it by name
from app.extensions import db
from tests.appraisals.test_counts import add_hires_and_talks
from tests.factories import make_department, make_home

HIRED = [date(2025, 11, 30), date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 1)]
HELD = [date(2024, 2, 29), date(2025, 1, 31), date(2025, 3, 31), date(2025, 4, 30), date(2025, 12, 31)]


def _boundary_days(rows):
    days = set()
    for r in rows:
        for edge in (r.expected_on, r.expected_on - timedelta(days=DUE_DAYS)):
            days.update(edge + timedelta(days=d) for d in (-1, 0, 1))
    return sorted(days)


@pytest.mark.parametrize("first_months", [None, 3])
def test_database_status_equals_the_rule_around_each_edge(app, first_months):
    with app.app_context():
        home = make_home(**({} if first_months is None else {"first_talk_months": first_months}))
        north, south = make_department(home, "Nord"), make_department(home, "Syd")
        add_hires_and_talks(home, north, south, HIRED, HELD)
        db.session.commit()
        days = _boundary_days(statuses(home.id, MU, date(2026, 1, 1)) + statuses(home.id, LU, date(2026, 1, 1)))
        seen = set()
        for day in days:
            for kind, scope, measure in ((MU, None, mu_talks), (MU, [north.id], mu_talks), (LU, None, lu_talks)):
                rule = statuses(home.id, kind, day, scope, with_departments=False)
                want = [(r.person.id, r.last_on, r.status) for r in rule if r.status in (DUE, OVERDUE)]
                got = [(r.id, r.last_on, r.status) for r in due_or_overdue(home.id, kind, day, scope)]
                assert got == want, (kind, scope, day)
                seen.update(s for _, _, s in want)
                result = measure(home, scope[0] if scope else None, day)
                counted = [r for r in rule if r.last_on is not None or r.status == OVERDUE]
                overdue = [r.person.id for r in counted if r.status == OVERDUE]
                assert (result.total, result.met) == (len(counted), len(counted) - len(overdue)), (kind, day)
                assert [f.subject_id for f in result.exceptions] == overdue, (kind, day)
    assert seen == {DUE, OVERDUE}
