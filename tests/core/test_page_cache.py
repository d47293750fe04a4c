"""Whole pages kept per login session (app/page_cache.py): a reload is served after one statement, and never
to anyone who may no longer see it, never stale, never hiding a message."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import clock
from app.auth.models import LoginSession
from app.extensions import db
from app.people.models import Department, User
from tests.conftest import counting, csrf_from

#: Every view whose whole page may be kept. Adding one is a decision: see docs/DEVELOPING.md (never the
#: children's pages, which log each read, the audit log, or the calendar page, which shows bookkeeping).
MARKED_ENDPOINTS = {"dashboard.index", "people.index", "people.show", "quality.index", "cycle.year",
                    "appraisals.profile", "competence.plan", "onboarding.meetings"}

MARKED = ["/", "/people/", "/quality/", "/cycle/", "/competence/plan", "/onboarding/meetings",
          "/people/{employee}", "/appraisals/profile/{employee}"]


def _user(app, email: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def _raw_update_user(app, email: str, **values) -> None:
    """Change a person without the ORM session, so the data version does not move: only the page cache's own
    check can then notice the change."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(update(User.__table__).where(User.__table__.c.email == email).values(**values))


def test_only_the_chosen_views_are_marked(app):
    marked = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "kp_page_cached", False)}
    assert marked == MARKED_ENDPOINTS


@pytest.mark.parametrize("path", MARKED)
def test_a_reload_is_the_same_page_after_one_statement(app, demo, client, auth, path):
    path = path.format(employee=_user(app, demo["employee"]).id)
    auth.login("head")
    first = client.get(path)
    assert first.status_code == 200
    with counting(app, cold=False) as count:
        second = client.get(path)
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    assert count[0] == 1  # the session, the person and the data version, read together


def test_a_page_from_the_store_keeps_the_security_headers(app, demo, client, auth):
    auth.login("employee")
    client.get("/")
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_after_logout_the_old_cookie_gets_the_login_page_not_the_kept_page(app, demo, client, auth):
    auth.login("head")
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # now from the store
    replay = app.test_client()
    replay.set_cookie("session", client.get_cookie("session").value)
    assert replay.get("/").status_code == 200

    auth.logout()
    response = replay.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_session_ended_elsewhere_is_not_served_the_kept_page(app, demo, client, auth):
    """E.g. a password change on another device ends the other sessions."""
    auth.login("employee")
    client.get("/")
    client.get("/")
    with app.app_context():
        db.session.execute(update(LoginSession).values(ended_at=clock.now()))
        db.session.commit()
    assert client.get("/").status_code == 302


def test_a_person_who_left_today_is_not_served_the_kept_page(app, demo, client, auth, set_today):
    set_today(date(2026, 11, 30))
    auth.login("employee")
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    _raw_update_user(app, demo["employee"], left_on=date(2026, 11, 30))
    assert client.get("/").status_code == 302


def test_a_leaving_date_tomorrow_still_serves_the_page(app, demo, client, auth, set_today):
    set_today(date(2026, 11, 30))
    auth.login("employee")
    client.get("/")
    _raw_update_user(app, demo["employee"], left_on=date(2026, 12, 1))
    assert client.get("/").status_code == 200
    set_today(date(2026, 12, 1))
    assert client.get("/").status_code == 302


def test_a_disabled_person_is_not_served_the_kept_page(app, demo, client, auth):
    auth.login("head")
    client.get("/quality/")
    client.get("/quality/")
    _raw_update_user(app, demo["head"], is_disabled=True)
    assert client.get("/quality/").status_code == 302


def test_a_person_who_must_set_a_password_is_sent_to_set_it(app, demo, client, auth):
    auth.login("employee")
    client.get("/")
    _raw_update_user(app, demo["employee"], must_set_password=True)
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/" in response.headers["Location"]


def test_two_people_and_two_sessions_never_share_a_page(app, demo, make_client):
    head, employee, head_again = make_client("head"), make_client("employee"), make_client("head")
    head_name = _user(app, demo["head"]).name
    employee_name = _user(app, demo["employee"]).name
    for _ in range(2):
        head_page = head.get("/").get_data(as_text=True)
        employee_page = employee.get("/").get_data(as_text=True)
        head_again_page = head_again.get("/").get_data(as_text=True)
        assert f'<span class="user-name">{head_name}</span>' in head_page
        assert f'<span class="user-name">{employee_name}</span>' in employee_page
        assert f'<span class="user-name">{head_name}</span>' not in employee_page
    # Each session's page carries its own CSRF token, so none can be posted from another session.
    assert head_page != head_again_page
    assert csrf_from(head_page) != csrf_from(head_again_page)


