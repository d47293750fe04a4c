"""The children's pages are rendered once per data version (app/children/pages.py): a change made through the
app shows on the next load, what a viewer sees still depends on who they are, every read is still logged and
the handover button carries the browser session's own CSRF token."""

import re
from datetime import date

from sqlalchemy import func, select

from app.children.models import Child, ChildAccessLog, IndividualPlanUpdate
from app.extensions import db
from tests.children.helpers import add_plan, add_team, login


def _page_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no form with a CSRF token"
    return match.group(1)


def test_list_shows_a_newly_admitted_child(app, world, client):
    login(client, "leder@example.dk")
    assert ">Alma</a>" in client.get("/children/").get_data(as_text=True)
    response = client.post("/children/new", data={"display_name": "Bo", "reference": "2026-14",
                                                  "department_id": world.dep_id, "placement_basis": "107",
                                                  "admitted_on": "2026-06-01"})
    assert response.status_code == 302
    html = client.get("/children/").get_data(as_text=True)
    assert ">Bo</a>" in html and ">Alma</a>" in html


def test_list_status_follows_a_new_plan(app, world, client):
    with app.app_context():
        add_team(db.session.get(Child, world.child_id), world.staff_ids[:2])
        db.session.commit()
    login(client, "leder@example.dk")
    assert "1 mangler" in client.get("/children/").get_data(as_text=True)  # no plan yet
    assert client.post(f"/children/{world.child_id}/plan", data={"updated_on": "2026-06-10"}).status_code == 302
    html = client.get("/children/").get_data(as_text=True)
    assert "I orden" in html and "10.09.2026" in html


def test_staff_of_another_department_do_not_get_the_cached_list(app, world, client, make_client):
    login(client, "chef@example.dk")
    assert ">Alma</a>" in client.get("/children/").get_data(as_text=True)
    other = make_client()
    login(other, "havet@example.dk")
    html = other.get("/children/").get_data(as_text=True)
    assert ">Alma</a>" not in html and "Der er ingen børn i dine afdelinger endnu." in html


def test_temp_list_shows_the_handover_once_confirmed(app, world, client):
    with app.app_context():
        plan_id = add_plan(db.session.get(Child, world.child_id), date(2026, 6, 1)).id
        db.session.commit()
    login(client, "vikar@example.dk")
    assert "Ikke læst" in client.get("/children/").get_data(as_text=True)
    assert client.post(f"/children/{world.child_id}/handover/{plan_id}").status_code == 302
    assert ">Læst<" in client.get("/children/").get_data(as_text=True)


def test_checks_page_follows_a_new_contact_team(app, world, client):
    login(client, "leder@example.dk")
    assert "Intet kontaktteam" in client.get("/children/checks").get_data(as_text=True)
    ids = world.staff_ids
    assert client.post(f"/children/{world.child_id}/team",
                       data={"members": ids[:2], "coordinator": ids[0]}).status_code == 302
    html = client.get("/children/checks").get_data(as_text=True)
    assert "Intet kontaktteam" not in html and "Ingen individuel plan" in html


def test_checks_page_of_one_department_follows_a_move(app, world, client):
    login(client, "chef@example.dk")
    url = f"/children/checks?afdeling={world.other_dep_id}"
    assert "Der er ingen indskrevne børn her." in client.get(url).get_data(as_text=True)
    response = client.post(f"/children/{world.child_id}/move", data={"department_id": world.other_dep_id,
                                                                     "moved_on": "2026-06-15"})
    assert response.status_code == 302
    assert "<strong>0 af 1</strong>" in client.get(url).get_data(as_text=True)


def test_child_page_follows_a_new_team_and_plan(app, world, client):
    login(client, "leder@example.dk")
    url = f"/children/{world.child_id}"
    html = client.get(url).get_data(as_text=True)
    assert "Barnet har intet kontaktteam." in html and "Der er ikke registreret nogen individuel plan." in html
    assert ">Registrér plan</a>" in html and "Registrér opdatering af planen" not in html
    ids = world.staff_ids
    assert client.post(f"{url}/team", data={"members": ids[:2], "coordinator": ids[0]}).status_code == 302
    data = {"updated_on": "2026-06-10", "goals-0-title": "Spise selv", "goals-0-status": "active"}
    assert client.post(f"{url}/plan", data=data).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Medarbejder 0" in html and "Mål: Spise selv" in html and "10. september 2026" in html
    assert ">Registrér opdatering af planen</a>" in html and ">Registrér plan</a>" not in html


def test_child_page_is_per_viewer(app, world, client, make_client):
    """The leader's edit links are not served to the staff member who opens the page next."""
    login(client, "leder@example.dk")
    url = f"/children/{world.child_id}"
    assert "Registrér fraflytning" in client.get(url).get_data(as_text=True)
    staff = make_client()
    login(staff, "staff0@example.dk")
    html = staff.get(url).get_data(as_text=True)
    assert "Alma" in html and "Registrér fraflytning" not in html
    outsider = make_client()
    login(outsider, "havet@example.dk")
    assert outsider.get(url).status_code == 403


def test_every_view_of_a_cached_child_page_is_logged(app, world, client):
    login(client, "leder@example.dk")
    for _ in range(3):
        assert client.get(f"/children/{world.child_id}").status_code == 200
    with app.app_context():
        rows = db.session.execute(select(ChildAccessLog.child_id, ChildAccessLog.view)).all()
    assert rows == [(world.child_id, "page")] * 3


def test_handover_button_carries_each_sessions_own_token(app, world, make_client):
    with app.app_context():
        child = db.session.get(Child, world.child_id)
        add_team(child, world.staff_ids[:2])
        add_plan(child, date(2026, 6, 1))
        db.session.commit()
    first, second = make_client(), make_client()
    login(first, "staff0@example.dk")
    login(second, "staff0@example.dk")
    url = f"/children/{world.child_id}"
    first_token = _page_token(first.get(url).get_data(as_text=True))
    second_html = second.get(url).get_data(as_text=True)
    second_token = _page_token(second_html)
    assert first_token != second_token
    action = re.search(r'<form method="post" action="([^"]+/handover/\d+)"', second_html).group(1)
    assert second.post(action, data={"csrf_token": second_token}, csrf=False).status_code == 302
    html = second.get(url).get_data(as_text=True)
    assert "Du har bekræftet at have læst den" in html and "/handover/" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IndividualPlanUpdate)) == 1
