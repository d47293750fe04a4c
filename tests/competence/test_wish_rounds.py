"""Wishes all year: an employee's new wish goes to the open round (next year's funds until the end of their deadline
day in Copenhagen, then the year after's), the pages say which, and each round keeps its own lock and overview."""

import re
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock, hooks, signals
from app.competence.models import CourseWish
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home
from tests.factories import PASSWORD, make_department, make_home, make_user


@pytest.fixture
def ids(app):
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        make_user(home, [department], roles=(Role.HEAD,), email="chef@x.dk")
        make_user(home, [department], email="ansat@x.dk", name="Anna Ansat")
        db.session.commit()
        return {"home": home.id, "dep": department.id, "method": department.methods[0].id}


def _login(client, email):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def _wish(ids, year, title="Low arousal i praksis"):
    return {"department_id": ids["dep"], "year": year, "kind": "course", "title": title, "provider": "",
            "cost": "4.500", "days": "", "hours": "", "methods": [ids["method"]], "responsibility_areas": "",
            "reason": ""}


def _form_year(html: str) -> int:
    return int(re.search(r'<input[^>]*name="year"[^>]*value="(\d+)"', html).group(1))


def _wishes(app):
    with app.app_context():
        return [(w.year, w.title, w.is_late) for w in db.session.scalars(select(CourseWish).order_by(CourseWish.id))]


CEST, CET = "+02:00", "+01:00"


@pytest.mark.parametrize(("moment", "year"), [
    ("2026-09-30T12:00:00+02:00", 2027),
    ("2026-10-01T00:00:01+02:00", 2027),  # the deadline day is still the round's
    ("2026-10-01T23:59:59+02:00", 2027),
    ("2026-10-01T21:59:59+00:00", 2027),  # 23:59:59 in summer time
    ("2026-10-01T22:00:00+00:00", 2028),  # midnight in Copenhagen, though still 1 October in UTC
    ("2026-10-02T00:00:00+02:00", 2028),
    ("2026-12-31T23:59:59+01:00", 2028),
    ("2027-01-01T00:00:00+01:00", 2028),  # New Year changes nothing: the 2028 round runs to 1 October 2027
    ("2027-10-01T23:59:59+02:00", 2028),
    ("2027-10-02T00:00:00+02:00", 2029),
])
def test_the_form_takes_wishes_for_the_open_round(app, client, set_today, ids, moment, year):
    set_today(datetime.fromisoformat(moment))
    _login(client, "ansat@x.dk")
    html = client.get("/competence/wishes/new").get_data(as_text=True)
    deadline = f"1. oktober {year - 1}"
    assert f"Ønsket gælder kompetencemidlerne for {year} med frist {deadline}" in html
    assert _form_year(html) == year
    page = client.get("/competence/").get_data(as_text=True)
    assert f"Ønsker, du sender nu, gælder <strong>kompetencemidlerne for {year} med frist {deadline}</strong>" in page
    assert f"Nyt ønske til {year}" in page
    response = client.post("/competence/wishes/new", data=_wish(ids, _form_year(html)))
    assert response.status_code == 302
    assert _wishes(app) == [(year, "Low arousal i praksis", False)]


@pytest.mark.parametrize(("moment", "year"), [
    ("2026-11-01T22:59:59+00:00", 2027),  # 23:59:59 in winter time
    ("2026-11-01T23:00:00+00:00", 2028),
])
def test_a_home_deadline_in_winter_time_moves_the_round_at_copenhagen_midnight(app, client, set_today, ids,
                                                                                moment, year):
    with app.app_context():
        db.session.get(Home, ids["home"]).settings = {"wish_deadline_day": 1, "wish_deadline_month": 11}
        db.session.commit()
    set_today(datetime.fromisoformat(moment))
    _login(client, "ansat@x.dk")
    html = client.get("/competence/wishes/new").get_data(as_text=True)
    assert f"Ønsket gælder kompetencemidlerne for {year} med frist 1. november {year - 1}" in html


