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


def test_confirmations_at_their_boundaries_give_what_the_orm_walk_gave(app, runner, tmp_path, set_today):
    """A confirmation counts from the end of the day it was given (not a microsecond later), a minor version carries
    it over and a significant one does not, a target group of leaders only counts leaders: old and new agree on
    each side of those lines, for the home and each department."""
    from datetime import datetime, timedelta

    from app.guidelines.models import Guideline
    from app.guidelines.services import acknowledge
    from app.people.constants import EmploymentType, Role
    from app.people.models import User
    from tests.factories import make_department, make_home, make_user
    from tests.guidelines.conftest import document, import_folder, write

    day = date(2026, 3, 10)
    set_today(datetime(2026, 3, 1, 9, 0, tzinfo=clock.TZ))
    with app.app_context():
        home = make_home("Grænsen")
        north, south = make_department(home, "Nord"), make_department(home, "Syd")
        make_user(home, [north], roles=(Role.HEAD,), email="head@g.dk")
        make_user(home, [south], roles=(Role.DEPARTMENT_LEADER,), email="leader@g.dk")
        for n, department in enumerate((north, south, north)):
            make_user(home, [department], email=f"emp{n}@g.dk")
        make_user(home, [south], email="temp@g.dk", employment=EmploymentType.ON_CALL)
        db.session.commit()
        home_id = home.id
    write(tmp_path, "alle", document(title="Alle", target_group=["employee", "temp"]))
    write(tmp_path, "ledere", document(title="Ledere", target_group=["leader_group"]))
    assert import_folder(runner, tmp_path).exit_code == 0

    def confirm(email, slug, at):
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            acknowledge(db.session.scalar(select(Guideline).where(Guideline.slug == slug)), user, at=at)
            db.session.commit()

    confirm("emp0@g.dk", "alle", clock.end_of_day(day))
    confirm("emp1@g.dk", "alle", clock.end_of_day(day) + timedelta(microseconds=1))
    confirm("temp@g.dk", "alle", clock.end_of_day(day - timedelta(days=1)))
    confirm("leader@g.dk", "ledere", clock.end_of_day(day))
    set_today(datetime(2026, 3, 20, 9, 0, tzinfo=clock.TZ))
    write(tmp_path, "alle", document(title="Alle", target_group=["employee", "temp"], body="# Lille rettelse\n"))
    assert import_folder(runner, tmp_path, "--minor").exit_code == 0
    set_today(datetime(2026, 4, 20, 9, 0, tzinfo=clock.TZ))
    write(tmp_path, "ledere", document(title="Ledere", target_group=["leader_group"], body="# Ny tekst\n"))
    assert import_folder(runner, tmp_path).exit_code == 0

    legacy = load()["guidelines.confirmed"]
    new = next(i.measure for i in indicators() if i.key == "guidelines.confirmed")
    with app.test_request_context():
        home = db.session.get(Home, home_id)
        scopes = [None, *db.session.scalars(select(Department.id).where(Department.home_id == home_id))]
        for on in (day - timedelta(days=1), day, day + timedelta(days=1), date(2026, 3, 20), date(2026, 4, 20)):
            for department_id in scopes:
                assert _plain(new(home, department_id, on)) == _plain(legacy(home, department_id, on)), (
                    on, department_id)
        # "Alle": the head, the leader, three employees and the temp; "Ledere": the head and the leader.
        counts = {on: (r.met, r.total) for on in (day, day + timedelta(days=1), date(2026, 3, 20), date(2026, 4, 20))
                  for r in [new(home, None, on)]}
        assert counts == {day: (3, 8), day + timedelta(days=1): (4, 8), date(2026, 3, 20): (4, 8),
                          date(2026, 4, 20): (3, 8)}
