"""How a guideline's `when` (see guidelines/README.md) becomes due dates in a given year.

Every deadline is a calendar day in Europe/Copenhagen and closes at the end of that day
(app.clock.end_of_day); DST changes and leap years therefore never move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from app.clock import is_after_deadline, last_day_of_month

MEETING_KINDS = ("mini_med_first", "mini_med_last")
TWICE_A_YEAR_KINDS = ("temp_meeting",)
_LEAP_YEAR = 2028
_COMMON_YEAR = 2027
_MONTH_NAMES = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
                "november", "december")
#: Reminders: this many days before a duty, and weekly (every REMIND_OVERDUE_EVERY days) while it is overdue.
REMIND_BEFORE_DAYS = {14: "14d", 1: "1d"}
REMIND_OVERDUE_EVERY = 7


class WhenError(ValueError):
    """A `when` that cannot be resolved to a date; the message names what is wrong (for operators, in English)."""


def _month(value, field: str = "month") -> int:
    if isinstance(value, str):
        raise WhenError(f"unknown month {value!r} in '{field}': write the month as a number from 1 to 12 "
                        f"(e.g. 10 for October)")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise WhenError(f"'{field}' must be a month number from 1 to 12, not {value!r}")
    return value


def validate_when(when) -> None:
    """Raise WhenError unless `when` is one of the documented forms and resolves in every year."""
    if not isinstance(when, dict) or not when:
        raise WhenError("'when' must be one of the forms {day, month}, {month}, {months}, {meeting} "
                        "or {twice_a_year}")
    keys = set(when)
    if keys == {"day", "month"}:
        month = _month(when["month"])
        day = when["day"]
        if isinstance(day, bool) or not isinstance(day, int):
            raise WhenError(f"'day' must be a number, not {day!r}")
        for year in (_LEAP_YEAR, _COMMON_YEAR):
            try:
                date(year, month, day)
            except ValueError as error:
                raise WhenError(f"day {day} of month {month} is not a date in every year "
                                f"(day={day}, month={month})") from error
    elif keys == {"month"}:
        _month(when["month"])
    elif keys == {"months"}:
        months = when["months"]
        if not isinstance(months, list) or not months:
            raise WhenError("'months' must be a list of month numbers")
        for month in months:
            _month(month, "months")
    elif keys == {"meeting"}:
        if when["meeting"] not in MEETING_KINDS:
            raise WhenError(f"unknown meeting kind {when['meeting']!r}; use {', '.join(MEETING_KINDS)}")
    elif keys == {"twice_a_year"}:
        if when["twice_a_year"] not in TWICE_A_YEAR_KINDS:
            raise WhenError(f"unknown kind {when['twice_a_year']!r} for twice_a_year; use temp_meeting")
    else:
        raise WhenError(f"unknown form of 'when': {sorted(keys)}")


def due_dates(when: dict, year: int, *, temp_meeting_months: Sequence[int] = (3, 9),
              meeting_dates: Sequence[date] = ()) -> list[date]:
    """The due dates of a duty in a year. Meeting duties have none until the year's meetings are scheduled."""
    validate_when(when)
    if "day" in when:
        return [date(year, when["month"], when["day"])]
    if "month" in when:
        return [last_day_of_month(year, when["month"])]
    if "months" in when:
        return [last_day_of_month(year, max(when["months"]))]
    if "twice_a_year" in when:
        return [last_day_of_month(year, m) for m in sorted(temp_meeting_months)]
    in_year = sorted(d for d in meeting_dates if d.year == year)
    if not in_year:
        return []
    return [in_year[0] if when["meeting"] == "mini_med_first" else in_year[-1]]


def describe_when(when: dict) -> str:
    """The `when` in Danish words, e.g. "senest 1. oktober", "i oktober", "årets første Mini-MED-møde"."""
    if "day" in when:
        return f"senest {when['day']}. {_MONTH_NAMES[when['month'] - 1]}"
    if "month" in when:
        return f"i {_MONTH_NAMES[when['month'] - 1]}"
    if "months" in when:
        return "i " + "/".join(_MONTH_NAMES[m - 1] for m in when["months"])
    if "twice_a_year" in when:
        return "to gange om året (vikarmøder)"
    return "ved årets første Mini-MED-møde" if when.get("meeting") == "mini_med_first" else \
        "ved årets sidste Mini-MED-møde"


def is_overdue(due_on: date, moment: datetime) -> bool:
    """A duty is overdue once the end of its due day (Europe/Copenhagen) has passed."""
    return is_after_deadline(moment, due_on)


def reminder_kind(due_on: date, today: date) -> str | None:
    """Which reminder a duty due on `due_on` calls for today: "14d", "1d", "overdue" or None.

    Overdue reminders go out on the first day after the deadline and every 7th day after that.
    """
    days = (due_on - today).days
    if days in REMIND_BEFORE_DAYS:
        return REMIND_BEFORE_DAYS[days]
    if days < 0 and (-days - 1) % REMIND_OVERDUE_EVERY == 0:
        return "overdue"
    return None
