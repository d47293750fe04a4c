"""The competence pages compute per request (no cache): their statement count does not grow with the number
of wishes or people shown."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.competence.models import CompetenceNeed, CourseWish, Distribution, DistributionLine
from app.extensions import db
from app.people.constants import Role
from app.people.models import Department, User
from tests.conftest import counting
from tests.factories import PASSWORD, make_department, make_home, make_user

YEAR = 2027


def _login(client, email):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def _add_wishes(app, n, *, owner_email=None):
    """n wishes in Skoven for YEAR: all the owner's (also one for the year before) if given, else each from a
    new employee."""
    with app.app_context():
        department = db.session.scalars(select(Department).where(Department.name == "Skoven")).one()
        owner = owner_email and db.session.scalars(select(User).where(User.email == owner_email)).one()
        for i in range(n):
            person = owner or make_user(department.home, [department], name=f"Person {i} {n}")
            db.session.add(CourseWish(
                home_id=department.home_id, user_id=person.id, department_id=department.id,
                year=YEAR - 1 if owner and i == 0 else YEAR, kind="course", title=f"Kursus {i}",
                cost=1000 + i, reason="Fordi.", submitted_by_id=person.id, methods=[department.methods[0]]))
        db.session.commit()


@pytest.fixture
def people(app, set_today):
    set_today(date(2026, 9, 15))
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        make_user(home, [department], roles=(Role.HEAD,), email="chef@x.dk")
        make_user(home, [department], email="ansat@x.dk", name="Anna Ansat")
        make_user(home, [department], roles=(Role.EMPLOYEE, Role.MINI_MED), email="minimed@x.dk")
        db.session.commit()
        return {"dep": department.id}


def _statements(app, client, path):
    with counting(app) as count:
        response = client.get(path)
    assert response.status_code == 200, path
    return count[0]


def test_my_wishes_statements_do_not_grow_with_the_wishes(app, people, client):
    _login(client, "ansat@x.dk")
    _add_wishes(app, 2, owner_email="ansat@x.dk")
    few = _statements(app, client, "/competence/")
    _add_wishes(app, 8, owner_email="ansat@x.dk")
    html = client.get("/competence/").get_data(as_text=True)
    assert html.count("Træk tilbage") == 8  # the open round's eight, not the two of the year before
    assert _statements(app, client, "/competence/") == few


def _add_departments_with_needs(app, n):
    with app.app_context():
        department = db.session.scalars(select(Department).where(Department.name == "Skoven")).one()
        for i in range(n):
            other = make_department(department.home, f"Afdeling {i} af {n}")
            db.session.add(CompetenceNeed(home_id=department.home_id, department_id=other.id, source="gap",
                                          description=f"Behov {i} af {n}", raised_on=date(2026, 9, 1)))
        db.session.commit()


def test_plan_statements_do_not_grow_with_departments_and_needs(app, people, client):
    _login(client, "chef@x.dk")
    _add_departments_with_needs(app, 1)
    few = _statements(app, client, f"/competence/plan?aar={YEAR}")
    _add_departments_with_needs(app, 6)
    html = client.get(f"/competence/plan?aar={YEAR}").get_data(as_text=True)
    assert html.count("Hvordan er behovet dækket?") == 7
    assert _statements(app, client, f"/competence/plan?aar={YEAR}") == few
    assert _statements(app, client, f"/competence/plan/print?aar={YEAR}") < few


def test_plan_offers_a_need_only_for_the_viewers_departments(app, people, client, make_client):
    _add_departments_with_needs(app, 1)
    head_html = _login(client, "chef@x.dk").get(f"/competence/plan?aar={YEAR}").get_data(as_text=True)
    leader_html = _login(make_client(), "leder@x.dk").get(f"/competence/plan?aar={YEAR}").get_data(as_text=True)
    assert f'<option value="{people["dep"]}">Skoven</option>' in head_html
    assert ">Afdeling 0 af 1</option>" in head_html
    assert f'<option value="{people["dep"]}">Skoven</option>' in leader_html
    assert ">Afdeling 0 af 1</option>" not in leader_html


def _add_lines(app, n, *, status):
    """A distribution for YEAR (made with the given status on first use) with n more lines, one a department."""
    with app.app_context():
        department = db.session.scalars(select(Department).where(Department.name == "Skoven")).one()
        dist = db.session.scalars(select(Distribution).where(Distribution.year == YEAR)).first()
        if dist is None:
            dist = Distribution(home_id=department.home_id, year=YEAR, budget=100000, status=status)
            db.session.add(dist)
            db.session.flush()
        for i in range(n):
            other = make_department(department.home, f"Linjeafdeling {i} af {n}")
            db.session.add(DistributionLine(distribution_id=dist.id, category="common", department_id=other.id,
                                            title=f"Linje {i} af {n}", amount=100 + i))
        db.session.commit()


@pytest.mark.parametrize(("role_email", "status", "removable"), [
    ("chef@x.dk", "draft", True), ("chef@x.dk", "approved", False), ("minimed@x.dk", "draft", False)],
    ids=["head's draft", "head, approved", "Mini-MED member"])
def test_distribution_statements_do_not_grow_with_the_lines(app, people, client, role_email, status, removable):
    _login(client, role_email)
    path = f"/competence/distribution?aar={YEAR}"
    _add_lines(app, 1, status=status)
    few = _statements(app, client, path)
    _add_lines(app, 6, status=status)
    html = client.get(path).get_data(as_text=True)
    assert "Linje 5 af 6" in html and "Linjeafdeling 5 af 6" in html
    assert html.count(">Fjern</button>") == (7 if removable else 0)
    assert _statements(app, client, path) == few


def test_overview_statements_do_not_grow_with_wishes_and_people(app, people, client):
    _login(client, "leder@x.dk")
    path = f"/competence/overview/{people['dep']}?aar={YEAR}"
    _add_wishes(app, 1)
    with app.app_context():  # permanent staff without a wish are listed as missing
        department = db.session.get(Department, people["dep"])
        make_user(department.home, [department], name="Mads Mangler")
        db.session.commit()
    few = _statements(app, client, path)
    _add_wishes(app, 6)
    with app.app_context():
        department = db.session.get(Department, people["dep"])
        for i in range(5):
            make_user(department.home, [department], name=f"Mangler {i}")
        db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert html.count('class="priority"') == 7 and "Mangler 4" in html and ">Rediger</a>" in html
    assert _statements(app, client, path) == few


def test_home_wishes_statements_do_not_grow_with_the_wishes(app, people, client):
    _login(client, "chef@x.dk")
    path = f"/competence/wishes?aar={YEAR}"
    _add_wishes(app, 1)
    few = _statements(app, client, path)
    _add_wishes(app, 6)
    html = client.get(path).get_data(as_text=True)
    assert html.count("Kursus ") == 7 and html.count("Ikke sendt") == 7
    assert _statements(app, client, path) == few
