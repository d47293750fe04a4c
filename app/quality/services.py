"""Quality monitoring: one evaluation of the registered indicators, used by the report, the PDF, the API and the
monthly snapshot alike, plus the snapshot store, the trend history and the API keys."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from app import clock
from app.audit.services import record
from app.extensions import db
from app.hooks import Indicator, IndicatorResult, indicators, tasks_for_home
from app.people.models import Department, Home
from app.quality.charts import Trend, trend
from app.quality.models import QualityApiToken, QualitySnapshot

log = logging.getLogger(__name__)

#: How many months the trend shows, the current one included.
TREND_MONTHS = 12
LIGHTS = ("green", "yellow", "red", "none", "error")


class QualityError(Exception):
    """A request the quality feature refuses; the message is Danish and shown as is."""


@dataclass
class Row:
    """One indicator's line in the report."""

    indicator: Indicator
    result: IndicatorResult | None
    light: str

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def title(self) -> str:
        return str(self.indicator.title)

    @property
    def share(self) -> float | None:
        return None if self.result is None else self.result.share

    @property
    def exceptions(self) -> list[tuple[str, str | None]]:
        return [] if self.result is None else self.result.exceptions


@dataclass
class CycleSummary:
    """The year's duties in the årshjul that have fallen due, and how many of them are done."""

    start: date
    end: date
    total: int
    done: int
    light: str
    missed: list = field(default_factory=list)
    department_names: dict[int, str] = field(default_factory=dict)

    def label(self, task) -> str:
        """The task's title, with its department when every department has its own copy of the duty."""
        name = self.department_names.get(task.department_id) if task.department_id else None
        return f"{task.title} ({name})" if name else task.title

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else round(100 * self.done / self.total, 1)


def thresholds(home: Home) -> tuple[float, float]:
    """(green, yellow) lower bounds in per cent, from the home's settings."""
    green, yellow = float(home.setting("quality_green")), float(home.setting("quality_yellow"))
    return green, min(yellow, green)


def light(share: float | None, home: Home) -> str:
    """green at or above the green threshold, yellow at or above the yellow one, red below; none without data."""
    if share is None:
        return "none"
    green, yellow = thresholds(home)
    if share >= green:
        return "green"
    if share >= yellow:
        return "yellow"
    return "red"


def measure(indicator: Indicator, home: Home, department_id: int | None, on: date) -> IndicatorResult | None:
    """One indicator's result, or None (logged) when its measure fails, so one broken indicator never hides the rest."""
    try:
        result = indicator.measure(home, department_id, on)
    except Exception:
        log.exception("Quality indicator %s failed for home %s, department %s", indicator.key, home.id, department_id)
        db.session.rollback()
        return None
    if not isinstance(result, IndicatorResult) or result.total < 0 or not 0 <= result.met <= result.total:
        log.error("Quality indicator %s returned an impossible result: %r", indicator.key, result)
        return None
    return result


def evaluate(home: Home, department_id: int | None, on: date) -> list[Row]:
    """Every registered indicator for the home (department_id None) or one department on a day: the one definition
    the report, the PDF, the API and the snapshot all use. Measured on every call: each indicator counts in SQL."""
    return [row_for(indicator, home, department_id, on) for indicator in indicators()]


def row_for(indicator: Indicator, home: Home, department_id: int | None, on: date) -> Row:
    """One indicator's line: its result and its light ("error" when the measure failed)."""
    result = measure(indicator, home, department_id, on)
    return Row(indicator, result, "error" if result is None else light(result.share, home))


@dataclass(frozen=True)
class Report:
    """Everything the report page and the PDF show for one scope on one day."""

    rows: tuple[Row, ...]
    charts: dict[str, Trend]
    cycle: CycleSummary
    guideline_titles: dict[str, str]
    thresholds: tuple[float, float]


def report(home: Home, department_id: int | None, today: date) -> Report:
    """The report for the home (department_id None) or one department: the measured rows, their trends, the
    årshjul's summary and the guidelines' titles."""
    rows = tuple(evaluate(home, department_id, today))
    green, yellow = thresholds(home)
    charts = {key: trend(series, green, yellow) for key, series in trends(home, department_id, rows, today).items()}
    return Report(rows, charts, cycle_summary(home, department_id, today),
                  guideline_titles(home, {r.indicator.guideline_slug for r in rows}), (green, yellow))


