"""A change made through the app shows on the guideline pages' next view, for the person who made it and for
everyone else."""

from __future__ import annotations

from app.extensions import db
from app.people.models import Home, User
from tests.factories import make_user
from tests.guidelines.test_pages import _draft, login


def _row(html: str, title: str) -> str:
    return html.split(f">{title}</a>")[1].split("</tr>")[0]


def test_list_shows_a_new_confirmation_and_share_at_once(app, library, client, make_client):
    employee = login(make_client(), "emp1@t.dk")
    head = login(client, "head@t.dk")
    assert "Ikke bekræftet" in _row(employee.get("/guidelines/").get_data(as_text=True), "Snart til revision")
    assert ">0 af 5</a>" in _row(head.get("/guidelines/").get_data(as_text=True), "Snart til revision")
    assert employee.post("/guidelines/snart/acknowledge").status_code == 302
    mine = _row(employee.get("/guidelines/").get_data(as_text=True), "Snart til revision")
    assert "Bekræftet" in mine and "Ikke bekræftet" not in mine
    assert ">1 af 5</a>" in _row(head.get("/guidelines/").get_data(as_text=True), "Snart til revision")


def test_list_shows_a_new_draft_and_a_new_person(app, library, client):
    login(client, "head@t.dk")
    assert "Udkast" not in _row(client.get("/guidelines/?status=due").get_data(as_text=True), "Snart til revision")
    client.post("/guidelines/snart/edit", data=_draft(client, "snart"))
    assert "Udkast" in _row(client.get("/guidelines/?status=due").get_data(as_text=True), "Snart til revision")
    with app.app_context():
        make_user(db.session.get(Home, library["home"]), name="Nina Ny")
        db.session.commit()
    assert ">0 af 6</a>" in _row(client.get("/guidelines/").get_data(as_text=True), "Snart til revision")


def test_page_shows_the_readers_confirmation_and_the_approved_text(app, library, client, make_client):
    employee = login(make_client(), "emp1@t.dk")
    html = employee.get("/guidelines/snart").get_data(as_text=True)
    assert "Du har endnu ikke bekræftet" in html and 'name="csrf_token"' in html
    employee.post("/guidelines/snart/acknowledge")
    assert "Du har bekræftet" in employee.get("/guidelines/snart").get_data(as_text=True)
    other = login(make_client(), "emp2@t.dk")
    assert "Du har endnu ikke bekræftet" in other.get("/guidelines/snart").get_data(as_text=True)

    head = login(client, "head@t.dk")
    assert "Lav nyt udkast" in head.get("/guidelines/snart").get_data(as_text=True)
    head.post("/guidelines/snart/edit", data=_draft(head, "snart", title="Snart ny titel", body="Helt ny tekst."))
    html = head.get("/guidelines/snart").get_data(as_text=True)
    assert "Rediger udkast" in html and "Se udkast (version 2)" in html
    head.post("/guidelines/snart/approve")
    html = employee.get("/guidelines/snart").get_data(as_text=True)
    assert "Helt ny tekst." in html and "<h1>Snart ny titel</h1>" in html and "<title>Snart ny titel" in html
    assert "Snart ny titel" in employee.get("/guidelines/").get_data(as_text=True)


def test_page_follows_the_readers_role(app, library, client):
    login(client, "emp1@t.dk")
    assert "Hvem har bekræftet?" not in client.get("/guidelines/snart").get_data(as_text=True)
    with app.app_context():
        db.session.scalar(db.select(User).where(User.email == "emp1@t.dk")).set_roles({"department_leader"})
        db.session.commit()
    assert "Hvem har bekræftet?" in client.get("/guidelines/snart").get_data(as_text=True)


def test_history_shows_a_new_review_and_version(app, library, client):
    login(client, "head@t.dk")
    assert "Ingen revisioner uden ændringer endnu" in client.get("/guidelines/snart/history").get_data(as_text=True)
    client.post("/guidelines/snart/review", data={"note": "Set igen"})
    assert "Set igen" in client.get("/guidelines/snart/history").get_data(as_text=True)
    client.post("/guidelines/snart/edit", data=_draft(client, "snart", change_note="Ny grund"))
    html = client.get("/guidelines/snart/history").get_data(as_text=True)
    assert "Version 2" in html and "Ny grund" in html


def test_coverage_shows_a_new_confirmation(app, library, client, make_client):
    login(client, "leader@t.dk")
    north = f"/guidelines/snart/coverage?afdeling={library['north']}"
    assert "0 af 5 i målgruppen" in client.get("/guidelines/snart/coverage").get_data(as_text=True)
    assert "0 af 2 i målgruppen" in client.get(north).get_data(as_text=True)
    login(make_client(), "emp1@t.dk").post("/guidelines/snart/acknowledge")
    html = client.get("/guidelines/snart/coverage").get_data(as_text=True)
    assert "1 af 5 i målgruppen" in html and "Erik Ansat" not in html.split("Mangler at bekræfte")[1]
    assert "1 af 2 i målgruppen" in client.get(north).get_data(as_text=True)
    assert client.get("/guidelines/snart/coverage?afdeling=999999").status_code == 404
