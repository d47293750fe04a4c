"""The talk overview and the competence profile keep their content per data version (app/cache.py): a change
made through the app shows on the next view, and what depends on the viewer stays theirs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.people.models import User


def _id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _row(html: str, person_id: int) -> str:
    return html.split(f'/appraisals/profile/{person_id}">')[1].split("</tr>")[0]


def _danish(day) -> str:
    months = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december")
    return f"{day.day}. {months[day.month - 1]} {day.year}"


def test_overview_shows_a_newly_planned_talk(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    planned = clock.today() + timedelta(days=1)
    auth.login("leader")
    assert _danish(planned) not in _row(client.get("/appraisals/").get_data(as_text=True), maja)
    assert client.post(f"/appraisals/talks/new/mu/{maja}",
                       data={"planned_on": planned.isoformat()}).status_code == 302
    assert _danish(planned) in _row(client.get("/appraisals/").get_data(as_text=True), maja)


def test_overview_is_kept_per_viewer_and_filter(app, demo, auth, client, make_client):
    head = make_client("head")
    assert "LU-samtaler med afdelingslederne" in head.get("/appraisals/").get_data(as_text=True)
    auth.login("leader")
    html = client.get("/appraisals/").get_data(as_text=True)
    assert "LU-samtaler med afdelingslederne" not in html and "Alle mine" in html
    overdue = head.get("/appraisals/?status=overdue").get_data(as_text=True)
    assert '<option value="overdue" selected>' in overdue
    assert '<option value="overdue" selected>' not in head.get("/appraisals/").get_data(as_text=True)


def test_profile_shows_a_new_neuro_step_and_keeps_its_form_live(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    auth.login("leader")
    html = client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    assert 'name="csrf_token"' in html and "Aftalt på teammødet" not in html
    response = client.post(f"/appraisals/profile/{maja}/neuro", data={
        "status": "offered", "happened_on": clock.today().isoformat(), "note": "Aftalt på teammødet"})
    assert response.status_code == 302
    html = client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    assert "Tilbudt – Aftalt på teammødet" in html and 'name="csrf_token"' in html


def test_profile_shows_other_features_sections_fresh(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    auth.login("leader")
    assert "Low arousal for viderekomne" not in client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    with app.app_context():
        department_id = db.session.get(User, maja).departments[0].id
    response = client.post(f"/competence/wishes/new?for={maja}", data={
        "department_id": department_id, "year": clock.today().year + 1, "kind": "course",
        "title": "Low arousal for viderekomne", "provider": "", "cost": "1000", "days": "", "hours": "",
        "responsibility_areas": "Sanseintegration", "reason": "Vi har brug for det."})
    assert response.status_code == 302
    assert "Low arousal for viderekomne" in client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)


def test_the_profile_follows_the_viewer(app, demo, auth, client, make_client):
    maja = _id(app, "medarbejder@demo.dk")
    auth.login("leader")
    assert "Registrér MU-samtale" in client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    own = make_client("employee").get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    assert "Registrér MU-samtale" not in own and 'action="/appraisals/profile' not in own
