"""Review dates and status at their boundaries, tasks, indicators and the onboarding event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import signals
from app.database import danish_key
from app.extensions import db
from app.guidelines.models import Acknowledgement, Guideline, next_review_after
from app.guidelines.services import guideline_by_slug
from app.hooks import indicators, tasks_for_home
from app.people.constants import EmploymentType
from app.people.models import Home, User
from tests.factories import make_user
from tests.guidelines.conftest import document, import_folder, write


@pytest.mark.parametrize(("base", "review", "expected"), [
    (date(2026, 1, 15), {"month": 12}, date(2026, 12, 31)),
    (date(2026, 11, 30), {"month": 12}, date(2026, 12, 31)),
    (date(2026, 12, 1), {"month": 12}, date(2027, 12, 31)),  # reviewed in December: next December
    (date(2027, 1, 5), {"month": 12}, date(2027, 12, 31)),
    (date(2026, 3, 2), {"every_months": 12}, date(2027, 3, 2)),
    (date(2026, 1, 31), {"every_months": 1}, date(2026, 2, 28)),
    (date(2026, 2, 1), {"every_months": 24}, date(2028, 2, 1)),
])
def test_next_review_after(base, review, expected):
    assert next_review_after(base, review) == expected


@pytest.fixture
def imported(app, runner, org, tmp_path, set_today):
    set_today(date(2026, 3, 1))
    write(tmp_path, "test", document(effective_from="2026-01-15", review={"every_months": 12}))
    assert import_folder(runner, tmp_path).exit_code == 0
    return org


@pytest.mark.parametrize(("today", "status"), [
    (date(2026, 11, 15), "current"),  # 61 days before 15 January 2027
    (date(2026, 11, 16), "due"),  # 60 days before
    (date(2027, 1, 15), "due"),  # the review day itself
    (date(2027, 1, 16), "overdue"),  # the day after
])
def test_status_boundaries(app, imported, today, status):
    with app.app_context():
        guideline = db.session.scalar(select(Guideline))
        assert guideline.next_review_on == date(2027, 1, 15)
        assert guideline.status_on(today) == status


def test_due_window_follows_the_home_setting(app, imported):
    with app.app_context():
        home = db.session.get(Home, imported["home"])
        home.settings = {"guideline_due_days": 30}
        guideline = db.session.scalar(select(Guideline))
        days = int(home.setting("guideline_due_days"))
        assert guideline.status_on(date(2026, 12, 16), days) == "due"
        assert guideline.status_on(date(2026, 12, 15), days) == "current"


def test_review_task_for_the_revision_responsible(app, imported):
    with app.app_context():
        home = db.session.get(Home, imported["home"])
        guideline = db.session.scalar(select(Guideline))
        tasks = [t for t in tasks_for_home(home, date(2027, 1, 1), date(2027, 1, 31))
                 if t.source == "guidelines.review"]
        assert len(tasks) == 1
        task = tasks[0]
        assert task.uid == f"guideline-review-{guideline.id}-2027-01-15"
        assert task.due_on == date(2027, 1, 15) and task.responsible == "head" and task.url == "/guidelines/test"
        assert task.applies_to(db.session.get(User, imported["head"]))
        assert not task.applies_to(db.session.get(User, imported["emp1"]))
        assert not [t for t in tasks_for_home(home, date(2027, 1, 16), date(2027, 3, 1))
                    if t.source == "guidelines.review"]


def _indicator(key):
    return next(i for i in indicators() if i.key == key)


def test_reviewed_on_time_indicator_on_a_day(app, imported, set_today):
    set_today(date(2026, 6, 1))
    with app.app_context():
        home = db.session.get(Home, imported["home"])
        measure = _indicator("guidelines.reviewed_on_time").measure
        assert measure(home, None, date(2026, 12, 1)).share == 100.0
        late = measure(home, None, date(2027, 1, 16))
        assert (late.met, late.total) == (0, 1)
        assert late.exceptions[0][0] == "Testretningslinje"
        assert measure(home, None, date(2027, 1, 15)).share == 100.0


def test_confirmed_indicator_counts_target_people_drops_leavers_and_filters(app, imported, set_today):
    set_today(date(2026, 6, 1))
    with app.app_context():
        home = db.session.get(Home, imported["home"])
        guideline = guideline_by_slug(home, "test")
        db.session.add(Acknowledgement(version_id=guideline.published.id, user_id=imported["emp1"]))
        leaver = db.session.get(User, imported["emp2"])
        leaver.left_on = date(2026, 7, 1)
        db.session.commit()
        measure = _indicator("guidelines.confirmed").measure
        on = date(2026, 6, 2)
        result = measure(home, None, on)
        assert (result.met, result.total) == (1, 5)  # head, leader, emp1, emp2, temp
        assert {name for name, _ in result.exceptions} == {"Hanne Leder", "Lone Leder", "Eva Ansat", "Tim Vikar"}
        after = measure(home, None, date(2026, 7, 1))
        assert after.total == 4  # Eva has left
        north = measure(home, imported["north"], on)
        assert (north.met, north.total) == (1, 2)
        assert measure(home, None, date(2026, 2, 28)).total == 0  # not yet published then


def test_onboarding_guideline_read_records_an_acknowledgement(app, imported):
    with app.app_context():
        signals.guideline_read.send(home_id=imported["home"], user_id=imported["temp"], slug="test",
                                    on=date(2026, 6, 1))
        signals.guideline_read.send(home_id=imported["home"], user_id=imported["temp"], slug="test",
                                    on=date(2026, 6, 1))
        signals.guideline_read.send(home_id=imported["home"], user_id=imported["temp"], slug="findes-ikke",
                                    on=date(2026, 6, 1))
        db.session.commit()
        acks = db.session.scalars(select(Acknowledgement)).all()
        assert [(a.user_id, a.version.guideline.slug) for a in acks] == [(imported["temp"], "test")]


@pytest.mark.parametrize(("target_group", "expected"), [
    (["employee"], {"Hanne Leder", "Lone Leder", "Erik Ansat", "Eva Ansat", "Ny Ansat"}),
    (["temp"], {"Tim Vikar", "Bo Bureauvikar"}),
    (["leader_group"], {"Hanne Leder", "Lone Leder"}),
    (["department_leader", "temp"], {"Lone Leder", "Tim Vikar", "Bo Bureauvikar"}),
])
def test_confirmed_indicator_counts_each_target_group_from_the_hiring_day(app, runner, org, tmp_path, set_today,
                                                                         target_group, expected):
    set_today(date(2026, 3, 1))
    write(tmp_path, "test", document(effective_from="2026-01-15", review={"every_months": 12},
                                     target_group=target_group))
    assert import_folder(runner, tmp_path).exit_code == 0
    on = date(2026, 6, 2)
    with app.app_context():
        home = db.session.get(Home, org["home"])
        make_user(home, name="Ny Ansat", hired_on=on)
        make_user(home, name="Ansat fra i morgen", hired_on=date(2026, 6, 3))
        make_user(home, name="Bo Bureauvikar", employment=EmploymentType.AGENCY)
        make_user(home, name="Spærret Ansat").is_disabled = True
        make_user(home, name="Gået Ansat", left_on=on)
        db.session.add(Acknowledgement(version_id=guideline_by_slug(home, "test").published.id,
                                       user_id=org["head"], acknowledged_at=datetime(2026, 6, 2, 21, 59, tzinfo=UTC)))
        db.session.commit()
        result = _indicator("guidelines.confirmed").measure(home, None, on)
    confirmed = {"Hanne Leder"} & expected
    assert (result.met, result.total) == (len(confirmed), len(expected))
    names = [name for name, _ in result.exceptions]
    assert set(names) == expected - confirmed
    assert names == sorted(names, key=danish_key)
