"""The `when` forms resolved to due days, at their boundaries, and bad entries refused at import."""

from datetime import date, datetime

import pytest

from app import clock
from app.cycle.rules import WhenError, due_dates, is_overdue, reminder_kind, validate_when
from tests.cycle.conftest import write_guideline


def local(*args) -> datetime:
    return datetime(*args, tzinfo=clock.TZ)


def test_by_a_day_is_due_that_day_and_closes_at_its_end_in_copenhagen():
    assert due_dates({"day": 1, "month": 10}, 2026) == [date(2026, 10, 1)]
    assert not is_overdue(date(2026, 10, 1), local(2026, 10, 1, 23, 59, 59))
    assert is_overdue(date(2026, 10, 1), local(2026, 10, 2, 0, 0))
    assert not is_overdue(date(2026, 10, 1), local(2026, 9, 30, 12, 0))


def test_in_a_month_is_due_on_its_last_day():
    assert due_dates({"month": 10}, 2026) == [date(2026, 10, 31)]
    assert due_dates({"month": 11}, 2026) == [date(2026, 11, 30)]
    assert due_dates({"months": [10, 11]}, 2026) == [date(2026, 11, 30)]


def test_twice_a_year_uses_the_homes_months():
    assert due_dates({"twice_a_year": "temp_meeting"}, 2026, temp_meeting_months=[4, 10]) == [
        date(2026, 4, 30), date(2026, 10, 31)]
    assert due_dates({"twice_a_year": "temp_meeting"}, 2026) == [date(2026, 3, 31), date(2026, 9, 30)]


def test_leap_years_end_february_on_the_29th():
    assert due_dates({"month": 2}, 2028) == [date(2028, 2, 29)]
    assert due_dates({"month": 2}, 2027) == [date(2027, 2, 28)]
    assert due_dates({"day": 28, "month": 2}, 2028) == [date(2028, 2, 28)]


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)], ids=["spring-forward", "fall-back"])
def test_dst_sunday_does_not_move_a_deadline(day):
    """The last Sundays of March and October: the deadline still closes at local midnight."""
    assert not is_overdue(day, local(day.year, day.month, day.day, 23, 59, 59))
    assert is_overdue(day, local(day.year, day.month, day.day + 1, 0, 0))
    assert clock.end_of_day(day).astimezone(clock.TZ).date() == day


def test_meeting_duties_take_the_years_first_and_last_meeting():
    meetings = [date(2026, 11, 25), date(2026, 2, 12), date(2026, 5, 20), date(2027, 2, 1)]
    assert due_dates({"meeting": "mini_med_first"}, 2026, meeting_dates=meetings) == [date(2026, 2, 12)]
    assert due_dates({"meeting": "mini_med_last"}, 2026, meeting_dates=meetings) == [date(2026, 11, 25)]
    assert due_dates({"meeting": "mini_med_first"}, 2028, meeting_dates=meetings) == []


@pytest.mark.parametrize(("when", "words"), [
    ({"day": 29, "month": 2}, "day 29 of month 2 is not a date in every year"),
    ({"day": 31, "month": 2}, "day 31 of month 2 is not a date"),
    ({"day": 31, "month": 4}, "day 31 of month 4"),
    ({"month": "oktober"}, "unknown month 'oktober'"),
    ({"month": 13}, "from 1 to 12"),
    ({"months": [10, "nov"]}, "unknown month 'nov'"),
    ({"meeting": "mini_med_middle"}, "unknown meeting kind 'mini_med_middle'"),
    ({"twice_a_year": "staff_meeting"}, "unknown kind 'staff_meeting'"),
    ({"weekday": 1}, "unknown form"),
])
def test_unresolvable_when_is_refused_with_a_clear_message(when, words):
    with pytest.raises(WhenError, match=words):
        validate_when(when)


def test_import_refuses_a_bad_entry_naming_file_and_entry(app, runner, tmp_path, people):
    cycle = """\
  - key: ok
    when: {month: 10}
    what: En gyldig opgave.
    responsible: head
  - key: forkert
    when: {day: 31, month: 2}
    what: En umulig dato.
    responsible: head
"""
    write_guideline(tmp_path / "bad", "daarlig-dato", cycle)
    result = runner.invoke(args=["guidelines", "import", str(tmp_path / "bad")])
    assert result.exit_code != 0
    assert "daarlig-dato" in result.output and "cycle entry 2" in result.output
    assert "day 31 of month 2 is not a date" in result.output


@pytest.mark.parametrize(("days_before", "kind"), [
    (15, None), (14, "14d"), (13, None), (2, None), (1, "1d"), (0, None),
    (-1, "overdue"), (-2, None), (-7, None), (-8, "overdue"), (-15, "overdue"), (-16, None),
])
def test_reminder_days(days_before, kind):
    due = date(2026, 10, 1)
    today = date.fromordinal(due.toordinal() - days_before)
    assert reminder_kind(due, today) == kind
