"""The one place that knows what "today" and "now" are, in Europe/Copenhagen.

Nothing else calls date.today() or datetime.now(). Tests freeze the clock with
`frozen(...)`; demos can set KP_FAKE_TODAY=YYYY-MM-DD (frozen at noon that day) or
KP_FAKE_TODAY=YYYY-MM-DDTHH:MM (a clock that runs on from that moment, Copenhagen time).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Copenhagen")

_frozen_utc: datetime | None = None
_offset: timedelta = timedelta(0)


def now() -> datetime:
    """The current moment as an aware UTC datetime."""
    if _frozen_utc is not None:
        return _frozen_utc
    return datetime.now(UTC) + _offset


def received_at() -> datetime:
    """When the current request reached the server (app/request_start.py), else now: deadlines judge by it."""
    from flask import g, has_request_context

    if has_request_context() and "request_started_at" in g:
        return g.request_started_at
    return now()


def run_from(moment: datetime) -> None:
    """Let the clock run on from a moment (demos and load tests): time passes, starting there."""
    global _offset
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    _offset = moment.astimezone(UTC) - datetime.now(UTC)


def local_now() -> datetime:
    """The current moment in Europe/Copenhagen."""
    return now().astimezone(TZ)


def today() -> date:
    """Today's date in Europe/Copenhagen."""
    return local_now().date()


def set_now(moment: datetime | date | None) -> None:
    """Freeze the clock at a moment (a date means noon that day in Copenhagen); None unfreezes."""
    global _frozen_utc
    if moment is None:
        _frozen_utc = None
        return
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(12, 0), tzinfo=TZ)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    _frozen_utc = moment.astimezone(UTC)


def reset() -> None:
    """Back to the real clock."""
    global _frozen_utc, _offset
    _frozen_utc, _offset = None, timedelta(0)


@contextmanager
def frozen(moment: datetime | date) -> Iterator[None]:
    previous = _frozen_utc
    set_now(moment)
    try:
        yield
    finally:
        globals()["_frozen_utc"] = previous


def end_of_day(day: date) -> datetime:
    """The last instant of a Copenhagen calendar day, as aware UTC: a deadline "by <day>" closes here.

    It is computed as the start of the next local day, so DST changes never move it.
    """
    next_midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=TZ)
    return next_midnight.astimezone(UTC) - timedelta(microseconds=1)


def is_after_deadline(moment: datetime, deadline_day: date) -> bool:
    """True when an aware moment falls after the end of the deadline day in Copenhagen."""
    return moment.astimezone(UTC) > end_of_day(deadline_day)


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TZ)


def utcnow_naive() -> datetime:
    """Now in UTC without tzinfo, for DateTime columns (stored as UTC everywhere)."""
    return now().replace(tzinfo=None)
