"""How a guideline's `when` (see guidelines/README.md) becomes due dates in a given year.

Every deadline is a calendar day in Europe/Copenhagen and closes at the end of that day
(app.clock.end_of_day); DST changes and leap years therefore never move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.clock import last_day_of_month

MEETING_KINDS = ("mini_med_first", "mini_med_last")
TWICE_A_YEAR_KINDS = ("temp_meeting",)
_LEAP_YEAR = 2028
_COMMON_YEAR = 2027


class WhenError(ValueError):
    """A `when` that cannot be resolved to a date; the message names what is wrong (in Danish)."""


def _month(value, field: str = "month") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise WhenError(f"'{field}' skal være et månedstal fra 1 til 12, ikke {value!r}")
    return value


def validate_when(when) -> None:
    """Raise WhenError unless `when` is one of the documented forms and resolves in every year."""
    if not isinstance(when, dict) or not when:
        raise WhenError("'when' skal være en af formerne {day, month}, {month}, {months}, {meeting} "
                        "eller {twice_a_year}")
    keys = set(when)
    if keys == {"day", "month"}:
        month = _month(when["month"])
        day = when["day"]
        if isinstance(day, bool) or not isinstance(day, int):
            raise WhenError(f"'day' skal være et tal, ikke {day!r}")
        for year in (_LEAP_YEAR, _COMMON_YEAR):
            try:
                date(year, month, day)
            except ValueError as error:
                raise WhenError(f"{day}/{month} er ikke en dato i alle år") from error
    elif keys == {"month"}:
        _month(when["month"])
    elif keys == {"months"}:
        months = when["months"]
        if not isinstance(months, list) or not months:
            raise WhenError("'months' skal være en liste af månedstal")
        for month in months:
            _month(month, "months")
    elif keys == {"meeting"}:
        if when["meeting"] not in MEETING_KINDS:
            raise WhenError(f"ukendt mødetype {when['meeting']!r}; brug {', '.join(MEETING_KINDS)}")
    elif keys == {"twice_a_year"}:
        if when["twice_a_year"] not in TWICE_A_YEAR_KINDS:
            raise WhenError(f"ukendt type {when['twice_a_year']!r} for twice_a_year; brug temp_meeting")
    else:
        raise WhenError(f"ukendt form for 'when': {sorted(keys)}")


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