def find_indicator(key: str) -> Indicator | None:
    return next((i for i in indicators() if i.key == key), None)


def department_of(home: Home, department_id: int | None) -> Department | None:
    """The home's department with that id; QualityError (shown as 404) for another home's or an unknown one."""
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    if department is None or department.home_id != home.id:
        raise QualityError("Afdelingen findes ikke i dette tilbud.")
    return department


class DepartmentRef(NamedTuple):
    id: int
    name: str


def home_departments(home: Home) -> tuple[DepartmentRef, ...]:
    """The home's active departments, in Danish order (the report's picker, the snapshot's scopes)."""
    return tuple(DepartmentRef(row.id, row.name) for row in db.session.execute(
        select(Department.id, Department.name).where(Department.home_id == home.id, Department.is_active.is_(True))
        .order_by(Department.name_sort_key)))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def months_back(last: date, count: int = TREND_MONTHS) -> list[date]:
    """The first days of `count` months, oldest first, ending with the month of `last`."""
    return [clock.add_months(first_of_month(last), -offset) for offset in range(count - 1, -1, -1)]


def parse_month(text: str | None, today: date) -> date | None:
    """'YYYY-MM' as the month's first day; QualityError for another shape or a month after the current one."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        value = date(year, month, 1)
    except ValueError as error:
        raise QualityError("Måneden skal skrives ÅÅÅÅ-MM, fx 2026-03.") from error
    if value > first_of_month(today):
        raise QualityError("Måneden ligger i fremtiden; der findes ingen tal for den endnu.")
    return value


def history(home: Home, scope: int | None, first_month: date, last_month: date) -> list[QualitySnapshot]:
    """Stored snapshots in a span of months, for one scope (0 = the whole home) or every scope (None); one query."""
    query = select(QualitySnapshot).where(
        QualitySnapshot.home_id == home.id, QualitySnapshot.month_on >= first_month,
        QualitySnapshot.month_on <= last_month,
    )
    if scope is not None:
        query = query.where(QualitySnapshot.scope == scope)
    return list(db.session.scalars(query.order_by(QualitySnapshot.month_on, QualitySnapshot.scope,
                                                  QualitySnapshot.indicator_key)))


def trends(home: Home, department_id: int | None, rows: list[Row], today: date) -> dict[str, list]:
    """Per indicator key, twelve (month, share or None) points: stored snapshots, with today's figure for this month."""
    months = months_back(today)
    stored = {(s.indicator_key, s.month_on): s.share
              for s in history(home, department_id or 0, months[0], months[-1])}
    current = first_of_month(today)
    return {
        row.key: [(month, row.share if month == current else stored.get((row.key, month))) for month in months]
        for row in rows
    }


def cycle_summary(home: Home, department_id: int | None, today: date) -> CycleSummary:
    """This year's årshjul duties due before today (for one department: its own copies), and how many are done."""
    start = date(today.year, 1, 1)
    if today <= start:
        return CycleSummary(start, start, 0, 0, "none")
    end = date.fromordinal(today.toordinal() - 1)
    try:
        tasks = tasks_for_home(home, start, end)
    except Exception:
        log.exception("The årshjul's tasks could not be read for home %s", home.id)
        db.session.rollback()
        return CycleSummary(start, end, 0, 0, "error")
    if department_id is not None:
        tasks = [t for t in tasks if t.department_id == department_id]
    done = sum(1 for t in tasks if t.is_done)
    missed = [t for t in tasks if not t.is_done]
    names = {d.id: d.name for d in home.departments} if any(t.department_id for t in missed) else {}
    summary = CycleSummary(start, end, len(tasks), done, "none", missed, names)
    summary.light = light(summary.share, home)
    return summary


def cycle_for(viewer, summary: CycleSummary, page: str = "quality", *, view=None) -> CycleSummary:
    """The summary as this viewer may see it: the missed tasks through need-to-know, kept without the name (and the
    link) where the viewer may not open the child or colleague, so the list still adds up to the figure. With no
    `view` given, the children named are logged as read here."""
    from app.need_to_know import View

    own = view is None
    view = view or View(viewer, page)
    shown = replace(summary, missed=view.tasks(summary.missed, keep_hidden=True))
    if own:
        view.log()
    return shown


