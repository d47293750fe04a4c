"""Login sessions: account changes end them, they expire, and the database holds no usable token (#15, 1-2)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app import cache, clock
from app.audit.models import AuditEntry
from app.auth.models import LoginSession
from app.extensions import db
from app.people.models import User
from tests.conftest import DEMO_EMAIL, DEMO_PASSWORD, AuthActions

EMPLOYEE = DEMO_EMAIL["employee"]


def _employee_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == EMPLOYEE))


def _open_sessions(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(LoginSession.id)).where(
            LoginSession.user_id == user_id, LoginSession.ended_at.is_(None)))


def _issue_start_code(head, person_id: int) -> str:
    response = head.post(f"/people/{person_id}/start-code", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    marker = "Ny startkode til "
    assert marker in html
    return html.split(marker, 1)[1].split(": ", 1)[1].split(" ", 1)[0]


def test_an_old_session_cannot_set_the_password_after_a_new_start_code(app, demo, make_client):
    """The attack from the security test: the employee's open session outlives a new start code and chooses
    the password before the real owner can."""
    person_id = _employee_id(app)
    stale = make_client("employee")
    assert stale.get("/").status_code == 200
    code = _issue_start_code(make_client("head"), person_id)

    response = stale.post("/auth/first-password", data={"start_code": code, "password": "angriberens1",
                                                        "confirm": "angriberens1"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with app.app_context():
        person = db.session.get(User, person_id)
        assert person.must_set_password

    owner = make_client()
    assert AuthActions(owner).login(EMPLOYEE, password=code).headers["Location"].endswith("/auth/first-password")
    done = owner.post("/auth/first-password", data={"start_code": code, "password": "ejerensegen1",
                                                   "confirm": "ejerensegen1"})
    assert done.status_code == 302
    assert owner.get("/").status_code == 200
    assert AuthActions(make_client()).login(EMPLOYEE, password="ejerensegen1").status_code == 302


def test_setting_a_first_password_needs_the_start_code_itself(app, demo, make_client):
    person_id = _employee_id(app)
    code = _issue_start_code(make_client("head"), person_id)
    owner = make_client()
    AuthActions(owner).login(EMPLOYEE, password=code)
    for wrong in ({"start_code": "gaet-en-kode"}, {"start_code": DEMO_PASSWORD}, {}):
        response = owner.post("/auth/first-password", data={**wrong, "password": "ejerensegen1",
                                                           "confirm": "ejerensegen1"})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Startkoden er forkert" in html or "Skriv den startkode" in html
    with app.app_context():
        assert db.session.get(User, person_id).must_set_password


def test_start_code_ends_every_session_and_is_audited(app, demo, make_client):
    person_id = _employee_id(app)
    laptop, phone = make_client("employee"), make_client("employee")
    assert _open_sessions(app, person_id) == 2
    _issue_start_code(make_client("head"), person_id)
    assert _open_sessions(app, person_id) == 0
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.sessions_ended"))
        assert entry is not None and entry.detail["reason"] == "start_code" and entry.detail["sessions"] == 2


def _edit_form(app, person_id: int, **overrides) -> dict:
    with app.app_context():
        person = db.session.get(User, person_id)
        data = {"name": person.name, "email": person.email, "employment_type": person.employment_type,
                "profession": person.profession, "is_skilled": "y" if person.is_skilled else "",
                "hired_on": person.hired_on.isoformat(),
                "left_on": person.left_on.isoformat() if person.left_on else "",
                "departments": sorted(person.department_ids), "roles": sorted(person.roles),
                "resource_functions": "\n".join(rf.topic for rf in person.resource_functions)}
    data.update(overrides)
    return data


@pytest.mark.parametrize("change", ["leave_form", "left_on_in_edit", "role_removed"])
def test_account_changes_by_a_head_end_the_persons_sessions(app, demo, make_client, change):
    leader_id = None
    with app.app_context():
        leader_id = db.session.scalar(select(User.id).where(User.email == DEMO_EMAIL["leader"]))
    session = make_client("leader")
    head = make_client("head")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    if change == "leave_form":
        response = head.post(f"/people/{leader_id}/leave", data={"left_on": tomorrow})
    elif change == "left_on_in_edit":
        response = head.post(f"/people/{leader_id}/edit", data=_edit_form(app, leader_id, left_on=tomorrow))
    else:
        response = head.post(f"/people/{leader_id}/edit", data=_edit_form(app, leader_id, roles=["employee"]))
    assert response.status_code == 302
    assert session.get("/").status_code == 302
    assert _open_sessions(app, leader_id) == 0


def test_an_edit_that_takes_nothing_away_keeps_the_sessions(app, demo, make_client):
    person_id = _employee_id(app)
    session = make_client("employee")
    head = make_client("head")
    response = head.post(f"/people/{person_id}/edit", data=_edit_form(app, person_id, name="Nyt Navn"))
    assert response.status_code == 302
    assert session.get("/").status_code == 200


def test_clearing_a_leaving_date_does_not_bring_an_old_session_back(app, demo, make_client):
    person_id = _employee_id(app)
    session = make_client("employee")
    head = make_client("head")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    assert head.post(f"/people/{person_id}/leave", data={"left_on": tomorrow}).status_code == 302
    assert head.post(f"/people/{person_id}/edit", data=_edit_form(app, person_id, left_on="")).status_code == 302
    assert session.get("/").status_code == 302
    assert AuthActions(make_client()).login("employee").status_code == 302


def test_re_enabling_a_person_does_not_bring_an_old_session_back(app, demo, make_client):
    """Whatever disables a person, the session loader refuses (and ends) their sessions meanwhile."""
    person_id = _employee_id(app)
    session = make_client("employee")
    with app.app_context():
        db.session.get(User, person_id).is_disabled = True
        db.session.commit()
    assert session.get("/").status_code == 302
    with app.app_context():
        db.session.get(User, person_id).is_disabled = False
        db.session.commit()
    assert session.get("/").status_code == 302
    assert _open_sessions(app, person_id) == 0


def test_a_session_of_someone_whose_leaving_date_has_come_is_refused(app, demo, make_client, set_today):
    person_id = _employee_id(app)
    start = clock.now()
    set_today(start)
    session = make_client("employee")
    with app.app_context():
        db.session.get(User, person_id).left_on = clock.today() + timedelta(days=1)
        db.session.commit()
    assert session.get("/").status_code == 200
    set_today(start + timedelta(days=1))
    assert session.get("/").status_code == 302


def test_the_database_holds_no_usable_session_token(app, demo, client, make_client):
    """Someone who reads the login_sessions table (or a backup) cannot turn a row into a session."""
    AuthActions(client).login("employee")
    with client.session_transaction() as cookie:
        token = cookie["_user_id"]
    with app.app_context():
        stored = db.session.scalars(select(LoginSession.token_hash)).all()
    assert stored and token not in stored
    for value in stored:
        thief = make_client()
        with thief.session_transaction() as cookie:
            cookie["_user_id"] = value
            cookie["_fresh"] = True
        assert thief.get("/").status_code == 302


def _login_at(make_client, set_today, moment):
    set_today(moment)
    browser = make_client("employee")
    return browser


@pytest.fixture
def limits(app):
    return timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]), timedelta(hours=app.config["SESSION_MAX_HOURS"])


def test_idle_timeout_defaults_to_two_hours_and_absolute_lifetime_to_twelve(limits):
    assert limits == (timedelta(hours=2), timedelta(hours=12))


def test_a_session_survives_until_the_idle_limit(app, demo, make_client, set_today, limits):
    idle, _ = limits
    start = clock.now()
    browser = _login_at(make_client, set_today, start)
    set_today(start + idle - timedelta(minutes=1))
    assert browser.get("/").status_code == 200


def test_a_session_ends_after_the_idle_limit_with_a_message_and_comes_back_to_the_page(
        app, demo, make_client, set_today, limits):
    idle, _ = limits
    start = clock.now()
    browser = _login_at(make_client, set_today, start)
    set_today(start + idle + timedelta(minutes=1))
    response = browser.get("/people/resources")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login?next=" + quote("/people/resources", safe=""))
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du er blevet logget ud efter 2 timer uden aktivitet" in page
    assert _open_sessions(app, _employee_id(app)) == 0
    back = browser.post(response.headers["Location"], data={"email": EMPLOYEE, "password": DEMO_PASSWORD})
    assert back.headers["Location"] == "/people/resources"


def test_activity_keeps_a_session_alive_and_is_written_at_most_once_a_minute(app, demo, make_client, set_today,
                                                                            limits):
    idle, _ = limits
    start = clock.now()
    browser = _login_at(make_client, set_today, start)
    set_today(start + timedelta(seconds=59))
    with app.app_context():
        version = cache.current_version()
    assert browser.get("/").status_code == 200

    def last_seen():
        with app.app_context():
            return db.session.scalar(select(LoginSession.last_seen_at))

    assert last_seen() == start
    set_today(start + timedelta(minutes=1))
    assert browser.get("/").status_code == 200
    assert last_seen() == start + timedelta(minutes=1)
    with app.app_context():
        cache.clear()
        assert cache.current_version() == version, "session bookkeeping must not change the data version"
    set_today(start + timedelta(minutes=1) + idle - timedelta(minutes=1))
    assert browser.get("/").status_code == 200
    set_today(start + timedelta(minutes=1) + idle - timedelta(minutes=1) + idle + timedelta(minutes=1))
    assert browser.get("/").status_code == 302


def test_the_absolute_lifetime_ends_even_an_active_session(app, demo, make_client, set_today, limits):
    idle, lifetime = limits
    start = clock.now()
    browser = _login_at(make_client, set_today, start)
    step = idle - timedelta(minutes=5)
    moment = start
    while moment + step < start + lifetime - timedelta(minutes=1):
        moment += step
        set_today(moment)
        assert browser.get("/").status_code == 200
    set_today(start + lifetime - timedelta(minutes=1))
    assert browser.get("/").status_code == 200
    set_today(start + lifetime + timedelta(minutes=1))
    response = browser.get("/")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du er blevet logget ud, fordi du har været logget ind i 12 timer" in page


def test_session_limits_come_from_the_environment_and_must_be_whole_numbers(app, monkeypatch, tmp_path):
    from app.config import Config

    monkeypatch.setenv("KP_SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("KP_SESSION_MAX_HOURS", "8")
    settings = Config.from_environment(tmp_path)
    assert (settings["SESSION_IDLE_MINUTES"], settings["SESSION_MAX_HOURS"]) == (30, 8)
    for bad in ("zwei", "0", "-5", "1.5"):
        monkeypatch.setenv("KP_SESSION_IDLE_MINUTES", bad)
        with pytest.raises(ValueError, match="KP_SESSION_IDLE_MINUTES"):
            Config.from_environment(tmp_path)
