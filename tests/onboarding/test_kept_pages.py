"""The onboarding pages keep their content per data version (app/onboarding/pages.py): a change made through
the app shows on the next view, and the forms stay the reader's own."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.people.constants import EmploymentType
from app.people.models import Department, Home, User
from tests.factories import make_user
from tests.onboarding.helpers import TODAY, build_org, item_url, login


@pytest.fixture
def org(app, set_today):
    set_today(TODAY)
    return build_org(app)


def _item(html: str, org, index: int) -> str:
    return html.split(f'id="punkt-{org.item_ids[index]}"')[1].split("</li>")[0]


def test_checklist_shows_a_tick_to_the_person_and_the_leader(app, org, make_client):
    temp, leader = login(make_client, org.temp), login(make_client, org.leader_a)
    page = f"/onboarding/checklists/{org.checklist_id}"
    mine = temp.get("/onboarding/mine").get_data(as_text=True)
    assert "<form" in _item(mine, org, 0) and 'name="csrf_token"' in _item(mine, org, 0)
    assert "Venter på, at Tina Vikar" in _item(leader.get(page).get_data(as_text=True), org, 0)
    assert "0 af 5 punkter" in leader.get("/onboarding/overview").get_data(as_text=True)
    assert temp.post(item_url(org, 0), data={"done_on": "2026-03-01"}).status_code == 302
    mine = temp.get("/onboarding/mine").get_data(as_text=True)
    assert "Afkrydset" in _item(mine, org, 0) and "<form" not in _item(mine, org, 0)
    assert "Afkrydset" in _item(leader.get(page).get_data(as_text=True), org, 0)
    assert "1 af 5 punkter" in leader.get("/onboarding/overview").get_data(as_text=True)


def test_checklist_access_follows_the_persons_department(app, org, make_client):
    leader_b = login(make_client, org.leader_b)
    page = f"/onboarding/checklists/{org.checklist_id}"
    assert leader_b.get(page).status_code == 403
    with app.app_context():
        person = db.session.get(User, org.temp_id)
        person.departments = [db.session.get(Department, org.dep_b)]
        db.session.commit()
    html = leader_b.get(page).get_data(as_text=True)
    assert "Fyrtårnet" in html and "<form" in _item(html, org, 1)


def test_refused_tick_shows_its_message_once(app, org, make_client):
    temp = login(make_client, org.temp)
    refused = temp.post(item_url(org, 0), data={"done_on": ""}).get_data(as_text=True)
    assert "Skriv datoen" in _item(refused, org, 0)
    assert "Skriv datoen" not in temp.get("/onboarding/mine").get_data(as_text=True)


def test_overview_shows_a_new_temp(app, org, make_client):
    head = login(make_client, org.head)
    assert "Nora Ny" not in head.get("/onboarding/overview").get_data(as_text=True)
    with app.app_context():
        home = db.session.get(Home, org.home_id)
        make_user(home, [db.session.get(Department, org.dep_b)], employment=EmploymentType.ON_CALL, name="Nora Ny")
        db.session.commit()
    assert "Nora Ny" in head.get("/onboarding/overview").get_data(as_text=True)
    assert "Nora Ny" in head.get(f"/onboarding/overview?afdeling={org.dep_b}").get_data(as_text=True)
    assert head.get("/onboarding/overview?afdeling=999999").status_code == 404


def test_templates_show_a_retired_template_and_its_buttons(app, org, make_client):
    head = login(make_client, org.head)
    html = head.get("/onboarding/templates").get_data(as_text=True)
    assert "Ude af brug" not in html and "Tag ud af brug" in html and 'name="csrf_token"' in html
    head.post(f"/onboarding/templates/{org.template_id}/retire", data={"retire": "1"})
    html = head.get("/onboarding/templates").get_data(as_text=True)
    assert "Ude af brug" in html and "Tag i brug igen" in html
    assert "Tag i brug igen" not in login(make_client, org.leader_a).get("/onboarding/templates").get_data(
        as_text=True)


def test_meetings_show_a_new_meeting_and_a_new_temp(app, org, make_client):
    leader = login(make_client, org.leader_a)
    html = leader.get("/onboarding/meetings").get_data(as_text=True)
    assert "Der er ikke registreret nogen vikarmøder endnu." in html and "Nora Ny" not in html
    with app.app_context():
        home = db.session.get(Home, org.home_id)
        make_user(home, [db.session.get(Department, org.dep_a)], employment=EmploymentType.ON_CALL, name="Nora Ny")
        db.session.commit()
    assert "Nora Ny (Skovbrynet)" in leader.get("/onboarding/meetings").get_data(as_text=True)
    response = leader.post("/onboarding/meetings", data={"held_on": "2026-03-05", "department_id": "0",
                                                         "attendees": [org.temp_id], "note": "Emner"})
    assert response.status_code == 302
    html = leader.get("/onboarding/meetings").get_data(as_text=True)
    assert "05.03.2026" in html and "Emner" in html
