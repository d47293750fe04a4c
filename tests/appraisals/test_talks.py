"""Planning and recording talks through the app: the happy paths, the refusals, the history."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.appraisals.models import LU, MU, Talk
from app.appraisals.status import DONE, OVERDUE, status_of
from app.audit.models import AuditEntry
from app.extensions import db
from app.people.models import User


def _id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _count(app, **where):
    with app.app_context():
        query = select(func.count(Talk.id))
        for key, value in where.items():
            query = query.where(getattr(Talk, key) == value)
        return db.session.scalar(query)


def test_leader_records_an_mu_talk_and_it_counts(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    today = clock.today()
    auth.login("leader")
    before = _count(app, employee_id=maja)
    response = client.post(f"/appraisals/talks/new/mu/{maja}", data={
        "held_on": today.isoformat(), "development_points": "Kursus i low arousal", "held_by": "0"})
    assert response.status_code == 302 and f"/appraisals/profile/{maja}" in response.headers["Location"]
    assert _count(app, employee_id=maja) == before + 1
    with app.app_context():
        talk = db.session.scalar(select(Talk).where(Talk.employee_id == maja).order_by(Talk.id.desc()).limit(1))
        assert talk.kind == MU and talk.is_complete and talk.held_by.email == "afdelingsleder@demo.dk"
        assert status_of(db.session.get(User, maja), MU).status == DONE
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "appraisals.talk_recorded")) == 1
    html = client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    assert "Kursus i low arousal" in html and "Afholdt i år" in html


def test_leader_plans_a_talk_in_the_future(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    planned = clock.today() + timedelta(days=1)  # the demo plans talks 3 days ahead at the earliest
    auth.login("leader")
    response = client.post(f"/appraisals/talks/new/mu/{maja}", data={"planned_on": planned.isoformat()})
    assert response.status_code == 302
    with app.app_context():
        assert status_of(db.session.get(User, maja), MU).planned_on == planned


@pytest.mark.parametrize(("who", "kind", "person", "data", "message"), [
    ("leader", "mu", "medarbejder@demo.dk", {"held_on": "+1"}, "En afholdt samtale kan ikke dateres i fremtiden."),
    ("leader", "mu", "medarbejder@demo.dk", {}, "Skriv enten den planlagte dato eller datoen, samtalen blev holdt."),
    ("leader", "mu", "medarbejder@demo.dk", {"held_on": "2026-02-31"}, "Skriv en gyldig dato."),
    ("head", "lu", "afdelingsleder@demo.dk", {"held_on": "0", "is_completed": "y", "written_agreement": "  "},
     "En LU-samtale kan ikke markeres som afsluttet uden en skriftlig aftale."),
    ("head", "mu", "afdelingsleder@demo.dk", {"held_on": "0"}, "Ledere har LU-samtale med tilbudslederen"),
    ("head", "lu", "medarbejder@demo.dk", {"held_on": "0"}, "LU-samtaler holdes med afdelingslederne."),
    ("leader", "mu", "medarbejder@demo.dk", {"held_on": "-20000"}, "før medarbejderens ansættelsesdato"),
])
def test_bad_talks_are_refused_and_nothing_saved(app, demo, auth, client, who, kind, person, data, message):
    person_id = _id(app, person)
    today = clock.today()
    for key, value in list(data.items()):
        if key.endswith("_on") and value.lstrip("+-").isdigit():
            data[key] = (today + timedelta(days=int(value))).isoformat()
    auth.login(who)
    before = _count(app)
    response = client.post(f"/appraisals/talks/new/{kind}/{person_id}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app) == before


def test_a_talk_for_someone_who_has_left_is_refused(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        db.session.get(User, maja).left_on = clock.today()
        db.session.commit()
    auth.login("leader")
    before = _count(app)
    response = client.post(f"/appraisals/talks/new/mu/{maja}", data={"held_on": clock.today().isoformat()})
    assert response.status_code == 400
    assert "er fratrådt. Der kan ikke registreres samtaler" in response.get_data(as_text=True)
    assert _count(app) == before
    # Left people are not in the overview either.
    assert f"/appraisals/profile/{maja}\"" not in client.get("/appraisals/").get_data(as_text=True)


def test_a_leader_of_another_department_is_refused_with_a_message(app, demo, auth, client):
    mona = _id(app, "minimed@demo.dk")
    auth.login("leader")
    before = _count(app)
    response = client.post(f"/appraisals/talks/new/mu/{mona}", data={"held_on": clock.today().isoformat()})
    assert response.status_code == 403
    assert "kun planlægge og registrere MU-samtaler for medarbejdere i de afdelinger, du leder" in (
        response.get_data(as_text=True))
    assert _count(app) == before


def test_lu_is_incomplete_until_closed_with_a_written_agreement(app, demo, auth, client):
    anders = _id(app, "afdelingsleder@demo.dk")
    today = clock.today().isoformat()
    auth.login("head")
    response = client.post(f"/appraisals/talks/new/lu/{anders}", data={"held_on": today}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "LU-samtalen tæller først, når den er afsluttet med en skriftlig aftale." in html
    assert "Mangler skriftlig aftale" in html
    with app.app_context():
        talk = db.session.scalar(select(Talk).where(Talk.employee_id == anders, Talk.held_on == clock.today()))
        talk_id, version = talk.id, talk.version
        assert status_of(db.session.get(User, anders), LU).status == OVERDUE
    response = client.post(f"/appraisals/talks/{talk_id}/edit", data={
        "held_on": today, "written_agreement": "Mål for vikardækning", "is_completed": "y",
        "version": str(version)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Talk, talk_id).is_complete
        assert status_of(db.session.get(User, anders), LU).status == DONE
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "appraisals.talk_changed")) == 1


def test_a_held_talk_cannot_be_turned_back_into_a_planned_one(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        talk = db.session.scalar(select(Talk).where(Talk.employee_id == maja, Talk.held_on.is_not(None)).limit(1))
        talk_id, held_on, version = talk.id, talk.held_on, talk.version
    auth.login("leader")
    response = client.post(f"/appraisals/talks/{talk_id}/edit", data={
        "planned_on": clock.today().isoformat(), "held_on": "", "version": str(version)})
    assert response.status_code == 400
    assert "En holdt samtale kan ikke gøres til en planlagt." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Talk, talk_id).held_on == held_on


def test_editing_a_talk_changed_meanwhile_is_refused_and_keeps_the_input(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        talk = db.session.scalar(select(Talk).where(Talk.employee_id == maja, Talk.held_on.is_not(None)).limit(1))
        talk_id, held_on, stale = talk.id, talk.held_on.isoformat(), talk.version
        talk.development_points = "Ændret af en anden"
        db.session.commit()
    auth.login("leader")
    response = client.post(f"/appraisals/talks/{talk_id}/edit", data={
        "held_on": held_on, "development_points": "Mit input", "version": str(stale)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "ændret af en anden imens" in html and "Mit input" in html
    with app.app_context():
        assert db.session.get(Talk, talk_id).development_points == "Ændret af en anden"


def test_a_talk_links_to_the_course_wishes_that_follow_from_it(app, demo, auth, client):
    from app.competence.models import CourseWish

    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        person = db.session.get(User, maja)
        wish = CourseWish(home_id=person.home_id, department_id=person.departments[0].id, user_id=maja,
                          year=clock.today().year + 1, title="Kursus i Marte Meo", submitted_by_id=maja)
        db.session.add(wish)
        db.session.commit()
        wish_id = wish.id
    auth.login("leader")
    form = client.get(f"/appraisals/talks/new/mu/{maja}").get_data(as_text=True)
    assert "Kursus i Marte Meo" in form
    response = client.post(f"/appraisals/talks/new/mu/{maja}", data={
        "held_on": clock.today().isoformat(), "wishes": [str(wish_id)]})
    assert response.status_code == 302
    with app.app_context():
        talk = db.session.scalar(select(Talk).where(Talk.employee_id == maja).order_by(Talk.id.desc()).limit(1))
        assert talk.wish_ids == [wish_id]
