"""A link is drawn only when the viewer may follow it (app/links.py): the employee list links a name only for
someone who may open that person, and pages behind `@requires` are linked only for those it lets in."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.people.constants import Role
from tests.factories import PASSWORD, make_department, make_home, make_user


@pytest.fixture
def staff(app):
    """Skoven and Havet; Lise leads Skoven, Tom works in both, Anna in Skoven only, Bo in Havet only."""
    with app.app_context():
        home = make_home()
        skoven, havet = make_department(home, "Skoven"), make_department(home, "Havet")
        people = {
            "head": make_user(home, [skoven], roles=(Role.HEAD,), name="Hanne Tilbudsleder"),
            "leader": make_user(home, [skoven], roles=(Role.DEPARTMENT_LEADER,), name="Lise Leder"),
            "anna": make_user(home, [skoven], name="Anna Skov"),
            "bo": make_user(home, [havet], name="Bo Hav"),
            "tom": make_user(home, [skoven, havet], name="Tom Begge"),
            "minimed": make_user(home, [], roles=(Role.MINI_MED,), name="Mette Med"),
        }
        db.session.commit()
        return {key: (person.id, person.email) for key, person in people.items()}


def _login(client, staff, who):
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"email": staff[who][1], "password": PASSWORD}).status_code == 302


def _linked_names(html: str) -> set[str]:
    return set(re.findall(r'<a href="/people/\d+">([^<]+)</a>', html))


def test_the_employee_list_links_only_the_people_the_viewer_may_open(client, staff):
    # The head first, so the leader reads the same cached page rows: the links must still be his own.
    _login(client, staff, "head")
    html = client.get("/people/").get_data(as_text=True)
    everyone = {"Hanne Tilbudsleder", "Lise Leder", "Anna Skov", "Bo Hav", "Tom Begge", "Mette Med"}
    assert _linked_names(html) == everyone
    _login(client, staff, "leader")
    html = client.get("/people/").get_data(as_text=True)
    assert _linked_names(html) == {"Hanne Tilbudsleder", "Lise Leder", "Anna Skov", "Tom Begge"}
    assert "Bo Hav" not in html and "Mette Med" not in html  # named only where they may be opened
    for person_id, __ in staff.values():
        linked = f'href="/people/{person_id}"' in html
        assert linked is (client.get(f"/people/{person_id}").status_code == 200), person_id


def test_pages_behind_a_required_action_are_linked_only_for_those_it_lets_in(client, staff):
    _login(client, staff, "head")
    html = client.get("/competence/distribution").get_data(as_text=True)
    assert 'href="/competence/supervision' in html and 'href="/competence/plan' in html
    _login(client, staff, "minimed")
    response = client.get("/competence/distribution")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert client.get("/competence/supervision").status_code == 403
    assert 'href="/competence/supervision' not in html
    assert ('href="/competence/plan' in html) is (client.get("/competence/plan").status_code == 200)


@pytest.mark.parametrize("page", ["distribution", "plan", "supervision", "overview", "wishes"])
def test_year_navigation_stops_at_the_years_the_pages_answer(client, staff, page):
    _login(client, staff, "head")
    first = client.get(f"/competence/{page}?aar=2000").get_data(as_text=True)
    last = client.get(f"/competence/{page}?aar=2100").get_data(as_text=True)
    assert 'href="?aar=2001"' in first and 'href="?aar=1999"' not in first
    assert 'href="?aar=2099"' in last and 'href="?aar=2101"' not in last
    assert client.get(f"/competence/{page}?aar=1999").status_code == 404
