"""Mine opgaver: the person's own open tasks from every source, by date."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app import signals
from app.extensions import db
from app.people.models import User


def _dashboard(client) -> str:
    return client.get("/").get_data(as_text=True)


def test_employee_sees_the_course_wish_duty_before_the_deadline(app, demo, auth, client, set_today):
    set_today(date(2027, 9, 20))
    auth.login("employee")
    html = _dashboard(client)
    assert "1. oktober 2027" in html


def test_the_duty_leaves_the_employees_list_once_their_own_wish_is_sent(app, demo, auth, client, set_today):
    set_today(date(2027, 9, 20))
    with app.app_context():
        employee = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        signals.wish_submitted.send(home_id=employee.home_id, user_id=employee.id, year=2027,
                                    on=date(2027, 9, 20))
        db.session.commit()
    auth.login("employee")
    assert "1. oktober 2027" not in _dashboard(client)


def test_a_colleagues_wish_does_not_clear_mine(app, demo, auth, client, set_today):
    set_today(date(2027, 9, 20))
    with app.app_context():
        colleague = db.session.scalar(select(User).where(User.email == "minimed@demo.dk"))
        signals.wish_submitted.send(home_id=colleague.home_id, user_id=colleague.id, year=2027,
                                    on=date(2027, 9, 20))
        db.session.commit()
    auth.login("employee")
    assert "1. oktober 2027" in _dashboard(client)


def test_temp_does_not_get_the_permanent_staffs_course_wish_duty(app, demo, auth, client, set_today):
    set_today(date(2027, 9, 20))
    auth.login("temp")
    assert "1. oktober 2027" not in _dashboard(client)


def test_temp_sees_the_onboarding_checklist_before_the_task_list(app, demo, auth, client):
    auth.login("temp")
    html = _dashboard(client)
    assert "<progress" in html
    assert html.index("<progress") < html.index('id="tasks-heading"')


@pytest.mark.parametrize("who", ["head", "leader", "employee", "temp", "minimed", "admin"])
def test_each_person_gets_exactly_the_home_tasks_that_apply(app, demo, who):
    """A person's tasks come from the home's (cached) list: none dropped, none of someone else's added."""
    from datetime import timedelta

    from app import clock
    from app.hooks import tasks_for_home, tasks_for_user
    from tests.conftest import DEMO_EMAIL

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL[who]))
        start, end = clock.today() - timedelta(days=400), clock.today() + timedelta(days=60)
        everything = [t.uid for t in tasks_for_home(user.home, start, end) if t.applies_to(user)]
        assert [t.uid for t in tasks_for_user(user, start, end)] == everything


@pytest.mark.parametrize("role", ["head", "leader", "employee", "temp", "minimed"])
def test_every_block_on_the_dashboard_is_a_card(demo, auth, client, role):
    auth.login(role)
    html = client.get("/").get_data(as_text=True)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    headings = [m.start() for m in re.finditer(r"<h2\b", main)]
    assert headings
    for at in headings:
        section = main[:at].rsplit("<section", 1)[1].split(">", 1)[0]
        assert 'class="card' in section, main[at:at + 80]
