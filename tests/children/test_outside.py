"""A child's name never leaves the app: calendar feeds and e-mail reminders use a neutral title, even for the
people who may open the child; inside the app the name goes in only for them (app/need_to_know.py)."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.children.models import Child
from app.cycle.calendar import calendar
from app.cycle.reminders import compose
from app.extensions import db
from app.hooks import tasks_for_home
from app.need_to_know import shown_tasks
from app.people.constants import Role
from app.people.models import Home, User, UserRole


def _children_tasks(home):
    today = clock.today()
    return [t for t in tasks_for_home(home, today - timedelta(days=400), today + timedelta(days=400))
            if t.source == "children"]


def _head(home) -> User:
    return db.session.scalar(select(User).join(UserRole).where(User.home_id == home.id, UserRole.role == Role.HEAD))


def test_children_tasks_name_the_child_inside_only_and_leave_it_out_of_the_calendar(app, demo):
    with app.app_context():
        home = db.session.scalar(select(Home))
        names = set(db.session.scalars(select(Child.display_name).where(Child.home_id == home.id)))
        tasks = _children_tasks(home)
        assert tasks, "the demo home has children's follow-ups"
        assert not any(name in t.title for t in tasks for name in names)
        head = _head(home)
        assert any(name in t.title for t in shown_tasks(head, tasks, "test") for name in names)
        feed = calendar(shown_tasks(head, tasks, "feed", outside=True), name="Test", base_url="http://localhost")
    assert not any(name in feed for name in names)
    assert "Opfølgning på et barns" in feed


def test_children_reminders_leave_the_name_out(app, demo):
    from app.cycle.reminders import Reminder

    with app.app_context():
        home = db.session.scalar(select(Home))
        names = set(db.session.scalars(select(Child.display_name).where(Child.home_id == home.id)))
        today = clock.today()
        tasks = shown_tasks(_head(home), _children_tasks(home), "reminder", outside=True)
        reminders = [Reminder(user_id=1, email="a@example.dk", name="A", task=t, kind="overdue") for t in tasks[:3]]
        message = compose(reminders, today)
        body = message.get_body(preferencelist=("plain",)).get_content()
        text = str(message["Subject"]) + body
    assert "Opfølgning på et barns" in text
    assert not any(name in text for name in names)