def test_the_logout_button_of_a_kept_page_works(app, demo, client, auth):
    auth.login("employee")
    client.get("/")
    html = client.get("/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/auth/logout", data={"csrf_token": csrf}, csrf=False)
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_flashed_message_is_shown_once_and_never_kept(app, demo, client, auth):
    auth.login("employee")
    client.get("/")
    client.get("/")  # the plain page is in the store
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Ønsket er gemt.")]
    assert "Ønsket er gemt." in client.get("/").get_data(as_text=True)
    assert "Ønsket er gemt." not in client.get("/").get_data(as_text=True)
    assert "Ønsket er gemt." not in client.get("/").get_data(as_text=True)


def test_a_change_committed_elsewhere_shows_on_the_next_employee_list(app, demo, client, auth):
    auth.login("head")
    with app.app_context():
        department = db.session.scalars(select(Department)).first()
        department_id, name = department.id, department.name
    assert name in client.get("/people/").get_data(as_text=True)
    client.get("/people/")
    with app.app_context(), Session(db.engine) as other:
        other.get(Department, department_id).name = "Stjerneskuddet"
        other.commit()
    html = client.get("/people/").get_data(as_text=True)
    assert "Stjerneskuddet" in html and name not in html


def test_the_query_string_is_part_of_the_key(app, demo, client, auth):
    auth.login("head")
    everyone = client.get("/people/").get_data(as_text=True)
    client.get("/people/")
    employee_name = _user(app, demo["employee"]).name
    searched = client.get("/people/", query_string={"q": employee_name}).get_data(as_text=True)
    assert searched != everyone
    assert employee_name in searched
    assert client.get("/people/", query_string={"q": employee_name}).get_data(as_text=True) == searched


def test_the_next_day_is_a_new_page(app, demo, client, auth, set_today):
    set_today(date(2026, 11, 30))
    auth.login("employee")
    client.get("/")
    assert "30. november 2026" in client.get("/").get_data(as_text=True)
    set_today(date(2026, 11, 30) + timedelta(days=1))
    assert "1. december 2026" in client.get("/").get_data(as_text=True)


def test_a_refused_page_is_not_kept_and_stays_refused(app, demo, client, auth):
    auth.login("employee")
    assert client.get("/quality/").status_code == 403
    assert client.get("/quality/").status_code == 403


def test_pages_that_log_each_read_are_not_kept(app, demo, client, auth):
    from app.children.models import ChildAccessLog

    auth.login("head")
    html = client.get("/children/").get_data(as_text=True)
    child_path = re.search(r'href="(/children/\d+)"', html).group(1)
    for _ in range(3):
        assert client.get(child_path).status_code == 200
    with app.app_context():
        assert len(db.session.scalars(select(ChildAccessLog)).all()) == 3


def test_the_next_person_on_a_shared_computer_gets_their_own_page(app, demo, client, auth):
    """The CSRF secret may outlive a logout in the browser's session; the login session decides the key."""
    auth.login("head")
    client.get("/")
    client.get("/")
    auth.logout()
    auth.login("employee")
    employee_name = _user(app, demo["employee"]).name
    for _ in range(2):
        assert f'<span class="user-name">{employee_name}</span>' in client.get("/").get_data(as_text=True)


def test_a_new_start_code_is_shown_once_and_never_kept(app, demo, client, auth):
    employee_id = _user(app, demo["employee"]).id
    auth.login("head")
    client.get(f"/people/{employee_id}")
    client.get(f"/people/{employee_id}")  # the page without a code is in the store
    response = client.post(f"/people/{employee_id}/start-code", follow_redirects=True)
    code = re.search(r"Ny startkode til [^:]+: (\S+) \(vises kun nu\)", response.get_data(as_text=True)).group(1)
    for _ in range(2):
        assert code not in client.get(f"/people/{employee_id}").get_data(as_text=True)


@pytest.mark.parametrize(("last_second", "day_before", "day_after"), [
    # The wish deadline: 1 October ends at 23:59:59 summer time (21:59:59 UTC).
    (datetime(2026, 10, 1, 21, 59, 59, tzinfo=UTC), "1. oktober 2026", "2. oktober 2026"),
    # Summer time ends on 25 October 2026: that day ends at 23:00 UTC, the day before at 22:00 UTC.
    (datetime(2026, 10, 24, 21, 59, 59, tzinfo=UTC), "24. oktober 2026", "25. oktober 2026"),
    (datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC), "25. oktober 2026", "26. oktober 2026"),
    # Winter time.
    (datetime(2026, 12, 1, 22, 59, 59, tzinfo=UTC), "1. december 2026", "2. december 2026"),
])
def test_a_kept_page_gives_way_at_midnight_in_copenhagen(app, demo, client, auth, set_today, last_second,
                                                          day_before, day_after):
    set_today(last_second)
    auth.login("employee")
    client.get("/")
    assert f"Kompetenceportalen · {day_before}" in client.get("/").get_data(as_text=True)  # from the store
    set_today(last_second + timedelta(seconds=1))
    assert f"Kompetenceportalen · {day_after}" in client.get("/").get_data(as_text=True)
