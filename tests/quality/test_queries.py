"""The report's query count does not grow with the data (people, departments' history, snapshots)."""

from datetime import date

import pytest

from app import clock
from app.extensions import db
from app.people.models import Home
from app.quality.models import QualitySnapshot
from tests.conftest import counting
from tests.factories import make_user
from tests.quality.conftest import staff_are_paedagogues
from tests.quality.helpers import build_home, login


def _grow(app, home_id: int, people: int, months: range):
    with app.app_context():
        home = db.session.get(Home, home_id)
        for n in range(people):
            make_user(home, [home.departments[n % 2]], profession="paedagog" if n % 3 else "sosu_helper")
        for offset in months:
            month = clock.add_months(date(2026, 2, 1), -offset)
            for key in ("test.a", "test.b", "test.c"):
                for scope in (0, *(d.id for d in home.departments)):
                    db.session.add(QualitySnapshot(home_id=home_id, indicator_key=key, scope=scope,
                                                   department_id=scope or None, month_on=month, measured_on=month,
                                                   met=1, total=2))
        db.session.commit()


@pytest.mark.parametrize("url", ["/quality/", "/quality/indicator/test.a", "/quality/report.pdf",
                                 "/quality/?afdeling={dep}"])
def test_query_count_is_constant_as_data_grows(app, client, registry, no_task_sources, set_today, url):
    """Measured on the quality feature's own work, with test indicators of two queries each (the real indicators
    and the årshjul's task sources are each feature's own to keep constant)."""
    set_today(date(2026, 3, 10))
    for key in ("test.a", "test.b", "test.c"):
        registry.add(key)(staff_are_paedagogues)
    with app.app_context():
        home = build_home()
    url = url.format(dep=home.dep_a)
    login(client, home.head)
    _grow(app, home.home_id, people=10, months=range(1))
    client.get(url)
    with counting(app) as small:
        assert client.get(url).status_code == 200
    _grow(app, home.home_id, people=100, months=range(1, 11))
    with counting(app) as large:
        assert client.get(url).status_code == 200
    assert small[0] == large[0], (small[0], large[0])
    assert large[0] <= 16


def test_the_guidelines_in_force_are_read_once_per_evaluation(app, demo, monkeypatch):
    """Both guideline indicators need the versions in force; one evaluation of the report reads them once, and a
    write in between (the memo is forgotten at a flush) reads them again."""
    from sqlalchemy import select

    from app.guidelines import indicators as guideline_indicators
    from app.quality import services

    calls = []
    real = guideline_indicators._versions_in_force
    monkeypatch.setattr(guideline_indicators, "_versions_in_force",
                        lambda home, on: calls.append((home.id, on)) or real(home, on))
    with app.test_request_context():
        home = db.session.scalars(select(Home).order_by(Home.id)).first()
        rows = {row.key: row for row in services.evaluate(home, None, clock.today())}
        assert rows["guidelines.reviewed_on_time"].result.total and rows["guidelines.confirmed"].result.total
        assert calls == [(home.id, clock.today())]
        home.name = home.name + " "
        db.session.flush()
        services.evaluate(home, None, clock.today())
        assert len(calls) == 2
