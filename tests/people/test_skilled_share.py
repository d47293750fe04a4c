"""The share of skilled staff per department (a quality indicator): who is on the staff on the day, at its edges,
in the report and the monthly snapshot alike, counted in one query."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock, hooks
from app.extensions import db
from app.people.constants import EmploymentType, Profession, Role
from app.people.models import Department, Home, User
from app.quality.models import QualitySnapshot
from app.quality.services import take_snapshots
from tests.conftest import counting
from tests.factories import PASSWORD, make_department, make_home, make_user

ON = date(2026, 10, 15)
KEY = "people.skilled_share"


def _measure(home, department_id=None, on=ON):
    return {i.key: i.measure for i in hooks.indicators()}[KEY](home, department_id, on)


@pytest.fixture
def org(app, set_today):
    """Skoven: 2 skilled of 4 on the day; Havet: 1 of 1 (someone also in Skoven). Everyone else is not on the staff."""
    set_today(ON)
    with app.app_context():
        home = make_home()
        skoven, havet = make_department(home, "Skoven"), make_department(home, "Havet")
        closed = make_department(home, "Lukket")
        closed.is_active = False
        make_user(home, [skoven], roles=(Role.HEAD,), email="chef@x.dk", skilled=True)
        make_user(home, [skoven], profession=Profession.CARE_ASSISTANT, skilled=False)
        make_user(home, [skoven], employment=EmploymentType.ON_CALL, profession=Profession.PAEDAGOG_ASSISTANT,
                  skilled=False)  # a temp on the night rota is on the staff
        make_user(home, [skoven, havet], skilled=True, left_on=ON + timedelta(days=1))  # leaves tomorrow
        make_user(home, [skoven], skilled=False, left_on=ON - timedelta(days=1))  # left yesterday
        make_user(home, [skoven], skilled=False, left_on=ON)  # leaves today: gone from the day on
        make_user(home, [skoven], skilled=False, hired_on=ON + timedelta(days=1))  # starts tomorrow
        disabled = make_user(home, [skoven], skilled=False)
        disabled.is_disabled = True
        make_user(home, [closed], skilled=False)
        other = make_home()
        make_user(other, [make_department(other, "Andetsteds")], skilled=False)
        db.session.commit()
        return {"home": home.id, "skoven": skoven.id, "havet": havet.id}


def test_the_staff_on_the_day_count_temps_included(app, org):
    with app.app_context():
        home = db.session.get(Home, org["home"])
        skoven = _measure(home, org["skoven"])
        assert (skoven.met, skoven.total) == (2, 4)
        assert (_measure(home, org["havet"]).met, _measure(home, org["havet"]).total) == (1, 1)
        whole = _measure(home)
        assert (whole.met, whole.total) == (2, 4)  # the person in both departments counts once
        assert whole.exceptions == [("Skoven", "2 af 4 faglærte")]


@pytest.mark.parametrize(("on", "counted"), [
    (ON - timedelta(days=1), 5),  # the day before: the one who left "yesterday" still worked
    (ON, 4),
    (ON + timedelta(days=1), 4),  # the newcomer starts, the one leaving "tomorrow" is gone
])
def test_the_edges_of_a_day(app, org, on, counted):
    with app.app_context():
        assert _measure(db.session.get(Home, org["home"]), org["skoven"], on).total == counted


def test_a_temp_who_is_trained_counts_as_skilled(app, org):
    with app.app_context():
        home = db.session.get(Home, org["home"])
        make_user(home, [db.session.get(Department, org["havet"])],
                  employment=EmploymentType.AGENCY, skilled=True)
        db.session.commit()
        assert (_measure(home, org["havet"]).met, _measure(home, org["havet"]).total) == (2, 2)


def test_one_query_however_many_people(app, org):
    with app.app_context():
        home = db.session.get(Home, org["home"])
        with counting(app) as few:
            _measure(home)
        departments = [db.session.get(Department, org["skoven"]), db.session.get(Department, org["havet"])]
        for n in range(30):
            make_user(home, [departments[n % 2]], skilled=bool(n % 3))
        db.session.commit()
        assert home.name  # loaded again after the commit, outside the count
        with counting(app) as many:
            result = _measure(home)
        assert few[0] == many[0] == 1 and result.total == 34


def test_the_report_and_the_snapshot_show_the_same_figure(app, client, org):
    client.post("/auth/login", data={"email": "chef@x.dk", "password": PASSWORD})
    page = client.get(f"/quality/indicator/{KEY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Andel faglært personale" in html and "2 af 4 faglærte" in html
    report = client.get("/quality/").get_data(as_text=True)
    assert "Andel faglært personale" in report
    with app.app_context():
        take_snapshots(homes=[db.session.get(Home, org["home"])])
        rows = {row.scope: (row.met, row.total) for row in db.session.scalars(
            select(QualitySnapshot).where(QualitySnapshot.indicator_key == KEY))}
    assert rows == {0: (2, 4), org["skoven"]: (2, 4), org["havet"]: (1, 1)}


def test_the_demo_counts_its_trained_temps(app, demo):
    with app.app_context():
        home = db.session.scalar(select(Home).join(User).where(User.email == "tilbudsleder@demo.dk"))
        agency = db.session.scalars(select(User).where(User.home_id == home.id,
                                                       User.employment_type == EmploymentType.AGENCY)).all()
        assert agency and all(t.is_skilled for t in agency if t.profession == Profession.SOSU_HELPER)
        result = _measure(home, on=clock.today())
        assert 0 < result.met < result.total