def take_snapshots(month_on: date | None = None, homes: list[Home] | None = None) -> int:
    """Store every indicator for every home and department for a month (default this one); returns rows added.

    Idempotent: a row that exists already is left as it is, and when two runs race the unique constraint lets one
    insert win (INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL). It commits after each home and
    department, so a failing indicator (whose error rolls the session back) never loses rows stored before it.
    """
    today = clock.today()
    month_on = first_of_month(month_on or today)
    if month_on > first_of_month(today):
        raise QualityError("Måneden ligger i fremtiden.")
    on = today if month_on == first_of_month(today) else clock.last_day_of_month(month_on.year, month_on.month)
    added = 0
    for home in homes if homes is not None else db.session.scalars(select(Home).order_by(Home.id)).all():
        done = {(key, scope) for key, scope in db.session.execute(
            select(QualitySnapshot.indicator_key, QualitySnapshot.scope)
            .where(QualitySnapshot.home_id == home.id, QualitySnapshot.month_on == month_on)
        )}
        keys = [i.key for i in indicators()]
        for department_id in [None, *(d.id for d in home_departments(home))]:
            scope = department_id or 0
            if all((key, scope) in done for key in keys):
                continue
            values = [
                {"home_id": home.id, "indicator_key": row.key, "scope": scope, "department_id": department_id,
                 "month_on": month_on, "measured_on": on, "title": row.title[:200], "met": row.result.met,
                 "total": row.result.total, "taken_at": clock.now()}
                for row in evaluate(home, department_id, on)
                if row.result is not None and (row.key, scope) not in done
            ]
            added += _insert_new(values)
            db.session.commit()
    return added


def _insert_new(values: list[dict]) -> int:
    if not values:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise RuntimeError(f"unsupported database {dialect}")
    statement = insert(QualitySnapshot).values(values).on_conflict_do_nothing(
        index_elements=["home_id", "indicator_key", "scope", "month_on"]
    ).returning(QualitySnapshot.id)
    return len(db.session.execute(statement).all())


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(home: Home, label: str, actor) -> tuple[QualityApiToken, str]:
    """A new API key; the raw key is returned once and only its hash is kept."""
    label = " ".join("".join(ch for ch in (label or "") if ch.isprintable() or ch.isspace()).split())
    if not label:
        raise QualityError("Giv nøglen et navn, så I kan kende den igen.")
    raw = "kq_" + secrets.token_urlsafe(32)
    token = QualityApiToken(home_id=home.id, label=label[:120], token_hash=_hash(raw), hint=raw[:9],
                            created_by_id=actor.id)
    db.session.add(token)
    db.session.flush()
    record("quality.token_created", token, summary=f"API-nøgle oprettet: {token.label}", actor=actor)
    return token, raw


def revoke_token(token: QualityApiToken, actor) -> None:
    if not token.is_active:
        raise QualityError("Nøglen er allerede tilbagekaldt.")
    token.revoked_at = clock.now()
    db.session.flush()
    record("quality.token_revoked", token, summary=f"API-nøgle tilbagekaldt: {token.label}", actor=actor)


def token_for(raw: str | None) -> QualityApiToken | None:
    """The active key matching a raw key, or None."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(QualityApiToken).where(QualityApiToken.token_hash == _hash(raw)))
    if token is None or not token.is_active:
        return None
    return token


def guideline_titles(home: Home, slugs: set[str]) -> dict[str, str]:
    """slug -> the published title of the guideline that applies to the home (a local one before a regional
    namesake); the slug, made readable, stands in for a guideline the home does not have. One query."""
    titles = {slug: slug.replace("-", " ").capitalize() for slug in slugs}
    if not slugs:
        return titles
    from app.guidelines.models import PUBLISHED, Guideline, GuidelineVersion
    from app.guidelines.services import applies_to_home

    found = db.session.execute(
        select(Guideline.slug, GuidelineVersion.title, Guideline.home_id)
        .join(GuidelineVersion, GuidelineVersion.guideline_id == Guideline.id)
        .where(applies_to_home(home), GuidelineVersion.status == PUBLISHED, Guideline.slug.in_(sorted(slugs)))
    ).all()
    for slug, title, _home_id in sorted(found, key=lambda r: r.home_id is not None):
        titles[slug] = title
    return titles
