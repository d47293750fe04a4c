"""The answer to a wish post: where it leads, what it says, and that its cost does not grow with the home."""

from datetime import datetime

import pytest

from app import clock
from app.extensions import db
from app.people.constants import Role
from tests.conftest import counting
from tests.factories import PASSWORD, make_department, make_home, make_user


@pytest.fixture
def ids(app):
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        leader = make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        employee = make_user(home, [department], email="ansat@x.dk")
        others = [make_user(home, [department], email=f"kollega{i}@x.dk") for i in range(30)]
        db.session.commit()
        return {"dep": department.id, "method": department.methods[0].id, "leader": leader.id,
                "employee": employee.id, "others": [o.id for o in others]}


def _wish(ids, title="Low arousal i praksis", year=2027):
    return {"department_id": ids["dep"], "year": year, "kind": "course", "title": title, "provider": "Studio3",
            "cost": "4.500", "days": "2", "hours": "", "methods": [ids["method"]], "responsibility_areas": "",
            "reason": ""}


def _login(client, email):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})


def test_an_own_wish_leads_to_my_wishes_and_names_its_round(client, set_today, ids):
    set_today(datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new", data=_wish(ids))
    assert response.status_code == 302 and response.headers["Location"].rstrip("/").endswith("/competence")
    html = client.get("/competence/").get_data(as_text=True)
    assert "Dit ønske til kompetencemidlerne for 2027 med frist 1. oktober 2026 er sendt til din leder." in html


@pytest.mark.parametrize(("day", "late"), [(1, False), (2, True)], ids=["deadline day", "day after"])
def test_a_leaders_wish_for_an_employee_leads_to_the_overview_and_says_if_it_is_late(client, set_today, ids, day,
                                                                                     late):
    set_today(datetime(2026, 10, day, 12, 0, tzinfo=clock.TZ))
    _login(client, "leder@x.dk")
    response = client.post(f"/competence/wishes/new?for={ids['employee']}", data=_wish(ids))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/competence/overview/{ids['dep']}?aar=2027")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Ønsket er registreret og markeret som for sent indsendt." in html) is late
    assert ("Ønsket er registreret." in html) is not late


def test_a_wish_posts_statements_do_not_grow_with_the_wishes_of_the_home(app, make_client, set_today, ids):
    set_today(datetime(2026, 9, 15, 12, 0, tzinfo=clock.TZ))
    employee = make_client()
    _login(employee, "ansat@x.dk")
    with counting(app) as first:
        assert employee.post("/competence/wishes/new", data=_wish(ids, "Første")).status_code == 302
    for number in range(len(ids["others"])):
        colleague = make_client()
        _login(colleague, f"kollega{number}@x.dk")
        assert colleague.post("/competence/wishes/new", data=_wish(ids, f"Kollegas {number}")).status_code == 302
    with counting(app) as later:
        assert employee.post("/competence/wishes/new", data=_wish(ids, "Andet")).status_code == 302
    assert later[0] <= first[0]
