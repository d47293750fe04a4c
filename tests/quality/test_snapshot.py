"""`flask quality snapshot`: one row per home × indicator × department (and whole home) per month, idempotent,
safe when two runs race; the trend chart draws the last 12 months from it."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import clock, hooks
from app.extensions import db
from app.hooks import IndicatorResult, Task
from app.quality import services
from app.quality.models import QualitySnapshot
from tests.quality.helpers import build_home, login


@pytest.fixture
def homes(app):
    with app.app_context():
        return build_home("Solsikken"), build_home("Egely")


def _count(app, **where) -> int:
    with app.app_context():
        query = select(func.count(QualitySnapshot.id))
        for column, value in where.items():
            query = query.where(getattr(QualitySnapshot, column) == value)
        return db.session.scalar(query)


def test_snapshot_stores_every_home_indicator_and_department_once(app, runner, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    registry.fixed("test.a", 1, 2)
    registry.fixed("test.b", 3, 3)
    result = runner.invoke(args=["quality", "snapshot"])
    assert result.exit_code == 0, result.output
    # 2 homes × (whole home + 2 departments) × 2 indicators
    assert "12 new row(s)" in result.output and _count(app) == 12
    assert _count(app, scope=0) == 4
    assert _count(app, department_id=homes[0].dep_a) == 2
    again = runner.invoke(args=["quality", "snapshot"])
    assert again.exit_code == 0 and "0 new row(s)" in again.output and _count(app) == 12
    with app.app_context():
        row = db.session.scalar(select(QualitySnapshot).where(QualitySnapshot.indicator_key == "test.a"))
        assert (row.month_on, row.measured_on, row.met, row.total) == (date(2026, 3, 1), date(2026, 3, 10), 1, 2)


def test_a_new_indicator_is_added_to_a_month_already_taken(app, runner, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    registry.fixed("test.a", 1, 2)
    runner.invoke(args=["quality", "snapshot"])
    registry.fixed("test.new", 1, 1)
    result = runner.invoke(args=["quality", "snapshot"])
    assert "6 new row(s)" in result.output and _count(app, indicator_key="test.new") == 6


def test_the_database_refuses_a_second_row_for_the_same_month(app, homes, registry):
    with app.app_context():
        values = dict(home_id=homes[0].home_id, indicator_key="test.a", scope=0, month_on=date(2026, 3, 1),
                      measured_on=date(2026, 3, 2), met=1, total=1)
        db.session.add(QualitySnapshot(**values))
        db.session.commit()
        db.session.add(QualitySnapshot(**values))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_two_runs_at_once_store_each_row_once(app, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    barrier = threading.Barrier(2)

    @registry.add("test.slow")
    def slow(home, department_id, on):
        if department_id is None and home.id == homes[0].home_id:
            barrier.wait(timeout=10)  # both runs have checked what exists before either inserts
        return IndicatorResult(1, 1)

    added, errors = [], []

    def run():
        try:
            with app.app_context():
                added.append(services.take_snapshots())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(added) == 6 and _count(app) == 6


def test_backfill_a_past_month_is_measured_on_its_last_day(app, runner, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    days = []

    @registry.add("test.day")
    def day(home, department_id, on):
        days.append(on)
        return IndicatorResult(1, 1)

    result = runner.invoke(args=["quality", "snapshot", "--month", "2026-02"])
    assert result.exit_code == 0, result.output
    assert set(days) == {date(2026, 2, 28)} and _count(app, month_on=date(2026, 2, 1)) == 6


@pytest.mark.parametrize("month", ["2026-04", "2026-13", "mars"])
def test_snapshot_refuses_a_future_or_malformed_month(app, runner, homes, registry, set_today, month):
    set_today(date(2026, 3, 31))
    registry.fixed("test.a", 1, 1)
    result = runner.invoke(args=["quality", "snapshot", "--month", month])
    assert result.exit_code != 0 and _count(app) == 0


def test_trend_shows_stored_months_and_this_months_live_figure(app, client, homes, registry, set_today):
    home = homes[0]
    registry.fixed("test.a", 9, 10)
    with app.app_context():
        for month, met in [(date(2025, 9, 1), 5), (date(2026, 1, 1), 8), (date(2024, 1, 1), 1)]:
            db.session.add(QualitySnapshot(home_id=home.home_id, indicator_key="test.a", scope=0, month_on=month,
                                           measured_on=month, met=met, total=10))
        db.session.commit()
    set_today(date(2026, 3, 10))
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    chart = html[html.index('<svg class="trend"'):html.index("</svg>")]
    assert chart.count("<circle") == 3  # September, January and today; January 2024 is too old
    assert "september 2025: 50,0 %" in chart and "januar 2026: 80,0 %" in chart and "marts 2026: 90,0 %" in chart
    assert "<polyline" not in chart.split("januar 2026")[0].split("september 2025")[1]  # no line across the gap


def test_trend_of_a_department_uses_its_own_snapshots(app, client, homes, registry, set_today):
    home = homes[0]
    registry.fixed("test.a", 1, 1)
    with app.app_context():
        db.session.add(QualitySnapshot(home_id=home.home_id, indicator_key="test.a", scope=home.dep_a,
                                       department_id=home.dep_a, month_on=date(2026, 2, 1),
                                       measured_on=date(2026, 2, 27), met=1, total=4))
        db.session.commit()
    set_today(date(2026, 3, 10))
    login(client, home.head)
    assert "25,0 %" not in client.get("/quality/").get_data(as_text=True)
    assert "februar 2026: 25,0 %" in client.get(f"/quality/?afdeling={home.dep_a}").get_data(as_text=True)


@pytest.fixture
def task_source(homes):
    """The only source of årshjul tasks while the test runs (the real ones come back afterwards)."""
    saved = dict(hooks._task_sources)
    hooks._task_sources.clear()
    home_id = homes[0].home_id

    def source(home, start, end):
        if home.id != home_id:
            return []
        return [
            Task("t1", "Ønsker afleveret", date(2026, 2, 1), home_id, "test", is_done=True),
            Task("t2", "Oversigt sendt", date(2026, 3, 9), home_id, "test", department_id=homes[0].dep_a),
            Task("t3", "Vikarmøde holdt", date(2026, 3, 9), home_id, "test", is_done=True,
                 department_id=homes[0].dep_a),
            Task("t4", "Frist i dag", date(2026, 3, 10), home_id, "test"),
            Task("t5", "Sidste år", date(2025, 12, 31), home_id, "test"),
        ]

    hooks.task_source("test.quality")(source)
    yield
    hooks._task_sources.clear()
    hooks._task_sources.update(saved)


def test_cycle_duties_due_this_year_and_how_many_are_done(app, client, homes, registry, task_source, set_today):
    set_today(date(2026, 3, 10))
    login(client, homes[0].head)
    html = client.get("/quality/").get_data(as_text=True)
    cycle = html[html.index("Årshjulets opgaver"):]
    assert "2 af 3 opgaver" in cycle and "Oversigt sendt (Skovbrynet)" in cycle
    assert "Frist i dag" not in cycle and "Sidste år" not in cycle
    html = client.get(f"/quality/?afdeling={homes[0].dep_a}").get_data(as_text=True)
    assert "1 af 2 opgaver" in html[html.index("Årshjulets opgaver"):]


def test_cycle_on_new_years_day_has_nothing_due(app, client, homes, registry, task_source, set_today):
    set_today(date(2027, 1, 1))
    login(client, homes[0].head)
    assert "Ingen opgaver i årshjulet har haft frist i år endnu" in client.get("/quality/").get_data(as_text=True)
    assert clock.today() == date(2027, 1, 1)


def test_a_single_measured_month_is_said_in_words_and_a_trend_drawn_from_two(app, client, homes, registry, set_today):
    home = homes[0]
    registry.fixed("test.a", 9, 10)
    set_today(date(2026, 3, 10))
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    assert '<svg class="trend"' not in html  # only this month's live figure
    assert "Kun én måling: marts 2026: 90,0 %" in html
    with app.app_context():
        db.session.add(QualitySnapshot(home_id=home.home_id, indicator_key="test.a", scope=0,
                                       month_on=date(2026, 2, 1), measured_on=date(2026, 2, 27), met=5, total=10))
        db.session.commit()
    html = client.get("/quality/").get_data(as_text=True)
    chart = html[html.index('<svg class="trend"'):html.index("</svg>")]
    assert chart.count("<circle") == 2 and "Kun én måling" not in html
    assert ">apr. 25<" in chart and ">mar. 26<" in chart  # legible month labels at both ends
    assert 'font-size="8"' not in chart