def test_a_wish_sent_after_midnight_is_refused_and_offered_the_next_round(app, client, set_today, ids):
    set_today(datetime(2026, 10, 1, 23, 59, 30, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    assert _form_year(client.get("/competence/wishes/new").get_data(as_text=True)) == 2027
    set_today(datetime(2026, 10, 2, 0, 0, 1, tzinfo=clock.TZ))
    response = client.post("/competence/wishes/new", data=_wish(ids, 2027))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and _wishes(app) == []
    assert "Fristen for ønsker til 2027 var 1. oktober 2026. Send ønsket igen, så gælder det kompetencemidlerne " \
           "for 2028 med frist 1. oktober 2027" in html
    assert _form_year(html) == 2028 and 'value="Low arousal i praksis"' in html
    assert client.post("/competence/wishes/new", data=_wish(ids, _form_year(html))).status_code == 302
    assert _wishes(app) == [(2028, "Low arousal i praksis", False)]


@contextmanager
def _busy_until(app, moment):
    """The request gets past its first step only at `moment`: the worker was busy with other pages."""
    from app.request_start import _record_start

    def busy():
        clock.set_now(moment)

    hooks_ = app.before_request_funcs[None]
    hooks_.insert(hooks_.index(_record_start) + 1, busy)
    try:
        yield
    finally:
        app.before_request_funcs[None].remove(busy)


def test_the_round_is_judged_by_when_the_request_arrived(app, client, set_today, ids):
    set_today(datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    with _busy_until(app, datetime(2026, 10, 2, 0, 0, 5, tzinfo=clock.TZ)):
        html = client.get("/competence/wishes/new").get_data(as_text=True)
    assert clock.today() == date(2026, 10, 2)  # the request did run past midnight
    assert _form_year(html) == 2027 and "kompetencemidlerne for 2027 med frist 1. oktober 2026" in html
    set_today(datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ))
    with _busy_until(app, datetime(2026, 10, 2, 0, 0, 5, tzinfo=clock.TZ)):
        assert client.post("/competence/wishes/new", data=_wish(ids, 2027)).status_code == 302
    assert _wishes(app) == [(2027, "Low arousal i praksis", False)]


def test_a_forwarded_overview_locks_its_own_round_only(app, client, make_client, set_today, ids, listen):
    set_today(datetime(2026, 9, 20, 12, tzinfo=clock.TZ))
    employee = _login(client, "ansat@x.dk")
    leader = _login(make_client(), "leder@x.dk")
    assert employee.post("/competence/wishes/new", data=_wish(ids, 2027, "KRAP")).status_code == 302
    set_today(datetime(2026, 10, 5, 12, tzinfo=clock.TZ))
    _login(employee, "ansat@x.dk")
    _login(leader, "leder@x.dk")
    assert leader.post(f"/competence/overview/{ids['dep']}/forward?aar=2027").status_code == 302

    form = employee.get("/competence/wishes/new")
    assert form.status_code == 200 and _form_year(form.get_data(as_text=True)) == 2028
    page = employee.get("/competence/").get_data(as_text=True)
    assert "Nyt ønske til 2028" in page and "er sendt videre" not in page
    events = []
    listen(lambda name, **kw: events.append((name, kw["year"])), signals.wish_submitted, signals.overview_forwarded)
    assert employee.post("/competence/wishes/new", data=_wish(ids, 2028, "Marte Meo")).status_code == 302
    assert events == [("competence.wish_submitted", 2027)]  # the duty of 1 October 2027
    # A forwarded 2028 overview would lock the 2028 round, with a message naming it.
    assert leader.post(f"/competence/overview/{ids['dep']}/forward?aar=2028").status_code == 302
    locked = employee.get("/competence/wishes/new", follow_redirects=True).get_data(as_text=True)
    assert "oversigt over ønsker til kompetencemidlerne for 2028 er sendt videre" in locked
    assert 'name="reason"' not in locked


def test_the_october_overview_holds_only_its_own_round(app, client, make_client, set_today, ids):
    set_today(datetime(2026, 10, 5, 12, tzinfo=clock.TZ))
    assert _login(client, "ansat@x.dk").post("/competence/wishes/new",
                                              data=_wish(ids, 2028, "Marte Meo")).status_code == 302
    leader = _login(make_client(), "leder@x.dk")
    overview = leader.get(f"/competence/overview/{ids['dep']}?aar=2027").get_data(as_text=True)
    assert "Marte Meo" not in overview and "tilføj ønske for Anna Ansat" in overview
    assert "Marte Meo" in leader.get(f"/competence/overview/{ids['dep']}?aar=2028").get_data(as_text=True)
    head = _login(make_client(), "chef@x.dk")
    assert "Marte Meo" not in head.get("/competence/wishes?aar=2027").get_data(as_text=True)
    with app.app_context():
        measure = {i.key: i.measure for i in hooks.indicators()}["competence.wishes_on_time"]
        result = measure(db.session.get(Home, ids["home"]), None, date(2026, 10, 5))
        assert "Anna Ansat" in [label for label, _ in result.exceptions]  # no wish for 2027 on time


def test_my_wishes_shows_both_rounds(app, client, set_today, ids):
    set_today(datetime(2026, 9, 20, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk").post("/competence/wishes/new", data=_wish(ids, 2027, "Førstehjælp"))
    set_today(datetime(2026, 10, 5, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk").post("/competence/wishes/new", data=_wish(ids, 2028, "Marte Meo"))
    html = client.get("/competence/").get_data(as_text=True)
    assert ("Fristen for ønsker til kompetencemidlerne for 2027 var 1. oktober 2026 og er overskredet. "
            "Dine ønsker til 2027 behandles nu af din leder.") in html
    later, earlier = re.findall(r'<tbody class="wish-round.*?</tbody>', html, re.S)
    assert "Ønsker til kompetencemidlerne for 2028 med frist 1. oktober 2027" in later and "Åben for ønsker" in later
    assert "Marte Meo" in later and "Træk tilbage" in later and "Førstehjælp" not in later
    assert "Ønsker til kompetencemidlerne for 2027 med frist 1. oktober 2026" in earlier
    assert "Fristen er overskredet" in earlier and "Førstehjælp" in earlier and "Træk tilbage" not in earlier
    set_today(datetime(2027, 1, 1, 0, 0, 0, tzinfo=clock.TZ))
    html = _login(client, "ansat@x.dk").get("/competence/").get_data(as_text=True)
    assert "behandles nu af din leder" not in html  # the 2027 funds year has begun
    assert html.count('<tbody class="wish-round') == 2 and "Nyt ønske til 2028" in html
