"""The list's "Bekræftet af målgruppen" is counted in SQL: it must agree with the rules it restates
(services.holds, services.confirmed_user_ids) for every role code and every kind of acknowledgement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.guidelines.models import Acknowledgement, Guideline
from app.guidelines.pages import holds_clause, shares
from app.guidelines.services import confirmed_user_ids, holds, in_target_group, staff_on
from app.people.constants import AUDIENCE_LABELS, EmploymentType, Role
from app.people.models import Home, User
from tests.factories import make_user


def test_the_sql_role_codes_pick_the_people_holds_picks(app, demo):
    with app.app_context():
        home = db.session.scalar(select(Home).order_by(Home.id))
        make_user(home, roles=(Role.HEAD, Role.MINI_MED), employment=EmploymentType.AGENCY)
        people = db.session.scalars(select(User)).all()
        assert len(AUDIENCE_LABELS) >= 7
        for code in AUDIENCE_LABELS:
            by_sql = set(db.session.scalars(select(User.id).where(holds_clause(code))))
            assert by_sql == {p.id for p in people if holds(p, code)}, code
            assert by_sql, code


def _python_shares(home, versions, on):
    people = staff_on([home.id], on)
    confirmed = confirmed_user_ids(versions)
    result = {}
    for version in versions:
        group = [p for p in people if in_target_group(p, version)]
        result[version.id] = (sum(1 for p in group if p.id in confirmed[version.id]), len(group))
    return result


def test_shares_count_like_the_confirmation_rule(app, library, client):
    from tests.guidelines.test_pages import login

    login(client, "emp1@t.dk")
    assert client.post("/guidelines/snart/acknowledge").status_code == 302
    login(client, "temp@t.dk")
    assert client.post("/guidelines/ny/acknowledge").status_code == 302
    with app.app_context():
        home = db.session.get(Home, library["home"])
        versions = [g.published for g in db.session.scalars(select(Guideline)) if g.published is not None]
        on = clock.today()
        counted = shares(home.id, versions, on)
        assert counted == _python_shares(home, versions, on)
        assert sum(done for done, _total in counted.values()) >= 1
        # Someone hired after the day is not in the count; an old acknowledgement of a superseded numbering is not.
        make_user(home, hired_on=date(2027, 1, 1))
        stale = db.session.scalar(select(Acknowledgement).order_by(Acknowledgement.id))
        version = stale.version
        version.ack_from_number = version.number + 1
        db.session.flush()
        assert shares(home.id, versions, on) == _python_shares(home, versions, on)
        assert shares(home.id, versions, on)[version.id][0] < counted[version.id][0] or version.id not in counted
        db.session.rollback()
