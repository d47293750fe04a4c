"""Issue 19 moved every indicator's measure into aggregate queries: on the demo they give exactly what the ORM
walks gave (tests/quality/legacy/), for the home and each department, on days around the rules' boundaries."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.hooks import indicators
from app.people.models import Department, Home
from tests.quality.legacy import load


def _days(today: date) -> list[date]:
    return sorted({today, today - timedelta(days=45), date(today.year, 10, 1), date(today.year, 10, 2),
                   date(today.year, 11, 1), date(today.year, 6, 15), today - timedelta(days=400)})


def _plain(result):
    return (result.met, result.total,
            [(tuple(e), getattr(e, "subject_kind", None), getattr(e, "subject_id", None)) for e in result.exceptions])


@pytest.mark.parametrize("key", sorted(load()))
def test_indicator_gives_what_the_orm_walk_gave(app, demo, key):
    legacy = load()
    new = next(i.measure for i in indicators() if i.key == key)
    with app.test_request_context():
        homes = db.session.scalars(select(Home).order_by(Home.id)).all()
        compared = 0
        for home in homes:
            scopes = [None, *db.session.scalars(select(Department.id).where(
                Department.home_id == home.id, Department.is_active.is_(True)).order_by(Department.id))]
            for on in _days(clock.today()):
                for department_id in scopes:
                    old = _plain(legacy[key](home, department_id, on))
                    assert _plain(new(home, department_id, on)) == old, (home.id, department_id, on)
                    compared += old[1]
        assert compared, "the demo counts nothing for this indicator: the comparison would prove nothing"
