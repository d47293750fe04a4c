"""The competence pages are computed per request (no cache): a change made through the app shows on the
next view, forms keep their own CSRF token, and the wish deadline turns at the end of the day."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app import clock
from app.extensions import db
from app.people.constants import Role
from tests.factories import PASSWORD, make_department, make_home, make_user

YEAR = 2027


@pytest.fixture
def people(app, set_today):
    set_today(date(2026, 9, 15))
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        make_user(home, [department], roles=(Role.HEAD,), email="chef@x.dk")
        make_user(home, [department], email="ansat@x.dk", name="Anna Ansat")
        db.session.commit()
        return {"dep": department.id, "method": department.methods[0].id}


def _login(client, email):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def _wish(people, title):
    return {"department_id": people["dep"], "year": YEAR, "kind": "course", "title": title, "provider": "",
            "cost": "4.500", "days": "", "hours": "", "methods": [people["method"]], "responsibility_areas": "",
            "reason": "Flere børn med udadreagerende adfærd."}


def _html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_my_wishes_shows_a_new_wish_with_a_live_withdraw_form(app, people, client):
    _login(client, "ansat@x.dk")
    assert "Low arousal" not in _html(client, "/competence/")
    assert client.post("/competence/wishes/new", data=_wish(people, "Low arousal")).status_code == 302
    html = _html(client, "/competence/")
    assert "Low arousal" in html and "Træk tilbage" in html and 'name="csrf_token"' in html
    wish_id = re.search(r"/competence/wishes/(\d+)/withdraw", html).group(1)
    assert client.post(f"/competence/wishes/{wish_id}/withdraw").status_code == 302
    html = _html(client, "/competence/")
    assert "Trukket tilbage" in html and "Træk tilbage" not in html


@pytest.mark.parametrize(("moment", "closed"), [
    (datetime(2026, 10, 1, 0, 0, 1, tzinfo=clock.TZ), False),
    (datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ), False),
    (datetime(2026, 10, 2, 0, 0, 0, tzinfo=clock.TZ), True),
], ids=["deadline day morning", "deadline day 23:59:59", "day after 00:00:00"])
def test_my_wishes_closes_at_the_end_of_the_deadline_day(app, people, client, set_today, moment, closed):
    set_today(datetime(2026, 10, 1, 12, 0, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    client.post("/competence/wishes/new", data=_wish(people, "Low arousal"))
    assert "er overskredet" not in _html(client, "/competence/")  # seen on the deadline day
    set_today(moment)
    _login(client, "ansat@x.dk")  # a login lasts at most SESSION_MAX_HOURS: the jump needs a new one
    html = _html(client, "/competence/")
    assert ("er overskredet" in html) is closed
    assert ("Træk tilbage" in html) is not closed
    # A new wish can always be started: for next year's funds until the deadline, then for the year after's.
    assert f"Nyt ønske til {YEAR + 1 if closed else YEAR}" in html


def test_home_wish_list_shows_a_new_wish(app, people, client, make_client):
    _login(client, "chef@x.dk")
    assert "Low arousal" not in _html(client, f"/competence/wishes?aar={YEAR}")
    employee = _login(make_client(), "ansat@x.dk")
    assert employee.post("/competence/wishes/new", data=_wish(people, "Low arousal")).status_code == 302
    assert "Low arousal" in _html(client, f"/competence/wishes?aar={YEAR}")


def test_department_overview_shows_new_wishes_and_the_lock(app, people, client, make_client):
    path = f"/competence/overview/{people['dep']}?aar={YEAR}"
    leader = _login(client, "leder@x.dk")
    html = _html(leader, path)
    assert "Low arousal" not in html and "tilføj ønske for Anna Ansat" in html
    employee = _login(make_client(), "ansat@x.dk")
    employee.post("/competence/wishes/new", data=_wish(people, "Low arousal"))
    html = _html(leader, path)
    assert "Low arousal" in html and "tilføj ønske for Anna Ansat" not in html and 'name="csrf_token"' in html
    assert leader.post(f"/competence/overview/{people['dep']}/forward?aar={YEAR}").status_code == 302
    html = _html(leader, path)
    assert "Oversigten er låst; kun tilbudslederen kan genåbne den." in html and "Genåbn oversigten" not in html
    head = _login(make_client(), "chef@x.dk")
    html = _html(head, path)
    assert "Oversigten er låst." in html and "Genåbn oversigten" in html


def test_department_overview_keeps_posted_priorities_on_an_error(app, people, client, make_client):
    _login(make_client(), "ansat@x.dk").post("/competence/wishes/new", data=_wish(people, "Low arousal"))
    _login(client, "leder@x.dk")
    path = f"/competence/overview/{people['dep']}?aar={YEAR}"
    wish_id = _html(client, path).split('name="priority-')[1].split('"')[0]
    response = client.post(path, data={f"priority-{wish_id}": "x1", "recommendation": ""})
    assert response.status_code == 400 and 'value="x1"' in response.get_data(as_text=True)
    assert client.post(path, data={f"priority-{wish_id}": "2", "recommendation": "Godt"}).status_code == 302
    html = _html(client, path)
    assert f'name="priority-{wish_id}" value="2"' in html and "Godt</textarea>" in html


def test_distribution_shows_a_new_distribution_and_its_lines(app, people, client):
    _login(client, "chef@x.dk")
    path = f"/competence/distribution?aar={YEAR}"
    assert "Der er ingen fordeling for året endnu." in _html(client, path)
    assert client.post(path, data={"budget": "100.000"}).status_code == 302
    html = _html(client, path)
    assert "Revision 1" in html and "Tilføj linje" in html
    dist_id = html.split("/competence/distribution/")[1].split("/")[0]
    response = client.post(f"/competence/distribution/{dist_id}/lines", data={
        "category": "common", "wish_id": "0", "wish_outcome": "approved", "department_id": "0",
        "title": "Temadag om søvn", "amount": "5.000", "version": "1"})
    assert response.status_code == 302
    html = _html(client, path)
    assert "Temadag om søvn" in html and "Fjern" in html


def test_plan_shows_a_new_need_with_a_live_close_form(app, people, client, make_client):
    head = _login(client, "chef@x.dk")
    assert "Ingen åbne behov." in _html(head, f"/competence/plan?aar={YEAR}")
    leader = _login(make_client(), "leder@x.dk")
    response = leader.post("/competence/needs", data={
        "department_id": people["dep"], "source": "gap", "description": "Vi mangler viden om autisme."})
    assert response.status_code == 302
    html = _html(head, f"/competence/plan?aar={YEAR}")
    assert "Vi mangler viden om autisme." in html and "Hvordan er behovet dækket?" in html
    assert "Hvordan er behovet dækket?" not in _html(leader, f"/competence/plan?aar={YEAR}")
    assert "Vi mangler viden om autisme." in _html(head, f"/competence/plan/print?aar={YEAR}")
