"""Logging in and out, first password, password change, CSRF. Sessions: test_sessions.py; throttling:
test_throttling.py."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.audit.models import AuditEntry
from app.extensions import db
from app.people.models import User
from tests.conftest import DEMO_EMAIL


@pytest.mark.parametrize("who", list(DEMO_EMAIL))
def test_each_demo_role_lands_on_mine_opgaver(demo, auth, client, who):
    response = auth.login(who, follow=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Mine opgaver</h1>" in html
    assert DEMO_EMAIL[who] not in html or "Log ud" in html


@pytest.mark.parametrize(("email", "password"), [
    ("medarbejder@demo.dk", "forkert-kode"),
    ("findes.ikke@demo.dk", "demo1234"),
])
def test_wrong_password_and_unknown_email_get_the_same_danish_message(demo, client, email, password):
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 401
    assert "Forkert e-mail eller adgangskode." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_failures_are_audited(demo, app, client):
    client.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "nej"})
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "auth.login_failed" in actions


def test_person_who_has_left_cannot_log_in(demo, app, client):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        user.left_on = clock.today()
        db.session.commit()
    response = client.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "demo1234"})
    assert response.status_code == 401


def test_person_who_leaves_tomorrow_can_still_log_in_today(demo, app, client):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        user.left_on = clock.today() + timedelta(days=1)
        db.session.commit()
    response = client.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "demo1234"})
    assert response.status_code == 302


def test_disabled_person_cannot_log_in(demo, app, client):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        user.is_disabled = True
        db.session.commit()
    assert client.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "demo1234"}).status_code == 401


def test_post_without_csrf_token_is_refused(demo, client):
    response = client.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "demo1234"}, csrf=False)
    assert response.status_code == 400
    assert "sikkerhedsnøglen" in response.get_data(as_text=True)


def test_logout_ends_the_session_even_if_the_cookie_is_replayed(demo, auth, client):
    auth.login("employee")
    with client.session_transaction() as session:
        stolen = dict(session)
    auth.logout()
    with client.session_transaction() as session:
        session.update(stolen)
    assert client.get("/").status_code == 302


def test_first_login_requires_choosing_a_password(app, client):
    from tests.factories import PASSWORD, make_department, make_home, make_user

    with app.app_context():
        home = make_home()
        user = make_user(home, [make_department(home)], email="ny@example.dk", must_set_password=True)
        db.session.commit()
        user_id = user.id
    response = client.post("/auth/login", data={"email": "ny@example.dk", "password": PASSWORD})
    assert response.headers["Location"].endswith("/auth/first-password")
    assert client.get("/").headers["Location"].endswith("/auth/first-password")
    bad = client.post("/auth/first-password", data={"start_code": PASSWORD, "password": "kort", "confirm": "kort"})
    assert bad.status_code == 400
    assert "mindst 8 tegn" in bad.get_data(as_text=True)
    ok = client.post("/auth/first-password", data={"start_code": PASSWORD, "password": "minegenkode",
                                                   "confirm": "minegenkode"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    with app.app_context():
        assert db.session.get(User, user_id).must_set_password is False


def test_changing_password_ends_other_sessions_but_keeps_this_one(demo, make_client):
    laptop, phone = make_client("employee"), make_client("employee")
    assert phone.get("/").status_code == 200
    response = laptop.post("/auth/password", data={"current": "demo1234", "password": "nyhemmelig1",
                                                   "confirm": "nyhemmelig1"})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    fresh = make_client()
    login = fresh.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "nyhemmelig1"})
    assert login.status_code == 302


def test_changing_password_needs_the_current_one(demo, auth, client):
    auth.login("employee")
    response = client.post("/auth/password", data={"current": "forkert", "password": "nyhemmelig1",
                                                   "confirm": "nyhemmelig1"})
    assert response.status_code == 400
    assert "Den nuværende adgangskode er forkert." in response.get_data(as_text=True)


def test_login_redirect_refuses_other_sites(demo, client):
    response = client.post("/auth/login?next=//evil.example/x", data={"email": "medarbejder@demo.dk",
                                                                      "password": "demo1234"})
    assert response.headers["Location"] == "/"
