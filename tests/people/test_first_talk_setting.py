"""Organisation → Indstillinger sets the months from hiring to the first MU/LU talk; the talks follow it."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.appraisals.models import MU
from app.appraisals.status import OK, OVERDUE, status_of
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home, User
from tests.factories import PASSWORD, make_department, make_home, make_user

HIRED = date(2026, 7, 1)


@pytest.fixture
def org(app, set_today):
    set_today(date(2026, 10, 2))  # three months and a day after hiring
    with app.app_context():
        home = make_home(name="Specialbørnehjemmene")
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.HEAD,), email="chef@x.dk")
        make_user(home, [department], email="ny@x.dk", name="Nina Nyansat", hired_on=HIRED)
        db.session.commit()
        return home.id


def _data(**overrides):
    data = {"name": "Specialbørnehjemmene", "wish_deadline_day": 1, "wish_deadline_month": 10,
            "temp_meeting_first": 3, "temp_meeting_second": 9, "contact_team_min": 2, "plan_interval_months": 3,
            "physio_interval_months": 6, "first_talk_months": 12, "quality_green": 95, "quality_yellow": 80}
    return {**data, **overrides}


def _head(client):
    client.post("/auth/login", data={"email": "chef@x.dk", "password": PASSWORD})
    return client


def _setting(app, home_id):
    with app.app_context():
        return db.session.get(Home, home_id).setting("first_talk_months")


def _status(app):
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "ny@x.dk"))
        result = status_of(person, MU, date(2026, 10, 2))
        return result.status, result.expected_on


def test_the_form_shows_the_guidelines_yearly_interval_by_default(app, client, org):
    html = _head(client).get("/people/settings").get_data(as_text=True)
    assert "Første MU/LU-samtale" in html and 'name="first_talk_months"' in html
    assert re.search(r'<input[^>]*name="first_talk_months"[^>]*value="12"', html)
    assert _status(app) == (OK, date(2027, 7, 1))


@pytest.mark.parametrize("months", [1, 3, 12])
def test_a_shorter_first_interval_moves_the_first_talk(app, client, org, months):
    assert _head(client).post("/people/settings", data=_data(first_talk_months=months)).status_code == 302
    assert _setting(app, org) == months
    assert _status(app) == (OVERDUE if months <= 3 else OK, clock.add_months(HIRED, months))
    page = client.get("/appraisals/").get_data(as_text=True)
    assert f"eller {months} måneder efter ansættelsen" in page


def test_three_months_is_due_on_the_day_and_overdue_the_day_after(app, client, set_today, org):
    _head(client).post("/people/settings", data=_data(first_talk_months=3))
    assert _status(app) == (OVERDUE, date(2026, 10, 1))
    set_today(date(2026, 10, 1))
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "ny@x.dk"))
        assert status_of(person, MU, date(2026, 10, 1)).status != OVERDUE


@pytest.mark.parametrize(("value", "message"), [
    ("0", "Den første samtale skal holdes 1–12 måneder efter ansættelsen"),
    ("13", "Den første samtale skal holdes 1–12 måneder efter ansættelsen"),
    ("36", "Den første samtale skal holdes 1–12 måneder efter ansættelsen"),
    ("tre", "Skriv et helt tal."),
])
def test_a_value_outside_the_guideline_is_refused_in_danish(app, client, org, value, message):
    _head(client).post("/people/settings", data=_data(first_talk_months=4))
    response = client.post("/people/settings", data=_data(first_talk_months=value))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _setting(app, org) == 4


def test_left_blank_it_is_the_yearly_interval_again(app, client, org):
    _head(client).post("/people/settings", data=_data(first_talk_months=3))
    assert client.post("/people/settings", data=_data(first_talk_months="")).status_code == 302
    assert _setting(app, org) == 12
    assert _status(app) == (OK, date(2027, 7, 1))
